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

/// Machine-readable error codes. Clients must treat an unknown code like `internal` of the
/// same HTTP status class, so that backends may add codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this endpoint takes.
    MalformedRequest,
    /// 422: a field has a value the endpoint refuses; `field` says which.
    InvalidField,
    /// 401: admin token or order secret missing or wrong.
    Unauthorized,
    /// 404: no resource with that id.
    NotFound,
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge,
    /// 409: not enough stock for a line; `field` names the line.
    OutOfStock,
    /// 409: the total differs from the `expected_total` the shopper reviewed.
    PriceChanged,
    /// 422: the same `Idempotency-Key` was used with a different request body.
    IdempotencyKeyReused,
    /// 409: a request with this `Idempotency-Key` is still being processed.
    IdempotencyKeyInUse,
    /// 409: the order can no longer be cancelled, or moved to the asked status.
    InvalidTransition,
    /// 402: the payment service declined the card.
    CardDeclined,
    /// 402: the card has not enough funds.
    InsufficientFunds,
    /// 422: the payment token is unknown, expired or already used.
    InvalidPaymentToken,
    /// 422: the card number fails the Luhn check or is not a known brand.
    InvalidCardNumber,
    /// 422: the card's expiry date has passed.
    CardExpired,
    /// 422: the security code is not 3 or 4 digits.
    InvalidCvc,
    /// 403: the request's `Origin` is not allowed.
    OriginNotAllowed,
    /// 405: the method is not allowed on this path.
    MethodNotAllowed,
    /// 500 or 503: the server failed; retrying later may succeed.
    Internal,
}

impl ErrorCode {
    /// The HTTP status code that goes with this error code.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedRequest => 400,
            Unauthorized => 401,
            CardDeclined | InsufficientFunds => 402,
            OriginNotAllowed => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            OutOfStock | PriceChanged | IdempotencyKeyInUse | InvalidTransition => 409,
            PayloadTooLarge => 413,
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
