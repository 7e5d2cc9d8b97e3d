//! Payment tokens, orders, idempotency, the admin moves of an order, webhooks.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use super::{Ctx, DECLINED_CARD, GOOD_CARD, NO_FUNDS_CARD, check, skip, unique};
use crate::webhooks::{unix_now, verify_signature};
use crate::{Check, CheckResult, Problem, Response, ensure, ensure_eq, fail};

pub fn checks() -> Vec<Check> {
    vec![
        check!("tokens.test-cards", "the test provider tokenizes valid cards: 201 with token, brand, last4", test_cards),
        check!(
            "tokens.refusals",
            "bad cards: 422 invalid_card_number, invalid_field, card_expired, invalid_cvc at their field",
            token_refusals
        ),
        check!("tokens.check-order", "card checks run in order: number, exp_month, exp_year, expiry, cvc", token_check_order),
        check!("tokens.cvc-length", "CVC: 3 or 4 digits, exactly 4 for Amex", token_cvc_length),
        check!(
            "frame.ancestors",
            "the payment frame: frame-ancestors lists exact origins (never *); 403 for a missing or refused origin",
            frame_ancestors
        ),
        check!("orders.create-201", "POST /v1/orders: 201, paid, priced by the backend, with secret, stock reserved", create_201),
        check!("orders.locale", "an order keeps the primary language subtag of its locale (fr-FR: fr); a bad one is dropped", locale),
        check!(
            "orders.read-with-secret",
            "GET /v1/orders/{id}: 200 with the secret (not shown), 401 without, 404 wrong secret or id",
            read_with_secret
        ),
        check!("orders.priced-when-placed", "an order's lines and totals stay as priced when it was placed", priced_when_placed),
        check!("orders.cancel", "cancel within the window: cancelled, units back; again: 409 invalid_transition", cancel),
        check!("orders.cancel-window", "cancellable_until = created_at + cancel_window_seconds; at or after it: 409", cancel_window),
        check!(
            "orders.validation",
            "a refused order request names its field (Idempotency-Key, address, shipping_option, payment.provider)",
            order_validation
        ),
        check!("orders.line-errors", "a line that cannot be ordered: 409 out_of_stock or 404 not_found at the line", line_errors),
        check!("orders.price-changed", "expected_total differs: 409 price_changed, nothing charged", price_changed),
        check!(
            "orders.payment-refusals",
            "402 card_declined / insufficient_funds, 422 invalid_payment_token; no order, stock unchanged",
            payment_refusals
        ),
        check!("orders.precedence", "several problems: validation, then lines, then price, then payment", precedence),
        check!("orders.no-oversell", "concurrent orders never sell more units than there are", no_oversell),
        check!("idempotency.replay-201", "same key, same request: the first 201 replayed, same order and secret, one charge", replay_201),
        check!("idempotency.reused-422", "same key, different request: 422 idempotency_key_reused", reused_422),
        check!("idempotency.replay-refusal", "a refusal given after the key was accepted is replayed (402)", replay_refusal),
        check!("idempotency.unused-on-400", "400 and shape 422 answers leave the key unused", unused_on_400),
        check!(
            "idempotency.key-length",
            "a key of 1 to 255 visible ASCII characters; longer, empty or with a space: 400 malformed_request",
            key_length
        ),
        check!(
            "idempotency.concurrent",
            "concurrent duplicates: one order; the others replay it or get 409 idempotency_key_in_use",
            concurrent
        ),
        check!(
            "idempotency.in-flight-different",
            "a different request while the first runs: 422 reused (or 409 in_use, then 422)",
            in_flight_different
        ),
        check!(
            "admin.orders-list",
            "GET /v1/admin/orders: newest first, status filter; 422 for a bad status or limit, 400 for limit=x",
            orders_list
        ),
        check!(
            "admin.order-moves",
            "ship (with a tracking number), deliver, refund along the diagram; 409 invalid_transition, 404, 422",
            order_moves
        ),
        check!("admin.refund-restocks", "a refund before shipping puts the units back; after shipping it does not", refund_restocks),
        check!(
            "webhooks.signature",
            "every webhook is signed: Shoppable-Signature t=...,v1=HMAC-SHA256(secret, t.body)",
            webhook_signature
        ),
        check!(
            "webhooks.order-events",
            "order.placed (with the charge's card) then order.paid, order.status_changed on cancel; no secret",
            webhook_order_events
        ),
        check!(
            "webhooks.status-changed",
            "ship, deliver, refund each send order.status_changed with the new status",
            webhook_status_changed
        ),
    ]
}

