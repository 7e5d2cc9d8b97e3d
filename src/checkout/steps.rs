//! The view of each checkout step. They only render the `Checkout` state and call its actions.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shoppable_protocol::payment::brand_name;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Money, OrderStatus, Quote, QuotedLine};
use wasm_bindgen::prelude::*;

use super::validate::{Field, Form};
use super::{Checkout, Step};
use crate::chunks::{ChunkView, show_order_page};
use crate::i18n::Text;
pub(super) use crate::money::country_name;
use crate::money::{format_money, format_time};

pub(super) fn price(checkout: Checkout, money: Money) -> String {
    checkout.ctx.with_value(|ctx| format_money(&money, &ctx.locale, ctx.config.currency_display()))
}

/// One line of a quote or an order: "2 × title", its variant, its total, and its photo on the
/// order page (`with_image`).
#[component]
pub(super) fn LineRow(checkout: Checkout, line: QuotedLine, #[prop(optional)] with_image: bool) -> impl IntoView {
    let image = line.image_url.clone().filter(|url| with_image && is_safe_link(url));
    let variant = line.variant_label().map(|label| view! { <p class="line-variant">{label.to_owned()}</p> });
    view! {
        <li class="line">
            {image.map(|src| view! { <img src=src alt="" /> })}
            <div class="line-text">
                <p class="line-title">{format!("{} × {}", line.quantity, line.title)}</p>
                {variant}
            </div>
            <p class="line-price">{price(checkout, line.total)}</p>
        </li>
    }
}

/// A shipping cost: "Gratuit" / "Free" when it is nothing.
fn shipping_price(checkout: Checkout, money: Money) -> String {
    if money.amount == 0 { checkout.lang().text(Text::Free).to_owned() } else { price(checkout, money) }
}

/// Runs `action` once the views changed by the current task are in the DOM.
fn after_render(action: impl FnOnce() + 'static) {
    let action = Closure::once_into_js(action);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(action.unchecked_ref(), 0);
    }
}

/// A bag line at `place` was removed: focus goes to the remove button of the line now in its
/// place (or of the last line), or to the sheet's title once the bag is empty, never to the
/// page behind the sheet.
fn focus_after_removal(checkout: Checkout, place: usize) {
    after_render(move || {
        let Some(root) = checkout.host.get_value().and_then(|host| host.shadow_root()) else { return };
        let buttons = root.query_selector_all(".lines button.remove").ok();
        let count = buttons.as_ref().map_or(0, |b| b.length());
        let target = match buttons {
            Some(buttons) if count > 0 => buttons.item((place as u32).min(count - 1)),
            _ => root.query_selector("#shoppable-sheet-title").ok().flatten().map(Into::into),
        };
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    });
}

/// Focuses the first field marked invalid, once the marks are in the DOM.
fn focus_first_invalid(form: web_sys::HtmlFormElement) {
    after_render(move || {
        if let Ok(Some(field)) = form.query_selector("[aria-invalid=true]")
            && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = field.focus();
        }
    });
}

fn on_submit(action: impl Fn() + 'static) -> impl Fn(SubmitEvent) + 'static {
    move |event: SubmitEvent| {
        event.prevent_default();
        action();
        if let Some(form) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
            focus_first_invalid(form);
        }
    }
}

/// A labelled input bound to one field of `form`, with its error message next to it.
#[component]
fn TextField<F: Form + Send + Sync + 'static>(checkout: Checkout, form: RwSignal<F>, field: Field) -> impl IntoView {
    let lang = checkout.lang();
    let id = field.input_id();
    let error_id = format!("{id}-error");
    let error = move || checkout.field_errors.with(|errors| errors.iter().find(|(f, _)| *f == field).map(|(_, text)| lang.text(*text)));
    let (describedby, error_span_id) = (error_id.clone(), error_id);
    view! {
        <div class="field">
            <label for=id>{lang.text(field.label())}</label>
            <input
                id=id
                type=field.input_type()
                autocomplete=field.autocomplete()
                inputmode=field.numeric().then_some("numeric")
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=move || error().map(|_| describedby.clone())
                prop:value=move || form.with(|f| f.value(field))
                on:input=move |event| {
                    let value = event_target_value(&event);
                    form.update(|f| f.set(field, value));
                    checkout.field_errors.update(|errors| errors.retain(|(f, _)| *f != field));
                }
            />
            <p class="field-error" id=error_span_id>{error}</p>
        </div>
    }
}

