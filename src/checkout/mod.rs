//! The inline checkout: a sheet over the page (a native `<dialog>` in its own shadow root)
//! that takes the shopper from the bag to a confirmed order without leaving the page.
//!
//! A lazy chunk (`crate::chunks`), fetched on the shopper's first use of the bag (or when a
//! product card opens), or at once when the shopper has a bag or orders with this shop.
//! `Checkout` holds the state of the page's one sheet and the actions of each step;
//! `sheet.rs` and the step views only render it. [`run`] is what the page asks of it.

mod activity;
pub mod after_sale;
mod frame;
mod saved;
mod sheet;
mod steps;
pub mod validate;

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shoppable_protocol::{
    Address, CardDetails, CardToken, Configuration, ErrorCode, MessageRequest, Order, OrderRequest, PaymentToken, Quote, QuoteRequest,
    ReturnLine, ReturnRequest,
};
use web_sys::HtmlElement;

use crate::api::{ApiClient, ClientError, Placement};
use crate::bag::{BagStore, storage_scope};
use crate::config::WidgetContext;
use crate::events::{WidgetEvent, dispatch};
use crate::i18n::Text;
use activity::Activity;
use saved::Saved;
pub use saved::{PendingOrder, SavedOrder};
use validate::{AddressForm, CardForm, Field, check_address, check_card};

/// The sheet's steps, in order, then the views reached from the bag icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Bag,
    Details,
    Shipping,
    Payment,
    Review,
    Confirmation,
    Orders,
    OrderStatus,
}

impl Step {
    /// The step's name on the `<shoppable-checkout>` element (`data-step`) and in `open`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Bag => "bag",
            Step::Details => "details",
            Step::Shipping => "shipping",
            Step::Payment => "payment",
            Step::Review => "review",
            Step::Confirmation => "confirmation",
            Step::Orders => "orders",
            Step::OrderStatus => "order-status",
        }
    }

    /// The step named `name`; unknown names give the bag.
    pub fn from_name(name: &str) -> Step {
        [Step::Details, Step::Shipping, Step::Payment, Step::Review, Step::Confirmation, Step::Orders, Step::OrderStatus]
            .into_iter()
            .find(|step| step.name() == name)
            .unwrap_or(Step::Bag)
    }

    /// Position among the purchase steps, for "Step 2 of 5".
    pub fn number(self) -> Option<usize> {
        [Step::Bag, Step::Details, Step::Shipping, Step::Payment, Step::Review].iter().position(|s| *s == self).map(|i| i + 1)
    }
}

/// A failed request: what to tell the shopper, and whether "Try again" makes sense.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub retry: Option<Retry>,
}

/// What "Try again" does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    Config,
    Quote,
    Tokenize,
    PlaceOrder,
    LoadOrder,
    CancelOrder,
}

/// The page's checkout. Every field is a signal or a stored value, so the handle is `Copy`
/// and the sheet's views share it freely. The fields are private to this module and its views
/// (`steps`, `sheet`, `after_sale`): the rest of the widget goes through `run` and the
/// methods.
#[derive(Clone, Copy)]
pub struct Checkout {
    ctx: StoredValue<WidgetContext>,
    client: StoredValue<ApiClient>,
    saved: StoredValue<Saved>,
    bag: BagStore,
    open: RwSignal<bool>,
    step: RwSignal<Step>,
    config: RwSignal<Option<Configuration>>,
    quote: RwSignal<Option<Quote>>,
    address: RwSignal<AddressForm>,
    remember: RwSignal<bool>,
    shipping_option: RwSignal<Option<String>>,
    card: RwSignal<CardForm>,
    card_token: RwSignal<Option<CardToken>>,
    /// The payment provider's card form, when its method has a `frame_url`.
    frame: frame::PaymentFrame,
    field_errors: RwSignal<Vec<(Field, Text)>>,
    /// Requests in flight and the order's state: changed only through `request` and the
    /// order's methods, read through `busy`, `placing` and `pending`.
    activity: RwSignal<Activity>,
    /// Number of the latest quote request: older answers arriving late are ignored.
    quote_seq: StoredValue<u64>,
    failure: RwSignal<Option<Failure>>,
    /// Something the shopper must know that is not a failure (a line adjusted to the stock),
    /// until they change the bag themselves.
    notice: RwSignal<Option<String>>,
    orders: RwSignal<Vec<SavedOrder>>,
    order: RwSignal<Option<Order>>,
    /// Which saved order the status view shows.
    viewing: RwSignal<Option<SavedOrder>>,
    host: StoredValue<Option<HtmlElement>, LocalStorage>,
    opener: StoredValue<Option<HtmlElement>, LocalStorage>,
}

