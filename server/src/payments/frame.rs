//! The card form of the configured provider, served from an origin of its own
//! (`--payments-listen`), as a real payment service serves its hosted fields: the widget shows
//! it in an iframe, so the card number and the security code never exist in the shop's page,
//! where any script of the page could read them. See "Payment frame" in `docs/PROTOCOL.md`.
//!
//! The forms are plain files (`server/payments-frame/`, no build step), which share the
//! contract's side of the frame (`contract.js`) and what a card form is besides its provider
//! (`card-form.js`: the remembered card, the common words).
//! - `test`: besides the page, this origin answers the form's own requests: tokenization (the
//!   same as the API's `/v1/payments/test/tokens`) and the vault of remembered cards. A
//!   remembered card is a row of `test_payment_cards`; the shopper's browser keeps only its
//!   random id, in the storage of this origin.
//! - `stripe`: Stripe.js Elements inside the frame; the card goes from the frame to Stripe,
//!   which makes the PaymentMethod the order is paid with. Remembered cards are saved at Stripe
//!   by this origin's routes, with the secret key (`stripe::StripeProvider::save_card`); the
//!   shopper's browser keeps only their ids, in the storage of this origin.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shoppable_protocol::{CardDetails, CardSummary, CardToken, ErrorCode};
use sqlx::Row;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::timeout::RequestBodyDeadlineLayer;

use super::stripe::{SavedCardToken, StripeProvider};
use super::test_provider::{ChallengeAnswer, check_card, outcome};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{JsonBody, QueryParams};
use crate::limits::{self, Kind};
use crate::listener::{JsonErrorsListener, serve};
use crate::storage::{flag, new_id, now, random_hex};

/// Where the forms live on the payments origin.
pub const FRAME_PATH: &str = "/v1/payments/test/frame";
pub const STRIPE_FRAME_PATH: &str = "/v1/payments/stripe/frame";
/// The vault of remembered cards, on the payments origin.
const VAULT_PATH: &str = "/v1/payments/test/cards";
/// Cards saved at Stripe, through the payments origin.
const STRIPE_VAULT_PATH: &str = "/v1/payments/stripe/cards";

const HTML: &str = include_str!("../../payments-frame/frame.html");
const SCRIPT: &str = include_str!("../../payments-frame/frame.js");
const STYLES: &str = include_str!("../../payments-frame/frame.css");
const CONTRACT: &str = include_str!("../../payments-frame/contract.js");
const CARD_FORM: &str = include_str!("../../payments-frame/card-form.js");
const STRIPE_HTML: &str = include_str!("../../payments-frame/stripe.html");
const STRIPE_SCRIPT: &str = include_str!("../../payments-frame/stripe.js");

#[derive(Clone)]
struct Frame {
    app: AppState,
    /// This origin, as browsers name it (`http://127.0.0.1:8081`).
    origin: Arc<String>,
    /// The pages allowed to show the form: the allowed origins and the site's own.
    ancestors: Arc<Vec<String>>,
    /// Stripe's form, made once from the configuration.
    stripe: Option<Arc<Form>>,
}

/// A form's page, and the sources its `Content-Security-Policy` allows.
struct Form {
    html: String,
    /// Where its scripts, styles, requests, frames and images may come from.
    sources: String,
}

impl Form {
    fn stripe(stripe: &super::stripe::StripeFrame) -> Form {
        let (js, api) = (origin_of(&stripe.js_url), origin_of(&stripe.api_url));
        let html =
            STRIPE_HTML.replace("{{stripe_js}}", &escape(&stripe.js_url)).replace("{{publishable_key}}", &escape(&stripe.publishable_key));
        // Stripe's documented sources for Stripe.js: its script and frames, its API, and
        // hooks.stripe.com for 3-D Secure pages.
        let sources = format!(
            "script-src 'self' {js}; style-src 'self'; connect-src 'self' {api} {js}; frame-src {js} https://hooks.stripe.com; img-src 'self' data: {js}"
        );
        Form { html, sources }
    }
}

