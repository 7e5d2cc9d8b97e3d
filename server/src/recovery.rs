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
//!
//! Two processes recovering at once are safe: every step is conditional on the state it
//! changes (`WHERE status = 'placed'`, `WHERE status_code IS NULL`), in one transaction.

use std::time::Duration;

use shoppable_protocol::OrderStatus;
use sqlx::Row;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::orders::{CHALLENGE_EXPIRED, release_unpaid, settle_paid};
use crate::storage::orders as order_store;
use crate::storage::{idempotency, now};

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub paid: usize,
    pub released: usize,
    pub keys_released: usize,
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

/// One pass over orders left `placed` and keys left in flight.
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
    if done.released > 0 {
        state.cache.invalidate();
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
    let mut order = stored.order;
    let provider = state
        .provider(&order.payment.provider)
        .ok_or_else(|| AppError::internal(format!("order {id}: unknown payment provider {}", order.payment.provider)))?;
    match provider.find_charge(id).await.map_err(AppError::from)? {
        Some(charge) => {
            let key = {
                let mut conn = state.db.pool.acquire().await?;
                idempotency::in_flight_for_order(&mut conn, id).await?
            };
            let key = key.as_ref().and_then(|k| Some((k.key.as_str(), k.order_secret.as_deref()?)));
            let settled = settle_paid(state, &mut order, &charge, key, stored.created_at).await?;
            if settled.is_some() {
                tracing::warn!(order = %id, "recovery: the order was charged; now paid");
            }
            Ok(settled.map(|_| true))
        }
        None => {
            if !release_unpaid(state, &order, CHALLENGE_EXPIRED).await? {
                return Ok(None);
            }
            tracing::warn!(order = %id, "recovery: the order was never charged; stock released");
            Ok(Some(false))
        }
    }
}
