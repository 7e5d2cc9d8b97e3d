//! Insights: widget events counted per day (`insight_days`, and per medium of a post of
//! several media in `insight_media_days`), and the report of a date range with its sold orders.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use shoppable_protocol::{
    Currency, InsightCounts, InsightEvent, InsightName, InsightsReport, LineRequest, MediaKind, MediumCounts, Money, Order, OrderStatus,
};
use sqlx::{AnyConnection, Row};
use time::Date;

use super::catalog::load_products;
use super::{Db, day_of, day_start, fetch_in};
use crate::error::{AppError, AppResult};

/// One kind of event on one post and product.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EventKey {
    name: &'static str,
    post_id: String,
    product_id: String,
}

/// One kind of event on one medium of a post.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct MediumKey {
    name: &'static str,
    post_id: String,
    index: i64,
}

/// The kinds of the media of these posts, in each post's order; posts the shop does not have
/// are left out.
async fn media_kinds(db: &Db, post_ids: &[String]) -> AppResult<HashMap<String, Vec<MediaKind>>> {
    let sql = "SELECT post_id, kind FROM post_media WHERE post_id IN ({ids}) ORDER BY post_id, position";
    let mut kinds: HashMap<String, Vec<MediaKind>> = HashMap::new();
    for row in fetch_in(db, sql, post_ids).await? {
        let kind: String = row.try_get("kind")?;
        kinds.entry(row.try_get("post_id")?).or_default().push(MediaKind::parse(&kind).unwrap_or(MediaKind::Photo));
    }
    Ok(kinds)
}

/// Adds a checked batch of events to the counts of `day`, in one write transaction. Events
/// naming a post or product the shop does not have are dropped, so made-up ids never reach the
/// database; a `media_index` beyond the post's media (a page older than the post's last edit)
/// counts for the post only.
pub async fn record(db: &Db, day: &str, events: &[InsightEvent]) -> AppResult<()> {
    let post_ids: BTreeSet<String> = events.iter().filter_map(|e| e.post_id.clone()).collect();
    let posts = media_kinds(db, &post_ids.into_iter().collect::<Vec<_>>()).await?;
    let product_ids: BTreeSet<String> = events.iter().filter_map(|e| e.product_id.clone()).collect();
    let rows = fetch_in(db, "SELECT id FROM products WHERE id IN ({ids})", &product_ids.into_iter().collect::<Vec<_>>()).await?;
    let products: BTreeSet<String> = rows.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?;
    let mut counts: BTreeMap<EventKey, i64> = BTreeMap::new();
    let mut media_counts: BTreeMap<MediumKey, i64> = BTreeMap::new();
    for event in events {
        let product_id = event.product_id.clone().unwrap_or_default();
        let post_id = event.post_id.clone().unwrap_or_default();
        let media = posts.get(&post_id);
        if !products.contains(&product_id) || !(post_id.is_empty() || media.is_some()) {
            continue;
        }
        let name = event.name.as_str();
        if let Some(index) = event.media_index.filter(|&i| media.is_some_and(|m| (i as usize) < m.len())) {
            *media_counts.entry(MediumKey { name, post_id: post_id.clone(), index: i64::from(index) }).or_default() += 1;
        }
        *counts.entry(EventKey { name, post_id, product_id }).or_default() += 1;
    }
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
        .bind(key.post_id)
        .bind(key.product_id)
        .bind(count)
        .execute(&mut *write.tx)
        .await?;
    }
    for (key, count) in media_counts {
        sqlx::query(
            "INSERT INTO insight_media_days (day, event, post_id, media_index, count) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day, event, post_id, media_index) DO UPDATE SET count = insight_media_days.count + excluded.count",
        )
        .bind(day)
        .bind(key.name)
        .bind(key.post_id)
        .bind(key.index)
        .bind(count)
        .execute(&mut *write.tx)
        .await?;
    }
    write.commit().await
}

/// The event counts of `table` (`insight_days` or `insight_media_days`) over the days
/// `from..=to` (`YYYY-MM-DD`), with the named columns besides `event` and `count`.
async fn event_rows(db: &Db, table: &str, columns: &str, from: &str, to: &str) -> AppResult<Vec<(InsightName, u64, sqlx::any::AnyRow)>> {
    let sql = format!("SELECT event, count, {columns} FROM {table} WHERE day >= $1 AND day <= $2");
    let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let event: String = row.try_get("event")?;
        let Some(name) = InsightName::parse(&event) else { continue };
        let count = row.try_get::<i64, _>("count")?.max(0) as u64;
        out.push((name, count, row));
    }
    Ok(out)
}

/// Zero counts, sales included: the reference server records them for days, posts and products.
fn zero(key: String, currency: Currency) -> InsightCounts {
    let revenue = Some(Money::zero(currency));
    let media = Vec::new();
    InsightCounts { key, title: None, tag_views: 0, tag_opens: 0, adds_to_bag: 0, checkouts: 0, orders: Some(0), revenue, media }
}

fn add(counts: &mut InsightCounts, name: InsightName, count: u64) {
    *name.counter([&mut counts.tag_views, &mut counts.tag_opens, &mut counts.adds_to_bag, &mut counts.checkouts]) += count;
}