fn card(number: &str, exp_month: u32, exp_year: u32, cvc: &str) -> Value {
    json!({"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc})
}

async fn test_cards(ctx: &Ctx) -> CheckResult {
    for (number, cvc, brand, last4) in [
        ("4242 4242 4242 4242", "123", "visa", "4242"),
        ("5555555555554444", "123", "mastercard", "4444"),
        ("378282246310005", "1234", "amex", "0005"),
    ] {
        let answer = ctx.tokenize(card(number, 1, 2040, cvc)).await?;
        let token = answer.expect(201)?;
        ensure_eq!((token["brand"].as_str(), token["last4"].as_str()), (Some(brand), Some(last4)), "brand and last4 of {number}");
        let digits = number.replace(' ', "");
        ensure!(
            token["token"].as_str().is_some_and(|t| !t.is_empty() && !t.contains(&digits[..10])),
            "a token that is not the number: {token}"
        );
    }
    Ok(())
}

async fn token_refusals(ctx: &Ctx) -> CheckResult {
    let cases = [
        (card("4242424242424241", 1, 2040, "123"), "invalid_card_number", "number"),
        (card("1234567812345670", 1, 2040, "123"), "invalid_card_number", "number"),
        (card("4242-4242-4242-4242", 1, 2040, "123"), "invalid_card_number", "number"),
        (card("4242424242424242", 1, 2020, "123"), "card_expired", "exp_year"),
        (card("4242424242424242", 13, 2040, "123"), "invalid_field", "exp_month"),
        (card("4242424242424242", 1, 40, "123"), "invalid_field", "exp_year"),
        (card("4242424242424242", 1, 2040, "1"), "invalid_cvc", "cvc"),
        (card("4242424242424242", 1, 2040, "12a"), "invalid_cvc", "cvc"),
        (json!({"number": 4242424242424242u64, "exp_month": 1, "exp_year": 2040, "cvc": "123"}), "invalid_field", "number"),
    ];
    for (card, code, field) in cases {
        ctx.tokenize(card).await?.expect_error_at(422, code, field)?;
    }
    Ok(())
}

async fn token_check_order(ctx: &Ctx) -> CheckResult {
    let cases = [
        (card("4242424242424241", 13, 2020, "1"), "invalid_card_number", "number"),
        (card("4242424242424242", 13, 20, "1"), "invalid_field", "exp_month"),
        (card("4242424242424242", 1, 20, "1"), "invalid_field", "exp_year"),
        (card("4242424242424242", 1, 2020, "1"), "card_expired", "exp_year"),
    ];
    for (card, code, field) in cases {
        ctx.tokenize(card).await?.expect_error_at(422, code, field)?;
    }
    Ok(())
}

async fn token_cvc_length(ctx: &Ctx) -> CheckResult {
    ctx.tokenize(card("4242424242424242", 1, 2040, "1234")).await?.expect(201)?;
    ctx.tokenize(card("378282246310005", 1, 2040, "123")).await?.expect_error_at(422, "invalid_cvc", "cvc")?;
    ctx.tokenize(card("4242424242424242", 1, 2040, "12345")).await?.expect_error_at(422, "invalid_cvc", "cvc")?;
    Ok(())
}

/// `GET frame_url` with these query parameters.
async fn frame_page(ctx: &Ctx, frame_url: &str, query: &[(&str, &str)]) -> Result<Response, Problem> {
    ctx.http.send(ctx.http.client.get(frame_url).query(query)).await
}

async fn frame_ancestors(ctx: &Ctx) -> CheckResult {
    let origin = ctx.allowed_origin()?;
    let methods = ctx.config().await?["payment_methods"].as_array().cloned().unwrap_or_default();
    let Some(frame_url) = methods.iter().find_map(|m| m["frame_url"].as_str().map(str::to_owned)) else {
        return skip("no payment method has a frame_url (the payment frame is optional)");
    };
    let shown = frame_page(ctx, &frame_url, &[("origin", origin), ("lang", "en")]).await?;
    shown.expect(200)?;
    let policy = shown.header("content-security-policy").unwrap_or("");
    let Some(ancestors) = policy.split(';').map(str::trim).find_map(|d| d.strip_prefix("frame-ancestors ")) else {
        fail!("the form's Content-Security-Policy has frame-ancestors: `{policy}`")
    };
    let sources: Vec<&str> = ancestors.split_whitespace().collect();
    ensure!(sources.contains(&origin), "frame-ancestors lists the allowed origin {origin}: {sources:?}");
    ensure!(
        sources.iter().all(|s| !s.contains('*') && !s.ends_with(':') && !s.starts_with('\'')),
        "frame-ancestors lists exact origins only (no `*`, no scheme alone, no keyword): {sources:?}"
    );
    frame_page(ctx, &frame_url, &[("origin", "https://refused.conformance.invalid"), ("lang", "en")]).await?.expect(403)?;
    frame_page(ctx, &frame_url, &[("lang", "en")]).await?.expect(403)?;
    Ok(())
}

async fn create_201(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let currency = ctx.currency().await?;
    let lines = json!([{"variant_id": mug, "quantity": 2, "unit_price": {"amount": 1, "currency": currency}}]);
    let mut body = ctx.order_body(lines.clone(), &ctx.card_token(GOOD_CARD).await?).await?;
    let quote = ctx
        .http
        .post("/v1/quote", &json!({"lines": lines, "address": body["address"], "shipping_option": body["shipping_option"]}))
        .await?;
    body["expected_total"] = quote.expect(200)?["total"].clone();
    body["total"] = json!({"amount": 1, "currency": currency});
    body["locale"] = json!("fr");
    let order = ctx.place_order(&unique("key"), &body).await?;
    let order = order.expect(201)?;
    ensure_eq!(order["status"], json!("paid"), "status");
    let history: Vec<&str> =
        order["history"].as_array().map(|h| h.iter().map(|e| e["status"].as_str().unwrap_or("?")).collect()).unwrap_or_default();
    ensure_eq!(history, vec!["placed", "paid"], "history");
    ensure_eq!(order["subtotal"]["amount"], json!(2400), "tampered prices are ignored");
    ensure_eq!(order["total"], body["expected_total"], "the total of the quote");
    ensure_eq!(order["payment"], json!({"provider": "test", "brand": "visa", "last4": "4242"}), "payment summary");
    ensure_eq!(order["shipping_option"], body["shipping_option"], "shipping option");
    ensure_eq!(order["address"], body["address"], "address");
    ensure!(
        ["available_quantity", "error"].iter().all(|name| order["lines"][0].get(name).is_none_or(Value::is_null)),
        "order lines carry no stock figure and no error: {}",
        order["lines"][0]
    );
    ensure!(
        order["id"].as_str().is_some_and(|i| !i.is_empty()) && order["number"].as_str().is_some_and(|n| !n.is_empty()),
        "id and number"
    );
    ensure!(order["secret"].as_str().is_some_and(|s| s.len() >= 16), "the creation answer has the secret: {order}");
    ensure!(order["created_at"].is_string(), "created_at");
    if ctx.config().await?["cancel_window_seconds"].as_u64() > Some(0) {
        ensure!(order["cancellable_until"].is_string(), "cancellable_until while it may be cancelled: {order}");
    }
    ensure_eq!(ctx.stock(&mug).await?, json!(3), "the units are reserved");
    Ok(())
}

async fn locale(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    for (sent, kept) in [(json!("fr-FR"), json!("fr")), (json!("EN"), json!("en")), (json!("12"), Value::Null)] {
        let mut body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
        body["locale"] = sent.clone();
        let order = ctx.place_order(&unique("key"), &body).await?;
        let order = order.expect(201)?;
        ensure_eq!(order.get("locale").cloned().unwrap_or(Value::Null), kept, "the order's locale for a request's {sent}");
        let path = format!("/v1/orders/{}", order["id"].as_str().unwrap_or(""));
        let read = ctx.with_secret(Method::GET, &path, order["secret"].as_str().unwrap_or("")).await?;
        ensure_eq!(read.expect(200)?.get("locale").cloned().unwrap_or(Value::Null), kept, "GET shows the same locale for {sent}");
    }
    Ok(())
}

async fn read_with_secret(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let order = ctx.paid_order(&mug, 1).await?;
    let (id, secret) = (order["id"].as_str().unwrap_or(""), order["secret"].as_str().unwrap_or(""));
    let path = format!("/v1/orders/{id}");
    let read = ctx.with_secret(Method::GET, &path, secret).await?;
    let read = read.expect(200)?;
    ensure_eq!((read["id"].clone(), read["status"].clone()), (json!(id), json!("paid")), "the order");
    ensure!(read.get("secret").is_none_or(Value::is_null), "the secret is only in the creation answer: {read}");
    ctx.with_secret(Method::GET, &path, "wrong").await?.expect_error(404, "not_found")?;
    ctx.with_secret(Method::GET, &format!("/v1/orders/{}", unique("ord")), secret).await?.expect_error(404, "not_found")?;
    ctx.http.get(&path).await?.expect_error(401, "unauthorized")?;
    Ok(())
}

async fn priced_when_placed(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let order = ctx.paid_order(&mug, 2).await?;
    // The shop changes the price afterwards.
    let csv = format!("{}\n{}\n", super::FEED_HEADER, super::feed_row(&mug, "Mug", &ctx.price(9900).await?, "3"));
    ctx.import(csv).await?.expect(200)?;
    let path = format!("/v1/orders/{}", order["id"].as_str().unwrap_or(""));
    let read = ctx.with_secret(Method::GET, &path, order["secret"].as_str().unwrap_or("")).await?;
    let read = read.expect(200)?;
    ensure_eq!(read["lines"][0]["unit_price"]["amount"], json!(1200), "the unit price paid");
    ensure_eq!((read["subtotal"].clone(), read["total"].clone()), (order["subtotal"].clone(), order["total"].clone()), "the totals paid");
    ensure_eq!(read["history"], order["history"], "the history");
    Ok(())
}

async fn cancel(ctx: &Ctx) -> CheckResult {
    if ctx.config().await?["cancel_window_seconds"].as_u64() < Some(10) {
        return skip("the cancel window is shorter than 10 s");
    }
    let mug = ctx.stocked(1200, 5).await?;
    let order = ctx.paid_order(&mug, 2).await?;
    ensure_eq!(ctx.stock(&mug).await?, json!(3), "reserved");
    let cancel = format!("/v1/orders/{}/cancel", order["id"].as_str().unwrap_or(""));
    let secret = order["secret"].as_str().unwrap_or("");
    ctx.with_secret(Method::POST, &cancel, "wrong").await?.expect_error(404, "not_found")?;
    ctx.http.send(ctx.http.request(Method::POST, &cancel)).await?.expect_error(401, "unauthorized")?;
    let cancelled = ctx.with_secret(Method::POST, &cancel, secret).await?;
    let cancelled = cancelled.expect(200)?;
    ensure_eq!(cancelled["status"], json!("cancelled"), "status");
    ensure!(cancelled.get("cancellable_until").is_none_or(Value::is_null), "no cancellable_until once cancelled");
    ensure_eq!(ctx.stock(&mug).await?, json!(5), "a cancelled order gives its units back");
    ctx.with_secret(Method::POST, &cancel, secret).await?.expect_error(409, "invalid_transition")?;
    Ok(())
}

pub(super) fn parse_rfc3339_utc(text: &str) -> Option<i64> {
    // YYYY-MM-DDTHH:MM:SS(.fff)Z
    let b = text.as_bytes();
    if b.len() < 20 || !text.ends_with('Z') || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

async fn cancel_window(ctx: &Ctx) -> CheckResult {
    let Some(window) = ctx.config().await?["cancel_window_seconds"].as_u64() else { fail!("no cancel_window_seconds") };
    let mug = ctx.stocked(1200, 5).await?;
    let order = ctx.paid_order(&mug, 1).await?;
    if window > 0 {
        let created = order["created_at"].as_str().and_then(parse_rfc3339_utc);
        let until = order["cancellable_until"].as_str().and_then(parse_rfc3339_utc);
        let (Some(created), Some(until)) = (created, until) else { fail!("RFC 3339 UTC created_at and cancellable_until: {order}") };
        ensure_eq!(until - created, window as i64, "cancellable_until - created_at");
    }
    if window > 5 {
        return skip(format!(
            "checked cancellable_until; the refusal after the window needs a backend with a window of 5 s or less, not {window} s"
        ));
    }
    let until = order["cancellable_until"].as_str().and_then(parse_rfc3339_utc).unwrap_or(0);
    while (unix_now() as i64) < until + 1 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let cancel = format!("/v1/orders/{}/cancel", order["id"].as_str().unwrap_or(""));
    ctx.with_secret(Method::POST, &cancel, order["secret"].as_str().unwrap_or("")).await?.expect_error(409, "invalid_transition")?;
    let read = ctx
        .with_secret(Method::GET, &format!("/v1/orders/{}", order["id"].as_str().unwrap_or("")), order["secret"].as_str().unwrap_or(""))
        .await?;
    ensure!(read.expect(200)?.get("cancellable_until").is_none_or(Value::is_null), "no cancellable_until after the window");
    Ok(())
}

async fn order_validation(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let token = ctx.card_token(GOOD_CARD).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &token).await?;
    let missing_key = ctx.http.post("/v1/orders", &body).await?;
    missing_key.expect_error_at(400, "malformed_request", "Idempotency-Key")?;
    let without = |name: &str| {
        let mut body = body.clone();
        body.as_object_mut().map(|o| o.remove(name));
        body
    };
    ctx.place_order(&unique("key"), &without("address")).await?.expect_error_at(422, "invalid_field", "address")?;
    ctx.place_order(&unique("key"), &without("shipping_option")).await?.expect_error_at(422, "invalid_field", "shipping_option")?;
    let mut provider = body.clone();
    provider["payment"]["provider"] = json!("no-such-provider");
    ctx.place_order(&unique("key"), &provider).await?.expect_error_at(422, "invalid_field", "payment.provider")?;
    let mut option = body.clone();
    option["shipping_option"] = json!(unique("teleport"));
    ctx.place_order(&unique("key"), &option).await?.expect_error_at(422, "invalid_field", "shipping_option")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(5), "nothing was reserved");
    // The token was never charged: it still pays.
    ctx.place_order(&unique("key"), &body).await?.expect(201)?;
    Ok(())
}

async fn line_errors(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let token = ctx.card_token(GOOD_CARD).await?;
    let too_many = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}, {"variant_id": mug, "quantity": 5}]), &token).await?;
    ctx.place_order(&unique("key"), &too_many).await?.expect_error_at(409, "out_of_stock", "lines[1].quantity")?;
    let ghost = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}, {"variant_id": unique("ghost"), "quantity": 1}]), &token).await?;
    ctx.place_order(&unique("key"), &ghost).await?.expect_error_at(404, "not_found", "lines[1].variant_id")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(5), "nothing was reserved");
    Ok(())
}

