//! The sheet's frame: the bag badge, the `<dialog>` with its header, messages and the current
//! step's view. A native modal dialog traps focus, makes the page inert and closes on Escape.

use leptos::html;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::frame::PaymentFrameView;
use super::steps::{BagStep, ConfirmationStep, DetailsStep, OrderStatusStep, OrdersStep, PaymentStep, ReviewStep, ShippingStep};
use super::{Checkout, Step};
use crate::i18n::Text;
use crate::mount::{constructed_sheet, shadow_host};

const STYLES: &str = include_str!("checkout.css");

/// Adds the page's `<shoppable-checkout>` element (badge and sheet) to the document.
pub fn mount_sheet(checkout: Checkout) -> Result<HtmlElement, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let (host, root) = shadow_host(&document, "shoppable-checkout", constructed_sheet(STYLES).as_ref(), STYLES)?;
    body.append_child(&host)?;
    // The sheet lives as long as the page.
    mount_to(root, move || view! { <Sheet checkout=checkout /> }).forget();
    Ok(host)
}

fn title(step: Step) -> Text {
    match step {
        Step::Bag => Text::Bag,
        Step::Details => Text::ContactAndAddress,
        Step::Shipping => Text::ShippingMethod,
        Step::Payment => Text::Payment,
        Step::Review => Text::Review,
        Step::Confirmation => Text::OrderConfirmed,
        Step::Orders | Step::OrderStatus => Text::Orders,
    }
}

/// Where "Back" goes from each step.
fn previous(step: Step) -> Option<Step> {
    match step {
        Step::Details | Step::Orders => Some(Step::Bag),
        Step::Shipping => Some(Step::Details),
        Step::Payment => Some(Step::Shipping),
        Step::Review => Some(Step::Payment),
        Step::OrderStatus => Some(Step::Orders),
        Step::Bag | Step::Confirmation => None,
    }
}

/// A modal dialog keeps focus out of the page, but Tab from its last control goes on to the
/// browser's own UI; keep it cycling through the sheet instead.
fn keep_focus_inside(dialog: &web_sys::HtmlDialogElement, event: &web_sys::KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let Ok(list) = dialog.query_selector_all("button, input, select, textarea, a[href], [tabindex]:not([tabindex='-1'])") else { return };
    let focusable: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| !e.has_attribute("disabled") && e.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let active = dialog.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().and_then(|root| root.active_element());
    let at = |element: &HtmlElement| active.as_ref().is_some_and(|a| js_sys::Object::is(a, element));
    let wrap_to = if event.shift_key() && (at(first) || active.is_none()) {
        Some(last)
    } else if !event.shift_key() && at(last) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = wrap_to {
        event.prevent_default();
        let _ = target.focus();
    }
}