thread_local! {
    static CHECKOUT: RefCell<Option<Checkout>> = const { RefCell::new(None) };
}

impl Checkout {
    /// The page's checkout, once `start` has run.
    pub fn current() -> Option<Checkout> {
        CHECKOUT.with(|c| *c.borrow())
    }

    /// The page's checkout for the backend of `ctx`, created (and its sheet mounted) on first
    /// use. `None` without a backend: static-mode pages have no checkout.
    pub fn for_page(ctx: &WidgetContext) -> Option<Checkout> {
        let api = ctx.config.api.clone()?;
        let client = ctx.client()?;
        if let Some(existing) = CHECKOUT.with(|c| *c.borrow()) {
            return Some(existing);
        }
        let saved = Saved::new(storage_scope(&api));
        let (address, remember) = saved.address().unwrap_or_default();
        // The page's one checkout outlives every view that shows it.
        let checkout = crate::page::page_lived(|| Checkout {
            ctx: StoredValue::new(ctx.clone()),
            client: StoredValue::new(client),
            bag: BagStore::for_api(&api),
            open: RwSignal::new(false),
            step: RwSignal::new(Step::Bag),
            config: RwSignal::new(None),
            quote: RwSignal::new(None),
            address: RwSignal::new(address),
            remember: RwSignal::new(remember),
            shipping_option: RwSignal::new(None),
            card: RwSignal::new(CardForm::default()),
            card_token: RwSignal::new(None),
            frame: frame::PaymentFrame::new(),
            field_errors: RwSignal::new(vec![]),
            activity: RwSignal::new(Activity::default()),
            quote_seq: StoredValue::new(0),
            failure: RwSignal::new(None),
            notice: RwSignal::new(None),
            orders: RwSignal::new(saved.orders()),
            order: RwSignal::new(None),
            viewing: RwSignal::new(None),
            host: StoredValue::new_local(None),
            opener: StoredValue::new_local(None),
            saved: StoredValue::new(saved),
        });
        CHECKOUT.with(|c| *c.borrow_mut() = Some(checkout));
        match sheet::mount_sheet(checkout) {
            Ok(host) => {
                checkout.host.set_value(Some(host));
                // After the mount, which starts the task executor that effects need.
                checkout.keep_typed_details();
            }
            Err(error) => web_sys::console::warn_1(&format!("Shoppable: the checkout could not be shown: {error:?}").into()),
        }
        checkout.resume_pending_order();
        checkout.check_orders();
        // Once per page, when its checkout starts.
        checkout.open_linked_order();
        Some(checkout)
    }

    /// A request is on its way: buttons that would start another wait (tracked).
    pub fn busy(&self) -> bool {
        self.activity.with(Activity::busy)
    }

    /// The order request is on its way (tracked).
    pub fn placing(&self) -> bool {
        self.activity.with(Activity::placing)
    }

    /// The payment frame runs the card's bank challenge of the order (tracked).
    pub fn authenticating(&self) -> bool {
        self.activity.with(Activity::authenticating)
    }

    /// An order waits for its final answer; its details cannot be edited (tracked).
    pub fn pending(&self) -> bool {
        self.activity.with(Activity::pending)
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        self.ctx.with_value(|c| c.lang)
    }

    /// What the shopper types in the details step is kept for the tab as it is typed, so a
    /// reload or a restarted module finds it. (Card fields are never kept.)
    fn keep_typed_details(&self) {
        let (address, saved) = (self.address, self.saved);
        crate::page::page_lived(|| {
            Effect::new(move |_| address.with(|form| saved.with_value(|s| s.keep_draft(form))));
        });
    }