async fn price_changed(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let mut body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    body["expected_total"] = json!({"amount": 100, "currency": ctx.currency().await?});
    ctx.place_order(&unique("key"), &body).await?.expect_error_at(409, "price_changed", "expected_total")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(5), "nothing was reserved");
    body.as_object_mut().map(|o| o.remove("expected_total"));
    ctx.place_order(&unique("key"), &body).await?.expect(201)?;
    Ok(())
}

async fn payment_refusals(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let lines = json!([{"variant_id": mug, "quantity": 1}]);
    for (card, code) in [(DECLINED_CARD, "card_declined"), (NO_FUNDS_CARD, "insufficient_funds")] {
        let body = ctx.order_body(lines.clone(), &ctx.card_token(card).await?).await?;
        ctx.place_order(&unique("key"), &body).await?.expect_error_at(402, code, "payment.token")?;
        ensure_eq!(ctx.stock(&mug).await?, json!(5), "a refused card leaves the stock alone");
    }
    let used = ctx.card_token(GOOD_CARD).await?;
    ctx.place_order(&unique("key"), &ctx.order_body(lines.clone(), &used).await?).await?.expect(201)?;
    let again = ctx.place_order(&unique("key"), &ctx.order_body(lines.clone(), &used).await?).await?;
    again.expect_error_at(422, "invalid_payment_token", "payment.token")?;
    let forged = ctx.place_order(&unique("key"), &ctx.order_body(lines.clone(), "tok_forged_by_conformance").await?).await?;
    forged.expect_error_at(422, "invalid_payment_token", "payment.token")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(4), "only the paid order holds units");
    let declined = ctx.card_token(DECLINED_CARD).await?;
    ctx.place_order(&unique("key"), &ctx.order_body(lines.clone(), &declined).await?).await?.expect(402)?;
    let reuse = ctx.place_order(&unique("key"), &ctx.order_body(lines, &declined).await?).await?;
    reuse.expect_error(422, "invalid_payment_token")?;
    Ok(())
}

