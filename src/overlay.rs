//! The tags overlay: a bag button that says the photo is shoppable, one `<button>` per tag
//! at its spot on the photo, and the product card of the open tag.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, KeyboardEvent};

use crate::card::{CardArgs, CardPlacement};
use crate::chunks::{ChunkView, prefetch_card, show_card};
use crate::config::WidgetContext;
use crate::events::{WidgetEvent, dispatch};
use crate::json;
use crate::money::format_money;
use crate::placement::{Rect, TOUCH_RADIUS, place_labels, tag_point};
use crate::tags::TagView;

/// The bag button's icon (`mount.rs` draws the button before the overlay is drawn).
pub const BAG_ICON: &str = r#"<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path d="M6 7h12l1 14H5L6 7zm3 0a3 3 0 0 1 6 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>"#;

/// Where the photo is inside the image element, in CSS pixels from the element's border
/// box; measured by `mount.rs` whenever the image changes size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Layout {
    pub content_left: f64,
    pub content_top: f64,
    pub content_width: f64,
    pub content_height: f64,
    /// The photo's painted rectangle inside the content box (see `placement::painted_rect`).
    pub painted: Rect,
}

impl Layout {
    /// The part of the photo that shows (a `cover` crop or `contain` bars left out), from the
    /// overlay's top-left corner: where labels must stay.
    pub fn visible_area(&self) -> Rect {
        let content = Rect { x: self.content_left, y: self.content_top, width: self.content_width, height: self.content_height };
        let painted = Rect { x: self.content_left + self.painted.x, y: self.content_top + self.painted.y, ..self.painted };
        content.intersection(&painted)
    }

    /// Where the bag button is (`.bag` in widget.css: 30 px, 10 px from the bottom-left corner),
    /// with a margin: labels keep off it.
    pub fn bag_button(&self) -> Rect {
        let bottom = self.content_top + self.content_height;
        Rect { x: self.content_left + 6.0, y: bottom - 44.0, width: 38.0, height: 38.0 }
    }

    /// The tag's point from the overlay's top-left corner, or `None` when it is cropped away.
    pub fn tag_position(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if self.content_width <= 0.0 || self.content_height <= 0.0 {
            return None; // not rendered (display: none, or not laid out yet)
        }
        let (px, py) = tag_point(self.painted, self.content_width, self.content_height, x, y)?;
        Some((px + self.content_left, py + self.content_top))
    }
}

/// State shared between the image's own listeners (tap, hover) and the overlay.
#[derive(Debug, Clone, Copy)]
pub struct OverlayState {
    /// Tags shown by a tap on the image or the bag button.
    pub revealed: RwSignal<bool>,
    /// Tags shown because a mouse is over the image.
    pub hovered: RwSignal<bool>,
    pub layout: RwSignal<Layout>,
    /// The labels' natural sizes (width, height), measured by `mount.rs` with the layout.
    pub label_sizes: RwSignal<Vec<(f64, f64)>>,
}

impl OverlayState {
    pub fn new() -> OverlayState {
        OverlayState {
            revealed: RwSignal::new(false),
            hovered: RwSignal::new(false),
            layout: RwSignal::new(Layout::default()),
            label_sizes: RwSignal::new(Vec::new()),
        }
    }
}

impl Default for OverlayState {
    fn default() -> Self {
        OverlayState::new()
    }
}

