//! Insight events (`POST /v1/events`, optional) and the reference backend's insights report.

use reqwest::Method;
use serde_json::{Value, json};

use super::media::{photo, put_media, video};
use super::{Ctx, FEED_HEADER, GOOD_CARD, check, skip, unique};
use crate::{Check, CheckResult, Problem, Response, ensure, ensure_eq, fail};

pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "events.catalog-ids",
            "POST /v1/events: 204; product and variant ids as the catalog has them, post ids as posts; 422 at the event's field",
            catalog_ids
        ),
        check!(
            "events.media-index",
            "POST /v1/events: media_index 0 to 9 with a post_id (since 1.4); 422 at events[i].media_index beyond or without a post",
            media_index
        ),
        check!(
            "insights.media",
            "GET /v1/admin/insights: a post of several media has one row per medium with the events that named it",
            insights_media
        ),
        check!(
            "insights.sales",
            "GET /v1/admin/insights: sold orders (paid, shipped, delivered) per day, product and post; the range of from or to alone",
            sales
        ),
    ]
}

/// `GET /v1/admin/insights` with this query, or a skip when the backend has no such report.
async fn insights(ctx: &Ctx, query: &str) -> Result<Value, Problem> {
    let answer = ctx.http.send(ctx.admin_request(Method::GET, &format!("/v1/admin/insights{query}"))?).await?;
    if matches!(answer.status, 404 | 405) {
        return skip("the backend has no insights report (`GET /v1/admin/insights` is the reference backend's)");
    }
    Ok(answer.expect(200)?.clone())
}

/// The row of `key` in a list of the report.
fn row<'a>(report: &'a Value, list: &str, key: &str) -> Option<&'a Value> {
    report[list].as_array()?.iter().find(|r| r["key"] == key)
}

fn keys(report: &Value, list: &str) -> Vec<String> {
    report[list].as_array().map(|r| r.iter().map(|r| r["key"].as_str().unwrap_or("?").to_owned()).collect()).unwrap_or_default()
}

async fn send_events(ctx: &Ctx, url: &str, events: Value) -> Result<Response, Problem> {
    // Sent as `navigator.sendBeacon` sends it: text/plain.
    let body = serde_json::to_string(&json!({"events": events})).unwrap_or_default();
    ctx.http.send(ctx.post_to(url).header("Content-Type", "text/plain;charset=UTF-8").body(body)).await
}

async fn catalog_ids(ctx: &Ctx) -> CheckResult {
    let Some(url) = ctx.config().await?["events_url"].as_str().map(str::to_owned) else {
        return skip("the backend announces no events_url (events are optional)");
    };
    // The catalog import takes any id: one with a space must be countable too.
    let id = format!("mug {}", unique("ev"));
    let price = ctx.price(900).await?;
    ctx.import(format!("{FEED_HEADER}\n{id},Mug,x,in stock,new,{price},,https://shop.example/m.jpg,,,,,,,\n")).await?.expect(200)?;
    let seen = send_events(ctx, &url, json!([{"name": "tag_view", "product_id": id, "variant_id": id}])).await?;
    ensure_eq!(seen.status, 204, "an event naming a catalog id with a space");
    let bad_post = json!([{"name": "tag_view", "product_id": id}, {"name": "tag_open", "product_id": id, "post_id": "a b"}]);
    send_events(ctx, &url, bad_post).await?.expect_error_at(422, "invalid_field", "events[1].post_id")?;
    send_events(ctx, &url, json!([{"name": "tag_view"}])).await?.expect_error_at(422, "invalid_field", "events[0].product_id")?;
    send_events(ctx, &url, json!([{"name": "tag_view", "product_id": ""}])).await?.expect_error_at(
        422,
        "invalid_field",
        "events[0].product_id",
    )?;
    // Counted, when the backend has the reference's report (the default range ends today).
    let report = match insights(ctx, "").await {
        Err(Problem::Skip(_)) => return Ok(()),
        report => report?,
    };
    let counted = row(&report, "products", &id).map(|r| r["tag_views"].clone());
    ensure_eq!(counted, Some(json!(1)), "the product's tag views in the report");
    Ok(())
}

/// The backend's `events_url`, or a skip when it takes no events.
async fn events_url(ctx: &Ctx) -> Result<String, Problem> {
    match ctx.config().await?["events_url"].as_str() {
        Some(url) => Ok(url.to_owned()),
        None => skip("the backend announces no events_url (events are optional)"),
    }
}

async fn media_index(ctx: &Ctx) -> CheckResult {
    let url = events_url(ctx).await?;
    let product = ctx.stocked(900, 3).await?;
    let event = |index: Value| json!({"name": "tag_open", "post_id": "any-post", "product_id": product, "media_index": index});
    let taken = send_events(ctx, &url, json!([event(json!(0)), event(json!(9))])).await?;
    ensure_eq!(taken.status, 204, "events naming the media 0 and 9 of a post: {}", taken.body);
    let beyond = send_events(ctx, &url, json!([event(json!(0)), event(json!(10))])).await?;
    if beyond.status == 204 {
        return skip("the backend takes any media_index (1.3 and before ignore it)");
    }
    beyond.expect_error_at(422, "invalid_field", "events[1].media_index")?;
    send_events(ctx, &url, json!([event(json!(-1))])).await?.expect_error_at(422, "invalid_field", "events[0].media_index")?;
    let no_post = json!([{"name": "tag_open", "product_id": product, "media_index": 1}]);
    send_events(ctx, &url, no_post).await?.expect_error_at(422, "invalid_field", "events[0].media_index")?;
    Ok(())
}

