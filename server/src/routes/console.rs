//! What the shop's console needs beyond the core admin API (`console/`, served at
//! `/console/`): lists of posts and products, one order, stock, insights; and the public,
//! anonymous `POST /v1/events` the widget feeds insights with.

use std::sync::LazyLock;

use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use shoppable_protocol::post::MAX_MEDIA;
use shoppable_protocol::{AdminProductList, EventBatch, InsightsReport, MAX_EVENTS_PER_BATCH, Order, PostList, Product, StockRequest};
use time::{Duration, OffsetDateTime};

use crate::error::{AppError, AppResult};
use crate::extract::{Admin, JsonBody, QueryParams, parse_day, parse_json, read_body};
use crate::limits::{ClientIp, Kind};
use crate::storage::catalog::load_products;
use crate::storage::insights;
use crate::storage::{console as store, day_of, now};
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
/// `navigator.sendBeacon` sends a string as): `204`, the events counted as
/// `insights::record` says. Each event counts against the client's share of the events budget
/// (`crate::limits`): a flood from one address is refused (`429`) long before the others'
/// events are.
pub async fn record_events(State(state): State<AppState>, client: ClientIp, request: Request) -> AppResult<StatusCode> {
    let body = read_body(request, EVENTS_BODY_LIMIT).await?;
    let batch: EventBatch = parse_json(&body)?;
    if batch.events.is_empty() || batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::invalid("events", format!("a batch has 1 to {MAX_EVENTS_PER_BATCH} events")));
    }
    for (i, event) in batch.events.iter().enumerate() {
        if let Some(field) = event.problem() {
            let message = format!(
                "an event names its product (a catalog id), a post by a post id if any, and a medium of that post by its \
                 index (0 to {}) if any",
                MAX_MEDIA - 1
            );
            return Err(AppError::invalid(format!("events[{i}].{field}"), message));
        }
    }
    state.limits.admit(Kind::Events, client, batch.events.len() as u32)?;
    insights::record(&state.db, &day_of(now()), &batch.events).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
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
    Ok(Json(insights::report(&state.db, state.config.currency, from, to).await?))
}
