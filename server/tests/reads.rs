//! Cached public reads (issue 15): `ETag`, `If-None-Match` -> 304, `Cache-Control`, the
//! in-process cache emptied by admin writes and stock changes, and the static files' headers.

mod support;

use reqwest::Method;
use serde_json::json;
use support::*;

async fn get_with(server: &Server, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = server.client.get(server.url(path));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn public_reads_carry_validators_and_answer_304_until_a_write_changes_them() {
    if skip_when_remote("public_reads_carry_validators_and_answer_304_until_a_write_changes_them") {
        return;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let mug = unique("mug");
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(&mug, "Mug", "12.00 EUR", "3"))).await.expect(200);
    let post = unique("look");
    let input = json!({"image": {"url": "/a.jpg", "width": 2, "height": 1, "alt": "A"}, "tags": [{"x": 0.5, "y": 0.5, "product_id": mug}]});
    server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{post}"), &token).json(&input)).await.expect(200);

    for path in
        [format!("/v1/posts?ids={post}"), format!("/v1/posts/{post}"), format!("/v1/products/{mug}"), "/v1/products?q=mug".to_owned()]
    {
        let first = get_with(&server, &path, None).await;
        assert_eq!(first.status(), 200, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let cache_control = first.headers()["cache-control"].to_str().unwrap().to_owned();
        assert_eq!(cache_control, "public, max-age=5, stale-while-revalidate=30", "{path}");
        let body = first.bytes().await.unwrap();
        let again = get_with(&server, &path, Some(&etag)).await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = get_with(&server, &path, Some("W/\"other\", \"nope\"")).await;
        assert_eq!(other.status(), 200);
        assert_eq!(other.bytes().await.unwrap(), body, "{path}: the same bytes from the cache");
    }

    // A stock change shows at once: the cached product and post are dropped.
    let product_path = format!("/v1/products/{mug}");
    let before = get_with(&server, &product_path, None).await.headers()["etag"].to_str().unwrap().to_owned();
    let body = order_body(json!([{"variant_id": mug, "quantity": 3}]), &server.card_token(GOOD_CARD).await);
    let order = server.place_order(&unique("key"), &body).await.expect(201).clone();
    let after = get_with(&server, &product_path, Some(&before)).await;
    assert_eq!(after.status(), 200, "the stock changed");
    let product: serde_json::Value = after.json().await.unwrap();
    assert_eq!(product["variants"][0]["stock"], 0);
    let batch = server.get(&format!("/v1/posts?ids={post}")).await;
    assert_eq!(batch.expect(200)["posts"][0]["tags"][0]["product"]["available"], false);

    // Cancelling gives the units back, and the reads show it.
    let cancel = format!("/v1/orders/{}/cancel", order["id"].as_str().unwrap());
    server.order_with_secret(Method::POST, &cancel, order["secret"].as_str().unwrap()).await.expect(200);
    assert_eq!(server.get(&product_path).await.expect(200)["variants"][0]["stock"], 3);

    // An admin write shows at once too.
    let moved = json!({"image": {"url": "/b.jpg", "width": 2, "height": 1, "alt": "B"}, "tags": []});
    server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{post}"), &token).json(&moved)).await.expect(200);
    assert_eq!(server.get(&format!("/v1/posts/{post}")).await.expect(200)["image"]["url"], "/b.jpg");
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(&mug, "Mug", "14.00 EUR", "3"))).await.expect(200);
    assert_eq!(server.get(&product_path).await.expect(200)["variants"][0]["price"]["amount"], 1400);
    server.send(server.admin_request(Method::DELETE, &format!("/v1/admin/posts/{post}"), &token)).await;
    server.get(&format!("/v1/posts/{post}")).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn writes_of_another_process_show_once_the_cache_entry_expires() {
    if skip_when_remote("writes_of_another_process_show_once_the_cache_entry_expires") {
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let dir = scratch.dir.clone();
    let server = Server::spawn_on(scratch, &["--read-cache-ms", "300"], false).await;
    let id = unique("lamp");
    server.get(&format!("/v1/products/{id}")).await.expect_error(404, "not_found");
    let feed = dir.join("feed.csv");
    std::fs::write(&feed, format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Lampe", "49.00 EUR", "7"))).unwrap();
    let output = server_command(&database).arg("import").arg(&feed).output().await.unwrap();
    assert!(output.status.success());
    server.get(&format!("/v1/products/{id}")).await.expect(200);
    let search = format!("/v1/products?q={}", "lampe");
    let first = server.get(&search).await.expect(200).clone();
    let other = unique("lamp");
    std::fs::write(&feed, format!("{FEED_HEADER}\n{}\n", feed_row(&other, "Lampe", "49.00 EUR", "7"))).unwrap();
    assert!(server_command(&database).arg("import").arg(&feed).output().await.unwrap().status.success());
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let second = server.get(&search).await.expect(200).clone();
    assert_eq!(first["products"].as_array().unwrap().len() + 1, second["products"].as_array().unwrap().len());
}

#[tokio::test]
async fn widget_files_have_caching_headers_by_kind() {
    if skip_when_remote("widget_files_have_caching_headers_by_kind") {
        return;
    }
    let site = std::env::temp_dir().join(unique("shoppable-site"));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    for name in ["shoppable.js", "widget.js", "widget.0a1b2c3d4e.js"] {
        std::fs::write(site.join("pkg").join(name), format!("// {name}")).unwrap();
    }
    let server = Server::spawn(&["--site-dir", site.to_str().unwrap()], false).await;
    for (name, expected) in [
        ("shoppable.js", "public, max-age=300, stale-while-revalidate=86400"),
        ("widget.js", "no-cache"),
        ("widget.0a1b2c3d4e.js", "public, max-age=31536000, immutable"),
    ] {
        let path = format!("/pkg/{name}");
        let first = get_with(&server, &path, None).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], expected, "{name}");
        // Any page may load the widget's files, from any origin.
        assert_eq!(first.headers()["access-control-allow-origin"], "*", "{name}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = get_with(&server, &path, Some(&etag)).await;
        assert_eq!(again.status(), 304, "{name}");
        assert_eq!(again.headers()["cache-control"], expected);
    }
    // A changed file gets a new validator.
    let before = get_with(&server, "/pkg/widget.js", None).await.headers()["etag"].to_str().unwrap().to_owned();
    std::fs::write(site.join("pkg/widget.js"), "// a new build, longer").unwrap();
    let after = get_with(&server, "/pkg/widget.js", Some(&before)).await;
    assert_eq!(after.status(), 200);
    let _ = std::fs::remove_dir_all(site);
}
