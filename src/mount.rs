//! Puts a widget root on an image: a host element just before the `<img>`, a shadow root
//! inside it holding the overlay, and the listeners that keep the tags on their spots.
//!
//! The host is absolutely positioned with no offsets, so the browser keeps it at the image's
//! place through every reflow; only its size (and, for inline images, a small offset) is set
//! from measurements, again whenever the image resizes.

use std::cell::RefCell;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, EventTarget, HtmlElement, HtmlImageElement, PointerEvent, ResizeObserver, ShadowRootInit, ShadowRootMode};

use crate::config::WidgetContext;
use crate::overlay::{Layout, OverlayState, TagsOverlay};
use crate::placement::{ObjectFit, painted_rect, parse_object_position};
use crate::tags::TagView;

const STYLES: &str = include_str!("widget.css");
/// Marks an image whose widget is mounted, with the post id (or `static`).
pub const MOUNTED_ATTRIBUTE: &str = "data-shoppable-mounted";

/// An event listener that is removed when dropped.
struct Listener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    fn new(target: &EventTarget, event: &'static str, callback: impl FnMut(Event) + 'static) -> Listener {
        let callback = Closure::<dyn FnMut(Event)>::new(callback);
        let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
        Listener { target: target.clone(), event, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.event, self.callback.as_ref().unchecked_ref());
    }
}

/// Everything one mounted root owns; dropping it removes the widget and leaves the image as
/// it was.
struct MountedRoot {
    image: HtmlImageElement,
    host: HtmlElement,
    observer: ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
    _listeners: Vec<Listener>,
    _view: Box<dyn std::any::Any>,
}

impl Drop for MountedRoot {
    fn drop(&mut self) {
        self.observer.disconnect();
        self.host.remove();
        let _ = self.image.remove_attribute(MOUNTED_ATTRIBUTE);
    }
}

thread_local! {
    static MOUNTED: RefCell<Vec<MountedRoot>> = const { RefCell::new(Vec::new()) };
}

/// Removes the widget from `image`, if it has one.
pub fn unmount(image: &HtmlImageElement) {
    let removed: Vec<MountedRoot> = MOUNTED.with(|all| {
        let mut all = all.borrow_mut();
        let (gone, kept) = all.drain(..).partition(|root| &root.image == image);
        *all = kept;
        gone
    });
    drop(removed);
}

/// Removes every widget whose image has left the document (infinite feeds recycle nodes).
pub fn unmount_detached() {
    let removed: Vec<MountedRoot> = MOUNTED.with(|all| {
        let mut all = all.borrow_mut();
        let (gone, kept) = all.drain(..).partition(|root| !root.image.is_connected());
        *all = kept;
        gone
    });
    drop(removed);
}

