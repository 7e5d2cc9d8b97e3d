//! A `<shoppable-post>` of several media: a carousel of its photos and videos, each slide with
//! its tags, moved by swipe, arrows, the keyboard's Left and Right, and position dots.
//!
//! The slides are light-DOM children of a `<shoppable-carousel>` element inside the
//! `<shoppable-post>`, so each photo gets its tags as any photo of the page does
//! (`mount::mount_tags`, whose tags follow their photo when the track moves) and the loader
//! finds them as it finds mounted photos; the carousel's own parts (track, arrows, dots) are in
//! its shadow root, the slides projected into the track through a `<slot>`. Only the slide
//! shown and the next one load their media; the others wait until they are near. Slides not
//! shown are `inert`: their tags are out of the keyboard's way.

use leptos::html;
use leptos::mount::mount_to;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{MediaKind, Medium};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, HtmlImageElement, HtmlVideoElement, KeyboardEvent, PointerEvent};

use crate::config::WidgetContext;
use crate::media::{Drawn, children, flag, number, pause, photo_tags, property, video_tags};
use crate::mount::{Listener, MountRequest, add_styles, constructed_sheet, mount_all};

const STYLES: &str = include_str!("carousel.css");
/// How far (CSS pixels) a swipe must go to change slides.
const SWIPE: f64 = 40.0;

thread_local! {
    static SHEET: Option<web_sys::CssStyleSheet> = constructed_sheet(STYLES);
}

/// One slide's media, whose files are set only when it comes near.
#[derive(Clone)]
enum SlideMedia {
    Photo { image: HtmlImageElement, url: String },
    Video { video: HtmlVideoElement, poster: String, url: String },
}

impl SlideMedia {
    fn element(&self) -> &JsValue {
        match self {
            SlideMedia::Photo { image, .. } => image,
            SlideMedia::Video { video, .. } => video,
        }
    }

    fn load(&self) {
        match self {
            SlideMedia::Photo { image, url } if image.get_attribute("src").is_none() => image.set_src(url),
            SlideMedia::Video { video, poster, url } if video.get_attribute("src").is_none() => {
                for (name, value) in [("poster", poster.as_str()), ("preload", "metadata"), ("src", url)] {
                    let _ = video.set_attribute(name, value);
                }
            }
            _ => {}
        }
    }
}

/// Draws the carousel of `media` into `element` (a `<shoppable-post>`).
pub fn mount(element: &Element, post_id: &str, media: Vec<(Option<u32>, Medium)>, ctx: WidgetContext) -> Result<Drawn, JsValue> {
    let document = element.owner_document().ok_or("the element has no document")?;
    // A carousel drawn by an instance that failed (the loader started another).
    if let Some(old) = element.query_selector(":scope > shoppable-carousel")? {
        old.remove();
    }
    let carousel: HtmlElement = document.create_element("shoppable-carousel")?.unchecked_into();
    let shadow = carousel.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    SHEET.with(|sheet| add_styles(&shadow, sheet.as_ref(), STYLES))?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    shadow.append_child(&root)?;

    let (indices, media): (Vec<Option<u32>>, Vec<Medium>) = media.into_iter().unzip();
    let count = media.len();
    let mut slides = Vec::new();
    for (index, medium) in media.iter().enumerate() {
        let (slide, content) = slide(&document, medium, index, count, ctx.lang)?;
        crate::media::mark_medium(content.element(), indices[index]);
        carousel.append_child(&slide)?;
        slides.push((slide, content));
    }
    // A photo the page put in the element for readers without the widget gives way.
    let fallback: Vec<Element> = children(element).into_iter().filter(|child| is_tag(child, "IMG")).collect();
    fallback.iter().for_each(|image| drop(image.set_attribute("hidden", "")));
    element.append_child(&carousel)?;

    let photos: Vec<MountRequest> = slides
        .iter()
        .zip(&media)
        .filter_map(|((_, content), medium)| match content {
            SlideMedia::Photo { image, .. } => {
                Some(MountRequest { image: image.clone(), post_id: post_id.to_owned(), tags: photo_tags(medium) })
            }
            SlideMedia::Video { .. } => None,
        })
        .collect();
    let images: Vec<HtmlImageElement> = photos.iter().map(|request| request.image.clone()).collect();
    mount_all(photos, ctx.clone())?;

    let owner = Owner::new();
    let label = media.first().map(|m| m.image.alt.clone()).filter(|alt| !alt.trim().is_empty());
    let view = owner.with(|| {
        let mut videos = Vec::new();
        for ((_, content), medium) in slides.iter().zip(&media) {
            if let SlideMedia::Video { video, .. } = content {
                videos.push(crate::video::mount(video, post_id, video_tags(medium), ctx.clone())?);
            }
        }
        let kept = SendWrapper::new((carousel.clone(), images, videos, fallback));
        Ok::<_, JsValue>(mount_to(root, move || {
            on_cleanup(move || {
                let (carousel, images, videos, fallback) = kept.take();
                videos.into_iter().for_each(|(owner, _view)| owner.cleanup());
                images.iter().for_each(crate::mount::unmount);
                carousel.remove();
                fallback.iter().for_each(|image| drop(image.remove_attribute("hidden")));
            });
            provide_context(ctx);
            view! { <Carousel carousel slides label /> }
        }))
    })?;
    Ok((owner, Box::new(view)))
}

