//! After the sale: returns of delivered lines and the help thread of an order.

use serde::{Deserialize, Serialize};

use crate::Money;

/// Most characters of a return reason, a refusal reason or instructions.
pub const MAX_REASON_CHARS: usize = 1000;
/// Most characters of one message.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// Most messages one order's thread may hold.
pub const MAX_MESSAGES: usize = 100;

/// `POST /v1/orders/{id}/returns` with the `Order-Secret` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnRequest {
    /// At least one line; each order line at most once.
    pub lines: Vec<ReturnLine>,
    /// Why, in the shopper's words: 1 to 1000 characters, not blank.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnLine {
    /// Index of the line in the order's `lines`, from 0.
    pub line: u32,
    /// Units of that line to return: 1 to what is left to return of it.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 99)))]
    pub quantity: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    /// Asked by the shopper, waiting for the shop.
    Requested,
    /// Accepted: the shopper sends the parcel back (see `instructions`, `label_url`).
    Approved,
    /// Refused by the shop (see `refusal_reason`); final.
    Refused,
    /// The parcel came back; its units are back in stock.
    Received,
    /// The lines' price was refunded; final.
    Refunded,
}

impl ReturnStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnStatus::Requested => "requested",
            ReturnStatus::Approved => "approved",
            ReturnStatus::Refused => "refused",
            ReturnStatus::Received => "received",
            ReturnStatus::Refunded => "refunded",
        }
    }

    /// requested -> approved -> received -> refunded; requested -> refused.
    pub fn can_become(self, next: ReturnStatus) -> bool {
        use ReturnStatus::*;
        matches!((self, next), (Requested, Approved | Refused) | (Approved, Received) | (Received, Refunded))
    }

    /// Still counts against what is left to return of the order's lines.
    pub fn holds_units(self) -> bool {
        self != ReturnStatus::Refused
    }
}

/// A return of some lines of an order, as the order shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Return {
    pub id: String,
    pub status: ReturnStatus,
    pub lines: Vec<ReturnLine>,
    pub reason: String,
    /// What the shopper gets back: the lines' unit prices times the quantities returned
    /// (shipping is not refunded).
    pub refund: Money,
    /// From the shop when it approves: how to send the parcel back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// From the shop when it approves: an absolute http(s) URL of a prepaid return label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_url: Option<String>,
    /// From the shop when it refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    /// Every status the return went through, oldest first.
    pub history: Vec<ReturnEvent>,
    /// RFC 3339 UTC.
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnEvent {
    pub status: ReturnStatus,
    /// RFC 3339 UTC.
    pub at: String,
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/approve`: a JSON object whose fields are
/// both optional (`{}` approves without instructions or label); a request without a JSON
/// body is `400 malformed_request`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApproveReturn {
    /// At most 1000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// An absolute http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_url: Option<String>,
}

/// `POST /v1/admin/orders/{id}/returns/{return_id}/refuse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RefuseReturn {
    /// Not blank, at most 1000 characters.
    pub reason: String,
}

/// `POST /v1/orders/{id}/messages` (shopper) and `POST /v1/admin/orders/{id}/messages` (shop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageRequest {
    /// Plain text: 1 to 2000 characters (Unicode code points) once trimmed of white space
    /// at both ends; stored and shown trimmed.
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Shopper,
    Shop,
}

/// One message of an order's help thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Message {
    pub id: String,
    pub author: Author,
    /// Plain text: clients show it as text, never as HTML.
    pub body: String,
    /// RFC 3339 UTC.
    pub at: String,
}

/// Text of a reason or message, trimmed; None when blank or longer than `max` characters.
pub fn clean_text(text: &str, max: usize) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::ReturnStatus::*;

    #[test]
    fn returns_move_forward_only() {
        assert!(Requested.can_become(Approved));
        assert!(Requested.can_become(Refused));
        assert!(Approved.can_become(Received));
        assert!(Received.can_become(Refunded));
        assert!(!Requested.can_become(Received));
        assert!(!Refused.can_become(Approved));
        assert!(!Refunded.can_become(Refunded));
        assert!(!Approved.can_become(Refused));
    }

    #[test]
    fn blank_or_long_text_is_refused() {
        assert_eq!(super::clean_text("  too big \n", 20), Some("too big"));
        assert_eq!(super::clean_text(" \n\t", 20), None);
        assert_eq!(super::clean_text(&"é".repeat(21), 20), None);
        assert_eq!(super::clean_text(&"é".repeat(20), 20), Some("é".repeat(20).as_str()));
    }
}
