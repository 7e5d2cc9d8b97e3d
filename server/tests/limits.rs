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

/// `count` batches of 50 tag views of `product`, sent at once as the client `address` (a
/// trusted proxy's `X-Forwarded-For`): the number of events accepted (`204`); the rest are
/// refused with `429`.
async fn flood(server: &Server, address: &str, product: &str, count: usize) -> usize {
    let batch = json!({"events": vec![json!({"name": "tag_view", "product_id": product}); 50]});
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..count {
        let request = server.client.post(server.url("/v1/events")).header("X-Forwarded-For", address).json(&batch);
        sends.spawn(request.send());
    }
    let mut accepted = 0;
    while let Some(sent) = sends.join_next().await {
        match sent.unwrap().unwrap().status().as_u16() {
            204 => accepted += 50,
            429 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    accepted
}

async fn views_today(server: &Server, token: &str) -> u64 {
    let report = server.send(server.admin_request(reqwest::Method::GET, "/v1/admin/insights", token)).await;
    report.expect(200)["days"].as_array().unwrap().last().unwrap()["tag_views"].as_u64().unwrap()
}

#[tokio::test]
async fn one_client_cannot_take_the_events_budget_of_everyone() {
    if skip_when_remote("one_client_cannot_take_the_events_budget_of_everyone") {
        return;
    }
    let server = Server::spawn(&["--trust-forwarded-for"], true).await;
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row("lamp", "Lamp", "20.00 EUR", "5"))).await.expect(200);
    // Two flooding clients, 30,000 events each, at once.
    let (first, second) = tokio::join!(flood(&server, "203.0.113.7", "lamp", 600), flood(&server, "203.0.113.8", "lamp", 600));
    eprintln!("accepted of 30,000 events: {first} and {second}");
    for accepted in [first, second] {
        assert!(accepted <= 1000, "a client's share is 500 events at once, then 50 a second: {accepted} accepted");
    }
    // A shopper's batch is still counted.
    let shopper = flood(&server, "198.51.100.2", "lamp", 1).await;
    assert_eq!(shopper, 50, "the shopper's batch is accepted");
    assert_eq!(views_today(&server, &token).await, (first + second + shopper) as u64, "every accepted event is counted, and only those");
}

#[tokio::test]
async fn card_tokens_are_limited_per_client_on_both_origins_and_order_pages_too() {
    if skip_when_remote("card_tokens_are_limited_per_client_on_both_origins_and_order_pages_too") {
        return;
    }
    let scratch = Scratch::new().await;
    let mut command = server_command(&scratch.database);
    command.args(["--listen", "127.0.0.1:0", "--payments-listen", "127.0.0.1:0"]).stdout(std::process::Stdio::piped()).kill_on_drop(true);
    let mut child = command.spawn().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(child.stdout.take().unwrap()));
    let payments = lines.next_line().await.unwrap().unwrap().strip_prefix("payments frame on ").unwrap().to_owned();
    let base = lines.next_line().await.unwrap().unwrap().strip_prefix("listening on ").unwrap().to_owned();
    let client = reqwest::Client::new();
    let card = json!({"number": GOOD_CARD, "exp_month": 12, "exp_year": 2040, "cvc": "123"});

    // 600 tokens asked at once of the payment form's origin, as a card tester would.
    let mut asks = tokio::task::JoinSet::new();
    for _ in 0..600 {
        asks.spawn(client.post(format!("{payments}/v1/payments/test/tokens")).json(&card).send());
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    while let Some(answer) = asks.join_next().await {
        *statuses.entry(answer.unwrap().unwrap().status().as_u16()).or_default() += 1;
    }
    eprintln!("600 card tokens asked at once: {statuses:?}");
    let made = statuses.get(&201).copied().unwrap_or(0);
    assert!((150..=175).contains(&made), "150 at once, then 2 a second: {statuses:?}");
    assert_eq!(statuses.get(&429).copied().unwrap_or(0), 600 - made);
    // The API's origin draws from the same budget (which refills by 2 a second meanwhile).
    let mut refused = Vec::new();
    for _ in 0..20 {
        let answer = client.post(format!("{base}/v1/payments/test/tokens")).json(&card).send().await.unwrap();
        if answer.status() == 429 {
            refused.push(answer);
        }
    }
    assert!(refused.len() >= 10, "{} of 20 refused", refused.len());
    assert!(refused[0].headers().get("retry-after").is_some());
    let body: serde_json::Value = refused.remove(0).json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");

    // Order pages: 100 at once, then 10 a second (the order need not exist to be counted).
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..300 {
        reads.spawn(client.get(format!("{base}/v1/orders/ord_nope")).header("Order-Secret", "nope").send());
    }
    let mut limited = 0;
    while let Some(answer) = reads.join_next().await {
        limited += usize::from(answer.unwrap().unwrap().status() == 429);
    }
    assert!((100..=200).contains(&limited), "100 at once, then 10 a second: {limited} of 300 order reads refused");
}
