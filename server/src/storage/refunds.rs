//! Refund intents (`refunds`): one row per refund key, written before the provider is asked and
//! marked `done` in the transaction that shows the refund on the order.

use shoppable_protocol::{Money, OpenRefund, OrderStatus, RefundState};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{Db, now};
use crate::error::{AppError, AppResult};

/// A refund decided and not yet confirmed, with what it refunds.
#[derive(Debug, Clone)]
pub struct Intent {
    pub order_id: String,
    pub provider: String,
    pub charge_reference: String,
    pub open: OpenRefund,
}

const COLUMNS: &str =
    "refund_key, order_id, provider, charge_reference, amount, currency, order_status, return_id, state, attempts, last_error";

fn from_row(row: &AnyRow) -> AppResult<Intent> {
    let currency: String = row.try_get("currency")?;
    let state: String = row.try_get("state")?;
    let order_status: Option<String> = row.try_get("order_status")?;
    Ok(Intent {
        order_id: row.try_get("order_id")?,
        provider: row.try_get("provider")?,
        charge_reference: row.try_get("charge_reference")?,
        open: OpenRefund {
            refund_key: row.try_get("refund_key")?,
            order_status: order_status.as_deref().and_then(OrderStatus::parse),
            return_id: row.try_get("return_id")?,
            amount: Money::new(row.try_get("amount")?, currency.parse().map_err(AppError::internal)?),
            state: if state == "failed" { RefundState::Failed } else { RefundState::Pending },
            attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            last_error: row.try_get("last_error")?,
        },
    })
}

/// Records a new pending intent (in the transaction that decides it).
pub async fn insert(conn: &mut AnyConnection, intent: &Intent) -> AppResult<()> {
    let refund = &intent.open;
    sqlx::query(
        "INSERT INTO refunds (refund_key, order_id, provider, charge_reference, amount, currency, order_status, return_id, state, \
         attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9)",
    )
    .bind(&refund.refund_key)
    .bind(&intent.order_id)
    .bind(&intent.provider)
    .bind(&intent.charge_reference)
    .bind(refund.amount.amount)
    .bind(refund.amount.currency.as_str())
    .bind(refund.order_status.map(|s| s.as_str()))
    .bind(&refund.return_id)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The order's intents not confirmed yet (pending or failed), oldest first.
pub async fn open_for_order(conn: &mut AnyConnection, order_id: &str) -> AppResult<Vec<Intent>> {
    let sql = format!("SELECT {COLUMNS} FROM refunds WHERE order_id = $1 AND state <> 'done' ORDER BY created_at, refund_key");
    sqlx::query(&sql).bind(order_id).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Takes an intent for an attempt: counted, back to pending, and stamped now so that recovery
/// leaves it to this attempt for a while. False when it is done already, or (with
/// `left_before`, for recovery) when another attempt took it since `left_before`.
pub async fn start_attempt(db: &Db, key: &str, left_before: Option<i64>) -> AppResult<bool> {
    let mut write = db.write_tx().await?;
    let sql = "UPDATE refunds SET state = 'pending', attempts = attempts + 1, updated_at = $1 WHERE refund_key = $2 AND state <> 'done' \
               AND updated_at < $3";
    // Any attempt but recovery's takes the intent whatever its age.
    let before = left_before.unwrap_or(i64::MAX);
    let done = sqlx::query(sql).bind(now()).bind(key).bind(before).execute(&mut *write.tx).await?;
    write.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the intent confirmed by the provider; false when it was already.
pub async fn mark_done(conn: &mut AnyConnection, key: &str) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE refunds SET state = 'done', last_error = NULL, updated_at = $1 WHERE refund_key = $2 AND state <> 'done'")
            .bind(now())
            .bind(key)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the intent failed, with why, unless it was confirmed meanwhile.
pub async fn mark_failed(db: &Db, key: &str, error: &str) -> AppResult<()> {
    let mut write = db.write_tx().await?;
    sqlx::query("UPDATE refunds SET state = 'failed', last_error = $1, updated_at = $2 WHERE refund_key = $3 AND state = 'pending'")
        .bind(error)
        .bind(now())
        .bind(key)
        .execute(&mut *write.tx)
        .await?;
    write.commit().await
}

/// Intents left pending since before `before` (unix seconds): their attempt stopped halfway.
pub async fn left_pending(db: &Db, before: i64) -> AppResult<Vec<Intent>> {
    let sql = format!("SELECT {COLUMNS} FROM refunds WHERE state = 'pending' AND updated_at < $1 ORDER BY updated_at LIMIT 500");
    sqlx::query(&sql).bind(before).fetch_all(&db.pool).await?.iter().map(from_row).collect()
}

/// How many intents wait for the shop (failed).
pub async fn failed_count(db: &Db) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE state = 'failed'").fetch_one(&db.pool).await?)
}
