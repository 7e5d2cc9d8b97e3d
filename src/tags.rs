//! What a tag shows, from a backend post or from static-mode JSON written in the page.

use serde::Deserialize;
use shoppable_protocol::{Money, Post, ProductSummary, url::is_safe_link};

/// One tag ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct TagView {
    pub id: String,
    /// Fractions of the photo's width and height.
    pub x: f64,
    pub y: f64,
    pub product: ProductSummary,
    /// Static mode: where the card's link goes (an affiliate or shop page); backend products
    /// are loaded from the API instead.
    pub link: Option<String>,
}

impl TagView {
    pub fn from_post(post: &Post) -> Vec<TagView> {
        post.tags
            .iter()
            .filter(|tag| shoppable_protocol::post::is_fraction(tag.x) && shoppable_protocol::post::is_fraction(tag.y))
            .map(|tag| TagView { id: tag.id.clone(), x: tag.x, y: tag.y, product: tag.product.clone(), link: None })
            .collect()
    }
}

/// A tag as written in `data-shoppable-tags`:
/// `{"x":0.31,"y":0.62,"title":"Lampe","price":"49.00 EUR","url":"https://..."}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StaticTag {
    x: f64,
    y: f64,
    title: String,
    price: String,
    url: String,
    #[serde(default)]
    compare_at: Option<String>,
    #[serde(default)]
    image: Option<String>,
}

/// Parses static-mode JSON. Each refused tag yields one message saying why; the others are
/// still shown.
pub fn parse_static_tags(json: &str) -> (Vec<TagView>, Vec<String>) {
    let raw: Vec<serde_json::Value> = match serde_json::from_str(json) {
        Ok(raw) => raw,
        Err(error) => return (vec![], vec![format!("data-shoppable-tags is not a JSON array of tags: {error}")]),
    };
    let mut tags = Vec::new();
    let mut problems = Vec::new();
    for (index, value) in raw.into_iter().enumerate() {
        match static_tag(index, value) {
            Ok(tag) => tags.push(tag),
            Err(problem) => problems.push(format!("tag {}: {problem}", index + 1)),
        }
    }
    (tags, problems)
}

fn static_tag(index: usize, value: serde_json::Value) -> Result<TagView, String> {
    let tag: StaticTag = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if !shoppable_protocol::post::is_fraction(tag.x) || !shoppable_protocol::post::is_fraction(tag.y) {
        return Err(format!("x and y must be fractions from 0 to 1, got {} and {}", tag.x, tag.y));
    }
    if !is_safe_link(&tag.url) {
        return Err(format!("url `{}` is not an http(s) link", tag.url));
    }
    let price = Money::parse(&tag.price).map_err(|e| e.to_string())?;
    let compare_at_price = tag.compare_at.as_deref().map(Money::parse).transpose().map_err(|e| e.to_string())?;
    let image_url = tag.image.filter(|url| is_safe_link(url));
    Ok(TagView {
        id: format!("static-{index}"),
        x: tag.x,
        y: tag.y,
        product: ProductSummary { id: tag.url.clone(), title: tag.title, price, compare_at_price, image_url, available: true },
        link: Some(tag.url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_static_tags_and_refuses_bad_ones_with_a_reason() {
        let json = r#"[
            {"x":0.31,"y":0.62,"title":"Lampe","price":"49.00 EUR","url":"https://shop.example/lampe"},
            {"x":0.5,"y":0.5,"title":"Bad","price":"49.00 EUR","url":"javascript:alert(1)"},
            {"x":1.5,"y":0.5,"title":"Off","price":"1 EUR","url":"/p"},
            {"x":0.2,"y":0.2,"title":"Cheap","price":"12,00 EUR","url":"/p"}
        ]"#;
        let (tags, problems) = parse_static_tags(json);
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].product.title, "Lampe");
        assert_eq!(tags[0].product.price.amount, 4900);
        assert_eq!(tags[0].link.as_deref(), Some("https://shop.example/lampe"));
        assert_eq!(problems.len(), 3);
        assert!(problems[0].starts_with("tag 2: url"), "{problems:?}");
        assert!(problems[1].contains("fractions"), "{problems:?}");
        assert!(problems[2].contains("12,00 EUR"), "{problems:?}");
    }

    #[test]
    fn refuses_json_that_is_not_a_list() {
        let (tags, problems) = parse_static_tags("{oops");
        assert!(tags.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
