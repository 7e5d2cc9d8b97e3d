//! The database: one code path for SQLite (default, a file in WAL mode) and PostgreSQL,
//! through sqlx's `Any` driver, with the migrations of `server/migrations/`.

pub mod catalog;
pub mod console;
pub mod idempotency;
pub mod insights;
pub mod orders;
pub mod outbox;
pub mod posts;
pub mod refunds;

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::AppResult;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// SQLite has one writer: write transactions queue here instead of failing with
    /// SQLITE_BUSY. PostgreSQL has row locks and needs none.
    write_lock: Option<Arc<Mutex<()>>>,
}

/// A write transaction; on SQLite it also holds the writer's turn until dropped.
pub struct WriteTx {
    pub tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> AppResult<()> {
        Ok(self.tx.commit().await?)
    }
}

impl Db {
    pub async fn connect(url: &str) -> AppResult<Db> {
        sqlx::any::install_default_drivers();
        let options: AnyConnectOptions = url.parse()?;
        let is_sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle in this process: it never goes stale, and a
            // ping per acquisition would cost a round trip to its worker thread each time.
            .test_before_acquire(!is_sqlite)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                      PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let write_lock = is_sqlite.then(|| Arc::new(Mutex::new(())));
        Ok(Db { pool, write_lock })
    }

    /// PostgreSQL (row locks, `SKIP LOCKED`), as opposed to SQLite (one writer).
    pub fn is_postgres(&self) -> bool {
        self.write_lock.is_none()
    }

    pub async fn write_tx(&self) -> AppResult<WriteTx> {
        let turn = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        // A transaction dropped on an early return is rolled back by its connection's worker
        // after the turn is released; `BEGIN IMMEDIATE` waits (busy_timeout) for that rollback
        // instead of failing with SQLITE_BUSY when the next writer's first write comes.
        let tx = match turn {
            Some(_) => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            None => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }
}

/// `$1, $2, ... $n`, for `IN (...)` lists.
fn placeholders(count: usize) -> String {
    (1..=count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The rows of `sql` where `{ids}` stands for the list `ids`, e.g.
/// `SELECT ... FROM posts WHERE id IN ({ids})`. An empty list gives no rows.
pub async fn fetch_in(db: &Db, sql: &str, ids: &[String]) -> AppResult<Vec<AnyRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{ids}", &placeholders(ids.len()));
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// RFC 3339 UTC text of a unix time, as the protocol writes times.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Now as RFC 3339 UTC with milliseconds, for times compared with one another (an order's
/// `updated_at`): changes within one second stay in order.
pub fn now_rfc3339_ms() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    time::OffsetDateTime::now_utc().format(&format).unwrap_or_default()
}

/// The unix time of an RFC 3339 text; None when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// A random id with a readable prefix, e.g. `ord_3f9a...`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(12))
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    hex::encode(buf)
}

/// SQLite and PostgreSQL both store booleans here as BIGINT 0/1.
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// `YYYY-MM-DD` of a unix time, UTC: the day insights are counted on.
pub fn day_of(unix: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(unix).map(|t| t.date()).unwrap_or(time::Date::MIN);
    date.format(time::macros::format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// Unix time of a day's first second, UTC.
pub fn day_start(date: time::Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}
