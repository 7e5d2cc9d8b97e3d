use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shoppable_protocol::{CardDetails, CardToken};

use crate::AppState;
use crate::error::AppResult;
use crate::extract::JsonBody;

/// `POST /v1/payments/test/tokens`: the `test` provider's tokenization endpoint.
pub async fn tokenize(State(state): State<AppState>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<CardToken>)> {
    Ok((StatusCode::CREATED, Json(state.test_payments.tokenize(&card).await?)))
}
