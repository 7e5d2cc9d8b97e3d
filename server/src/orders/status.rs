//! An order's moves through its statuses (cancelled by the shopper; shipped, delivered or
//! refunded by the shop), and the refund of its payment.

use shoppable_protocol::{ErrorCode, Money, Order, OrderStatus, ShipRequest, StatusEvent};

use super::{cancellable_until, owned_order, present, units_by_variant};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::mail::Notice;
use crate::storage::catalog::release_stock;
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{now, now_rfc3339_ms, rfc3339};

/// The shopper cancels order `id` (with its `secret`) within the cancel window: refunded,
/// units back in stock.
pub async fn cancel(state: &AppState, id: &str, secret: &str) -> AppResult<Order> {
    let stored = owned_order(state, id, secret).await?;
    if cancellable_until(state, stored.order.status, stored.created_at).is_none() {
        return Err(AppError::new(ErrorCode::InvalidTransition, "this order can no longer be cancelled"));
    }
    move_order(state, &stored.order.id, OrderStatus::Cancelled, None).await
}

/// The shop ships order `id`, with its tracking number (and URL).
pub async fn ship(state: &AppState, id: &str, ship: ShipRequest) -> AppResult<Order> {
    if let Some(problem) = ship.problem() {
        return Err(AppError::invalid(problem.field(), problem.message()));
    }
    let tracking_url = ship.tracking_url.map(|url| url.trim().to_owned());
    move_order(state, id, OrderStatus::Shipped, Some((ship.tracking_number, tracking_url))).await
}

/// Moves order `id` to `next`. Cancelling or refunding refunds the payment, and puts the
/// units back in stock when they had not been shipped yet. The order is held for the change
/// (as after-sale changes hold it): a message or a return written meanwhile is kept, and of
/// two concurrent moves the second sees the first.
pub async fn move_order(state: &AppState, id: &str, next: OrderStatus, tracking: Option<(String, Option<String>)>) -> AppResult<Order> {
    let mut write = state.db.write_tx().await?;
    let stored = order_store::load_for_change(&state.db, &mut write.tx, id).await?.ok_or_else(|| AppError::not_found("order"))?;
    let from = stored.order.status;
    if !from.can_become(next) {
        return Err(AppError::new(ErrorCode::InvalidTransition, format!("a {} order cannot become {}", from.as_str(), next.as_str())));
    }
    let mut order = stored.order.clone();
    order.status = next;
    let (tracking_number, tracking_url) = tracking.map_or((None, None), |(number, url)| (Some(number), url));
    order.history.push(StatusEvent { status: next, at: rfc3339(now()), tracking_number, tracking_url });
    order.updated_at = Some(now_rfc3339_ms());
    let undo = matches!(next, OrderStatus::Cancelled | OrderStatus::Refunded);
    if !order_store::save(&mut write.tx, &order, stored.version).await? {
        return Err(AppError::internal("an order held for a change changed"));
    }
    if undo && matches!(from, OrderStatus::Placed | OrderStatus::Paid) {
        for (variant_id, quantity) in units_by_variant(&order) {
            release_stock(&mut write.tx, &variant_id, quantity).await?;
        }
    }
    state.webhooks.add(&mut write.tx, "order.status_changed", &order).await?;
    if let Some(notice) = Notice::of_status(next) {
        state.mailer.add(&mut write.tx, notice, &order).await?;
    }
    write.commit().await?;
    state.webhooks.wake();
    state.mailer.wake();
    if undo {
        state.cache.invalidate();
    }
    let stored = StoredOrder { order, version: stored.version + 1, ..stored };
    // The status changes first (exactly once, even under concurrent requests); then the money:
    // what returns have not refunded already.
    if undo {
        refund(state, &stored, stored.order.left_to_refund(), &whole_order_refund(&stored.order.id)).await?;
    }
    Ok(present(state, &stored))
}

/// The refund key (see `PaymentProvider::refund`) of what an order's cancellation or refund
/// gives back; a return's is its own id.
pub(super) fn whole_order_refund(order_id: &str) -> String {
    format!("{order_id}:order")
}

/// Refunds `amount` of the order's payment (nothing when it is zero or was never charged).
pub async fn refund(state: &AppState, stored: &StoredOrder, amount: Money, refund_key: &str) -> AppResult<()> {
    let (Some(reference), true) = (&stored.payment_reference, amount.amount > 0) else { return Ok(()) };
    let order = &stored.order;
    let provider = state.provider(&order.payment.provider).ok_or_else(|| AppError::internal("payment provider gone"))?;
    provider.refund(reference, amount, refund_key).await.map_err(|e| {
        tracing::error!(order = %order.id, error = %e, %amount, "refund failed: refund by hand");
        AppError::from(e)
    })
}
