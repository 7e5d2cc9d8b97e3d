//! What the shop's console reads and writes beyond the core admin API: lists of posts and
//! products, stock, and insights (anonymous widget events aggregated per day, with the
//! orders). Optional for other backends, like the rest of the admin API; `POST /v1/events` is
//! optional too and advertised by `Configuration::events_url`.

use serde::{Deserialize, Serialize};

use crate::post::MAX_MEDIA;
use crate::{MediaKind, Money, Post, Product};

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
    /// A post id: 1 to 100 ASCII letters, digits, `-`, `_` or `.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[A-Za-z0-9._-]{1,100}$")))]
    pub post_id: Option<String>,
    /// Required: a product id of the catalog, as it is (any non-empty text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub product_id: Option<String>,
    /// A variant id of the catalog, as it is (any non-empty text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub variant_id: Option<String>,
    /// The medium of the post the tag is on, by its index in the post's `media` (from 0), for
    /// a post of several media; absent otherwise (and in events of 1.3 and before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(max = 9)))]
    pub media_index: Option<u32>,
}

impl InsightEvent {
    /// The field at fault, if any: a `post_id` that is not a post id, a missing or empty
    /// `product_id`, an empty `variant_id`, a `media_index` beyond a post's media or without a
    /// post. Catalog ids are taken as they are: the catalog import does not restrict them, and
    /// every product must be countable.
    pub fn problem(&self) -> Option<&'static str> {
        if self.post_id.as_deref().is_some_and(|id| !crate::post::is_valid_id(id)) {
            Some("post_id")
        } else if self.product_id.as_deref().is_none_or(str::is_empty) {
            Some("product_id")
        } else if self.variant_id.as_deref().is_some_and(str::is_empty) {
            Some("variant_id")
        } else if self.media_index.is_some_and(|index| index as usize >= MAX_MEDIA || self.post_id.is_none()) {
            Some("media_index")
        } else {
            None
        }
    }
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

    /// Of the counters of a row (tag views, tag opens, adds to bag, checkouts), this event's.
    pub fn counter<T>(self, [views, opens, adds, checkouts]: [T; 4]) -> T {
        match self {
            InsightName::TagView => views,
            InsightName::TagOpen => opens,
            InsightName::AddToBag => adds,
            InsightName::CheckoutStart => checkouts,
        }
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

/// `PUT /v1/admin/variants/{id}/stock`: units on hand, 0 to 10^9; `null` stops tracking the
/// stock. The variant is available while its stock is untracked or above 0, so a stock above
/// 0 makes an imported `out of stock` variant available again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// Required but nullable: schemars' own `required` would drop the `null`.
#[cfg_attr(feature = "schema", schemars(extend("required" = ["stock"])))]
pub struct StockRequest {
    /// Required: a whole number, or `null` (`{}` is refused rather than read as `null`).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(feature = "schema", schemars(range(max = 1_000_000_000)))]
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
    /// Every day of the range, oldest first, zeros included: the events received that day,
    /// and the sold orders created that day with their totals (shipping included).
    pub days: Vec<InsightCounts>,
    /// Posts with at least one event or sold order in the range, most tag views first, then
    /// by id.
    pub posts: Vec<InsightCounts>,
    /// Products with at least one event or sold order in the range, most revenue first, then
    /// most tag opens, then by id.
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
    /// Sold orders: created in the range and now `paid`, `shipped` or `delivered`. For a day,
    /// those created that day; for a product, those holding it; for a post, those with a line
    /// added from it (`LineRequest::post_id`). Optional: a backend that does not record sales
    /// leaves it out, and clients show 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<u64>,
    /// Of those orders: for a day, their totals (shipping included); for a product or a post,
    /// the totals of its lines. Optional like `orders`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Money>,
    /// For a post of several media: one row per medium, in the post's order, zeros included,
    /// with the events that named it (`media_index`). Events without one count for the post
    /// only, so the rows may add up to less. Orders stay per post: an order's line names only
    /// its post. Empty (left out) for days, products and posts of one medium.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediumCounts>,
}

/// The events of one medium of a post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediumCounts {
    /// The medium's index in the post's `media`, from 0.
    pub index: u32,
    #[serde(rename = "type")]
    pub kind: MediaKind,
    pub tag_views: u64,
    pub tag_opens: u64,
    pub adds_to_bag: u64,
    pub checkouts: u64,
}
