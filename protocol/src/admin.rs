//! The admin side of the reference backend: catalog import, order listing and webhooks.
//! Optional for other backends; the widget never calls these.

use serde::{Deserialize, Serialize};

use crate::{ApiError, Money, Order, OrderStatus};

/// `GET /v1/admin/orders`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderList {
    pub orders: Vec<Order>,
    /// The ids of the listed orders with a refund the payment provider refused: they wait on
    /// the shop, which retries it on the order's page (`POST /v1/admin/orders/{id}/refunds/retry`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund_failed: Vec<String>,
}

/// `GET /v1/admin/orders/{id}/refunds`: the order's refunds that the payment provider has not
/// confirmed. The order (or the return) shows refunded only once the provider has; meanwhile it
/// keeps its status, and `POST /v1/admin/orders/{id}/refunds/retry` asks the provider again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpenRefunds {
    pub refunds: Vec<OpenRefund>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpenRefund {
    /// The provider's idempotency key: `<order id>:order` for the whole order, else the return's id.
    pub refund_key: String,
    /// What the order becomes once the refund is confirmed (`cancelled` or `refunded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_status: Option<OrderStatus>,
    /// Or the return that becomes refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_id: Option<String>,
    pub amount: Money,
    pub state: RefundState,
    /// How many times the provider was asked.
    pub attempts: u32,
    /// What the provider answered last time, when it refused or could not be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// Where an unconfirmed refund is ([`OpenRefund::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// Decided, the provider being asked (or asked again by crash recovery).
    Pending,
    /// The provider refused or could not be reached: the shop retries it.
    Failed,
}

/// `POST /v1/admin/catalog/import` succeeded: every row was imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportReport {
    /// Products created or replaced (one per `item_group_id`, or per row without one).
    pub products: u32,
    pub variants: u32,
}

/// `POST /v1/admin/catalog/import` failed: nothing was imported. An [`ApiError`] (code
/// `invalid_field`) with every bad row listed, so the whole feed can be fixed at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportErrors {
    #[serde(flatten)]
    pub error: ApiError,
    pub rows: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RowError {
    /// CSV record number, not line number: the header is row 1, the first product row 2,
    /// and a quoted cell spanning several lines stays in one row. Problems of the whole file
    /// (empty, no rows, a missing column) are at row 1.
    pub row: u32,
    /// The column at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// What is wrong, for a client that says it in its own language; `message` says it in
    /// English, with the details (the value, the currencies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<RowProblem>,
    pub message: String,
}

/// The kinds of problem a catalog feed's row can have (`RowError::problem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    /// The file cannot be read as CSV, or this record cannot.
    NotCsv,
    /// The file has a header and no product row.
    NoRows,
    /// A required column is not in the header.
    MissingColumn,
    /// A required cell is empty.
    Required,
    /// A cell holds a NUL character, which no database keeps.
    NulCharacter,
    /// An id an earlier row already has.
    RepeatedId,
    /// A price that is not `<amount> <currency>`.
    NotAPrice,
    /// A price in another currency than the shop's.
    WrongCurrency,
    /// A sale price above the price.
    SaleAbovePrice,
    /// `availability` is not `in stock` or `out of stock`.
    Availability,
    /// `quantity` is not a whole number, 0 or more.
    Quantity,
    /// A link that is neither http(s) nor a site-relative path.
    NotALink,
    /// What a client reads a kind it does not know (a newer backend's) as: `message` says
    /// it. Backends never send it, so it is not in the schema.
    #[serde(other)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    Other,
}

/// The body of an outgoing webhook `POST`, signed in the `Shoppable-Signature` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookEvent {
    /// Unique per event; receivers use it to drop duplicate deliveries.
    pub id: String,
    /// `order.placed`, `order.paid`, `order.status_changed`, `return.requested`,
    /// `return.approved`, `return.refused`, `return.received`, `return.refunded`,
    /// `message.created`, `dispute.opened`, `dispute.closed`.
    #[serde(rename = "type")]
    pub kind: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// The order after the change, without its secret.
    pub order: Order,
    /// The return that changed (`return.*` events), one of `order.returns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_id: Option<String>,
    /// The new message (`message.created`), one of `order.messages`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The dispute opened or closed (`dispute.*`), as `GET /v1/admin/disputes?order_id=` lists it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute_id: Option<String>,
}

/// `GET /v1/admin/disputes` (`?order_id=` for one order's): newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DisputeList {
    pub disputes: Vec<Dispute>,
}

/// A dispute (chargeback) of an order's payment, opened by the shopper's bank at the payment
/// provider: the money is held until the bank decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dispute {
    /// The provider's id (Stripe's `dp_…`).
    pub id: String,
    pub order_id: String,
    pub order_number: String,
    /// What the bank took back from the shop.
    pub amount: Money,
    /// The provider's reason code, e.g. `fraudulent`, `product_not_received`.
    pub reason: String,
    pub status: DisputeStatus,
    /// RFC 3339 UTC.
    pub opened_at: String,
    /// RFC 3339 UTC time until which the shop may answer with evidence, at the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_by: Option<String>,
    /// RFC 3339 UTC; present once the dispute is won or lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// The bank is deciding; the shop may send evidence.
    Open,
    /// Closed for the shop: the money stays (an inquiry closed without a chargeback too).
    Won,
    /// Closed for the shopper: the money is gone.
    Lost,
}

impl DisputeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::Won => "won",
            DisputeStatus::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<DisputeStatus> {
        [Self::Open, Self::Won, Self::Lost].into_iter().find(|s| s.as_str() == text)
    }
}
