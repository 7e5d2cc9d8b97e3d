use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use shoppable_protocol::{ErrorCode, MAX_BATCH_POSTS, PostBatch};

use crate::AppState;
use crate::cache::Cached;
use crate::cache::IfNoneMatch;
use crate::error::{AppError, AppResult};
use crate::extract::QueryParams;
use crate::previews;

/// `GET /v1/posts/{id}` (a saved post or a preview), from the read cache.
pub async fn show(State(state): State<AppState>, Path(id): Path<String>, headers: IfNoneMatch) -> AppResult<Response> {
    let cached = state
        .cache
        .get_or_load(&format!("post/{id}"), async {
            let mut posts = previews::load(&state, std::slice::from_ref(&id)).await?;
            Cached::json(&posts.remove(&id).ok_or_else(|| AppError::not_found("post"))?)
        })
        .await?;
    Ok(state.cache.respond(&headers, &cached))
}

#[derive(Deserialize)]
pub struct BatchQuery {
    ids: Option<String>,
}

/// `GET /v1/posts?ids=a,b,c` (saved posts or previews): in the order asked, unknown ids listed in `missing`.
pub async fn batch(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<BatchQuery>,
    headers: IfNoneMatch,
) -> AppResult<Response> {
    let Some(asked) = query.ids else {
        return Err(AppError::field(ErrorCode::MalformedRequest, "ids", "the ids query parameter is required"));
    };
    // Limits count the ids left once empty items and duplicates are dropped.
    let mut ids: Vec<String> = Vec::new();
    for id in asked.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_owned());
        }
    }
    if ids.is_empty() || ids.len() > MAX_BATCH_POSTS {
        return Err(AppError::invalid("ids", format!("ask for 1 to {MAX_BATCH_POSTS} post ids")));
    }
    let key = format!("posts?{}", ids.join(","));
    let cached = state
        .cache
        .get_or_load(&key, async {
            let mut found = previews::load(&state, &ids).await?;
            let (mut posts, mut missing) = (Vec::new(), Vec::new());
            for id in &ids {
                match found.remove(id) {
                    Some(post) => posts.push(post),
                    None => missing.push(id.clone()),
                }
            }
            Cached::json(&PostBatch { posts, missing })
        })
        .await?;
    Ok(state.cache.respond(&headers, &cached))
}
