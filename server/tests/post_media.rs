//! Posts of several media (protocol 1.2): photos and videos with their own tags, link-out
//! tags beside catalog ones, the 1.0 view kept for old clients, the rules' 422s naming the
//! field, and posts saved before the migration still served. On SQLite, and on PostgreSQL under
//! `scripts/with-postgres.sh`.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

async fn put(server: &Server, token: &str, id: &str, body: &Value) -> Response {
    server.send(server.admin_request(Method::PUT, &format!("/v1/admin/posts/{id}"), token).json(body)).await
}

async fn with_products(server: &Server, token: &str) -> (String, String) {
    let (lamp, mug) = (unique("lamp"), unique("mug"));
    let feed = format!("{FEED_HEADER}\n{}\n{}\n", feed_row(&lamp, "Lampe", "49.00 EUR", "3"), feed_row(&mug, "Tasse", "12.00 EUR", "5"));
    server.import(token, &feed).await.expect(200);
    (lamp, mug)
}

fn photo(url: &str, tags: Value) -> Value {
    json!({"type": "photo", "image": {"url": url, "width": 600, "height": 400, "alt": "Un salon"}, "tags": tags})
}

fn video(tags: Value) -> Value {
    json!({
        "type": "video",
        "image": {"url": "/v1/media/poster.jpg", "width": 1080, "height": 1920, "alt": "Essayage"},
        "video": {"url": "/v1/media/tryon.mp4", "captions": [{"url": "/v1/media/tryon-fr.vtt", "language": "fr", "label": "Français"}]},
        "tags": tags
    })
}

fn affiliate() -> Value {
    json!({"title": "Tapis berbère", "price": {"amount": 12900, "currency": "EUR"}, "url": "https://other.example/tapis?ref=blog"})
}

#[tokio::test]
async fn a_carousel_with_a_video_and_links_out_is_saved_and_served_with_its_first_photo_for_old_clients() {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let (lamp, mug) = with_products(&server, &token).await;
    let id = unique("look");
    let input = json!({"media": [
        video(json!([
            {"start": 0.0, "end": 3.5, "x": 0.4, "y": 0.6, "product_id": mug},
            {"start": 2.0, "end": 12.0, "product_id": lamp}
        ])),
        photo("/www/images/a.jpg", json!([
            {"x": 0.3, "y": 0.6, "product_id": lamp},
            {"x": 0.7, "y": 0.8, "link": affiliate()}
        ])),
        photo("/www/images/b.jpg", json!([{"x": 0.5, "y": 0.5, "product_id": mug}]))
    ]});
    let saved = put(&server, &token, &id, &input).await;
    let saved = saved.expect(200).clone();

    for shown in [server.get(&format!("/v1/posts/{id}")).await.expect(200).clone(), {
        let batch = server.get(&format!("/v1/posts?ids={id},nope")).await;
        batch.expect(200)["posts"][0].clone()
    }] {
        assert_eq!(shown, saved);
        // The 1.0 view: the first photo (not the video's poster) and its catalog tags only.
        assert_eq!(shown["image"]["url"], "/www/images/a.jpg");
        let old_tags = shown["tags"].as_array().unwrap();
        assert_eq!(old_tags.len(), 1, "{shown}");
        assert_eq!((old_tags[0]["product"]["id"].as_str(), old_tags[0]["x"].as_f64()), (Some(lamp.as_str()), Some(0.3)));

        let media = shown["media"].as_array().unwrap();
        assert_eq!(media.iter().map(|m| m["type"].as_str().unwrap()).collect::<Vec<_>>(), ["video", "photo", "photo"]);
        let video_tags = media[0]["tags"].as_array().unwrap();
        assert_eq!(
            (video_tags[0]["start"].as_f64(), video_tags[0]["end"].as_f64(), video_tags[0]["x"].as_f64()),
            (Some(0.0), Some(3.5), Some(0.4))
        );
        assert_eq!(video_tags[0]["product"]["title"], "Tasse");
        assert!(video_tags[1].get("x").is_none(), "listed in the tray, not drawn: {}", video_tags[1]);
        assert_eq!(media[0]["video"]["captions"][0]["language"], "fr");
        assert_eq!(media[0]["image"]["width"], 1080);
        assert_eq!(media[1]["tags"][1]["link"], affiliate());
        assert!(media[1]["tags"][1].get("product").is_none());
        // Ids are unique in the post, and the first photo's tag is the same tag in both views.
        let ids: Vec<&str> = media.iter().flat_map(|m| m["tags"].as_array().unwrap()).map(|t| t["id"].as_str().unwrap()).collect();
        let mut unique_ids = ids.clone();
        unique_ids.sort();
        unique_ids.dedup();
        assert_eq!(unique_ids.len(), 5, "{ids:?}");
        assert_eq!(old_tags[0]["id"], media[1]["tags"][0]["id"]);
    }

    // A single photo with catalog tags stays exactly a 1.0 post: no `media`.
    let plain = json!({"image": {"url": "/a.jpg", "width": 2, "height": 1, "alt": ""}, "tags": [{"x": 0.5, "y": 0.5, "product_id": mug}]});
    let v1 = put(&server, &token, &unique("plain"), &plain).await;
    assert!(v1.expect(200).get("media").is_none(), "{}", v1.body);
    // One photo mixing a catalog product and a link out: both kept, the link in `media` only.
    let mixed = json!({"image": {"url": "/a.jpg", "width": 2, "height": 1, "alt": ""},
        "tags": [{"x": 0.5, "y": 0.5, "product_id": mug}, {"x": 0.2, "y": 0.2, "link": affiliate()}]});
    let mixed = put(&server, &token, &unique("mixed"), &mixed).await;
    let mixed = mixed.expect(200);
    assert_eq!((mixed["tags"].as_array().unwrap().len(), mixed["media"][0]["tags"].as_array().unwrap().len()), (1, 2));

    // A post of one video: its poster for old clients, and no tag drawn on it.
    let reel = put(&server, &token, &unique("reel"), &json!({"media": [video(json!([{"start": 1, "end": 2, "product_id": lamp}]))]})).await;
    let reel = reel.expect(200);
    assert_eq!((reel["image"]["url"].as_str(), reel["tags"].as_array().unwrap().len()), (Some("/v1/media/poster.jpg"), 0));
}

