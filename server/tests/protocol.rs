//! The protocol suite: what a client sees over HTTP. Runs against a fresh reference server
//! (SQLite, or PostgreSQL with `scripts/with-postgres.sh`), or against any backend:
//! `SHOPPABLE_TEST_BASE_URL=https://their.backend SHOPPABLE_TEST_ADMIN_TOKEN=... cargo test -p shoppable-server --test protocol`.

mod support;

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{json, Value};
use support::*;

/// A product with one tracked variant, imported through the admin API; returns its id.
async fn stocked_product(server: &Server, token: &str, price: &str, quantity: u32) -> String {
    let id = unique("item");
    let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Mug", price, &quantity.to_string()));
    server.import(token, &csv).await.expect(200);
    id
}

/// The backend under test with one stocked product, or None when it gives no admin access.
async fn shop_with(test: &str, price: &str, quantity: u32) -> Option<(Server, String)> {
    let server = Server::start().await;
    let token = server.admin(test)?;
    let product = stocked_product(&server, &token, price, quantity).await;
    Some((server, product))
}

async fn variant_stock(server: &Server, product: &str) -> Value {
    server.get(&format!("/v1/products/{product}")).await.expect(200)["variants"][0]["stock"].clone()
}

#[tokio::test]
async fn configuration_describes_the_backend() {
    let server = Server::start().await;
    let config = server.get("/v1/config").await;
    let config = config.expect(200);
    assert_eq!(config["protocol_version"], 1);
    assert!(config["currencies"][0].as_str().unwrap().len() == 3);
    assert!(!config["countries"].as_array().unwrap().is_empty());
    let test = config["payment_methods"].as_array().unwrap().iter().find(|m| m["provider"] == "test");
    assert_eq!(test.unwrap()["tokenize_url"], "/v1/payments/test/tokens");
    assert!(config["cancel_window_seconds"].as_u64().is_some());
}

#[tokio::test]
async fn catalog_import_groups_variants_and_reads_sale_prices() {
    let server = Server::start().await;
    let Some(token) = server.admin("catalog_import_groups_variants_and_reads_sale_prices") else { return };
    let group = unique("tee");
    let csv = format!(
        "{FEED_HEADER}\n\
         {group}-s-red,T-shirt,Coton bio,in stock,new,29.90 EUR,https://shop.example/tee,https://shop.example/tee.jpg,Brand,19.90 EUR,{group},Red,S,https://shop.example/tee2.jpg,5\n\
         {group}-m-red,T-shirt,Coton bio,in stock,new,29.90 EUR,https://shop.example/tee,https://shop.example/tee.jpg,Brand,,{group},Red,M,,0\n\
         {group}-m-blue,T-shirt,Coton bio,out of stock,new,31.00 EUR,https://shop.example/tee,https://shop.example/tee-blue.jpg,Brand,,{group},Blue,M,,9\n"
    );
    let report = server.import(&token, &csv).await;
    assert_eq!(report.expect(200), &json!({"products": 1, "variants": 3}));

    let product = server.get(&format!("/v1/products/{group}")).await;
    let product = product.expect(200);
    assert_eq!(product["title"], "T-shirt");
    assert_eq!(product["options"], json!([{"name": "color", "values": ["Red", "Blue"]}, {"name": "size", "values": ["S", "M"]}]));
    let variants = product["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    assert_eq!(variants[0]["title"], "Red / S");
    assert_eq!(variants[0]["option_values"], json!(["Red", "S"]));
    assert_eq!(variants[0]["price"], json!({"amount": 1990, "currency": "EUR"}));
    assert_eq!(variants[0]["compare_at_price"], json!({"amount": 2990, "currency": "EUR"}));
    assert_eq!((variants[0]["available"].clone(), variants[0]["stock"].clone()), (json!(true), json!(5)));
    assert_eq!((variants[1]["available"].clone(), variants[1]["stock"].clone()), (json!(false), json!(0)));
    assert_eq!((variants[2]["available"].clone(), variants[2]["stock"].clone()), (json!(false), json!(0)));
    assert_eq!(product["images"].as_array().unwrap().len(), 3);

    let search = server.get(&format!("/v1/products?q={group}")).await;
    assert_eq!(search.expect(200)["products"], json!([]), "the search is on titles, not ids");
    let search = server.get("/v1/products?q=t-SHIRT&limit=100").await;
    let found = search.expect(200)["products"].as_array().unwrap().iter().find(|p| p["id"] == group.as_str()).cloned();
    let summary = found.expect("the product is found by title");
    assert_eq!(summary["price"]["amount"], 1990, "the cheapest available variant");
    assert_eq!(summary["available"], true);
    server.get("/v1/products?limit=0").await.expect_error(422, "invalid_field");
}

#[tokio::test]
async fn catalog_import_reports_every_bad_row_and_imports_nothing() {
    let server = Server::start().await;
    let Some(token) = server.admin("catalog_import_reports_every_bad_row_and_imports_nothing") else { return };
    let good = unique("good");
    let csv = format!(
        "{FEED_HEADER}\n{}\n{}\n{}\n{}\n",
        feed_row(&good, "Bol", "12.00 EUR", "4"),
        feed_row(&unique("bad"), "Bol", "12,00 EUR", "4"),
        feed_row(&unique("bad"), "Bol", "12.00 EUR", "-1"),
        feed_row(&good, "Bol", "12.00 USD", "4"),
    );
    let response = server.import(&token, &csv).await;
    response.expect_error(422, "invalid_field");
    let rows = response.body["rows"].as_array().unwrap();
    let found: Vec<(u64, &str)> = rows.iter().map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap())).collect();
    assert_eq!(found, [(3, "price"), (4, "quantity"), (5, "price")]);
    assert!(rows.iter().all(|r| r["message"].as_str().is_some_and(|m| !m.is_empty())));
    server.get(&format!("/v1/products/{good}")).await.expect_error(404, "not_found");

    let huge = format!("{FEED_HEADER}\n{}", "x".repeat(9 * 1024 * 1024));
    server.import(&token, &huge).await.expect_error(413, "payload_too_large");

    let missing_column = server.import(&token, "id,title\nx,y\n").await;
    missing_column.expect_error(422, "invalid_field");
    assert_eq!(missing_column.body["rows"][0]["row"], 1);
}

