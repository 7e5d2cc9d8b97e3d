//! Posts of several media, photos and videos (revision 1.2, optional for backends): checked
//! only against a backend whose admin API takes `media`, skipped otherwise.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Ctx, check, skip, unique};
use crate::{Check, CheckResult, Problem, Response, ensure, ensure_eq};

pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "posts.media",
            "media are served in order with their tags: video time ranges, optional positions, links out beside products",
            posts_media
        ),
        check!(
            "posts.media-first-photo",
            "image and tags are the first photo and its catalog tags; no media on a one-photo catalog post",
            posts_media_first_photo
        ),
        check!(
            "admin.media-validation",
            "a refused medium or tag names its field: media[i].tags[j].start/end/x/y/link.url, media[i].tags, media",
            admin_media_validation
        ),
        check!(
            "admin.media-videos",
            "POST /v1/admin/media takes MP4 and WebM videos, checked by their first bytes; GET answers one byte range with 206",
            admin_media_videos
        ),
    ]
}

pub(super) fn photo(url: &str, tags: Value) -> Value {
    json!({"type": "photo", "image": {"url": url, "width": 800, "height": 600, "alt": "A look"}, "tags": tags})
}

pub(super) fn video(tags: Value) -> Value {
    json!({
        "type": "video",
        "image": {"url": "https://shop.example/poster.jpg", "width": 1080, "height": 1920, "alt": "A try-on"},
        "video": {"url": "https://shop.example/tryon.mp4", "captions": [{"url": "https://shop.example/tryon-de.vtt", "language": "de"}]},
        "tags": tags
    })
}

async fn link(ctx: &Ctx) -> Result<Value, Problem> {
    let currency = ctx.currency().await?;
    Ok(json!({"title": "Rug", "price": {"amount": 12900, "currency": currency}, "url": "https://other.example/rug?ref=blog"}))
}

/// Saves a post; skips the check when the backend keeps posts of one photo only (it ignores
/// `media` and asks for `image`).
pub(super) async fn put_media(ctx: &Ctx, id: &str, media: Value) -> Result<Response, Problem> {
    let saved = ctx.http.send(ctx.admin_request(Method::PUT, &format!("/v1/admin/posts/{id}"))?.json(&json!({"media": media}))).await?;
    if saved.status == 422 && saved.field() == "image" {
        return skip("the backend keeps posts of one photo (media are optional)");
    }
    Ok(saved)
}

async fn posts_media(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1500, 3).await?;
    let id = unique("carousel");
    let link = link(ctx).await?;
    let media = json!([
        photo("https://shop.example/a.jpg", json!([{"x": 0.25, "y": 0.75, "product_id": product}, {"x": 0.5, "y": 0.5, "link": link}])),
        video(json!([{"start": 1.5, "end": 4, "x": 0.4, "y": 0.6, "product_id": product}, {"start": 0, "end": 30, "link": link}])),
    ]);
    put_media(ctx, &id, media).await?.expect(200)?;
    let one = ctx.http.get(&format!("/v1/posts/{id}")).await?;
    let post = one.expect(200)?;
    let batch = ctx.http.get(&format!("/v1/posts?ids={id}")).await?;
    ensure_eq!(&batch.expect(200)?["posts"][0], post, "the batch shows the same post");
    let media = post["media"].as_array().ok_or_else(|| Problem::Fail(format!("no media: {post}")))?;
    ensure_eq!(media.len(), 2, "two media");
    ensure_eq!((media[0]["type"].as_str(), media[1]["type"].as_str()), (Some("photo"), Some("video")), "in order");
    ensure_eq!(media[1]["video"]["url"], json!("https://shop.example/tryon.mp4"), "the video's url");
    ensure_eq!(media[1]["video"]["captions"][0]["language"], json!("de"), "the captions' language");
    ensure_eq!(media[1]["image"]["width"], json!(1080), "the video's size, on its poster");
    let photo_tags = &media[0]["tags"];
    ensure_eq!(photo_tags[0]["product"]["id"], json!(product), "the photo's catalog tag");
    ensure_eq!(photo_tags[1]["link"], link, "the link out beside it, as saved");
    ensure!(photo_tags[1].get("product").is_none_or(Value::is_null), "a link out has no product: {}", photo_tags[1]);
    let video_tags = &media[1]["tags"];
    let timed = |tag: &Value| (tag["start"].as_f64(), tag["end"].as_f64(), tag["x"].as_f64(), tag["y"].as_f64());
    ensure_eq!(timed(&video_tags[0]), (Some(1.5), Some(4.0), Some(0.4), Some(0.6)), "a placed video tag");
    ensure_eq!(timed(&video_tags[1]), (Some(0.0), Some(30.0), None, None), "a video tag without position");
    let ids: Vec<&str> = media.iter().flat_map(|m| m["tags"].as_array().into_iter().flatten()).filter_map(|t| t["id"].as_str()).collect();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    ensure!(ids.len() == 4 && distinct.len() == 4 && ids.iter().all(|id| !id.is_empty()), "tag ids unique in the post: {ids:?}");
    Ok(())
}

