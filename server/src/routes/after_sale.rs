//! After the sale: returns and the help thread of an order, for the shopper (with the
//! `Order-Secret` header) and the shop (admin API). `crate::orders` does the work.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shoppable_protocol::{ApproveReturn, MessageRequest, Order, RefuseReturn, ReturnRequest};

use crate::error::AppResult;
use crate::extract::{Admin, JsonBody, OrderSecret};
use crate::{AppState, orders};

/// `POST /v1/orders/{id}/returns` with the `Order-Secret` header: `201` with the order.
pub async fn request_return(
    State(state): State<AppState>,
    Path(id): Path<String>,
    OrderSecret(secret): OrderSecret,
    JsonBody(request): JsonBody<ReturnRequest>,
) -> AppResult<(StatusCode, Json<Order>)> {
    Ok((StatusCode::CREATED, Json(orders::request_return(&state, &id, &secret, &request).await?)))
}

/// `POST /v1/orders/{id}/messages` with the `Order-Secret` header: `201` with the order.
pub async fn write(
    State(state): State<AppState>,
    Path(id): Path<String>,
    OrderSecret(secret): OrderSecret,
    JsonBody(request): JsonBody<MessageRequest>,
) -> AppResult<(StatusCode, Json<Order>)> {
    Ok((StatusCode::CREATED, Json(orders::write_message(&state, &id, &secret, &request).await?)))
}

/// `POST /v1/admin/orders/{id}/messages`: the shop's answer, `201` with the order.
pub async fn reply(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<MessageRequest>,
) -> AppResult<(StatusCode, Json<Order>)> {
    Ok((StatusCode::CREATED, Json(orders::reply(&state, &id, &request).await?)))
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/approve` with optional instructions and
/// return label URL.
pub async fn approve_return(
    _: Admin,
    State(state): State<AppState>,
    Path((id, return_id)): Path<(String, String)>,
    JsonBody(approval): JsonBody<ApproveReturn>,
) -> AppResult<Json<Order>> {
    orders::approve_return(&state, &id, &return_id, approval).await.map(Json)
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/refuse` with the reason.
pub async fn refuse_return(
    _: Admin,
    State(state): State<AppState>,
    Path((id, return_id)): Path<(String, String)>,
    JsonBody(refusal): JsonBody<RefuseReturn>,
) -> AppResult<Json<Order>> {
    orders::refuse_return(&state, &id, &return_id, &refusal).await.map(Json)
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/receive`: the parcel is back, its units
/// go back into stock.
pub async fn receive_return(
    _: Admin,
    State(state): State<AppState>,
    Path((id, return_id)): Path<(String, String)>,
) -> AppResult<Json<Order>> {
    orders::receive_return(&state, &id, &return_id).await.map(Json)
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/refund`: refunds the return's amount.
pub async fn refund_return(
    _: Admin,
    State(state): State<AppState>,
    Path((id, return_id)): Path<(String, String)>,
) -> AppResult<Json<Order>> {
    orders::refund_return(&state, &id, &return_id).await.map(Json)
}