#[component]
fn Sheet(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    let badge: NodeRef<html::Button> = NodeRef::new();
    let heading: NodeRef<html::H2> = NodeRef::new();
    // A new step replaces the view that had focus: move focus to its heading, so keyboard
    // and screen reader users start at the top of the step and hear its name.
    Effect::new(move |_| {
        checkout.step.track();
        if checkout.open.get_untracked()
            && let Some(heading) = heading.get_untracked()
        {
            let _ = heading.focus();
        }
    });
    // The open step shows on the `<shoppable-checkout>` element: the loader re-opens a
    // restarted sheet there, and pages and tests can see where the shopper is.
    Effect::new(move |_| {
        let (open, step) = (checkout.open.get(), checkout.step.get());
        if let Some(host) = checkout.host.get_value() {
            let _ = if open { host.set_attribute("data-step", step.name()) } else { host.remove_attribute("data-step") };
        }
    });
    Effect::new(move |_| {
        let open = checkout.open.get();
        if let Some(dialog) = dialog.get() {
            if open && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !open && dialog.open() {
                dialog.close();
            }
        }
    });
    let count = move || checkout.bag.bag.with(|b| b.count());
    let show_badge = move || count() > 0 || checkout.orders.with(|o| !o.is_empty());
    let news = move || checkout.news();
    let badge_label = move || match news() {
        0 => lang.bag_label(count()),
        n => format!("{}, {}", lang.bag_label(count()), lang.orders_updated(n)),
    };
    let step = move || checkout.step.get();

    view! {
        <button
            type="button"
            class="badge"
            part="bag-badge"
            node_ref=badge
            hidden=move || !show_badge()
            aria-label=badge_label
            // With news, the badge opens on the orders.
            on:click=move |_| checkout.open_at(if news() > 0 { Step::Orders } else { Step::Bag }, badge.get_untracked().map(Into::into))
        >
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                <path d="M6 7h12l1 14H5L6 7zm3 0a3 3 0 0 1 6 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
            </svg>
            <span class="count" aria-hidden="true" hidden=move || count() == 0>{count}</span>
            <span class="news" part="orders-news" aria-hidden="true" hidden=move || news() == 0>{news}</span>
        </button>
        // Said once, politely, when the page's check of the orders finds news.
        <p class="visually-hidden" role="status">{move || (news() > 0).then(|| lang.orders_updated(news()))}</p>
        <dialog
            node_ref=dialog
            class="sheet"
            part="sheet"
            aria-labelledby="shoppable-sheet-title"
            on:close=move |_| checkout.closed()
            on:keydown=move |event| {
                if let Some(dialog) = dialog.get_untracked() {
                    keep_focus_inside(&dialog, &event);
                }
            }
        >
            <div class="sheet-header">
                // While an order awaits its answer it can only be sent again as it is.
                {move || previous(step()).filter(|_| !(step() == Step::Review && checkout.pending())).map(|back| view! {
                    <button type="button" class="icon back" aria-label=lang.text(Text::Back) on:click=move |_| checkout.go(back)>"‹"</button>
                })}
                <div class="heading">
                    <h2 id="shoppable-sheet-title" tabindex="-1" node_ref=heading>{move || lang.text(title(step()))}</h2>
                    // An empty bag is no step of a purchase yet.
                    {move || step().number().filter(|_| checkout.bag.bag.with(|b| !b.lines.is_empty())).map(|n| view! { <p class="step-of">{lang.step_of(n, 5)}</p> })}
                </div>
                <button type="button" class="icon close" part="close-button" aria-label=lang.text(Text::Close)
                    on:click=move |_| {
                        if let Some(dialog) = dialog.get_untracked() {
                            dialog.close();
                        }
                    }>
                    "×"
                </button>
            </div>
            <p class="notice" role="status">{move || checkout.notice.get()}</p>
            <div class="failure" role="alert">
                {move || checkout.failure.get().map(|failure| view! {
                    <p>{failure.message}</p>
                    {failure.retry.map(|retry| view! {
                        <button type="button" class="secondary" on:click=move |_| checkout.retry(retry)>{lang.text(Text::Retry)}</button>
                    })}
                })}
            </div>
            <div class="body" aria-busy=move || if checkout.busy() { "true" } else { "false" }>
                <PaymentFrameView checkout=checkout />
                {move || match step() {
                    Step::Bag => view! { <BagStep checkout=checkout /> }.into_any(),
                    Step::Details => view! { <DetailsStep checkout=checkout /> }.into_any(),
                    Step::Shipping => view! { <ShippingStep checkout=checkout /> }.into_any(),
                    Step::Payment => view! { <PaymentStep checkout=checkout /> }.into_any(),
                    Step::Review => view! { <ReviewStep checkout=checkout /> }.into_any(),
                    Step::Confirmation => view! { <ConfirmationStep checkout=checkout /> }.into_any(),
                    Step::Orders => view! { <OrdersStep checkout=checkout /> }.into_any(),
                    Step::OrderStatus => view! { <OrderStatusStep checkout=checkout /> }.into_any(),
                }}
            </div>
        </dialog>
    }
}
