//! Shoppable: makes any photo on a web page shoppable.
//!
//! `www/shoppable.js`, a tiny loader, finds the marked images and calls `mount` (`entry.rs`)
//! when they come near the viewport. Each image gets a widget root in a shadow root
//! (`mount.rs`) with its tags (`overlay.rs`), fed by a backend speaking the protocol
//! (`api.rs`) or by tags written in the page (static mode, `tags.rs`). The product card
//! (`card/`), the checkout sheet (`checkout/`) and posts of several media or videos
//! (`media.rs`, `carousel.rs`, `video.rs`) are lazy chunks of the same module, fetched
//! on the shopper's first intent (`chunks.rs`). If the module fails anyway, `crash.rs` keeps
//! the failure readable and quiet while the loader starts a fresh instance.

pub mod api;
pub mod bag;
pub mod card;
pub mod carousel;
pub mod checkout;
pub mod chunks;
pub mod config;
pub mod crash;
pub mod css;
#[cfg(feature = "entry")]
mod entry;
pub mod events;
pub mod i18n;
#[cfg(feature = "entry")]
pub mod insights;
pub mod json;
pub mod media;
pub mod money;
pub mod mount;
pub mod overlay;
pub mod page;
pub mod placement;
pub mod schedule;
pub mod structured_data;
pub mod tags;
pub mod video;

#[cfg(feature = "entry")]
pub use entry::{mount, open_checkout, unmount};
