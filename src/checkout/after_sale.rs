//! The order page after the sale: what was bought and where it goes, how it was paid, its
//! returns with "Return items", and the thread with the shop ("Contact the shop"). Only
//! renders the order and calls the `Checkout`'s actions.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shoppable_protocol::payment::brand_name;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Author, MAX_MESSAGE_CHARS, MAX_REASON_CHARS, Order, ReturnLine, ReturnStatus, clean_text};

use super::Checkout;
use super::steps::{LineRow, country_name, price, status_text};
use crate::chunks::ChunkView;
use crate::i18n::Text;
use crate::money::format_time;

/// Draws the page of the order the checkout shows into `slot` (the order-page chunk).
pub fn show(checkout: Checkout, slot: web_sys::HtmlElement) -> ChunkView {
    ChunkView::new(leptos::mount::mount_to(slot, move || view! { <OrderPage checkout /> }))
}

/// The order's status and history, what was bought and where it goes, cancelling while it
/// may, its returns and the thread with the shop.
#[component]
fn OrderPage(checkout: Checkout) -> impl IntoView {
    let lang = checkout.lang();
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    view! {
        {move || checkout.order.get().map(|order| {
            let events = order.history.iter().map(|event| {
                let tracking = event.tracking_url.clone().filter(|u| is_safe_link(u));
                view! {
                    <li class="event">
                        <strong>{lang.text(status_text(event.status))}</strong>
                        " " <time datetime=event.at.clone()>{format_time(&event.at, &locale)}</time>
                        {event.tracking_number.clone().map(|number| view! { <span class="tracking-number">{number}</span> })}
                        {tracking.map(|href| view! { " " <a href=href target="_blank" rel="noopener">{lang.text(Text::Track)}</a> })}
                    </li>
                }
            }).collect_view();
            let cancellable = order.cancellable_until.clone().map(|until| lang.cancel_until(&format_time(&until, &locale)));
            view! {
                <p class="order-head">
                    {lang.text(Text::OrderNumber)} " " <strong class="order-number">{order.number.clone()}</strong>
                    " · " <span class="status" part="order-status">{lang.text(status_text(order.status))}</span>
                </p>
                <ol class="timeline">{events}</ol>
                {order_details(checkout, &order)}
                {cancellable.map(|until| {
                    // Cancelling is final: it asks once more, in place.
                    let confirming = RwSignal::new(false);
                    view! {
                        <p class="note">{until}</p>
                        <div class="actions" hidden=move || confirming.get()>
                            <button type="button" class="secondary" disabled=move || checkout.busy()
                                on:click=move |_| confirming.set(true)>{lang.text(Text::CancelOrder)}</button>
                        </div>
                        <div class="confirm" role="alert" hidden=move || !confirming.get()>
                            <p>{lang.text(Text::ConfirmCancel)}</p>
                            <div class="actions">
                                <button type="button" class="primary danger" disabled=move || checkout.busy()
                                    on:click=move |_| checkout.cancel_order()>{lang.text(Text::YesCancel)}</button>
                                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{lang.text(Text::KeepOrder)}</button>
                            </div>
                        </div>
                    }
                })}
                <Returns checkout=checkout order=order.clone() />
                <Thread checkout=checkout order=order.clone() />
            }
        })}
        <p class="loading" hidden=move || checkout.order.with(Option::is_some)>{lang.text(Text::Loading)}</p>
    }
}

fn return_status_text(status: ReturnStatus) -> Text {
    match status {
        ReturnStatus::Requested => Text::ReturnRequested,
        ReturnStatus::Approved => Text::ReturnApproved,
        ReturnStatus::Refused => Text::ReturnRefused,
        ReturnStatus::Received => Text::ReturnReceived,
        ReturnStatus::Refunded => Text::ReturnRefunded,
    }
}

