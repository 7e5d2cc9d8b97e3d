//! Money going back: a refund is decided as a durable intent (`storage::refunds`), in the
//! transaction that holds the order, before the provider is asked; the provider gets the refund
//! key as its idempotency key; the order (cancelled or refunded) or its return (refunded), with
//! its webhook and e-mail, changes only in the transaction that records the provider's
//! confirmation. Until then the order keeps its status and its stock. A refund the provider
//! refused, or could not be asked for, is `failed` and waits for the shop's retry; one left
//! halfway by a stopped process is `pending` and crash recovery asks again.

use shoppable_protocol::{ErrorCode, Money, OpenRefund, Order, OrderStatus, RefundState};

use super::{after_sale, load, status};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::storage::WriteTx;
use crate::storage::orders::StoredOrder;
use crate::storage::refunds::{self, Intent};

/// The refund key of what an order's cancellation or refund gives back; a return's is its own id.
pub(super) fn whole_order_refund(order_id: &str) -> String {
    format!("{order_id}:order")
}

/// The intent of refunding `amount` of `order`'s charge `charge` under `refund_key`, to show it
/// as the order becoming `order_status` or its return `return_id` refunded (neither: a charge
/// the order does not keep); None when no money moves (nothing to refund, or never charged).
pub(super) fn intent(
    order: &Order,
    charge: Option<&str>,
    refund_key: &str,
    amount: Money,
    order_status: Option<OrderStatus>,
    return_id: Option<&str>,
) -> Option<Intent> {
    let reference = charge.filter(|_| amount.amount > 0)?;
    Some(Intent {
        order_id: order.id.clone(),
        provider: order.payment.provider.clone(),
        charge_reference: reference.to_owned(),
        open: OpenRefund {
            refund_key: refund_key.to_owned(),
            order_status,
            return_id: return_id.map(str::to_owned),
            amount,
            state: RefundState::Pending,
            attempts: 0,
            last_error: None,
        },
    })
}

/// Asks the provider for the intent's refund and, once it confirmed, shows it. Ok(false) when
/// there was nothing to do: confirmed already, or (recovery, with `left_before`) taken by
/// another attempt. A refusal leaves the intent `failed` and answers an error.
pub(crate) async fn carry_out(state: &AppState, intent: &Intent, left_before: Option<i64>) -> AppResult<bool> {
    let key = &intent.open.refund_key;
    if !refunds::start_attempt(&state.db, key, left_before).await? {
        return Ok(false);
    }
    let provider = state.provider(&intent.provider).ok_or_else(|| AppError::internal("payment provider gone"))?;
    if let Err(error) = provider.refund(&intent.charge_reference, intent.open.amount, key).await {
        let error = AppError::from(error);
        tracing::error!(order = %intent.order_id, refund = %key, %error, amount = %intent.open.amount, "refund failed: retry it from the console");
        refunds::mark_failed(&state.db, key, &error.to_string()).await?;
        return Err(AppError::new(
            ErrorCode::Internal,
            "the payment provider has not made the refund: the order keeps its status until it does, and the refund can be asked again",
        ));
    }
    match (intent.open.order_status, &intent.open.return_id) {
        (Some(next), _) => status::confirm_move(state, key, &intent.order_id, next).await?,
        (None, Some(return_id)) => after_sale::confirm_return_refund(state, key, &intent.order_id, return_id).await?,
        // A charge no order kept: nothing to show.
        (None, None) => {
            let mut write = state.db.write_tx().await?;
            refunds::mark_done(&mut write.tx, key).await?;
            write.commit().await?;
        }
    }
    Ok(true)
}

/// Records `intent` in the transaction that decided it (and holds the order), then carries it out.
pub(super) async fn decide(state: &AppState, mut write: WriteTx, intent: &Intent) -> AppResult<()> {
    refunds::insert(&mut write.tx, intent).await?;
    write.commit().await?;
    carry_out(state, intent, None).await.map(|_| ())
}

/// The order's refunds not confirmed yet, for the console.
pub async fn open_refunds(state: &AppState, order_id: &str) -> AppResult<Vec<OpenRefund>> {
    load(state, order_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(refunds::open_for_order(&mut conn, order_id).await?.into_iter().map(|intent| intent.open).collect())
}

/// The shop asks the provider again for every refund of order `id` not confirmed yet.
pub async fn retry_refunds(state: &AppState, id: &str) -> AppResult<StoredOrder> {
    load(state, id).await?;
    let open = {
        let mut conn = state.db.pool.acquire().await?;
        refunds::open_for_order(&mut conn, id).await?
    };
    if open.is_empty() {
        return Err(AppError::new(ErrorCode::InvalidTransition, "this order has no refund waiting for the payment provider"));
    }
    for intent in &open {
        carry_out(state, intent, None).await?;
    }
    load(state, id).await
}

/// Order `id` has unconfirmed refunds (`open`, read while it was held): the one that `matches`
/// the change asked for is asked of the provider again; any other refuses the change, which
/// would count the money twice. Called once the order is no longer held.
pub(super) async fn ask_again(state: &AppState, open: &[Intent], matches: impl Fn(&OpenRefund) -> bool) -> AppResult<()> {
    let Some(intent) = open.iter().find(|intent| matches(&intent.open)) else {
        return Err(AppError::new(
            ErrorCode::InvalidTransition,
            "a refund of this order waits for the payment provider's confirmation; retry it first",
        ));
    };
    carry_out(state, intent, None).await.map(|_| ())
}
