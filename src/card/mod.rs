//! The product card a tag opens: photo, title, price for the locale, variant picker with
//! sold-out choices disabled, stock hint, "Add to bag", "Buy now" and a link to the product.

pub mod variants;

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{Money, Product};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::EventTarget;

use crate::api::ApiClient;
use crate::bag::{BagLine, BagStore};
use crate::chunks::{self, ChunkView};
use crate::config::WidgetContext;
use crate::css;
use crate::events::{WidgetEvent, dispatch};
use crate::i18n::Text;
use crate::json;
use crate::money::format_money;
use crate::tags::TagView;
use variants::{choice_available, initial_selection, select, selected_variant};

/// Stock at or below which the card says how many are left.
const LOW_STOCK: u32 = 5;

/// Screens at most this wide (CSS pixels) get the card as a bottom sheet.
const SHEET_MAX_WIDTH: f64 = 600.0;

/// Where a product card opens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CardPlacement {
    /// Beside its tag, over the photo (wide screens): the tag's point in the overlay, and
    /// whether the card opens to its left (tags on the right half) and above it (lower half).
    Beside { anchor: (f64, f64), flip_x: bool, flip_y: bool },
    /// A sheet along the bottom of the screen, as Instagram's (phones). It is shown in the
    /// browser's top layer, so no clipping or transformed ancestor of the photo can cut it.
    BottomSheet,
}

impl CardPlacement {
    /// The placement for a tag at `anchor`, at fractions (`x`, `y`) of the photo, on this screen.
    pub fn for_screen(anchor: (f64, f64), x: f64, y: f64) -> CardPlacement {
        if window_size().is_some_and(|(width, _)| width <= SHEET_MAX_WIDTH) {
            CardPlacement::BottomSheet
        } else {
            CardPlacement::Beside { anchor, flip_x: x > 0.5, flip_y: y > 0.55 }
        }
    }
}

/// What the card chunk needs to show a tag's product card (`chunks::show_card`).
pub struct CardArgs {
    /// The widget's context, which the card's views read.
    pub ctx: WidgetContext,
    /// Where the card is drawn, inside the overlay.
    pub slot: web_sys::HtmlElement,
    pub tag: TagView,
    pub placement: CardPlacement,
    /// Where the card's events are dispatched (the image).
    pub image: EventTarget,
    pub on_close: Callback<()>,
}

const STYLES: &str = include_str!("card.css");

thread_local! {
    /// Parsed once per page, adopted by each widget root where a card opens.
    static SHEET: Option<web_sys::CssStyleSheet> = crate::mount::constructed_sheet(STYLES);
}

/// Draws the card into its slot; it stays until the handle is dropped.
pub fn show(args: CardArgs) -> ChunkView {
    let CardArgs { ctx, slot, tag, placement, image, on_close } = args;
    // The card's styles live in this chunk, not in the tags' download.
    if let Ok(shadow) = slot.get_root_node().dyn_into::<web_sys::ShadowRoot>()
        && let Err(error) = SHEET.with(|sheet| crate::mount::add_styles(&shadow, sheet.as_ref(), STYLES))
    {
        web_sys::console::warn_1(&error);
    }
    ChunkView::new(leptos::mount::mount_to(slot, move || {
        provide_context(ctx);
        let image = StoredValue::new_local(image);
        view! { <ProductCard tag placement image on_close /> }
    }))
}

