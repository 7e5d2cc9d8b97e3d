//! What a tag shows, from a backend post or from static-mode JSON written in the page.

use shoppable_protocol::{Money, PhotoPost, ProductSummary, url::is_safe_link};

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
    pub fn from_post(post: &PhotoPost) -> Vec<TagView> {
        post.tags
            .iter()
            .filter(|tag| shoppable_protocol::post::is_fraction(tag.x) && shoppable_protocol::post::is_fraction(tag.y))
            .map(|tag| TagView { id: tag.id.clone(), x: tag.x, y: tag.y, product: tag.product.clone(), link: None })
            .collect()
    }
}

/// A tag as written in `data-shoppable-tags`:
/// `{"x":0.31,"y":0.62,"title":"Lampe","price":"49.00 EUR","url":"https://..."}`, with
/// optional `compareAt` (a price) and `image` (a URL).
struct StaticTag {
    x: f64,
    y: f64,
    title: String,
    price: String,
    url: String,
    compare_at: Option<String>,
    image: Option<String>,
}

impl StaticTag {
    fn read(value: wasm_bindgen::JsValue) -> Result<StaticTag, String> {
        let fields = crate::json::Fields::of(value).ok_or("not an object")?;
        let required = |key: &str| fields.string(key).ok_or_else(|| format!("`{key}` must be a string"));
        Ok(StaticTag {
            x: fields.number("x").ok_or("`x` must be a number")?,
            y: fields.number("y").ok_or("`y` must be a number")?,
            title: required("title")?,
            price: required("price")?,
            url: required("url")?,
            compare_at: fields.string("compareAt"),
            image: fields.string("image"),
        })
    }
}

/// Parses static-mode JSON. Each refused tag yields one message saying why; the others are
/// still shown.
pub fn parse_static_tags(json: &str) -> (Vec<TagView>, Vec<String>) {
    let Some(raw) = js_sys::JSON::parse(json).ok().filter(js_sys::Array::is_array).map(|value| js_sys::Array::from(&value)) else {
        return (vec![], vec!["data-shoppable-tags is not a JSON array of tags".to_owned()]);
    };
    let mut tags = Vec::new();
    let mut problems = Vec::new();
    for (index, value) in raw.iter().enumerate() {
        match static_tag(index, value) {
            Ok(tag) => tags.push(tag),
            Err(problem) => problems.push(format!("tag {}: {problem}", index + 1)),
        }
    }
    (tags, problems)
}

fn static_tag(index: usize, value: wasm_bindgen::JsValue) -> Result<TagView, String> {
    let tag = StaticTag::read(value)?;
    if !shoppable_protocol::post::is_fraction(tag.x) || !shoppable_protocol::post::is_fraction(tag.y) {
        return Err("x and y must be fractions from 0 to 1".to_owned());
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