#[component]
pub fn TagsOverlay(
    tags: Vec<TagView>,
    state: OverlayState,
    /// The image element: analytics events are dispatched on it.
    image: EventTarget,
    post_id: String,
) -> impl IntoView {
    let ctx = WidgetContext::current();
    let OverlayState { revealed, hovered, layout, label_sizes } = state;
    let open = RwSignal::new(None::<usize>);
    let lang = ctx.lang;
    let tag_refs: StoredValue<Vec<NodeRef<html::Button>>> = StoredValue::new(tags.iter().map(|_| NodeRef::new()).collect());
    let image = StoredValue::new_local(image);
    let tags = StoredValue::new(tags);

    // The first time the tags become visible, tell the page.
    let shown_once = StoredValue::new(false);
    let post = post_id.clone();
    Effect::new(move |_| {
        if (revealed.get() || hovered.get()) && !shown_once.get_value() {
            shown_once.set_value(true);
            let product_ids: Vec<String> = tags.with_value(|t| t.iter().map(|t| t.product.id.clone()).collect());
            image.with_value(|img| {
                dispatch(
                    img,
                    WidgetEvent::TagsShown,
                    json::object(&[("postId", post.as_str().into()), ("productIds", json::strings(&product_ids))]),
                )
            });
        }
    });

    let close_card = move || {
        if let Some(index) = open.get_untracked() {
            open.set(None);
            if let Some(button) = tag_refs.with_value(|refs| refs.get(index).and_then(|r| r.get_untracked())) {
                let _ = button.focus();
            }
        }
    };
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            if open.get_untracked().is_some() {
                event.stop_propagation();
                close_card();
            } else if revealed.get_untracked() {
                revealed.set(false);
            }
        }
    };

    // Each label on the side of its dot where it covers no other tag and stays on the photo.
    let points = tags.with_value(|all| all.iter().map(|t| (t.x, t.y)).collect::<Vec<_>>());
    let points = StoredValue::new(points);
    let placements = Memo::new(move |_| {
        let layout = layout.get();
        let shown: Vec<_> = points.with_value(|points| points.iter().map(|&(x, y)| layout.tag_position(x, y)).collect());
        label_sizes.with(|sizes| place_labels(&shown, sizes, layout.visible_area(), &[layout.bag_button()]))
    });

    // One effect writes every tag's and label's place (CSSOM properties: strict CSPs refuse
    // `style` attributes), rather than a reactive binding per property and tag.
    Effect::new(move |_| {
        let layout = layout.get();
        placements.with(|placed| {
            tag_refs.with_value(|refs| {
                for ((button, (x, y)), label_at) in refs.iter().zip(points.get_value()).zip(placed) {
                    let Some(button) = button.get() else { continue };
                    let px = crate::css::px;
                    let style = web_sys::HtmlElement::style(&button);
                    let point = layout.tag_position(x, y);
                    let _ = style.set_property("left", &point.map(|p| px(p.0)).unwrap_or_default());
                    let _ = style.set_property("top", &point.map(|p| px(p.1)).unwrap_or_default());
                    let Some(label) =
                        button.query_selector(".label").ok().flatten().and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok())
                    else {
                        continue;
                    };
                    let style = web_sys::HtmlElement::style(&label);
                    let _ = style.set_property("left", &label_at.map(|p| px(TOUCH_RADIUS + p.rect.x)).unwrap_or_default());
                    let _ = style.set_property("top", &label_at.map(|p| px(TOUCH_RADIUS + p.rect.y)).unwrap_or_default());
                    let _ = style.set_property("transform", if label_at.is_some() { "none" } else { "" });
                    let _ = style.set_property("max-width", &label_at.and_then(|p| p.shortened_to).map(px).unwrap_or_default());
                }
            })
        });
    });

    let tag_buttons = tags.with_value(|all| {
        all.iter()
            .enumerate()
            .map(|(index, tag)| {
                let price = format_money(&tag.product.price, &ctx.locale, ctx.config.currency_display());
                let (x, y) = (tag.x, tag.y);
                let product_id = tag.product.id.clone();
                let post = post_id.clone();
                view! {
                    <button
                        type="button"
                        class="tag"
                        part="tag"
                        aria-haspopup="dialog"
                        aria-expanded=move || if open.get() == Some(index) { "true" } else { "false" }
                        hidden=move || layout.with(|l| l.tag_position(x, y).is_none())
                        node_ref=tag_refs.with_value(|refs| refs.get(index).copied().unwrap_or_default())
                        on:pointerenter=|_| prefetch_card()
                        on:focus=|_| prefetch_card()
                        on:click=move |event| {
                            event.stop_propagation();
                            if open.get_untracked() == Some(index) {
                                close_card();
                            } else {
                                open.set(Some(index));
                                let detail = json::object(&[("postId", post.as_str().into()), ("productId", product_id.as_str().into())]);
                                image.with_value(|img| dispatch(img, WidgetEvent::TagOpened, detail));
                            }
                        }
                    >
                        <span class="dot" aria-hidden="true"></span>
                        // The visible text is the accessible name: "Tasse, 14,90 €".
                        <span class="label">
                            <span class="title">{tag.product.title.clone()}</span>
                            <span class="sr-only">", "</span>
                            <span class="price">{price}</span>
                        </span>
                    </button>
                }
            })
            .collect_view()
    });

    // An open card must cover the photos that come after this one on the page.
    let overlay_ref: NodeRef<html::Div> = NodeRef::new();
    Effect::new(move |_| {
        let card_open = open.get().is_some();
        if let Some(overlay) = overlay_ref.get()
            && let Some(shadow) = overlay.get_root_node().dyn_ref::<web_sys::ShadowRoot>()
        {
            let _ = shadow.host().toggle_attribute_with_force("data-open", card_open);
        }
    });
    let count = tags.with_value(|t| t.len());
    let card_slot: NodeRef<html::Div> = NodeRef::new();
    show_open_card(ShownCard { open, tags, layout, image, slot: card_slot, on_close: Callback::new(move |()| close_card()) });
    view! {
        <div
            node_ref=overlay_ref
            class="overlay"
            part="overlay"
            class:revealed=move || revealed.get() || hovered.get() || open.get().is_some()
            on:keydown=on_keydown
        >
            <button
                type="button"
                class="bag"
                part="bag-button"
                aria-label=move || lang.products_button(revealed.get())
                aria-expanded=move || if revealed.get() { "true" } else { "false" }
                on:click=move |event| {
                    event.stop_propagation();
                    revealed.update(|shown| *shown = !*shown);
                }
                inner_html=BAG_ICON
            ></button>
            {tag_buttons}
            <p class="sr-only" aria-live="polite">
                {move || (revealed.get() || hovered.get()).then(|| lang.products_shown(count))}
            </p>
            // The open tag's product card, drawn by the card chunk.
            <div class="card-slot" node_ref=card_slot></div>
        </div>
    }
}