/// A slide (a light-DOM `<div>`) and its media element, whose files are not set yet.
fn slide(
    document: &Document,
    medium: &Medium,
    index: usize,
    count: usize,
    lang: crate::i18n::Lang,
) -> Result<(HtmlElement, SlideMedia), JsValue> {
    let slide: HtmlElement = document.create_element("div")?.unchecked_into();
    slide.set_class_name("shoppable-slide");
    slide.set_attribute("role", "group")?;
    slide.set_attribute("aria-roledescription", lang.carousel_role(true))?;
    slide.set_attribute("aria-label", &lang.slide_of(index + 1, count))?;
    let image = &medium.image;
    let kept = |url: &str| if is_safe_link(url) { url.to_owned() } else { String::new() };
    let (element, content): (HtmlElement, SlideMedia) = match (&medium.kind, &medium.video) {
        (MediaKind::Video, Some(file)) => {
            let video: HtmlVideoElement = document.create_element("video")?.unchecked_into();
            // Never autoplays, and its sound is the shopper's to turn on; the browser's controls
            // and the captions stay as they are.
            for (name, value) in [("controls", ""), ("playsinline", ""), ("preload", "none")] {
                video.set_attribute(name, value)?;
            }
            if !image.alt.is_empty() {
                video.set_attribute("aria-label", &image.alt)?;
            }
            for captions in file.captions.iter().filter(|c| is_safe_link(&c.url)) {
                let track = document.create_element("track")?;
                track.set_attribute("kind", "captions")?;
                track.set_attribute("src", &captions.url)?;
                track.set_attribute("srclang", &captions.language)?;
                track.set_attribute("label", captions.label.as_deref().unwrap_or(&captions.language))?;
                video.append_child(&track)?;
            }
            let content = SlideMedia::Video { video: video.clone(), poster: kept(&image.url), url: kept(&file.url) };
            (video.unchecked_into(), content)
        }
        _ => {
            let photo: HtmlImageElement = document.create_element("img")?.unchecked_into();
            photo.set_alt(&image.alt);
            photo.set_attribute("draggable", "false")?;
            (photo.clone().unchecked_into(), SlideMedia::Photo { image: photo, url: kept(&image.url) })
        }
    };
    element.set_attribute("width", &image.width.to_string())?;
    element.set_attribute("height", &image.height.to_string())?;
    let style = element.style();
    for (name, value) in [("display", "block"), ("width", "100%"), ("height", "auto"), ("max-width", "100%")] {
        style.set_property(name, value)?;
    }
    style.set_property("aspect-ratio", &format!("{} / {}", image.width.max(1), image.height.max(1)))?;
    slide.append_child(&element)?;
    Ok((slide, content))
}

/// Where a key press takes the carousel: Left and Right move it, unless they belong to what
/// has focus (a video seeks with them, a card's fields edit with them).
fn key_step(event: &KeyboardEvent) -> Option<isize> {
    let step = match event.key().as_str() {
        "ArrowLeft" => -1,
        "ArrowRight" => 1,
        _ => return None,
    };
    let origin = event.composed_path().get(0).dyn_into::<Element>().ok()?;
    let own_keys = ["VIDEO", "INPUT", "SELECT", "TEXTAREA"].iter().any(|name| is_tag(&origin, name));
    let in_card = origin.closest("[role=dialog]").ok().flatten().is_some();
    let modified = ["altKey", "ctrlKey", "metaKey"].iter().any(|key| flag(event, key));
    (!own_keys && !in_card && !modified).then_some(step)
}

/// Whether `element` is a `name` element (`IMG`, `VIDEO`).
fn is_tag(element: &Element, name: &str) -> bool {
    property(element, "tagName").as_string().as_deref() == Some(name)
}

