//! The admin side of the reference backend: catalog import, order listing and webhooks.
//! Optional for other backends; the widget never calls these.

use serde::{Deserialize, Serialize};

use crate::{ApiError, Order};

/// `GET /v1/admin/orders`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderList {
    pub orders: Vec<Order>,
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
    /// Line number in the file: the header is row 1, the first product row 2.
    pub row: u32,
    /// The column at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
}

/// The body of an outgoing webhook `POST`, signed in the `Shoppable-Signature` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookEvent {
    /// Unique per event; receivers use it to drop duplicate deliveries.
    pub id: String,
    /// `order.placed`, `order.paid`, `order.status_changed`, `return.requested`,
    /// `return.approved`, `return.refused`, `return.received`, `return.refunded`,
    /// `message.created`.
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
}
