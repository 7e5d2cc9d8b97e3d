//! The console's lists: orders by filter and page, posts, products with their stock.

use shoppable_protocol::{Order, OrderList, OrderStatus, Post, Product};
use sqlx::Row;

use super::Db;
use super::catalog::load_products;
use super::posts::load_posts;
use crate::error::{AppError, AppResult};

/// What `GET /v1/admin/orders` may filter on.
#[derive(Debug, Default, Clone)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// Unix seconds, included.
    pub from: Option<i64>,
    /// Unix seconds, excluded.
    pub until: Option<i64>,
    /// An order number (or part of one), or an e-mail address (or its start).
    pub search: Option<String>,
    /// Only orders waiting on the shop ([`Order::awaits_shop`], or a refund to retry).
    pub waiting: bool,
    pub offset: u32,
    pub limit: u32,
}

/// `text` for a `LIKE ... ESCAPE '\'` pattern, its wildcards taken literally.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Newest first, with those of them whose refund failed.
pub async fn search_orders(db: &Db, filter: &OrderFilter) -> AppResult<OrderList> {
    let mut conditions = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    // Text parameters first ($1..), then numbers, so each keeps its own type.
    if let Some(status) = filter.status {
        texts.push(status.as_str().to_owned());
        conditions.push(format!("status = ${}", texts.len()));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if search.contains('@') {
            // The document is the order's JSON: `"email":"camille@example.com"`.
            texts.push(format!("%\"email\":\"{}%", like_literal(&search.to_lowercase())));
            conditions.push(format!("LOWER(document) LIKE ${} ESCAPE '\\'", texts.len()));
        } else {
            texts.push(format!("%{}%", like_literal(&search.to_uppercase())));
            conditions.push(format!("UPPER(number) LIKE ${} ESCAPE '\\'", texts.len()));
        }
    }
    let first_number = texts.len();
    if let Some(from) = filter.from {
        numbers.push(from);
        conditions.push(format!("created_at >= ${}", first_number + numbers.len()));
    }
    if let Some(until) = filter.until {
        numbers.push(until);
        conditions.push(format!("created_at < ${}", first_number + numbers.len()));
    }
    if filter.waiting {
        // Only orders with after-sale activity can wait on the shop: their documents hold
        // returns or messages (empty lists are left out), or a refund failed. Which of them
        // wait is read below.
        conditions.push(
            r#"(document LIKE '%"returns":%' OR document LIKE '%"messages":%' OR id IN (SELECT order_id FROM refunds WHERE state = 'failed'))"#
                .to_owned(),
        );
    }
    let filter_sql = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    // Paged in SQL, except for orders waiting on the shop, which are paged once read.
    let paging = if filter.waiting {
        String::new()
    } else {
        format!("LIMIT ${} OFFSET ${}", first_number + numbers.len() + 1, first_number + numbers.len() + 2)
    };
    let sql = format!("SELECT document FROM orders {filter_sql} ORDER BY created_at DESC, id {paging}");
    let mut query = sqlx::query(&sql);
    for text in &texts {
        query = query.bind(text);
    }
    for number in &numbers {
        query = query.bind(*number);
    }
    if !filter.waiting {
        query = query.bind(i64::from(filter.limit)).bind(i64::from(filter.offset));
    }
    let rows = query.fetch_all(&db.pool).await?;
    // A few at most: a failed refund is retried, or the shop is told until it is.
    let failed: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT order_id FROM refunds WHERE state = 'failed'").fetch_all(&db.pool).await?;
    let orders = rows.iter().map(|row| {
        let document: String = row.try_get("document")?;
        serde_json::from_str::<Order>(&document).map_err(AppError::internal)
    });
    let orders: Vec<Order> = if filter.waiting {
        let waiting = orders.filter(|order| order.as_ref().map_or(true, |o| o.awaits_shop().is_some() || failed.contains(&o.id)));
        waiting.skip(filter.offset as usize).take(filter.limit as usize).collect::<AppResult<_>>()?
    } else {
        orders.collect::<AppResult<_>>()?
    };
    let refund_failed = orders.iter().filter(|o| failed.contains(&o.id)).map(|o| o.id.clone()).collect();
    Ok(OrderList { orders, refund_failed })
}

/// Saved posts, last saved first.
pub async fn list_posts(db: &Db, offset: u32, limit: u32) -> AppResult<Vec<Post>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM posts ORDER BY updated_at DESC, id LIMIT $1 OFFSET $2")
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&db.pool)
        .await?;
    let mut posts = load_posts(db, &ids).await?;
    Ok(ids.iter().filter_map(|id| posts.remove(id)).collect())
}

/// Products by title, with their variants and stock; `search` filters titles.
pub async fn list_products(db: &Db, search: &str, offset: u32, limit: u32) -> AppResult<Vec<Product>> {
    let pattern = format!("%{}%", like_literal(&search.trim().to_lowercase()));
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM products WHERE LOWER(title) LIKE $1 ESCAPE '\\' ORDER BY LOWER(title), id LIMIT $2 OFFSET $3")
            .bind(pattern)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&db.pool)
            .await?;
    let mut products = load_products(db, &ids).await?;
    Ok(ids.iter().filter_map(|id| products.remove(id)).collect())
}

/// Sets a variant's stock (`None`: not tracked); the variant's product id, `None` when there
/// is no such variant.
pub async fn set_stock(db: &Db, variant_id: &str, stock: Option<u32>) -> AppResult<Option<String>> {
    let mut write = db.write_tx().await?;
    let done = sqlx::query("UPDATE variants SET stock = $1 WHERE id = $2")
        .bind(stock.map(i64::from))
        .bind(variant_id)
        .execute(&mut *write.tx)
        .await?;
    let product_id: Option<String> =
        sqlx::query_scalar("SELECT product_id FROM variants WHERE id = $1").bind(variant_id).fetch_optional(&mut *write.tx).await?;
    write.commit().await?;
    Ok(product_id.filter(|_| done.rows_affected() == 1))
}
