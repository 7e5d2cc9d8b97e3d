//! `POST /v1/quote`: the server prices a bag. Clients send ids and quantities only.

use serde::{Deserialize, Serialize};

use crate::{ApiError, Currency, Money};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuoteRequest {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 50)))]
    pub lines: Vec<LineRequest>,
    /// Needed for shipping options and tax; without it only the lines are priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The `id` of a shipping option from an earlier quote; the cheapest when absent. Ignored
    /// without an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_option: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineRequest {
    pub variant_id: String,
    /// 1 to 99.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 99)))]
    pub quantity: u32,
    /// The post whose tag the shopper added this line from, for the shop's insights (orders
    /// and revenue per post): a post id, checked like one. Backends may ignore it; it never
    /// changes a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[A-Za-z0-9._-]{1,100}$")))]
    pub post_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Address {
    /// Required fields (`name`, `email`, `line1`, `postal_code`, `city`) are refused when empty
    /// or blank.
    #[cfg_attr(feature = "schema", schemars(pattern(r"\S")))]
    pub name: String,
    /// Must contain an `@`; backends may refuse more, with the same error
    /// (`invalid_field`, `address.email`).
    #[cfg_attr(feature = "schema", schemars(pattern(r"@")))]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[cfg_attr(feature = "schema", schemars(pattern(r"\S")))]
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[cfg_attr(feature = "schema", schemars(pattern(r"\S")))]
    pub postal_code: String,
    #[cfg_attr(feature = "schema", schemars(pattern(r"\S")))]
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 in capitals, one of the configuration's `countries`.
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[A-Z]{2}$")))]
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    pub currency: Currency,
    /// One per requested line, in the same order.
    pub lines: Vec<QuotedLine>,
    /// Empty until an address is given.
    pub shipping_options: Vec<ShippingOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_shipping_option: Option<String>,
    /// Sum of the line totals of the lines without error.
    pub subtotal: Money,
    pub shipping: Money,
    /// Tax contained in (or added to) the total, as the backend computes it.
    pub tax: Money,
    /// True when `tax` is already included in the prices (EU VAT); false when it is added.
    pub tax_included: bool,
    pub total: Money,
    /// False while any line has an error or shipping is not settled: placing the order would fail.
    pub orderable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuotedLine {
    /// The variant asked for, as sent.
    pub variant_id: String,
    /// `""` when the variant is unknown (`error.code` is `not_found`).
    pub product_id: String,
    /// The product's title; `""` when the variant is unknown.
    pub title: String,
    /// The variant's title; `""` when the variant is unknown.
    pub variant_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// As asked.
    pub quantity: u32,
    /// Zero (in the quote's currency) when the variant is unknown.
    pub unit_price: Money,
    /// `unit_price × quantity`; zero when the variant is unknown.
    pub total: Money,
    /// Units this line could have now, after the earlier lines of the same variant that can be
    /// served: present when the backend tracks stock, `0` for a sold-out or unknown variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_quantity: Option<u32>,
    /// Why this line cannot be ordered as asked: `not_found` (`field: "lines[i].variant_id"`) or
    /// `out_of_stock` (`field: "lines[i].quantity"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

impl QuotedLine {
    /// The variant's name as shown next to the product's title: none for a product without
    /// options, whose only variant is titled like the product (or untitled).
    pub fn variant_label(&self) -> Option<&str> {
        Some(self.variant_title.as_str()).filter(|v| !v.is_empty() && *v != self.title)
    }

    /// `Title (Variant)`, or the title alone for a product without options.
    pub fn item_name(&self) -> String {
        match self.variant_label() {
            Some(variant) => format!("{} ({variant})", self.title),
            None => self.title.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShippingOption {
    pub id: String,
    pub label: String,
    pub price: Money,
    /// Delivery estimate in business days.
    pub min_days: u32,
    pub max_days: u32,
}

#[cfg(test)]
mod tests {
    use super::QuotedLine;
    use crate::{Currency, Money};

    #[test]
    fn a_variant_titled_like_its_product_has_no_label() {
        let eur: Currency = "EUR".parse().unwrap();
        let line = |title: &str, variant: &str| QuotedLine {
            variant_id: "v".into(),
            product_id: "p".into(),
            title: title.into(),
            variant_title: variant.into(),
            image_url: None,
            quantity: 1,
            unit_price: Money::zero(eur),
            total: Money::zero(eur),
            available_quantity: None,
            error: None,
        };
        assert_eq!(line("Tasse", "Tasse").variant_label(), None);
        assert_eq!(line("Tasse", "").variant_label(), None);
        assert_eq!(line("T-shirt", "M / Bleu").variant_label(), Some("M / Bleu"));
        assert_eq!(line("Tasse", "Tasse").item_name(), "Tasse");
        assert_eq!(line("T-shirt", "M / Bleu").item_name(), "T-shirt (M / Bleu)");
    }
}