/// Lines with their images, the delivery address and the payment.
pub fn order_details(checkout: Checkout, order: &Order) -> impl IntoView + use<> {
    let lang = checkout.lang();
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    let a = &order.address;
    let street = [Some(a.line1.clone()), a.line2.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let card = (!order.payment.last4.is_empty()).then(|| format!("{} •••• {}", brand_name(&order.payment.brand), order.payment.last4));
    let refunded = order.refunded();
    let refunded = (refunded.amount > 0).then(|| price(checkout, refunded));
    view! {
        <h3>{lang.text(Text::Items)}</h3>
        <ul class="lines order-lines">
            {order.lines.iter().map(|line| view! { <LineRow checkout line=line.clone() with_image=true /> }).collect_view()}
        </ul>
        <dl class="order-summary">
            <dt>{lang.text(Text::Shipping)}</dt><dd>{price(checkout, order.shipping)}</dd>
            <dt>{lang.text(Text::Total)}</dt><dd><strong>{price(checkout, order.total)}</strong></dd>
            {card.map(|card| view! { <dt>{lang.text(Text::PaidWith)}</dt><dd class="paid-with">{card}</dd> })}
            {refunded.map(|amount| view! { <dt>{lang.text(Text::RefundedAmount)}</dt><dd class="refunded">{amount}</dd> })}
            <dt>{lang.text(Text::DeliverTo)}</dt>
            <dd class="deliver-to">{format!("{}, {street}, {} {}, {}", a.name, a.postal_code, a.city, country_name(&a.country, &locale))}</dd>
        </dl>
    }
}

/// The order's returns, then the form to ask for one while the order is returnable.
#[component]
pub fn Returns(checkout: Checkout, order: Order) -> impl IntoView {
    let lang = checkout.lang();
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    let title = |line: u32| order.lines.get(line as usize).map(|l| l.item_name()).unwrap_or_default();
    let returns = order.returns.iter().map(|ret| {
        let items = ret.lines.iter().map(|l| format!("{} × {}", l.quantity, title(l.line))).collect::<Vec<_>>().join(", ");
        let label = ret.label_url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        view! {
            <li class="return">
                <p><strong class="return-status">{lang.text(return_status_text(ret.status))}</strong>" · "{items}</p>
                <p class="note">{lang.labelled(Text::Refund, &price(checkout, ret.refund))}</p>
                {ret.instructions.clone().map(|text| view! { <p class="instructions">{text}</p> })}
                {label.map(|href| view! { <p><a href=href target="_blank" rel="noopener noreferrer">{lang.text(Text::ReturnLabel)}</a></p> })}
                {ret.refusal_reason.clone().map(|text| view! { <p class="refusal">{text}</p> })}
            </li>
        }
    });
    let form = order.returnable_until.clone().map(|until| {
        let note = lang.return_until(&format_time(&until, &locale));
        view! { <p class="note">{note}</p> <ReturnForm checkout=checkout order=order.clone() /> }
    });
    view! {
        {(!order.returns.is_empty()).then(|| view! { <h3>{lang.text(Text::Returns)}</h3> })}
        <ul class="returns">{returns.collect_view()}</ul>
        {form}
    }
}

/// "Return items": how many units of each line, and why. What was chosen and written stays
/// when the request fails.
#[component]
fn ReturnForm(checkout: Checkout, order: Order) -> impl IntoView {
    let lang = checkout.lang();
    let open = RwSignal::new(false);
    let chosen: RwSignal<BTreeMap<u32, u32>> = RwSignal::new(BTreeMap::new());
    let reason = RwSignal::new(String::new());
    let problem: RwSignal<Option<Text>> = RwSignal::new(None);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let lines: Vec<ReturnLine> = chosen.with_untracked(|c| {
            c.iter().filter(|(_, q)| **q > 0).map(|(line, quantity)| ReturnLine { line: *line, quantity: *quantity }).collect()
        });
        let text = reason.get_untracked();
        let Some(why) = clean_text(&text, MAX_REASON_CHARS) else {
            problem.set(Some(Text::ReturnNeedsReason));
            return;
        };
        if lines.is_empty() {
            problem.set(Some(Text::ReturnChooseLines));
            return;
        }
        problem.set(None);
        checkout.request_return(lines, why.to_owned(), move || {
            open.set(false);
            chosen.set(BTreeMap::new());
            reason.set(String::new());
        });
    };
    let rows = order.lines.iter().enumerate().filter_map(|(i, line)| {
        let index = i as u32;
        let left = line.quantity - order.units_in_returns(index);
        (left > 0).then(|| {
            let id = format!("shoppable-return-{i}");
            view! {
                <div class="field return-line">
                    <label for=id.clone()>{line.item_name()}</label>
                    <select id=id on:change=move |ev| {
                        let quantity = event_target_value(&ev).parse().unwrap_or(0);
                        chosen.update(|c| { c.insert(index, quantity); });
                    } prop:value=move || chosen.with(|c| c.get(&index).copied().unwrap_or(0).to_string())>
                        {(0..=left).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    </select>
                </div>
            }
        })
    });
    view! {
        <div class="actions" hidden=move || open.get()>
            <button type="button" class="secondary" part="return-items" on:click=move |_| open.set(true)>{lang.text(Text::ReturnItems)}</button>
        </div>
        <form class="return-form" hidden=move || !open.get() on:submit=submit novalidate>
            <fieldset>
                <legend>{lang.text(Text::ReturnItems)}</legend>
                {rows.collect_view()}
            </fieldset>
            <div class="field">
                <label for="shoppable-return-reason">{lang.text(Text::ReturnReason)}</label>
                <textarea id="shoppable-return-reason" rows="3" maxlength=MAX_REASON_CHARS.to_string()
                    aria-invalid=move || if problem.get() == Some(Text::ReturnNeedsReason) { "true" } else { "false" }
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <p class="error" role="alert">{move || problem.get().map(|p| lang.text(p))}</p>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || checkout.busy()>{lang.text(Text::SendReturn)}</button>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>{lang.text(Text::Close)}</button>
            </div>
        </form>
    }
}

/// "Contact the shop": the thread, oldest first, as text, and the message being written
/// (kept when sending fails).
#[component]
pub fn Thread(checkout: Checkout, order: Order) -> impl IntoView {
    let lang = checkout.lang();
    let locale = checkout.ctx.with_value(|c| c.locale.clone());
    let message = RwSignal::new(String::new());
    let problem = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let text = message.get_untracked();
        let Some(body) = clean_text(&text, MAX_MESSAGE_CHARS) else {
            problem.set(true);
            return;
        };
        problem.set(false);
        checkout.send_message(body.to_owned(), move || message.set(String::new()));
    };
    let messages = order.messages.iter().map(|m| {
        let (who, class) = match m.author {
            Author::Shopper => (lang.text(Text::FromYou), "message from-shopper"),
            Author::Shop => (lang.text(Text::FromShop), "message from-shop"),
        };
        view! {
            <li class=class>
                <p class="note">{who}" · "<time datetime=m.at.clone()>{format_time(&m.at, &locale)}</time></p>
                <p class="message-body">{m.body.clone()}</p>
            </li>
        }
    });
    view! {
        <h3 id="shoppable-thread-title">{lang.text(Text::ContactShop)}</h3>
        <ol class="thread" aria-labelledby="shoppable-thread-title">{messages.collect_view()}</ol>
        <form class="message-form" on:submit=submit novalidate>
            <div class="field">
                <label for="shoppable-message">{lang.text(Text::YourMessage)}</label>
                <textarea id="shoppable-message" rows="3" maxlength=MAX_MESSAGE_CHARS.to_string()
                    aria-invalid=move || if problem.get() { "true" } else { "false" }
                    prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            </div>
            <p class="error" role="alert">{move || problem.get().then(|| lang.text(Text::MessageNeeded))}</p>
            <div class="actions">
                <button type="submit" class="primary" part="send-message" disabled=move || checkout.busy()>{lang.text(Text::Send)}</button>
            </div>
        </form>
    }
}