#[component]
fn ProductCard(
    tag: TagView,
    placement: CardPlacement,
    image: StoredValue<EventTarget, LocalStorage>,
    on_close: Callback<()>,
) -> impl IntoView {
    let ctx = WidgetContext::current();
    let lang = ctx.lang;
    let close_ref: NodeRef<html::Button> = NodeRef::new();
    let card_ref: NodeRef<html::Div> = NodeRef::new();
    let sheet = placement == CardPlacement::BottomSheet;
    let (anchor, flip_x, flip_y) = match placement {
        CardPlacement::Beside { anchor, flip_x, flip_y } => (Some(anchor), flip_x, flip_y),
        CardPlacement::BottomSheet => (None, false, false),
    };
    Effect::new(move |_| {
        let Some(card) = card_ref.get() else { return };
        if sheet {
            // A sheet is a popover: in the top layer, closed by a tap outside it or Escape.
            let _ = card.show_popover();
        } else {
            // Again whenever it grows (the product's variants arrive after it opens).
            let element: web_sys::HtmlElement = card.into();
            let target = element.clone();
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                if !crate::crash::is_dead() {
                    keep_on_screen(&target)
                }
            });
            if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
                observer.observe(&element);
                let observer = SendWrapper::new((observer, on_resize));
                on_cleanup(move || observer.0.disconnect());
            }
        }
    });
    // Moving focus into the card lets keyboard users act on it at once; Escape or the close
    // button bring focus back to the tag.
    Effect::new(move |_| {
        if let Some(button) = close_ref.get() {
            let _ = button.focus();
        }
    });
    let title_id = format!("shoppable-card-{}", tag.id);
    let heading_id = title_id.clone();
    let body = match (&tag.link, ctx.client()) {
        (Some(link), _) => static_body(&tag, link, &ctx).into_any(),
        (None, Some(client)) => {
            chunks::prefetch_checkout(&ctx);
            backend_body(tag.clone(), client, image).into_any()
        }
        (None, None) => view! { <p class="error">{lang.text(Text::LoadFailed)}</p> }.into_any(),
    };
    view! {
        <div
            class="card"
            class:flip-x=flip_x
            class:flip-y=flip_y
            class:sheet=sheet
            part="card"
            role="dialog"
            aria-labelledby=title_id
            popover=sheet.then_some("auto")
            node_ref=card_ref
            // CSSOM properties, not a `style` attribute: strict CSPs allow only the former.
            style:left=anchor.map(|a| css::px(a.0)).unwrap_or_default()
            style:top=anchor.map(|a| css::px(a.1)).unwrap_or_default()
            on:click=|event| event.stop_propagation()
            on:toggle=move |_| {
                if card_ref.get_untracked().is_some_and(|card| !card.matches(":popover-open").unwrap_or(true)) {
                    on_close.run(());
                }
            }
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

/// Slides a card opened beside its tag back onto the screen where it sticks out (a tag near
/// the top of the window, a photo at its edge), through CSSOM custom properties.
fn keep_on_screen(card: &web_sys::HtmlElement) {
    const MARGIN: f64 = 8.0;
    let Some((width, height)) = window_size() else { return };
    let rect = card.get_bounding_client_rect();
    let style = card.style();
    // From where the card would be without the shift it has now.
    let shifted = |name: &str| style.get_property_value(name).map(|v| css::px_value(&v)).unwrap_or(0.0);
    let shift = |start: f64, length: f64, room: f64| {
        if start < MARGIN {
            MARGIN - start
        } else if start + length > room - MARGIN {
            (room - MARGIN - length - start).max(MARGIN - start)
        } else {
            0.0
        }
    };
    let dx = shift(rect.left() - shifted("--card-dx"), rect.width(), width);
    let dy = shift(rect.top() - shifted("--card-dy"), rect.height(), height);
    let _ = style.set_property("--card-dx", &css::px(dx));
    let _ = style.set_property("--card-dy", &css::px(dy));
}

/// The window's inner width and height, in CSS pixels.
fn window_size() -> Option<(f64, f64)> {
    let window = web_sys::window()?;
    Some((window.inner_width().ok()?.as_f64()?, window.inner_height().ok()?.as_f64()?))
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

fn backend_body(tag: TagView, client: ApiClient, image: StoredValue<EventTarget, LocalStorage>) -> impl IntoView {
    let ctx = WidgetContext::current();
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
        Some(Ok(loaded)) => view! { <ProductDetails product=loaded image=image /> }.into_any(),
    }
}

/// The part of the card that needs the full product: price of the chosen variant, variant
/// picker, stock hint and the buttons.
#[component]
pub fn ProductDetails(
    product: Product,
    /// Where the card's events are dispatched (the image).
    image: StoredValue<EventTarget, LocalStorage>,
) -> impl IntoView {
    let ctx = WidgetContext::current();
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
    let shop = StoredValue::new(ctx.clone());
    let raise = move |event: WidgetEvent, pressed: Option<web_sys::HtmlElement>| {
        let Some(v) = variant() else { return };
        let (product_id, title, image_url, has_options) =
            product.with_value(|p| (p.id.clone(), p.title.clone(), p.images.first().map(|i| i.url.clone()), !p.options.is_empty()));
        let detail =
            json::object(&[("productId", product_id.as_str().into()), ("variantId", v.id.as_str().into()), ("quantity", 1.into())]);
        image.with_value(|img| dispatch(img, event, detail));
        let Some(api) = api.get_value() else { return };
        let line = BagLine {
            variant_id: v.id.clone(),
            product_id,
            title,
            variant_title: if has_options { v.title.clone() } else { String::new() },
            image_url: v.image_url.clone().or(image_url),
            quantity: 1,
            post_id: image.with_value(crate::events::post_of),
        };
        let buying = event == WidgetEvent::CheckoutStarted;
        if BagStore::for_api(&api).update(|bag| if buying { bag.include(line) } else { bag.add(line) }).is_err() {
            status.set(Some(lang.text(Text::BagFull)));
            return;
        }
        shop.with_value(chunks::bag_changed);
        if buying {
            shop.with_value(|ctx| chunks::open_checkout(ctx, "details", pressed));
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
