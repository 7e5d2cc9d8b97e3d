//! Orders: creation (idempotent), status, cancellation, and the admin moves.

use serde::{Deserialize, Serialize};

use crate::{Address, Author, LineRequest, Message, Money, PaymentSummary, PaymentToken, QuotedLine, Return, ReturnStatus};

/// `POST /v1/orders` with an `Idempotency-Key` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderRequest {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 50)))]
    pub lines: Vec<LineRequest>,
    pub address: Address,
    /// Required here (unlike in a quote): the `id` of an option of the quote.
    pub shipping_option: String,
    /// `provider` must be one of the configuration's `payment_methods` (`422 invalid_field`,
    /// `field: "payment.provider"`, otherwise).
    pub payment: PaymentToken,
    /// The total the shopper reviewed; when given and different from the server's, the order
    /// is refused with `price_changed` and nothing is charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total: Option<Money>,
    /// BCP 47 language tag of the shopper (`fr`, `fr-FR`), for e-mails and messages: the
    /// order keeps its primary language subtag in lower case (`fr`); a value that does not
    /// start with a 2 or 3 letter subtag is ignored. Backends should leave it out when
    /// comparing idempotent retries; clients resend the same one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `202 Accepted` to `POST /v1/orders`: the card's bank asks the shopper to confirm the
/// payment (3-D Secure). The order is held, its stock reserved, until `expires_at`; the payment
/// frame runs the challenge, then the client sends the same request with the same
/// `Idempotency-Key`, which answers the paid order, a refusal (`authentication_failed`), or
/// this again while the challenge is not finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderAction {
    pub status: ActionStatus,
    /// The held order's id (not yet readable: its secret comes with the paid order).
    pub order_id: String,
    /// RFC 3339: past it, the backend releases the order and nothing can be charged.
    pub expires_at: String,
    pub authentication: crate::Authentication,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// The payment frame must run the provider's challenge.
    RequiresAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Order {
    pub id: String,
    /// Short reference shown to the shopper, e.g. `SH-4K7Q2M`.
    pub number: String,
    /// Proof of ownership for reading and cancelling: present only in the answer to the
    /// creation request (and its replays); send it back in the `Order-Secret` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub status: OrderStatus,
    /// Every status the order went through, oldest first.
    pub history: Vec<StatusEvent>,
    /// What was bought, as priced when the order was placed: quote lines that never carry
    /// `available_quantity` or `error`.
    pub lines: Vec<QuotedLine>,
    pub address: Address,
    pub shipping_option: String,
    pub subtotal: Money,
    pub shipping: Money,
    pub tax: Money,
    pub tax_included: bool,
    pub total: Money,
    pub payment: PaymentSummary,
    /// RFC 3339 UTC time of creation.
    pub created_at: String,
    /// RFC 3339 UTC time until which the shopper may cancel; absent once that is impossible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellable_until: Option<String>,
    /// The primary language subtag of the request's `locale`, in lower case (`fr` for
    /// `fr-FR`); absent when the request had none, or none that is a language. The backend
    /// writes to the shopper in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// RFC 3339 UTC time of the last change the shopper should be told about: any status
    /// change after creation (a cancel included), a return moved by the shop, a message from
    /// the shop; not the shopper's return requests or messages. Absent until the first such
    /// change. Clients compare it, as a time, with what the shopper last saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// RFC 3339 UTC time until which the shopper may ask for a return; absent when the order
    /// cannot be returned (not delivered, window over, nothing left to return, or no returns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returnable_until: Option<String>,
    /// The order's returns, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<Return>,
    /// The order's help thread, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
}

impl Order {
    /// Units of line `line` held by returns (refused ones excepted).
    pub fn units_in_returns(&self, line: u32) -> u32 {
        let held = self.returns.iter().filter(|r| r.status.holds_units());
        held.flat_map(|r| &r.lines).filter(|l| l.line == line).map(|l| l.quantity).sum()
    }

    /// What the shop has to do for the order after the sale, if anything: answer or refund a
    /// return first, else reply to the shopper's last message.
    pub fn awaits_shop(&self) -> Option<AwaitsShop> {
        let open_return = self.returns.iter().any(|r| matches!(r.status, ReturnStatus::Requested | ReturnStatus::Received));
        if open_return {
            return Some(AwaitsShop::Return);
        }
        self.messages.last().filter(|m| m.author == Author::Shopper).map(|_| AwaitsShop::Message)
    }

    /// What the order's refunded returns gave back.
    pub fn refunded_by_returns(&self) -> Money {
        let refunded = self.returns.iter().filter(|r| r.status == ReturnStatus::Refunded);
        Money::new(refunded.map(|r| r.refund.amount).sum(), self.total.currency)
    }

