//! Posts of several media, and videos (protocol 1.2, `media`): the media chunk's entry
//! (`chunks::show_media`) and what it reads from a post. Pages of single photos never load
//! this code: the tags' download keeps a post's `media` as the backend sent it, unread.
//!
//! Where a post with media is shown decides how:
//! - a `<shoppable-post>` gets a carousel of all its media (`carousel.rs`);
//! - an `<img data-shoppable-post>` (a slide of the host page's own carousel) gets the tags of
//!   the medium with its address, else those of the post's first photo;
//! - a `<video data-shoppable-post>` gets the tags of the video with its address, else of the
//!   post's first video (`video.rs`).

use leptos::prelude::Owner;
use shoppable_protocol::url::is_web_address;
use shoppable_protocol::{Captions, LinkOut, MediaKind, MediaTag, Medium, ProductSummary, Video};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlImageElement, HtmlVideoElement};

use crate::api::{ApiClient, read_image, read_money, read_product};
use crate::config::WidgetContext;
use crate::json::Fields;
use crate::tags::TagView;

/// What the media chunk needs to show a post with media on a page element.
pub struct MediaArgs {
    pub ctx: WidgetContext,
    /// The `<shoppable-post>`, `<img>` or `<video>` naming the post.
    pub element: Element,
    pub post_id: String,
    /// The post's `media`, as the backend sent it.
    pub media: JsValue,
}

/// A tag of a video: drawn at its point (when it has one) from `start` to `end` seconds, and
/// listed in the video's product list all along.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoTag {
    pub tag: TagView,
    pub placed: bool,
    pub start: f64,
    pub end: f64,
}

/// The property of a slide's `<img>` or `<video>` (or a page's, showing a medium of a post of
/// several media) holding the medium's index in the post's `media`: the insight events of its
/// tags carry it (`insights::record`). A JS property, not an attribute: nothing in the page's
/// markup changes.
pub const MEDIA_INDEX: &str = "media_index";

/// Sets (or clears) the medium's index on the element showing it (see [`MEDIA_INDEX`]).
pub fn mark_medium(element: &JsValue, index: Option<u32>) {
    let _ = js_sys::Reflect::set(element, &MEDIA_INDEX.into(), &index.map_or(JsValue::UNDEFINED, JsValue::from));
}

/// The media of a post that this widget can show, in order, with their addresses made
/// absolute as the protocol says. A medium that does not read (a type from a later revision)
/// is skipped. Each comes with its index in the post's `media` when the post has several (for
/// the insight events of its tags), `None` when it has one.
pub fn read_media(media: &JsValue, client: Option<&ApiClient>) -> Vec<(Option<u32>, Medium)> {
    let items = if js_sys::Array::is_array(media) { js_sys::Array::from(media).to_vec() } else { vec![] };
    let several = items.len() > 1;
    let mut media: Vec<(Option<u32>, Medium)> =
        (0..).zip(items).filter_map(|(index, item)| Some((several.then_some(index), read_medium(&Fields::of(item)?)?))).collect();
    if let Some(client) = client {
        for (_, medium) in &mut media {
            client.absolute(&mut medium.image.url);
            if let Some(video) = &mut medium.video {
                client.absolute(&mut video.url);
                video.captions.iter_mut().for_each(|captions| client.absolute(&mut captions.url));
            }
            for tag in &mut medium.tags {
                let product_image = tag.product.as_mut().and_then(|p| p.image_url.as_mut());
                product_image.into_iter().chain(tag.link.as_mut().and_then(|l| l.image_url.as_mut())).for_each(|url| client.absolute(url));
            }
        }
    }
    media.retain(|(_, medium)| (medium.kind == MediaKind::Video) == medium.video.as_ref().is_some_and(|v| !v.url.is_empty()));
    media
}

