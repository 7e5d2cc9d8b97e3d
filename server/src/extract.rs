//! Request extractors whose rejections are protocol errors, not axum's plain-text ones.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use shoppable_protocol::post::is_valid_id;
use shoppable_protocol::{ErrorCode, ORDER_SECRET_HEADER};
use time::Date;
use time::macros::format_description;

use crate::AppState;
use crate::error::{AppError, Refusal};

/// A JSON body: 400 `malformed_request` when it is not JSON, 422 `invalid_field` naming the
/// field when it has the wrong shape, 413 `payload_too_large` beyond the route's body limit.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !is_json {
            return Err(AppError::new(ErrorCode::MalformedRequest, "expected a body with Content-Type: application/json"));
        }
        let bytes = read_body(req, JSON_BODY_LIMIT).await?;
        Ok(JsonBody(parse_json(&bytes)?))
    }
}

/// JSON bodies are small: the biggest is an order of 50 lines.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;
/// Bytes of an oversized body read and dropped before answering 413: a client that is still
/// sending when the answer comes may see a broken connection instead of the answer.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Reads the whole body, up to `limit` bytes; 413 `payload_too_large` beyond.
pub async fn read_body(req: Request, limit: usize) -> Result<Bytes, AppError> {
    let too_large = || AppError::new(ErrorCode::PayloadTooLarge, format!("the request body is larger than {limit} bytes"));
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit + DRAIN_LIMIT) {
        return Err(too_large());
    }
    let mut body = req.into_body();
    let mut bytes = Vec::new();
    let mut received = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(body_error)?;
        let Ok(data) = frame.into_data() else { continue };
        received += data.len();
        if received <= limit {
            bytes.extend_from_slice(&data);
        } else if received > limit + DRAIN_LIMIT {
            break;
        }
    }
    if received > limit {
        return Err(too_large());
    }
    Ok(Bytes::from(bytes))
}

/// A body that could not be read: too slow (past `--body-timeout-seconds`, see
/// `routes::router`), or broken.
fn body_error(error: axum::Error) -> AppError {
    let inner = error.into_inner();
    if inner.downcast_ref::<tower_http::timeout::TimeoutError>().is_some() {
        return AppError::Refused(Refusal::BodyTooSlow);
    }
    AppError::new(ErrorCode::MalformedRequest, format!("cannot read the body: {inner}"))
}

/// Parses JSON, naming the offending field on a type error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let malformed = |error: serde_json::Error| AppError::new(ErrorCode::MalformedRequest, format!("the body is not valid JSON: {error}"));
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if !inner.is_data() {
            return malformed(inner);
        }
        // A missing field is named by its own path; a body that is not an object has no field.
        let parent = if path == "." { String::new() } else { path };
        let message = inner.to_string();
        let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split_once('`')).map(|(name, _)| name.to_owned());
        match (parent.as_str(), missing) {
            ("", None) => AppError::new(ErrorCode::InvalidField, message),
            ("", Some(name)) => AppError::field(ErrorCode::InvalidField, name, message),
            (parent, Some(name)) => AppError::field(ErrorCode::InvalidField, format!("{parent}.{name}"), message),
            (parent, None) => AppError::field(ErrorCode::InvalidField, parent, message),
        }
    })?;
    deserializer.end().map_err(malformed)?;
    // A NUL character can only come as the escape `\u0000`: look closer only then.
    if bytes.windows(6).any(|w| w == b"\\u0000")
        && let Ok(tree) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(path) = nul_path(&tree, String::new())
    {
        return Err(AppError::field(ErrorCode::MalformedRequest, path, "text must not contain NUL characters"));
    }
    Ok(value)
}

/// The path of the first string (or key) holding a NUL character: no database stores one.
fn nul_path(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(if path.is_empty() { ".".to_owned() } else { path }),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| nul_path(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') { Some(inner) } else { nul_path(item, inner) }
        }),
        _ => None,
    }
}

/// Refuses an id that is not one by the protocol's rule ([`is_valid_id`]): post ids, and the
/// ids that events and bag lines name.
pub fn check_id(field: impl Into<String>, id: &str) -> Result<(), AppError> {
    if is_valid_id(id) { Ok(()) } else { Err(AppError::invalid(field, "an id has 1 to 100 letters, digits, `-`, `_` or `.`")) }
}

/// The value of a header the endpoint needs; 400 when missing or not text.
pub fn required_header<'a>(parts: &'a axum::http::HeaderMap, name: &str) -> Result<&'a str, AppError> {
    parts
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AppError::field(ErrorCode::MalformedRequest, name, format!("the {name} header is required")))
}

/// Query string parameters; 400 naming the parameter when they do not parse.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| QueryParams(value))
            .map_err(|rejection| AppError::new(ErrorCode::MalformedRequest, rejection.body_text()))
    }
}

/// Proof that the request carries the admin token (`--admin-token`, sent as
/// `Authorization: Bearer <token>`); without a configured token every admin route answers 401.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, AppError> {
        let given = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        match (&state.config.admin_token, given) {
            // Compare digests, so the time taken says nothing about the token.
            (Some(token), Some(given)) if Sha256::digest(token.as_bytes()) == Sha256::digest(given.trim().as_bytes()) => Ok(Admin),
            (None, _) => Err(AppError::new(ErrorCode::Unauthorized, "the admin API is disabled: no admin token is configured")),
            _ => Err(AppError::new(ErrorCode::Unauthorized, "send the admin token as `Authorization: Bearer <token>`")),
        }
    }
}

/// The `Order-Secret` header, which proves that the shopper owns the order they name: 401
/// `unauthorized` without it.
pub struct OrderSecret(pub String);

impl<S: Send + Sync> FromRequestParts<S> for OrderSecret {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<OrderSecret, AppError> {
        let secret = parts.headers.get(ORDER_SECRET_HEADER).and_then(|v| v.to_str().ok());
        secret
            .map(|secret| OrderSecret(secret.to_owned()))
            .ok_or_else(|| AppError::field(ErrorCode::Unauthorized, ORDER_SECRET_HEADER, "the Order-Secret header is required"))
    }
}

/// A `YYYY-MM-DD` query parameter (the console's days, UTC).
pub fn parse_day(field: &str, text: &str) -> Result<Date, AppError> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| AppError::invalid(field, "a date is written YYYY-MM-DD"))
}
