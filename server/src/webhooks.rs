//! Outgoing webhooks: order events POSTed to the configured URL by a background task, signed
//! with HMAC-SHA256 and retried with backoff. Delivery is best effort: events still queued
//! when the process stops are lost.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use shoppable_protocol::{Order, WebhookEvent};
use tokio::sync::mpsc;

use crate::storage::{new_id, now, rfc3339};

pub const SIGNATURE_HEADER: &str = "Shoppable-Signature";
const ATTEMPTS: u32 = 6;
const FIRST_RETRY: Duration = Duration::from_millis(500);

/// Queues events for delivery; a no-op when no webhook URL is configured.
#[derive(Clone)]
pub struct Webhooks {
    queue: Option<mpsc::UnboundedSender<WebhookEvent>>,
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
    pub fn start(url: Option<String>, secret: Option<String>) -> Webhooks {
        let Some(url) = url else { return Webhooks { queue: None } };
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(deliver_all(url, secret.unwrap_or_default(), receiver));
        Webhooks { queue: Some(sender) }
    }

    /// `kind` is `order.placed`, `order.paid` or `order.status_changed`.
    pub fn send(&self, kind: &str, order: &Order) {
        if let Some(queue) = &self.queue {
            let mut order = order.clone();
            order.secret = None;
            let event = WebhookEvent { id: new_id("evt"), kind: kind.to_owned(), created_at: rfc3339(now()), order };
            // Fails only when the delivery task is gone, i.e. while shutting down.
            let _ = queue.send(event);
        }
    }
}

async fn deliver_all(url: String, secret: String, mut receiver: mpsc::UnboundedReceiver<WebhookEvent>) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
    while let Some(event) = receiver.recv().await {
        // Events are delivered in order; a failing receiver delays the later ones.
        deliver(&client, &url, &secret, &event).await;
    }
}

async fn deliver(client: &reqwest::Client, url: &str, secret: &str, event: &WebhookEvent) {
    let body = serde_json::to_vec(event).unwrap_or_default();
    let mut delay = FIRST_RETRY;
    for attempt in 1..=ATTEMPTS {
        let result = client
            .post(url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(secret, now(), &body))
            .body(body.clone())
            .send()
            .await;
        match result {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => tracing::warn!(event = %event.id, attempt, status = %response.status(), "webhook refused"),
            Err(error) => tracing::warn!(event = %event.id, attempt, %error, "webhook not delivered"),
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
    tracing::error!(event = %event.id, kind = %event.kind, "webhook dropped after {ATTEMPTS} attempts");
}