/// Adds a sold line to a product's or a post's counts; `new_order` when it is the first line
/// of its order there.
fn add_sale(counts: &mut InsightCounts, new_order: bool, total: Money) {
    if new_order {
        counts.orders = Some(counts.orders.unwrap_or(0) + 1);
    }
    // Saturating: sums of large orders show the largest amount rather than wrap negative.
    let revenue = counts.revenue.get_or_insert(Money::zero(total.currency));
    revenue.amount = revenue.amount.saturating_add(total.amount);
}

/// The report of the days `from..=to` (PROTOCOL.md, `GET /v1/admin/insights`).
pub async fn report(db: &Db, currency: Currency, from: Date, to: Date) -> AppResult<InsightsReport> {
    let (from_text, to_text) = (day_of(day_start(from)), day_of(day_start(to)));
    let mut days: BTreeMap<String, InsightCounts> = BTreeMap::new();
    let mut day = from;
    while day <= to {
        let key = day_of(day_start(day));
        days.insert(key.clone(), zero(key, currency));
        day = day.next_day().unwrap_or(Date::MAX);
        if day == Date::MAX {
            break;
        }
    }
    let mut posts: BTreeMap<String, InsightCounts> = BTreeMap::new();
    let mut products: BTreeMap<String, InsightCounts> = BTreeMap::new();
    for (name, count, row) in event_rows(db, "insight_days", "day, post_id, product_id", &from_text, &to_text).await? {
        let (day, post_id, product_id): (String, String, String) =
            (row.try_get("day")?, row.try_get("post_id")?, row.try_get("product_id")?);
        if let Some(day) = days.get_mut(&day) {
            add(day, name, count);
        }
        if !post_id.is_empty() {
            add(posts.entry(post_id.clone()).or_insert_with(|| zero(post_id, currency)), name, count);
        }
        add(products.entry(product_id.clone()).or_insert_with(|| zero(product_id, currency)), name, count);
    }
    let mut line_titles: HashMap<String, String> = HashMap::new();
    for sold in sold_orders(db, day_start(from), day_start(to) + 86_400).await? {
        let order = &sold.order;
        // Revenue is what the items sold for, as in the rows of posts and products: shipping
        // is not the shop's sale.
        if let Some(day) = days.get_mut(&day_of(sold.created_at)) {
            add_sale(day, true, order.subtotal);
        }
        // An order counts once per product and per post, whatever its number of lines.
        let (mut seen_products, mut seen_posts) = (BTreeSet::new(), BTreeSet::new());
        for (i, line) in order.lines.iter().enumerate() {
            let product = products.entry(line.product_id.clone()).or_insert_with(|| zero(line.product_id.clone(), currency));
            add_sale(product, seen_products.insert(&line.product_id), line.total);
            line_titles.entry(line.product_id.clone()).or_insert_with(|| line.title.clone());
            if let Some(post_id) = sold.line_posts.get(&i) {
                let post = posts.entry(post_id.clone()).or_insert_with(|| zero(post_id.clone(), currency));
                add_sale(post, seen_posts.insert(post_id), line.total);
            }
        }
    }
    add_media(db, &mut posts, &from_text, &to_text).await?;

    let ids: Vec<String> = products.keys().cloned().collect();
    let catalog = load_products(db, &ids).await?;
    let mut products: Vec<InsightCounts> = products
        .into_values()
        .map(|mut row| {
            row.title = catalog.get(&row.key).map(|p| p.title.clone()).or_else(|| line_titles.get(&row.key).cloned());
            row
        })
        .collect();
    products.sort_by(|a, b| {
        let revenue = |c: &InsightCounts| c.revenue.map_or(0, |m| m.amount);
        revenue(b).cmp(&revenue(a)).then(b.tag_opens.cmp(&a.tag_opens)).then(a.key.cmp(&b.key))
    });
    let mut posts: Vec<InsightCounts> = posts.into_values().collect();
    posts.sort_by(|a, b| b.tag_views.cmp(&a.tag_views).then(a.key.cmp(&b.key)));
    Ok(InsightsReport { from: from_text, to: to_text, days: days.into_values().collect(), posts, products })
}

/// Gives each post of several media (as it is now) one row per medium, with the events of the
/// range that named it. Counts of a medium the post no longer has are left out.
async fn add_media(db: &Db, posts: &mut BTreeMap<String, InsightCounts>, from: &str, to: &str) -> AppResult<()> {
    let kinds = media_kinds(db, &posts.keys().cloned().collect::<Vec<_>>()).await?;
    for (post_id, kinds) in kinds.into_iter().filter(|(_, kinds)| kinds.len() > 1) {
        if let Some(post) = posts.get_mut(&post_id) {
            post.media = (0..)
                .zip(kinds)
                .map(|(index, kind)| MediumCounts { index, kind, tag_views: 0, tag_opens: 0, adds_to_bag: 0, checkouts: 0 })
                .collect();
        }
    }
    for (name, count, row) in event_rows(db, "insight_media_days", "post_id, media_index", from, to).await? {
        let (post_id, index): (String, i64) = (row.try_get("post_id")?, row.try_get("media_index")?);
        let medium = posts.get_mut(&post_id).and_then(|post| post.media.get_mut(usize::try_from(index).ok()?));
        if let Some(m) = medium {
            *name.counter([&mut m.tag_views, &mut m.tag_opens, &mut m.adds_to_bag, &mut m.checkouts]) += count;
        }
    }
    Ok(())
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
