//! Insights: widget events counted per day (`insight_days`), and the orders of a date range.

use std::collections::{BTreeMap, HashMap};

use shoppable_protocol::{InsightName, LineRequest, Order, OrderStatus};
use sqlx::{AnyConnection, Row};

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

/// Records the post each line of a new order was added from, when the shop has that post (a
/// made-up id is dropped, as in events).
pub async fn record_line_posts(conn: &mut AnyConnection, order_id: &str, lines: &[LineRequest]) -> AppResult<()> {
    for (line, post_id) in lines.iter().enumerate().filter_map(|(i, l)| Some((i, l.post_id.as_deref()?))) {
        sqlx::query("INSERT INTO order_line_posts (order_id, line, post_id) SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), id FROM posts WHERE id = $3")
            .bind(order_id)
            .bind(line as i64)
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// An order of the range that was paid and not cancelled or refunded.
pub struct SoldOrder {
    pub created_at: i64,
    pub order: Order,
    /// The post each line was added from, by the line's index.
    pub line_posts: HashMap<usize, String>,
}

#[derive(sqlx::FromRow)]
struct LinePost {
    order_id: String,
    line: i64,
    post_id: String,
}

/// The orders created in `[from, until)` (unix seconds) that were sold.
pub async fn sold_orders(db: &Db, from: i64, until: i64) -> AppResult<Vec<SoldOrder>> {
    let sold = "o.created_at >= $1 AND o.created_at < $2 AND o.status IN ($3, $4, $5)";
    let [paid, shipped, delivered] = [OrderStatus::Paid, OrderStatus::Shipped, OrderStatus::Delivered].map(OrderStatus::as_str);
    let sql = format!("SELECT p.order_id, p.line, p.post_id FROM order_line_posts p JOIN orders o ON o.id = p.order_id WHERE {sold}");
    let line_posts: Vec<LinePost> =
        sqlx::query_as(&sql).bind(from).bind(until).bind(paid).bind(shipped).bind(delivered).fetch_all(&db.pool).await?;
    let mut posts_by_order: HashMap<String, HashMap<usize, String>> = HashMap::new();
    for row in line_posts {
        posts_by_order.entry(row.order_id).or_default().insert(row.line as usize, row.post_id);
    }
    let sql = format!("SELECT o.document, o.created_at FROM orders o WHERE {sold}");
    let rows = sqlx::query(&sql).bind(from).bind(until).bind(paid).bind(shipped).bind(delivered).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| {
            let document: String = row.try_get("document")?;
            let order: Order = serde_json::from_str(&document).map_err(AppError::internal)?;
            let line_posts = posts_by_order.remove(&order.id).unwrap_or_default();
            Ok(SoldOrder { created_at: row.try_get("created_at")?, order, line_posts })
        })
        .collect()
}