/// Subtotal, shipping, tax and total of a quote.
fn totals(checkout: Checkout, quote: &Quote, with_shipping: bool) -> impl IntoView + use<> {
    let lang = checkout.lang();
    let shipping = shipping_price(checkout, quote.shipping);
    let tax_label = lang.text(if quote.tax_included { Text::TaxIncluded } else { Text::TaxAdded });
    view! {
        <dl class="totals" part="totals">
            <div><dt>{lang.text(Text::Subtotal)}</dt><dd>{price(checkout, quote.subtotal)}</dd></div>
            {with_shipping.then(|| view! { <div><dt>{lang.text(Text::Shipping)}</dt><dd>{shipping}</dd></div> })}
            {with_shipping.then(|| view! { <div class="tax"><dt>{tax_label}</dt><dd>{price(checkout, quote.tax)}</dd></div> })}
            {with_shipping.then(|| view! { <div class="total"><dt>{lang.text(Text::Total)}</dt><dd>{price(checkout, quote.total)}</dd></div> })}
        </dl>
    }
}

#[component]
pub fn BagStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let lines = move || checkout.bag.bag.with(|b| b.lines.clone());
    let quoted =
        move |variant: &str| checkout.quote.with(|q| q.as_ref().and_then(|q| q.lines.iter().find(|l| l.variant_id == variant).cloned()));
    let empty = move || checkout.bag.bag.with(|b| b.lines.is_empty());
    view! {
        <p class="empty" hidden=move || !empty()>{lang.text(Text::BagEmpty)}</p>
        <ul class="lines">
            <For each=lines key=|line| line.variant_id.clone() let(line)>
                {
                    let variant = line.variant_id.clone();
                    let (v_minus, v_plus, v_remove, v_qty, v_price) = (variant.clone(), variant.clone(), variant.clone(), variant.clone(), variant);
                    let quantity = Memo::new(move |_| checkout.bag.bag.with(|b| b.lines.iter().find(|l| l.variant_id == v_qty).map(|l| l.quantity).unwrap_or(0)));
                    let set = move |variant: &str, quantity: u32| {
                        let place = checkout.bag.bag.with_untracked(|b| b.lines.iter().position(|l| l.variant_id == variant));
                        checkout.set_quantity(variant, quantity);
                        if let (0, Some(place)) = (quantity, place) {
                            focus_after_removal(checkout, place);
                        }
                    };
                    let title = line.title.clone();
                    let (minus_label, plus_label, remove_label) = (
                        lang.labelled(Text::Decrease, &title),
                        lang.labelled(Text::Increase, &title),
                        lang.labelled(Text::Remove, &title),
                    );
                    view! {
                        <li class="line">
                            {line.image_url.clone().filter(|u| is_safe_link(u)).map(|src| view! { <img src=src alt="" /> })}
                            <div class="line-text">
                                <p class="line-title">{line.title.clone()}</p>
                                <p class="line-variant">{line.variant_title.clone()}</p>
                                <p class="line-price">
                                    {move || quoted(&v_price).map(|q| match q.error {
                                        Some(_) => lang.text(Text::LineUnavailable).to_owned(),
                                        None => price(checkout, q.total),
                                    })}
                                </p>
                            </div>
                            <div class="quantity" role="group" aria-label=lang.text(Text::Quantity)>
                                <button type="button" class="icon" aria-label=minus_label on:click=move |_| set(&v_minus, quantity.get_untracked().saturating_sub(1))>"−"</button>
                                <span class="qty" aria-live="polite">{quantity}</span>
                                <button type="button" class="icon" aria-label=plus_label on:click=move |_| set(&v_plus, quantity.get_untracked() + 1)>"+"</button>
                            </div>
                            <button type="button" class="link remove" aria-label=remove_label on:click=move |_| set(&v_remove, 0)>
                                {lang.text(Text::Remove)}
                            </button>
                        </li>
                    }
                }
            </For>
        </ul>
        {move || checkout.quote.get().filter(|_| !empty()).map(|q| totals(checkout, &q, false))}
        <div class="actions">
            <button type="button" class="primary" part="checkout-button" hidden=empty disabled=move || checkout.busy()
                on:click=move |_| checkout.start(Step::Details)>
                {lang.text(Text::Checkout)}
            </button>
            <button type="button" class="secondary" hidden=move || !empty() on:click=move |_| checkout.open.set(false)>
                {lang.text(Text::ContinueShopping)}
            </button>
            <button type="button" class="link" hidden=move || checkout.orders.with(|o| o.is_empty())
                on:click=move |_| checkout.go(Step::Orders)>
                {lang.text(Text::Orders)}
            </button>
        </div>
    }
}

