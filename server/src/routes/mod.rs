//! The HTTP surface: `/v1` API routes, the optional static site, and the layers every
//! request goes through (CORS, body limits, panics as JSON, one log line per request).

mod admin;
mod config;
mod media;
mod orders;
mod payments;
mod posts;
mod products;
mod quote;

use std::any::Any;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use shoppable_protocol::{ApiError, ErrorCode};
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::{api_error_response, AppError};
use crate::AppState;

/// A catalog feed of tens of thousands of rows.
pub const CSV_BODY_LIMIT: usize = 8 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/config", get(config::show))
        .route("/posts", get(posts::batch))
        .route("/posts/{id}", get(posts::show))
        .route("/products", get(products::search))
        .route("/products/{id}", get(products::show))
        .route("/quote", post(quote::create))
        .route("/orders", post(orders::create))
        .route("/orders/{id}", get(orders::show))
        .route("/orders/{id}/cancel", post(orders::cancel))
        .route("/payments/test/tokens", post(payments::tokenize))
        .route("/admin/posts/{id}", put(admin::put_post).delete(admin::delete_post))
        .route("/admin/orders", get(admin::list_orders))
        .route("/admin/orders/{id}/ship", post(admin::ship))
        .route("/admin/orders/{id}/deliver", post(admin::deliver))
        .route("/admin/orders/{id}/refund", post(admin::refund))
        .route("/admin/catalog/import", post(admin::import_catalog))
        .merge(media::router()) // the tag editor's photo uploads
        // Bodies are read by `extract::read_body`, with the limit of each route.
        .layer(DefaultBodyLimit::disable())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);

    let app = Router::new().nest("/v1", api);
    let app = if state.config.site_dir.is_some() { app.fallback(site) } else { app.fallback(not_found) };
    // gzip for clients that ask: the widget's wasm shrinks to about a third.
    app.layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(json_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), to_completion))
        .layer(cors(&state.config.allowed_origins))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| tracing::info_span!("request", method = %req.method(), path = %req.uri().path()))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Browsers may call the API only from the configured origins; same-origin calls need no CORS.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("order-secret"),
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

async fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "no such endpoint")
}

async fn method_not_allowed() -> AppError {
    AppError::new(ErrorCode::MethodNotAllowed, "this method is not allowed on this path")
}

/// Runs every request to its end, even when the client disconnects (axum would drop the
/// handler): stopping between reserving stock and charging, or cancelling and refunding, would
/// leave an order half done, and sqlx 0.8 can leave a PostgreSQL connection inside a
/// transaction when a `begin()` is cancelled (launchbadge/sqlx#2805).
async fn to_completion(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let running = state.running.clone().read_owned().await;
    let work = async move {
        let response = next.run(request).await;
        drop(running);
        response
    };
    match tokio::spawn(work).await {
        Ok(response) => response,
        Err(failure) => {
            tracing::error!(error = %failure, "a request handler failed");
            api_error_response(ApiError::new(ErrorCode::Internal, "internal server error"))
        }
    }
}

/// The safety net: an error answer that is not JSON yet (a rejection of an extractor we do not
/// wrap, such as an undecodable path) becomes the protocol's error shape.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status.as_u16() {
        401 => ErrorCode::Unauthorized,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::InvalidField,
        400..=499 => ErrorCode::MalformedRequest,
        _ => ErrorCode::Internal,
    };
    api_error_response(ApiError::new(code, status.canonical_reason().unwrap_or("request failed")))
}

fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    api_error_response(ApiError::new(ErrorCode::Internal, "internal server error"))
}

/// The static site (`--site-dir`). Paths with a dot-segment such as `/.git/config` are never
/// served, so pointing the site at a source checkout does not publish its hidden files.
async fn site(State(state): State<AppState>, request: Request) -> Response {
    let hidden = request.uri().path().split('/').any(|segment| segment.starts_with('.'));
    let Some(dir) = state.config.site_dir.as_ref().filter(|_| !hidden) else {
        return not_found().await.into_response();
    };
    // `file.gz` beside a file (the widget's build makes them) is sent as is to browsers that
    // accept gzip: no compression work per request.
    match ServeDir::new(dir).precompressed_gzip().oneshot(request).await {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => not_found().await.into_response(),
        Ok(response) => response.map(Body::new),
        Err(infallible) => match infallible {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_a_json_500() {
        let app: Router = Router::new()
            .route("/boom", get(boom))
            .layer(CatchPanicLayer::custom(panic_response));
        let response = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        let error: ApiError = serde_json::from_slice(&body).unwrap();
        assert_eq!(error.code, ErrorCode::Internal);
    }
}
