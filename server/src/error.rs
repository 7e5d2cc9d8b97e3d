//! One error type for every failure; it always answers with the protocol's JSON error shape.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use shoppable_protocol::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A failure the client can act on, answered as is.
    #[error("{0}")]
    Api(ApiError),
    /// The catalog import refused some rows; answered with every row's problem.
    #[error("{}", describe_rows(.0))]
    Import(shoppable_protocol::ImportErrors),
    /// A refusal with headers of its own: too many requests (`Retry-After`), a body too slow
    /// (the connection is closed).
    #[error("{0:?}")]
    Refused(Refusal),
    /// Our failure: logged in full, answered as a bare `internal` error.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// See [`AppError::Refused`]: answered in the protocol's error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 429 `rate_limited`, with `Retry-After`: the client is over one of its limits
    /// (`crate::limits`).
    RateLimited { retry_after_seconds: u64 },
    /// 408 `request_timeout`: the body did not arrive in time (`--body-timeout-seconds`).
    BodyTooSlow,
}

impl Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::RateLimited { retry_after_seconds } => {
                let error = ApiError::new(ErrorCode::RateLimited, format!("too many requests; retry in {retry_after_seconds} s"));
                ([(header::RETRY_AFTER, retry_after_seconds.to_string())], api_error_response(error)).into_response()
            }
            // The connection is closed: what is left of the body is never read.
            Refusal::BodyTooSlow => {
                let error = ApiError::new(ErrorCode::RequestTimeout, "the request body did not arrive in time");
                ([(header::CONNECTION, "close")], api_error_response(error)).into_response()
            }
        }
    }
}

/// One line per refused row, for the command line and the log.
fn describe_rows(errors: &shoppable_protocol::ImportErrors) -> String {
    let rows = errors.rows.iter().map(|r| match &r.column {
        Some(column) => format!("\n  row {}, column {column}: {}", r.row, r.message),
        None => format!("\n  row {}: {}", r.row, r.message),
    });
    format!("{}{}", errors.error.message, rows.collect::<String>())
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::new(code, message))
    }

    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::new(code, message).with_field(field))
    }

    pub fn not_found(what: &str) -> Self {
        AppError::new(ErrorCode::NotFound, format!("no {what} with that id"))
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::field(ErrorCode::InvalidField, field, message)
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        AppError::Internal(message.to_string())
    }

    /// The JSON error a client sees; internal details stay in the log.
    pub fn to_api_error(&self) -> ApiError {
        match self {
            AppError::Api(error) => error.clone(),
            AppError::Import(errors) => errors.error.clone(),
            AppError::Database(error) if is_bad_text(error) => {
                ApiError::new(ErrorCode::MalformedRequest, "the request has text the database cannot store (a NUL character)")
            }
            _ => ApiError::new(ErrorCode::Internal, "internal server error"),
        }
    }
}

/// PostgreSQL's refusal of text it cannot store (`22021`: a NUL character, `22P05`): the
/// request's fault, whichever input carried it past the checks.
fn is_bad_text(error: &sqlx::Error) -> bool {
    error.as_database_error().and_then(|e| e.code()).is_some_and(|code| code == "22021" || code == "22P05")
}

impl From<ApiError> for AppError {
    fn from(error: ApiError) -> Self {
        AppError::Api(error)
    }
}

/// The response for an error code, with its status from the protocol.
pub fn api_error_response(error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Api(error) => api_error_response(error),
            AppError::Import(errors) => (StatusCode::UNPROCESSABLE_ENTITY, Json(errors)).into_response(),
            AppError::Refused(refusal) => refusal.into_response(),
            AppError::Database(error) if is_bad_text(&error) => api_error_response(AppError::Database(error).to_api_error()),
            other => {
                tracing::error!(error = %other, "request failed");
                api_error_response(other.to_api_error())
            }
        }
    }
}
