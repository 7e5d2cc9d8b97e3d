//! The shopping bag: shared by every product card on the page and by the checkout, kept in
//! `localStorage` per backend so it survives reloads and follows the shopper across the
//! site's pages. Storage is the one source of truth: every change reads it first, so other
//! tabs (and a restarted instance) never overwrite each other's changes.
//! It holds what the shopper chose (variant and quantity); prices always come from the
//! backend's quote.

use std::cell::RefCell;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shoppable_protocol::post::is_valid_id;
use shoppable_protocol::{LineRequest, MAX_LINES, MAX_QUANTITY};
use wasm_bindgen::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BagLine {
    pub variant_id: String,
    pub product_id: String,
    /// Shown until the first quote answers; the quote's titles win afterwards.
    pub title: String,
    #[serde(default)]
    pub variant_title: String,
    #[serde(default)]
    pub image_url: Option<String>,
    pub quantity: u32,
    /// The post whose tag the line was added from (none for static tags, and in bags saved
    /// before it was recorded), sent with the order for the shop's insights.
    #[serde(default)]
    pub post_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bag {
    pub lines: Vec<BagLine>,
}

/// Why the bag refused a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BagError {
    /// The bag already has [`MAX_LINES`] different products.
    Full,
}

impl Bag {
    /// Adds `line.quantity` units, merging with a line of the same variant; quantities are
    /// capped at [`MAX_QUANTITY`].
    pub fn add(&mut self, line: BagLine) -> Result<(), BagError> {
        if let Some(existing) = self.lines.iter_mut().find(|l| l.variant_id == line.variant_id) {
            existing.quantity = (existing.quantity + line.quantity).min(MAX_QUANTITY);
            return Ok(());
        }
        if self.lines.len() >= MAX_LINES {
            return Err(BagError::Full);
        }
        self.lines.push(BagLine { quantity: line.quantity.clamp(1, MAX_QUANTITY), ..line });
        Ok(())
    }

    /// "Buy now": the variant is bought as the shopper has it in the bag, or one unit when it
    /// is not there yet (a unit added just before is not bought twice).
    pub fn include(&mut self, line: BagLine) -> Result<(), BagError> {
        if self.lines.iter().any(|l| l.variant_id == line.variant_id) {
            return Ok(());
        }
        self.add(line)
    }

    /// Sets a line's quantity; 0 removes the line.
    pub fn set_quantity(&mut self, variant_id: &str, quantity: u32) {
        if quantity == 0 {
            self.remove(variant_id);
        } else if let Some(line) = self.lines.iter_mut().find(|l| l.variant_id == variant_id) {
            line.quantity = quantity.min(MAX_QUANTITY);
        }
    }

    pub fn remove(&mut self, variant_id: &str) {
        self.lines.retain(|l| l.variant_id != variant_id);
    }

