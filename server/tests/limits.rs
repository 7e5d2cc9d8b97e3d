//! Per-client rate limits on the public write endpoints (issue 15).

mod support;

use serde_json::json;
use support::*;

async fn quote(server: &Server, forwarded_for: Option<&str>) -> Response {
    let mut request = server.client.post(server.url("/v1/quote")).json(&json!({"lines": []}));
    if let Some(address) = forwarded_for {
        request = request.header("X-Forwarded-For", address);
    }
    server.send(request).await
}

#[tokio::test]
async fn a_client_beyond_its_budget_gets_a_json_429_and_others_do_not() {
    if skip_when_remote("a_client_beyond_its_budget_gets_a_json_429_and_others_do_not") {
        return;
    }
    let server = Server::spawn(&["--rate-limit-per-second", "1", "--rate-limit-burst", "3"], false).await;
    for _ in 0..3 {
        quote(&server, None).await.expect_error(422, "invalid_field");
    }
    let limited = quote(&server, None).await;
    limited.expect_error(429, "rate_limited");
    assert!(limited.headers.get("retry-after").is_some());
    // One budget for quotes, card tokens and orders; reads are not limited.
    let card = json!({"number": GOOD_CARD, "exp_month": 1, "exp_year": 2040, "cvc": "123"});
    server.post("/v1/payments/test/tokens", &card).await.expect_error(429, "rate_limited");
    server.place_order(&unique("key"), &json!({})).await.expect_error(429, "rate_limited");
    for _ in 0..5 {
        server.get("/v1/config").await.expect(200);
    }
    // The budget comes back with time.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    quote(&server, None).await.expect_error(422, "invalid_field");
    // Forwarded addresses are ignored unless trusted: still the same client.
    quote(&server, Some("203.0.113.7")).await.expect_error(429, "rate_limited");
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_for() {
    if skip_when_remote("behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_for") {
        return;
    }
    let server = Server::spawn(&["--rate-limit-per-second", "1", "--rate-limit-burst", "2", "--trust-forwarded-for"], false).await;
    for _ in 0..2 {
        quote(&server, Some("203.0.113.7")).await.expect_error(422, "invalid_field");
    }
    quote(&server, Some("203.0.113.7")).await.expect_error(429, "rate_limited");
    quote(&server, Some("198.51.100.2")).await.expect_error(422, "invalid_field");
    quote(&server, None).await.expect_error(422, "invalid_field");
}

#[tokio::test]
async fn the_limit_can_be_turned_off() {
    if skip_when_remote("the_limit_can_be_turned_off") {
        return;
    }
    let server = Server::spawn(&["--rate-limit-per-second", "0", "--rate-limit-burst", "1"], false).await;
    for _ in 0..20 {
        quote(&server, None).await.expect_error(422, "invalid_field");
    }
}