#[component]
pub fn DetailsStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let form = checkout.address;
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    let countries = move || checkout.config.with(|c| c.as_ref().map(|c| c.countries.clone()).unwrap_or_default());
    let country_error = move || checkout.field_errors.with(|e| e.iter().find(|(f, _)| *f == Field::Country).map(|(_, t)| lang.text(*t)));
    view! {
        <form novalidate on:submit=on_submit(move || checkout.submit_details())>
            <TextField checkout form field=Field::Name />
            <TextField checkout form field=Field::Email />
            <TextField checkout form field=Field::Phone />
            <TextField checkout form field=Field::Line1 />
            <div class="field">
                <label for="shoppable-line2">{lang.text(Text::FieldLine2)}</label>
                <input id="shoppable-line2" type="text" autocomplete="address-line2" prop:value=move || form.with(|f| f.line2.clone())
                    on:input=move |event| form.update(|f| f.line2 = event_target_value(&event)) />
            </div>
            <div class="row">
                <TextField checkout form field=Field::PostalCode />
                <TextField checkout form field=Field::City />
            </div>
            <div class="field">
                <label for="shoppable-country">{lang.text(Text::FieldCountry)}</label>
                <select id="shoppable-country" autocomplete="country"
                    aria-invalid=move || if country_error().is_some() { "true" } else { "false" }
                    aria-describedby="shoppable-country-error"
                    on:change=move |event| form.update(|f| f.country = event_target_value(&event))>
                    {move || countries().into_iter().map(|code| {
                        let name = country_name(&code, &locale);
                        let selected = form.with_untracked(|f| f.country == code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id="shoppable-country-error">{country_error}</p>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || checkout.remember.get()
                    on:change=move |event| checkout.remember.set(event_target_checked(&event)) />
                {lang.text(Text::RememberDetails)}
            </label>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || checkout.busy()>{lang.text(Text::Continue)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn ShippingStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    view! {
        {move || checkout.quote.get().map(|quote| {
            let options = quote.shipping_options.iter().map(|option| {
                let id = option.id.clone();
                let checked = quote.selected_shipping_option.as_deref() == Some(option.id.as_str());
                let cost = shipping_price(checkout, option.price);
                view! {
                    <label class="option">
                        <input type="radio" name="shoppable-shipping" value=id.clone() prop:checked=checked
                            on:change=move |_| checkout.choose_shipping(id.clone()) />
                        <span class="option-label">{option.label.clone()}</span>
                        <span class="option-days">{lang.delivery_days(option.min_days, option.max_days)}</span>
                        <span class="option-price">{cost}</span>
                    </label>
                }
            }).collect_view();
            let orderable = quote.orderable;
            view! {
                <fieldset class="options">
                    <legend>{lang.text(Text::ShippingMethod)}</legend>
                    {options}
                </fieldset>
                {totals(checkout, &quote, true)}
                <div class="actions">
                    <button type="button" class="primary" disabled=move || !orderable || checkout.busy()
                        on:click=move |_| checkout.go(Step::Payment)>
                        {lang.text(Text::Continue)}
                    </button>
                </div>
            }
        })}
        <p class="loading" hidden=move || checkout.quote.with(Option::is_some)>{lang.text(Text::Loading)}</p>
    }
}

/// The payment step. With a payment frame (the provider's card form, `frame.rs`, shown above
/// this view by the sheet) only the button that submits it is here. The in-page card fields
/// are for providers without a frame, i.e. test setups (any script of the page can read them);
/// they are shown only once the configuration says there is no frame, so that they never exist
/// in the page of a provider that has one.
#[component]
pub fn PaymentStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let form = checkout.card;
    // None until the configuration is there; then whether the provider has a frame.
    let framed = move || checkout.config.with(|c| c.as_ref().map(|c| c.payment_methods.first().is_some_and(|m| m.frame_url.is_some())));
    let waiting = move || checkout.busy() || framed().is_none_or(|framed| framed && !checkout.frame.ready.get());
    let test_provider =
        move || checkout.config.with(|c| c.as_ref().is_some_and(|c| c.payment_methods.iter().any(|m| m.provider == "test")));
    view! {
        <form novalidate on:submit=on_submit(move || checkout.submit_payment())>
            {move || (framed() == Some(false)).then(|| view! {
                <TextField checkout form field=Field::CardNumber />
                <div class="row">
                    <TextField checkout form field=Field::Expiry />
                    <TextField checkout form field=Field::Cvc />
                </div>
                <p class="note">{lang.text(Text::CardSafety)}</p>
                <p class="note" hidden=move || !test_provider()>
                    {lang.text(Text::TestCard)}
                </p>
            })}
            <div class="actions">
                <button type="submit" class="primary" disabled=waiting>
                    {move || lang.text(if waiting() { Text::Loading } else { Text::Continue })}
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn ReviewStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let address = checkout.address;
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    view! {
        {move || checkout.quote.get().map(|quote| {
            let locale = locale.clone();
            let lines = quote.lines.iter().map(|line| view! { <LineRow checkout line=line.clone() /> }).collect_view();
            let option = quote.shipping_options.iter().find(|o| Some(&o.id) == quote.selected_shipping_option.as_ref()).map(|o| o.label.clone());
            view! {
                <ul class="lines">{lines}</ul>
                <section class="summary">
                    <h3>{lang.text(Text::DeliverTo)}</h3>
                    <p>{move || address.with(|a| format!("{}, {}, {} {}, {}", a.name, a.line1, a.postal_code, a.city, country_name(&a.country, &locale)))}</p>
                    <p>{option}</p>
                    <button type="button" class="link" hidden=move || checkout.pending() on:click=move |_| checkout.go(Step::Details)>{lang.text(Text::Edit)}</button>
                </section>
                <section class="summary">
                    <h3>{lang.text(Text::Payment)}</h3>
                    <p class="paying-with">{move || checkout.card_token.get().map(|t| format!("{} {} •••• {}", lang.text(Text::PayWith), brand_name(&t.brand), t.last4))}</p>
                    <button type="button" class="link" hidden=move || checkout.pending() on:click=move |_| checkout.go(Step::Payment)>{lang.text(Text::Edit)}</button>
                </section>
                {totals(checkout, &quote, true)}
            }
        })}
        <div class="actions">
            <button type="button" class="primary" part="place-order"
                disabled=move || checkout.placing() || checkout.busy() || checkout.quote.with(|q| !q.as_ref().is_some_and(|q| q.orderable))
                on:click=move |_| checkout.place_order()>
                {move || lang.text(if checkout.placing() { Text::Placing } else { Text::PlaceOrder })}
            </button>
        </div>
    }
}

#[component]
pub fn ConfirmationStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    view! {
        {move || checkout.order.get().map(|order| {
            let total = price(checkout, order.total);
            view! {
                <p class="confirmation" part="confirmation">
                    {lang.text(Text::OrderNumber)} " " <strong class="order-number">{order.number.clone()}</strong>
                </p>
                <p>{lang.labelled(Text::Total, &total)}</p>
                <div class="actions">
                    <button type="button" class="primary" on:click=move |_| {
                        if let Some(saved) = checkout.orders.with_untracked(|o| o.first().cloned()) {
                            checkout.view_order(saved);
                        }
                    }>{lang.text(Text::ViewOrder)}</button>
                    <button type="button" class="secondary" on:click=move |_| checkout.open.set(false)>{lang.text(Text::ContinueShopping)}</button>
                </div>
            }
        })}
    }
}

#[component]
pub fn OrdersStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    view! {
        <p class="empty" hidden=move || checkout.orders.with(|o| !o.is_empty())>{lang.text(Text::NoOrders)}</p>
        <ul class="orders">
            {move || checkout.orders.get().into_iter().map(|saved| {
                let label = format!("{} {} · {} · {}", lang.text(Text::OrderNumber), saved.number, format_time(&saved.created_at, &locale), price(checkout, saved.total));
                let status = saved.status.map(|s| lang.text(status_text(s)));
                let (items, news) = (saved.items.join(", "), saved.has_news());
                view! {
                    <li>
                        <button type="button" class="order-link" on:click=move |_| checkout.view_order(saved.clone())>
                            <span class="order-label">{label}</span>
                            {news.then(|| view! { " " <span class="news-tag">{lang.text(Text::NewForYou)}</span> })}
                            {status.map(|status| view! { <span class="order-status">{status}</span> })}
                            <span class="order-items">{items}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

pub fn status_text(status: OrderStatus) -> Text {
    match status {
        OrderStatus::Placed => Text::StatusPlaced,
        OrderStatus::Paid => Text::StatusPaid,
        OrderStatus::Shipped => Text::StatusShipped,
        OrderStatus::Delivered => Text::StatusDelivered,
        OrderStatus::Cancelled => Text::StatusCancelled,
        OrderStatus::Refunded => Text::StatusRefunded,
    }
}

/// An order's page, drawn by a chunk of its own (`chunks::show_order_page`, fetched when the
/// shopper opens an order): a purchase never downloads returns and messages.
#[component]
pub fn OrderStatusStep(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let slot: NodeRef<leptos::html::Div> = NodeRef::new();
    let page: StoredValue<Option<ChunkView>, LocalStorage> = StoredValue::new_local(None);
    let state = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        let Some(slot) = slot.get() else { return };
        leptos::task::spawn_local(async move {
            // The sheet may have moved on while the chunk loaded: then the page is dropped unseen.
            match show_order_page(checkout, slot.into()).await {
                Ok(view) => {
                    drop(page.try_set_value(Some(view)));
                    let _ = state.try_set(Some(true));
                }
                Err(error) => {
                    web_sys::console::warn_1(&format!("Shoppable: the order's page could not be loaded: {error}").into());
                    let _ = state.try_set(Some(false));
                }
            }
        });
    });
    view! {
        <div class="order-page" node_ref=slot></div>
        <p class="loading" hidden=move || state.get().is_some()>{lang.text(Text::Loading)}</p>
        <p class="error" role="alert" hidden=move || state.get() != Some(false)>{lang.text(Text::LoadFailed)}</p>
    }
}
