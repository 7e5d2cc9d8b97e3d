//! Outgoing webhooks: order events POSTed to the configured URL, signed with HMAC-SHA256.
//! Events are written to the outbox (`storage::outbox`) in the transaction of the change they
//! tell, so none is lost when the process stops; a background task sends them in order,
//! retried with exponential back-off (1 s, 2 s, 4 s... at most an hour apart, 12 attempts).
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
use crate::storage::outbox::{self, now_ms};
use crate::storage::{Db, new_id, now, rfc3339};

pub const SIGNATURE_HEADER: &str = "Shoppable-Signature";
const ATTEMPTS: i64 = 12;
const FIRST_RETRY_MS: i64 = 1000;
const LONGEST_RETRY_MS: i64 = 3600 * 1000;
/// How long a sender holds the events it took on SQLite: longer than sending a batch can take.
const LEASE_MS: i64 = 2 * 60 * 1000;
const BATCH: i64 = 10;
const POLL: Duration = Duration::from_millis(500);

/// Writes events to the outbox; a no-op when no webhook URL is configured.
#[derive(Clone)]
pub struct Webhooks {
    enabled: bool,
    wake: Arc<Notify>,
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs its webhooks.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

impl Webhooks {
    /// Starts the sender when a URL is configured.
    pub fn start(db: Db, url: Option<String>, secret: Option<String>) -> Webhooks {
        let wake = Arc::new(Notify::new());
        let Some(url) = url else {
            return Webhooks {
                enabled: false,
                wake,
            };
        };
        tokio::spawn(send_all(db, url, secret.unwrap_or_default(), wake.clone()));
        Webhooks {
            enabled: true,
            wake,
        }
    }

    /// Adds an event to the outbox inside the caller's transaction; call [`Webhooks::wake`]
    /// after the commit. `kind` is `order.placed`, `order.paid` or `order.status_changed`.
    pub async fn add(&self, conn: &mut AnyConnection, kind: &str, order: &Order) -> AppResult<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut order = order.clone();
        order.secret = None;
        order.cancellable_until = None;
        let event = WebhookEvent {
            id: new_id("evt"),
            kind: kind.to_owned(),
            created_at: rfc3339(now()),
            order,
        };
        outbox::add(
            conn,
            "webhook",
            &serde_json::to_string(&event).unwrap_or_default(),
        )
        .await
    }

    /// Tells the sender that events were committed.
    pub fn wake(&self) {
        if self.enabled {
            self.wake.notify_one();
        }
    }
}

async fn send_all(db: Db, url: String, secret: String, wake: Arc<Notify>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    if let Err(error) = outbox::drop_leases(&db).await {
        tracing::warn!(%error, "cannot release the outbox leases of a previous run");
    }
    loop {
        match outbox::take_due(&db, BATCH, LEASE_MS).await {
            Ok(mut batch) if !batch.messages.is_empty() => {
                let messages = std::mem::take(&mut batch.messages);
                for message in &messages {
                    let (error, retry_at) = send(&client, &url, &secret, message).await;
                    if let Err(error) = batch
                        .record(&db, &message.id, error.as_deref(), retry_at)
                        .await
                    {
                        tracing::error!(message = %message.id, %error, "cannot record a webhook attempt");
                    }
                }
                if let Err(error) = batch.finish().await {
                    tracing::error!(%error, "cannot record webhook attempts");
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot read the outbox"),
        }
        let _ = tokio::time::timeout(POLL, wake.notified()).await;
    }
}

/// One attempt: the error and when to try again (None: given up), or (None, None) when delivered.
async fn send(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    message: &outbox::Message,
) -> (Option<String>, Option<i64>) {
    let body = message.payload.as_bytes();
    let result = client
        .post(url)
        .header("Content-Type", "application/json")
        .header(SIGNATURE_HEADER, signature(secret, now(), body))
        .body(body.to_vec())
        .send()
        .await;
    let error = match result {
        Ok(response) if response.status().is_success() => return (None, None),
        Ok(response) => format!("refused: {}", response.status()),
        Err(error) => format!("not delivered: {error}"),
    };
    let attempt = message.attempts + 1;
    let retry_at = (attempt < ATTEMPTS)
        .then(|| now_ms() + (FIRST_RETRY_MS << (attempt - 1).min(20)).min(LONGEST_RETRY_MS));
    match retry_at {
        Some(_) => {
            tracing::warn!(message = %message.id, attempt, %error, "webhook not delivered; retried later")
        }
        None => {
            tracing::error!(message = %message.id, %error, "webhook given up after {ATTEMPTS} attempts")
        }
    }
    (Some(error), retry_at)
}