#[tokio::test]
async fn posts_are_written_by_the_admin_and_read_alone_or_in_batches() {
    let server = Server::start().await;
    let Some(token) = server.admin("posts_are_written_by_the_admin_and_read_alone_or_in_batches") else { return };
    let product = stocked_product(&server, &token, "15.00 EUR", 3).await;
    let post_id = unique("look");
    let input = json!({
        "image": {"url": "https://shop.example/look.jpg", "width": 800, "height": 600, "alt": "A look"},
        "tags": [{"x": 0.25, "y": 0.75, "product_id": product}],
    });
    let path = format!("/v1/admin/posts/{post_id}");
    let saved = server.send(server.admin_request(Method::PUT, &path, &token).json(&input)).await;
    let saved = saved.expect(200);
    assert_eq!(saved["id"], post_id.as_str());
    assert_eq!(saved["tags"][0]["product"]["price"], json!({"amount": 1500, "currency": "EUR"}));

    let post = server.get(&format!("/v1/posts/{post_id}")).await;
    let post = post.expect(200);
    assert_eq!(post["image"], input["image"]);
    assert_eq!((post["tags"][0]["x"].as_f64(), post["tags"][0]["y"].as_f64()), (Some(0.25), Some(0.75)));
    assert_eq!(post["tags"][0]["product"]["id"], product.as_str());
    assert_eq!(post["tags"][0]["product"]["available"], true);

    let batch = server.get(&format!("/v1/posts?ids={post_id},nope-{post_id},{post_id}")).await;
    let batch = batch.expect(200);
    assert_eq!(batch["posts"].as_array().unwrap().len(), 1);
    assert_eq!(batch["missing"], json!([format!("nope-{post_id}")]));
    let too_many = (0..51).map(|i| format!("p{i}")).collect::<Vec<_>>().join(",");
    server.get(&format!("/v1/posts?ids={too_many}")).await.expect_error(422, "invalid_field");
    server.get("/v1/posts").await.expect_error(400, "malformed_request");

    let bad_tag = json!({"image": input["image"], "tags": [{"x": 1.5, "y": 0.5, "product_id": product}]});
    let refused = server.send(server.admin_request(Method::PUT, &path, &token).json(&bad_tag)).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.field(), "tags[0].x");
    let unknown = json!({"image": input["image"], "tags": [{"x": 0.5, "y": 0.5, "product_id": unique("none")}]});
    let refused = server.send(server.admin_request(Method::PUT, &path, &token).json(&unknown)).await;
    assert_eq!((refused.code(), refused.field()), ("invalid_field", "tags[0].product_id"));
    let script = json!({"image": {"url": "javascript:alert(1)", "width": 1, "height": 1}, "tags": []});
    let refused = server.send(server.admin_request(Method::PUT, &path, &token).json(&script)).await;
    assert_eq!((refused.code(), refused.field()), ("invalid_field", "image.url"));

    let deleted = server.send(server.admin_request(Method::DELETE, &path, &token)).await;
    assert_eq!(deleted.status, 204);
    server.get(&format!("/v1/posts/{post_id}")).await.expect_error(404, "not_found");
    server.send(server.admin_request(Method::DELETE, &path, &token)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn admin_routes_need_the_token() {
    let server = Server::start().await;
    let input = json!({"image": {"url": "/a.jpg", "width": 1, "height": 1}, "tags": []});
    let anonymous = server.send(server.client.put(server.url("/v1/admin/posts/x")).json(&input)).await;
    anonymous.expect_error(401, "unauthorized");
    server.send(server.admin_request(Method::GET, "/v1/admin/orders", "wrong-token")).await.expect_error(401, "unauthorized");
    server.send(server.admin_request(Method::POST, "/v1/admin/catalog/import", "wrong-token").body("id\n")).await.expect_error(401, "unauthorized");
}

#[tokio::test]
async fn admin_api_is_disabled_without_a_configured_token() {
    if skip_when_remote("admin_api_is_disabled_without_a_configured_token") {
        return;
    }
    let server = Server::spawn(&[], false).await;
    let response = server.send(server.admin_request(Method::GET, "/v1/admin/orders", "anything")).await;
    response.expect_error(401, "unauthorized");
    assert!(response.body["message"].as_str().unwrap().contains("disabled"));
}

#[tokio::test]
async fn quotes_are_priced_by_the_server_only() {
    let Some((server, mug)) = shop_with("quotes_are_priced_by_the_server_only", "12.00 EUR", 2).await else { return };
    let lines = json!([
        {"variant_id": mug, "quantity": 2, "price": 1, "unit_price": {"amount": 1, "currency": "EUR"}},
        {"variant_id": unique("ghost"), "quantity": 1},
        {"variant_id": mug, "quantity": 1},
    ]);
    let quote = server.post("/v1/quote", &json!({"lines": lines, "address": address(), "total": 1})).await;
    let quote = quote.expect(200);
    assert_eq!(quote["lines"][0]["unit_price"], json!({"amount": 1200, "currency": "EUR"}), "client prices are ignored");
    assert_eq!(quote["lines"][0]["total"]["amount"], 2400);
    assert!(quote["lines"][0].get("error").is_none());
    assert_eq!(quote["lines"][1]["error"]["code"], "not_found");
    assert_eq!(quote["lines"][2]["error"]["code"], "out_of_stock", "both lines share the 2 units");
    assert_eq!(quote["lines"][2]["error"]["field"], "lines[2].quantity");
    assert_eq!(quote["subtotal"]["amount"], 2400);
    assert_eq!(quote["orderable"], false);
    let options = quote["shipping_options"].as_array().unwrap();
    assert!(options.len() >= 2);
    let selected = quote["selected_shipping_option"].as_str().unwrap();
    let cheapest = options.iter().min_by_key(|o| o["price"]["amount"].as_i64()).unwrap();
    assert_eq!(selected, cheapest["id"].as_str().unwrap());
    let total = quote["total"]["amount"].as_i64().unwrap();
    assert_eq!(total, 2400 + cheapest["price"]["amount"].as_i64().unwrap());
    assert_eq!(quote["tax_included"], true);

    let express = server
        .post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": address(), "shipping_option": "express"}))
        .await;
    let express = express.expect(200);
    assert_eq!(express["orderable"], true);
    assert_eq!(express["selected_shipping_option"], "express");
    if server.is_local() {
        // The reference server: 9.90 express at home, 20% VAT included, rounded half up.
        assert_eq!(express["total"]["amount"], 1200 + 990);
        assert_eq!(express["tax"]["amount"], 365);
    }

    let no_address = server.post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}]})).await;
    let no_address = no_address.expect(200);
    assert_eq!((no_address["orderable"].clone(), no_address["shipping_options"].clone()), (json!(false), json!([])));

    let mut abroad = address();
    abroad["country"] = json!("ZZ");
    let refused = server.post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": abroad})).await;
    assert_eq!((refused.status, refused.code(), refused.field()), (422, "invalid_field", "address.country"));
    let refused = server.post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 0}]})).await;
    assert_eq!((refused.status, refused.field()), (422, "lines[0].quantity"));
    server.post("/v1/quote", &json!({"lines": []})).await.expect_error(422, "invalid_field");
    let refused = server
        .post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": address(), "shipping_option": "teleport"}))
        .await;
    assert_eq!((refused.status, refused.field()), (422, "shipping_option"));
}