async fn precedence(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 2).await?;
    let currency = ctx.currency().await?;
    let wrong_total = json!({"amount": 1, "currency": currency});
    let declined = ctx.card_token(DECLINED_CARD).await?;
    // Every problem at once: the bad address wins.
    let mut body = ctx.order_body(json!([{"variant_id": mug, "quantity": 3}]), &declined).await?;
    body["expected_total"] = wrong_total.clone();
    body["address"]["country"] = json!("ZZ");
    ctx.place_order(&unique("key"), &body).await?.expect_error_at(422, "invalid_field", "address.country")?;
    // Then the line.
    body["address"] = ctx.address().await?;
    ctx.place_order(&unique("key"), &body).await?.expect_error_at(409, "out_of_stock", "lines[0].quantity")?;
    // Then the total.
    body["lines"][0]["quantity"] = json!(1);
    ctx.place_order(&unique("key"), &body).await?.expect_error(409, "price_changed")?;
    // Then the payment.
    body.as_object_mut().map(|o| o.remove("expected_total"));
    ctx.place_order(&unique("key"), &body).await?.expect_error(402, "card_declined")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(2), "nothing was sold");
    Ok(())
}

async fn no_oversell(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(500, 10).await?;
    let template = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), "").await?;
    let mut bodies = Vec::new();
    for _ in 0..60 {
        let mut body = template.clone();
        body["payment"]["token"] = json!(ctx.card_token(GOOD_CARD).await?);
        bodies.push(body);
    }
    let answers = join_all(bodies.iter().map(|body| ctx.place_order_owned(unique("key"), body))).await;
    let (mut created, mut sold_out) = (0, 0);
    for answer in answers {
        let answer = answer?;
        match (answer.status, answer.code()) {
            (201, _) => created += 1,
            (409, "out_of_stock") => sold_out += 1,
            _ => fail!("an order is 201 or 409 out_of_stock, not {} {}", answer.status, answer.body),
        }
    }
    ensure_eq!((created, sold_out), (10, 50), "(orders, out_of_stock) for 60 orders of 10 units");
    ensure_eq!(ctx.stock(&mug).await?, json!(0), "stock");
    let product = ctx.http.get(&format!("/v1/products/{mug}")).await?;
    ensure_eq!(product.expect(200)?["variants"][0]["available"], json!(false), "sold out");
    Ok(())
}

