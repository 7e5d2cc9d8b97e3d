//! The `test` provider's card form on its own origin (`--payments-listen`, issue 11): what the
//! reference server announces and serves there, and its vault of remembered cards, whose
//! tokens pay orders like any other. Runs on SQLite, or on PostgreSQL with
//! `scripts/with-postgres.sh`.

mod support;

use std::process::Stdio;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use tokio::io::{AsyncBufReadExt, BufReader};

const ORIGIN: &str = "https://blog.example";

/// A server with `--payments-listen`: (the API's base URL, the payments origin, the process).
async fn spawn_with_frame(scratch: &Scratch) -> (String, String, tokio::process::Child) {
    let mut command = server_command(&scratch.database);
    command
        .args(["--listen", "127.0.0.1:0", "--payments-listen", "127.0.0.1:0", "--allowed-origin", ORIGIN, "--seed-demo"])
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("start shoppable-server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = async || tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await.unwrap().unwrap().unwrap();
    let payments = next().await.strip_prefix("payments frame on ").expect("the payments origin first").to_owned();
    let base = next().await.strip_prefix("listening on ").expect("then the API").to_owned();
    (base, payments, child)
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn order(token: &str) -> Value {
    json!({
        "lines": [{"variant_id": "cafe-moka", "quantity": 1}],
        "address": {"name": "Camille Martin", "email": "camille@example.com", "line1": "12 rue des Lilas",
                    "postal_code": "75011", "city": "Paris", "country": "FR"},
        "shipping_option": "standard",
        "payment": {"provider": "test", "token": token}
    })
}

#[tokio::test]
async fn the_card_form_lives_on_its_own_origin_with_a_vault_of_remembered_cards() {
    if skip_when_remote("the_card_form_lives_on_its_own_origin_with_a_vault_of_remembered_cards") {
        return;
    }
    let scratch = Scratch::new().await;
    let (base, payments, _child) = spawn_with_frame(&scratch).await;
    let client = reqwest::Client::new();

    // Announced in the configuration, on another origin than the API.
    let (_, config) = send(client.get(format!("{base}/v1/config"))).await;
    let frame_url = config["payment_methods"][0]["frame_url"].as_str().unwrap().to_owned();
    assert_eq!(frame_url, format!("{payments}/v1/payments/test/frame"));
    assert_ne!(payments, base);

    // Served to the allowed origins only, which frame-ancestors names.
    let page = client.get(&frame_url).query(&[("origin", ORIGIN), ("lang", "fr")]).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let port = base.rsplit(':').next().unwrap();
    assert!(policy.ends_with(&format!("frame-ancestors {ORIGIN} http://127.0.0.1:{port} http://localhost:{port}")), "{policy}");
    assert!(policy.contains("default-src 'none'; script-src 'self'"), "{policy}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(page.text().await.unwrap().contains(r#"autocomplete="cc-number""#));
    let refused = client.get(&frame_url).query(&[("origin", "https://evil.example")]).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    for asset in ["frame.js", "frame.css"] {
        let response = client.get(format!("{payments}/v1/payments/test/{asset}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
    }

    // Tokenization on the payments origin, as on the API (which keeps working for clients
    // without a frame).
    let card = json!({"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2040, "cvc": "123"});
    let (status, token) = send(client.post(format!("{payments}/v1/payments/test/tokens")).json(&card)).await;
    assert_eq!(status, 201, "{token}");
    let (status, _) = send(client.post(format!("{base}/v1/payments/test/tokens")).json(&card)).await;
    assert_eq!(status, 201);

    // The vault answers the form only, whose requests carry its origin: a write without an
    // `Origin` (a script outside any browser, replaying a card id) is refused.
    let (status, body) = send(client.post(format!("{payments}/v1/payments/test/cards")).json(&card)).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (403, "origin_not_allowed"));
    let vault = |method: Method, path: &str| client.request(method, format!("{payments}{path}")).header("Origin", &payments);

    // "Remember this card": a token now, and a card id for the next purchases.
    let (status, remembered) = send(vault(Method::POST, "/v1/payments/test/cards").json(&card)).await;
    assert_eq!(status, 201, "{remembered}");
    assert_eq!(remembered["card"]["brand"], "visa");
    assert_eq!(remembered["card"]["last4"], "4242");
    assert_eq!(remembered["card"]["exp_year"], 2040);
    let id = remembered["card"]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("card_") && id.len() == 5 + 48, "{id}");
    // Each purchase gets a new single-use token from it, which pays an order.
    for key in ["frame-first", "frame-second"] {
        let (status, token) = send(vault(Method::POST, &format!("/v1/payments/test/cards/{id}/tokens"))).await;
        assert_eq!(status, 201, "{token}");
        let token = token["token"].as_str().unwrap();
        let (status, placed) = send(client.post(format!("{base}/v1/orders")).header("Idempotency-Key", key).json(&order(token))).await;
        assert_eq!(status, 201, "{placed}");
        assert_eq!(placed["status"], "paid");
        assert_eq!(placed["payment"], json!({"provider": "test", "brand": "visa", "last4": "4242"}));
    }
    // A remembered declined card is declined again.
    let declined_card = json!({"number": "4000000000000002", "exp_month": 1, "exp_year": 2040, "cvc": "123"});
    let (_, declined) = send(vault(Method::POST, "/v1/payments/test/cards").json(&declined_card)).await;
    let declined_id = declined["card"]["id"].as_str().unwrap();
    let (_, token) = send(vault(Method::POST, &format!("/v1/payments/test/cards/{declined_id}/tokens"))).await;
    let (status, refusal) = send(
        client.post(format!("{base}/v1/orders")).header("Idempotency-Key", "frame-declined").json(&order(token["token"].as_str().unwrap())),
    )
    .await;
    assert_eq!((status, refusal["code"].as_str().unwrap()), (402, "card_declined"));

    // Its endpoints answer the form only: a page of another origin cannot use a card id.
    let (status, body) = send(client.post(format!("{payments}/v1/payments/test/cards/{id}/tokens")).header("Origin", ORIGIN)).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (403, "origin_not_allowed"));
    let (status, _) = send(client.delete(format!("{payments}/v1/payments/test/cards/{id}")).header("Origin", ORIGIN)).await;
    assert_eq!(status, 403);
    // The API's origin does not serve them.
    let (status, _) = send(client.post(format!("{base}/v1/payments/test/cards")).json(&card)).await;
    assert_eq!(status, 404);

    for (method, path) in
        [(Method::POST, format!("/v1/payments/test/cards/{id}/tokens")), (Method::DELETE, format!("/v1/payments/test/cards/{id}"))]
    {
        let (status, _) = send(client.request(method, format!("{payments}{path}"))).await;
        assert_eq!(status, 403, "{path} without an Origin");
    }

    // "Forget this card".
    let (status, _) = send(vault(Method::DELETE, &format!("/v1/payments/test/cards/{id}"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(vault(Method::POST, &format!("/v1/payments/test/cards/{id}/tokens"))).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (404, "not_found"));
    // Bad cards are refused as by the API's endpoint.
    let bad = json!({"number": "4242424242424241", "exp_month": 12, "exp_year": 2040, "cvc": "123"});
    let (status, body) = send(vault(Method::POST, "/v1/payments/test/cards").json(&bad)).await;
    assert_eq!((status, body["code"].as_str().unwrap(), body["field"].as_str().unwrap()), (422, "invalid_card_number", "number"));
}
