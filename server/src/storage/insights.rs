//! Insights: widget events counted per day (`insight_days`), and the orders of a date range.

use std::collections::BTreeMap;

use shoppable_protocol::{InsightName, Order, OrderStatus};
use sqlx::Row;

use super::Db;
use crate::error::{AppError, AppResult};

/// One kind of event on one post and product.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventKey {
    pub name: &'static str,
    pub post_id: String,
    pub product_id: String,
}

/// Adds the counts of one batch to `day`, in one write transaction.
pub async fn record(db: &Db, day: &str, counts: &BTreeMap<EventKey, i64>) -> AppResult<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let mut write = db.write_tx().await?;
    for (key, count) in counts {
        sqlx::query(
            "INSERT INTO insight_days (day, event, post_id, product_id, count) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day, event, post_id, product_id) DO UPDATE SET count = insight_days.count + excluded.count",
        )
        .bind(day)
        .bind(key.name)
        .bind(&key.post_id)
        .bind(&key.product_id)
        .bind(*count)
        .execute(&mut *write.tx)
        .await?;
    }
    write.commit().await
}

/// One aggregated row: a day, an event, a post and a product, and its count.
pub struct CountRow {
    pub day: String,
    pub name: InsightName,
    pub post_id: String,
    pub product_id: String,
    pub count: u64,
}

/// The rows of the days `from..=to` (`YYYY-MM-DD`).
pub async fn counts(db: &Db, from: &str, to: &str) -> AppResult<Vec<CountRow>> {
    let rows = sqlx::query("SELECT day, event, post_id, product_id, count FROM insight_days WHERE day >= $1 AND day <= $2")
        .bind(from)
        .bind(to)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let event: String = row.try_get("event")?;
        let Some(name) = InsightName::parse(&event) else { continue };
        out.push(CountRow {
            day: row.try_get("day")?,
            name,
            post_id: row.try_get("post_id")?,
            product_id: row.try_get("product_id")?,
            count: row.try_get::<i64, _>("count")?.max(0) as u64,
        });
    }
    Ok(out)
}

/// Orders created in `[from, until)` (unix seconds) that were paid and not cancelled or
/// refunded, with their creation time.
pub async fn sold_orders(db: &Db, from: i64, until: i64) -> AppResult<Vec<(i64, Order)>> {
    let rows = sqlx::query(
        "SELECT document, created_at FROM orders WHERE created_at >= $1 AND created_at < $2 AND status IN ($3, $4, $5)",
    )
    .bind(from)
    .bind(until)
    .bind(OrderStatus::Paid.as_str())
    .bind(OrderStatus::Shipped.as_str())
    .bind(OrderStatus::Delivered.as_str())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let document: String = row.try_get("document")?;
            Ok((row.try_get("created_at")?, serde_json::from_str(&document).map_err(AppError::internal)?))
        })
        .collect()
}