    /// What refunding the whole order moves: the total less what its returns gave back (what
    /// it moved, once the order is refunded).
    pub fn left_to_refund(&self) -> Money {
        Money::new(self.total.amount - self.refunded_by_returns().amount, self.total.currency)
    }

    /// What the shopper got back in all: the whole total once the order is refunded, else what
    /// its returns gave back.
    pub fn refunded(&self) -> Money {
        if self.status == OrderStatus::Refunded { self.total } else { self.refunded_by_returns() }
    }

    /// True while some unit of some line is not in a return.
    pub fn has_units_to_return(&self) -> bool {
        (0..self.lines.len() as u32).any(|i| self.units_in_returns(i) < self.lines[i as usize].quantity)
    }
}

/// Why an order waits on the shop ([`Order::awaits_shop`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwaitsShop {
    /// A return to answer, or received and to refund.
    Return,
    /// The shopper wrote last.
    Message,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<OrderStatus> {
        [Self::Placed, Self::Paid, Self::Shipped, Self::Delivered, Self::Cancelled, Self::Refunded].into_iter().find(|s| s.as_str() == text)
    }

    /// The moves the protocol allows: placed -> paid -> shipped -> delivered; cancelled from
    /// placed or paid; refunded from paid, shipped or delivered.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Placed, Paid) | (Paid, Shipped) | (Shipped, Delivered) | (Placed | Paid, Cancelled) | (Paid | Shipped | Delivered, Refunded)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatusEvent {
    pub status: OrderStatus,
    /// RFC 3339 UTC.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
}

/// `POST /v1/admin/orders/{id}/ship`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShipRequest {
    /// Required, not blank.
    #[cfg_attr(feature = "schema", schemars(pattern(r"\S")))]
    pub tracking_number: String,
    /// A complete http(s) address with a host and no white space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
}

impl ShipRequest {
    /// What the request gets wrong, if anything: the one rule the backend checks and the
    /// console says before sending.
    pub fn problem(&self) -> Option<ShipProblem> {
        if self.tracking_number.trim().is_empty() {
            return Some(ShipProblem::NoTrackingNumber);
        }
        // The shopper is shown the link: a complete http(s) address, nothing else.
        if self.tracking_url.as_deref().is_some_and(|url| !crate::url::is_web_address(url)) {
            return Some(ShipProblem::TrackingUrlNotWeb);
        }
        None
    }
}

/// What a [`ShipRequest`] can get wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipProblem {
    NoTrackingNumber,
    TrackingUrlNotWeb,
}

impl ShipProblem {
    /// The request's field at fault.
    pub fn field(self) -> &'static str {
        match self {
            ShipProblem::NoTrackingNumber => "tracking_number",
            ShipProblem::TrackingUrlNotWeb => "tracking_url",
        }
    }

    /// The backend's message.
    pub fn message(self) -> &'static str {
        match self {
            ShipProblem::NoTrackingNumber => "the tracking number is required",
            ShipProblem::TrackingUrlNotWeb => "the tracking URL must be a complete http(s) address",
        }
    }
}

/// One line of an order, as priced when it was placed.
pub type OrderLine = QuotedLine;

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::{ShipProblem, ShipRequest};

    #[test]
    fn a_shipment_needs_a_tracking_number_and_at_most_a_complete_web_link() {
        let ship =
            |number: &str, url: Option<&str>| ShipRequest { tracking_number: number.into(), tracking_url: url.map(Into::into) }.problem();
        assert_eq!(ship("LP1", None), None);
        assert_eq!(ship("LP1", Some("https://suivi.example/LP1")), None);
        assert_eq!(ship("  ", None), Some(ShipProblem::NoTrackingNumber));
        for url in ["suivi.example/LP1", "javascript:alert(1)", "https://", "https://suivi example/LP1", "/suivi/LP1"] {
            assert_eq!(ship("LP1", Some(url)), Some(ShipProblem::TrackingUrlNotWeb), "{url}");
        }
    }

    #[test]
    fn only_forward_moves_are_allowed() {
        assert!(Placed.can_become(Paid));
        assert!(Paid.can_become(Cancelled));
        assert!(Delivered.can_become(Refunded));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Cancelled.can_become(Paid));
        assert!(!Refunded.can_become(Refunded));
    }

    #[test]
    fn status_names_round_trip() {
        for status in [Placed, Paid, Shipped, Delivered, Cancelled, Refunded] {
            assert_eq!(super::OrderStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::to_string(&status).unwrap(), format!("\"{}\"", status.as_str()));
        }
    }
}
