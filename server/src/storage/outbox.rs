//! The outbox: messages written in the transaction of the change they tell, sent later by a
//! background task per `kind` (`crate::sender`: webhooks, e-mails). See [`Batch`] for how one
//! process takes a row.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyConnection, Row};

use super::{Db, new_id, now};
use crate::error::AppResult;

/// Unix milliseconds.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Creation order across the process: microseconds, then a counter for the same microsecond.
fn next_position() -> i64 {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let micros = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000) as u64;
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = micros.max(last + 1);
        match LAST.compare_exchange(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next as i64,
            Err(seen) => last = seen,
        }
    }
}

/// Adds a message, inside the caller's transaction.
pub async fn add(conn: &mut AnyConnection, kind: &str, payload: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, position, kind, payload, attempts, next_attempt_at, lease_until, created_at) \
         VALUES ($1, $2, $3, $4, 0, 0, 0, $5)",
    )
    .bind(new_id("msg"))
    .bind(next_position())
    .bind(kind)
    .bind(payload)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

pub struct Message {
    pub id: String,
    pub position: i64,
    pub payload: String,
    pub attempts: i64,
}

/// Due messages taken by one sender, oldest first. On PostgreSQL they stay locked
/// (`FOR UPDATE SKIP LOCKED`) in an open transaction until [`Batch::finish`]: other processes
/// skip them, and a process that dies lets them go at once. On SQLite (one process) they are
/// leased for a while instead, so that the single writer is not held while sending.
pub struct Batch {
    pub messages: Vec<Message>,
    tx: Option<super::WriteTx>,
}

fn messages_of(rows: &[sqlx::any::AnyRow]) -> AppResult<Vec<Message>> {
    let mut messages = rows
        .iter()
        .map(|row| {
            Ok(Message {
                id: row.try_get("id")?,
                position: row.try_get("position")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    messages.sort_by_key(|m| m.position);
    Ok(messages)
}

/// Takes up to `limit` due messages of `kind` (on SQLite for `lease_ms`).
pub async fn take_due(db: &Db, kind: &str, limit: i64, lease_ms: i64) -> AppResult<Batch> {
    let now = now_ms();
    let mut write = db.write_tx().await?;
    if db.is_postgres() {
        let rows = sqlx::query(
            "SELECT id, position, payload, attempts FROM outbox \
             WHERE kind = $1 AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
             ORDER BY position LIMIT $3 FOR UPDATE SKIP LOCKED",
        )
        .bind(kind)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *write.tx)
        .await?;
        let messages = messages_of(&rows)?;
        return Ok(Batch { tx: (!messages.is_empty()).then_some(write), messages });
    }
    let rows = sqlx::query(
        "UPDATE outbox SET lease_until = $1 WHERE id IN (SELECT id FROM outbox \
         WHERE kind = $2 AND delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 AND lease_until <= $3 \
         ORDER BY position LIMIT $4) RETURNING id, position, payload, attempts",
    )
    .bind(now + lease_ms)
    .bind(kind)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *write.tx)
    .await?;
    write.commit().await?;
    Ok(Batch { messages: messages_of(&rows)?, tx: None })
}

/// Leases of a process that stopped: on SQLite, where one process sends, none is valid at start.
pub async fn drop_leases(db: &Db, kind: &str) -> AppResult<()> {
    if db.is_postgres() {
        return Ok(());
    }
    let mut write = db.write_tx().await?;
    sqlx::query("UPDATE outbox SET lease_until = 0 WHERE kind = $1 AND delivered_at IS NULL AND lease_until > 0")
        .bind(kind)
        .execute(&mut *write.tx)
        .await?;
    write.commit().await
}

impl Batch {
    /// Records an attempt: delivered (`error` None), or failed and tried again at
    /// `retry_at_ms` (given up when None).
    pub async fn record(&mut self, db: &Db, id: &str, error: Option<&str>, retry_at_ms: Option<i64>) -> AppResult<()> {
        let query = match error {
            None => sqlx::query("UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, lease_until = 0 WHERE id = $2")
                .bind(now())
                .bind(id.to_owned()),
            Some(error) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, lease_until = 0, last_error = $1, next_attempt_at = $2, failed_at = $3 \
                 WHERE id = $4",
            )
            .bind(error.to_owned())
            .bind(retry_at_ms.unwrap_or(0))
            .bind(retry_at_ms.is_none().then(now))
            .bind(id.to_owned()),
        };
        match &mut self.tx {
            Some(write) => {
                query.execute(&mut *write.tx).await?;
                Ok(())
            }
            None => {
                let mut write = db.write_tx().await?;
                query.execute(&mut *write.tx).await?;
                write.commit().await
            }
        }
    }

    /// Commits what was recorded (and lets the rows go).
    pub async fn finish(self) -> AppResult<()> {
        match self.tx {
            Some(write) => write.commit().await,
            None => Ok(()),
        }
    }
}

/// Messages neither delivered nor given up.
pub async fn pending(db: &Db) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL").fetch_one(&db.pool).await?)
}
