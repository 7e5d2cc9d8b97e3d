//! Faults found under bad input (issue 15), over HTTP against a fresh reference server on
//! SQLite, or on PostgreSQL under `scripts/with-postgres.sh`.

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A local server with an admin token and one product at `price` with `stock` units.
async fn shop(price: &str, stock: u32) -> (Server, String, String) {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let id = unique("item");
    let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Mug", price, &stock.to_string()));
    server.import(&token, &csv).await.expect(200);
    (server, token, id)
}

async fn stock(server: &Server, product: &str) -> Value {
    server.get(&format!("/v1/products/{product}")).await.expect(200)["variants"][0]["stock"].clone()
}

#[tokio::test]
async fn hidden_files_are_refused_even_percent_encoded() {
    if skip_when_remote("hidden_files_are_refused_even_percent_encoded") {
        return;
    }
    let site = std::env::temp_dir().join(unique("shoppable-site"));
    for (path, text) in [(".git/config", "secret"), (".secret.txt", "secret"), ("pkg/.gitignore", "secret"), ("pkg/ok.js", "ok")] {
        let file = site.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let server = Server::spawn(&["--site-dir", site.to_str().unwrap()], false).await;
    for path in [
        "/.git/config",
        "/%2egit/config",
        "/%2Egit/config",
        "/%2esecret.txt",
        "/pkg/%2egitignore",
        "/pkg%2f.gitignore",
        "/pkg%2F%2egitignore",
        "/pkg/%2E%67itignore",
    ] {
        server.get(path).await.expect_error(404, "not_found");
    }
    let ok = server.client.get(server.url("/pkg/ok.js")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "ok");
    let _ = std::fs::remove_dir_all(site);
}

#[tokio::test]
async fn money_arithmetic_is_refused_when_it_overflows_never_wrapped() {
    if skip_when_remote("money_arithmetic_is_refused_when_it_overflows_never_wrapped") {
        return;
    }
    // i64::MAX minor units: one fits, two do not.
    let (server, _, mug) = shop("92233720368547758.07 EUR", 10).await;
    let line = |quantity: u32| json!([{"variant_id": mug, "quantity": quantity}]);
    let one = server.post("/v1/quote", &json!({"lines": line(1), "address": address(), "shipping_option": "standard"})).await;
    assert_eq!(one.expect(200)["total"]["amount"], i64::MAX, "free standard shipping: the total fits");

    let two = server.post("/v1/quote", &json!({"lines": line(2)})).await;
    two.expect_error(422, "invalid_field");
    assert_eq!(two.field(), "lines[0].quantity");
    let express = server.post("/v1/quote", &json!({"lines": line(1), "address": address(), "shipping_option": "express"})).await;
    express.expect_error(422, "invalid_field");

    let order = server.place_order(&unique("key"), &order_body(line(2), &server.card_token(GOOD_CARD).await)).await;
    order.expect_error(422, "invalid_field");
    assert_eq!(order.field(), "lines[0].quantity");
    let twice = json!([{"variant_id": mug, "quantity": 1}, {"variant_id": mug, "quantity": 1}]);
    let order = server.place_order(&unique("key"), &order_body(twice, &server.card_token(GOOD_CARD).await)).await;
    order.expect_error(422, "invalid_field");
    assert_eq!(stock(&server, &mug).await, 10, "a refused order takes no stock");
}

#[tokio::test]
async fn nul_characters_are_refused_with_a_json_400() {
    if skip_when_remote("nul_characters_are_refused_with_a_json_400") {
        return;
    }
    let (server, token, mug) = shop("12.00 EUR", 5).await;
    let json_post =
        |path: &str, body: &str| server.client.post(server.url(path)).header("Content-Type", "application/json").body(body.to_owned());
    let quote = server.send(json_post("/v1/quote", r#"{"lines": [{"variant_id": "a\u0000b", "quantity": 1}]}"#)).await;
    quote.expect_error(400, "malformed_request");
    assert_eq!(quote.field(), "lines[0].variant_id");

    let mut order = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await);
    order["address"]["name"] = json!("Camille\u{0}Martin");
    let key = unique("key");
    let refused = server.place_order(&key, &order).await;
    refused.expect_error(400, "malformed_request");
    assert_eq!(refused.field(), "address.name");
    order["address"]["name"] = json!("Camille Martin");
    server.place_order(&key, &order).await.expect(201);
    assert_eq!(stock(&server, &mug).await, 4);

    for path in ["/v1/posts/a%00b", "/v1/products/a%00", "/v1/products?q=%00", "/v1/posts?ids=coffee,%00", "/v1/orders/ord%00"] {
        server.get(path).await.expect_error(400, "malformed_request");
    }
    let post = json!({"image": {"url": "/a.jpg", "width": 1, "height": 1, "alt": "nul\u{0}"}, "tags": []});
    let refused = server.send(server.admin_request(Method::PUT, "/v1/admin/posts/nul", &token).json(&post)).await;
    refused.expect_error(400, "malformed_request");
    assert_eq!(refused.field(), "image.alt");

    let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&unique("nul"), "Mug\0", "1.00 EUR", "1"));
    let refused = server.import(&token, &csv).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.body["rows"][0]["column"], "title");
}