/// A medium of `media`, read field by field as the protocol's types define it (see
/// `json::Fields`): serde's deserializers here would be shared with the card's and the
/// checkout's, cutting their code into more files for every purchase to fetch.
fn read_medium(medium: &Fields) -> Option<Medium> {
    let kind = match medium.string("type")?.as_str() {
        "photo" => MediaKind::Photo,
        "video" => MediaKind::Video,
        _ => return None,
    };
    let video = match medium.object("video") {
        Some(video) => Some(Video {
            url: video.string("url")?,
            captions: video
                .list("captions")
                .into_iter()
                .filter_map(|captions| {
                    let captions = Fields::of(captions)?;
                    Some(Captions { url: captions.string("url")?, language: captions.string("language")?, label: captions.string("label") })
                })
                .collect(),
        }),
        None => None,
    };
    let tags = medium.list("tags").into_iter().map(|tag| read_tag(&Fields::of(tag)?)).collect::<Option<_>>()?;
    Some(Medium { kind, image: read_image(&medium.object("image")?)?, video, tags })
}

fn read_tag(tag: &Fields) -> Option<MediaTag> {
    let link = match tag.object("link") {
        Some(link) => Some(LinkOut {
            title: link.string("title")?,
            price: read_money(&link.object("price")?)?,
            compare_at_price: link.object("compare_at_price").and_then(|money| read_money(&money)),
            url: link.string("url")?,
            image_url: link.string("image_url"),
        }),
        None => None,
    };
    let product = match tag.object("product") {
        Some(product) => Some(read_product(&product)?),
        None => None,
    };
    Some(MediaTag {
        id: tag.string("id")?,
        x: tag.number("x"),
        y: tag.number("y"),
        start: tag.number("start"),
        end: tag.number("end"),
        product,
        link,
    })
}

/// A medium's tag as the overlay draws it: a catalog product, or a link-out product whose card
/// links to its page (only a complete http(s) address; another tag is left out). A tag
/// without a point (some video tags) gets (0, 0): see [`VideoTag::placed`].
pub fn tag_view(tag: &MediaTag) -> Option<TagView> {
    let (x, y) = (tag.x.unwrap_or(0.0), tag.y.unwrap_or(0.0));
    if !shoppable_protocol::post::is_fraction(x) || !shoppable_protocol::post::is_fraction(y) {
        return None;
    }
    let (product, link) = match (&tag.product, &tag.link) {
        (Some(product), None) => (product.clone(), None),
        (None, Some(link)) if is_web_address(&link.url) => {
            let product = ProductSummary {
                id: link.url.clone(),
                title: link.title.clone(),
                price: link.price,
                compare_at_price: link.compare_at_price,
                image_url: link.image_url.clone(),
                available: true,
            };
            (product, Some(link.url.clone()))
        }
        _ => return None,
    };
    Some(TagView { id: tag.id.clone(), x, y, product, link })
}

/// A photo's tags, ready to draw.
pub fn photo_tags(medium: &Medium) -> Vec<TagView> {
    medium.tags.iter().filter_map(tag_view).collect()
}

/// A video's tags, with their time ranges.
pub fn video_tags(medium: &Medium) -> Vec<VideoTag> {
    medium
        .tags
        .iter()
        .filter_map(|tag| {
            let (start, end) = (tag.start?, tag.end?);
            Some(VideoTag { tag: tag_view(tag)?, placed: tag.x.is_some() && tag.y.is_some(), start, end })
        })
        .collect()
}

/// The tags drawn on a video at `time` seconds: those with a point whose range holds it
/// (from `start`, until just before `end`), in the post's order.
pub fn shown_at(tags: &[VideoTag], time: f64) -> Vec<usize> {
    tags.iter().enumerate().filter(|(_, t)| t.placed && t.start <= time && time < t.end).map(|(i, _)| i).collect()
}

