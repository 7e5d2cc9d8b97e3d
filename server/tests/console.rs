//! The console's endpoints (`server/src/routes/console.rs`) and the filters of
//! `GET /v1/admin/orders`: reference-server features, run on a local server (SQLite, or
//! PostgreSQL under `scripts/with-postgres.sh`).

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

async fn local(test: &str) -> Option<(Server, String)> {
    if skip_when_remote(test) {
        return None;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    Some((server, token))
}

async fn admin_get(server: &Server, token: &str, path: &str) -> Response {
    server.send(server.admin_request(Method::GET, path, token)).await
}

/// Imports one product per id (a variant with the same id), 10 units each.
async fn import(server: &Server, token: &str, ids: &[&str]) {
    let rows: Vec<String> = ids.iter().map(|id| feed_row(id, &format!("Lamp {id}"), "20.00 EUR", "10")).collect();
    server.import(token, &format!("{FEED_HEADER}\n{}\n", rows.join("\n"))).await.expect(200);
}

async fn order(server: &Server, variant: &str, email: &str) -> Value {
    let token = server.card_token(GOOD_CARD).await;
    let mut body = order_body(json!([{"variant_id": variant, "quantity": 2}]), &token);
    body["address"]["email"] = json!(email);
    server.place_order(&unique("key"), &body).await.expect(201).clone()
}

fn numbers(list: &Value) -> Vec<String> {
    list["orders"].as_array().unwrap().iter().map(|o| o["number"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn orders_waiting_on_the_shop_are_listed_alone_and_paged() {
    let Some((server, token)) = local("orders_waiting_on_the_shop_are_listed_alone_and_paged").await else { return };
    import(&server, &token, &["wait-a"]).await;
    let write = |order: &Value, body: &str| {
        let id = order["id"].as_str().unwrap();
        let request = server.client.post(server.url(&format!("/v1/orders/{id}/messages"))).json(&json!({"body": body}));
        server.send(request.header("Order-Secret", order["secret"].as_str().unwrap()))
    };
    let asking = order(&server, "wait-a", "ana@example.com").await;
    write(&asking, "Livrez chez la voisine ?").await.expect(201);
    let answered = order(&server, "wait-a", "ben@example.com").await;
    write(&answered, "Merci").await.expect(201);
    let id = answered["id"].as_str().unwrap();
    let reply =
        server.admin_request(Method::POST, &format!("/v1/admin/orders/{id}/messages"), &token).json(&json!({"body": "Avec plaisir"}));
    server.send(reply).await.expect(201);
    let quiet = order(&server, "wait-a", "cleo@example.com").await;
    let also_asking = order(&server, "wait-a", "dan@example.com").await;
    write(&also_asking, "Un paquet cadeau ?").await.expect(201);

    let all = admin_get(&server, &token, "/v1/admin/orders?limit=10").await;
    assert_eq!(numbers(all.expect(200)).len(), 4);
    let waiting = admin_get(&server, &token, "/v1/admin/orders?waiting=true&limit=10").await;
    let mut listed = numbers(waiting.expect(200));
    listed.sort();
    let mut expected = vec![asking["number"].as_str().unwrap().to_owned(), also_asking["number"].as_str().unwrap().to_owned()];
    expected.sort();
    assert_eq!(listed, expected, "{} and {} wait on nobody", answered["number"], quiet["number"]);
    // Paged like the others: one a page, two pages.
    let first = numbers(admin_get(&server, &token, "/v1/admin/orders?waiting=true&limit=1").await.expect(200));
    let second = numbers(admin_get(&server, &token, "/v1/admin/orders?waiting=true&limit=1&offset=1").await.expect(200));
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_ne!(first, second);
    assert!(numbers(admin_get(&server, &token, "/v1/admin/orders?waiting=true&limit=1&offset=2").await.expect(200)).is_empty());
}

#[tokio::test]
async fn orders_are_filtered_by_status_number_email_and_day_and_paged() {
    let Some((server, token)) = local("orders_are_filtered_by_status_number_email_and_day_and_paged").await else { return };
    import(&server, &token, &["lamp-a"]).await;
    let first = order(&server, "lamp-a", "ana@example.com").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await; // newest first, by the second
    let third = order(&server, "lamp-a", "Bob@Example.com").await;
    let (n1, n3) = (first["number"].as_str().unwrap(), third["number"].as_str().unwrap());
    let id3 = third["id"].as_str().unwrap();
    server
        .send(server.admin_request(Method::POST, &format!("/v1/admin/orders/{id3}/ship"), &token).json(&json!({"tracking_number": "6A1"})))
        .await
        .expect(200);

    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders").await.expect(200)), [n3, n1]);
    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders?status=shipped").await.expect(200)), [n3]);
    assert_eq!(numbers(admin_get(&server, &token, &format!("/v1/admin/orders?q={}", &n1[3..7].to_lowercase())).await.expect(200)), [n1]);
    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders?q=bob@example").await.expect(200)), [n3]);
    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders?q=%25@").await.expect(200)), Vec::<String>::new());
    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders?limit=1&offset=1").await.expect(200)), [n1]);
    let today = &first["created_at"].as_str().unwrap()[..10];
    assert_eq!(numbers(admin_get(&server, &token, &format!("/v1/admin/orders?from={today}&to={today}")).await.expect(200)).len(), 2);
    assert_eq!(numbers(admin_get(&server, &token, "/v1/admin/orders?to=2000-01-01").await.expect(200)).len(), 0);
    admin_get(&server, &token, "/v1/admin/orders?from=yesterday").await.expect_error(422, "invalid_field");

    let one = admin_get(&server, &token, &format!("/v1/admin/orders/{id3}")).await;
    let one = one.expect(200);
    assert_eq!(one["status"], "shipped");
    assert!(one.get("secret").is_none());
    admin_get(&server, &token, "/v1/admin/orders/ord_nope").await.expect_error(404, "not_found");
    server.get(&format!("/v1/admin/orders/{id3}")).await.expect_error(401, "unauthorized");
}

#[tokio::test]
async fn a_variant_stock_is_set_from_the_console() {
    let Some((server, token)) = local("a_variant_stock_is_set_from_the_console").await else { return };
    import(&server, &token, &["stock-a", "stock-b"]).await;
    let set = |variant: &'static str, stock: Value| {
        server
            .send(server.admin_request(Method::PUT, &format!("/v1/admin/variants/{variant}/stock"), &token).json(&json!({"stock": stock})))
    };
    let product = set("stock-a", json!(1)).await;
    assert_eq!(product.expect(200)["variants"][0]["stock"], 1);
    set("stock-nope", json!(3)).await.expect_error(404, "not_found");
    set("stock-a", json!(-1)).await.expect_error(422, "invalid_field");
    set("stock-a", json!(1_000_000_001)).await.expect_error(422, "invalid_field");
    let list = admin_get(&server, &token, "/v1/admin/products?q=stock-").await;
    let products = list.expect(200)["products"].as_array().unwrap().clone();
    assert_eq!(products.len(), 2);
    assert_eq!(products[0]["variants"][0]["stock"], 1);
    assert_eq!(products[1]["variants"][0]["stock"], 10);
    // One unit left: an order of two is refused.
    let card = server.card_token(GOOD_CARD).await;
    server
        .place_order("stock-key", &order_body(json!([{"variant_id": "stock-a", "quantity": 2}]), &card))
        .await
        .expect_error(409, "out_of_stock");
    let untracked = set("stock-a", Value::Null).await;
    assert!(untracked.expect(200)["variants"][0].get("stock").is_none());
    server.get("/v1/admin/products").await.expect_error(401, "unauthorized");
}

#[tokio::test]
async fn saved_posts_are_listed_last_saved_first_with_their_tags() {
    let Some((server, token)) = local("saved_posts_are_listed_last_saved_first_with_their_tags").await else { return };
    import(&server, &token, &["post-lamp"]).await;
    for id in ["look-1", "look-2"] {
        let post = json!({"image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": id},
                          "tags": [{"x": 0.5, "y": 0.5, "product_id": "post-lamp"}]});
        server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{id}"), &token).json(&post)).await.expect(200);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await; // updated_at is in seconds
    }
    let list = admin_get(&server, &token, "/v1/admin/posts").await;
    let posts = list.expect(200)["posts"].as_array().unwrap().clone();
    let ids: Vec<&str> = posts.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["look-2", "look-1"]);
    assert_eq!(posts[0]["tags"][0]["product"]["id"], "post-lamp");
    let paged = admin_get(&server, &token, "/v1/admin/posts?offset=1&limit=1").await;
    assert_eq!(paged.expect(200)["posts"][0]["id"], "look-1");
    admin_get(&server, &token, "/v1/admin/posts?limit=0").await.expect_error(422, "invalid_field");
    server.get("/v1/admin/posts").await.expect_error(401, "unauthorized");
}

async fn beacon(server: &Server, body: &str) -> Response {
    // What navigator.sendBeacon sends for a string.
    server.send(server.client.post(server.url("/v1/events")).header("Content-Type", "text/plain;charset=UTF-8").body(body.to_owned())).await
}

#[tokio::test]
async fn events_are_counted_per_day_and_reported_with_the_orders() {
    let Some((server, token)) = local("events_are_counted_per_day_and_reported_with_the_orders").await else { return };
    assert_eq!(server.get("/v1/config").await.expect(200)["events_url"], "/v1/events");
    import(&server, &token, &["ins-a", "ins-b"]).await;
    let post = json!({"image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": ""},
                      "tags": [{"x": 0.2, "y": 0.5, "product_id": "ins-a"}, {"x": 0.7, "y": 0.5, "product_id": "ins-b"}]});
    server.send(server.admin_request(Method::PUT, "/v1/admin/posts/ins-look", &token).json(&post)).await.expect(200);

    let events = json!({"events": [
        {"name": "tag_view", "post_id": "ins-look", "product_id": "ins-a"},
        {"name": "tag_view", "post_id": "ins-look", "product_id": "ins-b"},
        {"name": "tag_open", "post_id": "ins-look", "product_id": "ins-a"},
        {"name": "add_to_bag", "post_id": "ins-look", "product_id": "ins-a", "variant_id": "ins-a"},
        {"name": "tag_view", "post_id": "made-up", "product_id": "ins-a"},
        {"name": "tag_open", "post_id": "ins-look", "product_id": "made-up"}
    ]});
    assert_eq!(beacon(&server, &events.to_string()).await.status, 204);
    let again = json!({"events": [{"name": "tag_view", "post_id": "ins-look", "product_id": "ins-a"}]});
    assert_eq!(server.post("/v1/events", &again).await.status, 204);
    beacon(&server, r#"{"events": []}"#).await.expect_error(422, "invalid_field");
    beacon(&server, r#"{"events": [{"name": "tag_view", "post_id": "a b", "product_id": "ins-a"}]}"#)
        .await
        .expect_error(422, "invalid_field");
    beacon(&server, r#"{"events": [{"name": "stare"}]}"#).await;
    let many: Vec<Value> = (0..51).map(|_| json!({"name": "tag_view", "product_id": "ins-a"})).collect();
    beacon(&server, &json!({"events": many}).to_string()).await.expect_error(422, "invalid_field");
    beacon(&server, &"x".repeat(20_000)).await.expect_error(413, "payload_too_large");

    order(&server, "ins-a", "ana@example.com").await;
    let report = admin_get(&server, &token, "/v1/admin/insights").await;
    let report = report.expect(200);
    assert_eq!(report["days"].as_array().unwrap().len(), 30);
    let today = report["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((today["tag_views"].as_u64(), today["tag_opens"].as_u64(), today["adds_to_bag"].as_u64()), (Some(3), Some(1), Some(1)));
    assert_eq!(today["orders"], 1);
    // The order's line names no post: none of the post's sales.
    assert_eq!(
        report["posts"],
        json!([{"key": "ins-look", "tag_views": 3, "tag_opens": 1, "adds_to_bag": 1, "checkouts": 0, "orders": 0, "revenue": {"amount": 0, "currency": "EUR"}}])
    );
    let products = report["products"].as_array().unwrap();
    assert_eq!(products[0]["key"], "ins-a");
    assert_eq!(products[0]["title"], "Lamp ins-a");
    assert_eq!((products[0]["tag_views"].as_u64(), products[0]["orders"].as_u64()), (Some(2), Some(1)));
    assert_eq!(products[0]["revenue"], json!({"amount": 4000, "currency": "EUR"}));
    assert_eq!(
        (products[1]["key"].as_str(), products[1]["tag_views"].as_u64(), products[1]["orders"].as_u64()),
        (Some("ins-b"), Some(1), Some(0))
    );

    let old = admin_get(&server, &token, "/v1/admin/insights?from=2001-01-01&to=2001-01-02").await;
    let old = old.expect(200);
    assert_eq!(old["days"].as_array().unwrap().len(), 2);
    assert_eq!(old["products"], json!([]));
    admin_get(&server, &token, "/v1/admin/insights?from=2001-01-02&to=2001-01-01").await.expect_error(422, "invalid_field");
    admin_get(&server, &token, "/v1/admin/insights?from=2001-01-01&to=2003-01-01").await.expect_error(422, "invalid_field");
    server.get("/v1/admin/insights").await.expect_error(401, "unauthorized");
}

#[tokio::test]
async fn events_are_counted_per_medium_of_a_post_of_several_media() {
    let Some((server, token)) = local("events_are_counted_per_medium_of_a_post_of_several_media").await else { return };
    import(&server, &token, &["med-a", "med-b"]).await;
    let photo = |product: &str| {
        json!({"type": "photo", "image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": ""},
                                       "tags": [{"x": 0.5, "y": 0.5, "product_id": product}]})
    };
    let video = json!({"type": "video", "image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": "Try-on"},
                       "video": {"url": "/v1/media/tryon.mp4"}, "tags": [{"start": 0, "end": 5, "product_id": "med-b"}]});
    let look = json!({"media": [photo("med-a"), photo("med-a"), video]});
    server.send(server.admin_request(Method::PUT, "/v1/admin/posts/med-look", &token).json(&look)).await.expect(200);
    let single = json!({"image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": ""},
                        "tags": [{"x": 0.5, "y": 0.5, "product_id": "med-a"}]});
    server.send(server.admin_request(Method::PUT, "/v1/admin/posts/med-single", &token).json(&single)).await.expect(200);

    let event = |name: &str, post: &str, product: &str, index: Option<u32>| {
        let mut event = json!({"name": name, "post_id": post, "product_id": product});
        if let Some(index) = index {
            event["media_index"] = json!(index);
        }
        event
    };
    let events = json!({"events": [
        event("tag_view", "med-look", "med-a", Some(0)),
        event("tag_view", "med-look", "med-a", Some(0)),
        event("tag_open", "med-look", "med-a", Some(0)),
        event("tag_view", "med-look", "med-b", Some(2)),
        event("tag_open", "med-look", "med-b", Some(2)),
        event("add_to_bag", "med-look", "med-b", Some(2)),
        // A page of 1.3 and before names no medium: the post's only.
        event("tag_view", "med-look", "med-a", None),
        // A medium the post does not have (a page older than the post's last edit): the post's only.
        event("tag_open", "med-look", "med-a", Some(3)),
        event("tag_view", "med-single", "med-a", None),
    ]});
    assert_eq!(beacon(&server, &events.to_string()).await.status, 204);
    let before = admin_get(&server, &token, "/v1/admin/insights").await.expect(200).clone();

    // Beyond the 10 media a post may have, not a whole number, or without a post: the whole
    // batch is refused at the field, and nothing is counted.
    let good = event("add_to_bag", "med-look", "med-a", Some(1));
    for (bad, field) in [
        (event("tag_open", "med-look", "med-a", Some(10)), "events[1].media_index"),
        (json!({"name": "tag_open", "post_id": "med-look", "product_id": "med-a", "media_index": -1}), "events[1].media_index"),
        (json!({"name": "tag_open", "post_id": "med-look", "product_id": "med-a", "media_index": 1.5}), "events[1].media_index"),
        (json!({"name": "tag_open", "product_id": "med-a", "media_index": 0}), "events[1].media_index"),
    ] {
        let refused = beacon(&server, &json!({"events": [good, bad]}).to_string()).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.field(), field, "{bad}");
    }
    let beyond = beacon(&server, &json!({"events": [event("tag_view", "med-look", "med-a", Some(10))]}).to_string()).await;
    assert!(beyond.body["message"].as_str().unwrap().contains("0 to 9"), "the message says the bound: {}", beyond.body);
    let report = admin_get(&server, &token, "/v1/admin/insights").await.expect(200).clone();
    assert_eq!(report, before, "a refused batch counts nothing");

    // Each medium of the post has its row, in the post's order, zeros included; the post's
    // own counts keep every event.
    let post = |id: &str| report["posts"].as_array().unwrap().iter().find(|p| p["key"] == id).cloned().unwrap();
    let look = post("med-look");
    assert_eq!((look["tag_views"].as_u64(), look["tag_opens"].as_u64(), look["adds_to_bag"].as_u64()), (Some(4), Some(3), Some(1)));
    assert_eq!(
        look["media"],
        json!([
            {"index": 0, "type": "photo", "tag_views": 2, "tag_opens": 1, "adds_to_bag": 0, "checkouts": 0},
            {"index": 1, "type": "photo", "tag_views": 0, "tag_opens": 0, "adds_to_bag": 0, "checkouts": 0},
            {"index": 2, "type": "video", "tag_views": 1, "tag_opens": 1, "adds_to_bag": 1, "checkouts": 0}
        ])
    );
    // A post of one photo has no breakdown, nor do days and products.
    assert!(post("med-single").get("media").is_none(), "{}", post("med-single"));
    assert!(report["days"].as_array().unwrap().iter().chain(report["products"].as_array().unwrap()).all(|row| row.get("media").is_none()));
}

