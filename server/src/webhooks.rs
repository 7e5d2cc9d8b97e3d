//! Outgoing webhooks: order events POSTed to the configured URL, signed with HMAC-SHA256.
//! Events are written to the outbox (`storage::outbox`) in the transaction of the change they
//! tell and sent by a background task (`crate::sender`: in order, retried with back-off).
//! On PostgreSQL a sender locks the events it sends (`FOR UPDATE SKIP LOCKED`): with several
//! instances, each event is sent by one of them. A receiver may still see an event twice (a
//! process that stops between sending and recording it): events carry an `id` to dedupe.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use shoppable_protocol::{Order, WebhookEvent};
use sqlx::AnyConnection;
use tokio::sync::Notify;

use crate::error::AppResult;
use crate::sender::{self, Deliver};
use crate::storage::outbox;
use crate::storage::{Db, new_id, now, rfc3339};

pub const SIGNATURE_HEADER: &str = "Shoppable-Signature";

/// Writes events to the outbox; a no-op when no webhook URL is configured.
#[derive(Clone)]
pub struct Webhooks {
    enabled: bool,
    wake: Arc<Notify>,
}

/// What an event is about besides its order (named by id in the event).
pub enum Subject<'a> {
    Order,
    Return(&'a str),
    Message(&'a str),
    Dispute(&'a str),
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs its webhooks.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

impl Webhooks {
    /// Starts the sender when a URL is configured.
    pub fn start(db: Db, url: Option<String>, secret: Option<String>) -> Webhooks {
        let wake = Arc::new(Notify::new());
        let Some(url) = url else {
            return Webhooks { enabled: false, wake };
        };
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        sender::start(db, wake.clone(), Poster { client, url, secret: secret.unwrap_or_default() });
        Webhooks { enabled: true, wake }
    }

    /// Adds an event to the outbox inside the caller's transaction; call [`Webhooks::wake`]
    /// after the commit. `kind` is `order.placed`, `order.paid` or `order.status_changed`.
    pub async fn add(&self, conn: &mut AnyConnection, kind: &str, order: &Order) -> AppResult<()> {
        self.add_about(conn, kind, order, Subject::Order).await
    }

    /// [`Webhooks::add`] for an event about a return, a message or a dispute of the order.
    pub async fn add_about(&self, conn: &mut AnyConnection, kind: &str, order: &Order, subject: Subject<'_>) -> AppResult<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut order = order.clone();
        order.secret = None;
        order.cancellable_until = None;
        order.returnable_until = None;
        let mut event = WebhookEvent {
            id: new_id("evt"),
            kind: kind.to_owned(),
            created_at: rfc3339(now()),
            order,
            return_id: None,
            message_id: None,
            dispute_id: None,
        };
        match subject {
            Subject::Order => {}
            Subject::Return(id) => event.return_id = Some(id.to_owned()),
            Subject::Message(id) => event.message_id = Some(id.to_owned()),
            Subject::Dispute(id) => event.dispute_id = Some(id.to_owned()),
        }
        outbox::add(conn, Poster::KIND, &serde_json::to_string(&event).unwrap_or_default()).await
    }

    /// Tells the sender that events were committed.
    pub fn wake(&self) {
        if self.enabled {
            self.wake.notify_one();
        }
    }
}

/// POSTs events to the webhook URL.
struct Poster {
    client: reqwest::Client,
    url: String,
    secret: String,
}

impl Deliver for Poster {
    const KIND: &'static str = "webhook";

    /// Receivers dedupe by the event's own `id`, in the payload.
    async fn deliver(&self, _: &str, payload: &str) -> Result<(), String> {
        let body = payload.as_bytes();
        let result = self
            .client
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(&self.secret, now(), body))
            .body(body.to_vec())
            .send()
            .await;
        match result {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("refused: {}", response.status())),
            Err(error) => Err(format!("not delivered: {error}")),
        }
    }
}
