//! The page entry points the loader calls: mount widgets on marked elements, unmount them.

use std::collections::HashSet;
use std::rc::Rc;

use shoppable_protocol::PhotoPost;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlImageElement};

use crate::config::{WidgetConfig, WidgetContext};
use crate::tags::{TagView, parse_static_tags};

/// The attribute naming a backend post on an `<img>` (or the `post` attribute of a
/// `<shoppable-post>` element).
pub const POST_ATTRIBUTE: &str = "data-shoppable-post";
/// The attribute holding static-mode tags as JSON.
pub const STATIC_TAGS_ATTRIBUTE: &str = "data-shoppable-tags";

/// Runs when the module is instantiated, before the loader calls anything.
#[wasm_bindgen(start)]
pub fn start() {
    crate::crash::install();
}

fn warn(message: &str) {
    web_sys::console::warn_1(&format!("Shoppable: {message}").into());
}

/// Mounts widgets on `elements` (marked `<img>`s and `<shoppable-post>` elements), reading
/// all their backend posts in one batch. Resolves to the number of widgets mounted. An
/// element that cannot be mounted is left untouched, with one console warning saying why.
#[wasm_bindgen]
pub async fn mount(elements: Vec<Element>, config: JsValue) -> Result<u32, JsValue> {
    let config = WidgetConfig::from_js(config)?;
    let mut requests = Vec::new();
    let mut backend: Vec<(Element, String)> = Vec::new();
    let mut posts = Vec::new();
    for element in elements {
        if let Some(json) = element.get_attribute(STATIC_TAGS_ATTRIBUTE) {
            let (tags, problems) = parse_static_tags(&json);
            for problem in problems {
                warn(&problem);
            }
            match element.dyn_into::<HtmlImageElement>() {
                Ok(image) if !tags.is_empty() => requests.push(crate::mount::MountRequest { image, post_id: "static".into(), tags }),
                Ok(_) => {}
                Err(_) => warn("data-shoppable-tags belongs on an <img>"),
            }
        } else if let Some(id) = element.get_attribute(POST_ATTRIBUTE).or_else(|| element.get_attribute("post")) {
            backend.push((element, id));
        }
    }
    // The posts' batch leaves first: the widget sets up while it is on its way.
    let ids: Vec<String> = backend.iter().map(|(_, id)| id.clone()).collect();
    let reading = if ids.is_empty() {
        None
    } else if let Some(client) = config.client() {
        Some((client.posts(&ids), client))
    } else {
        warn("images name posts but the script tag has no data-api backend URL");
        None
    };
    let ctx = WidgetContext::new(config);
    crate::insights::configure(&ctx.config);
    crate::mount::unmount_detached();
    if let Some((sent, client)) = reading {
        let (mounts, read) = backend_requests(backend, &ids, sent.await, &client, &ctx)?;
        requests.extend(mounts);
        posts = read;
        // Reading the posts and mounting their widgets are two tasks: together they were the
        // longest task of a feed on a phone (bench/many-images.mjs --explain).
        crate::schedule::next_task().await;
    }
    let mounted = requests.len() as u32;
    // Widgets are mounted for a few milliseconds per task, so that a phone stays responsive
    // while a feed of many photos gets its tags: the page's input and frames come in between.
    // The page's first tags are what the reader waits for: when no widget is on the page yet,
    // the first task is shorter, and its roots are sized at its end, to show in the next frame
    // rather than the one after (`mount.rs` sizes the others then). Later mounts come while
    // the page scrolls: a layout forced for each of them was a long task each on a phone.
    let mut first_slice = crate::mount::none_mounted();
    let mut requests = requests.into_iter().peekable();
    while requests.peek().is_some() {
        let (start, slice) = (js_sys::Date::now(), if first_slice { FIRST_SLICE_MS } else { SLICE_MS });
        while js_sys::Date::now() - start < slice
            && let Some(request) = requests.next()
        {
            crate::mount::mount_all(vec![request], ctx.clone())?;
        }
        if std::mem::take(&mut first_slice) {
            crate::mount::size_unsized();
            // The rest waits until that frame is painted: a task that mounted more first
            // delayed the page's first tags (bench/many-images.mjs --explain).
            if requests.peek().is_some() {
                crate::schedule::after_next_frame().await;
            }
        } else if requests.peek().is_some() {
            crate::schedule::next_task().await;
        }
    }
    // Search engines' data is no part of showing the tags: it comes after them, from a chunk.
    if !posts.is_empty() {
        crate::chunks::publish_structured_data(posts);
    }
    Ok(mounted)
}

