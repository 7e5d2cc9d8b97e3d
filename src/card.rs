//! The product card a tag opens: photo, title, price for the locale, variant picker with
//! sold-out choices disabled, stock hint, "Add to bag", "Buy now" and a link to the product.

use leptos::html;
use leptos::prelude::*;
use serde_json::json;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Money, Product};
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

use crate::api::ApiClient;
use crate::bag::{BagLine, BagStore};
use crate::checkout_link;
use crate::config::WidgetContext;
use crate::events::{WidgetEvent, dispatch};
use crate::i18n::Text;
use crate::money::format_money;
use crate::tags::TagView;
use crate::variants::{choice_available, initial_selection, select, selected_variant};

/// Stock at or below which the card says how many are left.
const LOW_STOCK: u32 = 5;

#[component]
pub fn ProductCard(
    tag: TagView,
    /// The tag's point in the overlay; the card opens beside it.
    anchor: (f64, f64),
    /// Open to the left of the tag (tags on the right half).
    flip_x: bool,
    /// Open above the tag (tags on the lower half).
    flip_y: bool,
    image: StoredValue<EventTarget, LocalStorage>,
    ctx: WidgetContext,
    on_close: Callback<()>,
) -> impl IntoView {
    let lang = ctx.lang;
    let close_ref: NodeRef<html::Button> = NodeRef::new();
    // Moving focus into the card lets keyboard users act on it at once; Escape or the close
    // button bring focus back to the tag.
    Effect::new(move |_| {
        if let Some(button) = close_ref.get() {
            let _ = button.focus();
        }
    });
    let title_id = format!("shoppable-card-{}", tag.id);
    let heading_id = title_id.clone();
    let style = format!("left:{:.1}px;top:{:.1}px", anchor.0, anchor.1);
    let body = match (&tag.link, ctx.client()) {
        (Some(link), _) => static_body(&tag, link, &ctx).into_any(),
        (None, Some(client)) => {
            checkout_link::prefetch();
            backend_body(tag.clone(), client, image, ctx.clone()).into_any()
        }
        (None, None) => view! { <p class="error">{lang.text(Text::LoadFailed)}</p> }.into_any(),
    };
    view! {
        <div
            class="card"
            class:flip-x=flip_x
            class:flip-y=flip_y
            part="card"
            role="dialog"
            aria-labelledby=title_id
            style=style
            on:click=|event| event.stop_propagation()
        >
            <button type="button" class="close" part="close-button" aria-label=lang.text(Text::Close) node_ref=close_ref
                on:click=move |_| on_close.run(())>
                "×"
            </button>
            {tag.product.image_url.clone().filter(|url| is_safe_link(url)).map(|src| view! {
                <img class="card-image" part="card-image" src=src alt="" />
            })}
            <h2 class="card-title" id=heading_id>{tag.product.title.clone()}</h2>
            {body}
        </div>
    }
}

fn price_view(price: Money, compare_at: Option<Money>, ctx: &WidgetContext) -> impl IntoView + use<> {
    let display = ctx.config.currency_display();
    let now = format_money(&price, &ctx.locale, display);
    let was = compare_at
        .filter(|old| old.currency == price.currency && old.amount > price.amount)
        .map(|old| format_money(&old, &ctx.locale, display));
    let was_label = ctx.lang.text(Text::WasPrice);
    view! {
        <p class="card-price" part="price">
            <span class="price" class:sale=was.is_some()>{now}</span>
            {was.map(|was| view! { " " <s class="compare-at" aria-label=format!("{was_label} {was}")>{was.clone()}</s> })}
        </p>
    }
}

fn static_body(tag: &TagView, link: &str, ctx: &WidgetContext) -> impl IntoView + use<> {
    view! {
        {price_view(tag.product.price, tag.product.compare_at_price, ctx)}
        <a class="primary link-out" part="link-out" href=link.to_owned() target="_blank" rel="noopener sponsored">
            {ctx.lang.text(Text::ViewProduct)}
        </a>
    }
}

fn backend_body(tag: TagView, client: ApiClient, image: StoredValue<EventTarget, LocalStorage>, ctx: WidgetContext) -> impl IntoView {
    let lang = ctx.lang;
    let product_id = tag.product.id.clone();
    let product = LocalResource::new(move || {
        let client = client.clone();
        let id = product_id.clone();
        async move { client.product(&id).await }
    });
    move || match product.get() {
        None => view! {
            {price_view(tag.product.price, tag.product.compare_at_price, &ctx)}
            <p class="loading" role="status">{lang.text(Text::Loading)}</p>
        }
        .into_any(),
        Some(Err(error)) => {
            web_sys::console::warn_1(&format!("Shoppable: product {}: {error}", tag.product.id).into());
            view! {
                <p class="error" role="alert">{lang.text(Text::LoadFailed)}</p>
                <button type="button" class="secondary" on:click=move |_| product.refetch()>{lang.text(Text::Retry)}</button>
            }
            .into_any()
        }
        Some(Ok(loaded)) => view! { <ProductDetails product=loaded image=image ctx=ctx.clone() /> }.into_any(),
    }
}

