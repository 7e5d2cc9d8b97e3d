//! The payment provider's card form, in an iframe of the provider's origin (`frame_url` of
//! the payment method; "Payment frame" in docs/PROTOCOL.md). The card number and security
//! code are typed and tokenized there: this page, and every script on it, only ever sees the
//! single-use token and a summary (brand, last 4 digits, expiry).
//!
//! Set-up: when the iframe has loaded, the widget posts one message to it, with
//! `targetOrigin` the frame's origin (never `*`) and a `MessagePort` in its transfer list;
//! everything else goes over that port, which only the two ends hold. The frame checks the
//! message's `origin` and `source` before it takes the port. Messages the widget does not
//! know are ignored.

use leptos::prelude::*;
use shoppable_protocol::payment::FRAME_CONNECT;
use shoppable_protocol::{Authentication, CardToken, Configuration};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlIFrameElement, MessageChannel, MessageEvent, MessagePort};

use super::activity::Activity;
use super::validate::check_address;
use super::{Checkout, Step};
use crate::api::ClientError;
use crate::events::WidgetEvent;
use crate::i18n::{Lang, Text};

/// How long the sheet waits for the frame's answer to "submit".
const SUBMIT_TIMEOUT_MS: i32 = 30_000;

/// The sheet's theme custom properties, by the names the frame contract uses.
const THEME: [(&str, &str); 7] = [
    ("accent", "--shoppable-accent"),
    ("accent-text", "--shoppable-accent-text"),
    ("text", "--shoppable-text"),
    ("background", "--shoppable-card-background"),
    ("font", "--shoppable-font"),
    ("radius", "--shoppable-radius"),
    ("focus", "--shoppable-focus"),
];

type OnMessage = Closure<dyn FnMut(MessageEvent)>;

/// The state of the payment frame, shared by the sheet and the checkout's actions. (Few
/// signal types: each new one weighs on the download.)
#[derive(Clone, Copy)]
pub struct PaymentFrame {
    /// The frame said `ready`.
    pub ready: RwSignal<bool>,
    /// A `submit` is out, waiting for a token or an error.
    pub awaiting: RwSignal<bool>,
    /// "Buy now" from a shopper with remembered details: once the frame offers a remembered
    /// card, go straight to the review step.
    pub express: RwSignal<bool>,
}

thread_local! {
    /// What is not reactive: the page has one sheet, hence one frame. (A `StoredValue` would
    /// weigh more on the download.)
    static INNER: std::cell::RefCell<Inner> = std::cell::RefCell::new(Inner::default());
}

fn inner<R>(f: impl FnOnce(&mut Inner) -> R) -> R {
    INNER.with(|cell| f(&mut cell.borrow_mut()))
}

#[derive(Default)]
struct Inner {
    iframe: Option<HtmlIFrameElement>,
    port: Option<MessagePort>,
    on_message: Option<OnMessage>,
    /// The frame announced a card the provider remembers for this shopper.
    saved_card: bool,
    submit_seq: u32,
    /// The challenge the frame must run (3-D Secure), until it says it ended: sent when the
    /// frame is ready (again, after a reload of the frame).
    challenge: Option<Authentication>,
}

impl PaymentFrame {
    pub fn new() -> PaymentFrame {
        PaymentFrame { ready: RwSignal::new(false), awaiting: RwSignal::new(false), express: RwSignal::new(false) }
    }

    /// Sends `{"type": kind, ...fields}` (`payment::WidgetMessage` of the protocol crate, built
    /// by hand: serde's tagged enums would weigh on the download).
    fn send(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let Some(port) = inner(|i| i.port.clone()) else { return };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
        for (name, value) in fields {
            let _ = js_sys::Reflect::set(&message, &(*name).into(), value);
        }
        let _ = port.post_message(&message);
    }
}

fn string(object: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(object, &key.into()).ok()?.as_string()
}

/// A message of the frame (`payment::FrameMessage` of the protocol crate, read by hand). The
/// widget needs only the brand and last 4 digits of a card.
enum FrameMessage {
    Ready { saved_card: bool },
    Height(u32),
    Token { token: String, brand: String, last4: String },
    Authenticated,
    Error,
}

impl FrameMessage {
    fn read(data: &JsValue) -> Option<FrameMessage> {
        if !data.is_object() {
            return None;
        }
        let field = |key: &str| js_sys::Reflect::get(data, &key.into()).ok().filter(JsValue::is_object);
        Some(match string(data, "type")?.as_str() {
            "ready" => FrameMessage::Ready { saved_card: field("saved_card").is_some() },
            "height" => {
                let height = js_sys::Reflect::get(data, &"height".into()).ok()?.as_f64()?;
                FrameMessage::Height(if height.is_finite() { height.clamp(40.0, 4000.0) as u32 } else { return None })
            }
            "token" => {
                let card = field("card")?;
                let last4 = string(&card, "last4").filter(|l| l.len() == 4 && l.bytes().all(|b| b.is_ascii_digit()))?;
                FrameMessage::Token { token: string(data, "token").filter(|t| !t.is_empty())?, brand: string(&card, "brand")?, last4 }
            }
            "authenticated" => FrameMessage::Authenticated,
            "error" => FrameMessage::Error,
            _ => return None,
        })
    }
}