/// Places a paid order of `lines` (`[variant, quantity, post]`); the answer.
async fn order_from_posts(server: &Server, lines: &[(&str, u32, Option<&str>)]) -> Response {
    let lines: Vec<Value> =
        lines.iter().map(|(variant, quantity, post)| json!({"variant_id": variant, "quantity": quantity, "post_id": post})).collect();
    let token = server.card_token(GOOD_CARD).await;
    server.place_order(&unique("key"), &order_body(json!(lines), &token)).await
}

#[tokio::test]
async fn orders_and_revenue_are_reported_for_the_posts_their_lines_were_added_from() {
    let Some((server, token)) = local("orders_and_revenue_are_reported_for_the_posts_their_lines_were_added_from").await else { return };
    import(&server, &token, &["sale-a", "sale-b", "sale-c"]).await;
    for (id, products) in [("sale-look-1", ["sale-a", "sale-b"]), ("sale-look-2", ["sale-b", "sale-c"])] {
        let tags: Vec<Value> = products.iter().map(|p| json!({"x": 0.5, "y": 0.5, "product_id": p})).collect();
        let post = json!({"image": {"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": ""}, "tags": tags});
        server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{id}"), &token).json(&post)).await.expect(200);
    }
    // The post never changes a price: the same bag is quoted the same with or without it.
    let quote = |post: Option<&str>| json!({"lines": [{"variant_id": "sale-a", "quantity": 2, "post_id": post}]});
    let (with_post, without) = (server.post("/v1/quote", &quote(Some("sale-look-1"))).await, server.post("/v1/quote", &quote(None)).await);
    assert_eq!(with_post.expect(200)["total"], without.expect(200)["total"]);

    // Two lines from two posts; a line from a post plus one bought without a post.
    let mut items = 0;
    for lines in [
        &[("sale-a", 2, Some("sale-look-1")), ("sale-b", 1, Some("sale-look-2"))][..],
        &[("sale-b", 1, Some("sale-look-1")), ("sale-c", 3, None)],
        // A post the shop does not have is not credited.
        &[("sale-a", 1, Some("no-such-look"))],
    ] {
        items += order_from_posts(&server, lines).await.expect(201)["subtotal"]["amount"].as_i64().unwrap();
    }
    // A cancelled order sells nothing.
    let cancelled = order_from_posts(&server, &[("sale-c", 1, Some("sale-look-2"))]).await;
    let (id, secret) = (cancelled.expect(201)["id"].as_str().unwrap().to_owned(), cancelled.body["secret"].as_str().unwrap().to_owned());
    server.order_with_secret(Method::POST, &format!("/v1/orders/{id}/cancel"), &secret).await.expect(200);
    // A post id that is not one is refused, and nothing is ordered.
    let refused = order_from_posts(&server, &[("sale-a", 1, Some("../admin"))]).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.field(), "lines[0].post_id");

    let report = admin_get(&server, &token, "/v1/admin/insights").await;
    let report = report.expect(200);
    let post = |id: &str| report["posts"].as_array().unwrap().iter().find(|p| p["key"] == id).cloned();
    let sales = |row: Value| (row["orders"].as_u64().unwrap(), row["revenue"]["amount"].as_i64().unwrap());
    assert_eq!(sales(post("sale-look-1").unwrap()), (2, 6000), "2 × 20.00 + 20.00");
    assert_eq!(sales(post("sale-look-2").unwrap()), (1, 2000));
    assert_eq!(post("no-such-look"), None);
    assert_eq!(report["posts"].as_array().unwrap().len(), 2);
    let today = report["days"].as_array().unwrap().last().unwrap().clone();
    // The day's revenue is its items', as the posts' and products' rows: shipping is left out.
    assert_eq!(sales(today), (3, items), "every sold order counts for the day, its items' revenue");
}

