//! `Idempotency-Key` records: the key, a hash of the request body, the first response, and
//! while the request is in flight the order it created (with its secret), so that crash
//! recovery can finish it.

use sqlx::{AnyConnection, Row};

use super::{Db, now};
use crate::error::AppResult;

pub enum Claim {
    /// First use of the key: the caller processes the request.
    New,
    /// Same key, same body, already answered: send this again.
    Replay { status: u16, body: String },
    /// Same key, another body.
    Mismatch,
    /// Same key, same body, the first request is still being processed.
    InFlight,
    /// Same key, same body: its order is held while the card's bank challenge runs.
    Held(Held),
}

/// A key whose order waits for the card's bank challenge (3-D Secure).
pub struct Held {
    pub order_id: String,
    pub order_secret: String,
    /// The `202 requires_action` answer, replayed while the challenge is not finished.
    pub answer: String,
    /// Unix seconds: past it, the order is released.
    pub until: i64,
}

/// What the key says so far, without claiming it: [`Claim::New`] when it is unknown.
pub async fn lookup(db: &Db, key: &str, body_hash: &str) -> AppResult<Claim> {
    let row = sqlx::query(
        "SELECT body_hash, status_code, response, order_id, order_secret, authentication, held_until FROM idempotency_keys WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(Claim::New);
    };
    let stored_hash: String = row.try_get("body_hash")?;
    let status: Option<i64> = row.try_get("status_code")?;
    let body: Option<String> = row.try_get("response")?;
    let held = (row.try_get("order_id")?, row.try_get("order_secret")?, row.try_get("authentication")?, row.try_get("held_until")?);
    Ok(match (stored_hash == body_hash, status, body, held) {
        (false, ..) => Claim::Mismatch,
        (true, Some(status), Some(body), _) => Claim::Replay { status: status as u16, body },
        (true, None, _, (Some(order_id), Some(order_secret), Some(answer), Some(until))) => {
            Claim::Held(Held { order_id, order_secret, answer, until })
        }
        _ => Claim::InFlight,
    })
}

/// Claims the key for the order being created, inside the transaction that creates it; false
/// when another request holds the key (the transaction should be rolled back).
pub async fn claim_for_order(conn: &mut AnyConnection, key: &str, body_hash: &str, order_id: &str, secret: &str) -> AppResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, body_hash, created_at, order_id, order_secret) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(body_hash)
    .bind(now())
    .bind(order_id)
    .bind(secret)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Stores a refusal given before any order existed, unless the key is taken meanwhile.
pub async fn store_answer(db: &Db, key: &str, body_hash: &str, status: u16, body: &str) -> AppResult<bool> {
    let mut write = db.write_tx().await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, body_hash, created_at, status_code, response) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(body_hash)
    .bind(now())
    .bind(i64::from(status))
    .bind(body)
    .execute(&mut *write.tx)
    .await?;
    write.commit().await?;
    Ok(inserted.rows_affected() == 1)
}

/// Records the response that replays of this key will get (and forgets the secret, which
/// the response holds), if the key is still in flight.
pub async fn finish(conn: &mut AnyConnection, key: &str, status: u16, body: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET status_code = $1, response = $2, order_secret = NULL WHERE key = $3 AND status_code IS NULL",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Holds a key in flight while its order waits for the card's bank challenge: `answer` (the
/// `202 requires_action`) is replayed until `until` (unix seconds).
pub async fn hold(conn: &mut AnyConnection, key: &str, answer: &str, until: i64) -> AppResult<()> {
    sqlx::query("UPDATE idempotency_keys SET authentication = $1, held_until = $2 WHERE key = $3 AND status_code IS NULL")
        .bind(answer)
        .bind(until)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a key still in flight, so that a retry runs again.
pub async fn release(conn: &mut AnyConnection, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE key = $1 AND status_code IS NULL").bind(key).execute(conn).await?;
    Ok(())
}

/// A key left in flight, as recovery sees it.
pub struct InFlightKey {
    pub key: String,
    pub order_id: Option<String>,
    pub order_secret: Option<String>,
    /// Its order was held for the card's bank challenge.
    pub held: bool,
}

/// Keys in flight since before `before` (unix seconds).
pub async fn in_flight_before(db: &Db, before: i64) -> AppResult<Vec<InFlightKey>> {
    let rows = sqlx::query(
        "SELECT key, order_id, order_secret, authentication FROM idempotency_keys WHERE status_code IS NULL AND created_at < $1 \
         ORDER BY created_at LIMIT 500",
    )
    .bind(before)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(in_flight_key).collect()
}

/// The key in flight that created this order.
pub async fn in_flight_for_order(conn: &mut AnyConnection, order_id: &str) -> AppResult<Option<InFlightKey>> {
    let row =
        sqlx::query("SELECT key, order_id, order_secret, authentication FROM idempotency_keys WHERE order_id = $1 AND status_code IS NULL")
            .bind(order_id)
            .fetch_optional(conn)
            .await?;
    row.as_ref().map(in_flight_key).transpose()
}

fn in_flight_key(row: &sqlx::any::AnyRow) -> AppResult<InFlightKey> {
    Ok(InFlightKey {
        key: row.try_get("key")?,
        order_id: row.try_get("order_id")?,
        order_secret: row.try_get("order_secret")?,
        held: row.try_get::<Option<String>, _>("authentication")?.is_some(),
    })
}
