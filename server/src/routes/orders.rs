//! The shopper's order routes: place one, read it, cancel it (`crate::orders` does the work).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shoppable_protocol::{IDEMPOTENCY_KEY_HEADER, Order, OrderRequest};

use crate::error::AppResult;
use crate::extract::{JsonBody, OrderSecret, required_header};
use crate::{AppState, orders};

/// `POST /v1/orders` with an `Idempotency-Key` header: `201` with the order and its secret,
/// or the refusal; a retry with the same key gets the same answer.
pub async fn create(State(state): State<AppState>, headers: HeaderMap, JsonBody(request): JsonBody<OrderRequest>) -> AppResult<Response> {
    let key = required_header(&headers, IDEMPOTENCY_KEY_HEADER)?;
    let answer = orders::place(&state, key, &request).await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Ok((status, [(header::CONTENT_TYPE, "application/json")], answer.body).into_response())
}

/// `GET /v1/orders/{id}` with the `Order-Secret` header.
pub async fn show(State(state): State<AppState>, Path(id): Path<String>, OrderSecret(secret): OrderSecret) -> AppResult<Json<Order>> {
    let stored = orders::owned_order(&state, &id, &secret).await?;
    Ok(Json(orders::present(&state, &stored)))
}

/// `POST /v1/orders/{id}/cancel` with the `Order-Secret` header, within the cancel window.
pub async fn cancel(State(state): State<AppState>, Path(id): Path<String>, OrderSecret(secret): OrderSecret) -> AppResult<Json<Order>> {
    orders::cancel(&state, &id, &secret).await.map(Json)
}
