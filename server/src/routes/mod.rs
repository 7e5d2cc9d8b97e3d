//! The HTTP surface: `/v1` API routes, the optional static site, and the layers every
//! request goes through (CORS, body limits, panics as JSON, one log line per request).

mod admin;
mod after_sale;
mod config;
mod console;
mod media;
mod orders;
mod payments;
mod posts;
mod products;
mod quote;

use std::any::Any;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use shoppable_protocol::{ApiError, ErrorCode};
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::RequestBodyDeadlineLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::AppState;
use crate::error::{AppError, api_error_response};
use crate::limits::{self, Kind};

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/config", get(config::show))
        .route("/posts", get(posts::batch))
        .route("/posts/{id}", get(posts::show))
        .route("/products", get(products::search))
        .route("/products/{id}", get(products::show))
        .merge(limited(
            &state,
            Kind::Writes,
            Router::new()
                .route("/quote", post(quote::create))
                .route("/orders", post(orders::create))
                .merge(limited(&state, Kind::CardTokens, Router::new().route("/payments/test/tokens", post(payments::tokenize))))
                .route("/payments/test/authentications/{id}", post(payments::answer_challenge))
                // Widget insights: each event is also counted against the events budget.
                .route("/events", post(console::record_events)),
        ))
        .merge(limited(
            &state,
            Kind::OrderPages,
            Router::new()
                .route("/orders/{id}", get(orders::show))
                .route("/orders/{id}/cancel", post(orders::cancel))
                .route("/orders/{id}/returns", post(after_sale::request_return))
                .route("/orders/{id}/messages", post(after_sale::write)),
        ))
        // Stripe's events: signed, so under no per-client budget.
        .route("/payments/stripe/webhook", post(payments::stripe_webhook))
        .route("/admin/posts/{id}", put(admin::put_post).delete(admin::delete_post))
        .route("/admin/previews", post(admin::create_preview))
        .route("/admin/orders", get(admin::list_orders))
        .route("/admin/orders/{id}/ship", post(admin::ship))
        .route("/admin/disputes", get(admin::list_disputes))
        .route("/admin/orders/{id}/deliver", post(admin::deliver))
        .route("/admin/orders/{id}/refund", post(admin::refund))
        .route("/admin/orders/{id}/refunds", get(admin::open_refunds))
        .route("/admin/orders/{id}/refunds/retry", post(admin::retry_refunds))
        .route("/admin/orders/{id}/messages", post(after_sale::reply))
        .route("/admin/orders/{id}/returns/{return_id}/approve", post(after_sale::approve_return))
        .route("/admin/orders/{id}/returns/{return_id}/refuse", post(after_sale::refuse_return))
        .route("/admin/orders/{id}/returns/{return_id}/receive", post(after_sale::receive_return))
        .route("/admin/orders/{id}/returns/{return_id}/refund", post(after_sale::refund_return))
        .route("/admin/catalog/import", post(admin::import_catalog))
        .merge(media::router()) // the tag editor's photo uploads
        .merge(console::router()) // the shop's console
        // Bodies are read by `extract::read_body`, with the limit of each route.
        .layer(DefaultBodyLimit::disable())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);

    let app = Router::new().nest("/v1", api).merge(console::pages());
    let app = if state.config.site_dir.is_some() { app.fallback(site) } else { app.fallback(not_found) };
    // gzip for clients that ask: the widget's wasm shrinks to about a third.
    app.layer(CompressionLayer::new())
        // One middleware for what every request goes through (each layer costs on the hot path).
        .layer(axum::middleware::from_fn_with_state(state.clone(), front))
        // A body must arrive within its time (`--body-timeout-seconds`): `extract::read_body`
        // answers 408 after it, so a slow client holds no request, nor a stop, for long.
        .layer(RequestBodyDeadlineLayer::new(Duration::from_secs(state.config.body_timeout_seconds)))
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