/// The payment method's `frame_url`, when it has one.
pub fn frame_url(config: &Option<Configuration>) -> Option<String> {
    config.as_ref().and_then(|c| c.payment_methods.first()).and_then(|m| m.frame_url.clone())
}

/// The origin of an absolute http(s) URL; `None` for anything else (no frame is shown then).
fn origin_of(url: &str) -> Option<String> {
    let parsed = web_sys::Url::new(url).ok()?;
    matches!(parsed.protocol().as_str(), "https:" | "http:").then(|| parsed.origin())
}

fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// `url` with the page's origin and the shopper's language, which the frame needs before any
/// message: it posts to that origin only.
fn frame_src(url: &str, lang: Lang) -> Option<String> {
    let origin = page_origin().filter(|o| o != "null")?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{separator}origin={}&lang={}", js_sys::encode_uri_component(&origin), lang.code()))
}

impl Checkout {
    /// The iframe has (re)loaded: hands it a fresh port and the theme and language.
    fn frame_loaded(&self, iframe: &HtmlIFrameElement, origin: &str) {
        let frame = self.frame;
        frame.ready.set(false);
        let (Some(window), Ok(channel)) = (iframe.content_window(), MessageChannel::new()) else { return };
        let this = *self;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| this.frame_message(event.data()));
        let port = channel.port1();
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        inner(|inner| {
            if let Some(old) = inner.port.replace(port) {
                old.close();
            }
            inner.on_message = Some(on_message);
        });
        let connect = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&connect, &"type".into(), &FRAME_CONNECT.into());
        let transfer = js_sys::Array::of1(&channel.port2());
        if let Err(error) = window.post_message_with_transfer(&connect, origin, &transfer) {
            web_sys::console::warn_2(&"Shoppable: the payment frame could not be reached".into(), &error);
            return;
        }
        frame.send("configure", &[("lang", self.lang().code().into()), ("theme", self.theme().into())]);
    }

    /// The theme custom properties the page sets, as the sheet resolves them.
    fn theme(&self) -> js_sys::Object {
        let theme = js_sys::Object::new();
        let Some(host) = self.host.get_value() else { return theme };
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(&host).ok().flatten()) else { return theme };
        for (name, property) in THEME {
            if let Ok(value) = style.get_property_value(property)
                && !value.trim().is_empty()
            {
                let _ = js_sys::Reflect::set(&theme, &name.into(), &value.trim().into());
            }
        }
        theme
    }

    /// A message from the frame, over the port. Anything that is not a known message is ignored.
    fn frame_message(&self, data: JsValue) {
        let Some(message) = FrameMessage::read(&data) else { return };
        let frame = self.frame;
        match message {
            FrameMessage::Ready { saved_card } => {
                inner(|inner| inner.saved_card = saved_card);
                frame.ready.set(true);
                self.send_challenge();
                self.try_express();
            }
            FrameMessage::Authenticated => {
                if inner(|inner| inner.challenge.take()).is_some() {
                    self.order_authenticated();
                }
            }
            FrameMessage::Height(height) => inner(|inner| {
                if let Some(iframe) = &inner.iframe {
                    let _ = web_sys::HtmlElement::style(iframe).set_property("height", &format!("{height}px"));
                }
            }),
            FrameMessage::Token { token, brand, last4 } => {
                self.stop_waiting();
                let provider =
                    self.config.with_untracked(|c| c.as_ref().and_then(|c| c.payment_methods.first()).map(|m| m.provider.clone()));
                self.dispatch(
                    WidgetEvent::PaymentSubmitted,
                    crate::json::object(&[("provider", provider.into()), ("brand", brand.as_str().into())]),
                );
                self.card_token.set(Some(CardToken { token, brand, last4 }));
                let step = self.step.get_untracked();
                let express = frame.express.get_untracked() && step == Step::Details;
                frame.express.set(false);
                if step == Step::Payment || express {
                    self.go(Step::Review);
                }
            }
            FrameMessage::Error => {
                // The frame shows what is wrong, next to its field (or why its challenge could
                // not run: the shopper tries again there, or after a reload).
                self.stop_waiting();
                frame.express.set(false);
            }
        }
    }

    fn stop_waiting(&self) {
        if self.frame.awaiting.get_untracked() {
            self.frame.awaiting.set(false);
            self.activity.update(|a| *a = a.finished());
        }
    }

    /// "Continue" on the payment step (or "Buy now" with a remembered card): the frame checks
    /// and tokenizes the card and answers with a token or an error.
    pub(crate) fn submit_frame(&self) {
        let frame = self.frame;
        if !frame.ready.get_untracked() || frame.awaiting.get_untracked() {
            return;
        }
        self.failure.set(None);
        frame.awaiting.set(true);
        self.activity.update(|a| *a = a.started());
        let seq = inner(|inner| inner.submit_seq.wrapping_add(1));
        inner(|inner| inner.submit_seq = seq);
        frame.send("submit", &[]);
        let this = *self;
        let timeout = Closure::once_into_js(move || {
            if this.frame.awaiting.get_untracked() && inner(|inner| inner.submit_seq) == seq {
                this.stop_waiting();
                this.frame.express.set(false);
                this.fail(&ClientError::Timeout, super::Retry::Tokenize);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(timeout.unchecked_ref(), SUBMIT_TIMEOUT_MS);
        }
    }

    /// The order answered `requires_action`: the frame runs the card's bank challenge, in its
    /// own document (never in this page), and says when it has ended.
    pub(crate) fn frame_authenticate(&self, authentication: Authentication) {
        inner(|inner| inner.challenge = Some(authentication));
        // A sheet reopened at the review step after a reload has not loaded the frame's URL.
        self.load_config();
        self.send_challenge();
    }

    fn send_challenge(&self) {
        let Some(challenge) = inner(|inner| inner.challenge.clone()) else { return };
        if !self.frame.ready.get_untracked() {
            return;
        }
        let authentication = crate::json::object(&[
            ("provider", challenge.provider.as_str().into()),
            ("client_secret", challenge.client_secret.as_str().into()),
        ]);
        self.frame.send("authenticate", &[("authentication", authentication)]);
    }

    /// The order was refused for the card: the frame tells the shopper and takes another.
    /// False when there is no frame (the sheet tells it then).
    pub(crate) fn frame_declined(&self, code: &str) -> bool {
        if !self.frame.ready.get_untracked() {
            return false;
        }
        self.frame.send("declined", &[("code", code.into())]);
        true
    }

    /// The sheet opens at `step`: a purchase needs the frame; "Buy now" (the details step) by
    /// a shopper whose details are remembered may go straight to the review step.
    pub(crate) fn frame_opening(&self, step: Step) {
        let express = step == Step::Details
            && self.remember.get_untracked()
            && !self.activity.with_untracked(Activity::pending)
            && self.card_token.with_untracked(Option::is_none);
        self.frame.express.set(express);
        if express && self.frame.ready.get_untracked() {
            self.try_express();
        }
    }

    /// Express checkout: remembered details that pass the checks, and a remembered card,
    /// while the shopper is still on the details step: the frame makes a token from the
    /// remembered card and the sheet moves to the review step, where everything stays editable.
    fn try_express(&self) {
        let frame = self.frame;
        if !frame.express.get_untracked() {
            return;
        }
        let countries = self.config.with_untracked(|c| c.as_ref().map(|c| c.countries.clone()).unwrap_or_default());
        let details_ok = self.address.with_untracked(|a| check_address(a, &countries).is_empty());
        let on_details = self.step.get_untracked() == Step::Details && self.open.get_untracked();
        if !(details_ok && on_details && inner(|inner| inner.saved_card)) {
            frame.express.set(false);
            return;
        }
        self.submit_frame();
    }
}

/// The iframe, in the sheet's body: created at the first purchase step (so that it is ready by
/// the payment step), shown on the payment step, kept hidden on the others (a remembered card
/// pays from the review step).
/// Made by hand rather than with `view!`: lighter in the download.
#[component]
pub fn PaymentFrameView(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    // Tracked: a sheet reopened after a reload may need the frame before its view is mounted
    // (a pending order whose bank asks for a challenge).
    let slot: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        let step = checkout.step.get();
        let url = checkout.config.with(frame_url);
        // The card's bank challenge shows in the frame, whatever the step.
        let shown = step == Step::Payment || checkout.authenticating();
        if let Some(iframe) = inner(|inner| inner.iframe.clone()) {
            iframe.set_hidden(!shown);
            return;
        }
        let purchase = matches!(step, Step::Details | Step::Shipping | Step::Payment | Step::Review);
        let Some(url) = url.filter(|_| purchase) else { return };
        let (Some(slot), Some(origin), Some(src)) = (slot.get(), origin_of(&url), frame_src(&url, lang)) else { return };
        let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("iframe").ok()) else { return };
        let title = lang.text(Text::CardPaymentFrame);
        for (name, value) in [
            ("class", "payment-frame"),
            ("title", title),
            ("sandbox", "allow-scripts allow-same-origin allow-forms"),
            ("referrerpolicy", "origin"),
            ("src", src.as_str()),
        ] {
            let _ = element.set_attribute(name, value);
        }
        let Ok(element) = element.dyn_into::<HtmlIFrameElement>() else { return };
        let style = web_sys::HtmlElement::style(&element);
        for (name, value) in
            [("display", "block"), ("width", "calc(100% + 12px)"), ("margin", "0 -6px"), ("border", "0"), ("height", "220px")]
        {
            let _ = style.set_property(name, value);
        }
        element.set_hidden(!shown);
        let loaded = element.clone();
        // Lives as long as the iframe, which lives as long as the page.
        let on_load = Closure::<dyn FnMut()>::new(move || checkout.frame_loaded(&loaded, &origin));
        let _ = element.add_event_listener_with_callback("load", on_load.as_ref().unchecked_ref());
        on_load.forget();
        let _ = slot.append_child(&element);
        inner(|inner| inner.iframe = Some(element));
    });
    view! { <div class="payment-frame-slot" node_ref=slot></div> }
}