/// Text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Binds `--payments-listen` (when set), announces the form's URL in the `test` provider's
/// payment method, and serves it in the background until `stop`, with the API's time-outs
/// (the task ends when its connections are closed). `site` is the API's own address: its
/// pages may show the form too.
pub async fn start(state: &AppState, site: SocketAddr, stop: watch::Receiver<bool>) -> AppResult<Option<JoinHandle<()>>> {
    let Some(listen) = state.config.payments_listen else { return Ok(None) };
    let listener = TcpListener::bind(listen).await.map_err(|e| AppError::internal(format!("cannot listen on {listen}: {e}")))?;
    let address = listener.local_addr().map_err(AppError::internal)?;
    let base = state.config.payments_url.clone().unwrap_or_else(|| format!("http://{address}"));
    let base = base.trim_end_matches('/').to_owned();
    let frame = Frame {
        app: state.clone(),
        origin: Arc::new(origin_of(&base).to_owned()),
        ancestors: Arc::new(ancestors(&state.config.allowed_origins, site)),
        stripe: state.stripe.as_ref().map(|stripe| Arc::new(Form::stripe(&stripe.frame))),
    };
    match &state.stripe {
        Some(stripe) => stripe.frame_url.set(format!("{base}{STRIPE_FRAME_PATH}")),
        None => state.test_payments.frame_url.set(format!("{base}{FRAME_PATH}")),
    }
    .map_err(|_| AppError::internal("the payments frame was started twice"))?;
    println!("payments frame on {base}");
    tracing::info!(%address, "payments frame listening");
    let header_timeout = Duration::from_secs(state.config.header_timeout_seconds);
    let body_deadline = RequestBodyDeadlineLayer::new(Duration::from_secs(state.config.body_timeout_seconds));
    let app = router(frame).layer(body_deadline);
    Ok(Some(tokio::spawn(serve(JsonErrorsListener(listener), app, header_timeout, stop))))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    url[start..].find('/').map_or(url, |end| &url[..start + end])
}

/// The origins whose pages may frame the form: the allowed origins, and the site's own
/// origin under the names a browser may use for it.
fn ancestors(allowed: &[String], site: SocketAddr) -> Vec<String> {
    let mut origins: Vec<String> =
        allowed.iter().map(|o| o.trim_end_matches('/').to_owned()).filter(|o| !o.is_empty() && !o.contains(char::is_whitespace)).collect();
    let port = site.port();
    match site.ip() {
        ip if ip.is_unspecified() || ip.is_loopback() => {
            if !ip.is_unspecified() {
                origins.push(format!("http://{site}"));
            }
            origins.push(format!("http://127.0.0.1:{port}"));
            origins.push(format!("http://localhost:{port}"));
        }
        IpAddr::V4(_) => origins.push(format!("http://{site}")),
        IpAddr::V6(_) => origins.push(format!("http://{site}")),
    }
    origins.dedup();
    let mut seen = Vec::new();
    origins.retain(|o| {
        if seen.contains(o) {
            false
        } else {
            seen.push(o.clone());
            true
        }
    });
    origins
}

fn router(frame: Frame) -> Router {
    // New card tokens share the API's card-token budget (`crate::limits`): a card tester
    // gains nothing by coming here.
    let tokens = Router::new()
        .route("/v1/payments/test/tokens", post(tokenize))
        .route(VAULT_PATH, post(remember))
        .route(&format!("{VAULT_PATH}/{{id}}/tokens"), post(token_from_saved))
        .route(STRIPE_VAULT_PATH, post(save_at_stripe))
        .route(&format!("{STRIPE_VAULT_PATH}/{{id}}/tokens"), post(token_from_saved_at_stripe))
        .route_layer(axum::middleware::from_fn_with_state((frame.app.clone(), Kind::CardTokens), limits::one_request));
    Router::new()
        .route(FRAME_PATH, get(page))
        .route("/v1/payments/test/frame.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/v1/payments/test/frame.css", get(|| async { asset("text/css; charset=utf-8", STYLES) }))
        .route("/v1/payments/test/contract.js", get(|| async { asset("text/javascript; charset=utf-8", CONTRACT) }))
        .route("/v1/payments/test/card-form.js", get(|| async { asset("text/javascript; charset=utf-8", CARD_FORM) }))
        .route(STRIPE_FRAME_PATH, get(stripe_page))
        .route("/v1/payments/stripe/stripe.js", get(|| async { asset("text/javascript; charset=utf-8", STRIPE_SCRIPT) }))
        .route("/v1/payments/stripe/frame.css", get(|| async { asset("text/css; charset=utf-8", STYLES) }))
        .route("/v1/payments/stripe/contract.js", get(|| async { asset("text/javascript; charset=utf-8", CONTRACT) }))
        .route("/v1/payments/stripe/card-form.js", get(|| async { asset("text/javascript; charset=utf-8", CARD_FORM) }))
        .merge(tokens)
        .route(&format!("{VAULT_PATH}/{{id}}"), axum::routing::delete(forget))
        .route(&format!("{STRIPE_VAULT_PATH}/{{id}}"), axum::routing::delete(forget_at_stripe))
        .route("/v1/payments/test/authentications/{id}", post(answer_challenge))
        .fallback(|| async { AppError::new(ErrorCode::NotFound, "no such endpoint") })
        .layer(axum::middleware::from_fn_with_state(frame.clone(), same_origin_only))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &Request| tracing::info_span!("payments", method = %req.method(), path = %req.uri().path()))
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(frame)
}

