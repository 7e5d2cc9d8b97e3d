//! Crash recovery: what a process that stopped in the middle of an order left behind, settled
//! at start and then periodically (`--recovery-interval-seconds`). Only what has been left
//! for `--recovery-after-seconds` is touched, so requests still running (here or in another
//! instance) are left alone.
//!
//! - An order left `placed` is settled with its payment provider: charged, it becomes `paid`
//!   (webhooks queued) and the answer is stored with its key, so a retry gets it; not charged,
//!   its stock goes back, the order goes, and its key is released so a retry runs again.
//! - An order held for the card's bank challenge (3-D Secure) is left alone until its hold
//!   ends; then the provider cancels the payment (or says it was confirmed), and the order is
//!   paid or released, its key answered either way (`authentication_failed` when released).
//! - A key left in flight without such an order is released (its order is already settled,
//!   or it never got one).
//! - A refund left `pending` (decided, the provider maybe asked, its confirmation not recorded)
//!   is asked of the provider again with the same refund key, which refunds once however often
//!   it is asked; confirmed, the order or return shows it; refused, it is `failed`, which the
//!   console shows for the shop to retry. Failed ones are counted in the log at every pass.
//!
//! Two processes recovering at once are safe: every step is conditional on the state it
//! changes (`WHERE status = 'placed'`, `WHERE status_code IS NULL`), in one transaction.

use std::time::Duration;

use shoppable_protocol::OrderStatus;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::orders::{CHALLENGE_EXPIRED, carry_out, release_unpaid_in, settle_paid_in};
use crate::payments::Charge;
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{idempotency, now, refunds};

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub paid: usize,
    pub released: usize,
    pub keys_released: usize,
    pub refunds_done: usize,
    pub refunds_failed: usize,
}

/// Runs [`recover`] now, then every `interval`, in the background.
pub fn start(state: AppState) {
    let interval = Duration::from_secs(state.config.recovery_interval_seconds.max(1));
    tokio::spawn(async move {
        loop {
            match recover(&state).await {
                Ok(done) if done != Recovered::default() => {
                    tracing::warn!(?done, "crash recovery settled what was left")
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "crash recovery failed; tried again later"),
            }
            tokio::time::sleep(interval).await;
        }
    });
}

/// One pass over orders left `placed`, keys left in flight and refunds left pending.
pub async fn recover(state: &AppState) -> AppResult<Recovered> {
    let before = now() - state.config.recovery_after_seconds as i64;
    let mut done = Recovered::default();
    // Orders held for a challenge wait until their hold ends.
    let ids: Vec<String> = sqlx::query(
        "SELECT id FROM orders WHERE status = $1 AND created_at < $2 AND id NOT IN \
         (SELECT order_id FROM idempotency_keys WHERE status_code IS NULL AND held_until >= $3 AND order_id IS NOT NULL) \
         ORDER BY created_at LIMIT 500",
    )
    .bind(OrderStatus::Placed.as_str())
    .bind(before)
    .bind(now())
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    for id in ids {
        match settle(state, &id).await {
            Ok(Some(true)) => done.paid += 1,
            Ok(Some(false)) => done.released += 1,
            Ok(None) => {}
            Err(error) => {
                tracing::error!(order = %id, %error, "cannot settle an order left placed")
            }
        }
    }
    for key in idempotency::in_flight_before(&state.db, before).await? {
        let mut write = state.db.write_tx().await?;
        // Its order, if it still exists and is settled, has had its answer stored by
        // `settle`; a key still in flight here has no order left to finish.
        let placed = match &key.order_id {
            Some(id) => sqlx::query("SELECT id FROM orders WHERE id = $1 AND status = $2")
                .bind(id)
                .bind(OrderStatus::Placed.as_str())
                .fetch_optional(&mut *write.tx)
                .await?
                .is_some(),
            None => false,
        };
        if !placed {
            idempotency::release(&mut write.tx, &key.key).await?;
            write.commit().await?;
            done.keys_released += 1;
        }
    }
    for intent in refunds::left_pending(&state.db, before).await? {
        match carry_out(state, &intent, Some(before)).await {
            Ok(true) => done.refunds_done += 1,
            Ok(false) => {}
            Err(_) => done.refunds_failed += 1, // logged, and shown in the console
        }
    }
    let failed = refunds::failed_count(&state.db).await?;
    if failed > 0 {
        tracing::warn!(failed, "refunds refused by the payment provider wait for a retry in the console");
    }
    Ok(done)
}

/// Settles one order left `placed`: Some(true) paid, Some(false) undone, None when another
/// process settled it first.
async fn settle(state: &AppState, id: &str) -> AppResult<Option<bool>> {
    let Some(stored) = order_store::load(&state.db, id).await? else {
        return Ok(None);
    };
    if stored.order.status != OrderStatus::Placed {
        return Ok(None);
    }
    let provider = state
        .provider(&stored.order.payment.provider)
        .ok_or_else(|| AppError::internal(format!("order {id}: unknown payment provider {}", stored.order.payment.provider)))?;
    let charge = provider.find_charge(id).await.map_err(AppError::from)?;
    let mut write = state.db.write_tx().await?;
    // Orders held for a challenge come here once their hold has ended.
    let settled = settle_in(state, &mut write.tx, stored, charge.as_ref(), CHALLENGE_EXPIRED).await?;
    write.commit().await?;
    match settled {
        Some(true) => {
            state.webhooks.wake();
            state.mailer.wake();
            tracing::warn!(order = %id, "recovery: the order was charged; now paid");
        }
        Some(false) => {
            state.cache.invalidate();
            tracing::warn!(order = %id, "recovery: the order was never charged; stock released");
        }
        None => {}
    }
    Ok(settled)
}

/// Settles an order left `placed` as its provider says, in the caller's transaction: paid with
/// `charge` (its key in flight gets the answer), or, never charged, released
/// ([`release_unpaid_in`], `unpaid_reason` for a key held for a challenge). Some(true) paid,
/// Some(false) released, None when it is no longer `placed`.
/// Shared with Stripe's webhook (`payments::stripe_events`); the caller wakes the senders
/// once committed.
pub async fn settle_in(
    state: &AppState,
    conn: &mut AnyConnection,
    stored: StoredOrder,
    charge: Option<&Charge>,
    unpaid_reason: &'static str,
) -> AppResult<Option<bool>> {
    let mut order = stored.order;
    let Some(charge) = charge else {
        return Ok(release_unpaid_in(conn, &order, unpaid_reason).await?.then_some(false));
    };
    let key = idempotency::in_flight_for_order(conn, &order.id).await?;
    let key = key.as_ref().and_then(|k| Some((k.key.as_str(), k.order_secret.as_deref()?)));
    Ok(settle_paid_in(state, conn, &mut order, charge, key, stored.created_at).await?.map(|_| true))
}
