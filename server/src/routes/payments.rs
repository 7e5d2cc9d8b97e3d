use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use shoppable_protocol::{CardDetails, CardToken};

use crate::error::AppResult;
use crate::extract::JsonBody;
use crate::AppState;

/// `POST /v1/payments/test/tokens`: the `test` provider's tokenization endpoint.
pub async fn tokenize(State(state): State<AppState>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<CardToken>)> {
    Ok((StatusCode::CREATED, Json(state.test_payments.tokenize(&card).await?)))
}