/// Sends raw bytes and reads the whole answer: status, head and body.
async fn raw_exchange(server: &Server, request: &[u8]) -> (u16, String, Value) {
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    // The server may answer before it has read everything: a write error is not ours to judge.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no complete answer: {text:?}"));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = serde_json::from_str(body).unwrap_or_else(|_| panic!("status {status}: the body is not JSON: {body:?}"));
    (status, head.to_ascii_lowercase(), body)
}

#[tokio::test]
async fn refusals_of_the_http_layer_are_json_errors() {
    if skip_when_remote("refusals_of_the_http_layer_are_json_errors") {
        return;
    }
    let server = Server::spawn(&[], false).await;
    let nul_header = b"GET /v1/config HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n".to_vec();
    let long_uri = format!("GET /v1/posts?ids={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100 * 1024)).into_bytes();
    let headers: String = (0..1000).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let many_headers = format!("GET /v1/config HTTP/1.1\r\nHost: x\r\n{headers}\r\n").into_bytes();
    for (request, status) in [(nul_header, 400), (long_uri, 414), (many_headers, 431)] {
        let (got, head, body) = raw_exchange(&server, &request).await;
        assert_eq!(got, status, "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert_eq!(body["code"], "malformed_request");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The server still answers normally afterwards.
    server.get("/v1/config").await.expect(200);
}

#[tokio::test]
async fn a_missing_field_is_named() {
    let server = Server::start().await;
    let mut body = order_body(json!([{"variant_id": "x", "quantity": 1}]), "tok_x");
    body.as_object_mut().unwrap().remove("address");
    let refused = server.place_order(&unique("key"), &body).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.field(), "address");
    let nested = server.post("/v1/quote", &json!({"lines": [{"quantity": 1}]})).await;
    nested.expect_error(422, "invalid_field");
    assert_eq!(nested.field(), "lines[0].variant_id");
    let mut body = order_body(json!([{"variant_id": "x", "quantity": 1}]), "tok_x");
    body["address"].as_object_mut().unwrap().remove("city");
    let refused = server.place_order(&unique("key"), &body).await;
    assert_eq!((refused.status, refused.field()), (422, "address.city"));
}

#[tokio::test]
async fn links_that_leave_the_site_through_backslashes_are_refused() {
    let server = Server::start().await;
    let Some(token) = server.admin("links_that_leave_the_site_through_backslashes_are_refused") else {
        return;
    };
    for url in ["/\\evil.example/phish", "\\\\evil.example/phish", "//evil.example/phish", "/\t/evil.example"] {
        let post = json!({"image": {"url": url, "width": 1, "height": 1, "alt": "x"}, "tags": []});
        let refused = server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{}", unique("p")), &token).json(&post)).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.field(), "image.url", "{url}");
    }
    let id = unique("lamp");
    let row = feed_row(&id, "Lampe", "10.00 EUR", "1").replace(&format!("https://shop.example/{id},"), "/\\evil.example/phish,");
    let refused = server.import(&token, &format!("{FEED_HEADER}\n{row}\n")).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.body["rows"][0]["column"], "link");
}

#[tokio::test]
async fn insight_sums_of_large_orders_never_wrap_to_a_negative_amount() {
    if skip_when_remote("insight_sums_of_large_orders_never_wrap_to_a_negative_amount") {
        return;
    }
    // Two paid orders at the price bound: each total is i64::MAX minor units.
    let (server, token, mug) = shop("92233720368547758.07 EUR", 10).await;
    for _ in 0..2 {
        let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await);
        assert_eq!(server.place_order(&unique("key"), &body).await.expect(201)["total"]["amount"], i64::MAX);
    }
    let report = server.send(server.admin_request(Method::GET, "/v1/admin/insights", &token)).await;
    let report = report.expect(200);
    let today = report["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["orders"], 2);
    // The largest amount there is, rather than a wrapped one.
    assert_eq!(today["revenue"]["amount"], i64::MAX, "{today}");
    assert_eq!(report["products"][0]["revenue"]["amount"], i64::MAX, "{report}");
}

#[tokio::test]
async fn an_imported_stock_has_the_bound_of_the_stock_endpoint_and_is_shown_as_stored() {
    if skip_when_remote("an_imported_stock_has_the_bound_of_the_stock_endpoint_and_is_shown_as_stored") {
        return;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let id = unique("item");
    let feed = |quantity: &str| format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Mug", "5.00 EUR", quantity));
    for quantity in ["4294967295", "1000000001"] {
        let refused = server.import(&token, &feed(quantity)).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.body["rows"][0]["column"], "quantity", "{}", refused.body);
    }
    server.import(&token, &feed("1000000000")).await.expect(200);
    let body = order_body(json!([{"variant_id": id, "quantity": 4}]), &server.card_token(GOOD_CARD).await);
    let order = server.place_order(&unique("key"), &body).await;
    let (order_id, secret) = (order.expect(201)["id"].as_str().unwrap().to_owned(), order.body["secret"].as_str().unwrap().to_owned());
    // Imported again at the bound, then cancelled: the units come back above it.
    server.import(&token, &feed("1000000000")).await.expect(200);
    server.order_with_secret(Method::POST, &format!("/v1/orders/{order_id}/cancel"), &secret).await.expect(200);
    assert_eq!(stock(&server, &id).await, 1_000_000_004_u64, "the stock shown is the stock held");
}
