//! The `stripe` payment provider (issue 21) against a Stripe stand-in, offline: localstripe
//! behind a proxy that adds Stripe's idempotent requests (`stripe_stand_in`). What Stripe
//! records is checked at the stand-in, not in the shop's tables. On SQLite, or on PostgreSQL
//! with `scripts/with-postgres.sh`.

mod stripe_stand_in;
mod support;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use stripe_stand_in::{Fault, StandIn};
use support::*;

const PAID_CARD: &str = "4242424242424242";
/// Declined when charged (Stripe's "charge fails" test card, which localstripe knows).
const DECLINED_CARD: &str = "4000000000000341";
/// Asks for 3-D Secure on every payment.
const THREE_D_SECURE_CARD: &str = "4000002760003184";
/// Declined when attached to a Customer, as Stripe's docs and localstripe say.
const DECLINED_WHEN_SAVED_CARD: &str = "4000000000000002";

/// Crash recovery settles what was left for a second, each second.
const RECOVERY: [&str; 4] = ["--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"];

/// A server on Stripe (the stand-in) and `scratch`'s database.
async fn stripe_server(stand_in: &StandIn, scratch: Scratch) -> Server {
    let mut flags = stand_in.flags().to_vec();
    flags.extend(RECOVERY);
    Server::spawn_on(scratch, &flags, true).await
}

/// A shop on Stripe with one product at 12.00 EUR and 10 units.
async fn shop(stand_in: &StandIn) -> (Server, String) {
    shop_on(stand_in, Scratch::new().await).await
}

/// The same shop on a database the test reads too.
async fn shop_on(stand_in: &StandIn, scratch: Scratch) -> (Server, String) {
    let server = stripe_server(stand_in, scratch).await;
    let product = unique("mug");
    let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&product, "Mug", "12.00 EUR", "10"));
    server.import(server.admin_token.as_deref().unwrap(), &csv).await.expect(200);
    (server, product)
}

fn stripe_order(product: &str, quantity: u32, payment_method: &str) -> Value {
    let mut body = order_body(json!([{"variant_id": product, "quantity": quantity}]), payment_method);
    body["payment"]["provider"] = json!("stripe");
    body
}

async fn stock(server: &Server, product: &str) -> i64 {
    server.get(&format!("/v1/products/{product}")).await.expect(200)["variants"][0]["stock"].as_i64().unwrap()
}