/// How long one task mounts widgets, in milliseconds; see `mount`.
const SLICE_MS: f64 = 24.0;
const FIRST_SLICE_MS: f64 = 8.0;

/// Prepares the mounts of `backend` elements from the posts read for their `ids`; elements
/// whose post could not be had are left out with one warning each. Also the posts read, once
/// each.
fn backend_requests(
    backend: Vec<(Element, String)>,
    ids: &[String],
    read: Result<crate::api::Posts, crate::api::ClientError>,
    client: &crate::api::ApiClient,
    ctx: &WidgetContext,
) -> Result<(Vec<crate::mount::MountRequest>, Vec<Rc<PhotoPost>>), JsValue> {
    let api = ctx.config.api.as_deref().unwrap_or_default();
    let posts = match read {
        Ok(posts) => posts,
        Err(error) => {
            warn(&format!("could not load posts {}: {error}{}", ids.join(", "), cors_hint(&error, api)));
            return Ok((vec![], vec![]));
        }
    };
    let mut requests = Vec::new();
    let mut warned = HashSet::new();
    for (element, id) in backend {
        let Some(post) = posts.get(&id) else {
            if warned.insert(id.clone()) {
                warn(&format!("post `{id}` was not found on {api}"));
            }
            continue;
        };
        if let Some(media) = client.media(&id) {
            // Several media, a video or links out: the media chunk shows them.
            crate::chunks::show_media(crate::media::MediaArgs { ctx: ctx.clone(), element, post_id: id, media });
            continue;
        }
        let image = match element.dyn_into::<HtmlImageElement>() {
            Ok(image) => image,
            Err(custom) => post_image(&custom, post)?,
        };
        requests.push(crate::mount::MountRequest { image, post_id: id, tags: TagView::from_post(post) });
    }
    Ok((requests, posts.into_values().collect()))
}

/// What the site owner can do when the backend gives no answer to a page of another origin:
/// the browser hides a CORS refusal behind a network error, so name the likely fix.
fn cors_hint(error: &crate::api::ClientError, api: &str) -> String {
    let page = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let api_origin = web_sys::Url::new_with_base(api, &page).map(|url| url.origin()).unwrap_or_default();
    match error {
        crate::api::ClientError::Network(_) if api_origin != page => format!(
            ". If the backend is up, it does not allow this page's origin: start it with --allowed-origin {page} \
             (or SHOPPABLE_ALLOWED_ORIGINS={page}), or let your backend send Access-Control-Allow-Origin for it"
        ),
        _ => String::new(),
    }
}

/// The photo of a `<shoppable-post>` element: its own `<img>` child, or one made from the post.
fn post_image(element: &Element, post: &shoppable_protocol::PhotoPost) -> Result<HtmlImageElement, JsValue> {
    if let Some(image) = element.query_selector("img")?.and_then(|e| e.dyn_into::<HtmlImageElement>().ok()) {
        return Ok(image);
    }
    let document = element.owner_document().ok_or("Shoppable: element has no document")?;
    let image: HtmlImageElement = document.create_element("img")?.unchecked_into();
    if shoppable_protocol::url::is_safe_link(&post.image.url) {
        image.set_src(&post.image.url);
    }
    image.set_alt(&post.image.alt);
    image.set_width(post.image.width);
    image.set_height(post.image.height);
    image.style().set_property("max-width", "100%")?;
    image.style().set_property("height", "auto")?;
    element.append_child(&image)?;
    Ok(image)
}

/// Removes the widget from a marked image or video, or a `<shoppable-post>` (its photo, or
/// its carousel with its videos), leaving the element as it was.
#[wasm_bindgen]
pub fn unmount(element: Element) {
    crate::mount::unmount_element(&element);
}

/// Opens the checkout sheet at `step` (a step name such as `bag`, or `resume`: just the badge
/// and an order a reload interrupted). The loader calls it for a shopper who has a bag or
/// orders with this shop, to re-open a restarted sheet on its step, and for
/// `Shoppable.openCheckout`.
#[wasm_bindgen]
pub fn open_checkout(step: String, opener: Option<web_sys::HtmlElement>, config: JsValue) -> Result<(), JsValue> {
    let ctx = WidgetContext::new(WidgetConfig::from_js(config)?);
    let command = match step.as_str() {
        "resume" => crate::checkout::Command::Start,
        _ => crate::checkout::Command::Open { step, opener },
    };
    crate::chunks::checkout(ctx, command);
    Ok(())
}