/// Mounts the tags overlay on `image`, replacing any widget it had.
pub fn mount_tags(image: &HtmlImageElement, post_id: &str, tags: Vec<TagView>, ctx: WidgetContext) -> Result<(), JsValue> {
    unmount(image);
    let parent = image.parent_node().ok_or("Shoppable: the image is not in the document")?;
    let document = image.owner_document().ok_or("Shoppable: the image has no document")?;
    let host: HtmlElement = document.create_element("shoppable-tags")?.unchecked_into();
    parent.insert_before(&host, Some(image))?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLES));
    shadow.append_child(&style)?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("root");
    shadow.append_child(&root)?;

    let state = OverlayState::new();
    let relayout = {
        let (image, host) = (image.clone(), host.clone());
        move || state.layout.set(place_host(&image, &host))
    };
    relayout();
    let on_resize = Closure::<dyn FnMut()>::new(relayout.clone());
    let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref())?;
    observer.observe(image);
    if let Some(container) = image.parent_element() {
        observer.observe(&container);
    }

    let window: EventTarget = web_sys::window().ok_or("Shoppable: no window")?.into();
    let host_target: EventTarget = host.clone().into();
    let is_mouse = |event: &Event| event.dyn_ref::<PointerEvent>().is_some_and(|p| p.pointer_type() == "mouse");
    let from_widget = {
        let host = host.clone();
        move |event: &Event| {
            let related = event.dyn_ref::<PointerEvent>().and_then(|p| p.related_target());
            related.is_some_and(|t| t.dyn_ref::<Element>().is_some_and(|e| host.contains(Some(e))))
        }
    };
    let image_target: EventTarget = image.clone().into();
    let listeners = vec![
        Listener::new(&image_target, "load", {
            let relayout = relayout.clone();
            move |_| relayout()
        }),
        Listener::new(&window, "resize", move |_| relayout()),
        // Instagram's gesture: a tap on the photo shows or hides its tags.
        Listener::new(&image_target, "click", move |_| state.revealed.update(|shown| *shown = !*shown)),
        Listener::new(&image_target, "pointerenter", move |event| {
            if is_mouse(&event) {
                state.hovered.set(true)
            }
        }),
        Listener::new(&image_target, "pointerleave", {
            let from_widget = from_widget.clone();
            move |event| {
                if is_mouse(&event) && !from_widget(&event) {
                    state.hovered.set(false)
                }
            }
        }),
        Listener::new(&host_target, "pointerleave", {
            let image = image.clone();
            move |event| {
                let to_image = event.dyn_ref::<PointerEvent>().and_then(|p| p.related_target()).is_some_and(|t| js_sys::Object::is(&t, &image));
                if is_mouse(&event) && !to_image {
                    state.hovered.set(false)
                }
            }
        }),
    ];

    let image_for_events: EventTarget = image.clone().into();
    let post_id = post_id.to_owned();
    let view = mount_to(root, move || view! { <TagsOverlay tags=tags state=state image=image_for_events post_id=post_id ctx=ctx /> });
    image.set_attribute(MOUNTED_ATTRIBUTE, "true")?;
    MOUNTED.with(|all| {
        all.borrow_mut().push(MountedRoot {
            image: image.clone(),
            host,
            observer,
            _on_resize: on_resize,
            _listeners: listeners,
            _view: Box::new(view),
        })
    });
    Ok(())
}

/// Sizes the host like the image's border box, lines it up with the image, and measures
/// where the photo is painted inside.
fn place_host(image: &HtmlImageElement, host: &HtmlElement) -> Layout {
    let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(image).ok().flatten()) else {
        return Layout::default();
    };
    let px = |name: &str| {
        style.get_property_value(name).ok().and_then(|v| v.trim_end_matches("px").parse::<f64>().ok()).unwrap_or(0.0)
    };
    let image_box = image.get_bounding_client_rect();
    let host_style = host.style();
    let set = |name: &str, value: f64| {
        let _ = host_style.set_property(name, &format!("{value}px"));
    };
    set("--shoppable-host-width", image_box.width());
    set("--shoppable-host-height", image_box.height());
    // The host sits at the image's static position; for inline images that can be off by the
    // line box, so correct by what remains.
    let host_box = host.get_bounding_client_rect();
    let current = |name: &str| host_style.get_property_value(name).ok().and_then(|v| v.trim_end_matches("px").parse::<f64>().ok()).unwrap_or(0.0);
    set("--shoppable-host-left", current("--shoppable-host-left") + image_box.left() - host_box.left());
    set("--shoppable-host-top", current("--shoppable-host-top") + image_box.top() - host_box.top());

    let content_left = px("border-left-width") + px("padding-left");
    let content_top = px("border-top-width") + px("padding-top");
    let content_width = image_box.width() - content_left - px("border-right-width") - px("padding-right");
    let content_height = image_box.height() - content_top - px("border-bottom-width") - px("padding-bottom");
    let fit = ObjectFit::parse(&style.get_property_value("object-fit").unwrap_or_default());
    let position = parse_object_position(&style.get_property_value("object-position").unwrap_or_default());
    let natural = (f64::from(image.natural_width()), f64::from(image.natural_height()));
    Layout {
        content_left,
        content_top,
        content_width,
        content_height,
        painted: painted_rect(content_width, content_height, natural.0, natural.1, fit, position),
    }
}
