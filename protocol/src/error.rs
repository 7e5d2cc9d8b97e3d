//! The one error shape every endpoint answers with on failure.

use serde::{Deserialize, Serialize};

/// `{"code": "out_of_stock", "message": "Only 2 left of Mug / Blue", "field": "lines[0].quantity"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// Human-readable English text, for logs and developers; the widget shows its own
    /// translated text chosen by `code`.
    pub message: String,
    /// Where the problem is in the request: a JSON path into the body (`address.postal_code`,
    /// `lines[2].quantity`; a missing field is named by its own path), a query parameter
    /// (`ids`), a path parameter by its name in the path template (`id`), or a header
    /// (`Idempotency-Key`). Absent when the problem is the whole request (a body that is not
    /// a JSON object, an unknown path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Machine-readable error codes, each with its HTTP status (the table of PROTOCOL.md's
/// "Errors"). Clients must treat an unknown code like the generic error of its HTTP status
/// class, so that backends may add codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON or lacks `Content-Type: application/json`; a required header
    /// or query parameter is missing, or one does not parse as its type (`limit=x`); the path
    /// does not percent-decode to UTF-8. A body of the wrong shape is `invalid_field`.
    MalformedRequest,
    /// 422: a value is refused: wrong JSON type, missing, out of range, unknown option or
    /// country...; `field` says which.
    InvalidField,
    /// 401: the admin token is missing or wrong (or no admin token is configured), or the
    /// `Order-Secret` header is missing. A wrong order secret is `not_found`.
    Unauthorized,
    /// 404: no such resource, no such endpoint, or an order whose secret does not match.
    NotFound,
    /// 413: the body exceeds the endpoint's limit.
    PayloadTooLarge,
    /// 409: not enough units for a line; `field` names the line.
    OutOfStock,
    /// 409: the order's total differs from `expected_total`. Nothing was charged.
    PriceChanged,
    /// 422: the `Idempotency-Key` was used before with a different request.
    IdempotencyKeyReused,
    /// 409: a request with this `Idempotency-Key` is still being processed; retry later with
    /// the same key.
    IdempotencyKeyInUse,
    /// 409: the order (or return) cannot move to that status.
    InvalidTransition,
    /// 402: the payment service declined the card; `field` is `payment.token`.
    CardDeclined,
    /// 402: the card has not enough funds; `field` is `payment.token`.
    InsufficientFunds,
    /// 402: the card's bank asked the shopper to confirm the payment (3-D Secure) and it was
    /// not confirmed: the challenge failed, was abandoned, or expired. Nothing was charged;
    /// `field` is `payment.token`.
    AuthenticationFailed,
    /// 422: the payment token is unknown, expired or already used; `field` is `payment.token`.
    InvalidPaymentToken,
    /// 422: (tokenization) the card number fails the Luhn check or is no known brand.
    InvalidCardNumber,
    /// 422: (tokenization) the card's expiry date has passed.
    CardExpired,
    /// 422: (tokenization) the security code is not 3 or 4 digits (4 for American Express).
    InvalidCvc,
    /// 403: the request's `Origin` is refused (the payment form's own endpoints).
    OriginNotAllowed,
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 408: the request's body did not arrive in time; the connection is closed.
    RequestTimeout,
    /// 429: too many requests from this client; retry after the `Retry-After` header's seconds.
    RateLimited,
    /// 500 or 503: the server failed; retrying later may succeed (for orders, with the same
    /// `Idempotency-Key`).
    Internal,
}

impl ErrorCode {
    /// The HTTP status code that goes with this error code.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedRequest => 400,
            Unauthorized => 401,
            CardDeclined | InsufficientFunds | AuthenticationFailed => 402,
            OriginNotAllowed => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            RequestTimeout => 408,
            OutOfStock | PriceChanged | IdempotencyKeyInUse | InvalidTransition => 409,
            PayloadTooLarge => 413,
            RateLimited => 429,
            InvalidField | IdempotencyKeyReused | InvalidPaymentToken | InvalidCardNumber | CardExpired | InvalidCvc => 422,
            Internal => 500,
        }
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ApiError {}
