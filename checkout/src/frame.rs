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

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde_json::json;
use shoppable_protocol::payment::FRAME_CONNECT;
use shoppable_protocol::{CardSummary, CardToken, Configuration, FrameMessage, WidgetMessage};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlIFrameElement, MessageChannel, MessageEvent, MessagePort};

use super::validate::check_address;
use super::{Checkout, Step};
use shoppable::api::ClientError;
use shoppable::events::WidgetEvent;
use shoppable::i18n::Lang;

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

/// The state of the payment frame, shared by the sheet and the checkout's actions.
#[derive(Clone, Copy)]
pub struct PaymentFrame {
    /// The shopper started a purchase: the iframe is created (once, then kept, hidden outside
    /// the payment step, so a remembered card can pay from the review step).
    pub wanted: RwSignal<bool>,
    /// The frame said `ready`.
    pub ready: RwSignal<bool>,
    pub height: RwSignal<u32>,
    /// The card the provider remembers for this shopper, as the frame announced it.
    pub saved_card: RwSignal<Option<CardSummary>>,
    /// A `submit` is out, waiting for a token or an error.
    pub awaiting: RwSignal<bool>,
    /// "Buy now" from a shopper with remembered details: once the frame offers a remembered
    /// card, go straight to the review step.
    pub express: RwSignal<bool>,
    port: StoredValue<Option<MessagePort>, LocalStorage>,
    on_message: StoredValue<Option<OnMessage>, LocalStorage>,
    submit_seq: StoredValue<u32>,
}

impl PaymentFrame {
    pub fn new() -> PaymentFrame {
        PaymentFrame {
            wanted: RwSignal::new(false),
            ready: RwSignal::new(false),
            height: RwSignal::new(0),
            saved_card: RwSignal::new(None),
            awaiting: RwSignal::new(false),
            express: RwSignal::new(false),
            port: StoredValue::new_local(None),
            on_message: StoredValue::new_local(None),
            submit_seq: StoredValue::new(0),
        }
    }

    fn send(&self, message: &WidgetMessage) {
        let Some(port) = self.port.get_value() else { return };
        if let Ok(text) = serde_json::to_string(message)
            && let Ok(value) = js_sys::JSON::parse(&text)
        {
            let _ = port.post_message(&value);
        }
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
    let lang = match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    };
    Some(format!("{url}{separator}origin={}&lang={lang}", js_sys::encode_uri_component(&origin)))
}

impl Checkout {
    /// True when the payment method has a frame: the card fields then never exist in this page.
    pub fn has_frame(&self) -> bool {
        self.config.with(|c| frame_url(c).is_some())
    }