#[component]
fn Carousel(carousel: HtmlElement, slides: Vec<(HtmlElement, SlideMedia)>, label: Option<String>) -> impl IntoView {
    let lang = WidgetContext::current().lang;
    let count = slides.len();
    let current = RwSignal::new(0usize);
    let track: NodeRef<html::Div> = NodeRef::new();
    let dots: NodeRef<html::Div> = NodeRef::new();
    let slides = StoredValue::new_local(slides);
    let go = move |step: isize| {
        let to = current.get_untracked().saturating_add_signed(step).min(count - 1);
        current.set(to);
    };

    // The slide shown: the track's place, which slides load and which are out of reach.
    Effect::new(move |_| {
        let shown = current.get();
        if let Some(track) = track.get() {
            let _ = HtmlElement::style(&track).set_property("transform", &format!("translateX({}%)", -100.0 * shown as f64));
        }
        slides.with_value(|slides| {
            for (index, (slide, content)) in slides.iter().enumerate() {
                if index == shown || index == shown + 1 {
                    content.load();
                }
                let _ = slide.toggle_attribute_with_force("inert", index != shown);
                if let (true, SlideMedia::Video { video, .. }) = (index != shown, content) {
                    pause(video);
                }
            }
        });
    });

    // Swipes: the track follows the finger (or mouse), and a long enough move changes slides.
    // The click that ends a swipe does not reach the photo (it would show or hide its tags).
    let drag: StoredValue<Option<(f64, f64, f64)>> = StoredValue::new(None);
    let swiped = StoredValue::new(false);
    let drag_to = move |dx: f64| {
        if let Some(track) = track.get_untracked() {
            let shown = current.get_untracked() as f64;
            let _ = HtmlElement::style(&track).set_property("transform", &format!("translateX(calc({}% + {dx}px))", -100.0 * shown));
        }
    };
    let on_down = move |event: PointerEvent| {
        if flag(&event, "isPrimary") && number(&event, "button") == 0.0 {
            drag.set_value(Some((number(&event, "pointerId"), number(&event, "clientX"), number(&event, "clientY"))));
            swiped.set_value(false);
        }
    };
    let on_move = move |event: PointerEvent| {
        let Some((id, x, y)) = drag.get_value() else { return };
        let (dx, dy) = (number(&event, "clientX") - x, number(&event, "clientY") - y);
        if id != number(&event, "pointerId") || (dx.abs() < 8.0 && !swiped.get_value()) || dy.abs() > dx.abs() * 2.0 {
            return;
        }
        swiped.set_value(true);
        if let Some(track) = track.get_untracked() {
            track.set_class_name("track dragging");
        }
        drag_to(dx);
    };
    let on_end = move |event: PointerEvent| {
        let Some((id, x, _)) = drag.get_value() else { return };
        if id != number(&event, "pointerId") {
            return;
        }
        drag.set_value(None);
        if let Some(track) = track.get_untracked() {
            track.set_class_name("track");
        }
        let dx = number(&event, "clientX") - x;
        let before = current.get_untracked();
        if swiped.get_value() && event.type_() == "pointerup" && dx.abs() >= SWIPE {
            go(if dx < 0.0 { 1 } else { -1 });
        }
        if current.get_untracked() == before {
            drag_to(0.0);
        }
    };
    let host: EventTarget = carousel.clone().into();
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        if swiped.try_get_value() == Some(true) {
            swiped.set_value(false);
            event.stop_propagation();
            event.prevent_default();
        }
    });
    let _ = host.add_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true);
    let keys = Listener::new(&host, "keydown", move |event| {
        let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
        let Some(step) = key_step(event) else { return };
        event.prevent_default();
        // Seen from here, a tag's event comes from its widget root, inside a slide.
        let in_slide = |target: EventTarget| target.dyn_into::<Element>().ok()?.closest(".shoppable-slide").ok()?;
        let from_tag = event.target().and_then(in_slide).is_some();
        go(step);
        // A tag's slide went out of reach: focus goes to the dot of the slide shown.
        if from_tag && let Some(dot) = dots.get_untracked().and_then(|d| children(&d).into_iter().nth(current.get_untracked())) {
            let _ = dot.unchecked_into::<HtmlElement>().focus();
        }
    });
    let kept = SendWrapper::new((host, on_click, keys));
    on_cleanup(move || {
        let (host, on_click, keys) = kept.take();
        let _ = host.remove_event_listener_with_callback_and_bool("click", on_click.as_ref().unchecked_ref(), true);
        drop(keys);
    });

    let several = count > 1;
    let arrow = move |next: bool| {
        let at_end = move || if next { current.get() + 1 >= count } else { current.get() == 0 };
        view! {
            <button type="button" class="arrow" class:next=next part="carousel-arrow" aria-label=lang.slide_arrow(next)
                aria-disabled=move || if at_end() { "true" } else { "false" }
                on:click=move |_| go(if next { 1 } else { -1 })>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                    <path d=if next { "M9 5l7 7-7 7" } else { "M15 5l-7 7 7 7" } fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
                </svg>
            </button>
        }
    };
    let dot_buttons = (0..count)
        .map(|index| {
            view! {
                <button type="button" class="dot" part="carousel-dot" aria-label=lang.slide_of(index + 1, count)
                    aria-current=move || if current.get() == index { "true" } else { "false" }
                    on:click=move |_| current.set(index)></button>
            }
        })
        .collect_view();
    view! {
        <div class="carousel" role="region" aria-roledescription=lang.carousel_role(false)
            aria-label=label.unwrap_or_else(|| lang.carousel_role(false).to_owned())>
            <div class="viewport" on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_end on:pointercancel=on_end>
                <div class="track" node_ref=track><slot></slot></div>
            </div>
            {several.then(|| view! {
                {arrow(false)}
                {arrow(true)}
                <div class="dots" node_ref=dots>{dot_buttons}</div>
                <p class="sr-only" aria-live="polite">{move || lang.slide_of(current.get() + 1, count)}</p>
            })}
        </div>
    }
}