#[tokio::test]
async fn card_tokens_check_the_card() {
    let server = Server::start().await;
    let tokenize = async |card: Value| server.post("/v1/payments/test/tokens", &card).await;
    let ok = tokenize(json!({"number": "4242 4242 4242 4242", "exp_month": 1, "exp_year": 2040, "cvc": "123"})).await;
    let ok = ok.expect(201);
    assert_eq!((ok["brand"].as_str(), ok["last4"].as_str()), (Some("visa"), Some("4242")));
    assert!(ok["token"].as_str().is_some_and(|t| !t.contains("4242424242")));

    let cases = [
        (json!({"number": "4242424242424241", "exp_month": 1, "exp_year": 2040, "cvc": "123"}), "invalid_card_number", "number"),
        (json!({"number": "4242424242424242", "exp_month": 1, "exp_year": 2020, "cvc": "123"}), "card_expired", "exp_year"),
        (json!({"number": "4242424242424242", "exp_month": 13, "exp_year": 2040, "cvc": "123"}), "invalid_field", "exp_month"),
        (json!({"number": "4242424242424242", "exp_month": 1, "exp_year": 2040, "cvc": "1"}), "invalid_cvc", "cvc"),
    ];
    for (card, code, field) in cases {
        let refused = tokenize(card).await;
        refused.expect_error(422, code);
        assert_eq!(refused.field(), field);
    }
    let wrong_type = tokenize(json!({"number": 4242424242424242u64, "exp_month": 1, "exp_year": 2040, "cvc": "123"})).await;
    assert_eq!((wrong_type.status, wrong_type.field()), (422, "number"));
}

