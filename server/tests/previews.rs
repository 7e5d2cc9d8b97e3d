//! The tag editor's previews (`POST /v1/admin/previews`, the reference backend's own): an unsaved
//! post, checked as saving checks it, served by `GET /v1/posts` under an unguessable id,
//! never published in place of the saved post, never listed, and never credited with orders.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

async fn preview(server: &Server, token: &str, body: &Value) -> Response {
    server.send(server.admin_request(Method::POST, "/v1/admin/previews", token).json(body)).await
}

fn photo(url: &str, tags: Value) -> Value {
    json!({"type": "photo", "image": {"url": url, "width": 600, "height": 400, "alt": "Un salon"}, "tags": tags})
}

#[tokio::test]
async fn a_preview_is_served_like_a_post_and_leaves_the_saved_post_alone() {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let lamp = unique("lamp");
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(&lamp, "Lampe", "49.00 EUR", "3"))).await.expect(200);
    let id = unique("look");
    let saved = json!({"media": [photo("/a.jpg", json!([{"x": 0.5, "y": 0.5, "product_id": lamp}]))]});
    let saved = server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{id}"), &token).json(&saved)).await;
    let saved = saved.expect(200).clone();

    // The draft: the tag moved, a second photo with a link out.
    let draft = json!({"media": [
        photo("/a.jpg", json!([{"x": 0.7, "y": 0.2, "product_id": lamp}])),
        photo("/b.jpg", json!([{"x": 0.1, "y": 0.9, "link": {"title": "Tapis", "price": {"amount": 12900, "currency": "EUR"}, "url": "https://other.example/tapis"}}]))
    ]});
    let made = preview(&server, &token, &draft).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let shown = made.body.clone();
    let preview_id = shown["id"].as_str().unwrap().to_owned();
    let random = preview_id.strip_prefix("preview-").unwrap_or_default();
    assert!(random.len() == 32 && random.bytes().all(|c| c.is_ascii_hexdigit()), "{preview_id}");
    assert_eq!(shown["media"][0]["tags"][0]["x"], 0.7);
    assert_eq!(shown["media"][0]["tags"][0]["product"]["title"], "Lampe");
    assert_eq!(shown["media"][1]["tags"][0]["link"]["title"], "Tapis");

    // Served as a post, by both reads, as the answer showed it.
    let batch = server.get(&format!("/v1/posts?ids={id},{preview_id}")).await;
    let batch = batch.expect(200);
    assert_eq!(batch["posts"][1], shown);
    assert_eq!(batch["missing"], json!([]));
    assert_eq!(server.get(&format!("/v1/posts/{preview_id}")).await.expect(200), &shown);
    // The saved post is as saved; the preview is in no list.
    assert_eq!(batch["posts"][0], saved);
    let listed = server.send(server.admin_request(Method::GET, "/v1/admin/posts?limit=500", &token)).await;
    assert!(listed.expect(200)["posts"].as_array().unwrap().iter().all(|p| p["id"] != preview_id.as_str()));
    // Each draft is a preview of its own; an id never seen is missing.
    let again = preview(&server, &token, &draft).await;
    assert_ne!(again.expect(201)["id"], preview_id.as_str());
    let unknown = server.get("/v1/posts?ids=preview-00000000000000000000000000000000").await;
    assert_eq!(unknown.expect(200)["missing"], json!(["preview-00000000000000000000000000000000"]));

    // Bought from: a real order of the catalog's product, credited to no post.
    let card = server.card_token(GOOD_CARD).await;
    let body = order_body(json!([{"variant_id": lamp, "quantity": 1, "post_id": preview_id}]), &card);
    let order = server.place_order(&unique("key"), &body).await;
    assert_eq!(order.expect(201)["lines"][0]["variant_id"], lamp.as_str());
    let insights = server.send(server.admin_request(Method::GET, "/v1/admin/insights", &token)).await;
    let insights = insights.expect(200);
    assert!(insights["posts"].as_array().unwrap().iter().all(|p| p["key"] != preview_id.as_str()), "{insights}");
}

#[tokio::test]
async fn a_draft_is_refused_as_saving_would_refuse_it_and_only_with_the_admin_token() {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let cases = [
        (json!({"media": [photo("/a.jpg", json!([{"x": 1.5, "y": 0.5, "product_id": "x"}]))]}), "media[0].tags[0].x"),
        (
            json!({"media": [photo("/a.jpg", json!([{"x": 0.5, "y": 0.5, "product_id": "no-such-product"}]))]}),
            "media[0].tags[0].product_id",
        ),
        (json!({"media": [photo("javascript:alert(1)", json!([]))]}), "media[0].image.url"),
        (json!({"media": []}), "media"),
    ];
    for (body, field) in cases {
        let saving =
            server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{}", unique("bad")), &token).json(&body)).await;
        saving.expect_error(422, "invalid_field");
        let previewing = preview(&server, &token, &body).await;
        previewing.expect_error(422, "invalid_field");
        assert_eq!((previewing.field(), saving.field()), (field, field), "{body}");
    }
    let body = json!({"media": [photo("/a.jpg", json!([]))]});
    preview(&server, "wrong", &body).await.expect_error(401, "unauthorized");
    server.send(server.client.post(server.url("/v1/admin/previews")).json(&body)).await.expect_error(401, "unauthorized");
}