#[tokio::test]
async fn every_refused_value_is_a_422_naming_its_field_and_changes_nothing() {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let (lamp, _) = with_products(&server, &token).await;
    let id = unique("look");
    let good = json!({"media": [photo("/a.jpg", json!([{"x": 0.5, "y": 0.5, "product_id": lamp}])), video(json!([{"start": 0, "end": 1, "product_id": lamp}]))]});
    let before = put(&server, &token, &id, &good).await.expect(200).clone();

    let tag = |t: Value| json!({"media": [photo("/a.jpg", json!([])), photo("/b.jpg", json!([])), video(json!([t]))]});
    let tags = |n: usize| Value::Array(vec![json!({"x": 0.1, "y": 0.1, "product_id": lamp}); n]);
    let five = tags(5);
    let cases = [
        (tag(json!({"start": 3, "end": 2, "product_id": lamp})), "media[2].tags[0].end"),
        (tag(json!({"start": -1, "end": 2, "product_id": lamp})), "media[2].tags[0].start"),
        (tag(json!({"start": 1, "product_id": lamp})), "media[2].tags[0].end"),
        (tag(json!({"end": 1, "product_id": lamp})), "media[2].tags[0].start"),
        (tag(json!({"start": 0, "end": 1, "x": 0.5, "product_id": lamp})), "media[2].tags[0].y"),
        (tag(json!({"start": 0, "end": 1, "product_id": "no-such-product"})), "media[2].tags[0].product_id"),
        (tag(json!({"start": 0, "end": 1, "product_id": lamp, "link": affiliate()})), "media[2].tags[0].link"),
        (
            tag(
                json!({"start": 0, "end": 1, "link": {"title": "x", "price": {"amount": 1, "currency": "EUR"}, "url": "javascript:alert(1)"}}),
            ),
            "media[2].tags[0].link.url",
        ),
        (
            json!({"media": [photo("/a.jpg", json!([{"x": 0.5, "y": 0.5, "start": 0, "end": 1, "product_id": lamp}]))]}),
            "media[0].tags[0].start",
        ),
        (json!({"media": [photo("javascript:alert(1)", json!([]))]}), "media[0].image.url"),
        (json!({"media": [photo("/a.jpg", tags(6))]}), "media[0].tags"),
        (
            json!({"media": [photo("/a.jpg", five.clone()), photo("/b.jpg", five.clone()), photo("/c.jpg", five.clone()), photo("/d.jpg", five.clone()), photo("/e.jpg", json!([{"x": 0.1, "y": 0.1, "product_id": lamp}]))]}),
            "media",
        ),
        (json!({"media": vec![photo("/a.jpg", json!([])); 11]}), "media"),
        (json!({"media": []}), "media"),
        (json!({"media": [{"type": "video", "image": {"url": "/p.jpg", "width": 1, "height": 1}, "tags": []}]}), "media[0].video"),
        (
            json!({"media": [{"type": "video", "image": {"url": "/p.jpg", "width": 1, "height": 1}, "video": {"url": "data:video/mp4,xx"}, "tags": []}]}),
            "media[0].video.url",
        ),
        (
            json!({"media": [{"type": "video", "image": {"url": "/p.jpg", "width": 1, "height": 1}, "video": {"url": "/v.mp4", "captions": [{"url": "/fr.vtt", "language": "<b>"}]}, "tags": []}]}),
            "media[0].video.captions[0].language",
        ),
        (json!({"image": {"url": "/a.jpg", "width": 1, "height": 1}, "media": [photo("/a.jpg", json!([]))]}), "media"),
        (json!({"tags": []}), "image"),
    ];
    for (body, field) in cases {
        let refused = put(&server, &token, &id, &body).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.field(), field, "{body}");
    }
    assert_eq!(server.get(&format!("/v1/posts/{id}")).await.expect(200), &before, "nothing refused was saved");
}

