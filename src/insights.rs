//! Anonymous insight events for the shop (`POST /v1/events`, when the backend's
//! configuration has an `events_url`): which tags were seen and tapped, what went to the bag.
//! Nothing about the shopper: no cookie, no id, no page address; only event names and the
//! post, product and variant ids, and the medium of a post of several media. Batched and sent
//! with `navigator.sendBeacon` a few seconds after the first event, or when the page is hidden.
//! Where to send them is read from the backend's configuration at the first event, so that a
//! reader who leaves soon after still counts: a page that is going away has no time left to
//! ask. Nothing is ever sent when the script tag says `data-analytics="off"` or the browser
//! sends Global Privacy Control.
//!
//! Written with JS objects rather than serde: this code is on the tags' path, whose download
//! size counts.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use shoppable_protocol::{InsightName, MAX_EVENTS_PER_BATCH};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::EventTarget;

use crate::config::WidgetConfig;
use crate::events::WidgetEvent;

/// How long events wait for others before a batch leaves.
const BATCH_DELAY_MS: i32 = 2_000;

#[derive(Default)]
enum Endpoint {
    /// Not configured yet, or never (analytics off, no backend).
    #[default]
    Off,
    /// The backend's configuration has not been read yet; the API base URL.
    Unknown(String),
    /// The configuration is being read.
    Reading,
    Ready(String),
    /// The backend takes no events (its configuration has no `events_url`, or could not be
    /// read): for the rest of the page's life, whatever mounts later.
    Refused,
}

#[derive(Default)]
struct Queue {
    endpoint: Endpoint,
    events: Vec<JsValue>,
    timer: bool,
    listening: bool,
    /// A flush came while the configuration was being read: it happens once it is.
    flush_when_known: bool,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Called on each mount with the widget's configuration; the first backend wins.
pub fn configure(config: &WidgetConfig) {
    let Some(window) = web_sys::window() else { return };
    let gpc = get(&window.navigator(), "globalPrivacyControl").as_bool() == Some(true);
    let off = config.analytics.as_deref().map(str::trim) == Some("off");
    QUEUE.with_borrow_mut(|queue| {
        if let (Endpoint::Off, false, Some(api)) = (&queue.endpoint, off || gpc, config.api.as_deref()) {
            let page = window.location().href().unwrap_or_default();
            let base = web_sys::Url::new_with_base(api, &page).map(|u| u.href()).unwrap_or_default();
            queue.endpoint = Endpoint::Unknown(base.trim_end_matches('/').to_owned());
        }
    });
}

/// Queues the insights of a widget event (see `events::dispatch`; `detail` is the event's).
pub fn record(target: &EventTarget, event: WidgetEvent, detail: &JsValue) {
    let name = match event {
        WidgetEvent::TagsShown => InsightName::TagView,
        WidgetEvent::TagOpened => InsightName::TagOpen,
        WidgetEvent::AddedToBag => InsightName::AddToBag,
        WidgetEvent::CheckoutStarted => InsightName::CheckoutStart,
        WidgetEvent::PaymentSubmitted | WidgetEvent::OrderPlaced => return,
    };
    if QUEUE.with_borrow(|queue| matches!(queue.endpoint, Endpoint::Off | Endpoint::Refused)) {
        return;
    }
    // The post: in the detail, else the image's attribute (cards do not name it).
    let post = get(detail, "postId").as_string().or_else(|| crate::events::post_of(target));
    let post = post.filter(|id| id != "static");
    let products = match get(detail, "productIds") {
        ids if Array::is_array(&ids) => Array::from(&ids),
        _ => Array::of1(&get(detail, "productId")),
    };
    // The medium of a post of several media the tags are on (`media::MEDIA_INDEX`); undefined,
    // and so left out of the JSON, elsewhere.
    let medium = get(target, crate::media::MEDIA_INDEX);
    let mut new = Vec::new();
    for product in products.iter().filter(JsValue::is_string) {
        let insight = Object::new();
        let _ = Reflect::set(&insight, &"name".into(), &name.as_str().into());
        let _ = Reflect::set(&insight, &"product_id".into(), &product);
        let _ = Reflect::set(&insight, &crate::media::MEDIA_INDEX.into(), &medium);
        if let Some(post) = &post {
            let _ = Reflect::set(&insight, &"post_id".into(), &post.into());
        }
        let variant = get(detail, "variantId");
        if variant.is_string() {
            let _ = Reflect::set(&insight, &"variant_id".into(), &variant);
        }
        new.push(insight.into());
    }
    let (start_timer, listen) = QUEUE.with_borrow_mut(|queue| {
        queue.events.extend(new);
        (!std::mem::replace(&mut queue.timer, true), !std::mem::replace(&mut queue.listening, true))
    });
    read_endpoint();
    let Some(window) = web_sys::window() else { return };
    if listen {
        // The page going away (hidden, closed, navigated) sends what waits.
        let hidden = Closure::<dyn Fn()>::new(|| {
            if web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| get(&d, "visibilityState").as_string().as_deref() == Some("hidden"))
            {
                flush();
            }
        });
        let _ = window.add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
        hidden.forget();
    }
    if start_timer {
        let later = Closure::once_into_js(flush);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), BATCH_DELAY_MS);
    }
}