#[tokio::test]
async fn an_order_is_placed_read_and_cancelled_with_its_secret() {
    let Some((server, mug)) = shop_with("an_order_is_placed_read_and_cancelled_with_its_secret", "12.00 EUR", 5).await else { return };
    let card = server.card_token(GOOD_CARD).await;
    let lines = json!([{"variant_id": mug, "quantity": 2, "unit_price": {"amount": 1, "currency": "EUR"}}]);
    let mut body = order_body(lines.clone(), &card);
    body["total"] = json!({"amount": 1, "currency": "EUR"});
    let quote = server.post("/v1/quote", &json!({"lines": lines, "address": address(), "shipping_option": "standard"})).await;
    body["expected_total"] = quote.expect(200)["total"].clone();

    let placed = server.place_order(&unique("key"), &body).await;
    let order = placed.expect(201).clone();
    assert_eq!(order["status"], "paid");
    let history: Vec<&str> = order["history"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(history, ["placed", "paid"]);
    assert_eq!(order["subtotal"]["amount"], 2400, "tampered prices are ignored");
    assert_eq!(order["total"], body["expected_total"]);
    assert_eq!(order["payment"], json!({"provider": "test", "brand": "visa", "last4": "4242"}));
    assert!(order["number"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(order["cancellable_until"].is_string());
    let secret = order["secret"].as_str().unwrap().to_owned();
    assert_eq!(variant_stock(&server, &mug).await, 3);

    let path = format!("/v1/orders/{}", order["id"].as_str().unwrap());
    let read = server.order_with_secret(Method::GET, &path, &secret).await;
    let read = read.expect(200);
    assert_eq!(read["status"], "paid");
    assert!(read.get("secret").is_none(), "the secret is only in the creation answer");
    server.order_with_secret(Method::GET, &path, "wrong").await.expect_error(404, "not_found");
    server.order_with_secret(Method::GET, "/v1/orders/ord_unknown", &secret).await.expect_error(404, "not_found");
    server.get(&path).await.expect_error(401, "unauthorized");

    let cancel = format!("{path}/cancel");
    server.order_with_secret(Method::POST, &cancel, "wrong").await.expect_error(404, "not_found");
    let cancelled = server.order_with_secret(Method::POST, &cancel, &secret).await;
    let cancelled = cancelled.expect(200);
    assert_eq!(cancelled["status"], "cancelled");
    assert!(cancelled.get("cancellable_until").is_none());
    assert_eq!(variant_stock(&server, &mug).await, 5, "a cancelled order gives its units back");
    server.order_with_secret(Method::POST, &cancel, &secret).await.expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn orders_check_the_total_the_payment_and_the_request() {
    let Some((server, mug)) = shop_with("orders_check_the_total_the_payment_and_the_request", "12.00 EUR", 5).await else { return };
    let lines = json!([{"variant_id": mug, "quantity": 1}]);

    let mut body = order_body(lines.clone(), &server.card_token(GOOD_CARD).await);
    body["expected_total"] = json!({"amount": 100, "currency": "EUR"});
    server.place_order(&unique("key"), &body).await.expect_error(409, "price_changed");

    for (card, code) in [(DECLINED_CARD, "card_declined"), (NO_FUNDS_CARD, "insufficient_funds")] {
        let body = order_body(lines.clone(), &server.card_token(card).await);
        server.place_order(&unique("key"), &body).await.expect_error(402, code);
        assert_eq!(variant_stock(&server, &mug).await, 5, "a declined card leaves the stock alone");
    }

    let used = server.card_token(GOOD_CARD).await;
    server.place_order(&unique("key"), &order_body(lines.clone(), &used)).await.expect(201);
    let again = server.place_order(&unique("key"), &order_body(lines.clone(), &used)).await;
    again.expect_error(422, "invalid_payment_token");
    let forged = server.place_order(&unique("key"), &order_body(lines.clone(), "tok_forged")).await;
    forged.expect_error(422, "invalid_payment_token");
    assert_eq!(variant_stock(&server, &mug).await, 4);

    let missing_key = server.post("/v1/orders", &order_body(lines.clone(), "tok_x")).await;
    missing_key.expect_error(400, "malformed_request");
    assert_eq!(missing_key.field(), "Idempotency-Key");
    let too_many = server.place_order(&unique("key"), &order_body(json!([{"variant_id": mug, "quantity": 9}]), "tok_x")).await;
    too_many.expect_error(409, "out_of_stock");
    assert_eq!(too_many.field(), "lines[0].quantity");
    let ghost = server.place_order(&unique("key"), &order_body(json!([{"variant_id": unique("ghost"), "quantity": 1}]), "tok_x")).await;
    assert_eq!(ghost.status / 100, 4);
    let mut no_address = order_body(lines.clone(), "tok_x");
    no_address.as_object_mut().unwrap().remove("address");
    let refused = server.place_order(&unique("key"), &no_address).await;
    assert_eq!((refused.status, refused.code()), (422, "invalid_field"));
}

#[tokio::test]
async fn an_idempotency_key_gives_one_order() {
    let Some((server, mug)) = shop_with("an_idempotency_key_gives_one_order", "9.00 EUR", 50).await else { return };
    let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await);
    let key = unique("key");
    let first = server.place_order(&key, &body).await;
    let replay = server.place_order(&key, &body).await;
    assert_eq!((first.status, replay.status), (201, 201));
    assert_eq!(first.body, replay.body, "a replay is the first answer, byte for byte");
    assert_eq!(variant_stock(&server, &mug).await, 49);

    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(2);
    server.place_order(&key, &other).await.expect_error(422, "idempotency_key_reused");

    // Concurrent duplicates: one order, the others replay it or are told to wait.
    let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await);
    let key = unique("key");
    let attempts = (0..8).map(|_| server.place_order(&key, &body));
    let answers = futures_join_all(attempts).await;
    let mut ids = Vec::new();
    for answer in &answers {
        match answer.status {
            201 => ids.push(answer.body["id"].clone()),
            409 => assert_eq!(answer.code(), "idempotency_key_in_use"),
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "exactly one order id: {ids:?}");
    assert_eq!(variant_stock(&server, &mug).await, 48);
}

/// Runs futures concurrently on this task.
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut pending: Vec<_> = futures.into_iter().enumerate().collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(i, future)| match future.as_mut().poll(cx) {
            std::task::Poll::Ready(output) => {
                results[*i] = Some(output);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    results.into_iter().map(Option::unwrap).collect()
}

#[tokio::test]
async fn concurrent_orders_never_oversell() {
    let Some((server, mug)) = shop_with("concurrent_orders_never_oversell", "5.00 EUR", 10).await else { return };
    let mut bodies = Vec::new();
    for _ in 0..100 {
        bodies.push(order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await));
    }
    let keys: Vec<String> = bodies.iter().map(|_| unique("key")).collect();
    let answers = futures_join_all(keys.iter().zip(&bodies).map(|(key, body)| server.place_order(key, body))).await;
    let mut by_outcome: HashMap<(u16, String), usize> = HashMap::new();
    for answer in &answers {
        *by_outcome.entry((answer.status, answer.code().to_owned())).or_default() += 1;
    }
    let expected = HashMap::from([((201, String::new()), 10), ((409, "out_of_stock".to_owned()), 90)]);
    assert_eq!(by_outcome, expected);
    assert_eq!(variant_stock(&server, &mug).await, 0);
    let product = server.get(&format!("/v1/products/{mug}")).await;
    assert_eq!(product.expect(200)["variants"][0]["available"], false);
}

#[tokio::test]
async fn the_admin_ships_delivers_and_refunds_and_webhooks_tell_the_shop() {
    if skip_when_remote("the_admin_ships_delivers_and_refunds_and_webhooks_tell_the_shop") {
        return;
    }
    let receiver = WebhookReceiver::start().await;
    let secret = "whsec_test";
    let server = Server::spawn(&["--webhook-url", &receiver.url, "--webhook-secret", secret], true).await;
    let token = server.admin_token.clone().unwrap();
    let mug = stocked_product(&server, &token, "20.00 EUR", 4).await;
    let body = order_body(json!([{"variant_id": mug, "quantity": 2}]), &server.card_token(GOOD_CARD).await);
    let order = server.place_order(&unique("key"), &body).await.expect(201).clone();
    let id = order["id"].as_str().unwrap();

    let list = server.send(server.admin_request(Method::GET, "/v1/admin/orders?status=paid", &token)).await;
    assert_eq!(list.expect(200)["orders"][0]["id"], id);
    server.send(server.admin_request(Method::GET, "/v1/admin/orders?status=lost", &token)).await.expect_error(422, "invalid_field");

    let deliver = format!("/v1/admin/orders/{id}/deliver");
    server.send(server.admin_request(Method::POST, &deliver, &token)).await.expect_error(409, "invalid_transition");
    let ship = format!("/v1/admin/orders/{id}/ship");
    let tracking = json!({"tracking_number": "6A123456789", "tracking_url": "https://suivi.example/6A123456789"});
    let shipped = server.send(server.admin_request(Method::POST, &ship, &token).json(&tracking)).await;
    let shipped = shipped.expect(200);
    assert_eq!(shipped["status"], "shipped");
    let last = shipped["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["tracking_number"].as_str(), last["tracking_url"].as_str()), (Some("6A123456789"), Some("https://suivi.example/6A123456789")));
    assert_eq!(server.send(server.admin_request(Method::POST, &deliver, &token)).await.expect(200)["status"], "delivered");
    let refund = format!("/v1/admin/orders/{id}/refund");
    assert_eq!(server.send(server.admin_request(Method::POST, &refund, &token)).await.expect(200)["status"], "refunded");
    server.send(server.admin_request(Method::POST, &refund, &token)).await.expect_error(409, "invalid_transition");
    assert_eq!(variant_stock(&server, &mug).await, 2, "shipped goods do not come back into stock");
    server.send(server.admin_request(Method::POST, "/v1/admin/orders/ord_nope/deliver", &token)).await.expect_error(404, "not_found");

    let events = receiver.wait_for(5).await;
    let kinds: Vec<&str> = events.iter().map(|r| r.event["type"].as_str().unwrap_or("?")).collect();
    assert_eq!(kinds, ["order.placed", "order.paid", "order.status_changed", "order.status_changed", "order.status_changed"]);
    for Received { signature, body, event } in &events {
        assert!(verify_signature(secret, signature, body), "bad signature {signature}");
        assert_eq!(event["order"]["id"], id);
        assert!(event["order"].get("secret").is_none(), "webhooks never carry the order secret");
    }
    let shipped = events.iter().find(|r| r.event["order"]["status"] == "shipped").expect("a shipped event");
    assert_eq!(shipped.event["order"]["history"][2]["tracking_number"], "6A123456789");
}

#[tokio::test]
async fn a_refund_before_shipping_puts_the_units_back() {
    let Some((server, mug)) = shop_with("a_refund_before_shipping_puts_the_units_back", "20.00 EUR", 4).await else { return };
    let token = server.admin_token.clone().unwrap_or_default();
    let body = order_body(json!([{"variant_id": mug, "quantity": 3}]), &server.card_token(GOOD_CARD).await);
    let order = server.place_order(&unique("key"), &body).await.expect(201).clone();
    assert_eq!(variant_stock(&server, &mug).await, 1);
    let refund = format!("/v1/admin/orders/{}/refund", order["id"].as_str().unwrap());
    let refunded = server.send(server.admin_request(Method::POST, &refund, &token)).await;
    assert_eq!(refunded.expect(200)["status"], "refunded");
    assert_eq!(variant_stock(&server, &mug).await, 4);
    let secret = order["secret"].as_str().unwrap();
    let cancel = format!("/v1/orders/{}/cancel", order["id"].as_str().unwrap());
    server.order_with_secret(Method::POST, &cancel, secret).await.expect_error(409, "invalid_transition");
}

fn verify_signature(secret: &str, header: &str, body: &[u8]) -> bool {
    use hmac::{Hmac, Mac};
    let mut parts = header.split(',').filter_map(|p| p.split_once('='));
    let (Some(("t", timestamp)), Some(("v1", hex_mac))) = (parts.next(), parts.next()) else { return false };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    hex::decode(hex_mac).is_ok_and(|expected| mac.verify_slice(&expected).is_ok())
}

/// A loopback HTTP server that records the webhooks it receives.
struct WebhookReceiver {
    url: String,
    events: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

#[derive(Clone)]
struct Received {
    signature: String,
    /// The exact bytes, which the signature covers.
    body: Vec<u8>,
    event: Value,
}

impl WebhookReceiver {
    async fn start() -> WebhookReceiver {
        use axum::http::HeaderMap;
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = events.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| async move {
                let signature = headers.get("shoppable-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                let event: Value = serde_json::from_slice(&body).unwrap_or_default();
                sink.lock().unwrap().push(Received { signature, body: body.to_vec(), event });
                "ok"
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        WebhookReceiver { url, events }
    }

    async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.events.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.events.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn every_failure_is_a_json_error() {
    let server = Server::start().await;
    let json_post = |path: &str, body: &str| {
        server.client.post(server.url(path)).header("Content-Type", "application/json").body(body.to_owned())
    };
    server.send(json_post("/v1/quote", "{\"lines\": [")).await.expect_error(400, "malformed_request");
    server.send(json_post("/v1/quote", "not json")).await.expect_error(400, "malformed_request");
    let wrong_type = server.send(json_post("/v1/quote", r#"{"lines": [{"variant_id": "a", "quantity": "two"}]}"#)).await;
    wrong_type.expect_error(422, "invalid_field");
    assert_eq!(wrong_type.field(), "lines[0].quantity");
    let negative = server.send(json_post("/v1/quote", r#"{"lines": [{"variant_id": "a", "quantity": -1}]}"#)).await;
    assert_eq!((negative.status, negative.field()), (422, "lines[0].quantity"));
    let not_json = server.client.post(server.url("/v1/quote")).header("Content-Type", "text/plain").body("{}");
    server.send(not_json).await.expect_error(400, "malformed_request");
    let huge = format!(r#"{{"lines": [], "padding": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
    server.send(json_post("/v1/quote", &huge)).await.expect_error(413, "payload_too_large");
    server.get("/v1/no/such/route").await.expect_error(404, "not_found");
    server.get("/v1/posts/%FF").await.expect_error(400, "malformed_request");
    server.get("/v1/posts/no-such-post").await.expect_error(404, "not_found");
    server.get("/v1/products/no-such-product").await.expect_error(404, "not_found");
    server.send(server.client.delete(server.url("/v1/config"))).await.expect_error(405, "method_not_allowed");
    server.send(server.client.get(server.url("/v1/quote"))).await.expect_error(405, "method_not_allowed");
}

#[tokio::test]
async fn cors_allows_the_configured_origins_only() {
    if skip_when_remote("cors_allows_the_configured_origins_only") {
        return;
    }
    let server = Server::spawn(&["--allowed-origin", "https://blog.example"], false).await;
    let preflight = |origin: &str| {
        server
            .client
            .request(Method::OPTIONS, server.url("/v1/orders"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key")
    };
    let allowed = preflight("https://blog.example").send().await.unwrap();
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), "https://blog.example");
    let allowed_headers = allowed.headers().get("access-control-allow-headers").unwrap().to_str().unwrap().to_lowercase();
    assert!(allowed_headers.contains("idempotency-key") && allowed_headers.contains("order-secret"));
    let other = preflight("https://evil.example").send().await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let simple = server.client.get(server.url("/v1/config")).header("Origin", "https://blog.example").send().await.unwrap();
    assert_eq!(simple.headers().get("access-control-allow-origin").unwrap(), "https://blog.example");
    let same_origin = server.get("/v1/config").await;
    same_origin.expect(200);
}

#[tokio::test]
async fn the_demo_shop_is_seeded_and_its_site_served() {
    if skip_when_remote("the_demo_shop_is_seeded_and_its_site_served") {
        return;
    }
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let server = Server::spawn(&["--seed-demo", "--site-dir", site], false).await;
    let batch = server.get("/v1/posts?ids=coffee,chelsea,astronaut,rocket").await;
    let batch = batch.expect(200);
    assert_eq!(batch["missing"], json!([]));
    for post in batch["posts"].as_array().unwrap() {
        let tags = post["tags"].as_array().unwrap();
        assert!(!tags.is_empty() && tags.len() <= 5, "{}", post["id"]);
        let image = server.client.get(server.url(post["image"]["url"].as_str().unwrap())).send().await.unwrap();
        assert_eq!(image.status(), 200, "{} is served", post["image"]["url"]);
    }
    let suit = server.get("/v1/products/combinaison-vol").await;
    let variants = suit.expect(200)["variants"].as_array().unwrap().clone();
    assert!(variants.iter().any(|v| v["available"] == false), "a sold-out size");
    let hidden = server.client.get(server.url("/.git/HEAD")).send().await.unwrap();
    assert_eq!(hidden.status(), 404, "hidden files are never served");
    server.get("/v1/nothing-here").await.expect_error(404, "not_found");
}

#[tokio::test]
async fn the_command_line_imports_a_feed_file() {
    if skip_when_remote("the_command_line_imports_a_feed_file") {
        return;
    }
    let scratch = Scratch::new().await;
    let feed = scratch.dir.join("feed.csv");
    let id = unique("lamp");
    std::fs::write(&feed, format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Lampe", "49.00 EUR", "7"))).unwrap();
    let output = server_command(&scratch.database).arg("import").arg(&feed).output().await.unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "imported 1 products, 1 variants");

    let bad = scratch.dir.join("bad.csv");
    std::fs::write(&bad, format!("{FEED_HEADER}\n{}\n", feed_row(&unique("lamp"), "Lampe", "49 euros", "7"))).unwrap();
    let mut command = server_command(&scratch.database);
    command.arg("import").arg(&bad).stderr(std::process::Stdio::piped());
    let output = command.output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row 2") && stderr.contains("price"), "{stderr}");

    let server = Server::spawn_on(scratch, &[], false).await;
    let lamp = server.get(&format!("/v1/products/{id}")).await;
    assert_eq!(lamp.expect(200)["variants"][0]["stock"], 7);
}

#[tokio::test]
async fn the_server_stops_cleanly_on_sigterm() {
    if skip_when_remote("the_server_stops_cleanly_on_sigterm") {
        return;
    }
    let server = Server::spawn(&[], false).await;
    server.get("/v1/config").await.expect(200);
    let (status, took) = server.terminate().await;
    assert!(status.success(), "{status:?}");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}