/// What the overlay (and a video's product list, `video.rs`) hands to [`show_open_card`].
pub struct ShownCard {
    pub open: RwSignal<Option<usize>>,
    pub tags: StoredValue<Vec<TagView>>,
    pub layout: RwSignal<Layout>,
    pub image: StoredValue<EventTarget, LocalStorage>,
    pub slot: NodeRef<html::Div>,
    pub on_close: Callback<()>,
}

/// Keeps the card of the open tag on screen: the card chunk draws it into `slot` (fetched on
/// the first open), and it goes when the tag closes or another one opens.
pub fn show_open_card(shown: ShownCard) {
    let ShownCard { open, tags, layout, image, slot, on_close } = shown;
    let ctx = WidgetContext::current();
    let card: StoredValue<Option<(usize, ChunkView)>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let wanted = open.get();
        if card.with_value(|c| c.as_ref().map(|(index, _)| *index)) != wanted {
            card.set_value(None);
        }
        let (Some(index), Some(slot)) = (wanted, slot.get()) else { return };
        let Some(tag) = tags.with_value(|t| t.get(index).cloned()) else { return };
        let anchor = layout.with_untracked(|l| l.tag_position(tag.x, tag.y)).unwrap_or_default();
        let args = CardArgs {
            ctx: ctx.clone(),
            slot: slot.into(),
            placement: CardPlacement::for_screen(anchor, tag.x, tag.y),
            tag,
            image: image.get_value(),
            on_close,
        };
        // The chunk may arrive after the shopper closed the card, opened another, or after the
        // widget itself was removed (its signals disposed): then the card is dropped unseen.
        leptos::task::spawn_local(async move {
            match show_card(args).await {
                Ok(handle) if open.try_get_untracked() == Some(Some(index)) && !crate::crash::is_dead() => {
                    drop(card.try_set_value(Some((index, handle))));
                }
                Ok(_) => {}
                Err(error) => {
                    web_sys::console::warn_1(&format!("Shoppable: the product card could not be loaded: {error}").into());
                    let _ = open.try_set(None);
                }
            }
        });
    });
}