    /// Opens the sheet at `step`; focus returns to `opener` when it closes.
    pub fn open_at(&self, step: Step, opener: Option<HtmlElement>) {
        self.opener.set_value(opener);
        self.failure.set(None);
        self.notice.set(None);
        self.open.set(true);
        self.start(step);
    }

    /// Moves to `step` as the start of a purchase ("Buy now", "Checkout" in the bag): a shopper
    /// whose details and card are remembered goes on to the review step.
    pub fn start(&self, step: Step) {
        self.go(step);
        self.frame_opening(self.step.get_untracked());
    }

    /// The shopper sets a bag line's quantity (0 removes it): what the sheet said of the bag
    /// before (a line adjusted to the stock) is no longer news, and the bag is priced again.
    pub fn set_quantity(&self, variant: &str, quantity: u32) {
        self.bag.update(|b| b.set_quantity(variant, quantity));
        self.notice.set(None);
        self.refresh_quote();
    }

    /// Called when the dialog has closed (close button, Escape): focus goes back where it was.
    pub fn closed(&self) {
        self.open.set(false);
        if let Some(opener) = self.opener.get_value() {
            let _ = opener.focus();
        }
    }

    /// Moves to `step`, loading what it needs.
    pub fn go(&self, step: Step) {
        let step = self.reachable(step);
        self.failure.set(None);
        self.field_errors.set(vec![]);
        self.step.set(step);
        match step {
            Step::Bag => self.refresh_quote(),
            Step::Details | Step::Payment => self.load_config(),
            Step::Shipping | Step::Review => self.refresh_quote(),
            Step::Orders => self.orders.set(self.saved.with_value(Saved::orders)),
            Step::OrderStatus => self.load_order(),
            Step::Confirmation => {}
        }
    }

    /// `step`, or the one before it whose state is there (a sheet re-opened by name after a
    /// reload or a restart has a bag and details, but no card token or answer on screen).
    fn reachable(&self, step: Step) -> Step {
        let purchase = matches!(step, Step::Details | Step::Shipping | Step::Payment | Step::Review);
        if purchase && self.bag.bag.with_untracked(|b| b.lines.is_empty()) && !self.activity.with_untracked(Activity::pending) {
            return Step::Bag;
        }
        match step {
            Step::Review if self.card_token.with_untracked(Option::is_none) && !self.activity.with_untracked(Activity::pending) => {
                Step::Payment
            }
            Step::Confirmation if self.order.with_untracked(Option::is_none) => Step::Orders,
            Step::OrderStatus if self.viewing.with_untracked(Option::is_none) => Step::Orders,
            step => step,
        }
    }

    /// What the shopper is told about a failed request, in their language.
    fn describe(&self, error: &ClientError) -> String {
        let lang = self.lang();
        let text = match error {
            ClientError::Network(_) => Text::ErrNetwork,
            ClientError::Timeout => Text::ErrTimeout,
            ClientError::Malformed(_) => Text::ErrMalformed,
            ClientError::Status { status, .. } if *status >= 500 => Text::ErrServer,
            _ => match error.code() {
                Some(ErrorCode::PriceChanged) => Text::ErrPriceChanged,
                // Said in full by the frame, which ran the challenge.
                Some(ErrorCode::CardDeclined | ErrorCode::AuthenticationFailed) => Text::ErrCardDeclined,
                Some(ErrorCode::InsufficientFunds) => Text::ErrInsufficientFunds,
                Some(ErrorCode::InvalidPaymentToken) => Text::ErrPaymentToken,
                Some(ErrorCode::InvalidTransition) => Text::ErrCancelClosed,
                Some(ErrorCode::IdempotencyKeyInUse) => Text::ErrServer,
                _ => Text::ErrGeneric,
            },
        };
        lang.text(text).to_owned()
    }

    fn fail(&self, error: &ClientError, retry: Retry) {
        web_sys::console::warn_1(&format!("Shoppable: {error}").into());
        let retry = error.is_transient().then_some(retry);
        self.failure.set(Some(Failure { message: self.describe(error), retry }));
    }

