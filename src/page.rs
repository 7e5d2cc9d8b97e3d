//! Reactive state that lives as long as the page (the bag, the checkout), whatever
//! component happened to run when it was first needed.
//!
//! Leptos disposes the signals a component creates when that component goes away, and it
//! runs event handlers under their component's owner. State first created from a product
//! card's button must therefore not belong to that card: it is created here instead.

use leptos::prelude::Owner;

thread_local! {
    /// Never disposed: it lives until the page (or this wasm instance) goes.
    static PAGE: Owner = Owner::new_root(None);
}

/// Runs `create` under the page's owner, so the signals it creates outlive any component.
pub fn page_lived<T>(create: impl FnOnce() -> T) -> T {
    PAGE.with(|owner| owner.with(create))
}
