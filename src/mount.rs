//! Puts a widget root on an image: a host element just before the `<img>`, a shadow root
//! inside it holding the overlay, and the listeners that keep the tags on their spots.
//!
//! The host is absolutely positioned with no offsets, so the browser keeps it at the image's
//! place through every reflow; only its size (and, for inline images, a small offset) is set
//! from measurements, again whenever the image resizes. Measuring is never done while
//! mounting: the page's resize observer reports every new image in the next frame, after the
//! browser's own layout, and all the roots it reports are measured in the task after that
//! frame, in one read of its layout (bench/many-images.mjs: a read per mount forced a layout of
//! the whole page each time, and sizes written inside the frame laid it out twice).
//!
//! Until the shopper first shows interest in a photo (a tap, a mouse over it, the keyboard's
//! focus on its bag button), its root holds only the bag button, cloned from one prototype
//! without Leptos. The tags overlay (`overlay.rs`) is drawn then, as
//! Instagram shows tags on a tap: a feed of hundreds of photos builds, lays out and paints
//! one button each, not every tag and label, and runs no reactive effect (issue 25).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{
    CssStyleSheet, Document, Element, Event, EventTarget, HtmlElement, HtmlImageElement, PointerEvent, ResizeObserver, ShadowRoot,
    ShadowRootInit, ShadowRootMode,
};

use crate::config::WidgetContext;
use crate::overlay::{BAG_ICON, Layout, OverlayState, TagsOverlay};
use crate::placement::{ObjectFit, painted_rect, parse_object_position};
use crate::tags::TagView;

/// The styles of a widget root (the media chunk draws video tags with them too).
pub const STYLES: &str = include_str!("widget.css");
/// Marks an image whose widget is mounted, with the post id (or `static`).
pub const MOUNTED_ATTRIBUTE: &str = "data-shoppable-mounted";

/// An event listener that is removed when dropped.
pub struct Listener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Listens to `event` on `target`; the callback does nothing once this instance is dead
    /// (the page keeps firing events at elements that are not ours).
    pub fn new(target: &EventTarget, event: &'static str, mut callback: impl FnMut(Event) + 'static) -> Listener {
        let callback = Closure::<dyn FnMut(Event)>::new(move |event| {
            if !crate::crash::is_dead() {
                callback(event)
            }
        });
        let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
        Listener { target: target.clone(), event, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.event, self.callback.as_ref().unchecked_ref());
    }
}

/// A mounted root, as the page's list knows it. Dropping it removes the widget (its overlay,
/// its state's owner, the image's listeners) and leaves the image as it was.
struct MountedRoot {
    image: HtmlImageElement,
    host: HtmlElement,
    overlay: Rc<LazyOverlay>,
    listeners: Vec<Listener>,
}

impl Drop for MountedRoot {
    fn drop(&mut self) {
        drop(self.overlay.drawn.take());
        self.overlay.owner.cleanup();
        self.listeners.clear();
        unobserve(&self.image);
        self.host.remove();
        let _ = self.image.remove_attribute(MOUNTED_ATTRIBUTE);
    }
}

/// A photo's tags overlay, drawn the first time the shopper shows interest (see the module's
/// comment).
struct LazyOverlay {
    /// Owns the overlay's state, and the overlay once drawn.
    owner: Owner,
    state: OverlayState,
    image: HtmlImageElement,
    /// The shadow root's `.root` element, where the overlay replaces the bag button alone.
    root: HtmlElement,
    /// What drawing needs, until it is done.
    pending: RefCell<Option<(Vec<TagView>, String, WidgetContext)>>,
    drawn: Cell<Option<Box<dyn std::any::Any>>>,
}

impl LazyOverlay {
    /// Whether its tags are drawn: until then the root shows only the bag button, which needs
    /// the photo's box and nothing else of its layout.
    fn is_drawn(&self) -> bool {
        self.pending.borrow().is_none()
    }

