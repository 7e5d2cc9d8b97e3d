//! `--seed-demo`: a small French shop around the photos of `www/images/`, loaded through the
//! real catalog importer.

use serde::Deserialize;
use shoppable_protocol::PostInput;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::storage::{catalog, posts};

const CATALOG_CSV: &[u8] = include_bytes!("../demo/catalog.csv");
const POSTS_JSON: &str = include_str!("../demo/posts.json");

#[derive(Deserialize)]
struct DemoPost {
    id: String,
    #[serde(flatten)]
    input: PostInput,
}

/// Fills an empty database; leaves one with any product or post alone.
pub async fn seed(state: &AppState) -> AppResult<()> {
    if !catalog::is_empty(&state.db).await? {
        tracing::info!("database not empty: demo data not loaded");
        return Ok(());
    }
    let report = crate::catalog::import(&state.db, &state.config, CATALOG_CSV).await?;
    let demo_posts: Vec<DemoPost> = serde_json::from_str(POSTS_JSON).map_err(|e| AppError::internal(format!("demo posts: {e}")))?;
    for post in &demo_posts {
        let checked = post.input.check().map_err(|problem| AppError::internal(format!("demo post {}: {problem:?}", post.id)))?;
        posts::replace_post(&state.db, &post.id, &checked).await?;
    }
    tracing::info!(products = report.products, posts = demo_posts.len(), "demo data loaded");
    Ok(())
}