async fn insights_media(ctx: &Ctx) -> CheckResult {
    let url = events_url(ctx).await?;
    let product = ctx.stocked(900, 3).await?;
    let id = unique("slides");
    let tags = json!([{"x": 0.5, "y": 0.5, "product_id": product}]);
    let video_tags = json!([{"start": 0, "end": 3, "product_id": product}]);
    put_media(
        ctx,
        &id,
        json!([photo("https://shop.example/a.jpg", tags.clone()), photo("https://shop.example/b.jpg", tags), video(video_tags)]),
    )
    .await?
    .expect(200)?;
    let event = |name: &str, index: u32| json!({"name": name, "post_id": id, "product_id": product, "media_index": index});
    let unnamed = json!({"name": "tag_view", "post_id": id, "product_id": product});
    let events = json!([event("tag_view", 0), event("tag_view", 2), event("tag_open", 2), event("add_to_bag", 2), unnamed]);
    let sent = send_events(ctx, &url, events).await?;
    ensure_eq!(sent.status, 204, "events of the post's media: {}", sent.body);
    let report = insights(ctx, "").await?;
    let Some(post) = row(&report, "posts", &id) else { fail!("the post's row in the report: {report}") };
    if post.get("media").is_none() {
        return skip("the backend's report has no media rows (1.3 and before)");
    }
    let media = |field: &str| post["media"].as_array().map(|m| m.iter().map(|m| m[field].clone()).collect::<Vec<_>>()).unwrap_or_default();
    ensure_eq!(media("type"), vec![json!("photo"), json!("photo"), json!("video")], "one row per medium, in the post's order");
    ensure_eq!(media("tag_views"), vec![json!(1), json!(0), json!(1)], "tag views per medium, zeros included");
    ensure_eq!((media("tag_opens")[2].clone(), media("adds_to_bag")[2].clone()), (json!(1), json!(1)), "the video's opens and adds");
    ensure_eq!(post["tag_views"], json!(3), "the post counts every event, with or without a medium");
    Ok(())
}

async fn sales(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1500, 10).await?;
    let post = unique("look");
    let input = json!({"image": {"url": "https://shop.example/look.jpg", "width": 8, "height": 6}, "tags": [{"x": 0.5, "y": 0.5, "product_id": product}]});
    let saved = ctx.http.send(ctx.admin_request(Method::PUT, &format!("/v1/admin/posts/{post}"))?.json(&input)).await?;
    ensure!(matches!(saved.status, 200 | 201), "the post is saved: {} {}", saved.status, saved.body);
    let lines = json!([{"variant_id": product, "quantity": 2, "post_id": post}]);
    let sold = ctx.order_body(lines.clone(), &ctx.card_token(GOOD_CARD).await?).await?;
    let sold = ctx.place_order(&unique("key"), &sold).await?;
    let sold = sold.expect(201)?.clone();
    // A refunded order is not sold.
    let refunded = ctx.order_body(lines, &ctx.card_token(GOOD_CARD).await?).await?;
    let refunded = ctx.place_order(&unique("key"), &refunded).await?;
    let refund = format!("/v1/admin/orders/{}/refund", refunded.expect(201)?["id"].as_str().unwrap_or(""));
    ctx.http.send(ctx.admin_request(Method::POST, &refund)?).await?.expect(200)?;

    let Some(day) = sold["created_at"].as_str().and_then(|t| t.get(..10)).map(str::to_owned) else { fail!("created_at: {sold}") };
    let report = insights(ctx, &format!("?from={day}&to={day}")).await?;
    ensure_eq!(keys(&report, "days"), vec![day.clone()], "one day");
    let subtotal = sold["subtotal"]["amount"].as_i64().unwrap_or(0);
    let today = &report["days"][0];
    ensure!(
        today["orders"].as_u64() >= Some(1) && today["revenue"]["amount"].as_i64() >= Some(subtotal),
        "the day counts the sold order and its lines, shipping left out ({subtotal}): {today}"
    );
    let sales = |list: &str, key: &str| row(&report, list, key).map(|r| (r["orders"].clone(), r["revenue"]["amount"].clone()));
    let expected = Some((json!(1), json!(3000)));
    ensure_eq!(sales("products", &product), expected, "(orders, revenue) of the product: its lines, refunded orders left out");
    ensure_eq!(sales("posts", &post), expected, "(orders, revenue) of the post its lines were added from");

    // `to` alone: the 30 days up to it; `from` alone: up to today.
    let until = insights(ctx, &format!("?to={day}")).await?;
    let days = keys(&until, "days");
    ensure_eq!((days.len(), days.last().cloned()), (30, Some(day.clone())), "`to` alone: 30 days up to it");
    ensure_eq!(until["from"].as_str(), days.first().map(String::as_str), "`from` is the first day");
    let since = insights(ctx, &format!("?from={day}")).await?;
    let days = keys(&since, "days");
    ensure_eq!(days.first(), Some(&day), "`from` alone starts there");
    ensure!(
        since["to"].as_str() >= Some(day.as_str()) && days.last().map(String::as_str) == since["to"].as_str(),
        "and ends today: {since}"
    );
    Ok(())
}
