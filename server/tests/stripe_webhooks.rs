//! Stripe's webhook events (issue 21) against the Stripe stand-in, offline: the order follows
//! what Stripe says even when the shopper's page and the server were gone, every event counts
//! once, and nothing unsigned counts at all. On SQLite, or on PostgreSQL with
//! `scripts/with-postgres.sh`.
//!
//! localstripe 1.15.10 sends `payment_intent.*` events itself (its `/_config/webhooks/NAME`
//! route), signed as Stripe signs them: the first test forwards one of those. It sends no
//! `charge.refunded` nor `charge.dispute.*` (it has no disputes, and its refunds send no
//! event): those are built here in the shapes of Stripe's API reference ("The Event object",
//! "The Charge object", "The Dispute object") and signed as "Verify webhook signatures
//! manually" says.

mod stripe_stand_in;
mod support;

use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use stripe_stand_in::{Fault, StandIn};
use support::*;

const WEBHOOK_SECRET: &str = "whsec_shoppable_test";
const PAID_CARD: &str = "4242424242424242";

/// A server on Stripe (the stand-in) with the webhook's secret, on `scratch`'s database, and
/// `more` flags. Crash recovery keeps its default delay (2 minutes): what settles an order here
/// is the event.
async fn stripe_server(stand_in: &StandIn, scratch: Scratch, more: &[&str]) -> Server {
    let mut flags = stand_in.flags().to_vec();
    flags.extend(["--stripe-webhook-secret", WEBHOOK_SECRET]);
    flags.extend(more);
    Server::spawn_on(scratch, &flags, true).await
}

/// A shop with one product at 12.00 EUR and 10 units; its server and database.
async fn shop(stand_in: &StandIn, more: &[&str]) -> (Server, String, String) {
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let server = stripe_server(stand_in, scratch, more).await;
    let product = unique("mug");
    let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&product, "Mug", "12.00 EUR", "10"));
    server.import(server.admin_token.as_deref().unwrap(), &csv).await.expect(200);
    (server, product, database)
}

fn stripe_order(product: &str, payment_method: &str) -> Value {
    let mut body = order_body(json!([{"variant_id": product, "quantity": 1}]), payment_method);
    body["payment"]["provider"] = json!("stripe");
    body
}