/// `routes` under the `kind` budget of abuse limits (`crate::limits`), one request each.
fn limited(state: &AppState, kind: Kind, routes: Router<AppState>) -> Router<AppState> {
    routes.route_layer(axum::middleware::from_fn_with_state((state.clone(), kind), limits::one_request))
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
async fn to_completion(state: &AppState, request: Request, next: Next) -> Response {
    // Reads change nothing: stopping one halfway harms nobody, and they are the hot path.
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
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

/// What every request goes through, in order: a NUL character in the URL is refused, writes
/// run to completion, and error answers are made JSON.
async fn front(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(refusal) = refuse_nul(&request) {
        return refusal;
    }
    json_errors(to_completion(&state, request, next).await)
}

/// A NUL character (`%00`) in the path or the query is refused before any handler sees it:
/// no database stores one (PostgreSQL refuses it in text), and no file name has one.
fn refuse_nul(request: &Request) -> Option<Response> {
    let uri = request.uri();
    let has_nul = |text: &str| text.as_bytes().windows(3).any(|w| w == b"%00");
    (has_nul(uri.path()) || uri.query().is_some_and(has_nul))
        .then(|| AppError::new(ErrorCode::MalformedRequest, "the URL must not contain NUL characters (%00)").into_response())
}

/// The safety net: an error answer that is not JSON yet (a rejection of an extractor we do not
/// wrap, such as an undecodable path) becomes the protocol's error shape.
fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
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

/// True when a segment of the path, once percent-decoded as the file server decodes it, starts
/// with a dot: `/.git/config`, `/%2egit/config`, `/pkg%2f.gitignore`, `/a\\.env`.
pub fn is_hidden(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    decoded.split(['/', '\\']).any(|segment| segment.starts_with('.'))
}

/// The static site (`--site-dir`). Paths with a dot-segment such as `/.git/config` are never
/// served, so pointing the site at a source checkout does not publish its hidden files.
async fn site(State(state): State<AppState>, request: Request) -> Response {
    if is_hidden(request.uri().path()) {
        return not_found().await.into_response();
    }
    let Some(dir) = state.config.site_dir.as_ref() else {
        return not_found().await.into_response();
    };
    let path = percent_encoding::percent_decode_str(request.uri().path()).decode_utf8_lossy().into_owned();
    let file = dir.join(path.trim_start_matches('/'));
    let file = if file.is_dir() { file.join("index.html") } else { file };
    let etag = tokio::fs::metadata(&file).await.ok().and_then(|meta| {
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        HeaderValue::from_str(&format!("W/\"{:x}-{:x}\"", meta.len(), modified.as_nanos())).ok()
    });
    let cache_control = HeaderValue::from_static(static_cache_control(&path));
    if let Some(etag) = &etag
        && request
            .headers()
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .any(|v| v.as_bytes().split(|b| *b == b',').any(|t| t.trim_ascii() == etag.as_bytes()))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, etag.clone());
        response.headers_mut().insert(header::CACHE_CONTROL, cache_control);
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        return response;
    }
    // `file.br` and `file.gz` beside a file (the widget's build makes them) are sent as they
    // are to browsers that accept brotli or gzip: no compression work per request.
    match ServeDir::new(dir).precompressed_br().precompressed_gzip().oneshot(request).await {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => not_found().await.into_response(),
        Ok(mut response) => {
            if response.status().is_success() {
                if let Some(etag) = etag {
                    response.headers_mut().insert(header::ETAG, etag);
                }
                response.headers_mut().insert(header::CACHE_CONTROL, cache_control);
                // Public files, loaded as modules by pages of any origin (a blog embedding the
                // widget from here or a CDN). The API keeps its allow-list (`cors`).
                response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            }
            response.map(Body::new)
        }
        Err(infallible) => match infallible {},
    }
}

/// How long browsers and CDNs keep a static file: the loader `shoppable.js`, whose name every
/// page embeds, a few minutes; a file whose name carries a hash of its content
/// (`widget.3f9a2b1c.js`) for ever, since a new build gives it a new name; anything else
/// is checked again each time (`ETag`, answered `304` when unchanged).
pub fn static_cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let hashed = name
        .split(['.', '-', '_'])
        .any(|part| part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit()) && part.bytes().any(|b| b.is_ascii_digit()));
    if name == "shoppable.js" {
        "public, max-age=300, stale-while-revalidate=86400"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    #[test]
    fn static_files_are_cached_by_kind() {
        assert_eq!(static_cache_control("/pkg/shoppable.js"), "public, max-age=300, stale-while-revalidate=86400");
        assert_eq!(static_cache_control("/pkg/widget.3f9a2b1c.js"), "public, max-age=31536000, immutable");
        assert_eq!(static_cache_control("/pkg/widget_bg-0123abcd9f.wasm"), "public, max-age=31536000, immutable");
        assert_eq!(static_cache_control("/pkg/widget_bg.wasm"), "no-cache");
        assert_eq!(static_cache_control("/pkg/checkout.js"), "no-cache");
        assert_eq!(static_cache_control("/www/images/coffee.png"), "no-cache");
        assert_eq!(static_cache_control("/www/images/deadbeef.png"), "no-cache", "a word is not a hash");
    }

    #[test]
    fn dot_segments_are_hidden_however_written() {
        for path in ["/.git/config", "/%2egit/config", "/pkg/%2Egitignore", "/pkg%2f.env", "/a%5c.env", "/pkg/../x"] {
            assert!(is_hidden(path), "{path}");
        }
        for path in ["/pkg/shoppable.js", "/index.html", "/www/a.b.c"] {
            assert!(!is_hidden(path), "{path}");
        }
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_a_json_500() {
        let app: Router = Router::new().route("/boom", get(boom)).layer(CatchPanicLayer::custom(panic_response));
        let response = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        let error: ApiError = serde_json::from_slice(&body).unwrap();
        assert_eq!(error.code, ErrorCode::Internal);
    }
}
