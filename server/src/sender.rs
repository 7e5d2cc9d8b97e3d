//! The background task that sends one kind of outbox message (webhooks, e-mails): in order,
//! retried with exponential back-off (1 s, 2 s, 4 s... at most an hour apart, 12 attempts).
//! Messages are written in the transaction of the change they tell, so none is lost when the
//! process stops; one that was being sent then is sent again at the next start.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::storage::Db;
use crate::storage::outbox::{self, now_ms};

const ATTEMPTS: i64 = 12;
const FIRST_RETRY_MS: i64 = 1000;
const LONGEST_RETRY_MS: i64 = 3600 * 1000;
/// How long a sender holds the messages it took on SQLite: longer than sending a batch can take.
const LEASE_MS: i64 = 2 * 60 * 1000;
const BATCH: i64 = 10;
const POLL: Duration = Duration::from_millis(500);

/// Sends the payload of one outbox message.
pub trait Deliver: Send + Sync + 'static {
    /// The outbox `kind` this sender takes.
    const KIND: &'static str;

    /// One attempt at sending message `id` (the outbox row's, the same at every attempt);
    /// the error says why it failed.
    fn deliver(&self, id: &str, payload: &str) -> impl Future<Output = Result<(), String>> + Send;
}

/// Starts the task; `wake` tells it that messages were committed.
pub fn start<D: Deliver>(db: Db, wake: Arc<Notify>, deliverer: D) {
    tokio::spawn(send_all(db, wake, deliverer));
}

async fn send_all<D: Deliver>(db: Db, wake: Arc<Notify>, deliverer: D) {
    let kind = D::KIND;
    if let Err(error) = outbox::drop_leases(&db, kind).await {
        tracing::warn!(kind, %error, "cannot release the outbox leases of a previous run");
    }
    loop {
        match outbox::take_due(&db, kind, BATCH, LEASE_MS).await {
            Ok(mut batch) if !batch.messages.is_empty() => {
                let messages = std::mem::take(&mut batch.messages);
                for message in &messages {
                    let (error, retry_at) = match deliverer.deliver(&message.id, &message.payload).await {
                        Ok(()) => (None, None),
                        Err(error) => (Some(error.clone()), retry_at(kind, message, &error)),
                    };
                    if let Err(error) = batch.record(&db, &message.id, error.as_deref(), retry_at).await {
                        tracing::error!(kind, message = %message.id, %error, "cannot record a sending attempt");
                    }
                }
                if let Err(error) = batch.finish().await {
                    tracing::error!(kind, %error, "cannot record sending attempts");
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(kind, %error, "cannot read the outbox"),
        }
        let _ = tokio::time::timeout(POLL, wake.notified()).await;
    }
}

/// When to try a failed message again; None when it is given up.
fn retry_at(kind: &str, message: &outbox::Message, error: &str) -> Option<i64> {
    let attempt = message.attempts + 1;
    let retry_at = (attempt < ATTEMPTS).then(|| now_ms() + (FIRST_RETRY_MS << (attempt - 1).min(20)).min(LONGEST_RETRY_MS));
    match retry_at {
        Some(_) => tracing::warn!(kind, message = %message.id, attempt, %error, "not sent; tried again later"),
        None => tracing::error!(kind, message = %message.id, %error, "given up after {ATTEMPTS} attempts"),
    }
    retry_at
}
