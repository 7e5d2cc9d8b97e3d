//! What the shop's console needs beyond the core admin API (`console/`, served at
//! `/console/`): lists of posts and products, one order, stock, insights; and the public,
//! anonymous `POST /v1/events` the widget feeds insights with.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use shoppable_protocol::{
    AdminProductList, Currency, EventBatch, InsightCounts, InsightName, InsightsReport, MAX_EVENTS_PER_BATCH, Money, Order, PostList,
    Product, StockRequest,
};
use time::{Date, Duration, OffsetDateTime};

use crate::error::{AppError, AppResult};
use crate::extract::{Admin, JsonBody, QueryParams, parse_day, parse_json, read_body};
use crate::limits::{ClientIp, Kind};
use crate::storage::catalog::load_products;
use crate::storage::insights::{self, EventKey};
use crate::storage::{console as store, day_of, day_start, fetch_in, now};
use crate::{AppState, orders};

/// A batch of 50 events with long ids fits; more is not a batch from the widget.
pub const EVENTS_BODY_LIMIT: usize = 16 * 1024;
/// The longest insights range, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The admin routes, merged into `/v1` (`POST /v1/events` is routed with the other public
/// writes, under their abuse limits).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/posts", get(list_posts))
        .route("/admin/products", get(list_products))
        .route("/admin/variants/{id}/stock", put(set_stock))
        .route("/admin/orders/{id}", get(show_order))
        .route("/admin/insights", get(insights_report))
}

/// The console's page at `/console/` (`www/console.html`, built in): it loads its script and
/// styles from the site (`--site-dir`: `/pkg/console.js`, `/www/console.css`).
pub fn pages() -> Router<AppState> {
    async fn page() -> axum::response::Response {
        use axum::response::IntoResponse;
        static POLICY: LazyLock<String> = LazyLock::new(|| console_policy(CONSOLE_PAGE));
        let headers = [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, POLICY.as_str()),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "same-origin"),
        ];
        (headers, CONSOLE_PAGE).into_response()
    }
    Router::new().route("/console/", get(page)).route("/console", get(|| async { axum::response::Redirect::permanent("/console/") }))
}

const CONSOLE_PAGE: &str = include_str!("../../../www/console.html");

/// The console's Content-Security-Policy: no page may frame it (the shop's admin, where a
/// click moves money), and only its own code runs: its inline loader, allowed by its hash, and
/// the wasm module that loader starts from this origin. Product photos come from anywhere.
fn console_policy(page: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let loader =
        page.split_once("<script type=\"module\">").and_then(|(_, rest)| rest.split_once("</script>")).map_or("", |(script, _)| script);
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(loader.as_bytes()));
    format!(
        "default-src 'self'; script-src 'self' 'sha256-{hash}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' https: http: data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[derive(Deserialize)]
pub struct PageQuery {
    q: Option<String>,
    offset: Option<u32>,
    limit: Option<u32>,
}

fn page(offset: Option<u32>, limit: Option<u32>, default: u32) -> AppResult<(u32, u32)> {
    let limit = limit.unwrap_or(default);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("limit", "limit must be 1 to 500"));
    }
    Ok((offset.unwrap_or(0), limit))
}

/// `GET /v1/admin/posts?offset=0&limit=50`: last saved first.
pub async fn list_posts(_: Admin, State(state): State<AppState>, QueryParams(query): QueryParams<PageQuery>) -> AppResult<Json<PostList>> {
    let (offset, limit) = page(query.offset, query.limit, 50)?;
    Ok(Json(PostList { posts: store::list_posts(&state.db, offset, limit).await? }))
}

/// `GET /v1/admin/products?q=lamp&offset=0&limit=50`: by title, with the stock of each variant.
pub async fn list_products(
    _: Admin,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<PageQuery>,
) -> AppResult<Json<AdminProductList>> {
    let (offset, limit) = page(query.offset, query.limit, 50)?;
    let search = query.q.unwrap_or_default();
    if search.len() > 200 {
        return Err(AppError::invalid("q", "the search text is longer than 200 characters"));
    }
    Ok(Json(AdminProductList { products: store::list_products(&state.db, &search, offset, limit).await? }))
}

/// `PUT /v1/admin/variants/{id}/stock` with `{"stock": 12}` (or `null`: not tracked): the product.
pub async fn set_stock(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<StockRequest>,
) -> AppResult<Json<Product>> {
    if request.is_too_large() {
        return Err(AppError::invalid("stock", format!("the stock is at most {}", StockRequest::MAX)));
    }
    let product_id = store::set_stock(&state.db, &id, request.stock).await?.ok_or_else(|| AppError::not_found("variant"))?;
    // Public reads show the new stock at once, as after every write of this process.
    state.cache.invalidate();
    let mut products = load_products(&state.db, std::slice::from_ref(&product_id)).await?;
    products.remove(&product_id).map(Json).ok_or_else(|| AppError::not_found("product"))
}

