//! Posts: a shoppable image and the tags on it.

use serde::{Deserialize, Serialize};

use crate::ProductSummary;

/// `GET /v1/posts/{id}`, and each element of a batch read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Post {
    pub id: String,
    pub image: Image,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Image {
    /// An absolute http(s) URL, or a reference relative to the API's base URL (never to the
    /// page showing it): see "URLs in answers" in PROTOCOL.md.
    pub url: String,
    /// Intrinsic size in pixels, so clients can reserve the space and place tags before the
    /// image has loaded.
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub alt: String,
}

/// A product tag at a point of the image, in fractions of its width (`x`) and height (`y`)
/// from the top-left corner, so it stays on the object at any displayed size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tag {
    /// Unique within the post; stable until the post is replaced (a replacement may renumber
    /// its tags).
    pub id: String,
    /// 0.0 (left edge) to 1.0 (right edge).
    pub x: f64,
    /// 0.0 (top edge) to 1.0 (bottom edge).
    pub y: f64,
    pub product: ProductSummary,
}

/// `GET /v1/posts?ids=a,b,c`: many posts in one request. Ids with no post are listed in
/// `missing` instead of failing the whole batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostBatch {
    pub posts: Vec<Post>,
    #[serde(default)]
    pub missing: Vec<String>,
}

/// `PUT /v1/admin/posts/{id}`: creates or replaces a post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostInput {
    pub image: Image,
    #[cfg_attr(feature = "schema", schemars(length(max = 5)))]
    pub tags: Vec<TagInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagInput {
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub x: f64,
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub y: f64,
    pub product_id: String,
}

/// Longest post id, in ASCII characters.
pub const MAX_ID_LEN: usize = 100;

/// True when `id` can name a post: 1 to [`MAX_ID_LEN`] ASCII letters, digits, `-`, `_` or
/// `.`, so it is safe in a URL path as is. (Product and variant ids are the catalog's, as
/// they are.)
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// True when a tag coordinate is a finite fraction of the image.
pub fn is_fraction(value: f64) -> bool {
    (0.0..=1.0).contains(&value)
}

#[cfg(test)]
mod tests {
    use super::is_valid_id;

    #[test]
    fn ids_are_short_url_safe_words() {
        for id in ["coffee", "look-2026.03_a", "A", &"x".repeat(100)] {
            assert!(is_valid_id(id), "{id}");
        }
        for id in ["", "pas d'espace", "a/b", "é", "a b", "<script>", &"x".repeat(101)] {
            assert!(!is_valid_id(id), "{id}");
        }
    }
}