    /// Runs `retry` again after a failure.
    pub fn retry(&self, retry: Retry) {
        self.failure.set(None);
        match retry {
            Retry::Config => self.load_config(),
            Retry::Quote => self.refresh_quote(),
            Retry::Tokenize => self.submit_payment(),
            Retry::PlaceOrder => self.place_order(),
            Retry::LoadOrder => self.load_order(),
            Retry::CancelOrder => self.cancel_order(),
        }
    }

    /// Runs a backend request with the sheet marked busy, then `done` with its answer.
    fn request<T: 'static>(
        &self,
        work: impl Future<Output = Result<T, ClientError>> + 'static,
        done: impl FnOnce(Result<T, ClientError>) + 'static,
    ) {
        let activity = self.activity;
        activity.update(|a| *a = a.started());
        spawn_local(async move {
            let result = work.await;
            activity.update(|a| *a = a.finished());
            done(result);
        });
    }

    fn load_config(&self) {
        if self.config.with_untracked(Option::is_some) {
            return;
        }
        let (this, client) = (*self, self.client.get_value());
        self.request(async move { client.config().await }, move |result| match result {
            Ok(config) => {
                if this.address.with_untracked(|a| a.country.is_empty())
                    && let Some(home) = config.countries.first()
                {
                    this.address.update(|a| a.country = home.clone());
                }
                this.config.set(Some(config));
            }
            Err(error) => this.fail(&error, Retry::Config),
        });
    }

    fn quote_request(&self, with_address: bool) -> QuoteRequest {
        QuoteRequest {
            lines: self.bag.bag.with_untracked(|b| b.line_requests()),
            address: with_address.then(|| to_address(&self.address.get_untracked())),
            shipping_option: self.shipping_option.get_untracked(),
        }
    }

    /// Prices the bag again (with the address from the shipping step on), and brings the bag
    /// in line with what the backend can supply.
    pub fn refresh_quote(&self) {
        if self.bag.bag.with_untracked(|b| b.lines.is_empty()) {
            self.quote.set(None);
            return;
        }
        let with_address = !matches!(self.step.get_untracked(), Step::Bag);
        let request = self.quote_request(with_address);
        let (this, client) = (*self, self.client.get_value());
        let seq = self.quote_seq.get_value() + 1;
        self.quote_seq.set_value(seq);
        self.request(async move { client.quote(&request).await }, move |result| match result {
            _ if this.quote_seq.get_value() != seq => {} // a newer quote is on its way
            Ok(quote) => {
                this.shipping_option.set(quote.selected_shipping_option.clone());
                let adjusted = this.adjust_bag_to(&quote);
                this.quote.set(Some(quote));
                // That quote priced the bag as it was: price the adjusted one.
                if adjusted {
                    this.refresh_quote();
                }
            }
            Err(error) if error.code() == Some(ErrorCode::InvalidField) => this.show_backend_field_error(&error),
            Err(error) => this.fail(&error, Retry::Quote),
        });
    }

    /// Lines the backend cannot supply as asked get the quantity it can (or leave the bag),
    /// and the shopper is told which. True when the bag changed.
    fn adjust_bag_to(&self, quote: &Quote) -> bool {
        let lang = self.lang();
        let mut changes = Vec::new();
        self.bag.update(|bag| {
            for line in quote.lines.iter().filter(|l| l.error.is_some()) {
                let available = line.available_quantity.unwrap_or(0);
                let Some(in_bag) = bag.lines.iter().find(|l| l.variant_id == line.variant_id) else { continue };
                if available < in_bag.quantity {
                    // The backend has no title for a variant it does not know: the bag has.
                    let title = if line.title.is_empty() { in_bag.title.clone() } else { line.title.clone() };
                    bag.set_quantity(&line.variant_id, available);
                    changes.push(lang.only_available(&title, available));
                }
            }
        });
        if !changes.is_empty() {
            self.notice.set(Some(changes.join(" ")));
        }
        !changes.is_empty()
    }

    /// A 422 from the backend about the address: show it next to the field, on the details step.
    fn show_backend_field_error(&self, error: &ClientError) {
        match error.field().and_then(Field::from_protocol) {
            Some(field) => {
                let text = match field {
                    Field::Country => Text::RequiredCountry,
                    Field::Email => Text::InvalidEmail,
                    Field::PostalCode => Text::RequiredPostalCode,
                    _ => Text::FixErrors,
                };
                self.step.set(Step::Details);
                self.field_errors.set(vec![(field, text)]);
            }
            None => self.fail(error, Retry::Quote),
        }
    }

    /// "Continue" on the details step.
    pub fn submit_details(&self) {
        let countries = self.config.with_untracked(|c| c.as_ref().map(|c| c.countries.clone()).unwrap_or_default());
        let problems = self.address.with_untracked(|form| check_address(form, &countries));
        if !problems.is_empty() {
            self.field_errors.set(problems);
            return;
        }
        self.saved.with_value(|s| s.set_address(&self.address.get_untracked(), self.remember.get_untracked()));
        self.go(Step::Shipping);
    }

    pub fn choose_shipping(&self, option: String) {
        self.shipping_option.set(Some(option));
        self.refresh_quote();
    }

    /// "Continue" on the payment step: the provider's frame checks and tokenizes the card;
    /// without a frame (test setups only) the widget checks the in-page fields and sends them
    /// to the provider's `tokenize_url`.
    pub fn submit_payment(&self) {
        if self.config.with_untracked(|c| frame::frame_url(c).is_some()) {
            self.submit_frame();
            return;
        }
        let today = {
            let now = js_sys::Date::new_0();
            (now.get_month() + 1, now.get_full_year())
        };
        let card = match check_card(&self.card.get_untracked(), today) {
            Ok(card) => card,
            Err(problems) => {
                self.field_errors.set(problems);
                return;
            }
        };
        let Some(method) = self.config.with_untracked(|c| c.as_ref().and_then(|c| c.payment_methods.first().cloned())) else {
            self.load_config();
            return;
        };
        let details = CardDetails { number: card.number, exp_month: card.exp_month, exp_year: card.exp_year, cvc: card.cvc };
        let (this, client) = (*self, self.client.get_value());
        self.field_errors.set(vec![]);
        self.request(async move { client.tokenize(&method.tokenize_url, &details).await }, move |result| match result {
            Ok(token) => {
                this.dispatch(
                    WidgetEvent::PaymentSubmitted,
                    crate::json::object(&[("provider", method.provider.as_str().into()), ("brand", token.brand.as_str().into())]),
                );
                this.card_token.set(Some(token));
                // The card form is cleared as soon as the provider has it.
                this.card.set(CardForm::default());
                this.go(Step::Review);
            }
            Err(error) => match error.field().and_then(Field::from_protocol) {
                Some(field) if error.code().is_some() => {
                    let text = match error.code() {
                        Some(ErrorCode::CardExpired) => Text::CardExpired,
                        Some(ErrorCode::InvalidCvc) => Text::InvalidCvc,
                        Some(ErrorCode::InvalidField) => Text::InvalidExpiry,
                        _ => Text::InvalidCardNumber,
                    };
                    this.field_errors.set(vec![(field, text)]);
                }
                _ => this.fail(&error, Retry::Tokenize),
            },
        });
    }

    /// "Place order": sends the order with an `Idempotency-Key` kept until a final answer, so
    /// a double click, a retry or a reload never places two orders.
    pub fn place_order(&self) {
        if self.activity.with_untracked(Activity::placing) {
            return;
        }
        let pending = match self.saved.with_value(Saved::pending) {
            Some(pending) => pending,
            None => {
                let (Some(token), Some(quote)) = (self.card_token.get_untracked(), self.quote.get_untracked()) else {
                    self.go(Step::Payment);
                    return;
                };
                let request = OrderRequest {
                    lines: self.bag.bag.with_untracked(|b| b.line_requests()),
                    address: to_address(&self.address.get_untracked()),
                    shipping_option: self.shipping_option.get_untracked().unwrap_or_default(),
                    payment: PaymentToken { provider: provider_of(&self.config.get_untracked()), token: token.token },
                    expected_total: Some(quote.total),
                    locale: Some(self.ctx.with_value(|c| c.locale.clone())),
                };
                PendingOrder { idempotency_key: new_idempotency_key(), request, created_ms: js_sys::Date::now() }
            }
        };
        self.saved.with_value(|s| s.set_pending(Some(&pending)));
        self.activity.update(|a| *a = a.order_pending());
        self.send_order(pending);
    }

    fn send_order(&self, pending: PendingOrder) {
        let (this, client) = (*self, self.client.get_value());
        self.failure.set(None);
        self.activity.update(|a| *a = a.order_sent());
        self.request(async move { client.create_order(&pending.request, &pending.idempotency_key).await }, move |result| {
            this.activity.update(|a| {
                *a = match &result {
                    Ok(Placement::Authenticate(_)) => a.order_authenticating(),
                    Err(error) if error.is_transient() => a.order_answered(false),
                    _ => a.order_answered(true),
                }
            });
            match result {
                Ok(Placement::Placed(order)) => this.order_placed(order),
                // Kept pending: the frame runs the challenge, then the order goes again.
                Ok(Placement::Authenticate(authentication)) => {
                    this.notice.set(Some(this.lang().text(Text::Authenticating).to_owned()));
                    this.frame_authenticate(authentication);
                }
                Err(error) if error.is_transient() => this.fail(&error, Retry::PlaceOrder),
                Err(error) => {
                    // A final refusal: the next attempt is a new request with a new key.
                    this.saved.with_value(|s| s.set_pending(None));
                    this.order_refused(&error);
                }
            }
        });
    }

    fn order_placed(&self, order: Order) {
        let secret = order.secret.clone().unwrap_or_default();
        self.saved.with_value(|s| {
            s.set_pending(None);
            s.add_order(&order, &secret);
        });
        self.orders.set(self.saved.with_value(Saved::orders));
        // Only what was ordered leaves the bag: products added meanwhile (another tab) stay.
        self.bag.update(|bag| {
            for line in &order.lines {
                let left =
                    bag.lines.iter().find(|l| l.variant_id == line.variant_id).map_or(0, |l| l.quantity.saturating_sub(line.quantity));
                bag.set_quantity(&line.variant_id, left);
            }
        });
        self.failure.set(None);
        self.card_token.set(None);
        self.quote.set(None);
        self.dispatch(
            WidgetEvent::OrderPlaced,
            crate::json::object(&[
                ("orderId", order.id.as_str().into()),
                ("number", order.number.as_str().into()),
                (
                    "total",
                    crate::json::object(&[
                        ("amount", (order.total.amount as f64).into()),
                        ("currency", order.total.currency.as_str().into()),
                    ]),
                ),
            ]),
        );
        self.order.set(Some(order));
        self.step.set(Step::Confirmation);
    }

    fn order_refused(&self, error: &ClientError) {
        match error.code() {
            Some(
                ErrorCode::CardDeclined | ErrorCode::InsufficientFunds | ErrorCode::AuthenticationFailed | ErrorCode::InvalidPaymentToken,
            ) => {
                // The token is spent: the shopper enters a card again (in the frame, which
                // says why; without a frame, the sheet says it).
                self.card_token.set(None);
                self.step.set(Step::Payment);
                let code = match error.code() {
                    Some(ErrorCode::InsufficientFunds) => "insufficient_funds",
                    Some(ErrorCode::InvalidPaymentToken) => "invalid_payment_token",
                    Some(ErrorCode::AuthenticationFailed) => "authentication_failed",
                    _ => "card_declined",
                };
                if !self.frame_declined(code) {
                    self.fail(error, Retry::PlaceOrder);
                }
            }
            Some(ErrorCode::OutOfStock | ErrorCode::NotFound) => {
                self.step.set(Step::Bag);
                self.refresh_quote();
            }
            Some(ErrorCode::PriceChanged) => {
                self.fail(error, Retry::PlaceOrder);
                self.refresh_quote();
            }
            Some(ErrorCode::InvalidField) => self.show_backend_field_error(error),
            _ => self.fail(error, Retry::PlaceOrder),
        }
    }

    /// The frame's challenge ended: the order goes again with its key, and the backend says
    /// whether it is paid.
    fn order_authenticated(&self) {
        self.notice.set(None);
        if let Some(pending) = self.saved.with_value(Saved::pending) {
            self.activity.update(|a| *a = a.order_pending());
            self.send_order(pending);
        }
    }

    /// An order sent before a reload and never answered: send it again with its key. The
    /// backend replays the first answer if it had placed it.
    fn resume_pending_order(&self) {
        if let Some(pending) = self.saved.with_value(Saved::pending) {
            self.activity.update(|a| *a = a.order_pending());
            self.open_at(Step::Review, None);
            self.send_order(pending);
        }
    }

    /// The page was opened from an order's link (`#shoppable-order=ID`, `.SECRET` in the
    /// confirmation's link): its page. With the secret the order joins this device's orders;
    /// without, it opens on the device that placed it, and elsewhere the shopper is told how.
    fn open_linked_order(&self) {
        let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let hash = href.split_once('#').map_or("", |(_, hash)| hash);
        let Some(link) = hash.split('&').find_map(|part| part.strip_prefix("shoppable-order=")) else { return };
        let (id, secret) = link.split_once('.').map_or((link, None), |(id, secret)| (id, Some(secret)));
        self.open_at(Step::Orders, None);
        if let Some(saved) = self.orders.with_untracked(|orders| orders.iter().find(|o| o.id == id).cloned()) {
            self.view_order(saved);
            return;
        }
        let Some(secret) = secret.map(str::to_owned) else {
            self.failure.set(Some(Failure { message: self.lang().text(Text::OrderElsewhere).to_owned(), retry: None }));
            return;
        };
        let (this, client, id) = (*self, self.client.get_value(), id.to_owned());
        self.request(async move { client.order(&id, &secret).await.map(|order| (order, secret)) }, move |result| match result {
            Ok((order, secret)) => {
                this.saved.with_value(|s| s.add_order(&order, &secret));
                this.orders.set(this.saved.with_value(Saved::orders));
                if let Some(saved) = this.orders.with_untracked(|orders| orders.iter().find(|o| o.id == order.id).cloned()) {
                    this.view_order(saved);
                }
            }
            Err(error) => this.fail_in_form(&error),
        });
    }

    pub fn view_order(&self, saved: SavedOrder) {
        self.viewing.set(Some(saved));
        self.order.set(None);
        self.go(Step::OrderStatus);
    }

    fn load_order(&self) {
        let Some(saved) = self.viewing.get_untracked() else { return };
        let (this, client) = (*self, self.client.get_value());
        self.request(async move { client.order(&saved.id, &saved.secret).await }, move |result| match result {
            Ok(order) => this.show_order(order),
            Err(error) => this.fail(&error, Retry::LoadOrder),
        });
    }

    /// The order on its page: what the shopper sees there is no longer news.
    fn show_order(&self, order: Order) {
        self.saved.with_value(|s| s.update_order(&order, true));
        self.orders.set(self.saved.with_value(Saved::orders));
        self.order.set(Some(order));
    }

    pub fn cancel_order(&self) {
        let Some(saved) = self.viewing.get_untracked() else { return };
        let (this, client) = (*self, self.client.get_value());
        self.request(async move { client.cancel_order(&saved.id, &saved.secret).await }, move |result| match result {
            Ok(order) => this.show_order(order),
            Err(error) => {
                this.fail(&error, Retry::CancelOrder);
                this.load_order();
            }
        });
    }

    /// "Request the return" on the order page; `sent` clears the form once the shop has it.
    /// On a failure the form keeps what the shopper chose and wrote.
    pub fn request_return(&self, lines: Vec<ReturnLine>, reason: String, sent: impl FnOnce() + 'static) {
        // A second click before the answer would ask twice.
        let Some(saved) = self.viewing.get_untracked().filter(|_| !self.activity.with_untracked(Activity::busy)) else { return };
        let (this, client) = (*self, self.client.get_value());
        let request = ReturnRequest { lines, reason };
        self.failure.set(None);
        self.request(async move { client.request_return(&saved.id, &saved.secret, &request).await }, move |result| match result {
            Ok(order) => {
                sent();
                this.show_order(order);
            }
            Err(error) if error.code() == Some(ErrorCode::InvalidTransition) => {
                this.failure.set(Some(Failure { message: this.lang().text(Text::ErrReturnClosed).to_owned(), retry: None }));
            }
            Err(error) => this.fail_in_form(&error),
        });
    }

    /// "Send" in the order's thread; `sent` clears the message once the shop has it.
    pub fn send_message(&self, body: String, sent: impl FnOnce() + 'static) {
        let Some(saved) = self.viewing.get_untracked().filter(|_| !self.activity.with_untracked(Activity::busy)) else { return };
        let (this, client) = (*self, self.client.get_value());
        let request = MessageRequest { body };
        self.failure.set(None);
        self.request(async move { client.write_message(&saved.id, &saved.secret, &request).await }, move |result| match result {
            Ok(order) => {
                sent();
                this.show_order(order);
            }
            Err(error) => this.fail_in_form(&error),
        });
    }

    /// A form's request failed: the shopper is told, and sends the form again when ready.
    fn fail_in_form(&self, error: &ClientError) {
        web_sys::console::warn_1(&format!("Shoppable: {error}").into());
        self.failure.set(Some(Failure { message: self.describe(error), retry: None }));
    }

    /// When a page opens: reads the saved orders again, so the badge can tell of the news
    /// (shipped, delivered, a return answered, a reply from the shop). In the background, all
    /// at once (the browser queues them per connection), each shown as it comes; an order that
    /// cannot be read now keeps what was known of it.
    fn check_orders(&self) {
        let this = *self;
        for saved in self.saved.with_value(Saved::orders).into_iter().filter(SavedOrder::may_change) {
            let client = self.client.get_value();
            spawn_local(async move {
                if let Ok(order) = client.order(&saved.id, &saved.secret).await {
                    this.saved.with_value(|s| s.update_order(&order, false));
                    this.orders.set(this.saved.with_value(Saved::orders));
                }
            });
        }
    }

    /// Saved orders with news for the shopper (tracked).
    pub fn news(&self) -> usize {
        self.orders.with(|orders| orders.iter().filter(|o| o.has_news()).count())
    }

    fn dispatch(&self, event: WidgetEvent, detail: wasm_bindgen::JsValue) {
        if let Some(host) = self.host.get_value() {
            dispatch(&host, event, detail);
        }
    }
}

