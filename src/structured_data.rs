//! schema.org `Product`/`Offer` JSON-LD for the products tagged on the page, so search engines
//! see what each photo sells.

use serde::Serialize;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Money, Post};
use wasm_bindgen::JsValue;
use web_sys::Document;

/// One `<script type="application/ld+json">` per post, marked with this attribute.
const MARK: &str = "data-shoppable-json-ld";

#[derive(Serialize)]
struct Graph {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<ProductNode>,
}

#[derive(Serialize)]
struct ProductNode {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: String,
    offers: Offer,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Offer {
    #[serde(rename = "@type")]
    kind: &'static str,
    price: String,
    price_currency: String,
    availability: &'static str,
}

/// The JSON-LD graph of a post's products, as JSON text.
pub fn post_json_ld(post: &Post, base_url: &str) -> String {
    let absolute = |url: &str| {
        web_sys::Url::new_with_base(url, base_url).map(|u| u.href()).unwrap_or_else(|_| url.to_owned())
    };
    let page = base_url.split('#').next().unwrap_or(base_url);
    let graph = post
        .tags
        .iter()
        .map(|tag| {
            let product = &tag.product;
            ProductNode {
                kind: "Product",
                id: format!("{page}#product-{}", product.id),
                name: product.title.clone(),
                offers: Offer {
                    kind: "Offer",
                    price: decimal(&product.price),
                    price_currency: product.price.currency.as_str().to_owned(),
                    availability: if product.available { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                },
                image: product.image_url.as_deref().filter(|u| is_safe_link(u)).map(absolute),
            }
        })
        .collect();
    crate::json::to_string(&Graph { context: "https://schema.org", graph }).unwrap_or_default()
}

/// `29.90` for 29.90 EUR: schema.org wants the number without the currency.
fn decimal(money: &Money) -> String {
    let text = money.to_string();
    text.split(' ').next().unwrap_or(&text).to_owned()
}

/// Adds (or replaces) the post's JSON-LD in the document's `<head>`.
pub fn publish(document: &Document, post: &Post) -> Result<(), JsValue> {
    let Some(head) = document.head() else { return Ok(()) };
    let base = document.url().unwrap_or_default();
    let script = match head.query_selector(&format!("script[{MARK}=\"{}\"]", css_string(&post.id)))? {
        Some(existing) => existing,
        None => {
            let script = document.create_element("script")?;
            script.set_attribute("type", "application/ld+json")?;
            script.set_attribute(MARK, &post.id)?;
            head.append_child(&script)?;
            script
        }
    };
    // Set as text, never as HTML; `</` is escaped so the JSON cannot close the script element.
    script.set_text_content(Some(&post_json_ld(post, &base).replace("</", "<\\/")));
    Ok(())
}

/// Escapes a value for a double-quoted CSS attribute selector.
fn css_string(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}
