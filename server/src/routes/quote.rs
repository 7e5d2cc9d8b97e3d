use axum::Json;
use axum::extract::State;
use shoppable_protocol::{Quote, QuoteRequest};

use crate::error::AppResult;
use crate::extract::JsonBody;
use crate::{AppState, pricing};

/// `POST /v1/quote`
pub async fn create(State(state): State<AppState>, JsonBody(request): JsonBody<QuoteRequest>) -> AppResult<Json<Quote>> {
    Ok(Json(pricing::quote(&state.db, &state.config, &request).await?))
}