    /// Draws the overlay, once; the keyboard's focus stays on the bag button.
    fn draw(&self) {
        let Some((tags, post_id, ctx)) = self.pending.take() else { return };
        let focused = self.root.get_root_node().dyn_into::<ShadowRoot>().ok().and_then(|shadow| shadow.active_element()).is_some();
        // The photo's layout first, which the tags are drawn on (until now, the bag button
        // needed only the photo's box)...
        relayout(&self.image);
        self.root.set_text_content(None);
        let (state, image) = (self.state, self.image.clone());
        let view = self.owner.with(|| {
            mount_to(self.root.clone(), move || {
                provide_context(ctx);
                view! { <TagsOverlay tags=tags state=state image=image.into() post_id=post_id /> }
            })
        });
        self.drawn.set(Some(Box::new(view)));
        if focused && let Ok(Some(bag)) = self.root.query_selector("button.bag") {
            let _ = bag.unchecked_into::<HtmlElement>().focus();
        }
        // ...then its labels, drawn now (one photo's, on a shopper's gesture).
        relayout(&self.image);
    }
}

/// What all roots of the page share: one stylesheet and one resize observer.
struct Shared {
    /// Adopted by every shadow root, so the CSS is parsed once per page, not once per image.
    sheet: Option<CssStyleSheet>,
    /// Every browser that runs the module has one; without it, roots are sized once, when mounted.
    observer: Option<ResizeObserver>,
    on_resize: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<MountedRoot>> = const { RefCell::new(Vec::new()) };
    static SHARED: Shared = Shared::new();
    /// The bag button every root starts with, cloned for each (see the module's comment).
    static PROTOTYPE: RefCell<Option<Element>> = const { RefCell::new(None) };
    /// What the resize observer reported since the roots were last sized (see `Shared::new`).
    static RESIZED: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
    /// What the media chunk drew (a carousel, a video's tags), by the element it is on:
    /// dropping it takes it off the page. Kept here so that unmounting needs no chunk.
    static MEDIA: RefCell<Vec<(Element, Box<dyn std::any::Any>)>> = const { RefCell::new(Vec::new()) };
}

/// Keeps what the media chunk drew on `element` until it is unmounted, replacing what was
/// drawn there before.
pub fn keep_media(element: Element, drawn: Box<dyn std::any::Any>) {
    unmount_media(|other| *other == element);
    MEDIA.with_borrow_mut(|all| all.push((element, drawn)));
}

/// Takes off the page what the media chunk drew on the elements for which `gone` is true.
fn unmount_media(gone: impl Fn(&Element) -> bool) {
    // One at a time, each dropped outside the borrow: its cleanup unmounts photos too.
    while let Some(removed) = MEDIA.with_borrow_mut(|all| Some(all.swap_remove(all.iter().position(|(element, _)| gone(element))?))) {
        drop(removed);
    }
}

impl Shared {
    fn new() -> Shared {
        let sheet = constructed_sheet(STYLES);
        // The observer runs inside the browser's rendering of a frame, after its layout: sizes
        // written there would be laid out again in that same frame, and a feed's frames were
        // its long tasks (bench/many-images.mjs --explain). So it only notes what changed and
        // calls itself again, with nothing, in the next task: the roots are measured and sized
        // there, on the frame's clean layout (one function for both spares another closure).
        let on_resize = Closure::<dyn FnMut(JsValue)>::new(|entries: JsValue| {
            let Ok(entries) = entries.dyn_into::<js_sys::Array>() else {
                let changed = RESIZED.take();
                if !crate::crash::is_dead() {
                    // Only the roots whose image (or its container) changed size: a feed of
                    // hundreds of photos is not measured again for every batch that arrives.
                    // Each comparison is a call into JavaScript: the image's container is read once.
                    relayout_roots(&|root| {
                        let parent = root.image.parent_element();
                        changed.iter().any(|target| target == root.image.as_ref() || Some(target) == parent.as_ref())
                    });
                }
                return;
            };
            let scheduled = RESIZED.with_borrow_mut(|resized| {
                let scheduled = !resized.is_empty();
                resized.extend(entries.iter().filter_map(|e| e.dyn_into::<web_sys::ResizeObserverEntry>().ok()).map(|e| e.target()));
                scheduled
            });
            if !scheduled {
                SHARED.with(|shared| drop(crate::schedule::new_task().then(&shared.on_resize)));
            }
        });
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        Shared { sheet, observer, on_resize }
    }
}

/// Whether the page has no widget root.
pub fn none_mounted() -> bool {
    MOUNTED.with_borrow(Vec::is_empty)
}

