//! The link to the checkout sheet, a second wasm module (`checkout/`) that the loader fetches
//! on the shopper's first use of the bag: a reader who only looks at the tags never downloads it.

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen]
extern "C" {
    /// `Shoppable.openCheckout(step, opener)` in `www/shoppable.js`.
    #[wasm_bindgen(catch, js_namespace = Shoppable, js_name = openCheckout)]
    fn open_checkout(step: &str, opener: Option<HtmlElement>) -> Result<JsValue, JsValue>;
    /// `Shoppable.prefetchCheckout()` in `www/shoppable.js`.
    #[wasm_bindgen(catch, js_namespace = Shoppable, js_name = prefetchCheckout)]
    fn prefetch_checkout() -> Result<JsValue, JsValue>;
    /// `Shoppable.bagChanged()` in `www/shoppable.js`.
    #[wasm_bindgen(catch, js_namespace = Shoppable, js_name = bagChanged)]
    fn bag_changed_js() -> Result<JsValue, JsValue>;
}

/// Opens the sheet at `step` (`bag`, `details`); focus returns to `opener` when it closes.
pub fn open(step: &str, opener: Option<HtmlElement>) {
    if let Err(error) = open_checkout(step, opener) {
        web_sys::console::warn_2(&"Shoppable: the checkout could not be opened".into(), &error);
    }
}

/// Tells the checkout (loading it if needed, for the bag badge) that the bag changed.
pub fn bag_changed() {
    // Without the loader (a page that mounts the widget by hand) there is no sheet to tell.
    let _ = bag_changed_js();
}

/// Starts loading the checkout while the shopper looks at a product card, so that "Buy now"
/// opens the sheet at once. Readers who never open a card never download it.
pub fn prefetch() {
    let _ = prefetch_checkout();
}
