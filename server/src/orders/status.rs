//! An order's moves through its statuses (cancelled by the shopper; shipped, delivered or
//! refunded by the shop).

use shoppable_protocol::{ErrorCode, Order, OrderStatus, ShipRequest, StatusEvent};

use super::refunds::{ask_again, decide, intent, whole_order_refund};
use super::{cancellable_until, load, owned_order, present, units_by_variant};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::mail::Notice;
use crate::storage::catalog::release_stock;
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{WriteTx, now, now_rfc3339_ms, refunds, rfc3339};

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

/// Moves order `id` to `next`. Cancelling or refunding a charged order decides a refund of
/// what returns have not refunded (`super::refunds`): the order changes once the provider
/// confirmed it. The order is held for the change (as after-sale changes hold it): a message or
/// a return written meanwhile is kept, and of two concurrent moves the second sees the first.
pub async fn move_order(state: &AppState, id: &str, next: OrderStatus, tracking: Option<(String, Option<String>)>) -> AppResult<Order> {
    let mut write = state.db.write_tx().await?;
    let stored = order_store::load_for_change(&state.db, &mut write.tx, id).await?.ok_or_else(|| AppError::not_found("order"))?;
    let open = refunds::open_for_order(&mut write.tx, id).await?;
    if !open.is_empty() {
        // Nothing else moves until the provider confirmed: asked again, this very move goes on.
        drop(write);
        ask_again(state, &open, |refund| refund.order_status == Some(next)).await?;
        return Ok(present(state, &load(state, id).await?));
    }
    let from = stored.order.status;
    if !from.can_become(next) {
        return Err(AppError::new(ErrorCode::InvalidTransition, format!("a {} order cannot become {}", from.as_str(), next.as_str())));
    }
    let refund = matches!(next, OrderStatus::Cancelled | OrderStatus::Refunded)
        .then(|| {
            intent(
                &stored.order,
                stored.payment_reference.as_deref(),
                &whole_order_refund(id),
                stored.order.left_to_refund(),
                Some(next),
                None,
            )
        })
        .flatten();
    if let Some(refund) = refund {
        decide(state, write, &refund).await?;
        return Ok(present(state, &load(state, id).await?));
    }
    let stored = commit_move(state, write, stored, next, tracking).await?;
    Ok(present(state, &stored))
}

/// The provider confirmed refund `refund_key`, which moves order `id` to `next`: the move, once.
pub(super) async fn confirm_move(state: &AppState, refund_key: &str, id: &str, next: OrderStatus) -> AppResult<()> {
    let mut write = state.db.write_tx().await?;
    let stored = order_store::load_for_change(&state.db, &mut write.tx, id).await?.ok_or_else(|| AppError::not_found("order"))?;
    if !refunds::mark_done(&mut write.tx, refund_key).await? {
        return Ok(()); // another attempt confirmed it
    }
    if !stored.order.status.can_become(next) {
        // Nothing else moves the order while its refund is open: never seen, but the money moved.
        tracing::error!(order = %id, refund = %refund_key, status = stored.order.status.as_str(), "a refunded order could not become {}", next.as_str());
        return write.commit().await;
    }
    commit_move(state, write, stored, next, None).await.map(|_| ())
}

/// Saves the held order `stored` moved to `next`, with its webhook and e-mail, and the units
/// back in stock when a cancellation or a refund comes before shipping; commits.
async fn commit_move(
    state: &AppState,
    mut write: WriteTx,
    stored: StoredOrder,
    next: OrderStatus,
    tracking: Option<(String, Option<String>)>,
) -> AppResult<StoredOrder> {
    let from = stored.order.status;
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
    Ok(StoredOrder { order, version: stored.version + 1, ..stored })
}