/// A post written before the migration to media (one photo, tags in the old table) is the
/// same post after it.
#[tokio::test]
async fn posts_saved_before_media_existed_are_served_unchanged_after_the_migration() {
    if skip_when_remote("posts_saved_before_media_existed_are_served_unchanged_after_the_migration") {
        return;
    }
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let scratch = Scratch::new().await;
    let url =
        if scratch.database.starts_with("postgres") { scratch.database.clone() } else { format!("sqlite://{}?mode=rwc", scratch.database) };
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let mut migrator =
        sqlx::migrate::Migrator::new(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))).await.unwrap();
    migrator.migrations = migrator.migrations.iter().filter(|m| m.version <= 6).cloned().collect::<Vec<_>>().into();
    migrator.run(&mut conn).await.unwrap();
    for sql in [
        "INSERT INTO products (id, title, description, images, options, updated_at) VALUES ('old-lamp', 'Lampe', '', '[]', '[]', 1700000000)",
        "INSERT INTO variants (id, product_id, position, title, option_values, price, currency, stock) \
         VALUES ('old-lamp', 'old-lamp', 0, 'Lampe', '[]', 4900, 'EUR', 3)",
        "INSERT INTO posts (id, image_url, width, height, alt, updated_at) VALUES ('old-look', '/www/images/coffee.png', 600, 400, 'Un café', 1700000000)",
        "INSERT INTO tags (post_id, position, x, y, product_id) VALUES ('old-look', 0, 0.25, 0.75, 'old-lamp')",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();

    let server = Server::spawn_on(scratch, &[], true).await;
    let post = server.get("/v1/posts/old-look").await;
    let post = post.expect(200);
    assert_eq!(post["image"], json!({"url": "/www/images/coffee.png", "width": 600, "height": 400, "alt": "Un café"}));
    assert_eq!(post["tags"][0]["id"], "old-look-1");
    assert_eq!((post["tags"][0]["x"].as_f64(), post["tags"][0]["product"]["id"].as_str()), (Some(0.25), Some("old-lamp")));
    assert!(post.get("media").is_none(), "{post}");
}
