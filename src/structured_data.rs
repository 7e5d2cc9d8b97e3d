//! schema.org `Product`/`Offer` JSON-LD for the products tagged on the page, so search engines
//! see what each photo sells.

use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Money, PhotoPost};
use wasm_bindgen::JsValue;
use web_sys::Document;

use crate::json::object;

/// One `<script type="application/ld+json">` per post, marked with this attribute.
const MARK: &str = "data-shoppable-json-ld";

/// The JSON-LD graph of a post's products, as JSON text (built from JS objects: this runs
/// where the tags show, whose download counts).
pub fn post_json_ld(post: &PhotoPost, base_url: &str) -> String {
    let absolute = |url: &str| web_sys::Url::new_with_base(url, base_url).map(|u| u.href()).unwrap_or_else(|_| url.to_owned());
    let page = base_url.split('#').next().unwrap_or(base_url);
    let graph: js_sys::Array = post
        .tags
        .iter()
        .map(|tag| {
            let product = &tag.product;
            let offer = object(&[
                ("@type", "Offer".into()),
                ("price", decimal(&product.price).into()),
                ("priceCurrency", product.price.currency.as_str().into()),
                ("availability", if product.available { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" }.into()),
            ]);
            let image = product.image_url.as_deref().filter(|u| is_safe_link(u)).map(absolute);
            object(&[
                ("@type", "Product".into()),
                ("@id", format!("{page}#product-{}", product.id).into()),
                ("name", product.title.as_str().into()),
                ("offers", offer),
                ("image", image.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)),
            ])
        })
        .collect();
    let document = object(&[("@context", "https://schema.org".into()), ("@graph", graph.into())]);
    js_sys::JSON::stringify(&document).map(String::from).unwrap_or_default()
}

/// `29.90` for 29.90 EUR: schema.org wants the number without the currency.
fn decimal(money: &Money) -> String {
    let text = money.to_string();
    text.split(' ').next().unwrap_or(&text).to_owned()
}

/// Adds (or replaces) the post's JSON-LD in the document's `<head>`.
pub fn publish(document: &Document, post: &PhotoPost) -> Result<(), JsValue> {
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
