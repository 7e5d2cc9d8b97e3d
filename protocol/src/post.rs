//! Posts: photos and videos, and the product tags on them.
//!
//! A post of revision 1.0 is one photo with catalog tags (`image`, `tags`). Since 1.2 a post
//! may hold up to [`MAX_MEDIA`] media, photos or videos, whose tags may also be link-out
//! products; `image` and `tags` stay as the post's first photo and its catalog tags, so a
//! client of 1.0 still shows that photo (see [`Post::media`]).

use serde::{Deserialize, Serialize};

use crate::url::{is_safe_link, is_web_address};
use crate::{Money, ProductSummary};

/// Most media one post may hold (Instagram's carousel limit).
pub const MAX_MEDIA: usize = 10;
/// Most tags one photo may carry (Instagram's limit).
pub const MAX_TAGS_PER_PHOTO: usize = 5;
/// Most tags one post may carry, all its media together (Instagram's limit); a video may use
/// them all.
pub const MAX_TAGS_PER_POST: usize = 20;
/// Most caption tracks of one video.
pub const MAX_CAPTIONS: usize = 20;
/// Latest time, in seconds, a video tag may end at (the server does not read the video).
pub const MAX_VIDEO_SECONDS: f64 = 4.0 * 3600.0;
/// Longest URL a post may hold.
pub const MAX_URL_LEN: usize = 2000;
/// Longest text (a link-out title, an alt text), in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// `GET /v1/posts/{id}`, and each element of a batch read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Post {
    pub id: String,
    /// The post's first photo (the 1.0 view of the post); in a post of videos only, the
    /// first video's poster.
    pub image: Image,
    /// The catalog tags of that first photo (none on a poster): what a client of 1.0 shows.
    pub tags: Vec<Tag>,
    /// Since 1.2: every medium of the post in order, the first photo included, with all its
    /// tags. Absent when the post is exactly `image` and `tags` (one photo, catalog tags
    /// only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<Medium>>,
}

/// A post as a client of 1.0 reads it: the `id`, `image` and `tags` of a [`Post`], its first
/// photo and that photo's catalog tags. The widget keeps this much until it shows media, so
/// that pages of single photos carry no code for them.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoPost {
    pub id: String,
    pub image: Image,
    pub tags: Vec<Tag>,
}

impl From<Post> for PhotoPost {
    fn from(post: Post) -> PhotoPost {
        PhotoPost { id: post.id, image: post.image, tags: post.tags }
    }
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

/// What a medium is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Video,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
        }
    }

    pub fn parse(text: &str) -> Option<MediaKind> {
        [MediaKind::Photo, MediaKind::Video].into_iter().find(|kind| kind.as_str() == text)
    }
}

/// One photo or video of a post (since 1.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Medium {
    #[serde(rename = "type")]
    pub kind: MediaKind,
    /// The photo; for a video, its poster image, with the video's intrinsic size and its text
    /// alternative.
    pub image: Image,
    /// The video itself; present exactly when `type` is `video`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Video>,
    pub tags: Vec<MediaTag>,
}

/// A video's file and captions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Video {
    /// The video file (MP4 or WebM), a URL as `image.url`.
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captions: Vec<Captions>,
}

/// A WebVTT caption track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Captions {
    /// The `.vtt` file, a URL as `image.url`.
    pub url: String,
    /// Its language, a BCP 47 tag (`fr`, `de-CH`).
    pub language: String,
    /// The name shown in the video's caption menu; clients name the language when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A tag of a medium (since 1.2): a catalog product or a link-out product, at a point of the
/// photo, or on a video during a time range, at a point or in the video's product list only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediaTag {
    /// Unique within the post, as `tags[].id`; a tag of the first photo has the same id in
    /// `tags` and in `media`.
    pub id: String,
    /// Fractions as `tags[].x` and `y`; always on a photo, optional on a video (both or
    /// neither): a video tag without a position is listed, not drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<f64>,
    /// Video tags only: shown from `start` to `end`, in seconds from the video's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
    /// A catalog product; exactly one of `product` and `link` is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductSummary>,
    /// A link-out product (an affiliate link, another shop's page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkOut>,
}

/// A product sold elsewhere: the tag's card shows it and links out; it is never added to the
/// bag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkOut {
    pub title: String,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Money>,
    /// A complete http(s) address.
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
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