/// The part of the card that needs the full product: price of the chosen variant, variant
/// picker, stock hint and the buttons.
#[component]
pub fn ProductDetails(
    product: Product,
    /// Where the card's events are dispatched (the image).
    image: StoredValue<EventTarget, LocalStorage>,
    ctx: WidgetContext,
) -> impl IntoView {
    let lang = ctx.lang;
    let selection = RwSignal::new(initial_selection(&product));
    let status = RwSignal::new(None::<&'static str>);
    let product = StoredValue::new(product);
    let variant = move || product.with_value(|p| selection.with(|s| selected_variant(p, s).cloned()));

    let pickers = product.with_value(|p| {
        p.options
            .iter()
            .enumerate()
            .map(|(axis, option)| {
                let buttons = option
                    .values
                    .iter()
                    .map(|value| {
                        let value = value.clone();
                        let (for_pressed, for_disabled, for_click) = (value.clone(), value.clone(), value.clone());
                        view! {
                            <button
                                type="button"
                                class="choice"
                                part="variant-choice"
                                aria-pressed=move || selection.with(|s| if s.get(axis) == Some(&for_pressed) { "true" } else { "false" })
                                disabled=move || product.with_value(|p| selection.with(|s| !choice_available(p, s, axis, &for_disabled)))
                                on:click=move |_| {
                                    let next = product.with_value(|p| selection.with_untracked(|s| select(p, s, axis, &for_click)));
                                    selection.set(next);
                                    status.set(None);
                                }
                            >
                                {value}
                            </button>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="option" part="variant-picker">
                        <legend>{lang.option_name(&option.name)}</legend>
                        {buttons}
                    </fieldset>
                }
            })
            .collect_view()
    });

    let api = StoredValue::new(ctx.config.api.clone());
    let raise = move |event: WidgetEvent, pressed: Option<web_sys::HtmlElement>| {
        let Some(v) = variant() else { return };
        let (product_id, title, image_url, has_options) =
            product.with_value(|p| (p.id.clone(), p.title.clone(), p.images.first().map(|i| i.url.clone()), !p.options.is_empty()));
        let detail = json!({"productId": product_id, "variantId": v.id, "quantity": 1});
        image.with_value(|img| dispatch(img, event, detail));
        let Some(api) = api.get_value() else { return };
        let line = BagLine {
            variant_id: v.id.clone(),
            product_id,
            title,
            variant_title: if has_options { v.title.clone() } else { String::new() },
            image_url: v.image_url.clone().or(image_url),
            quantity: 1,
        };
        if BagStore::for_api(&api).update(|bag| bag.add(line)).is_err() {
            status.set(Some(lang.text(Text::BagFull)));
            return;
        }
        checkout_link::bag_changed();
        if event == WidgetEvent::CheckoutStarted {
            checkout_link::open("details", pressed);
        } else {
            status.set(Some(lang.text(Text::AddedToBag)));
        }
    };
    let orderable = move || variant().is_some_and(|v| v.available);
    let link = product.with_value(|p| p.url.clone()).filter(|url| is_safe_link(url));
    let price_ctx = ctx.clone();

    view! {
        {move || {
            let shown = variant();
            // No variant matches the choices: show the first variant's price (a backend may even
            // send a product without variants, which then has no price and cannot be ordered).
            let prices = match &shown {
                Some(v) => Some((v.price, v.compare_at_price)),
                None => product.with_value(|p| p.variants.first().map(|v| (v.price, v.compare_at_price))),
            };
            let hint = match shown.as_ref().map(|v| (v.available, v.stock)) {
                Some((false, _)) | None => Some(lang.text(Text::SoldOut).to_owned()),
                Some((true, Some(stock))) if stock <= LOW_STOCK => Some(lang.only_left(stock)),
                _ => None,
            };
            view! {
                {prices.map(|(price, compare)| price_view(price, compare, &price_ctx))}
                {hint.map(|hint| view! { <p class="stock" part="stock">{hint}</p> })}
            }
        }}
        {pickers}
        <div class="actions">
            <button type="button" class="secondary" part="add-to-bag" disabled=move || !orderable()
                on:click=move |event| raise(WidgetEvent::AddedToBag, pressed(&event))>
                {lang.text(Text::AddToBag)}
            </button>
            <button type="button" class="primary" part="buy-now" disabled=move || !orderable()
                on:click=move |event| raise(WidgetEvent::CheckoutStarted, pressed(&event))>
                {lang.text(Text::BuyNow)}
            </button>
        </div>
        {link.map(|href| view! {
            <a class="product-link" part="product-link" href=href target="_blank" rel="noopener">{lang.text(Text::ViewProduct)}</a>
        })}
        <p class="status" role="status">{move || status.get()}</p>
    }
}

/// The button an event came from: focus returns there when the sheet closes.
fn pressed(event: &web_sys::MouseEvent) -> Option<web_sys::HtmlElement> {
    event.current_target().and_then(|t| t.dyn_into().ok())
}
