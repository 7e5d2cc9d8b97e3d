//! Receives a backend's webhooks (`--webhook-listen`) and checks their signatures as
//! PROTOCOL.md defines them: `Shoppable-Signature: t=<unix seconds>,v1=<hex>`, the
//! HMAC-SHA256 of `<t>.` followed by the exact body bytes, keyed with the webhook secret.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Received {
    /// The `Shoppable-Signature` header ("" when absent).
    pub signature: String,
    pub content_type: String,
    /// The exact bytes, which the signature covers.
    pub body: Vec<u8>,
    /// The body as JSON (`Null` when it is not JSON).
    pub event: Value,
    /// Unix seconds when it arrived.
    pub received_at: u64,
}

/// A loopback (or any address) HTTP server that records every POST it gets and answers 200.
pub struct Receiver {
    pub address: SocketAddr,
    pub secret: String,
    events: Arc<Mutex<Vec<Received>>>,
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Receiver {
    pub async fn start(listen: &str, secret: &str) -> std::io::Result<Receiver> {
        let events: Arc<Mutex<Vec<Received>>> = Arc::default();
        let sink = events.clone();
        let record = move |headers: HeaderMap, body: Bytes| async move {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            let event = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let received = Received {
                signature: header("shoppable-signature"),
                content_type: header("content-type"),
                body: body.to_vec(),
                event,
                received_at: unix_now(),
            };
            sink.lock().expect("webhook list").push(received);
            "ok"
        };
        let app = axum::Router::new().fallback(axum::routing::post(record));
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let address = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Receiver { address, secret: secret.to_owned(), events })
    }

    /// The events received so far about the order `order_id`, in arrival order.
    pub fn for_order(&self, order_id: &str) -> Vec<Received> {
        let events = self.events.lock().expect("webhook list");
        events.iter().filter(|r| r.event["order"]["id"] == order_id).cloned().collect()
    }

    /// Waits (up to `timeout`) until `count` events about `order_id` arrived; returns them.
    pub async fn wait_for(&self, order_id: &str, count: usize, timeout: Duration) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let events = self.for_order(order_id);
            if events.len() >= count || started.elapsed() > timeout {
                return events;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Whether `header` is a valid signature of `body` with `secret`; the timestamp is returned.
pub fn verify_signature(secret: &str, header: &str, body: &[u8]) -> Result<u64, String> {
    let mut timestamp = None;
    let mut macs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<u64>().ok(),
            Some(("v1", mac)) => macs.push(mac),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(|| format!("no `t=<unix seconds>` in `{header}`"))?;
    if macs.is_empty() {
        return Err(format!("no `v1=<hex>` in `{header}`"));
    }
    for mac_hex in macs {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(body);
        // `verify_slice` compares in constant time.
        if hex::decode(mac_hex).is_ok_and(|expected| mac.verify_slice(&expected).is_ok()) {
            return Ok(timestamp);
        }
    }
    Err(format!("`{header}` is not the HMAC-SHA256 of `<t>.<body>` with the webhook secret"))
}

#[cfg(test)]
mod tests {
    use super::verify_signature;

    #[test]
    fn a_signature_is_checked_over_the_exact_bytes() {
        // `printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec`
        let mac = "7d44587dddbaf4c7f70fef20f48cd594834ffea1641e3ac227b84408298738af";
        assert_eq!(verify_signature("whsec", &format!("t=1700000000,v1={mac}"), b"{}"), Ok(1_700_000_000));
        assert!(verify_signature("whsec", &format!("t=1700000000,v1={mac}"), b"{ }").is_err(), "other bytes");
        assert!(verify_signature("other", &format!("t=1700000000,v1={mac}"), b"{}").is_err(), "other secret");
        assert!(verify_signature("whsec", &format!("t=1700000001,v1={mac}"), b"{}").is_err(), "other time");
        assert!(verify_signature("whsec", "v1=00", b"{}").is_err());
        assert!(verify_signature("whsec", "t=1", b"{}").is_err());
    }
}
