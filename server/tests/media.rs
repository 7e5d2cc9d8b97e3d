//! Photo uploads of the tag editor (`server/src/routes/media.rs`): a reference-server feature
//! outside the protocol, so these tests always run on a local server process.

mod support;

use reqwest::Method;
use serde_json::json;
use support::*;

const PNG: &[u8] = include_bytes!("../../www/images/chelsea.png");
const JPEG: &[u8] = include_bytes!("../../www/images/rocket.jpg");

/// Uploads are files, whatever the database: always SQLite in a temp dir (also under
/// `scripts/with-postgres.sh`), so the files land next to it, by default in `shop-media/`,
/// and go away with it. Returns the server and that directory.
async fn local_server() -> (Server, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(unique("shoppable-media-test"));
    std::fs::create_dir_all(&dir).unwrap();
    let database = dir.join("shop.sqlite").display().to_string();
    let media = dir.join("shop-media");
    (Server::spawn_on(Scratch { dir, database }, &[], true).await, media)
}

async fn upload(server: &Server, token: &str, content_type: &str, body: &[u8]) -> Response {
    let request = server.admin_request(Method::POST, "/v1/admin/media", token).header("Content-Type", content_type).body(body.to_vec());
    server.send(request).await
}

#[tokio::test]
async fn an_uploaded_photo_is_served_back_under_the_hash_of_its_content() {
    if skip_when_remote("an_uploaded_photo_is_served_back_under_the_hash_of_its_content") {
        return;
    }
    let (server, media) = local_server().await;
    let token = server.admin_token.clone().unwrap();

    let answer = upload(&server, &token, "image/png", PNG).await;
    let body = answer.expect(201);
    let url = body["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/v1/media/") && url.ends_with(".png"), "{url}");
    assert_eq!((body["content_type"].as_str(), body["size"].as_u64()), (Some("image/png"), Some(PNG.len() as u64)));
    let name = url.strip_prefix("/v1/media/").unwrap();
    assert_eq!(std::fs::read(media.join(name)).unwrap(), PNG, "stored next to the database");

    let photo = server.client.get(server.url(&url)).send().await.unwrap();
    assert_eq!(photo.status(), 200);
    let header = |name: &str| photo.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    // Opened on its own, a photo runs nothing and loads nothing, whatever its bytes hide.
    assert_eq!(header("content-security-policy").as_deref(), Some("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PNG);

    // The same photo again is the same file; another photo gets its own name and type.
    assert_eq!(upload(&server, &token, "image/png", PNG).await.expect(201)["url"], url.as_str());
    let jpeg = upload(&server, &token, "image/jpeg; charset=binary", JPEG).await;
    assert!(jpeg.expect(201)["url"].as_str().unwrap().ends_with(".jpg"));

    // A post can show it.
    let post = json!({"image": {"url": url, "width": 451, "height": 300, "alt": "Chelsea"}, "tags": []});
    let saved = server.send(server.admin_request(Method::PUT, "/v1/admin/posts/uploaded", &token).json(&post)).await;
    assert_eq!(saved.expect(200)["image"]["url"], url.as_str());
}

#[tokio::test]
async fn uploads_need_the_token_and_a_real_image_of_the_declared_type() {
    if skip_when_remote("uploads_need_the_token_and_a_real_image_of_the_declared_type") {
        return;
    }
    let (server, media) = local_server().await;
    let token = server.admin_token.clone().unwrap();

    let anonymous = server.client.post(server.url("/v1/admin/media")).header("Content-Type", "image/png").body(PNG.to_vec());
    server.send(anonymous).await.expect_error(401, "unauthorized");
    upload(&server, "wrong-token", "image/png", PNG).await.expect_error(401, "unauthorized");

    let html = b"<!doctype html><script>alert(document.cookie)</script>";
    let refused = upload(&server, &token, "text/html", html).await;
    refused.expect_error(422, "invalid_field");
    assert_eq!(refused.field(), "Content-Type");
    let disguised = upload(&server, &token, "image/png", html).await;
    disguised.expect_error(422, "invalid_field");
    assert_eq!(disguised.field(), "body");
    upload(&server, &token, "image/jpeg", PNG).await.expect_error(422, "invalid_field");
    upload(&server, &token, "image/svg+xml", b"<svg onload=alert(1)/>").await.expect_error(422, "invalid_field");

    let mut huge = PNG.to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    upload(&server, &token, "image/png", &huge).await.expect_error(413, "payload_too_large");

    for path in [
        "/v1/media/0000000000000000000000000000000000000000000000000000000000000000.png",
        "/v1/media/..%2F..%2Fshop.sqlite",
        "/v1/media/shop.sqlite",
        "/v1/media/notes.html",
    ] {
        server.get(path).await.expect_error(404, "not_found");
    }
    assert!(!media.exists(), "nothing refused was stored");
}
