//! Tags on a video (a `<video data-shoppable-post>` of the page, or a carousel's video slide):
//! each drawn at its point during its time range, and all listed in a "products in this
//! video" tray.
//!
//! The video stays the page's: its controls, captions and sound are untouched (nothing here
//! plays it; a card that opens pauses it). The tags' root covers the picture but not the
//! control bar, and only the tags and the tray take pointer events (`widget.css`,
//! `video.css`). A tag whose point falls on the control bar is listed only.

use leptos::html;
use leptos::mount::mount_to;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventTarget, HtmlElement, HtmlVideoElement};

use crate::config::WidgetContext;
use crate::events::{WidgetEvent, dispatch};
use crate::json;
use crate::media::{Drawn, VideoTag, flag, number, pause, shown_at};
use crate::money::format_money;
use crate::mount::{Listener, STYLES, add_styles, constructed_sheet, shadow_host};
use crate::overlay::{Layout, OverlayState, ShownCard, TagsOverlay, show_open_card};
use crate::placement::{ObjectFit, Offset, painted_rect};

const VIDEO_STYLES: &str = include_str!("video.css");
/// The height kept free for the browser's control bar of a video with `controls`.
const CONTROL_BAR: f64 = 56.0;

thread_local! {
    static SHEETS: (Option<web_sys::CssStyleSheet>, Option<web_sys::CssStyleSheet>) =
        (constructed_sheet(STYLES), constructed_sheet(VIDEO_STYLES));
}

/// Draws `tags` on `video`, until the returned owner is cleaned up.
pub fn mount(video: &HtmlVideoElement, post_id: &str, tags: Vec<VideoTag>, ctx: WidgetContext) -> Result<Drawn, JsValue> {
    let document = video.owner_document().ok_or("the video has no document")?;
    let parent = video.parent_node().ok_or("the video is not in the document")?;
    let (host, root) = SHEETS.with(|(widget, own)| {
        let (host, root) = shadow_host(&document, "shoppable-tags", widget.as_ref(), STYLES)?;
        add_styles(&host.shadow_root().ok_or("no shadow root")?, own.as_ref(), VIDEO_STYLES)?;
        Ok::<_, JsValue>((host, root))
    })?;
    parent.insert_before(&host, Some(video))?;
    video.set_attribute(crate::mount::MOUNTED_ATTRIBUTE, "true")?;
    let owner = Owner::new();
    let post_id = post_id.to_owned();
    let view = owner.with(|| {
        let video = video.clone();
        mount_to(root, move || {
            let owned = SendWrapper::new((video.clone(), host.clone()));
            on_cleanup(move || {
                let (video, host) = owned.take();
                host.remove();
                let _ = video.remove_attribute(crate::mount::MOUNTED_ATTRIBUTE);
            });
            provide_context(ctx);
            view! { <VideoTags video host tags post_id /> }
        })
    });
    Ok((owner, Box::new(view)))
}

/// Sizes the tags' root to the video's picture, the control bar left out, and returns the
/// layout its tags are placed in.
fn measure(video: &HtmlVideoElement, host: &HtmlElement) -> Layout {
    let (video_box, host_box) = (video.get_bounding_client_rect(), host.get_bounding_client_rect());
    let (width, height) = (f64::from(video.offset_width()), f64::from(video.offset_height()));
    let bar = if flag(video, "controls") { CONTROL_BAR.min(height / 2.0) } else { 0.0 };
    let style = host.style();
    let margin = |name: &str| style.get_property_value(name).map(|v| crate::css::px_value(&v)).unwrap_or(0.0);
    let left = margin("--shoppable-host-left") + video_box.left() - host_box.left();
    let top = margin("--shoppable-host-top") + video_box.top() - host_box.top();
    for (name, value) in [
        ("--shoppable-host-width", width),
        ("--shoppable-host-height", height - bar),
        ("--shoppable-host-left", left),
        ("--shoppable-host-top", top),
    ] {
        let _ = style.set_property(name, &crate::css::px(value));
    }
    // A video is drawn whole in its box (`object-fit: contain`, the default), as its poster.
    let fit = web_sys::window()
        .and_then(|w| w.get_computed_style(video).ok().flatten())
        .map(|s| ObjectFit::parse(&s.get_property_value("object-fit").unwrap_or_default()))
        .unwrap_or(ObjectFit::Contain);
    let natural = (number(video, "videoWidth"), number(video, "videoHeight"));
    let painted = painted_rect(width, height, natural.0, natural.1, fit, (Offset::CENTER, Offset::CENTER));
    Layout { content_left: 0.0, content_top: 0.0, content_width: width, content_height: height - bar, painted }
}