impl Ctx {
    async fn place_order_owned(&self, key: String, body: &Value) -> Result<Response, Problem> {
        self.place_order(&key, body).await
    }
}

async fn replay_201(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 50).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    let key = unique("key");
    let first = ctx.place_order(&key, &body).await?;
    first.expect(201)?;
    let replay = ctx.place_order(&key, &body).await?;
    ensure_eq!(replay.status, 201, "the replay's status");
    ensure_eq!(replay.body, first.body, "the replay is the first answer (same order, same secret)");
    // Unknown fields and JSON formatting do not make another request.
    let mut reformatted = body.clone();
    reformatted["conformance_unknown_field"] = json!(true);
    let text = serde_json::to_string_pretty(&reformatted).unwrap_or_default();
    let request =
        ctx.http.request(Method::POST, "/v1/orders").header("Idempotency-Key", &key).header("Content-Type", "application/json").body(text);
    let replay = ctx.http.send(request).await?;
    ensure_eq!((replay.status, replay.body.clone()), (201, first.body.clone()), "a reformatted request with an unknown field replays");
    ensure_eq!(ctx.stock(&mug).await?, json!(49), "one order");
    let secret = first.body["secret"].as_str().unwrap_or("");
    ctx.with_secret(Method::GET, &format!("/v1/orders/{}", first.body["id"].as_str().unwrap_or("")), secret).await?.expect(200)?;
    Ok(())
}