async fn admin_post(server: &Server, path: &str, body: Option<Value>) -> Response {
    let request = server.admin_request(Method::POST, path, server.admin_token.as_deref().unwrap());
    server
        .send(match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
}

/// The one PaymentIntent of an order at Stripe.
async fn only_intent(stand_in: &StandIn, order_id: &str) -> Value {
    let intents = stand_in.intents_of(order_id).await;
    assert_eq!(intents.len(), 1, "one PaymentIntent for {order_id}: {intents:#?}");
    intents[0].clone()
}

#[tokio::test]
async fn a_card_is_charged_once_as_a_payment_intent_in_the_shops_currency() {
    if skip_when_remote("a_card_is_charged_once_as_a_payment_intent_in_the_shops_currency") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;
    let config = server.get("/v1/config").await;
    let methods = config.expect(200)["payment_methods"].as_array().unwrap().clone();
    assert_eq!(methods.iter().map(|m| m["provider"].clone()).collect::<Vec<_>>(), [json!("stripe")], "Stripe only: no test cards");

    let order = server.place_order(&unique("key"), &stripe_order(&product, 2, &stand_in.payment_method(PAID_CARD).await)).await;
    let order = order.expect(201).clone();
    assert_eq!(order["status"], "paid");
    assert_eq!(order["payment"], json!({"provider": "stripe", "brand": "visa", "last4": "4242"}));
    let intent = only_intent(&stand_in, order["id"].as_str().unwrap()).await;
    assert_eq!(intent["status"], "succeeded");
    assert_eq!((intent["amount"].clone(), intent["currency"].clone()), (order["total"]["amount"].clone(), json!("eur")));
    assert_eq!(stock(&server, &product).await, 8);

    // Every call to Stripe carried a key of its own, derived from the order.
    let id = order["id"].as_str().unwrap();
    let keys: Vec<_> = stand_in.requests().into_iter().filter(|(m, _, _)| m == Method::POST).filter_map(|(_, _, k)| k).collect();
    assert!(keys.len() >= 2 && keys.iter().all(|k| k.contains(id)), "{keys:?}");
    assert_eq!(keys.iter().collect::<std::collections::HashSet<_>>().len(), keys.len(), "{keys:?}");

    // A test card token is refused: a shop on Stripe takes no test payment.
    let mut test_card = stripe_order(&product, 1, "tok_test");
    test_card["payment"]["provider"] = json!("test");
    server.place_order(&unique("key"), &test_card).await.expect_error(422, "invalid_field");
    assert_eq!(stock(&server, &product).await, 8);
}

#[tokio::test]
async fn a_declined_card_and_an_unknown_payment_method_charge_nothing_and_3d_secure_holds_the_order() {
    if skip_when_remote("a_declined_card_and_an_unknown_payment_method_charge_nothing_and_3d_secure_holds_the_order") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;

    let declined = server.place_order(&unique("key"), &stripe_order(&product, 1, &stand_in.payment_method(DECLINED_CARD).await)).await;
    declined.expect_error(402, "card_declined");
    server.place_order(&unique("key"), &stripe_order(&product, 1, "pm_unknown")).await.expect_error(422, "invalid_payment_token");
    server.place_order(&unique("key"), &stripe_order(&product, 1, "tok_visa")).await.expect_error(422, "invalid_payment_token");

    assert_eq!(stock(&server, &product).await, 10, "no stock taken");
    let admin = server.admin_token.clone().unwrap();
    let orders = server.send(server.admin_request(Method::GET, "/v1/admin/orders?limit=50", &admin)).await;
    assert_eq!(orders.expect(200)["orders"], json!([]), "no order left");

    // 3-D Secure: the order is held, and the frame gets the intent's client secret (the
    // challenge itself runs in a browser: tests/e2e/stripe.test.js).
    let three_d = server.place_order(&unique("key"), &stripe_order(&product, 1, &stand_in.payment_method(THREE_D_SECURE_CARD).await)).await;
    let action = three_d.expect(202);
    assert_eq!(action["status"], "requires_action");
    assert_eq!(action["authentication"]["provider"], "stripe");
    assert!(action["authentication"]["client_secret"].as_str().is_some_and(|s| !s.is_empty()), "{action}");
    assert_eq!(stock(&server, &product).await, 9, "held while the bank asks");
}

#[tokio::test]
async fn a_3d_secure_challenge_completed_pays_once_and_a_failed_one_charges_nothing_and_releases_the_stock() {
    if skip_when_remote("a_3d_secure_challenge_completed_pays_once_and_a_failed_one_charges_nothing_and_releases_the_stock") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;

    // Completed: the same request with the same key is held while the bank asks, then paid,
    // and the same paid order on every retry.
    let key = unique("key");
    let order = stripe_order(&product, 1, &stand_in.payment_method(THREE_D_SECURE_CARD).await);
    let held = server.place_order(&key, &order).await;
    let secret = held.expect(202)["authentication"]["client_secret"].as_str().unwrap().to_owned();
    let order_id = held.expect(202)["order_id"].as_str().unwrap().to_owned();
    server.place_order(&key, &order).await.expect(202);
    stand_in.authenticate(&secret, true).await;
    let paid = server.place_order(&key, &order).await.expect(201).clone();
    assert_eq!((paid["id"].as_str(), paid["status"].as_str()), (Some(order_id.as_str()), Some("paid")));
    assert_eq!(server.place_order(&key, &order).await.expect(201)["id"], paid["id"], "a retry gets the same order");
    assert_eq!(only_intent(&stand_in, &order_id).await["status"], "succeeded", "charged once");
    assert_eq!(stock(&server, &product).await, 9);

    // Failed: refused with a clear code, the intent can never charge, the unit back in stock.
    let key = unique("key");
    let order = stripe_order(&product, 1, &stand_in.payment_method(THREE_D_SECURE_CARD).await);
    let held = server.place_order(&key, &order).await;
    let secret = held.expect(202)["authentication"]["client_secret"].as_str().unwrap().to_owned();
    let order_id = held.expect(202)["order_id"].as_str().unwrap().to_owned();
    assert_eq!(stock(&server, &product).await, 8, "held while the bank asks");
    stand_in.authenticate(&secret, false).await;
    server.place_order(&key, &order).await.expect_error(402, "authentication_failed");
    assert_ne!(only_intent(&stand_in, &order_id).await["status"], "succeeded", "nothing charged");
    assert_eq!(stock(&server, &product).await, 9, "the unit back in stock");
}

#[tokio::test]
async fn a_cancellation_and_partial_and_whole_refunds_are_refunded_at_stripe_exactly() {
    if skip_when_remote("a_cancellation_and_partial_and_whole_refunds_are_refunded_at_stripe_exactly") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;

    // Cancelled by the shopper: refunded in full.
    let cancelled = server.place_order(&unique("key"), &stripe_order(&product, 1, &stand_in.payment_method(PAID_CARD).await)).await;
    let cancelled = cancelled.expect(201).clone();
    let id = cancelled["id"].as_str().unwrap();
    let cancel = server.order_with_secret(Method::POST, &format!("/v1/orders/{id}/cancel"), cancelled["secret"].as_str().unwrap()).await;
    assert_eq!(cancel.expect(200)["status"], "cancelled");
    let intent = only_intent(&stand_in, id).await;
    assert_eq!(stand_in.refunds_of(intent["id"].as_str().unwrap()).await, [cancelled["total"]["amount"].as_i64().unwrap()]);

    // Delivered, two units of three returned and refunded, then the whole order refunded.
    let order = server.place_order(&unique("key"), &stripe_order(&product, 3, &stand_in.payment_method(PAID_CARD).await)).await;
    let order = order.expect(201).clone();
    let (id, total) = (order["id"].as_str().unwrap(), order["total"]["amount"].as_i64().unwrap());
    admin_post(&server, &format!("/v1/admin/orders/{id}/ship"), Some(json!({"tracking_number": "6A1"}))).await.expect(200);
    admin_post(&server, &format!("/v1/admin/orders/{id}/deliver"), None).await.expect(200);
    let ask = server
        .client
        .post(server.url(&format!("/v1/orders/{id}/returns")))
        .header("Order-Secret", order["secret"].as_str().unwrap())
        .json(&json!({"lines": [{"line": 0, "quantity": 2}], "reason": "Chipped"}));
    let ret = server.send(ask).await;
    let ret_id = ret.expect(201)["returns"][0]["id"].as_str().unwrap().to_owned();
    for step in ["approve", "receive", "refund"] {
        let body = if step == "approve" { Some(json!({})) } else { None };
        admin_post(&server, &format!("/v1/admin/orders/{id}/returns/{ret_id}/{step}"), body).await.expect(200);
    }
    let intent_id = only_intent(&stand_in, id).await["id"].as_str().unwrap().to_owned();
    assert_eq!(stand_in.refunds_of(&intent_id).await, [2400], "two units of 12.00");
    let whole = admin_post(&server, &format!("/v1/admin/orders/{id}/refund"), None).await;
    assert_eq!(whole.expect(200)["status"], "refunded");
    let (mut refunds, mut expected) = (stand_in.refunds_of(&intent_id).await, [2400, total - 2400]);
    refunds.sort();
    expected.sort();
    assert_eq!(refunds, expected, "the rest, and never more than was charged");
}

#[tokio::test]
async fn retries_of_one_order_charge_once_even_when_stripes_answer_is_lost() {
    if skip_when_remote("retries_of_one_order_charge_once_even_when_stripes_answer_is_lost") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;

    // The shopper's double click: the same request with the same key, several at once.
    let (key, body) = (unique("key"), stripe_order(&product, 1, &stand_in.payment_method(PAID_CARD).await));
    let answers = same_request_at_once(&server, &key, &body, 5).await;
    let paid: Vec<_> = answers.iter().filter(|a| a.status == 201).collect();
    assert!(!paid.is_empty(), "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    assert!(answers.iter().all(|a| a.status == 201 || a.code() == "idempotency_key_in_use"));
    let id = paid[0].body["id"].as_str().unwrap();
    assert!(paid.iter().all(|a| a.body["id"] == id));
    let again = server.place_order(&key, &body).await;
    assert_eq!(again.expect(201)["id"], id);
    assert_eq!(only_intent(&stand_in, id).await["status"], "succeeded");

    // Stripe charges, and its answer is lost on the way: the server asks again with the same
    // idempotency key and gets the first answer, not a second charge.
    stand_in.fault_next("/confirm", Fault::LoseAnswer);
    let order = server.place_order(&unique("key"), &stripe_order(&product, 1, &stand_in.payment_method(PAID_CARD).await)).await;
    let order = order.expect(201).clone();
    let id = order["id"].as_str().unwrap();
    assert_eq!(only_intent(&stand_in, id).await["status"], "succeeded");
    let confirms: Vec<_> = stand_in
        .requests()
        .into_iter()
        .filter(|(_, path, key)| path.ends_with("/confirm") && key.as_deref().is_some_and(|k| k.contains(id)))
        .collect();
    assert_eq!(confirms.len(), 2, "asked twice: {confirms:?}");
    assert_eq!(confirms[0].2, confirms[1].2, "with one key");
    assert_eq!(stock(&server, &product).await, 8);
}

/// `count` copies of one order request at once: their statuses and bodies.
async fn same_request_at_once(server: &Server, key: &str, body: &Value, count: usize) -> Vec<Response> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let request = server.client.post(server.url("/v1/orders")).header("Idempotency-Key", key).json(body);
        tasks.spawn(async move {
            let response = request.send().await.unwrap();
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            Response { status, headers, body: response.json().await.unwrap() }
        });
    }
    tasks.join_all().await
}

