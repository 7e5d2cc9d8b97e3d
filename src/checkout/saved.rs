//! What the checkout keeps in the browser, per backend: recent orders (with their secrets, to
//! read and cancel them), the order being placed (so a reload retries it with the same
//! `Idempotency-Key` instead of placing another: kept for the tab that placed it, in
//! `sessionStorage`), and the shopper's details. Card details are never stored.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use shoppable_protocol::{Money, Order, OrderRequest, OrderStatus};

use super::validate::AddressForm;

/// How many recent orders "My orders" lists.
const RECENT_ORDERS: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedOrder {
    pub id: String,
    pub number: String,
    pub secret: String,
    pub created_at: String,
    pub total: Money,
    /// As last read from the backend, for "My orders".
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// `2 × Title`, per line, as last read.
    #[serde(default)]
    pub items: Vec<String>,
    /// The order's `updated_at` as last read, and as the shopper last saw it on its page:
    /// the order has news for them while the first is newer.
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub seen: Option<String>,
}

impl SavedOrder {
    /// The shop changed it since the shopper last looked.
    pub fn has_news(&self) -> bool {
        match (&self.updated_at, &self.seen) {
            (Some(updated), Some(seen)) => js_sys::Date::parse(updated) > js_sys::Date::parse(seen),
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// Orders whose status can still change are read again when a page opens.
    pub fn may_change(&self) -> bool {
        self.status != Some(OrderStatus::Cancelled)
    }

    fn update_from(&mut self, order: &Order, seen: bool) {
        self.status = Some(order.status);
        self.items = order.lines.iter().map(|l| format!("{} × {}", l.quantity, l.title)).collect();
        self.updated_at = order.updated_at.clone();
        if seen {
            self.seen = order.updated_at.clone();
        }
    }
}

/// An order request sent but not yet answered for good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingOrder {
    pub idempotency_key: String,
    pub request: OrderRequest,
    /// When it was first sent (milliseconds since 1970): backends keep keys for 24 hours, so
    /// an older one is dropped instead of being sent again.
    #[serde(default)]
    pub created_ms: f64,
}

/// How long an unanswered order is retried after reloads.
pub const PENDING_LIFETIME_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// Storage keys of one backend (see `bag::storage_scope`).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    scope: String,
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn read<T: DeserializeOwned>(storage: Option<web_sys::Storage>, key: &str) -> Option<T> {
    crate::json::parse(&storage?.get_item(key).ok()??).ok()
}

fn write<T: Serialize>(storage: Option<web_sys::Storage>, key: &str, value: &T) {
    if let (Some(storage), Ok(json)) = (storage, crate::json::to_string(value)) {
        // Full or disabled storage: the value lives for this page only.
        let _ = storage.set_item(key, &json);
    }
}

fn remove(storage: Option<web_sys::Storage>, key: &str) {
    if let Some(storage) = storage {
        let _ = storage.remove_item(key);
    }
}

impl Saved {
    pub fn new(scope: String) -> Saved {
        Saved { scope }
    }

    fn key(&self, what: &str) -> String {
        format!("shoppable:{what}:{}", self.scope)
    }

    pub fn orders(&self) -> Vec<SavedOrder> {
        read(local(), &self.key("orders")).unwrap_or_default()
    }

    /// Remembers a placed order, newest first.
    pub fn add_order(&self, order: &Order, secret: &str) {
        let mut orders = self.orders();
        orders.retain(|o| o.id != order.id);
        let mut saved = SavedOrder {
            id: order.id.clone(),
            number: order.number.clone(),
            secret: secret.to_owned(),
            created_at: order.created_at.clone(),
            total: order.total,
            status: None,
            items: Vec::new(),
            updated_at: None,
            seen: None,
        };
        saved.update_from(order, true);
        orders.insert(0, saved);
        orders.truncate(RECENT_ORDERS);
        write(local(), &self.key("orders"), &orders);
    }

    /// Records what the backend says of a saved order now; `seen` when the shopper sees it.
    pub fn update_order(&self, order: &Order, seen: bool) {
        let mut orders = self.orders();
        if let Some(saved) = orders.iter_mut().find(|o| o.id == order.id) {
            saved.update_from(order, seen);
            write(local(), &self.key("orders"), &orders);
        }
    }

    /// This tab's unanswered order, unless it is too old to send again.
    pub fn pending(&self) -> Option<PendingOrder> {
        let pending: PendingOrder = read(session(), &self.key("pending"))?;
        if js_sys::Date::now() - pending.created_ms > PENDING_LIFETIME_MS {
            self.set_pending(None);
            return None;
        }
        Some(pending)
    }

    pub fn set_pending(&self, pending: Option<&PendingOrder>) {
        match pending {
            Some(pending) => write(session(), &self.key("pending"), pending),
            None => remove(session(), &self.key("pending")),
        }
    }

    /// The details typed in this tab, else those remembered on this device.
    pub fn address(&self) -> Option<(AddressForm, bool)> {
        read(session(), &self.key("address"))
            .map(|form| (form, read::<AddressForm>(local(), &self.key("address")).is_some()))
            .or_else(|| read(local(), &self.key("address")).map(|form| (form, true)))
    }

    /// Keeps the details being typed for this tab only, as they are typed.
    pub fn keep_draft(&self, form: &AddressForm) {
        write(session(), &self.key("address"), form);
    }

    /// Keeps the details for this tab (a reload keeps what was typed) and, when the shopper
    /// asks, on this device.
    pub fn set_address(&self, form: &AddressForm, remember: bool) {
        write(session(), &self.key("address"), form);
        if remember {
            write(local(), &self.key("address"), form);
        } else {
            remove(local(), &self.key("address"));
        }
    }
}