/// Sends what waits, once the backend's `events_url` is known.
fn flush() {
    let (url, events) = QUEUE.with_borrow_mut(|queue| {
        queue.timer = false;
        match &queue.endpoint {
            Endpoint::Ready(url) => (Some(url.clone()), std::mem::take(&mut queue.events)),
            Endpoint::Unknown(_) | Endpoint::Reading => {
                queue.flush_when_known = true;
                (None, Vec::new())
            }
            Endpoint::Off | Endpoint::Refused => (None, Vec::new()),
        }
    });
    read_endpoint();
    let (Some(url), Some(window)) = (url, web_sys::window()) else { return };
    let navigator = window.navigator();
    for batch in events.chunks(MAX_EVENTS_PER_BATCH) {
        let body = Object::new();
        let _ = Reflect::set(&body, &"events".into(), &batch.iter().collect::<Array>());
        // A string goes as text/plain: no preflight; the backend reads it as JSON.
        if let Ok(text) = js_sys::JSON::stringify(&body) {
            let _ = navigator.send_beacon_with_opt_str(&url, text.as_string().as_deref());
        }
    }
}

/// Reads the backend's `events_url` once, if it is not known yet; a flush that waited for it
/// happens then. A backend without one turns the insights off.
fn read_endpoint() {
    let base = QUEUE.with_borrow_mut(|queue| match std::mem::replace(&mut queue.endpoint, Endpoint::Reading) {
        Endpoint::Unknown(base) => Some(base),
        other => {
            queue.endpoint = other;
            None
        }
    });
    let Some(base) = base else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let url = events_url(&base).await;
        let flush_now = QUEUE.with_borrow_mut(|queue| {
            match url {
                Some(url) => queue.endpoint = Endpoint::Ready(url),
                None => *queue = Queue { endpoint: Endpoint::Refused, listening: queue.listening, ..Queue::default() },
            }
            std::mem::take(&mut queue.flush_when_known)
        });
        if flush_now {
            flush();
        }
    });
}

/// The configuration's `events_url`, made absolute as PROTOCOL.md says (a `/v1/` path is
/// appended to the base URL, other references are resolved against it). Read without decoding
/// the rest of the configuration, which the tags never need otherwise.
async fn events_url(base: &str) -> Option<String> {
    let response = JsFuture::from(web_sys::window()?.fetch_with_str(&format!("{base}/v1/config"))).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok().filter(|r: &web_sys::Response| r.ok())?;
    let url = get(&JsFuture::from(response.json().ok()?).await.ok()?, "events_url").as_string()?;
    if url.starts_with("/v1/") {
        return Some(format!("{base}{url}"));
    }
    web_sys::Url::new_with_base(&url, &format!("{base}/")).ok().map(|u| u.href())
}