#[tokio::test]
async fn the_console_page_is_served_at_console() {
    let Some((server, _)) = local("the_console_page_is_served_at_console").await else { return };
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(server.url("/console/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    // No page may frame the console (clickjacking of the shop's admin), and only its own
    // scripts run: the inline loader by its hash, the wasm it starts, nothing injected.
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();
    assert!(html.contains("../pkg/console.js"));
    let loader = html.split_once("<script type=\"module\">").unwrap().1.split_once("</script>").unwrap().0;
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(loader.as_bytes()));
    for directive in ["default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "connect-src 'self'"] {
        assert!(policy.split(';').any(|d| d.trim() == directive), "{directive} in {policy}");
    }
    let scripts = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).unwrap_or_else(|| panic!("{policy}"));
    assert_eq!(scripts, format!("script-src 'self' 'sha256-{hash}' 'wasm-unsafe-eval'"));
    let bare = client.get(server.url("/console")).send().await.unwrap();
    assert_eq!(bare.status(), 308);
    assert_eq!(bare.headers()["location"], "/console/");
}

#[tokio::test]
async fn events_are_rate_limited_per_client() {
    if skip_when_remote("events_are_rate_limited_per_client") {
        return;
    }
    let server = Server::spawn(&["--rate-limit-per-second", "1", "--rate-limit-burst", "2"], true).await;
    let batch = r#"{"events": [{"name": "tag_view", "product_id": "nope"}]}"#;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(beacon(&server, batch).await.status);
    }
    assert_eq!(&statuses[..2], [204, 204]);
    assert!(statuses[2..].contains(&429), "{statuses:?}");
}
