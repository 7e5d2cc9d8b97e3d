//! Payment by provider token: card numbers go to the payment provider, never to the shop.

use serde::{Deserialize, Serialize};

/// Sent by the widget to a provider's `tokenize_url` (never to the order endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardDetails {
    /// Digits only; spaces are removed by the client.
    pub number: String,
    pub exp_month: u32,
    /// Four digits, e.g. 2030.
    pub exp_year: u32,
    pub cvc: String,
}

/// The provider's answer: a single-use token standing for the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
}

/// The payment part of an order request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentToken {
    pub provider: String,
    pub token: String,
}

/// What an order keeps of its payment: never more than the brand and the last four digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentSummary {
    pub provider: String,
    pub brand: String,
    pub last4: String,
}