/// `GET /v1/admin/orders/{id}`: the order, without its secret.
pub async fn show_order(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Order>> {
    let stored = orders::load(&state, &id).await?;
    Ok(Json(orders::present(&state, &stored)))
}

/// `POST /v1/events` with an [`EventBatch`] as JSON (also sent as `text/plain`, which is what
/// `navigator.sendBeacon` sends a string as): `204`. Events naming a post or product the shop
/// does not know are dropped, so made-up ids never reach the database. Each event counts
/// against the client's share of the events budget (`crate::limits`): a flood from one
/// address is refused (`429`) long before the others' events are.
pub async fn record_events(State(state): State<AppState>, client: ClientIp, request: Request) -> AppResult<StatusCode> {
    let body = read_body(request, EVENTS_BODY_LIMIT).await?;
    let batch: EventBatch = parse_json(&body)?;
    if batch.events.is_empty() || batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::invalid("events", format!("a batch has 1 to {MAX_EVENTS_PER_BATCH} events")));
    }
    for (i, event) in batch.events.iter().enumerate() {
        if let Some(field) = event.problem() {
            let message = "an event names its product (a catalog id), and a post by a post id if any";
            return Err(AppError::invalid(format!("events[{i}].{field}"), message));
        }
    }
    state.limits.admit(Kind::Events, client, batch.events.len() as u32)?;
    let known = |table: &'static str, ids: BTreeSet<String>| {
        let db = state.db.clone();
        async move {
            let ids: Vec<String> = ids.into_iter().collect();
            let rows = fetch_in(&db, &format!("SELECT id FROM {table} WHERE id IN ({{ids}})"), &ids).await?;
            let found: Result<BTreeSet<String>, sqlx::Error> = rows.iter().map(|row| sqlx::Row::try_get(row, "id")).collect();
            Ok::<_, AppError>(found?)
        }
    };
    let posts = known("posts", batch.events.iter().filter_map(|e| e.post_id.clone()).collect()).await?;
    let products = known("products", batch.events.iter().filter_map(|e| e.product_id.clone()).collect()).await?;
    let mut counts: BTreeMap<EventKey, i64> = BTreeMap::new();
    for event in &batch.events {
        let product_id = event.product_id.clone().unwrap_or_default();
        let post_id = event.post_id.clone().unwrap_or_default();
        if !products.contains(&product_id) || !(post_id.is_empty() || posts.contains(&post_id)) {
            continue;
        }
        *counts.entry(EventKey { name: event.name.as_str(), post_id, product_id }).or_default() += 1;
    }
    insights::record(&state.db, &day_of(now()), &counts).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// Zero counts, sales included: the reference server records them for days, posts and products.
fn counts(key: String, currency: Currency) -> InsightCounts {
    let revenue = Some(Money::zero(currency));
    InsightCounts { key, title: None, tag_views: 0, tag_opens: 0, adds_to_bag: 0, checkouts: 0, orders: Some(0), revenue }
}

fn add(counts: &mut InsightCounts, name: InsightName, count: u64) {
    match name {
        InsightName::TagView => counts.tag_views += count,
        InsightName::TagOpen => counts.tag_opens += count,
        InsightName::AddToBag => counts.adds_to_bag += count,
        InsightName::CheckoutStart => counts.checkouts += count,
    }
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

/// `GET /v1/admin/insights?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, both included; the last
/// 30 days by default).
pub async fn insights_report(
    _: Admin,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<RangeQuery>,
) -> AppResult<Json<InsightsReport>> {
    let today = OffsetDateTime::from_unix_timestamp(now()).map_err(AppError::internal)?.date();
    let to = match query.to.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => parse_day("to", text)?,
        None => today,
    };
    let from = match query.from.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => parse_day("from", text)?,
        None => to - Duration::days(29),
    };
    if from > to {
        return Err(AppError::invalid("from", "`from` is after `to`"));
    }
    if (to - from).whole_days() >= MAX_RANGE_DAYS {
        return Err(AppError::invalid("from", format!("a range has at most {MAX_RANGE_DAYS} days")));
    }
    let (from_text, to_text) = (day_of(day_start(from)), day_of(day_start(to)));
    let currency = state.config.currency;
    let mut days: BTreeMap<String, InsightCounts> = BTreeMap::new();
    let mut day = from;
    while day <= to {
        let key = day_of(day_start(day));
        days.insert(key.clone(), counts(key, currency));
        day = day.next_day().unwrap_or(Date::MAX);
        if day == Date::MAX {
            break;
        }
    }
    let mut posts: BTreeMap<String, InsightCounts> = BTreeMap::new();
    let mut products: BTreeMap<String, InsightCounts> = BTreeMap::new();
    for row in insights::counts(&state.db, &from_text, &to_text).await? {
        if let Some(day) = days.get_mut(&row.day) {
            add(day, row.name, row.count);
        }
        if !row.post_id.is_empty() {
            add(posts.entry(row.post_id.clone()).or_insert_with(|| counts(row.post_id.clone(), currency)), row.name, row.count);
        }
        add(products.entry(row.product_id.clone()).or_insert_with(|| counts(row.product_id.clone(), currency)), row.name, row.count);
    }
    let mut line_titles: HashMap<String, String> = HashMap::new();
    for sold in insights::sold_orders(&state.db, day_start(from), day_start(to) + 86_400).await? {
        let order = &sold.order;
        // Revenue is what the items sold for, as in the rows of posts and products: shipping
        // is not the shop's sale.
        if let Some(day) = days.get_mut(&day_of(sold.created_at)) {
            add_sale(day, true, order.subtotal);
        }
        // An order counts once per product and per post, whatever its number of lines.
        let (mut seen_products, mut seen_posts) = (BTreeSet::new(), BTreeSet::new());
        for (i, line) in order.lines.iter().enumerate() {
            let product = products.entry(line.product_id.clone()).or_insert_with(|| counts(line.product_id.clone(), currency));
            add_sale(product, seen_products.insert(&line.product_id), line.total);
            line_titles.entry(line.product_id.clone()).or_insert_with(|| line.title.clone());
            if let Some(post_id) = sold.line_posts.get(&i) {
                let post = posts.entry(post_id.clone()).or_insert_with(|| counts(post_id.clone(), currency));
                add_sale(post, seen_posts.insert(post_id), line.total);
            }
        }
    }
    let ids: Vec<String> = products.keys().cloned().collect();
    let catalog = load_products(&state.db, &ids).await?;
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
    Ok(Json(InsightsReport { from: from_text, to: to_text, days: days.into_values().collect(), posts, products }))
}
