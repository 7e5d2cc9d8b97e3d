use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use shoppable_protocol::ProductList;

use crate::AppState;
use crate::cache::{Cached, IfNoneMatch};
use crate::error::{AppError, AppResult};
use crate::extract::QueryParams;
use crate::storage::catalog;

/// `GET /v1/products/{id}`, from the read cache.
pub async fn show(State(state): State<AppState>, Path(id): Path<String>, headers: IfNoneMatch) -> AppResult<Response> {
    let cached = state
        .cache
        .get_or_load(&format!("product/{id}"), async {
            Cached::json(&catalog::load_product(&state.db, &id).await?.ok_or_else(|| AppError::not_found("product"))?)
        })
        .await?;
    Ok(state.cache.respond(&headers, &cached))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    limit: Option<u32>,
}

/// `GET /v1/products?q=lamp&limit=20`: title search; every product when `q` is empty.
pub async fn search(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<SearchQuery>,
    headers: IfNoneMatch,
) -> AppResult<Response> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("limit", "limit must be 1 to 100"));
    }
    let q = query.q.trim();
    let cached = state
        .cache
        .get_or_load(&format!("products?{limit}&{q}"), async {
            Cached::json(&ProductList { products: catalog::search(&state.db, q, limit).await? })
        })
        .await?;
    Ok(state.cache.respond(&headers, &cached))
}