/// `Stripe-Signature` of `body` at `time` with `secret`.
fn signature(secret: &str, time: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{time}.{body}").as_bytes());
    format!("t={time},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Posts `body` to the webhook endpoint with this `Stripe-Signature` (none when None).
async fn deliver_signed(server: &Server, body: &str, signature: Option<&str>) -> Response {
    let mut request = server.client.post(server.url("/v1/payments/stripe/webhook")).header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    server.send(request.body(body.to_owned())).await
}

/// Posts `event` signed now with the endpoint's secret, as Stripe delivers it.
async fn deliver(server: &Server, event: &Value) -> Response {
    let body = event.to_string();
    deliver_signed(server, &body, Some(&signature(WEBHOOK_SECRET, unix_now(), &body))).await
}

/// An event as Stripe sends it, about `object`.
fn event(kind: &str, object: Value) -> Value {
    json!({
        "id": unique("evt"), "object": "event", "api_version": "2024-06-20", "created": unix_now(),
        "livemode": false, "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null},
        "type": kind, "data": {"object": object}
    })
}

fn intent_object(intent: &Value) -> Value {
    json!({"id": intent["id"], "object": "payment_intent", "amount": intent["amount"], "currency": "eur",
           "status": intent["status"], "metadata": intent["metadata"], "latest_charge": "ch_3stand_in",
           "payment_method": intent["payment_method"], "livemode": false})
}

fn dispute_object(id: &str, intent_id: &str, amount: i64, status: &str) -> Value {
    let created = unix_now();
    json!({"id": id, "object": "dispute", "amount": amount, "currency": "eur", "charge": "ch_3stand_in",
           "payment_intent": intent_id, "reason": "fraudulent", "status": status, "created": created,
           "is_charge_refundable": false, "livemode": false, "metadata": {},
           "evidence_details": {"due_by": created + 7 * 86_400, "has_evidence": false, "past_due": false, "submission_count": 0}})
}

/// A charge refunded in full (Stripe's Charge object).
fn charge_refunded(intent_id: &str, amount: i64) -> Value {
    json!({"id": "ch_3stand_in", "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": amount,
           "currency": "eur", "captured": true, "paid": true, "refunded": true, "status": "succeeded",
           "payment_intent": intent_id, "metadata": {}})
}

/// A shop and an order of it paid with Stripe: the server, the product, the database, the
/// order, its PaymentIntent's id.
async fn paid_order(stand_in: &StandIn, more: &[&str]) -> (Server, String, String, Value, String) {
    let (server, product, database) = shop(stand_in, more).await;
    let order = server.place_order(&unique("key"), &stripe_order(&product, &stand_in.payment_method(PAID_CARD).await)).await;
    let order = order.expect(201).clone();
    let intent_id = stand_in.intents_of(order["id"].as_str().unwrap()).await[0]["id"].as_str().unwrap().to_owned();
    (server, product, database, order, intent_id)
}

async fn admin_get(server: &Server, path: &str) -> Value {
    server.send(server.admin_request(Method::GET, path, server.admin_token.as_deref().unwrap())).await.expect(200).clone()
}

async fn order_of(server: &Server, id: &str) -> Value {
    admin_get(server, &format!("/v1/admin/orders/{id}")).await
}

/// E-mails queued for shoppers, as the server's database holds them.
async fn emails(database: &str) -> i64 {
    database_number(database, "SELECT COUNT(*) FROM outbox WHERE kind = 'email'").await
}

/// The statuses an order went through.
fn history(order: &Value) -> Vec<String> {
    order["history"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap().to_owned()).collect()
}

/// A request cut: Stripe charged, and the server was killed before it heard back (the
/// shopper's page gets no answer and is closed). The server is started again on the same
/// database: it, the cut request (key, body), the order's PaymentIntent, and the database.
async fn charged_then_killed(stand_in: &StandIn) -> (Server, String, Value, Value, String) {
    let (server, key, body, intent, database, _) = confirmed_then_killed(stand_in, PAID_CARD).await;
    assert_eq!(intent["status"], "succeeded", "Stripe charged");
    (server, key, body, intent, database)
}

/// [`charged_then_killed`] with any card, and the product.
async fn confirmed_then_killed(stand_in: &StandIn, card: &str) -> (Server, String, Value, Value, String, String) {
    let (server, product, database) = shop(stand_in, &[]).await;
    let (key, body) = (unique("key"), stripe_order(&product, &stand_in.payment_method(card).await));
    stand_in.fault_next("/confirm", Fault::HangAfter);
    let cut = tokio::spawn(server.client.post(server.url("/v1/orders")).header("Idempotency-Key", &key).json(&body).send());
    stand_in.faulted.notified().await;
    let scratch = server.kill9().await;
    assert!(cut.await.unwrap().is_err(), "the request was cut");
    let server = stripe_server(stand_in, scratch, &[]).await;
    // The order's id is in the idempotency key of its intent (`shoppable:ORDER:intent`).
    let made = stand_in.requests().into_iter().rfind(|(m, path, _)| m == Method::POST && path == "/v1/payment_intents");
    let order_id = made.and_then(|(_, _, key)| Some(key?.split(':').nth(1)?.to_owned())).expect("an intent made for the order");
    let intent = stand_in.intents_of(&order_id).await.remove(0);
    (server, key, body, intent, database, product)
}

/// Receives localstripe's webhooks in the test: (body, `Stripe-Signature`) of each.
struct Collector {
    url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

impl Collector {
    async fn start() -> Collector {
        let received: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
        let kept = received.clone();
        let app = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                kept.lock().unwrap().push((body, signature));
                "ok"
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Collector { url, received }
    }

    /// The first event of this type about this order, once it came (30 s at most).
    async fn event_of(&self, kind: &str, order_id: &str) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = self
                .received
                .lock()
                .unwrap()
                .iter()
                .find(|(body, _)| {
                    let event: Value = serde_json::from_str(body).unwrap_or_default();
                    event["type"] == kind && event["data"]["object"]["metadata"]["order_id"] == order_id
                })
                .cloned();
            if let Some(found) = found {
                return found;
            }
            assert!(Instant::now() < deadline, "localstripe sent no {kind} for {order_id}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn a_payment_confirmed_after_the_page_and_the_server_were_gone_makes_the_order_paid_once() {
    if skip_when_remote("a_payment_confirmed_after_the_page_and_the_server_were_gone_makes_the_order_paid_once") {
        return;
    }
    let stand_in = StandIn::start().await;
    let collector = Collector::start().await;
    stand_in.send_webhooks_to(&unique("collector"), &collector.url, WEBHOOK_SECRET).await;
    let (server, key, body, intent, database) = charged_then_killed(&stand_in).await;
    let order_id = intent["metadata"]["order_id"].as_str().unwrap().to_owned();
    assert_eq!(order_of(&server, &order_id).await["status"], "placed", "nothing settled it yet");

    // localstripe's own event, as it signed it, reaches the new server.
    let (event, signed) = collector.event_of("payment_intent.succeeded", &order_id).await;
    deliver_signed(&server, &event, Some(&signed)).await.expect(200);
    let order = order_of(&server, &order_id).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(order["payment"]["last4"], "4242");
    assert_eq!(history(&order), ["placed", "paid"]);

    // Delivered again: nothing more happens.
    deliver_signed(&server, &event, Some(&signed)).await.expect(200);
    assert_eq!(history(&order_of(&server, &order_id).await), ["placed", "paid"]);
    assert_eq!(emails(&database).await, 1, "one confirmation e-mail");

    // The shopper comes back and retries: the paid order, with its secret; no second charge.
    let retry = server.place_order(&key, &body).await;
    let retry = retry.expect(201);
    assert_eq!((retry["id"].as_str().unwrap(), retry["status"].as_str().unwrap()), (order_id.as_str(), "paid"));
    assert!(retry["secret"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(stand_in.intents_of(&order_id).await.len(), 1, "charged once");
    assert_eq!(emails(&database).await, 1);
}

#[tokio::test]
async fn a_payment_declined_after_the_page_and_the_server_were_gone_releases_the_order_and_its_stock() {
    if skip_when_remote("a_payment_declined_after_the_page_and_the_server_were_gone_releases_the_order_and_its_stock") {
        return;
    }
    let stand_in = StandIn::start().await;
    let collector = Collector::start().await;
    stand_in.send_webhooks_to(&unique("collector"), &collector.url, WEBHOOK_SECRET).await;
    // Declined when charged (Stripe's "charge fails" test card).
    let (server, key, body, intent, database, product) = confirmed_then_killed(&stand_in, "4000000000000341").await;
    let order_id = intent["metadata"]["order_id"].as_str().unwrap().to_owned();
    let stock = || async { server.get(&format!("/v1/products/{product}")).await.expect(200)["variants"][0]["stock"].clone() };
    assert_eq!(stock().await, 9, "the unit is held by the order left placed");

    let (event, signed) = collector.event_of("payment_intent.payment_failed", &order_id).await;
    deliver_signed(&server, &event, Some(&signed)).await.expect(200);
    let gone = server
        .send(server.admin_request(Method::GET, &format!("/v1/admin/orders/{order_id}"), server.admin_token.as_deref().unwrap()))
        .await;
    gone.expect_error(404, "not_found");
    assert_eq!(stock().await, 10, "the unit is back");
    deliver_signed(&server, &event, Some(&signed)).await.expect(200);
    assert_eq!(stock().await, 10, "once");
    assert_eq!(emails(&database).await, 0);

    // The shopper comes back: the same request runs again (and the card is declined again).
    server.place_order(&key, &body).await.expect_error(402, "card_declined");
    assert_eq!(stock().await, 10);
}

#[tokio::test]
async fn an_event_without_a_valid_recent_signature_is_refused_and_changes_nothing() {
    if skip_when_remote("an_event_without_a_valid_recent_signature_is_refused_and_changes_nothing") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, _, _, intent, database) = charged_then_killed(&stand_in).await;
    let order_id = intent["metadata"]["order_id"].as_str().unwrap().to_owned();
    let succeeded = event("payment_intent.succeeded", intent_object(&intent));
    let body = succeeded.to_string();
    let now = unix_now();

    let refusals = [
        deliver_signed(&server, &body, None).await,
        deliver_signed(&server, &body, Some(&signature("whsec_someone_else", now, &body))).await,
        deliver_signed(&server, &body, Some(&signature(WEBHOOK_SECRET, now, &body).replace("v1=", "v0="))).await,
        // Signed for another body.
        deliver_signed(&server, &body, Some(&signature(WEBHOOK_SECRET, now, &body.replace("succeeded", "canceled")))).await,
        // A delivery recorded 10 minutes ago and replayed.
        deliver_signed(&server, &body, Some(&signature(WEBHOOK_SECRET, now - 600, &body))).await,
    ];
    for refusal in &refusals {
        refusal.expect_error(400, "malformed_request");
        assert_eq!(refusal.field(), "Stripe-Signature");
    }
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    deliver_signed(&server, &huge, Some(&signature(WEBHOOK_SECRET, now, &huge))).await.expect_error(413, "payload_too_large");
    assert_eq!(order_of(&server, &order_id).await["status"], "placed", "nothing changed");
    assert_eq!(emails(&database).await, 0);
    assert_eq!(database_number(&database, "SELECT COUNT(*) FROM stripe_events").await, 0, "no event recorded");

    // The same event, signed (by a secret being rolled, next to the old one): counted.
    let both = format!("{},v1={}", signature(WEBHOOK_SECRET, now, &body), "0".repeat(64));
    deliver_signed(&server, &body, Some(&both)).await.expect(200);
    assert_eq!(order_of(&server, &order_id).await["status"], "paid");
    assert_eq!(emails(&database).await, 1);
}

#[tokio::test]
async fn a_server_killed_between_an_events_receipt_and_its_effect_applies_the_redelivery_once() {
    if skip_when_remote("a_server_killed_between_an_events_receipt_and_its_effect_applies_the_redelivery_once") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, _, _, intent, database) = charged_then_killed(&stand_in).await;
    let (order_id, intent_id) = (intent["metadata"]["order_id"].as_str().unwrap().to_owned(), intent["id"].as_str().unwrap().to_owned());
    let succeeded = event("payment_intent.succeeded", intent_object(&intent));

    // The server reads the intent at Stripe, and is killed before it hears back.
    stand_in.fault_next(&intent_id, Fault::HangAfter);
    let body = succeeded.to_string();
    let first = {
        let request = server
            .client
            .post(server.url("/v1/payments/stripe/webhook"))
            .header("Stripe-Signature", signature(WEBHOOK_SECRET, unix_now(), &body))
            .body(body.clone());
        tokio::spawn(request.send())
    };
    stand_in.faulted.notified().await;
    let scratch = server.kill9().await;
    assert!(first.await.unwrap().is_err(), "Stripe saw no answer: it delivers again");
    assert_eq!(database_number(&database, "SELECT COUNT(*) FROM stripe_events").await, 0);
    let server = stripe_server(&stand_in, scratch, &[]).await;

    // Stripe's redelivery (signed anew), and a copy of it at the same time.
    let answers = tokio::join!(deliver(&server, &succeeded), deliver(&server, &succeeded));
    answers.0.expect(200);
    answers.1.expect(200);
    let order = order_of(&server, &order_id).await;
    assert_eq!(history(&order), ["placed", "paid"]);
    assert_eq!(emails(&database).await, 1, "one confirmation e-mail");
}

#[tokio::test]
async fn a_refund_made_at_stripe_and_a_dispute_show_on_the_order_once_however_often_stripe_tells() {
    if skip_when_remote("a_refund_made_at_stripe_and_a_dispute_show_on_the_order_once_however_often_stripe_tells") {
        return;
    }
    let stand_in = StandIn::start().await;
    let hooks = Receiver::start(true).await;
    let (server, product, database, order, intent_id) = paid_order(&stand_in, &["--webhook-url", &hooks.url]).await;
    let (id, total) = (order["id"].as_str().unwrap().to_owned(), order["total"]["amount"].as_i64().unwrap());

    // A dispute opened by the shopper's bank, told eight times at once.
    let dispute_id = unique("dp");
    let opened = event("charge.dispute.created", dispute_object(&dispute_id, &intent_id, total, "needs_response"));
    let forged = event("charge.dispute.created", dispute_object(&unique("dp"), &intent_id, total, "needs_response"));
    let forged_body = forged.to_string();
    deliver_signed(&server, &forged_body, Some(&signature("whsec_forger", unix_now(), &forged_body)))
        .await
        .expect_error(400, "malformed_request");
    let mut copies = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (request, body) = (server.client.post(server.url("/v1/payments/stripe/webhook")), opened.to_string());
        copies.spawn(request.header("Stripe-Signature", signature(WEBHOOK_SECRET, unix_now(), &body)).body(body).send());
    }
    for answer in copies.join_all().await {
        assert_eq!(answer.unwrap().status(), 200);
    }
    let list = admin_get(&server, "/v1/admin/disputes").await;
    let disputes = list["disputes"].as_array().unwrap();
    assert_eq!(disputes.len(), 1, "{list}");
    assert_eq!(disputes[0]["id"], dispute_id.as_str());
    assert_eq!(disputes[0]["order_number"], order["number"]);
    assert_eq!(disputes[0]["status"], "open");
    assert_eq!(disputes[0]["amount"], order["total"]);
    assert_eq!(disputes[0]["reason"], "fraudulent");
    assert!(disputes[0]["respond_by"].is_string());
    let of_order = admin_get(&server, &format!("/v1/admin/disputes?order_id={id}")).await;
    assert_eq!(of_order["disputes"], list["disputes"]);
    assert_eq!(admin_get(&server, "/v1/admin/disputes?order_id=ord_other").await["disputes"], json!([]));

    // Lost: the console shows it closed. Stripe tells the outcome in two events.
    for _ in 0..2 {
        deliver(&server, &event("charge.dispute.closed", dispute_object(&dispute_id, &intent_id, total, "lost"))).await.expect(200);
    }
    let closed = admin_get(&server, "/v1/admin/disputes").await["disputes"][0].clone();
    assert_eq!((closed["status"].as_str(), closed["closed_at"].is_string()), (Some("lost"), true));

    // Refunded in full in Stripe's dashboard; Stripe tells it four times at once.
    stand_in.refund_at_stripe(&intent_id, total, None).await;
    let refunded = event("charge.refunded", charge_refunded(&intent_id, total));
    let answers =
        tokio::join!(deliver(&server, &refunded), deliver(&server, &refunded), deliver(&server, &refunded), deliver(&server, &refunded));
    for answer in [answers.0, answers.1, answers.2, answers.3] {
        answer.expect(200);
    }
    let order = order_of(&server, &id).await;
    assert_eq!(history(&order), ["placed", "paid", "refunded"], "refunded once");
    assert_eq!(stand_in.refunds_of(&intent_id).await, [total], "not refunded a second time by the shop");
    assert_eq!(emails(&database).await, 2, "the confirmation, then one refund e-mail");
    assert_eq!(server.get(&format!("/v1/products/{product}")).await.expect(200)["variants"][0]["stock"], 10, "the unit is back");

    // The shop's webhook heard of the dispute and of its outcome once each, in order (events
    // are sent in order: a second one would have come before the refund's).
    hooks.wait_for(5).await;
    let told: Vec<_> = hooks.events().iter().map(|e| (e["type"].as_str().unwrap().to_owned(), e["dispute_id"].clone())).collect();
    let (none, dispute) = (Value::Null, json!(dispute_id));
    let expected = [
        ("order.placed", &none),
        ("order.paid", &none),
        ("dispute.opened", &dispute),
        ("dispute.closed", &dispute),
        ("order.status_changed", &none),
    ];
    assert_eq!(told, expected.map(|(kind, id)| (kind.to_owned(), id.clone())));
    assert!(hooks.events().iter().all(|e| e["order"]["id"] == id.as_str()));
}

#[tokio::test]
async fn a_refund_the_shop_made_is_not_told_again_as_one_made_at_stripe() {
    if skip_when_remote("a_refund_the_shop_made_is_not_told_again_as_one_made_at_stripe") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, _, database, order, intent_id) = paid_order(&stand_in, &[]).await;
    let (id, total) = (order["id"].as_str().unwrap().to_owned(), order["total"]["amount"].as_i64().unwrap());
    let ship = server.admin_request(Method::POST, &format!("/v1/admin/orders/{id}/ship"), server.admin_token.as_deref().unwrap());
    server.send(ship.json(&json!({"tracking_number": "6A1"}))).await.expect(200);
    // Stripe tells of a full refund that the shop's own refund is still waiting to record
    // (it is in Stripe's records with the shop's metadata).
    stand_in.refund_at_stripe(&intent_id, total, Some(&format!("{id}:order"))).await;
    let refunded = event("charge.refunded", charge_refunded(&intent_id, total));
    deliver(&server, &refunded).await.expect(200);
    assert_eq!(history(&order_of(&server, &id).await), ["placed", "paid", "shipped"], "the shop's refund records itself");
    assert_eq!(emails(&database).await, 2, "the confirmation and the shipping e-mails only");
}