    /// The iframe has (re)loaded: hands it a fresh port and the theme and language.
    fn frame_loaded(&self, iframe: &HtmlIFrameElement, origin: &str) {
        let frame = self.frame;
        frame.ready.set(false);
        let (Some(window), Ok(channel)) = (iframe.content_window(), MessageChannel::new()) else { return };
        let this = *self;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| this.frame_message(event.data()));
        let port = channel.port1();
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        if let Some(old) = frame.port.get_value() {
            old.close();
        }
        frame.port.set_value(Some(port));
        frame.on_message.set_value(Some(on_message));
        let connect = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&connect, &"type".into(), &FRAME_CONNECT.into());
        let transfer = js_sys::Array::of1(&channel.port2());
        if let Err(error) = window.post_message_with_transfer(&connect, origin, &transfer) {
            web_sys::console::warn_2(&"Shoppable: the payment frame could not be reached".into(), &error);
            return;
        }
        let lang = match self.lang() {
            Lang::Fr => "fr",
            Lang::En => "en",
        };
        frame.send(&WidgetMessage::Configure { lang: lang.into(), theme: self.theme() });
    }

    /// The theme custom properties the page sets, as the sheet resolves them.
    fn theme(&self) -> BTreeMap<String, String> {
        let mut theme = BTreeMap::new();
        let Some(host) = self.host.get_value() else { return theme };
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(&host).ok().flatten()) else { return theme };
        for (name, property) in THEME {
            if let Ok(value) = style.get_property_value(property)
                && !value.trim().is_empty()
            {
                theme.insert(name.to_owned(), value.trim().to_owned());
            }
        }
        theme
    }

    /// A message from the frame, over the port. Anything that is not a known message is ignored.
    fn frame_message(&self, data: JsValue) {
        let Some(text) = js_sys::JSON::stringify(&data).ok().and_then(|s| s.as_string()) else { return };
        let Ok(message) = serde_json::from_str::<FrameMessage>(&text) else { return };
        let frame = self.frame;
        match message {
            FrameMessage::Ready { saved_card } => {
                frame.saved_card.set(saved_card);
                frame.ready.set(true);
                self.try_express();
            }
            FrameMessage::Height { height } => frame.height.set(height.clamp(40, 4000)),
            FrameMessage::Token { token, card } => {
                self.stop_waiting();
                let provider = self.config.with_untracked(|c| c.as_ref().and_then(|c| c.payment_methods.first()).map(|m| m.provider.clone()));
                self.dispatch(WidgetEvent::PaymentSubmitted, json!({"provider": provider, "brand": card.brand}));
                self.card_token.set(Some(CardToken { token, brand: card.brand, last4: card.last4 }));
                let step = self.step.get_untracked();
                let express = frame.express.get_untracked() && step == Step::Details;
                frame.express.set(false);
                if step == Step::Payment || express {
                    self.go(Step::Review);
                }
            }
            FrameMessage::Error { .. } => {
                // The frame shows what is wrong, next to its field.
                self.stop_waiting();
                frame.express.set(false);
            }
        }
    }

    fn stop_waiting(&self) {
        if self.frame.awaiting.get_untracked() {
            self.frame.awaiting.set(false);
            self.busy.set(false);
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
        self.busy.set(true);
        let seq = frame.submit_seq.get_value().wrapping_add(1);
        frame.submit_seq.set_value(seq);
        frame.send(&WidgetMessage::Submit);
        let this = *self;
        let timeout = Closure::once_into_js(move || {
            if this.frame.awaiting.get_untracked() && this.frame.submit_seq.get_value() == seq {
                this.stop_waiting();
                this.frame.express.set(false);
                this.fail(&ClientError::Timeout, super::Retry::Tokenize);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(timeout.unchecked_ref(), SUBMIT_TIMEOUT_MS);
        }
    }

    /// The order was refused for the card: the frame tells the shopper and takes another.
    /// False when there is no frame (the sheet tells it then).
    pub(crate) fn frame_declined(&self, code: &str) -> bool {
        if !self.frame.ready.get_untracked() {
            return false;
        }
        self.frame.send(&WidgetMessage::Declined { code: code.to_owned() });
        true
    }

    /// The sheet opens at `step`: a purchase needs the frame; "Buy now" (the details step) by
    /// a shopper whose details are remembered may go straight to the review step.
    pub(crate) fn frame_opening(&self, step: Step) {
        let express = step == Step::Details && self.remember.get_untracked() && !self.pending.get_untracked() && self.card_token.with_untracked(Option::is_none);
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
        if !(details_ok && on_details && frame.saved_card.with_untracked(Option::is_some)) {
            frame.express.set(false);
            return;
        }
        self.submit_frame();
    }
}

/// The iframe, in the sheet's body: shown on the payment step, kept (hidden) on the others.
#[component]
pub fn PaymentFrameView(checkout: Checkout) -> impl IntoView {
    let frame = checkout.frame;
    let lang = checkout.lang();
    // Created at the first purchase step, so that it is ready by the payment step.
    Effect::new(move |_| {
        if matches!(checkout.step.get(), Step::Details | Step::Shipping | Step::Payment | Step::Review) && !frame.wanted.get_untracked() {
            frame.wanted.set(true);
        }
    });
    let source = move || {
        if !frame.wanted.get() {
            return None;
        }
        let url = checkout.config.with(frame_url)?;
        let origin = origin_of(&url)?;
        Some((frame_src(&url, lang)?, origin))
    };
    let title = match lang {
        Lang::Fr => "Paiement par carte",
        Lang::En => "Card payment",
    };
    move || {
        source().map(|(src, origin)| {
            view! {
                <iframe
                    class="payment-frame"
                    src=src
                    title=title
                    sandbox="allow-scripts allow-same-origin allow-forms"
                    referrerpolicy="origin"
                    hidden=move || checkout.step.get() != Step::Payment
                    style:display="block"
                    style:width="calc(100% + 12px)"
                    style:margin="0 -6px"
                    style:border="0"
                    style:height=move || format!("{}px", if frame.height.get() == 0 { 220 } else { frame.height.get() })
                    on:load=move |event| {
                        if let Some(iframe) = event.target().and_then(|t| t.dyn_into::<HtmlIFrameElement>().ok()) {
                            checkout.frame_loaded(&iframe, &origin);
                        }
                    }
                ></iframe>
            }
        })
    }
}