/// `PUT /v1/admin/posts/{id}`: creates or replaces a post. Either `image` and `tags` (one
/// photo, as in 1.0) or `media` (since 1.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = 5)))]
    pub tags: Vec<TagInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 10)))]
    pub media: Option<Vec<MediumInput>>,
}

/// One medium of a `PostInput`, as [`Medium`] with tags to save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediumInput {
    #[serde(rename = "type")]
    pub kind: MediaKind,
    pub image: Image,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Video>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 20)))]
    pub tags: Vec<TagInput>,
}

/// A tag to save: `x` and `y` on a photo; `start` and `end` (and optionally `x` and `y`) on
/// a video; and either the `product_id` of a catalog product or a `link`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub x: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub y: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 14400.0)))]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 14400.0)))]
    pub end: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkOut>,
}

/// A refused `PostInput`: the JSON path of the first bad value (`media[2].tags[0].start`) and
/// why, in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostProblem {
    pub field: String,
    pub message: String,
}

impl PostProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> PostProblem {
        PostProblem { field: field.into(), message: message.into() }
    }
}

/// A `PostInput` whose every value follows the rules, read as media (a 1.0 input is one
/// photo). Whether each `product_id` names a product is the backend's to check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPost {
    pub media: Vec<MediumInput>,
    /// True when the input used `image` and `tags`: problems are then named by those paths.
    single_photo: bool,
}

impl CheckedPost {
    /// The JSON path of the input's tag `tag` of medium `medium`.
    pub fn tag_path(&self, medium: usize, tag: usize) -> String {
        if self.single_photo { format!("tags[{tag}]") } else { format!("media[{medium}].tags[{tag}]") }
    }
}

impl PostInput {
    /// The post's media if every rule holds (PROTOCOL.md, `PUT /v1/admin/posts/{id}`), else
    /// the first problem.
    pub fn check(&self) -> Result<CheckedPost, PostProblem> {
        let (media, single_photo) = match (&self.image, &self.media) {
            (Some(_), Some(_)) => return Err(PostProblem::new("media", "send either image and tags, or media")),
            (None, Some(_)) if !self.tags.is_empty() => {
                return Err(PostProblem::new("tags", "with media, tags belong to each medium"));
            }
            (None, None) => return Err(PostProblem::new("image", "a post needs an image, or media")),
            (Some(image), None) => {
                (vec![MediumInput { kind: MediaKind::Photo, image: image.clone(), video: None, tags: self.tags.clone() }], true)
            }
            (None, Some(media)) => (media.clone(), false),
        };
        let checked = CheckedPost { media, single_photo };
        if checked.media.is_empty() || checked.media.len() > MAX_MEDIA {
            return Err(PostProblem::new("media", format!("a post has 1 to {MAX_MEDIA} media")));
        }
        for (i, medium) in checked.media.iter().enumerate() {
            let path = if single_photo { String::new() } else { format!("media[{i}].") };
            check_medium(medium, &path)?;
            for (j, tag) in medium.tags.iter().enumerate() {
                check_tag(medium.kind, tag, &checked.tag_path(i, j))?;
            }
        }
        let total: usize = checked.media.iter().map(|m| m.tags.len()).sum();
        if total > MAX_TAGS_PER_POST {
            return Err(PostProblem::new("media", format!("a post has at most {MAX_TAGS_PER_POST} tags in all")));
        }
        Ok(checked)
    }
}

fn check_url(url: &str, field: String) -> Result<(), PostProblem> {
    if is_safe_link(url) && url.len() <= MAX_URL_LEN {
        Ok(())
    } else {
        Err(PostProblem::new(field, format!("a URL is http(s) or a relative path, of at most {MAX_URL_LEN} bytes")))
    }
}

fn check_text(text: &str, field: String) -> Result<(), PostProblem> {
    if text.chars().count() <= MAX_TEXT_CHARS {
        Ok(())
    } else {
        Err(PostProblem::new(field, format!("at most {MAX_TEXT_CHARS} characters")))
    }
}