/// Retries an order request until it gets a final answer (recovery released or settled it).
async fn retry_until_answered(server: &Server, key: &str, body: &Value) -> Response {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = server.place_order(key, body).await;
        if answer.code() != "idempotency_key_in_use" || Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A shop whose server is killed while it confirms a charge (`fault`: before or after Stripe
/// heard it), then started again on the same database: the new server, the product, and the
/// cut order request (key and body) for the shopper to retry.
async fn killed_while_confirming(stand_in: &StandIn, fault: Fault) -> (Server, String, String, Value) {
    let (server, product) = shop(stand_in).await;
    let (key, body) = (unique("key"), stripe_order(&product, 1, &stand_in.payment_method(PAID_CARD).await));
    stand_in.fault_next("/confirm", fault);
    let cut = tokio::spawn(server.client.post(server.url("/v1/orders")).header("Idempotency-Key", &key).json(&body).send());
    stand_in.faulted.notified().await;
    let scratch = server.kill9().await;
    assert!(cut.await.unwrap().is_err(), "the request was cut");
    (stripe_server(stand_in, scratch).await, product, key, body)
}

#[tokio::test]
async fn a_server_killed_between_the_charge_and_its_record_is_recovered_without_a_second_charge() {
    if skip_when_remote("a_server_killed_between_the_charge_and_its_record_is_recovered_without_a_second_charge") {
        return;
    }
    // Stripe charges; the server is killed before it hears back.
    let stand_in = StandIn::start().await;
    let (server, product, key, body) = killed_while_confirming(&stand_in, Fault::HangAfter).await;
    let order = retry_until_answered(&server, &key, &body).await;
    let order = order.expect(201).clone();
    assert_eq!(order["status"], "paid", "recovery found the charge");
    assert_eq!(order["payment"]["last4"], "4242");
    let id = order["id"].as_str().unwrap();
    assert_eq!(only_intent(&stand_in, id).await["status"], "succeeded", "charged once");
    assert_eq!(stock(&server, &product).await, 9);
}

#[tokio::test]
async fn a_server_killed_before_the_charge_releases_the_order_and_a_retry_charges_once() {
    if skip_when_remote("a_server_killed_before_the_charge_releases_the_order_and_a_retry_charges_once") {
        return;
    }
    // The intent is made and recorded; the server is killed before Stripe hears the confirmation.
    let stand_in = StandIn::start().await;
    let (server, product, key, body) = killed_while_confirming(&stand_in, Fault::HangBefore).await;

    // Recovery cancels the intent left unconfirmed, so it can never charge, and releases the
    // order: the retry places a new one, charged once.
    let order = retry_until_answered(&server, &key, &body).await;
    let order = order.expect(201).clone();
    assert_eq!(order["status"], "paid");
    let all_intents: Vec<_> =
        stand_in.requests().into_iter().filter(|(m, path, _)| m == Method::POST && path == "/v1/payment_intents").collect();
    assert_eq!(all_intents.len(), 2, "one intent per order: {all_intents:?}");
    let first_order = all_intents[0].2.as_deref().unwrap().split(':').nth(1).unwrap().to_owned();
    assert_ne!(first_order, order["id"].as_str().unwrap());
    assert_eq!(only_intent(&stand_in, &first_order).await["status"], "canceled");
    assert_eq!(only_intent(&stand_in, order["id"].as_str().unwrap()).await["status"], "succeeded");
    assert_eq!(stock(&server, &product).await, 9);
}

#[tokio::test]
async fn stripes_card_form_is_served_from_the_payments_origin_with_stripe_js_and_the_publishable_key_only() {
    if skip_when_remote("stripes_card_form_is_served_from_the_payments_origin_with_stripe_js_and_the_publishable_key_only") {
        return;
    }
    let stand_in = StandIn::start().await;
    let server = stripe_server(&stand_in, Scratch::new().await).await;
    let payments = server.payments.clone().expect("a payments origin");
    let config = server.get("/v1/config").await;
    let frame_url = config.expect(200)["payment_methods"][0]["frame_url"].as_str().unwrap().to_owned();
    assert_eq!(frame_url, format!("{payments}/v1/payments/stripe/frame"));

    let site = server.base.clone();
    let page = server.client.get(&frame_url).query(&[("origin", site.as_str()), ("lang", "fr")]).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!(r#"<script src="{}/js.stripe.com/v3/"></script>"#, stand_in.url)), "{html}");
    assert!(html.contains(r#"content="pk_test_shoppable""#), "{html}");
    assert!(!html.contains("sk_test"), "the secret key never leaves the server");
    assert!(policy.contains(&format!("script-src 'self' {}", stand_in.url)), "{policy}");
    assert!(policy.contains(&format!("frame-ancestors {site}")), "{policy}");
    for asset in ["stripe.js", "contract.js", "frame.css"] {
        let answer = server.client.get(format!("{payments}/v1/payments/stripe/{asset}")).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{asset}");
    }
    let elsewhere = server.client.get(&frame_url).query(&[("origin", "https://evil.example")]).send().await.unwrap();
    assert_eq!(elsewhere.status(), 403, "no form for a page that may not show it");
}

/// A request of the Stripe card form to its own origin's endpoints for saved cards.
async fn saved_cards(server: &Server, method: Method, path: &str, body: Option<Value>) -> Response {
    let payments = server.payments.clone().expect("a payments origin");
    let request = server.client.request(method, format!("{payments}/v1/payments/stripe/cards{path}")).header("Origin", &payments);
    server
        .send(match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
}

#[tokio::test]
async fn a_saved_card_is_a_customer_with_its_payment_method_and_each_payment_takes_a_single_use_token() {
    if skip_when_remote("a_saved_card_is_a_customer_with_its_payment_method_and_each_payment_takes_a_single_use_token") {
        return;
    }
    let stand_in = StandIn::start().await;
    let (server, product) = shop(&stand_in).await;

    // "Remember this card": a Customer at Stripe with the PaymentMethod attached; Stripe's
    // answer is lost once, and the retry with the same key gets it: one Customer.
    let method = stand_in.payment_method(PAID_CARD).await;
    stand_in.fault_next("/v1/customers", Fault::LoseAnswer);
    let saved = saved_cards(&server, Method::POST, "", Some(json!({"payment_method": method}))).await;
    let saved = saved.expect(201).clone();
    let customer = saved["card"]["customer"].as_str().unwrap().to_owned();
    assert!(customer.starts_with("cus_"), "{saved}");
    assert_eq!(
        saved["card"],
        json!({"id": method, "customer": customer, "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2040})
    );
    assert_eq!(stand_in.object(&format!("/v1/payment_methods/{method}")).await["customer"], customer.as_str());
    let asked: Vec<_> = stand_in.requests().into_iter().filter(|(m, path, _)| m == Method::POST && path == "/v1/customers").collect();
    assert_eq!(asked.len(), 2, "asked twice: {asked:?}");
    assert_eq!(asked[0].2, asked[1].2, "with one key, so Stripe makes one Customer");

    // The token pays one order, charged with the Customer and its PaymentMethod.
    let token = saved["token"].as_str().unwrap().to_owned();
    assert!(!token.contains(&method) && !token.contains(&customer), "the page never gets the ids: {token}");
    let order = server.place_order(&unique("key"), &stripe_order(&product, 1, &token)).await;
    let order = order.expect(201).clone();
    assert_eq!(order["payment"], json!({"provider": "stripe", "brand": "visa", "last4": "4242"}));
    let intent = only_intent(&stand_in, order["id"].as_str().unwrap()).await;
    assert_eq!(
        (intent["status"].clone(), intent["customer"].clone(), intent["payment_method"].clone()),
        (json!("succeeded"), json!(customer), json!(method))
    );
    // Spent: a page that kept it cannot pay another order with it.
    server.place_order(&unique("key"), &stripe_order(&product, 1, &token)).await.expect_error(422, "invalid_payment_token");

    // The next purchase: a new token for the saved card, from the form's origin only.
    let path = format!("/{method}/tokens");
    let again = saved_cards(&server, Method::POST, &path, Some(json!({"customer": customer}))).await;
    let again = again.expect(201).clone();
    assert_eq!(again["card"], saved["card"]);
    let second = server.place_order(&unique("key"), &stripe_order(&product, 2, again["token"].as_str().unwrap())).await;
    let second = second.expect(201).clone();
    let intent = only_intent(&stand_in, second["id"].as_str().unwrap()).await;
    assert_eq!(
        (intent["status"].clone(), intent["customer"].clone(), intent["amount"].clone()),
        (json!("succeeded"), json!(customer), second["total"]["amount"].clone())
    );
    let stranger = saved_cards(&server, Method::POST, &path, Some(json!({"customer": "cus_someone_else"}))).await;
    stranger.expect_error(422, "invalid_payment_token");
    let payments = server.payments.clone().unwrap();
    for origin in [Some(server.base.as_str()), None] {
        let mut request = server.client.post(format!("{payments}/v1/payments/stripe/cards{path}")).json(&json!({"customer": customer}));
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        server.send(request).await.expect_error(403, "origin_not_allowed");
    }

    // "Forget this card": detached at Stripe, and no token for it any more.
    saved_cards(&server, Method::DELETE, &format!("/{method}?customer={customer}"), None).await.expect(204);
    assert_eq!(stand_in.object(&format!("/v1/payment_methods/{method}")).await["customer"], Value::Null);
    saved_cards(&server, Method::POST, &path, Some(json!({"customer": customer}))).await.expect_error(422, "invalid_payment_token");
    saved_cards(&server, Method::DELETE, &format!("/{method}?customer={customer}"), None).await.expect(204);

    // Every call to Stripe carried an idempotency key; one key is never used for two steps.
    let posts: Vec<_> = stand_in.requests().into_iter().filter(|(m, _, _)| m == Method::POST).collect();
    assert!(posts.iter().all(|(_, _, key)| key.is_some()), "{posts:?}");
    let mut steps: Vec<_> = posts.iter().map(|(_, path, key)| (key.clone().unwrap(), path.clone())).collect();
    steps.sort();
    steps.dedup();
    let keys: std::collections::HashSet<_> = steps.iter().map(|(key, _)| key).collect();
    assert_eq!(keys.len(), steps.len(), "{steps:?}");
    assert_eq!(stock(&server, &product).await, 7);
}

#[tokio::test]
async fn a_saved_cards_token_that_expired_unspent_pays_nothing_and_goes_when_the_next_is_made() {
    if skip_when_remote("a_saved_cards_token_that_expired_unspent_pays_nothing_and_goes_when_the_next_is_made") {
        return;
    }
    let stand_in = StandIn::start().await;
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let (server, product) = shop_on(&stand_in, scratch).await;
    let method = stand_in.payment_method(PAID_CARD).await;
    let saved = saved_cards(&server, Method::POST, "", Some(json!({"payment_method": method}))).await.expect(201).clone();
    let (expired, customer) = (saved["token"].as_str().unwrap().to_owned(), saved["card"]["customer"].as_str().unwrap().to_owned());

    // An hour later, unspent: it pays nothing.
    let mut conn = database_connection(&database).await;
    sqlx::query("UPDATE stripe_saved_card_tokens SET created_at = created_at - 3601").execute(&mut conn).await.unwrap();
    server.place_order(&unique("key"), &stripe_order(&product, 1, &expired)).await.expect_error(422, "invalid_payment_token");
    // The next purchase's token pays, and the expired one is gone from the shop's database.
    let again = saved_cards(&server, Method::POST, &format!("/{method}/tokens"), Some(json!({"customer": customer}))).await;
    let fresh = again.expect(201)["token"].as_str().unwrap().to_owned();
    server.place_order(&unique("key"), &stripe_order(&product, 1, &fresh)).await.expect(201);
    let kept = |token: &str| format!("SELECT COUNT(*) FROM stripe_saved_card_tokens WHERE token = '{token}'");
    assert_eq!((database_number(&database, &kept(&expired)).await, database_number(&database, &kept(&fresh)).await), (0, 1));
    assert_eq!(stock(&server, &product).await, 9, "one mug sold, by the fresh token alone");
}

#[tokio::test]
async fn a_card_declined_when_saved_is_told_and_nothing_is_saved() {
    if skip_when_remote("a_card_declined_when_saved_is_told_and_nothing_is_saved") {
        return;
    }
    let stand_in = StandIn::start().await;
    let server = stripe_server(&stand_in, Scratch::new().await).await;
    let method = stand_in.payment_method(DECLINED_WHEN_SAVED_CARD).await;
    let declined = saved_cards(&server, Method::POST, "", Some(json!({"payment_method": method}))).await;
    declined.expect_error(402, "card_declined");
    assert_eq!(stand_in.object(&format!("/v1/payment_methods/{method}")).await["customer"], Value::Null);
    let unknown = saved_cards(&server, Method::POST, "", Some(json!({"payment_method": "pm_unknown"}))).await;
    unknown.expect_error(422, "invalid_payment_token");
    saved_cards(&server, Method::POST, "", Some(json!({"payment_method": "tok_visa"}))).await.expect_error(422, "invalid_payment_token");
}