/// Removes the widgets of the images for which `gone` is true.
fn unmount_where(gone: impl Fn(&HtmlImageElement) -> bool) {
    let removed: Vec<MountedRoot> = MOUNTED.with(|all| {
        let mut all = all.borrow_mut();
        let (removed, kept): (Vec<_>, Vec<_>) = all.drain(..).partition(|root| gone(&root.image));
        *all = kept;
        removed
    });
    drop(removed);
}

/// The page's resize observer stops watching `image` (and its container, unless another
/// mounted image shares it).
fn unobserve(image: &HtmlImageElement) {
    SHARED.with(|shared| {
        let Some(observer) = &shared.observer else { return };
        observer.unobserve(image);
        if let Some(parent) = image.parent_element()
            && !holds_mounted(&parent)
        {
            observer.unobserve(&parent);
        }
    });
}

/// Whether `container` holds the image of a mounted root (the resize observer watches it).
fn holds_mounted(container: &Element) -> bool {
    MOUNTED.with(|all| all.try_borrow().is_ok_and(|all| all.iter().any(|r| r.image.parent_element().as_ref() == Some(container))))
}

/// Removes the widget from `image`, if it has one.
pub fn unmount(image: &HtmlImageElement) {
    unmount_where(|mounted| mounted == image);
}

/// Removes the widgets of `element` (a marked image or video, a `<shoppable-post>`) and of
/// the photos inside it.
pub fn unmount_element(element: &Element) {
    unmount_media(|other| other == element);
    unmount_where(|image| element.contains(Some(image)));
}

/// Removes every widget whose image or element has left the document (infinite feeds
/// recycle nodes).
pub fn unmount_detached() {
    unmount_media(|element| !element.is_connected());
    unmount_where(|image| !image.is_connected());
}

/// One image to mount: its element, post id and tags.
pub struct MountRequest {
    pub image: HtmlImageElement,
    pub post_id: String,
    pub tags: Vec<TagView>,
}

/// Mounts the tags overlay on `image`, replacing any widget it had.
pub fn mount_tags(image: &HtmlImageElement, post_id: &str, tags: Vec<TagView>, ctx: WidgetContext) -> Result<(), JsValue> {
    mount_all(vec![MountRequest { image: image.clone(), post_id: post_id.to_owned(), tags }], ctx)
}

/// Mounts many overlays. The page's resize observer reports them in the next frame, where they
/// are laid out with every other root it reports then.
pub fn mount_all(requests: Vec<MountRequest>, ctx: WidgetContext) -> Result<(), JsValue> {
    let mut result = Ok(());
    let observed = SHARED.with(|shared| shared.observer.is_some());
    for request in requests {
        let image = request.image.clone();
        match mount_one(request, ctx.clone()) {
            Err(error) => result = Err(error),
            // The observer reports a newly observed image by itself; without one, now.
            Ok(()) if !observed => relayout(&image),
            Ok(()) => {}
        }
    }
    result
}

fn mount_one(MountRequest { image, post_id, tags }: MountRequest, ctx: WidgetContext) -> Result<(), JsValue> {
    // Only a marked image has a widget to replace: looking for it among all the page's roots
    // costs a call into JavaScript per root, for every image of a feed.
    if image.has_attribute(MOUNTED_ATTRIBUTE) {
        unmount(&image);
    }
    let parent = image.parent_node().ok_or("Shoppable: the image is not in the document")?;
    let document = image.owner_document().ok_or("Shoppable: the image has no document")?;
    let (host, root) = SHARED.with(|shared| shadow_host(&document, "shoppable-tags", shared.sheet.as_ref(), STYLES))?;
    let bag = bag_button(&document, &root, ctx.lang.products_button(false))?;
    parent.insert_before(&host, Some(&image))?;

    SHARED.with(|shared| {
        if let Some(observer) = &shared.observer {
            observer.observe(&image);
            // Observed again, a container would be reported again, and with it every image it
            // holds: a feed measured whole at each mount (bench/many-images.mjs).
            if let Some(container) = image.parent_element()
                && !holds_mounted(&container)
            {
                observer.observe(&container);
            }
        }
    });

    let owner = Owner::new();
    let state = owner.with(OverlayState::new);
    let pending = RefCell::new(Some((tags, post_id, ctx)));
    let overlay = Rc::new(LazyOverlay { owner, state, image: image.clone(), root, pending, drawn: Cell::new(None) });
    let listeners = listeners(&overlay, &host, &bag);
    image.set_attribute(MOUNTED_ATTRIBUTE, "true")?;
    MOUNTED.with(|all| all.borrow_mut().push(MountedRoot { image, host, overlay, listeners }));
    Ok(())
}

