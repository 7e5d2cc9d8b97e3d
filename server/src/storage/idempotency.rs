//! `Idempotency-Key` records: the key, a hash of the request body, and the first response.

use sqlx::Row;

use super::{now, Db};
use crate::error::AppResult;

pub enum Claim {
    /// First use of the key: the caller processes the request, then calls [`finish`].
    New,
    /// Same key, same body, already answered: send this again.
    Replay { status: u16, body: String },
    /// Same key, another body.
    Mismatch,
    /// Same key, same body, the first request is still being processed.
    InFlight,
}

pub async fn claim(db: &Db, key: &str, body_hash: &str) -> AppResult<Claim> {
    let mut write = db.write_tx().await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, body_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(body_hash)
    .bind(now())
    .execute(&mut *write.tx)
    .await?;
    if inserted.rows_affected() == 1 {
        write.commit().await?;
        return Ok(Claim::New);
    }
    let row = sqlx::query("SELECT body_hash, status_code, response FROM idempotency_keys WHERE key = $1")
        .bind(key)
        .fetch_one(&mut *write.tx)
        .await?;
    write.commit().await?;
    let stored_hash: String = row.try_get("body_hash")?;
    let status: Option<i64> = row.try_get("status_code")?;
    let body: Option<String> = row.try_get("response")?;
    Ok(match (stored_hash == body_hash, status, body) {
        (false, _, _) => Claim::Mismatch,
        (true, Some(status), Some(body)) => Claim::Replay { status: status as u16, body },
        _ => Claim::InFlight,
    })
}

/// Records the response that replays of this key will get.
pub async fn finish(db: &Db, key: &str, status: u16, body: &str) -> AppResult<()> {
    let mut write = db.write_tx().await?;
    sqlx::query("UPDATE idempotency_keys SET status_code = $1, response = $2 WHERE key = $3")
        .bind(i64::from(status))
        .bind(body)
        .bind(key)
        .execute(&mut *write.tx)
        .await?;
    write.commit().await
}

/// Forgets a key whose request failed on our side, so that a retry runs again.
pub async fn release(db: &Db, key: &str) -> AppResult<()> {
    let mut write = db.write_tx().await?;
    sqlx::query("DELETE FROM idempotency_keys WHERE key = $1 AND status_code IS NULL").bind(key).execute(&mut *write.tx).await?;
    write.commit().await
}
