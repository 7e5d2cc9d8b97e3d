use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use shoppable_protocol::{CardDetails, CardToken};

use crate::AppState;
use crate::error::AppResult;
use crate::extract::{JsonBody, read_body};
use crate::payments::stripe_events;
use crate::payments::test_provider::ChallengeAnswer;

/// `POST /v1/payments/test/tokens`: the `test` provider's tokenization endpoint.
pub async fn tokenize(State(state): State<AppState>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<CardToken>)> {
    Ok((StatusCode::CREATED, Json(state.test_payments.tokenize(&card).await?)))
}

/// `POST /v1/payments/stripe/webhook`: Stripe's events, signed (`payments::stripe_events`).
pub async fn stripe_webhook(State(state): State<AppState>, request: Request) -> AppResult<StatusCode> {
    let signature = request.headers().get("stripe-signature").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = read_body(request, stripe_events::BODY_LIMIT).await?;
    stripe_events::receive(&state, signature.as_deref(), &body).await?;
    Ok(StatusCode::OK)
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