    /// Units in the bag, for the badge.
    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The lines to quote or order. A post id that is not one (a page's typo, a bag edited by
    /// hand) is left out rather than sent for the backend to refuse the whole order.
    pub fn line_requests(&self) -> Vec<LineRequest> {
        let line = |l: &BagLine| LineRequest {
            variant_id: l.variant_id.clone(),
            quantity: l.quantity,
            post_id: l.post_id.clone().filter(|id| is_valid_id(id)),
        };
        self.lines.iter().map(line).collect()
    }

    /// Reads a stored bag, dropping what does not make sense (a bag edited by hand, or
    /// written by another version).
    pub fn from_json(json: &str) -> Bag {
        let mut bag: Bag = crate::json::parse(json).unwrap_or_default();
        bag.lines.retain(|l| !l.variant_id.is_empty() && l.quantity > 0);
        bag.lines.truncate(MAX_LINES);
        for line in &mut bag.lines {
            line.quantity = line.quantity.min(MAX_QUANTITY);
        }
        bag
    }
}

/// The page's bag: a signal every root reads, saved on every change.
#[derive(Debug, Clone, Copy)]
pub struct BagStore {
    pub bag: RwSignal<Bag>,
    key: StoredValue<String>,
}

thread_local! {
    static STORE: RefCell<Option<BagStore>> = const { RefCell::new(None) };
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl BagStore {
    /// The bag for the backend at `api`, loaded from storage on first use.
    pub fn for_api(api: &str) -> BagStore {
        STORE.with(|store| {
            if let Some(existing) = *store.borrow() {
                return existing;
            }
            let key = format!("shoppable:bag:{}", storage_scope(api));
            let created = crate::page::page_lived(|| BagStore { bag: RwSignal::new(Bag::default()), key: StoredValue::new(key) });
            created.reload();
            created.follow_other_tabs();
            *store.borrow_mut() = Some(created);
            created
        })
    }

    /// The stored bag; the one this page holds when storage is disabled.
    fn stored(&self) -> Bag {
        match local_storage() {
            Some(storage) => storage.get_item(&self.key.get_value()).ok().flatten().map(|json| Bag::from_json(&json)).unwrap_or_default(),
            None => self.bag.get_untracked(),
        }
    }

    /// Reads the bag again from storage (after a change elsewhere).
    pub fn reload(&self) {
        let bag = self.stored();
        if self.bag.with_untracked(|current| current != &bag) {
            self.bag.set(bag);
        }
    }

    /// Applies `change` to the stored bag, saves it, then shows it.
    pub fn update<T>(&self, change: impl FnOnce(&mut Bag) -> T) -> T {
        let mut bag = self.stored();
        let result = change(&mut bag);
        if let (Some(storage), Ok(json)) = (local_storage(), crate::json::to_string(&bag)) {
            // Storage can be full or disabled (private mode): the bag then lives for this page.
            let _ = storage.set_item(&self.key.get_value(), &json);
        }
        self.bag.set(bag);
        result
    }

    /// Another tab of the same site changed the bag: show the same bag here.
    fn follow_other_tabs(&self) {
        let store = *self;
        let listener = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            if !crate::crash::is_dead() && event.key().as_deref() == Some(store.key.get_value().as_str()) {
                store.reload();
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page, like the bag.
        listener.forget();
    }
}

/// The backend's origin (scheme, host, port) and path: one bag per backend.
pub fn storage_scope(api: &str) -> String {
    let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    web_sys::Url::new_with_base(api, &base)
        .map(|url| format!("{}{}", url.origin(), url.pathname().trim_end_matches('/')))
        .unwrap_or_else(|_| api.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(variant: &str, quantity: u32) -> BagLine {
        BagLine {
            variant_id: variant.into(),
            product_id: "p".into(),
            title: "T".into(),
            variant_title: String::new(),
            image_url: None,
            quantity,
            post_id: None,
        }
    }

    #[test]
    fn adding_the_same_variant_merges_and_caps() {
        let mut bag = Bag::default();
        bag.add(line("a", 2)).unwrap();
        bag.add(line("a", 3)).unwrap();
        bag.add(line("b", 1)).unwrap();
        assert_eq!(bag.lines.len(), 2);
        assert_eq!(bag.count(), 6);
        bag.add(line("a", 200)).unwrap();
        assert_eq!(bag.lines[0].quantity, MAX_QUANTITY);
    }

    #[test]
    fn a_full_bag_refuses_new_lines_but_not_more_units() {
        let mut bag = Bag::default();
        for i in 0..MAX_LINES {
            bag.add(line(&format!("v{i}"), 1)).unwrap();
        }
        assert_eq!(bag.add(line("one-more", 1)), Err(BagError::Full));
        assert_eq!(bag.add(line("v0", 1)), Ok(()));
    }

    #[test]
    fn buy_now_keeps_a_line_already_in_the_bag() {
        let mut bag = Bag::default();
        bag.add(line("a", 1)).unwrap();
        bag.include(line("a", 1)).unwrap();
        bag.include(line("b", 1)).unwrap();
        assert_eq!((bag.lines[0].quantity, bag.lines[1].quantity), (1, 1));
    }

    #[test]
    fn quantity_zero_removes_the_line() {
        let mut bag = Bag::default();
        bag.add(line("a", 2)).unwrap();
        bag.set_quantity("a", 5);
        assert_eq!(bag.count(), 5);
        bag.set_quantity("a", 0);
        assert!(bag.lines.is_empty());
    }

    #[test]
    fn a_line_remembers_the_post_it_was_first_added_from() {
        let mut bag = Bag::default();
        bag.add(BagLine { post_id: Some("look-1".into()), ..line("a", 1) }).unwrap();
        bag.add(BagLine { post_id: Some("look-2".into()), ..line("a", 1) }).unwrap();
        bag.add(line("b", 1)).unwrap();
        bag.add(BagLine { post_id: Some("not a post".into()), ..line("c", 1) }).unwrap();
        let requests = bag.line_requests();
        assert_eq!((requests[0].quantity, requests[0].post_id.as_deref()), (2, Some("look-1")));
        assert_eq!(requests[1].post_id, None);
        assert_eq!(
            (requests[2].variant_id.as_str(), requests[2].post_id.as_deref()),
            ("c", None),
            "a bad post id is left out, not the line"
        );
    }
}
