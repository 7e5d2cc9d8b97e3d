//! Orders, stored as their protocol JSON plus the columns that queries and checks need.

use shoppable_protocol::{Order, OrderStatus};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::Db;
use super::catalog::to_json;
use crate::error::{AppError, AppResult};

/// An order as stored: the document and what is never shown to the shopper.
pub struct StoredOrder {
    pub order: Order,
    pub secret_hash: String,
    pub payment_reference: Option<String>,
    pub created_at: i64,
    /// Raised by every save: a save names the version it changed, so that of two concurrent
    /// changes of one order the second fails instead of erasing the first.
    pub version: i64,
}

fn from_row(row: &AnyRow) -> AppResult<StoredOrder> {
    let document: String = row.try_get("document")?;
    Ok(StoredOrder {
        order: serde_json::from_str(&document).map_err(AppError::internal)?,
        secret_hash: row.try_get("secret_hash")?,
        payment_reference: row.try_get("payment_reference")?,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
    })
}

/// Records a new order; false (and nothing written) when its number is already given.
pub async fn insert(conn: &mut AnyConnection, order: &Order, secret_hash: &str, created_at: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO orders (id, number, secret_hash, status, document, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (number) DO NOTHING",
    )
    .bind(&order.id)
    .bind(&order.number)
    .bind(secret_hash)
    .bind(order.status.as_str())
    .bind(to_json(order))
    .bind(created_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn load(db: &Db, id: &str) -> AppResult<Option<StoredOrder>> {
    let row = sqlx::query("SELECT document, secret_hash, payment_reference, created_at, version FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The order, read inside a write transaction for a change: on PostgreSQL its row stays
/// locked (`FOR UPDATE`) until the transaction ends; SQLite has a single writer anyway.
pub async fn load_for_change(db: &Db, conn: &mut AnyConnection, id: &str) -> AppResult<Option<StoredOrder>> {
    let lock = if db.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT document, secret_hash, payment_reference, created_at, version FROM orders WHERE id = $1{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Saves `order` if the stored one still has status `from`; false when another request
/// moved it first.
pub async fn update(conn: &mut AnyConnection, order: &Order, from: OrderStatus, payment_reference: Option<&str>) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE orders SET status = $1, document = $2, payment_reference = COALESCE($3, payment_reference), version = version + 1 \
         WHERE id = $4 AND status = $5",
    )
    .bind(order.status.as_str())
    .bind(to_json(order))
    .bind(payment_reference)
    .bind(&order.id)
    .bind(from.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Saves `order` if the stored one is still at `version`; false when another request
/// changed it first.
pub async fn save(conn: &mut AnyConnection, order: &Order, version: i64) -> AppResult<bool> {
    let done = sqlx::query("UPDATE orders SET status = $1, document = $2, version = version + 1 WHERE id = $3 AND version = $4")
        .bind(order.status.as_str())
        .bind(to_json(order))
        .bind(&order.id)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an order never charged, if it is still `placed`; false when another process
/// settled it first (its stock is then not this caller's to release).
pub async fn delete_placed(conn: &mut AnyConnection, id: &str) -> AppResult<bool> {
    let deleted =
        sqlx::query("DELETE FROM orders WHERE id = $1 AND status = $2").bind(id).bind(OrderStatus::Placed.as_str()).execute(conn).await?;
    Ok(deleted.rows_affected() == 1)
}

/// Newest first, optionally only those with one status.
pub async fn list(db: &Db, status: Option<OrderStatus>, limit: u32) -> AppResult<Vec<Order>> {
    let rows = match status {
        Some(status) => {
            sqlx::query("SELECT document, secret_hash, payment_reference, created_at, version FROM orders WHERE status = $1 ORDER BY created_at DESC, id LIMIT $2")
                .bind(status.as_str())
                .bind(i64::from(limit))
                .fetch_all(&db.pool)
                .await?
        }
        None => {
            sqlx::query("SELECT document, secret_hash, payment_reference, created_at, version FROM orders ORDER BY created_at DESC, id LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(&db.pool)
                .await?
        }
    };
    rows.iter().map(|row| from_row(row).map(|stored| stored.order)).collect()
}
