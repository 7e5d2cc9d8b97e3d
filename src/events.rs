//! Analytics as DOM `CustomEvent`s dispatched on the image, so a site can forward them to
//! its own tools: `image.addEventListener("shoppable:tag-opened", e => ...)`.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element, EventTarget};

/// The post a marked image or video shows (`data-shoppable-post`, or the `post` of the
/// `<shoppable-post>` holding it), if it names one: the events' post when their detail has
/// none, and the post a bag line is added from.
pub fn post_of(image: &EventTarget) -> Option<String> {
    let element = image.dyn_ref::<Element>()?;
    element.get_attribute("data-shoppable-post").or_else(|| element.closest("shoppable-post").ok()??.get_attribute("post"))
}

/// The events the widget raises, with their DOM names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetEvent {
    /// The tags of a post became visible; `detail.postId`, `detail.productIds`.
    TagsShown,
    /// A tag's product card opened; `detail.postId`, `detail.productId`.
    TagOpened,
    /// "Add to bag" was pressed; `detail.productId`, `detail.variantId`, `detail.quantity`.
    AddedToBag,
    /// "Buy now" was pressed; same detail as `AddedToBag`.
    CheckoutStarted,
    /// The card went to the payment provider; `detail.provider`, `detail.brand`. Dispatched
    /// on the `<shoppable-checkout>` element, like `OrderPlaced`.
    PaymentSubmitted,
    /// The backend confirmed an order; `detail.orderId`, `detail.number`, `detail.total`.
    OrderPlaced,
}

impl WidgetEvent {
    pub fn name(self) -> &'static str {
        match self {
            WidgetEvent::TagsShown => "shoppable:tags-shown",
            WidgetEvent::TagOpened => "shoppable:tag-opened",
            WidgetEvent::AddedToBag => "shoppable:added-to-bag",
            WidgetEvent::CheckoutStarted => "shoppable:checkout-started",
            WidgetEvent::PaymentSubmitted => "shoppable:payment-submitted",
            WidgetEvent::OrderPlaced => "shoppable:order-placed",
        }
    }
}

/// Dispatches `event` on `target` with `detail` (a plain object, see `json::object`),
/// bubbling and crossing shadow roots so a listener on `document` hears it too.
pub fn dispatch(target: &EventTarget, event: WidgetEvent, detail: JsValue) {
    #[cfg(feature = "entry")]
    crate::insights::record(target, event, &detail);
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(custom) = CustomEvent::new_with_event_init_dict(event.name(), &init) {
        let _ = target.dispatch_event(&custom);
    }
}
