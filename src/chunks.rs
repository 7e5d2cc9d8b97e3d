//! The lazy chunks of the widget and the only ways into them.
//!
//! The page first downloads just the tags. The product card is a chunk fetched when the shopper
//! shows intent (a hover, focus or tap on a tag prefetches it), and the checkout is another,
//! fetched when a card opens or the bag is used. An order's page after the sale (returns, the
//! thread with the shop) is a third, which a purchase never needs; posts of several media and
//! videos (carousel, video tags) are a fourth, fetched when such a post is read; the posts'
//! schema.org data for search engines a fifth, fetched once the tags are mounted. All run on
//! the tags' Leptos runtime: one module, cut by `wasm-split-cli` in scripts/build-widget.sh (feature `split`).
//! Without that feature (tests) the same functions are plain calls into one module.
//!
//! A chunk draws nothing before its language's words are here (`i18n::load_words`, fetched
//! once): the waiting is done inside the chunks, so that the tags' download carries none of it.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::callback::Callable;
use leptos::wasm_split::SplitLoaderError;

use crate::card::CardArgs;
use crate::checkout::{Checkout, Command};
use crate::config::WidgetContext;
use crate::i18n::{Lang, load_words};
use crate::media::MediaArgs;
// Not Leptos's: its executor starts with the first mount, and the checkout of a shopper with a
// bag is resumed before any.
use wasm_bindgen_futures::spawn_local;

/// A view a chunk drew (a card, an order's page); dropping it takes the view off the page and
/// frees what it held.
pub struct ChunkView(#[allow(dead_code)] Box<dyn std::any::Any>);

impl ChunkView {
    pub fn new(mounted: impl std::any::Any) -> ChunkView {
        ChunkView(Box::new(mounted))
    }
}

/// Shows a product card, loading the card chunk first if needed.
pub async fn show_card(args: CardArgs) -> Result<ChunkView, SplitLoaderError> {
    #[cfg(feature = "split")]
    return card_chunk(args).await;
    #[cfg(not(feature = "split"))]
    card_chunk(args)
}

/// Starts fetching the card chunk: the shopper is about to open a card.
pub fn prefetch_card() {
    #[cfg(feature = "split")]
    spawn_local(async {
        let _ = preload_card().await;
    });
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(card, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_card)))]
fn card_chunk(args: CardArgs) -> Result<ChunkView, SplitLoaderError> {
    let (lang, on_close) = (args.ctx.lang, args.on_close);
    let card = Rc::new(RefCell::new(None));
    let drawn = Rc::downgrade(&card);
    spawn_local(async move {
        match load_words(lang).await {
            // Unless the card was closed (its view dropped) meanwhile.
            Ok(()) => drop(drawn.upgrade().map(|card| card.replace(Some(crate::card::show(args))))),
            Err(error) => {
                words_failed(&error);
                on_close.run(());
            }
        }
    });
    Ok(ChunkView::new(card))
}

/// Said in the console when `lang`'s words could not be fetched (offline); the next use of
/// the card or the checkout tries again, and nothing of the bag is lost.
fn words_failed(error: &wasm_bindgen::JsValue) {
    web_sys::console::warn_2(&"Shoppable: the words could not be loaded:".into(), error);
}

/// Opens the sheet at `step` (`bag`, `details`); focus returns to `opener` when it closes.
pub fn open_checkout(ctx: &WidgetContext, step: &str, opener: Option<web_sys::HtmlElement>) {
    checkout(ctx.clone(), Command::Open { step: step.to_owned(), opener });
}

/// Tells the checkout (loading it, for the bag badge) that a product card changed the bag.
pub fn bag_changed(ctx: &WidgetContext) {
    checkout(ctx.clone(), Command::BagChanged);
}

/// Starts loading the checkout while the shopper looks at a product card, so that "Buy now"
/// opens the sheet at once; it shows the bag badge. Readers who never open a card never
/// download it.
pub fn prefetch_checkout(ctx: &WidgetContext) {
    checkout(ctx.clone(), Command::Start);
}

/// Asks the page's checkout to carry out `command`, loading the checkout chunk first if
/// needed. A chunk that cannot be fetched (offline) is said in the console; the next use
/// tries again.
pub fn checkout(ctx: WidgetContext, command: Command) {
    spawn_local(async move {
        #[cfg(feature = "split")]
        let done = checkout_chunk(ctx, command).await;
        #[cfg(not(feature = "split"))]
        let done = checkout_chunk(ctx, command);
        if let Err(error) = done {
            web_sys::console::warn_1(&format!("Shoppable: the checkout could not be loaded: {error}").into());
        }
    });
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(checkout, wasm_split_path = ::leptos::wasm_split, fallible))]
fn checkout_chunk(ctx: WidgetContext, command: Command) -> Result<(), SplitLoaderError> {
    let lang: Lang = ctx.lang;
    spawn_local(async move {
        match load_words(lang).await {
            Ok(()) => crate::checkout::run(&ctx, command),
            Err(error) => words_failed(&error),
        }
    });
    Ok(())
}

/// Shows a post of several media, or a video, on its element (`media.rs`), loading the media
/// chunk first if needed: pages of single photos never fetch the carousel and video code.
/// A chunk that cannot be fetched is said in the console by the chunk loader
/// (`__wasm_split.js`); the next mount tries again.
pub fn show_media(args: MediaArgs) {
    spawn_local(async move {
        #[cfg(feature = "split")]
        let _ = media_chunk(args).await;
        #[cfg(not(feature = "split"))]
        let _ = media_chunk(args);
    });
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(media, wasm_split_path = ::leptos::wasm_split, fallible))]
fn media_chunk(args: MediaArgs) -> Result<(), SplitLoaderError> {
    crate::media::show(args);
    Ok(())
}

/// Publishes the posts' schema.org data (`structured_data.rs`) once their tags are mounted,
/// loading its chunk first: search engines' data is no part of showing the tags.
pub fn publish_structured_data(posts: Vec<std::rc::Rc<shoppable_protocol::PhotoPost>>) {
    spawn_local(async move {
        #[cfg(feature = "split")]
        let done = structured_data_chunk(posts).await;
        #[cfg(not(feature = "split"))]
        let done = structured_data_chunk(posts);
        if let Err(error) = done {
            web_sys::console::warn_1(&format!("Shoppable: the products' schema.org data could not be loaded: {error}").into());
        }
    });
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(structured_data, wasm_split_path = ::leptos::wasm_split, fallible))]
fn structured_data_chunk(posts: Vec<std::rc::Rc<shoppable_protocol::PhotoPost>>) -> Result<(), SplitLoaderError> {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        for post in &posts {
            let _ = crate::structured_data::publish(&document, post);
        }
    }
    Ok(())
}

/// Draws the page of the order the checkout shows into `slot`, loading its chunk first if
/// needed (the checkout loaded its words).
pub async fn show_order_page(checkout: Checkout, slot: web_sys::HtmlElement) -> Result<ChunkView, SplitLoaderError> {
    #[cfg(feature = "split")]
    return order_page_chunk(checkout, slot).await;
    #[cfg(not(feature = "split"))]
    order_page_chunk(checkout, slot)
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(order_page, wasm_split_path = ::leptos::wasm_split, fallible))]
fn order_page_chunk(checkout: Checkout, slot: web_sys::HtmlElement) -> Result<ChunkView, SplitLoaderError> {
    Ok(crate::checkout::after_sale::show(checkout, slot))
}