/// The form's requests come from the form itself: a write from another origin (the shop's
/// page, whose scripts could otherwise replay a remembered card's id) is refused, and so is a
/// write to the vault of remembered cards without any `Origin` (a script outside a browser
/// replaying a card id). Browsers send `Origin` with every cross-origin request and with
/// same-origin POSTs and DELETEs. Tokenizing a card typed in takes no `Origin`, as on the API.
async fn same_origin_only(State(frame): State<Frame>, request: Request, next: Next) -> Response {
    let write = !matches!(*request.method(), Method::GET | Method::HEAD);
    let vault = [VAULT_PATH, STRIPE_VAULT_PATH].iter().any(|path| request.uri().path().starts_with(path));
    let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match origin {
        Some(origin) => origin == frame.origin.as_str(),
        None => !vault,
    };
    if write && !allowed {
        return AppError::new(ErrorCode::OriginNotAllowed, "the payment form's endpoints answer the payment form only").into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

#[derive(Deserialize)]
struct PageQuery {
    origin: Option<String>,
}

/// The `test` provider's form.
async fn page(State(frame): State<Frame>, Query(query): Query<PageQuery>) -> Response {
    form_page(&frame, &query, HTML, "script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:")
}

/// Stripe's form, when Stripe is the provider.
async fn stripe_page(State(frame): State<Frame>, Query(query): Query<PageQuery>) -> Response {
    match &frame.stripe {
        Some(form) => form_page(&frame, &query, &form.html, &form.sources),
        None => AppError::new(ErrorCode::NotFound, "no such endpoint").into_response(),
    }
}

/// A form's page. `origin` is the page that shows it: the form posts messages to that origin
/// only, so it is served only for an origin allowed to frame it (`frame-ancestors` says the
/// same to the browser, which refuses to show it anywhere else).
fn form_page(frame: &Frame, query: &PageQuery, html: &str, sources: &str) -> Response {
    let allowed = query.origin.as_deref().is_some_and(|o| frame.ancestors.iter().any(|a| a == o));
    let policy =
        format!("default-src 'none'; {sources}; form-action 'none'; base-uri 'none'; frame-ancestors {}", frame.ancestors.join(" "));
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
        (header::CACHE_CONTROL, "no-store".to_owned()),
        (header::CONTENT_SECURITY_POLICY, policy),
    ];
    if !allowed {
        let refusal = "<!doctype html><meta charset=utf-8><title>Payment form</title>\
                       <p>This page is not allowed to show this payment form. / Cette page n'est pas autorisée à afficher ce formulaire de paiement.</p>";
        return (StatusCode::FORBIDDEN, headers, refusal).into_response();
    }
    (headers, html.to_owned()).into_response()
}

/// `POST /v1/payments/test/tokens` on the payments origin: the form's tokenization.
async fn tokenize(State(frame): State<Frame>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<CardToken>)> {
    let _running = frame.app.running.read().await;
    Ok((StatusCode::CREATED, Json(frame.app.test_payments.tokenize(&card).await?)))
}

/// A token and the card it stands for, remembered by the provider.
#[derive(Serialize)]
struct Remembered {
    token: String,
    card: SavedCard,
}

#[derive(Serialize)]
struct SavedCard {
    /// The vault's key, kept by the form in its origin's storage.
    id: String,
    #[serde(flatten)]
    summary: CardSummary,
}

/// `POST /v1/payments/test/cards`: tokenizes the card and remembers it ("Remember this card").
async fn remember(State(frame): State<Frame>, JsonBody(card): JsonBody<CardDetails>) -> AppResult<(StatusCode, Json<Remembered>)> {
    let _running = frame.app.running.read().await;
    let token = frame.app.test_payments.tokenize(&card).await?;
    let (number, _) = check_card(&card, (2000, 1))?;
    let id = format!("card_{}", random_hex(24));
    let mut write = frame.app.db.write_tx().await?;
    sqlx::query(
        "INSERT INTO test_payment_cards (id, brand, last4, exp_month, exp_year, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&token.brand)
    .bind(&token.last4)
    .bind(i64::from(card.exp_month))
    .bind(i64::from(card.exp_year))
    .bind(outcome(&number))
    .bind(now())
    .execute(&mut *write.tx)
    .await?;
    write.commit().await?;
    let summary = CardSummary { brand: token.brand, last4: token.last4, exp_month: Some(card.exp_month), exp_year: Some(card.exp_year) };
    Ok((StatusCode::CREATED, Json(Remembered { token: token.token, card: SavedCard { id, summary } })))
}

/// `POST /v1/payments/test/cards/{id}/tokens`: a new single-use token for a remembered card.
async fn token_from_saved(State(frame): State<Frame>, Path(id): Path<String>) -> AppResult<(StatusCode, Json<CardToken>)> {
    let _running = frame.app.running.read().await;
    let mut write = frame.app.db.write_tx().await?;
    let row = sqlx::query("SELECT brand, last4, exp_month, exp_year, outcome FROM test_payment_cards WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *write.tx)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, "this card is not remembered"))?;
    let (exp_month, exp_year): (i64, i64) = (row.try_get("exp_month")?, row.try_get("exp_year")?);
    let today = time::OffsetDateTime::now_utc();
    if (exp_year, exp_month) < (i64::from(today.year()), i64::from(u8::from(today.month()))) {
        return Err(AppError::field(ErrorCode::CardExpired, "exp_year", "the card has expired"));
    }
    let token = CardToken { token: new_id("tok"), brand: row.try_get("brand")?, last4: row.try_get("last4")? };
    let outcome: String = row.try_get("outcome")?;
    sqlx::query("INSERT INTO test_payment_tokens (token, brand, last4, outcome, used, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&token.token)
        .bind(&token.brand)
        .bind(&token.last4)
        .bind(outcome)
        .bind(flag(false))
        .bind(now())
        .execute(&mut *write.tx)
        .await?;
    write.commit().await?;
    Ok((StatusCode::CREATED, Json(token)))
}

/// `POST /v1/payments/test/authentications/{id}`: the challenge page's Complete or Fail.
async fn answer_challenge(
    State(frame): State<Frame>,
    Path(id): Path<String>,
    JsonBody(answer): JsonBody<ChallengeAnswer>,
) -> AppResult<Json<ChallengeAnswer>> {
    let _running = frame.app.running.read().await;
    Ok(Json(frame.app.test_payments.answer_challenge(&id, answer).await?))
}

/// `DELETE /v1/payments/test/cards/{id}`: "Forget this card".
async fn forget(State(frame): State<Frame>, Path(id): Path<String>) -> AppResult<StatusCode> {
    let _running = frame.app.running.read().await;
    let mut write = frame.app.db.write_tx().await?;
    sqlx::query("DELETE FROM test_payment_cards WHERE id = $1").bind(&id).execute(&mut *write.tx).await?;
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The Stripe provider, for its vault's routes.
fn stripe(frame: &Frame) -> AppResult<&StripeProvider> {
    frame.app.stripe.as_deref().ok_or_else(|| AppError::new(ErrorCode::NotFound, "no such endpoint"))
}

#[derive(Deserialize)]
struct NewStripeCard {
    /// Made by Stripe.js in the form.
    payment_method: String,
}

/// Which Customer a saved PaymentMethod belongs to, as the form keeps it.
#[derive(Deserialize)]
struct StripeCustomer {
    customer: String,
}

/// `POST /v1/payments/stripe/cards`: saves the card at Stripe ("Remember this card").
async fn save_at_stripe(
    State(frame): State<Frame>,
    JsonBody(card): JsonBody<NewStripeCard>,
) -> AppResult<(StatusCode, Json<SavedCardToken>)> {
    let _running = frame.app.running.read().await;
    Ok((StatusCode::CREATED, Json(stripe(&frame)?.save_card(&card.payment_method).await?)))
}

/// `POST /v1/payments/stripe/cards/{id}/tokens`: a single-use token for a card saved at Stripe.
async fn token_from_saved_at_stripe(
    State(frame): State<Frame>,
    Path(id): Path<String>,
    JsonBody(owner): JsonBody<StripeCustomer>,
) -> AppResult<(StatusCode, Json<SavedCardToken>)> {
    let _running = frame.app.running.read().await;
    Ok((StatusCode::CREATED, Json(stripe(&frame)?.token_for_saved(&owner.customer, &id).await?)))
}

/// `DELETE /v1/payments/stripe/cards/{id}?customer=…`: "Forget this card", at Stripe.
async fn forget_at_stripe(
    State(frame): State<Frame>,
    Path(id): Path<String>,
    QueryParams(owner): QueryParams<StripeCustomer>,
) -> AppResult<StatusCode> {
    let _running = frame.app.running.read().await;
    stripe(&frame)?.forget_saved(&owner.customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_may_frame_the_form_under_its_names() {
        let site: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(
            ancestors(&["https://blog.example/".into()], site),
            ["https://blog.example", "http://127.0.0.1:8080", "http://localhost:8080"]
        );
        let any: SocketAddr = "0.0.0.0:9000".parse().unwrap();
        assert_eq!(ancestors(&[], any), ["http://127.0.0.1:9000", "http://localhost:9000"]);
    }

    #[test]
    fn origins_drop_the_path() {
        assert_eq!(origin_of("https://pay.example/shop/v1"), "https://pay.example");
        assert_eq!(origin_of("http://127.0.0.1:8081"), "http://127.0.0.1:8081");
    }
}
