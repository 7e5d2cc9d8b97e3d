//! What the shop's console reads and writes beyond the core admin API: lists of posts and
//! products, stock, and insights (anonymous widget events aggregated per day, with the
//! orders). Optional for other backends, like the rest of the admin API; `POST /v1/events` is
//! optional too and advertised by `Configuration::events_url`.

use serde::{Deserialize, Serialize};

use crate::{Money, Post, Product};

/// Most events one `POST /v1/events` batch may carry.
pub const MAX_EVENTS_PER_BATCH: usize = 50;

/// `POST /v1/events`: what the widget saw a shopper do, without anything about the shopper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventBatch {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 50)))]
    pub events: Vec<InsightEvent>,
}

/// One event. The backend dates it by the (UTC) day it receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InsightEvent {
    pub name: InsightName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InsightName {
    /// A product's tag was shown on a photo (one event per tag shown).
    TagView,
    /// A tag was tapped: its product card opened.
    TagOpen,
    /// "Add to bag" was pressed on a product card.
    AddToBag,
    /// "Buy now" was pressed on a product card.
    CheckoutStart,
}

impl InsightName {
    pub const ALL: [InsightName; 4] = [InsightName::TagView, InsightName::TagOpen, InsightName::AddToBag, InsightName::CheckoutStart];

    pub fn as_str(self) -> &'static str {
        match self {
            InsightName::TagView => "tag_view",
            InsightName::TagOpen => "tag_open",
            InsightName::AddToBag => "add_to_bag",
            InsightName::CheckoutStart => "checkout_start",
        }
    }

    pub fn parse(text: &str) -> Option<InsightName> {
        Self::ALL.into_iter().find(|n| n.as_str() == text)
    }
}

/// `GET /v1/admin/posts`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostList {
    pub posts: Vec<Post>,
}

/// `GET /v1/admin/products`: by title, with each variant's `stock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AdminProductList {
    pub products: Vec<Product>,
}

/// `PUT /v1/admin/variants/{id}/stock`: units on hand; `null` stops tracking the stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StockRequest {
    pub stock: Option<u32>,
}

impl StockRequest {
    /// The most units a variant's stock may be set to.
    pub const MAX: u32 = 1_000_000_000;

    /// Whether the stock is beyond [`StockRequest::MAX`]: the rule the backend checks and the
    /// console says before sending.
    pub fn is_too_large(&self) -> bool {
        self.stock.is_some_and(|stock| stock > Self::MAX)
    }
}

/// `GET /v1/admin/insights?from=2026-01-01&to=2026-01-31`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InsightsReport {
    /// `YYYY-MM-DD`, UTC, both included.
    pub from: String,
    pub to: String,
    /// Every day of the range, oldest first, zeros included.
    pub days: Vec<InsightCounts>,
    /// Posts with at least one event or order in the range, most tag views first.
    pub posts: Vec<InsightCounts>,
    /// Products with at least one event or order in the range, most revenue first.
    pub products: Vec<InsightCounts>,
}

/// Counts of one day, post or product (`key` is the day, the post id or the product id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InsightCounts {
    pub key: String,
    /// The product's title, for products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub tag_views: u64,
    pub tag_opens: u64,
    pub adds_to_bag: u64,
    pub checkouts: u64,
    /// Orders paid (not cancelled or refunded) holding the product, or a line added from the
    /// post (`LineRequest::post_id`); absent when the backend does not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Money>,
}
