use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shoppable_protocol::{CardDetails, CardToken};

use crate::payments::test_provider::ChallengeAnswer;

use crate::AppState;
use crate::error::AppResult;
use crate::extract::JsonBody;

/// `POST /v1/payments/test/tokens`: the `test` provider's tokenization endpoint.
pub async fn tokenize(State(state): State<AppState>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<CardToken>)> {
    Ok((StatusCode::CREATED, Json(state.test_payments.tokenize(&card).await?)))
}

/// `POST /v1/payments/test/authentications/{id}`: the shopper's answer to a `test` challenge
/// (3-D Secure), as the test provider's frame sends it; for clients testing the step without
/// a browser (the conformance tool).
pub async fn answer_challenge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(answer): JsonBody<ChallengeAnswer>,
) -> AppResult<Json<ChallengeAnswer>> {
    Ok(Json(state.test_payments.answer_challenge(&id, answer).await?))
}
