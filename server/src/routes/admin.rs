//! The admin API: bearer token from `--admin-token` ([`Admin`]); without a configured token
//! every admin route answers 401.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shoppable_protocol::{DisputeList, ImportReport, OpenRefunds, Order, OrderList, OrderStatus, Post, PostInput, ShipRequest};

use crate::error::{AppError, AppResult};
use crate::extract::{Admin, JsonBody, QueryParams, check_id, parse_day, read_body};
use crate::storage::{day_start, posts};
use crate::{AppState, orders};

/// A catalog feed of tens of thousands of rows.
pub const CSV_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// `PUT /v1/admin/posts/{id}`: creates or replaces the post.
pub async fn put_post(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<PostInput>,
) -> AppResult<Json<Post>> {
    check_id("id", &id)?;
    let post = posts::check_input(&state.db, &input).await?;
    posts::replace_post(&state.db, &id, &post).await?;
    state.cache.invalidate();
    let mut saved = posts::load_posts(&state.db, std::slice::from_ref(&id)).await?;
    saved.remove(&id).map(Json).ok_or_else(|| AppError::internal("post vanished after saving"))
}

/// `POST /v1/admin/previews`: an unsaved post, served for a while under an id of its own
/// (`previews`).
pub async fn create_preview(
    _: Admin,
    State(state): State<AppState>,
    JsonBody(input): JsonBody<PostInput>,
) -> AppResult<(StatusCode, Json<Post>)> {
    Ok((StatusCode::CREATED, Json(crate::previews::create(&state, &input).await?)))
}

/// `DELETE /v1/admin/posts/{id}`
pub async fn delete_post(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<StatusCode> {
    let deleted = posts::delete_post(&state.db, &id).await?;
    state.cache.invalidate();
    if deleted { Ok(StatusCode::NO_CONTENT) } else { Err(AppError::not_found("post")) }
}

#[derive(Deserialize)]
pub struct OrdersQuery {
    status: Option<String>,
    limit: Option<u32>,
    // The console's filters and paging (`from`/`to`: UTC days, both included).
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    offset: Option<u32>,
    /// `true`: only the orders waiting on the shop.
    waiting: Option<bool>,
}

/// `GET /v1/admin/orders?status=paid&from=2026-01-01&to=2026-01-31&q=SH-4K7&offset=0&limit=50`:
/// newest first.
pub async fn list_orders(
    _: Admin,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<OrdersQuery>,
) -> AppResult<Json<OrderList>> {
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(text) => Some(OrderStatus::parse(text).ok_or_else(|| AppError::invalid("status", "unknown order status"))?),
    };
    let limit = page_limit(query.limit)?;
    let day = |field: &str, text: Option<&str>| text.filter(|t| !t.is_empty()).map(|t| parse_day(field, t)).transpose();
    let filter = crate::storage::console::OrderFilter {
        status,
        from: day("from", query.from.as_deref())?.map(day_start),
        until: day("to", query.to.as_deref())?.map(|to| day_start(to) + 86_400),
        search: query.q.filter(|q| q.len() <= 200),
        waiting: query.waiting.unwrap_or(false),
        offset: query.offset.unwrap_or(0),
        limit,
    };
    Ok(Json(crate::storage::console::search_orders(&state.db, &filter).await?))
}

/// An admin list's `limit`: 1 to 500, 50 by default.
fn page_limit(limit: Option<u32>) -> AppResult<u32> {
    let limit = limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("limit", "limit must be 1 to 500"));
    }
    Ok(limit)
}

#[derive(Deserialize)]
pub struct DisputesQuery {
    order_id: Option<String>,
    limit: Option<u32>,
}

/// `GET /v1/admin/disputes?order_id=ord_…&limit=50`: newest first.
pub async fn list_disputes(
    _: Admin,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<DisputesQuery>,
) -> AppResult<Json<DisputeList>> {
    let limit = page_limit(query.limit)?;
    let disputes = crate::payments::stripe_events::disputes(&state, query.order_id.as_deref(), limit).await?;
    Ok(Json(DisputeList { disputes }))
}

/// `POST /v1/admin/orders/{id}/ship` with the tracking number.
pub async fn ship(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(ship): JsonBody<ShipRequest>,
) -> AppResult<Json<Order>> {
    orders::ship(&state, &id, ship).await.map(Json)
}

/// `POST /v1/admin/orders/{id}/deliver`
pub async fn deliver(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Order>> {
    orders::move_order(&state, &id, OrderStatus::Delivered, None).await.map(Json)
}

/// `POST /v1/admin/orders/{id}/refund`
pub async fn refund(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Order>> {
    orders::move_order(&state, &id, OrderStatus::Refunded, None).await.map(Json)
}

/// `GET /v1/admin/orders/{id}/refunds`: the refunds the payment provider has not confirmed.
pub async fn open_refunds(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<OpenRefunds>> {
    Ok(Json(OpenRefunds { refunds: orders::open_refunds(&state, &id).await? }))
}

/// `POST /v1/admin/orders/{id}/refunds/retry`: asks the provider again for those refunds.
pub async fn retry_refunds(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Order>> {
    let stored = orders::retry_refunds(&state, &id).await?;
    Ok(Json(orders::present(&state, &stored)))
}

/// `POST /v1/admin/catalog/import` with a Meta catalog feed as `text/csv`: all rows or none.
pub async fn import_catalog(_: Admin, State(state): State<AppState>, request: Request) -> AppResult<Json<ImportReport>> {
    let body = read_body(request, CSV_BODY_LIMIT).await?;
    let report = crate::catalog::import(&state.db, &state.config, &body).await;
    state.cache.invalidate();
    Ok(Json(report?))
}