#[component]
fn VideoTags(video: HtmlVideoElement, host: HtmlElement, tags: Vec<VideoTag>, post_id: String) -> impl IntoView {
    let ctx = WidgetContext::current();
    let lang = ctx.lang;
    let time = RwSignal::new(number(&video, "currentTime"));
    let state = OverlayState::new();
    // A video's tags show by themselves during their range; the bag button still hides them.
    state.revealed.set(true);
    let layout = state.layout;
    let target: EventTarget = video.clone().into();
    let video_target = StoredValue::new_local(target.clone());
    let all: Vec<_> = tags.iter().map(|t| t.tag.clone()).collect();
    let tags = StoredValue::new(tags);

    let relayout = {
        let (video, host) = (video.clone(), host.clone());
        move || {
            let measured = measure(&video, &host);
            if layout.get_untracked() != measured {
                layout.set(measured);
            }
        }
    };
    let on_time = {
        let video = video.clone();
        move |_: Event| time.set(number(&video, "currentTime"))
    };
    let pause_video = {
        let video = video.clone();
        move |_: Event| pause(&video)
    };
    let mut listeners = vec![
        Listener::new(&target, "timeupdate", on_time.clone()),
        Listener::new(&target, "seeked", on_time.clone()),
        Listener::new(&target, "loadedmetadata", {
            let relayout = relayout.clone();
            move |event: Event| {
                on_time(event);
                relayout();
            }
        }),
        // A card over a playing video would lose its tag: the video waits for the shopper.
        Listener::new(&target, WidgetEvent::TagOpened.name(), pause_video),
    ];
    if let Some(window) = web_sys::window() {
        listeners.push(Listener::new(&window, "resize", {
            let relayout = relayout.clone();
            move |_| relayout()
        }));
    }
    let on_resize = Closure::<dyn FnMut()>::new({
        let relayout = relayout.clone();
        move || {
            if !crate::crash::is_dead() {
                relayout()
            }
        }
    });
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    if let Some(observer) = &observer {
        observer.observe(&video);
    }
    let kept = SendWrapper::new((listeners, observer, on_resize));
    on_cleanup(move || {
        let (listeners, observer, _on_resize) = kept.take();
        if let Some(observer) = observer {
            observer.disconnect();
        }
        drop(listeners);
    });
    relayout();

    let post = post_id.clone();
    // The tags drawn now: the overlay is drawn again only when that set changes.
    let shown = Memo::new(move |_| tags.with_value(|tags| shown_at(tags, time.get())));
    let drawn = move || {
        let shown = shown.get();
        let now: Vec<_> = tags.with_value(|tags| shown.iter().map(|&i| tags[i].tag.clone()).collect());
        let image = video_target.get_value();
        (!now.is_empty()).then(|| view! { <TagsOverlay tags=now state image post_id=post_id.clone() /> })
    };

    // The tray: every product of the video, whatever the time.
    let expanded = RwSignal::new(false);
    let open = RwSignal::new(None::<usize>);
    let card_slot: NodeRef<html::Div> = NodeRef::new();
    let toggle_ref: NodeRef<html::Button> = NodeRef::new();
    let on_close = Callback::new(move |()| {
        open.set(None);
        if let Some(button) = toggle_ref.get_untracked() {
            let _ = button.focus();
        }
    });
    let all = StoredValue::new(all);
    show_open_card(ShownCard { open, tags: all, layout, image: video_target, slot: card_slot, on_close });
    let items = all.with_value(|all| {
        all.iter()
            .enumerate()
            .map(|(index, tag)| {
                let price = format_money(&tag.product.price, &ctx.locale, ctx.config.currency_display());
                let (post, product_id) = (post.clone(), tag.product.id.clone());
                view! {
                    <li>
                        <button type="button" class="item" aria-haspopup="dialog"
                            on:pointerenter=|_| crate::chunks::prefetch_card()
                            on:focus=|_| crate::chunks::prefetch_card()
                            on:click=move |event| {
                                event.stop_propagation();
                                open.set(Some(index));
                                let detail = json::object(&[("postId", post.as_str().into()), ("productId", product_id.as_str().into())]);
                                video_target.with_value(|video| dispatch(video, WidgetEvent::TagOpened, detail));
                            }
                        >
                            <span class="title">{tag.product.title.clone()}</span>
                            <span class="sr-only">", "</span>
                            <span class="price">{price}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    let count = all.with_value(Vec::len);
    // Escape closes the tray's card, else the tray (a drawn tag's card closes in its overlay).
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if event.key() != "Escape" {
            return;
        }
        if open.get_untracked().is_some() {
            event.stop_propagation();
            on_close.run(());
        } else if expanded.get_untracked() {
            expanded.set(false);
        }
    };
    view! {
        <div class="video-tags" on:keydown=on_keydown>
        {drawn}
        <div class="tray">
            <button type="button" class="tray-toggle" part="video-products-button" node_ref=toggle_ref
                aria-expanded=move || if expanded.get() { "true" } else { "false" }
                on:click=move |event| {
                    event.stop_propagation();
                    expanded.update(|e| *e = !*e);
                }
            >
                // The bag of the photo's button (overlay.rs), drawn again here: shared as a function,
                // it cost the tags' download 0.9 KB (gzip), measured.
                <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                    <path d="M6 7h12l1 14H5L6 7zm3 0a3 3 0 0 1 6 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
                </svg>
                <span>{format!("{} ({count})", lang.video_products())}</span>
            </button>
            <ul class="tray-list" part="video-products" hidden=move || !expanded.get()>{items}</ul>
        </div>
        // A tray item's card, placed in the picture as a tag's.
        <div class="card-slot" node_ref=card_slot></div>
        </div>
    }
}