fn check_medium(medium: &MediumInput, path: &str) -> Result<(), PostProblem> {
    let image = &medium.image;
    check_url(&image.url, format!("{path}image.url"))?;
    for (axis, value) in [("width", image.width), ("height", image.height)] {
        if value == 0 {
            return Err(PostProblem::new(format!("{path}image.{axis}"), "the size is given in pixels"));
        }
    }
    let limit = match (medium.kind, &medium.video) {
        (MediaKind::Photo, None) => MAX_TAGS_PER_PHOTO,
        (MediaKind::Photo, Some(_)) => return Err(PostProblem::new(format!("{path}video"), "a photo has no video")),
        (MediaKind::Video, None) => return Err(PostProblem::new(format!("{path}video"), "a video needs its video.url")),
        (MediaKind::Video, Some(video)) => {
            check_url(&video.url, format!("{path}video.url"))?;
            if video.captions.len() > MAX_CAPTIONS {
                return Err(PostProblem::new(format!("{path}video.captions"), format!("at most {MAX_CAPTIONS} caption tracks")));
            }
            for (k, captions) in video.captions.iter().enumerate() {
                let field = format!("{path}video.captions[{k}]");
                check_url(&captions.url, format!("{field}.url"))?;
                if !is_language_tag(&captions.language) {
                    return Err(PostProblem::new(format!("{field}.language"), "a language tag such as fr or de-CH"));
                }
                check_text(captions.label.as_deref().unwrap_or(""), format!("{field}.label"))?;
            }
            MAX_TAGS_PER_POST
        }
    };
    if medium.tags.len() > limit {
        let what = medium.kind.as_str();
        return Err(PostProblem::new(format!("{path}tags"), format!("a {what} has at most {limit} tags")));
    }
    Ok(())
}

fn check_tag(kind: MediaKind, tag: &TagInput, path: &str) -> Result<(), PostProblem> {
    let problem = |name: &str, message: &str| Err(PostProblem::new(format!("{path}.{name}"), message));
    match (tag.x, tag.y) {
        (Some(x), Some(y)) => {
            for (axis, value) in [("x", x), ("y", y)] {
                if !is_fraction(value) {
                    return problem(axis, "a tag position is a fraction from 0 to 1");
                }
            }
        }
        (None, Some(_)) => return problem("x", "a position has both x and y"),
        (Some(_), None) => return problem("y", "a position has both x and y"),
        (None, None) if kind == MediaKind::Photo => return problem("x", "a photo's tag has a position"),
        (None, None) => {}
    }
    match (kind, tag.start, tag.end) {
        (MediaKind::Photo, None, None) => {}
        (MediaKind::Photo, Some(_), _) => return problem("start", "only a video's tags have a time range"),
        (MediaKind::Photo, None, Some(_)) => return problem("end", "only a video's tags have a time range"),
        (MediaKind::Video, None, _) => return problem("start", "a video's tag has a start time"),
        (MediaKind::Video, _, None) => return problem("end", "a video's tag has an end time"),
        (MediaKind::Video, Some(start), Some(end)) => {
            if !is_time_range(start, end) {
                let name = if (0.0..MAX_VIDEO_SECONDS).contains(&start) { "end" } else { "start" };
                return problem(name, "a time range is 0 <= start < end <= 14400 seconds");
            }
        }
    }
    match (&tag.product_id, &tag.link) {
        (Some(_), Some(_)) => problem("link", "a tag shows a catalog product or a link, not both"),
        (None, None) => problem("product_id", "a tag needs a product_id or a link"),
        (Some(id), None) if id.is_empty() => problem("product_id", "no product with that id"),
        (Some(_), None) => Ok(()),
        (None, Some(link)) => check_link(link, &format!("{path}.link")),
    }
}

