//! The order's domain operations, which the route handlers call: placing an order
//! ([`place`]), moving it through its statuses ([`status`]), returns and messages after the
//! sale ([`after_sale`]), refunds that move money exactly once ([`refunds`]), and what every
//! one of them shares: who owns an order ([`owned_order`]) and how it is shown ([`present`]).

mod after_sale;
mod place;
mod refunds;
mod status;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use shoppable_protocol::{Order, OrderStatus};

pub use after_sale::{
    approve_return, receive_return, refund_return, refuse_return, reply, request_return, returnable_until, write_message,
};
pub use place::{Answer, CHALLENGE_EXPIRED, CHALLENGE_FAILED, place, release_unpaid_in, settle_paid, settle_paid_in};
pub(crate) use refunds::carry_out;
pub use refunds::{open_refunds, retry_refunds};
pub use status::{cancel, move_order, ship};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{now, rfc3339};

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The order whose id and secret both match; 404 otherwise, so that ids cannot be probed.
pub async fn owned_order(state: &AppState, id: &str, secret: &str) -> AppResult<StoredOrder> {
    match order_store::load(&state.db, id).await? {
        Some(stored) if stored.secret_hash == sha256_hex(secret) => Ok(stored),
        _ => Err(AppError::not_found("order")),
    }
}

/// The order for the shop's admin API, by id alone.
pub async fn load(state: &AppState, id: &str) -> AppResult<StoredOrder> {
    order_store::load(&state.db, id).await?.ok_or_else(|| AppError::not_found("order"))
}

/// The order as its owner (or the shop) sees it: no secret, with its windows for cancelling
/// and returning.
pub fn present(state: &AppState, stored: &StoredOrder) -> Order {
    let mut order = stored.order.clone();
    order.secret = None;
    order.cancellable_until = cancellable_until(state, order.status, stored.created_at);
    order.returnable_until = returnable_until(state, &order).map(rfc3339);
    order
}

/// Until when the shopper may cancel: while the order is not shipped, within the window.
fn cancellable_until(state: &AppState, status: OrderStatus, created_at: i64) -> Option<String> {
    let until = created_at + state.config.cancel_window_seconds as i64;
    (matches!(status, OrderStatus::Placed | OrderStatus::Paid) && now() < until).then(|| rfc3339(until))
}

/// Units per variant, in variant id order (the order in which stock rows are locked).
pub fn units_by_variant(order: &Order) -> BTreeMap<String, u32> {
    let mut units = BTreeMap::new();
    for line in &order.lines {
        *units.entry(line.variant_id.clone()).or_default() += line.quantity;
    }
    units
}