async fn reused_422(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 50).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    let key = unique("key");
    ctx.place_order(&key, &body).await?.expect(201)?;
    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(2);
    ctx.place_order(&key, &other).await?.expect_error_at(422, "idempotency_key_reused", "Idempotency-Key")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(49), "one order");
    Ok(())
}

async fn replay_refusal(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 5).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(DECLINED_CARD).await?).await?;
    let key = unique("key");
    let first = ctx.place_order(&key, &body).await?;
    first.expect_error(402, "card_declined")?;
    let replay = ctx.place_order(&key, &body).await?;
    ensure_eq!((replay.status, replay.body.clone()), (402, first.body.clone()), "the refusal is replayed");
    Ok(())
}

async fn unused_on_400(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 5).await?;
    let key = unique("key");
    let raw = |text: &str| {
        ctx.http
            .request(Method::POST, "/v1/orders")
            .header("Idempotency-Key", &key)
            .header("Content-Type", "application/json")
            .body(text.to_owned())
    };
    ctx.http.send(raw("{\"lines\": [")).await?.expect_error(400, "malformed_request")?;
    ctx.http.send(raw(r#"{"lines": [{"variant_id": "a", "quantity": "one"}]}"#)).await?.expect_error(422, "invalid_field")?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    // A missing required field and a negative number are shapes too.
    let mut without_payment = body.clone();
    without_payment.as_object_mut().map(|o| o.remove("payment"));
    ctx.place_order(&key, &without_payment).await?.expect_error_at(422, "invalid_field", "payment")?;
    let mut negative = body.clone();
    negative["lines"][0]["quantity"] = json!(-1);
    ctx.place_order(&key, &negative).await?.expect_error_at(422, "invalid_field", "lines[0].quantity")?;
    ctx.place_order(&key, &body).await?.expect(201)?;
    Ok(())
}

async fn key_length(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 5).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    let long = format!("{}-{}", unique("k"), "x".repeat(256));
    ctx.place_order(&long, &body).await?.expect_error_at(400, "malformed_request", "Idempotency-Key")?;
    ctx.place_order("", &body).await?.expect_error_at(400, "malformed_request", "Idempotency-Key")?;
    ctx.place_order(&format!("{} x", unique("k")), &body).await?.expect_error_at(400, "malformed_request", "Idempotency-Key")?;
    let longest = format!("{}{}", unique("k"), "x".repeat(255 - 18));
    ensure_eq!(longest.len(), 255, "the key's length");
    ctx.place_order(&longest, &body).await?.expect(201)?;
    Ok(())
}

async fn concurrent(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 50).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    let key = unique("key");
    let answers = join_all((0..8).map(|_| ctx.place_order(&key, &body))).await;
    let mut ids = Vec::new();
    for answer in answers {
        let answer = answer?;
        match answer.status {
            201 => ids.push(answer.body["id"].clone()),
            409 if answer.code() == "idempotency_key_in_use" => {}
            _ => fail!("a duplicate is 201 or 409 idempotency_key_in_use, not {} {}", answer.status, answer.body),
        }
    }
    ids.dedup();
    ensure_eq!(ids.len(), 1, "one order id among the answers: {ids:?}");
    ensure_eq!(ctx.stock(&mug).await?, json!(49), "one order");
    Ok(())
}

async fn in_flight_different(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(900, 50).await?;
    let body = ctx.order_body(json!([{"variant_id": mug, "quantity": 1}]), &ctx.card_token(GOOD_CARD).await?).await?;
    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(2);
    let key = unique("key");
    let (first, second) = tokio::join!(ctx.place_order(&key, &body), async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        ctx.place_order(&key, &other).await
    });
    let (first, second) = (first?, second?);
    let codes = [(first.status, first.code().to_owned()), (second.status, second.code().to_owned())];
    let accepted = codes.iter().filter(|(status, _)| *status == 201).count();
    ensure_eq!(accepted, 1, "one of the two is placed: {codes:?}");
    let refused = codes.iter().find(|(status, _)| *status != 201).cloned().unwrap_or_default();
    ensure!(
        refused == (422, "idempotency_key_reused".to_owned()) || refused == (409, "idempotency_key_in_use".to_owned()),
        "the other is 422 idempotency_key_reused or 409 idempotency_key_in_use: {codes:?}"
    );
    let loser = if first.status == 201 { &other } else { &body };
    ctx.place_order(&key, loser).await?.expect_error(422, "idempotency_key_reused")?;
    Ok(())
}