async fn posts_media_first_photo(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1500, 3).await?;
    let link = link(ctx).await?;
    let id = unique("reel-first");
    let media = json!([
        video(json!([{"start": 0, "end": 2, "x": 0.1, "y": 0.1, "product_id": product}])),
        photo("https://shop.example/b.jpg", json!([{"x": 0.5, "y": 0.5, "link": link}, {"x": 0.3, "y": 0.2, "product_id": product}])),
        photo("https://shop.example/c.jpg", json!([{"x": 0.6, "y": 0.6, "product_id": product}])),
    ]);
    put_media(ctx, &id, media).await?.expect(200)?;
    let answer = ctx.http.get(&format!("/v1/posts/{id}")).await?;
    let post = answer.expect(200)?;
    ensure_eq!(post["image"]["url"], json!("https://shop.example/b.jpg"), "image is the first photo, not a video's poster");
    let tags = post["tags"].as_array().cloned().unwrap_or_default();
    ensure_eq!(tags.len(), 1, "tags are the first photo's catalog tags only: {}", post["tags"]);
    ensure_eq!((tags[0]["x"].as_f64(), &tags[0]["product"]["id"]), (Some(0.3), &json!(product)), "that photo's catalog tag");
    ensure_eq!(tags[0]["id"], post["media"][1]["tags"][1]["id"], "the same tag has the same id in tags and media");

    let reel = unique("reel-only");
    put_media(ctx, &reel, json!([video(json!([{"start": 0, "end": 2, "x": 0.1, "y": 0.1, "product_id": product}]))])).await?.expect(200)?;
    let answer = ctx.http.get(&format!("/v1/posts/{reel}")).await?;
    let post = answer.expect(200)?;
    ensure_eq!(post["image"]["url"], json!("https://shop.example/poster.jpg"), "a post of videos shows the first poster");
    ensure_eq!(post["tags"], json!([]), "and no tag on it");

    let single = unique("single");
    put_media(ctx, &single, json!([photo("https://shop.example/d.jpg", json!([{"x": 0.5, "y": 0.5, "product_id": product}]))]))
        .await?
        .expect(200)?;
    let answer = ctx.http.get(&format!("/v1/posts/{single}")).await?;
    let post = answer.expect(200)?;
    ensure!(post.get("media").is_none_or(Value::is_null), "a one-photo catalog post is a 1.0 post, without media: {post}");
    ensure_eq!(post["tags"][0]["product"]["id"], json!(product), "its tag");
    Ok(())
}

