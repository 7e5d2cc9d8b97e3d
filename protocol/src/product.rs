//! Products and their variants.

use serde::{Deserialize, Serialize};

use crate::Money;

/// What a tag shows before the product card opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductSummary {
    pub id: String,
    pub title: String,
    /// The lowest price among the variants that are available (or among all when none is).
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// False when every variant is sold out.
    pub available: bool,
}

/// `GET /v1/products/{id}`: everything the product card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Product {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The product's page on the shop's site (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub images: Vec<ProductImage>,
    /// Option axes in display order, e.g. `[{"name": "size", "values": ["S", "M"]}]`.
    #[serde(default)]
    pub options: Vec<ProductOption>,
    /// At least one variant; a product without options has exactly one.
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductImage {
    pub url: String,
    #[serde(default)]
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductOption {
    /// `size`, `color`, or any name the shop uses.
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Variant {
    pub id: String,
    /// e.g. `M / Blue`; the product title alone when there are no options.
    pub title: String,
    /// One value per entry of `Product::options`, in the same order.
    #[serde(default)]
    pub option_values: Vec<String>,
    pub price: Money,
    /// The former price during a sale, shown struck through: always higher than `price`
    /// when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    /// Whether it can be ordered now: false when its tracked stock is 0 (availability follows
    /// the stock).
    pub available: bool,
    /// Units in stock, when the backend tracks and discloses it; `0` when the variant is not
    /// `available`. Absent: not tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// `GET /v1/products?q=lamp`: a title search, for the tag editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductList {
    pub products: Vec<ProductSummary>,
}