async fn orders_list(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(2000, 4).await?;
    let older = ctx.paid_order(&mug, 1).await?;
    // `created_at` has whole seconds: orders of the same second may come in any order.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let newer = ctx.paid_order(&mug, 1).await?;
    let list = ctx.http.send(ctx.admin_request(Method::GET, "/v1/admin/orders?status=paid&limit=500")?).await?;
    let list = list.expect(200)?;
    let orders = list["orders"].as_array().cloned().unwrap_or_default();
    let position = |id: &Value| orders.iter().position(|o| &o["id"] == id);
    let (Some(newer_at), Some(older_at)) = (position(&newer["id"]), position(&older["id"])) else { fail!("both orders are listed") };
    ensure!(newer_at < older_at, "newest first");
    ensure!(
        orders.iter().all(|o| o["status"] == "paid" && o.get("secret").is_none_or(Value::is_null)),
        "only paid orders, without secrets"
    );
    for (query, field) in [("status=lost", "status"), ("limit=0", "limit"), ("limit=501", "limit")] {
        let refused = ctx.http.send(ctx.admin_request(Method::GET, &format!("/v1/admin/orders?{query}"))?).await?;
        refused.expect_error_at(422, "invalid_field", field)?;
    }
    let unreadable = ctx.http.send(ctx.admin_request(Method::GET, "/v1/admin/orders?limit=x")?).await?;
    unreadable.expect_error_at(400, "malformed_request", "limit")?;
    Ok(())
}

async fn admin_post(ctx: &Ctx, path: &str, body: Option<Value>) -> Result<Response, Problem> {
    let mut request = ctx.admin_request(Method::POST, path)?;
    if let Some(body) = body {
        request = request.json(&body);
    }
    ctx.http.send(request).await
}

async fn order_moves(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(2000, 4).await?;
    let order = ctx.paid_order(&mug, 2).await?;
    let id = order["id"].as_str().unwrap_or("");
    admin_post(ctx, &format!("/v1/admin/orders/{id}/deliver"), None).await?.expect_error(409, "invalid_transition")?;
    let blank = json!({"tracking_number": "  "});
    admin_post(ctx, &format!("/v1/admin/orders/{id}/ship"), Some(blank)).await?.expect_error_at(422, "invalid_field", "tracking_number")?;
    let tracking = json!({"tracking_number": "6A123456789", "tracking_url": "https://suivi.example/6A123456789"});
    let shipped = admin_post(ctx, &format!("/v1/admin/orders/{id}/ship"), Some(tracking)).await?;
    let shipped = shipped.expect(200)?;
    ensure_eq!(shipped["status"], json!("shipped"), "status");
    let last = shipped["history"].as_array().and_then(|h| h.last()).cloned().unwrap_or_default();
    ensure_eq!(
        (last["tracking_number"].as_str(), last["tracking_url"].as_str()),
        (Some("6A123456789"), Some("https://suivi.example/6A123456789")),
        "the shipped event's tracking"
    );
    let cancel = format!("/v1/orders/{id}/cancel");
    ctx.with_secret(Method::POST, &cancel, order["secret"].as_str().unwrap_or("")).await?.expect_error(409, "invalid_transition")?;
    ensure_eq!(
        admin_post(ctx, &format!("/v1/admin/orders/{id}/deliver"), None).await?.expect(200)?["status"],
        json!("delivered"),
        "delivered"
    );
    ensure_eq!(
        admin_post(ctx, &format!("/v1/admin/orders/{id}/refund"), None).await?.expect(200)?["status"],
        json!("refunded"),
        "refunded"
    );
    admin_post(ctx, &format!("/v1/admin/orders/{id}/refund"), None).await?.expect_error(409, "invalid_transition")?;
    ensure_eq!(ctx.stock(&mug).await?, json!(2), "shipped goods do not come back into stock");
    admin_post(ctx, &format!("/v1/admin/orders/{}/deliver", unique("ord")), None).await?.expect_error(404, "not_found")?;
    let other = ctx.paid_order(&mug, 1).await?;
    let bad_url = json!({"tracking_number": "1", "tracking_url": "javascript:alert(1)"});
    admin_post(ctx, &format!("/v1/admin/orders/{}/ship", other["id"].as_str().unwrap_or("")), Some(bad_url)).await?.expect_error_at(
        422,
        "invalid_field",
        "tracking_url",
    )?;
    Ok(())
}

async fn refund_restocks(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(2000, 4).await?;
    let order = ctx.paid_order(&mug, 3).await?;
    ensure_eq!(ctx.stock(&mug).await?, json!(1), "reserved");
    let id = order["id"].as_str().unwrap_or("");
    ensure_eq!(
        admin_post(ctx, &format!("/v1/admin/orders/{id}/refund"), None).await?.expect(200)?["status"],
        json!("refunded"),
        "refunded"
    );
    ensure_eq!(ctx.stock(&mug).await?, json!(4), "the units are back");
    ctx.with_secret(Method::POST, &format!("/v1/orders/{id}/cancel"), order["secret"].as_str().unwrap_or(""))
        .await?
        .expect_error(409, "invalid_transition")?;
    Ok(())
}

