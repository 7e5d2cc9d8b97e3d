use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use shoppable_protocol::{Product, ProductList};

use crate::error::{AppError, AppResult};
use crate::extract::QueryParams;
use crate::storage::catalog;
use crate::AppState;

/// `GET /v1/products/{id}`
pub async fn show(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Json<Product>> {
    catalog::load_product(&state.db, &id).await?.map(Json).ok_or_else(|| AppError::not_found("product"))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    limit: Option<u32>,
}

/// `GET /v1/products?q=lamp&limit=20`: title search; every product when `q` is empty.
pub async fn search(State(state): State<AppState>, QueryParams(query): QueryParams<SearchQuery>) -> AppResult<Json<ProductList>> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("limit", "limit must be 1 to 100"));
    }
    let products = catalog::search(&state.db, query.q.trim(), limit).await?;
    Ok(Json(ProductList { products }))
}
