//! `GET /v1/config`: what a backend supports, read once by the widget.

use serde::{Deserialize, Serialize};

use crate::Currency;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Configuration {
    /// Major protocol version the backend speaks; `1` for this document.
    pub protocol_version: u32,
    pub shop_name: String,
    /// Currencies prices may be quoted in; the first is the default.
    pub currencies: Vec<Currency>,
    /// ISO 3166-1 alpha-2 codes of the countries the shop ships to.
    pub countries: Vec<String>,
    pub payment_methods: Vec<PaymentMethod>,
    /// How long after placing an order the shopper may still cancel it.
    pub cancel_window_seconds: u64,
    /// How long after delivery the shopper may ask to return lines; absent when the shop
    /// takes no returns through the protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_window_seconds: Option<u64>,
    /// Where the widget may send anonymous insight events (`POST`, an `EventBatch`), absolute
    /// or relative to the API base URL; absent when the backend does not collect them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentMethod {
    /// Payment provider id, e.g. `test`; the widget needs a client for that provider.
    pub provider: String,
    /// Where the widget sends card details to get a single-use token. Absolute, or relative
    /// to the API base URL. It belongs to the payment provider, not to the shop.
    pub tokenize_url: String,
    /// Card brands accepted, e.g. `visa`, `mastercard`.
    pub brands: Vec<String>,
    /// Optional: an absolute `https` (or, for local tests, `http`) URL of the provider's card
    /// form, shown by the widget in a cross-origin iframe (see `payment::frame` and the
    /// "Payment frame" section of PROTOCOL.md). With it the card never touches the host page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_url: Option<String>,
}