fn receiver(ctx: &Ctx) -> Result<&crate::webhooks::Receiver, Problem> {
    match &ctx.webhooks {
        Some(receiver) => Ok(receiver),
        None => skip("needs --webhook-listen and --webhook-secret (webhooks are optional; the backend must send them there)"),
    }
}

const WEBHOOK_WAIT: Duration = Duration::from_secs(15);

async fn webhook_signature(ctx: &Ctx) -> CheckResult {
    let receiver = receiver(ctx)?;
    let mug = ctx.stocked(2000, 4).await?;
    let order = ctx.paid_order(&mug, 1).await?;
    let events = receiver.wait_for(order["id"].as_str().unwrap_or(""), 2, WEBHOOK_WAIT).await;
    ensure!(!events.is_empty(), "webhooks arrive for a new order");
    for event in &events {
        let timestamp = verify_signature(&receiver.secret, &event.signature, &event.body).map_err(Problem::Fail)?;
        ensure!(timestamp.abs_diff(event.received_at) <= 300, "the signature's time is now, not {timestamp}");
        ensure!(event.content_type.starts_with("application/json"), "a webhook is application/json: {}", event.content_type);
    }
    Ok(())
}

async fn webhook_order_events(ctx: &Ctx) -> CheckResult {
    let receiver = receiver(ctx)?;
    let mug = ctx.stocked(2000, 4).await?;
    let order = ctx.paid_order(&mug, 1).await?;
    let id = order["id"].as_str().unwrap_or("");
    let cancel = ctx.with_secret(Method::POST, &format!("/v1/orders/{id}/cancel"), order["secret"].as_str().unwrap_or("")).await?;
    let cancelled = cancel.status == 200;
    let events = receiver.wait_for(id, if cancelled { 3 } else { 2 }, WEBHOOK_WAIT).await;
    let kinds: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.event["type"].as_str().unwrap_or("?").to_owned(), e.event["order"]["status"].as_str().unwrap_or("?").to_owned()))
        .collect();
    let mut expected = vec![("order.placed".to_owned(), "placed".to_owned()), ("order.paid".to_owned(), "paid".to_owned())];
    if cancelled {
        expected.push(("order.status_changed".to_owned(), "cancelled".to_owned()));
    }
    ensure_eq!(kinds, expected, "(type, order status) of the events, in order");
    ensure_eq!(
        (events[0].event["order"]["payment"].clone(), events[1].event["order"]["payment"].clone()),
        (order["payment"].clone(), order["payment"].clone()),
        "order.placed and order.paid show the payment as the charge answered (brand and last4)"
    );
    let mut ids: Vec<&str> = events.iter().map(|e| e.event["id"].as_str().unwrap_or("")).collect();
    ids.sort_unstable();
    ids.dedup();
    ensure!(ids.len() == events.len() && ids.iter().all(|i| !i.is_empty()), "each event has its own id: {ids:?}");
    for event in &events {
        ensure!(event.event["created_at"].is_string(), "created_at: {}", event.event);
        ensure!(event.event["order"].get("secret").is_none_or(Value::is_null), "webhooks never carry the order secret");
    }
    Ok(())
}

async fn webhook_status_changed(ctx: &Ctx) -> CheckResult {
    let receiver = receiver(ctx)?;
    let mug = ctx.stocked(2000, 4).await?;
    let order = ctx.paid_order(&mug, 1).await?;
    let id = order["id"].as_str().unwrap_or("");
    let tracking = json!({"tracking_number": "6A123456789", "tracking_url": "https://suivi.example/6A123456789"});
    admin_post(ctx, &format!("/v1/admin/orders/{id}/ship"), Some(tracking)).await?.expect(200)?;
    admin_post(ctx, &format!("/v1/admin/orders/{id}/deliver"), None).await?.expect(200)?;
    admin_post(ctx, &format!("/v1/admin/orders/{id}/refund"), None).await?.expect(200)?;
    let events = receiver.wait_for(id, 5, WEBHOOK_WAIT).await;
    let changes: Vec<&str> = events
        .iter()
        .filter(|e| e.event["type"] == "order.status_changed")
        .map(|e| e.event["order"]["status"].as_str().unwrap_or("?"))
        .collect();
    ensure_eq!(changes, vec!["shipped", "delivered", "refunded"], "order.status_changed events");
    let shipped =
        events.iter().find(|e| e.event["order"]["status"] == "shipped").map(|e| e.event["order"]["history"].clone()).unwrap_or_default();
    let last = shipped.as_array().and_then(|h| h.last()).cloned().unwrap_or_default();
    ensure_eq!(last["tracking_number"], json!("6A123456789"), "the shipped event's last history entry has the tracking number");
    Ok(())
}