/// The medium of `kind` whose file is at `address` (an element's `currentSrc` or `src`),
/// else the first medium of that kind, with its index as [`read_media`] gives it.
pub fn medium_for<'a>(media: &'a [(Option<u32>, Medium)], kind: MediaKind, addresses: &[String]) -> Option<&'a (Option<u32>, Medium)> {
    let of_kind = || media.iter().filter(move |(_, m)| m.kind == kind);
    let file = |m: &Medium| match kind {
        MediaKind::Photo => m.image.url.clone(),
        MediaKind::Video => m.video.as_ref().map(|v| v.url.clone()).unwrap_or_default(),
    };
    of_kind().find(|(_, m)| addresses.iter().any(|a| !a.is_empty() && *a == file(m))).or_else(|| of_kind().next())
}

/// A carousel or a video's tags that this chunk drew: dropped (`mount::keep_media`), it takes
/// them off the page.
struct Shown(Owner, #[allow(dead_code)] Box<dyn std::any::Any>);

impl Drop for Shown {
    fn drop(&mut self) {
        self.0.cleanup();
    }
}

/// Shows the post's media on `args.element` (see the module's documentation), replacing what
/// this chunk drew there before. Problems are said in the console; the element stays as it was.
pub fn show(args: MediaArgs) {
    let MediaArgs { ctx, element, post_id, media } = args;
    // What was drawn here before goes first: its cleanup puts the element back as it was.
    crate::mount::unmount_element(&element);
    let media = read_media(&media, ctx.client().as_ref());
    let drawn = if let Some(image) = element.dyn_ref::<HtmlImageElement>() {
        let addresses = ["currentSrc", "src"].map(|name| property(image, name).as_string().unwrap_or_default());
        match medium_for(&media, MediaKind::Photo, &addresses) {
            Some((index, medium)) => {
                mark_medium(image, *index);
                crate::mount::mount_tags(image, &post_id, photo_tags(medium), ctx).map(|()| None)
            }
            None => Err("the post has no photo".into()),
        }
    } else if let Some(video) = element.dyn_ref::<HtmlVideoElement>() {
        let addresses = ["currentSrc", "src"].map(|name| property(video, name).as_string().unwrap_or_default());
        match medium_for(&media, MediaKind::Video, &addresses) {
            Some((index, medium)) => {
                mark_medium(video, *index);
                crate::video::mount(video, &post_id, video_tags(medium), ctx).map(Some)
            }
            None => Err("the post has no video".into()),
        }
    } else if media.is_empty() {
        Err("the post has no media this widget can show".into())
    } else {
        crate::carousel::mount(&element, &post_id, media, ctx).map(Some)
    };
    match drawn {
        Ok(Some((owner, view))) => crate::mount::keep_media(element, Box::new(Shown(owner, view))),
        Ok(None) => {}
        Err(error) => web_sys::console::warn_2(&format!("Shoppable: post `{post_id}` could not be shown:").into(), &error),
    }
}

/// A DOM property, read through `Reflect`. The media chunk reads videos' and pointer events'
/// properties this way: each typed web-sys call would add its own function to the glue, which
/// carries every chunk's imports and which every page downloads before its first tags.
pub fn property(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A number property (`currentTime`, `clientX`); 0 when it is not one.
pub fn number(target: &JsValue, name: &str) -> f64 {
    property(target, name).as_f64().unwrap_or(0.0)
}

/// A boolean property (`controls`, `altKey`).
pub fn flag(target: &JsValue, name: &str) -> bool {
    property(target, name).is_truthy()
}

/// The element children of `element`.
pub fn children(element: &Element) -> Vec<Element> {
    js_sys::Array::from(&property(element, "children")).iter().map(JsCast::unchecked_into).collect()
}

/// Pauses a video (`HTMLMediaElement.pause()`).
pub fn pause(video: &JsValue) {
    if let Some(pause) = property(video, "pause").dyn_ref::<js_sys::Function>() {
        let _ = pause.call0(video);
    }
}

/// What `carousel::mount` and `video::mount` hand back: the owner of all they made (cleaning
/// it up takes it off the page) and the mounted view.
pub type Drawn = (Owner, Box<dyn std::any::Any>);
