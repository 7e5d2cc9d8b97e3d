//! Anonymous insight events for the shop (`POST /v1/events`, when the backend's
//! configuration has an `events_url`): which tags were seen and tapped, what went to the bag.
//! Nothing about the shopper: no cookie, no id, no page address; only event names and the
//! post, product and variant ids. Batched and sent with `navigator.sendBeacon` a few seconds
//! after the first event, or when the page is hidden. Nothing is ever sent when the script
//! tag says `data-analytics="off"` or the browser sends Global Privacy Control.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use shoppable_protocol::{InsightName, MAX_EVENTS_PER_BATCH};
use wasm_bindgen::prelude::*;
use web_sys::{Element, EventTarget};

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
}

#[derive(Default)]
struct Queue {
    endpoint: Endpoint,
    events: Vec<Object>,
    timer: Option<i32>,
    listening: bool,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// True when the page or the browser asks for no analytics.
fn refused(config: &WidgetConfig) -> bool {
    let off = config.analytics.as_deref().is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "off" | "false" | "no" | "0"));
    let gpc = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .is_some_and(|v| v.as_bool() == Some(true));
    off || gpc
}

/// Called on each mount with the widget's configuration; the first backend wins.
pub fn configure(config: &WidgetConfig) {
    QUEUE.with_borrow_mut(|queue| {
        if !matches!(queue.endpoint, Endpoint::Off) {
            return;
        }
        if let (false, Some(api)) = (refused(config), config.api.as_deref()) {
            queue.endpoint = Endpoint::Unknown(absolute(api, None));
        }
    });
}

/// The insight an event of the widget makes, if any, for each product it names.
fn insights(target: &EventTarget, event: WidgetEvent, detail: &Value) -> Vec<Object> {
    let name = match event {
        WidgetEvent::TagsShown => InsightName::TagView,
        WidgetEvent::TagOpened => InsightName::TagOpen,
        WidgetEvent::AddedToBag => InsightName::AddToBag,
        WidgetEvent::CheckoutStarted => InsightName::CheckoutStart,
        WidgetEvent::PaymentSubmitted | WidgetEvent::OrderPlaced => return Vec::new(),
    };
    let post = detail["postId"].as_str().map(str::to_owned).or_else(|| {
        let element = target.dyn_ref::<Element>()?;
        element.get_attribute("data-shoppable-post").or_else(|| element.closest("shoppable-post").ok()??.get_attribute("post"))
    });
    let post = post.filter(|id| id != "static");
    let products: Vec<&str> = match detail["productIds"].as_array() {
        Some(ids) => ids.iter().filter_map(Value::as_str).collect(),
        None => detail["productId"].as_str().into_iter().collect(),
    };
    products
        .into_iter()
        .map(|product| {
            let insight = Object::new();
            let fields = [("name", Some(name.as_str())), ("post_id", post.as_deref()), ("product_id", Some(product)), ("variant_id", detail["variantId"].as_str())];
            for (key, value) in fields {
                if let Some(value) = value {
                    let _ = Reflect::set(&insight, &key.into(), &value.into());
                }
            }
            insight
        })
        .collect()
}

/// Queues the insights of a widget event (see `events::dispatch`).
pub fn record(target: &EventTarget, event: WidgetEvent, detail: &Value) {
    let enabled = QUEUE.with_borrow(|queue| !matches!(queue.endpoint, Endpoint::Off));
    if !enabled {
        return;
    }
    let new = insights(target, event, detail);
    if new.is_empty() {
        return;
    }
    let (start_timer, listen) = QUEUE.with_borrow_mut(|queue| {
        queue.events.extend(new);
        let listen = !std::mem::replace(&mut queue.listening, true);
        (queue.timer.is_none(), listen)
    });
    let Some(window) = web_sys::window() else { return };
    if listen {
        // The page going away (tab hidden, closed, navigated) sends what waits.
        let hidden = Closure::<dyn Fn()>::new(|| {
            let state = web_sys::window().and_then(|w| w.document()).and_then(|d| js_sys::Reflect::get(&d, &"visibilityState".into()).ok());
            if state.and_then(|s| s.as_string()).as_deref() == Some("hidden") {
                flush();
            }
        });
        let _ = window.add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
        hidden.forget();
        let gone = Closure::<dyn Fn()>::new(flush);
        let _ = window.add_event_listener_with_callback("pagehide", gone.as_ref().unchecked_ref());
        gone.forget();
    }
    if start_timer {
        let later = Closure::once_into_js(flush);
        let timer = window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), BATCH_DELAY_MS).ok();
        QUEUE.with_borrow_mut(|queue| queue.timer = timer);
    }
}

/// Sends what waits, once the backend's `events_url` is known.
fn flush() {
    let (endpoint, events) = QUEUE.with_borrow_mut(|queue| {
        if let Some(timer) = queue.timer.take() {
            web_sys::window().inspect(|w| w.clear_timeout_with_handle(timer));
        }
        match std::mem::replace(&mut queue.endpoint, Endpoint::Reading) {
            Endpoint::Ready(url) => {
                queue.endpoint = Endpoint::Ready(url.clone());
                (Some(Ok(url)), std::mem::take(&mut queue.events))
            }
            Endpoint::Unknown(base) => (Some(Err(base)), Vec::new()),
            other => {
                queue.endpoint = other;
                (None, Vec::new())
            }
        }
    });
    match endpoint {
        None => {}
        Some(Ok(url)) => send(&url, events),
        Some(Err(base)) => wasm_bindgen_futures::spawn_local(async move {
            let url = events_url(&base).await.map(|url| absolute(&url, Some(&base)));
            QUEUE.with_borrow_mut(|queue| match url.filter(|u| !u.is_empty()) {
                Some(url) => queue.endpoint = Endpoint::Ready(url),
                None => *queue = Queue { listening: queue.listening, ..Queue::default() },
            });
            flush();
        }),
    }
}

/// `url` made absolute: against the page when `base` is `None` (the API base itself), else as
/// PROTOCOL.md says for URLs from the backend (`/v1/...` appended to the base, other
/// references resolved against it).
fn absolute(url: &str, base: Option<&str>) -> String {
    let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let resolve = |url: &str, against: &str| web_sys::Url::new_with_base(url, against).map(|u| u.href()).unwrap_or_default();
    match base {
        None => resolve(url, &page).trim_end_matches('/').to_owned(),
        Some(base) if url.starts_with("/v1/") => format!("{base}{url}"),
        Some(base) => resolve(url, &format!("{base}/")),
    }
}

/// The configuration's `events_url`, read without decoding the rest (the tags module never
/// needs it otherwise).
async fn events_url(base: &str) -> Option<String> {
    use wasm_bindgen_futures::JsFuture;
    let response = JsFuture::from(web_sys::window()?.fetch_with_str(&format!("{base}/v1/config"))).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok().filter(|r: &web_sys::Response| r.ok())?;
    let config = JsFuture::from(response.json().ok()?).await.ok()?;
    Reflect::get(&config, &"events_url".into()).ok()?.as_string()
}

fn send(url: &str, events: Vec<Object>) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    for batch in events.chunks(MAX_EVENTS_PER_BATCH) {
        let body = Object::new();
        let _ = Reflect::set(&body, &"events".into(), &batch.iter().collect::<Array>());
        // A string goes as text/plain: no preflight, the server reads it as JSON.
        if let Some(text) = js_sys::JSON::stringify(&body).ok().and_then(|t| t.as_string()) {
            let _ = navigator.send_beacon_with_opt_str(url, Some(&text));
        }
    }
}
