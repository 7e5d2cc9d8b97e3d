use axum::extract::State;
use axum::Json;
use shoppable_protocol::{Quote, QuoteRequest};

use crate::error::AppResult;
use crate::extract::JsonBody;
use crate::{pricing, AppState};

/// `POST /v1/quote`
pub async fn create(State(state): State<AppState>, JsonBody(request): JsonBody<QuoteRequest>) -> AppResult<Json<Quote>> {
    Ok(Json(pricing::quote(&state.db, &state.config, &request).await?))
}