fn check_link(link: &LinkOut, path: &str) -> Result<(), PostProblem> {
    if link.title.trim().is_empty() {
        return Err(PostProblem::new(format!("{path}.title"), "a link-out product has a title"));
    }
    check_text(&link.title, format!("{path}.title"))?;
    if link.price.amount < 0 {
        return Err(PostProblem::new(format!("{path}.price"), "a price is not negative"));
    }
    if let Some(former) = &link.compare_at_price
        && (former.currency != link.price.currency || former.amount <= link.price.amount)
    {
        return Err(PostProblem::new(format!("{path}.compare_at_price"), "a former price is higher, in the same currency"));
    }
    if !is_web_address(&link.url) || link.url.len() > MAX_URL_LEN {
        return Err(PostProblem::new(format!("{path}.url"), "a link-out product's url is a complete http(s) address"));
    }
    if let Some(url) = &link.image_url {
        check_url(url, format!("{path}.image_url"))?;
    }
    Ok(())
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

/// True when a video tag may show from `start` to `end` seconds: finite, `0 <= start < end`,
/// and `end` at most [`MAX_VIDEO_SECONDS`].
pub fn is_time_range(start: f64, end: f64) -> bool {
    (0.0..MAX_VIDEO_SECONDS).contains(&start) && start < end && end <= MAX_VIDEO_SECONDS
}

/// True for a BCP 47 language tag as captions name theirs: a 2 or 3 letter language, then
/// subtags of 1 to 8 letters or digits (`fr`, `de-CH`, `zh-Hant-TW`), at most 35 characters.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    tag.len() <= 35
        && (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    #[test]
    fn ids_are_short_url_safe_words() {
        for id in ["coffee", "look-2026.03_a", "A", &"x".repeat(100)] {
            assert!(is_valid_id(id), "{id}");
        }
        for id in ["", "pas d'espace", "a/b", "é", "a b", "<script>", &"x".repeat(101)] {
            assert!(!is_valid_id(id), "{id}");
        }
    }

    fn image() -> Image {
        Image { url: "/www/images/a.png".into(), width: 600, height: 400, alt: String::new() }
    }

    fn at(x: f64, y: f64) -> TagInput {
        TagInput { x: Some(x), y: Some(y), start: None, end: None, product_id: Some("mug".into()), link: None }
    }

    fn during(start: f64, end: f64) -> TagInput {
        TagInput { x: None, y: None, start: Some(start), end: Some(end), product_id: Some("mug".into()), link: None }
    }

    fn photo(tags: Vec<TagInput>) -> MediumInput {
        MediumInput { kind: MediaKind::Photo, image: image(), video: None, tags }
    }

    fn video(tags: Vec<TagInput>) -> MediumInput {
        let video = Video { url: "/v1/media/a.mp4".into(), captions: vec![] };
        MediumInput { kind: MediaKind::Video, image: image(), video: Some(video), tags }
    }

    fn media(media: Vec<MediumInput>) -> PostInput {
        PostInput { image: None, tags: vec![], media: Some(media) }
    }

    fn field(input: &PostInput) -> String {
        input.check().expect_err("refused").field
    }

    fn link(url: &str) -> LinkOut {
        LinkOut { title: "Lampe".into(), price: Money::new(4900, Currency::EUR), compare_at_price: None, url: url.into(), image_url: None }
    }

    #[test]
    fn a_single_photo_post_of_1_0_is_one_photo_medium() {
        let input = PostInput { image: Some(image()), tags: vec![at(0.5, 0.5)], media: None };
        let checked = input.check().unwrap();
        assert_eq!(checked.media, vec![photo(vec![at(0.5, 0.5)])]);
        assert_eq!(checked.tag_path(0, 0), "tags[0]");
        let six = PostInput { image: Some(image()), tags: vec![at(0.5, 0.5); 6], media: None };
        assert_eq!(field(&six), "tags");
        let outside = PostInput { image: Some(image()), tags: vec![at(0.5, 1.5)], media: None };
        assert_eq!(field(&outside), "tags[0].y");
    }

    #[test]
    fn media_follow_instagram_limits() {
        assert!(media(vec![photo(vec![at(0.1, 0.1); 5]), video(vec![during(0.0, 1.0); 15])]).check().is_ok());
        assert_eq!(field(&media(vec![photo(vec![]); 11])), "media");
        assert_eq!(field(&media(vec![])), "media");
        assert_eq!(field(&media(vec![photo(vec![]), photo(vec![at(0.1, 0.1); 6])])), "media[1].tags");
        assert_eq!(field(&media(vec![photo(vec![at(0.1, 0.1); 5]), video(vec![during(0.0, 1.0); 16])])), "media");
        assert_eq!(field(&media(vec![video(vec![during(0.0, 1.0); 21])])), "media[0].tags");
    }

    #[test]
    fn video_tags_have_a_finite_time_range_and_maybe_a_position() {
        let mut placed = during(2.0, 4.5);
        (placed.x, placed.y) = (Some(0.3), Some(0.7));
        assert!(media(vec![video(vec![placed, during(0.0, 0.5)])]).check().is_ok());
        for (tag, expected) in [
            (during(1.0, 1.0), "end"),
            (during(3.0, 2.0), "end"),
            (during(-1.0, 2.0), "start"),
            (during(f64::NAN, 2.0), "start"),
            (during(0.0, f64::INFINITY), "end"),
            (during(0.0, MAX_VIDEO_SECONDS + 1.0), "end"),
            (TagInput { start: None, ..during(0.0, 1.0) }, "start"),
            (TagInput { end: None, ..during(0.0, 1.0) }, "end"),
            (TagInput { x: Some(0.5), ..during(0.0, 1.0) }, "y"),
        ] {
            assert_eq!(field(&media(vec![photo(vec![]), video(vec![during(0.0, 1.0), tag])])), format!("media[1].tags[1].{expected}"));
        }
        let timed_photo_tag = TagInput { start: Some(0.0), end: Some(1.0), ..at(0.1, 0.1) };
        assert_eq!(field(&media(vec![photo(vec![timed_photo_tag])])), "media[0].tags[0].start");
        assert_eq!(field(&media(vec![photo(vec![TagInput { x: None, y: None, ..at(0.0, 0.0) }])])), "media[0].tags[0].x");
    }

    #[test]
    fn links_out_sit_beside_catalog_products() {
        let affiliate = TagInput { product_id: None, link: Some(link("https://other.example/lamp")), ..at(0.2, 0.2) };
        assert!(media(vec![photo(vec![at(0.1, 0.1), affiliate.clone()])]).check().is_ok());
        assert!(PostInput { image: Some(image()), tags: vec![at(0.1, 0.1), affiliate.clone()], media: None }.check().is_ok());
        for (url, ok) in [("javascript:alert(1)", false), ("/relative", false), ("https://a.example/x", true)] {
            let tag = TagInput { link: Some(link(url)), ..affiliate.clone() };
            assert_eq!(media(vec![photo(vec![tag])]).check().is_ok(), ok, "{url}");
        }
        let both = TagInput { product_id: Some("mug".into()), ..affiliate.clone() };
        assert_eq!(field(&media(vec![photo(vec![both])])), "media[0].tags[0].link");
        let neither = TagInput { link: None, ..affiliate.clone() };
        assert_eq!(field(&media(vec![photo(vec![neither])])), "media[0].tags[0].product_id");
        let untitled = TagInput { link: Some(LinkOut { title: " ".into(), ..link("https://a.example") }), ..affiliate };
        assert_eq!(field(&media(vec![photo(vec![untitled])])), "media[0].tags[0].link.title");
    }

    #[test]
    fn media_urls_are_http_or_relative_and_kinds_match() {
        let mut bad = video(vec![]);
        bad.video.as_mut().unwrap().url = "javascript:alert(1)".into();
        assert_eq!(field(&media(vec![photo(vec![]), bad])), "media[1].video.url");
        let mut captions = video(vec![]);
        captions.video.as_mut().unwrap().captions = vec![
            Captions { url: "/subs/fr.vtt".into(), language: "fr".into(), label: None },
            Captions { url: "/subs/x.vtt".into(), language: "français".into(), label: None },
        ];
        assert_eq!(field(&media(vec![captions])), "media[0].video.captions[1].language");
        assert_eq!(field(&media(vec![MediumInput { video: None, ..video(vec![]) }])), "media[0].video");
        assert_eq!(field(&media(vec![MediumInput { kind: MediaKind::Photo, ..video(vec![]) }])), "media[0].video");
        let mut zero = photo(vec![]);
        zero.image.height = 0;
        assert_eq!(field(&media(vec![zero])), "media[0].image.height");
        let both = PostInput { image: Some(image()), ..media(vec![photo(vec![])]) };
        assert_eq!(field(&both), "media");
        assert_eq!(field(&PostInput { image: None, tags: vec![], media: None }), "image");
    }

    #[test]
    fn caption_languages_are_bcp47_tags() {
        for tag in ["fr", "de-CH", "zh-Hant-TW", "es-419"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in ["", "f", "français", "de_CH", "de-", "en-verylongsubtag", "<b>"] {
            assert!(!is_language_tag(tag), "{tag}");
        }
    }
}