fn to_address(form: &AddressForm) -> Address {
    let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    Address {
        name: form.name.trim().to_owned(),
        email: form.email.trim().to_owned(),
        phone: optional(&form.phone),
        line1: form.line1.trim().to_owned(),
        line2: optional(&form.line2),
        postal_code: form.postal_code.trim().to_owned(),
        city: form.city.trim().to_owned(),
        region: None,
        country: form.country.clone(),
    }
}

fn provider_of(config: &Option<Configuration>) -> String {
    config.as_ref().and_then(|c| c.payment_methods.first()).map(|m| m.provider.clone()).unwrap_or_else(|| "test".into())
}

/// 128 random bits, hex: unique per checkout attempt.
fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let from_crypto =
        web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !from_crypto {
        bytes.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the page asks of the checkout chunk (`chunks::checkout`).
#[derive(Debug)]
pub enum Command {
    /// Mount the badge and the sheet (the shopper has a bag or orders with this shop), and send
    /// again an order that a reload interrupted.
    Start,
    /// Open the sheet at a [`Step::name`] (`bag`, `details`, ...; the loader re-opens a
    /// restarted sheet on the step it showed); focus returns to `opener` when it closes.
    Open { step: String, opener: Option<HtmlElement> },
    /// The bag changed in a product card: show the new count, and new prices if the bag is on
    /// screen.
    BagChanged,
}

/// Carries out `command` for the page's checkout of `ctx`'s backend (none on static pages).
pub fn run(ctx: &WidgetContext, command: Command) {
    let Some(checkout) = Checkout::for_page(ctx) else { return };
    match command {
        Command::Start => {}
        Command::Open { step, opener } => {
            checkout.bag.reload();
            checkout.open_at(Step::from_name(&step), opener);
        }
        Command::BagChanged => {
            checkout.bag.reload();
            if checkout.open.get_untracked() && checkout.step.get_untracked() == Step::Bag {
                checkout.refresh_quote();
            }
        }
    }
}