/// Puts the bag button a root starts with into `root`, cloned from the prototype, labelled
/// `label`.
fn bag_button(document: &Document, root: &HtmlElement, label: &str) -> Result<Element, JsValue> {
    let prototype = PROTOTYPE.with_borrow_mut(|prototype| -> Result<Element, JsValue> {
        if let Some(made) = prototype {
            return Ok(made.clone());
        }
        let made = document.create_element("div")?;
        made.set_class_name("overlay");
        made.set_attribute("part", "overlay")?;
        made.set_inner_html(&format!(r#"<button type="button" class="bag" part="bag-button" aria-expanded="false">{BAG_ICON}</button>"#));
        Ok(prototype.insert(made).clone())
    })?;
    let overlay = prototype.clone_node_with_deep(true)?;
    root.append_child(&overlay)?;
    let bag = overlay.first_child().ok_or("Shoppable: the bag button could not be drawn")?.unchecked_into::<Element>();
    bag.set_attribute("aria-label", label)?;
    Ok(bag)
}

/// The image's listeners and the first bag button's: a tap shows or hides the tags, a mouse
/// over the photo shows them, the keyboard's focus on the bag button draws them, and the
/// image's (re)load lays them out again.
fn listeners(overlay: &Rc<LazyOverlay>, host: &HtmlElement, bag: &Element) -> Vec<Listener> {
    let state = overlay.state;
    let host_target: EventTarget = host.clone().into();
    let is_mouse = |event: &Event| event.dyn_ref::<PointerEvent>().is_some_and(|p| p.pointer_type() == "mouse");
    let related = |event: &Event| event.dyn_ref::<PointerEvent>().and_then(|p| p.related_target());
    let image = &overlay.image;
    let image_target: EventTarget = image.clone().into();
    let toggle = {
        let overlay = overlay.clone();
        move || {
            overlay.draw();
            state.revealed.update(|shown| *shown = !*shown);
        }
    };
    // A pointer pressing the bag button focuses it too: that press's click draws the tags,
    // and redrawing under the pointer in between would lose the click.
    let pressed = Rc::new(Cell::new(false));
    vec![
        Listener::new(&image_target, "load", {
            let overlay = overlay.clone();
            // An overlay not drawn yet is measured when it is.
            move |_| {
                if overlay.is_drawn() {
                    relayout(&overlay.image)
                }
            }
        }),
        // Instagram's gesture: a tap on the photo shows or hides its tags.
        Listener::new(&image_target, "click", {
            let toggle = toggle.clone();
            move |_| toggle()
        }),
        Listener::new(bag, "pointerdown", {
            let pressed = pressed.clone();
            move |_| pressed.set(true)
        }),
        Listener::new(bag, "focus", {
            let (overlay, pressed) = (overlay.clone(), pressed.clone());
            move |_| {
                if !pressed.get() {
                    overlay.draw()
                }
            }
        }),
        Listener::new(bag, "click", move |event| {
            event.stop_propagation();
            pressed.set(false);
            toggle();
        }),
        Listener::new(&image_target, "pointerenter", {
            let overlay = overlay.clone();
            move |event| {
                if is_mouse(&event) {
                    overlay.draw();
                    state.hovered.set(true)
                }
            }
        }),
        Listener::new(&image_target, "pointerleave", {
            let host = host.clone();
            move |event| {
                let into_widget = related(&event).is_some_and(|t| t.dyn_ref::<Element>().is_some_and(|e| host.contains(Some(e))));
                if is_mouse(&event) && !into_widget {
                    state.hovered.set(false)
                }
            }
        }),
        Listener::new(&host_target, "pointerleave", {
            let image = image.clone();
            move |event| {
                let onto_image = related(&event).is_some_and(|t| js_sys::Object::is(&t, &image));
                if is_mouse(&event) && !onto_image {
                    state.hovered.set(false)
                }
            }
        }),
    ]
}

/// `css` parsed once into a stylesheet that shadow roots adopt: no `<style>` element or
/// `style` attribute, which a strict Content-Security-Policy (`style-src 'self'`) refuses.
/// `None` in browsers without constructable stylesheets.
pub fn constructed_sheet(css: &str) -> Option<CssStyleSheet> {
    CssStyleSheet::new().ok().filter(|sheet| sheet.replace_sync(css).is_ok())
}

/// A `tag` element with an open shadow root styled by `css` (through the shared `sheet` when
/// the browser has adoptable stylesheets, else a `<style>` element), and the `.root` element
/// inside where a view mounts. The caller puts the host in the page.
pub fn shadow_host(
    document: &Document,
    tag: &str,
    sheet: Option<&CssStyleSheet>,
    css: &str,
) -> Result<(HtmlElement, HtmlElement), JsValue> {
    let host: HtmlElement = document.create_element(tag)?.unchecked_into();
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    add_styles(&shadow, sheet, css)?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("root");
    shadow.append_child(&root)?;
    Ok((host, root))
}

/// Styles `shadow` with `css` too, once however often it is called: through `sheet` when the
/// browser has adoptable stylesheets, else a `<style>` element.
pub fn add_styles(shadow: &ShadowRoot, sheet: Option<&CssStyleSheet>, css: &str) -> Result<(), JsValue> {
    match sheet {
        Some(sheet) => {
            let sheets = shadow.adopted_style_sheets();
            if !sheets.includes(sheet, 0) {
                sheets.push(sheet);
                shadow.set_adopted_style_sheets(&sheets);
            }
        }
        None => {
            let styles = shadow.query_selector_all("style")?;
            if (0..styles.length()).any(|i| styles.item(i).and_then(|style| style.text_content()).as_deref() == Some(css)) {
                return Ok(());
            }
            let document = shadow.owner_document().ok_or("Shoppable: the shadow root has no document")?;
            let style = document.create_element("style")?;
            style.set_text_content(Some(css));
            shadow.insert_before(&style, shadow.first_child().as_ref())?;
        }
    }
    Ok(())
}

/// Where a root's host must go and what it covers, read from the page.
struct Measure {
    width: f64,
    height: f64,
    margin_left: f64,
    margin_top: f64,
    /// The photo's layout and the labels' natural sizes (in tag order), once the tags are
    /// drawn: reading the image's computed style for each photo of a feed, before anyone has
    /// shown its tags, was most of the cost of sizing its roots (bench/many-images.mjs).
    tags: Option<(Layout, Vec<(f64, f64)>)>,
}

/// Sizes the roots not sized yet (their hosts have no style) now, in one read of the layout,
/// rather than in the task after the next frame (see `Shared::new`).
pub fn size_unsized() {
    relayout_roots(&|root| !root.host.has_attribute("style"));
}

/// Lays out the root of `image`.
fn relayout(image: &HtmlImageElement) {
    relayout_roots(&|root| root.image == *image);
}

/// Lays out the roots for which `which` is true: first all reads, then all writes, so the
/// browser computes the page's layout once however many images there are. (Not generic: one
/// copy of this code in the module, whatever the callers.)
fn relayout_roots(which: &dyn Fn(&MountedRoot) -> bool) {
    let roots: Vec<(HtmlElement, OverlayState, Option<Measure>)> = MOUNTED.with(|all| {
        let all = all.borrow();
        all.iter()
            .filter(|root| which(root))
            .map(|root| (root.host.clone(), root.overlay.state, measure(&root.image, &root.host, &root.overlay)))
            .collect()
    });
    for (host, state, measure) in roots {
        let Some(m) = measure else { continue };
        let style = host.style();
        for (name, value) in [
            ("--shoppable-host-width", m.width),
            ("--shoppable-host-height", m.height),
            ("--shoppable-host-left", m.margin_left),
            ("--shoppable-host-top", m.margin_top),
        ] {
            let _ = style.set_property(name, &crate::css::px(value));
        }
        let Some((layout, label_sizes)) = m.tags else { continue };
        if state.layout.get_untracked() != layout {
            state.layout.set(layout);
        }
        if state.label_sizes.with_untracked(|sizes| *sizes != label_sizes) {
            state.label_sizes.set(label_sizes);
        }
    }
}

/// The image's border box (width, height) and its offset from the host (left, top), in the
/// CSS pixels of their common ancestor. Host and image share every ancestor, so a scaled or
/// rotated carousel moves both alike; the screen rectangles are used only when no ancestor
/// transforms them (they are exact to the sub-pixel, the layout offsets are whole pixels).
fn layout_box(image: &HtmlImageElement, host: &HtmlElement) -> (f64, f64, f64, f64) {
    let (image_box, host_box) = (image.get_bounding_client_rect(), host.get_bounding_client_rect());
    let (width, height) = (f64::from(image.offset_width()), f64::from(image.offset_height()));
    let untransformed = (image_box.width() - width).abs() < 1.0 && (image_box.height() - height).abs() < 1.0;
    if untransformed || image.offset_parent() != host.offset_parent() {
        return (image_box.width(), image_box.height(), image_box.left() - host_box.left(), image_box.top() - host_box.top());
    }
    (width, height, f64::from(image.offset_left() - host.offset_left()), f64::from(image.offset_top() - host.offset_top()))
}

/// The natural size of each tag's label, in tag order. A label shortened by its placement
/// (an inline `max-width`) or not displayed keeps the size measured before.
fn label_sizes(host: &HtmlElement, before: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let Some(labels) = host.shadow_root().and_then(|root| root.query_selector_all(".tag .label").ok()) else { return before.to_vec() };
    (0..labels.length())
        .map(|i| {
            let label = labels.item(i).and_then(|node| node.dyn_into::<HtmlElement>().ok());
            let measured = label
                .filter(|label| label.style().get_property_value("max-width").unwrap_or_default().is_empty())
                .map(|label| (f64::from(label.offset_width()), f64::from(label.offset_height())))
                .filter(|&(width, _)| width > 0.0);
            measured.or_else(|| before.get(i as usize).copied()).unwrap_or_default()
        })
        .collect()
}

/// A CSS length in pixels, `0` when there is none.
fn px(value: Option<String>) -> f64 {
    value.as_deref().map(crate::css::px_value).unwrap_or(0.0)
}

/// Reads (never writes) the image's box, where its host is now, and, once the overlay's tags
/// are drawn, the image's style and the labels.
fn measure(image: &HtmlImageElement, host: &HtmlElement, overlay: &LazyOverlay) -> Option<Measure> {
    let host_style = host.style();
    let inline = |name: &str| px(host_style.get_property_value(name).ok());
    let (width, height, left, top) = layout_box(image, host);
    let tags = if overlay.is_drawn() {
        let labels = overlay.state.label_sizes.with_untracked(|before| label_sizes(host, before));
        Some((photo_layout(image, width, height)?, labels))
    } else {
        None
    };
    Some(Measure {
        width,
        height,
        // The host sits at the image's static position; for inline images that can be off by
        // the line box, so its margins make up what remains.
        margin_left: inline("--shoppable-host-left") + left,
        margin_top: inline("--shoppable-host-top") + top,
        tags,
    })
}

/// The photo's layout inside the image's box of `width` by `height` (borders, padding,
/// `object-fit`), from its computed style.
fn photo_layout(image: &HtmlImageElement, width: f64, height: f64) -> Option<Layout> {
    let style = web_sys::window()?.get_computed_style(image).ok()??;
    let computed = |name: &str| px(style.get_property_value(name).ok());
    let content_left = computed("border-left-width") + computed("padding-left");
    let content_top = computed("border-top-width") + computed("padding-top");
    let content_width = width - content_left - computed("border-right-width") - computed("padding-right");
    let content_height = height - content_top - computed("border-bottom-width") - computed("padding-bottom");
    let fit = ObjectFit::parse(&style.get_property_value("object-fit").unwrap_or_default());
    let position = parse_object_position(&style.get_property_value("object-position").unwrap_or_default());
    let natural = (f64::from(image.natural_width()), f64::from(image.natural_height()));
    Some(Layout {
        content_left,
        content_top,
        content_width,
        content_height,
        painted: painted_rect(content_width, content_height, natural.0, natural.1, fit, position),
    })
}