async fn admin_media_validation(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1500, 3).await?;
    let id = unique("refused");
    let tag = |extra: Value| {
        let mut tag = json!({"product_id": product});
        tag.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        tag
    };
    let on_video = |t: Value| json!([photo("https://shop.example/a.jpg", json!([])), video(json!([t]))]);
    let placed = |n: usize| Value::Array(vec![tag(json!({"x": 0.5, "y": 0.5})); n]);
    let bad_link = json!({"title": "x", "price": {"amount": 1, "currency": ctx.currency().await?}, "url": "javascript:alert(1)"});
    let cases = [
        (on_video(tag(json!({"start": 3, "end": 2}))), "media[1].tags[0].end"),
        (on_video(tag(json!({"start": -1, "end": 2}))), "media[1].tags[0].start"),
        (on_video(tag(json!({"end": 2}))), "media[1].tags[0].start"),
        (on_video(tag(json!({"start": 0, "end": 2, "x": 0.5}))), "media[1].tags[0].y"),
        (on_video(json!({"start": 0, "end": 2, "link": bad_link})), "media[1].tags[0].link.url"),
        (on_video(tag(json!({"start": 0, "end": 2, "link": link(ctx).await?}))), "media[1].tags[0].link"),
        (
            json!([photo("https://shop.example/a.jpg", json!([tag(json!({"x": 0.5, "y": 0.5, "start": 0, "end": 1}))]))]),
            "media[0].tags[0].start",
        ),
        (json!([photo("https://shop.example/a.jpg", json!([tag(json!({}))]))]), "media[0].tags[0].x"),
        (json!([photo("https://shop.example/a.jpg", placed(6))]), "media[0].tags"),
        (
            Value::Array((0..5).map(|i| photo(&format!("https://shop.example/{i}.jpg"), placed(if i < 4 { 5 } else { 1 }))).collect()),
            "media",
        ),
        (Value::Array(vec![photo("https://shop.example/a.jpg", json!([])); 11]), "media"),
        (json!([photo("javascript:alert(1)", json!([]))]), "media[0].image.url"),
        (json!([{"type": "video", "image": {"url": "/p.jpg", "width": 1, "height": 1}, "tags": []}]), "media[0].video"),
    ];
    put_media(ctx, &id, json!([photo("https://shop.example/a.jpg", json!([]))])).await?.expect(200)?;
    for (media, field) in cases {
        put_media(ctx, &id, media).await?.expect_error_at(422, "invalid_field", field)?;
    }
    Ok(())
}

async fn admin_media_videos(ctx: &Ctx) -> CheckResult {
    let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41\0\0\0\x08free".to_vec();
    let upload = |content_type: &str, body: Vec<u8>| {
        Ok::<_, Problem>(ctx.admin_request(Method::POST, "/v1/admin/media")?.header("Content-Type", content_type).body(body))
    };
    let answer = ctx.http.send(upload("video/mp4", mp4.clone())?).await?;
    if matches!(answer.status, 404 | 405) || (answer.status == 422 && answer.field() == "Content-Type") {
        return skip("the backend takes no video uploads (they are optional)");
    }
    let body = answer.expect(201)?;
    let url = body["url"].as_str().unwrap_or("").to_owned();
    ensure!(url.starts_with("/v1/media/"), "`url` is a path under the base URL: {body}");
    ensure_eq!(body["content_type"], json!("video/mp4"), "content_type");
    let served = ctx.http.get(&url).await?;
    ensure_eq!((served.status, served.raw.clone()), (200, mp4.clone()), "GET {url}: the same bytes");
    ensure_eq!(served.header("content-type"), Some("video/mp4"), "Content-Type");
    ensure_eq!(served.header("x-content-type-options"), Some("nosniff"), "X-Content-Type-Options");
    let part = ctx.http.send(ctx.http.request(Method::GET, &url).header("Range", "bytes=4-11")).await?;
    ensure_eq!((part.status, part.raw.as_slice()), (206, &b"ftypisom"[..]), "GET {url} with Range: bytes=4-11");
    ensure_eq!(part.header("content-range"), Some(format!("bytes 4-11/{}", mp4.len()).as_str()), "Content-Range");
    for (content_type, body) in
        [("video/mp4", b"<html><script>alert(1)</script></html>".to_vec()), ("video/webm", b"\0\0\0\x20ftypisom".to_vec())]
    {
        ctx.http.send(upload(content_type, body)?).await?.expect_error_at(422, "invalid_field", "body")?;
    }
    Ok(())
}
