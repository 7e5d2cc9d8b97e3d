//! After the sale: returns, the help thread, `updated_at`, and their webhooks.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::{Ctx, check, skip, unique};
use crate::{Check, CheckResult, Problem, Response, ensure, ensure_eq};

pub fn checks() -> Vec<Check> {
    vec![
        check!("returns.request", "a delivered order within the window: 201, a `requested` return priced by the backend", request),
        check!(
            "returns.validation",
            "a bad return request: 422 at its field, 409 when not delivered or one is open; nothing changes",
            validation
        ),
        check!(
            "returns.lifecycle",
            "approve (a JSON body: instructions, label), receive (units back in stock), refund; wrong moves 409, also after the order's refund",
            lifecycle
        ),
        check!("returns.refuse", "refuse with a reason: refused, its units can be asked for again", refuse),
        check!(
            "messages.thread",
            "shopper (Order-Secret) and shop (admin) write to the order's thread, oldest first, as text, trimmed, 2000 characters",
            thread
        ),
        check!(
            "orders.updated-at",
            "updated_at: absent on a new order; moved by status changes (cancel included), return answers, replies; not by the shopper's returns or messages",
            updated_at
        ),
        check!("webhooks.after-sale", "return.* and message.created events name their return or message", webhooks),
    ]
}

async fn admin_post(ctx: &Ctx, path: &str, body: Option<Value>) -> Result<Response, Problem> {
    let mut request = ctx.admin_request(Method::POST, path)?;
    if let Some(body) = body {
        request = request.json(&body);
    }
    ctx.http.send(request).await
}

/// `POST path` with the order's secret and a JSON body.
async fn shopper_post(ctx: &Ctx, order: &Value, path: &str, body: &Value) -> Result<Response, Problem> {
    let request = ctx.http.request(Method::POST, path).header("Order-Secret", secret(order)).json(body);
    ctx.http.send(request).await
}

async fn read(ctx: &Ctx, order: &Value) -> Result<Value, Problem> {
    let path = format!("/v1/orders/{}", id(order));
    Ok(ctx.with_secret(Method::GET, &path, secret(order)).await?.expect(200)?.clone())
}

fn id(order: &Value) -> &str {
    order["id"].as_str().unwrap_or("")
}

fn secret(order: &Value) -> &str {
    order["secret"].as_str().unwrap_or("")
}

/// A paid order of `quantity` units of a new product at `amount`, shipped and delivered: the
/// creation answer (with its secret) and the product. Skipped when the backend takes no returns.
async fn delivered(ctx: &Ctx, amount: i64, quantity: u32) -> Result<(Value, String), Problem> {
    if ctx.config().await?["return_window_seconds"].as_u64().is_none() {
        return skip("the backend announces no `return_window_seconds`: it takes no returns");
    }
    let product = ctx.stocked(amount, 10).await?;
    let order = ctx.paid_order(&product, quantity).await?;
    let tracking = json!({"tracking_number": "6A1"});
    admin_post(ctx, &format!("/v1/admin/orders/{}/ship", id(&order)), Some(tracking)).await?.expect(200)?;
    admin_post(ctx, &format!("/v1/admin/orders/{}/deliver", id(&order)), None).await?.expect(200)?;
    Ok((order, product))
}

async fn ask_return(ctx: &Ctx, order: &Value, quantity: u32, reason: &str) -> Result<Response, Problem> {
    let body = json!({"lines": [{"line": 0, "quantity": quantity}], "reason": reason});
    shopper_post(ctx, order, &format!("/v1/orders/{}/returns", id(order)), &body).await
}

/// The last return of an order.
fn last_return(order: &Value) -> Value {
    order["returns"].as_array().and_then(|r| r.last()).cloned().unwrap_or_default()
}

async fn move_return(ctx: &Ctx, order: &Value, ret: &Value, action: &str, body: Option<Value>) -> Result<Response, Problem> {
    let path = format!("/v1/admin/orders/{}/returns/{}/{action}", id(order), ret["id"].as_str().unwrap_or(""));
    admin_post(ctx, &path, body).await
}

fn statuses(ret: &Value) -> Vec<String> {
    ret["history"].as_array().map(|h| h.iter().map(|e| e["status"].as_str().unwrap_or("?").to_owned()).collect()).unwrap_or_default()
}

async fn request(ctx: &Ctx) -> CheckResult {
    let (order, _) = delivered(ctx, 1500, 3).await?;
    let before = read(ctx, &order).await?;
    ensure!(before["returnable_until"].is_string(), "a delivered order shows returnable_until: {before}");
    let answer = ask_return(ctx, &order, 2, "Too small").await?;
    let after = answer.expect(201)?;
    let ret = last_return(after);
    ensure_eq!(ret["status"], json!("requested"), "the new return's status");
    ensure_eq!(ret["lines"], json!([{"line": 0, "quantity": 2}]), "its lines");
    ensure_eq!(ret["reason"], json!("Too small"), "its reason");
    ensure_eq!(ret["refund"]["amount"], json!(3000), "its refund: 2 × 15.00, no shipping");
    ensure_eq!(statuses(&ret), ["requested"], "its history");
    ensure!(ret["id"].is_string() && ret["created_at"].is_string(), "id and created_at: {ret}");
    ensure_eq!(read(ctx, &order).await?["returns"], after["returns"], "GET shows the return");
    Ok(())
}

async fn validation(ctx: &Ctx) -> CheckResult {
    let (order, _) = delivered(ctx, 1000, 2).await?;
    let path = format!("/v1/orders/{}/returns", id(&order));
    let bad = [
        (json!({"lines": [], "reason": "x"}), "lines"),
        (json!({"lines": [{"line": 1, "quantity": 1}], "reason": "x"}), "lines[0].line"),
        (json!({"lines": [{"line": 0, "quantity": 3}], "reason": "x"}), "lines[0].quantity"),
        (json!({"lines": [{"line": 0, "quantity": 0}], "reason": "x"}), "lines[0].quantity"),
        (json!({"lines": [{"line": 0, "quantity": 1}, {"line": 0, "quantity": 1}], "reason": "x"}), "lines[1].line"),
        (json!({"lines": [{"line": 0, "quantity": 1}], "reason": "  "}), "reason"),
        (json!({"lines": [{"line": 0, "quantity": 1}], "reason": "x".repeat(1001)}), "reason"),
    ];
    for (body, field) in bad {
        shopper_post(ctx, &order, &path, &body).await?.expect_error_at(422, "invalid_field", field)?;
    }
    // The body's shape is checked first, a JSON type error inside a line included.
    let shape = json!({"lines": [{"line": 0, "quantity": "one"}], "reason": " "});
    shopper_post(ctx, &order, &path, &shape).await?.expect_error_at(422, "invalid_field", "lines[0].quantity")?;
    let negative = json!({"lines": [{"line": -1, "quantity": 1}], "reason": " "});
    shopper_post(ctx, &order, &path, &negative).await?.expect_error_at(422, "invalid_field", "lines[0].line")?;
    let no_secret = ctx.http.request(Method::POST, &path).json(&json!({"lines": [{"line": 0, "quantity": 1}], "reason": "x"}));
    ctx.http.send(no_secret).await?.expect_error(401, "unauthorized")?;
    let stranger = json!({"id": id(&order), "secret": "not-the-secret"});
    ask_return(ctx, &stranger, 1, "x").await?.expect_error(404, "not_found")?;
    ensure!(read(ctx, &order).await?["returns"].as_array().is_none_or(Vec::is_empty), "refused requests leave no return");
    ask_return(ctx, &order, 1, "Broken").await?.expect(201)?;
    ask_return(ctx, &order, 1, "Broken too").await?.expect_error(409, "invalid_transition")?;

    let product = ctx.stocked(1000, 4).await?;
    let paid = ctx.paid_order(&product, 1).await?;
    ensure!(read(ctx, &paid).await?.get("returnable_until").is_none_or(Value::is_null), "an order not delivered shows no returnable_until");
    ask_return(ctx, &paid, 1, "x").await?.expect_error(409, "invalid_transition")?;
    Ok(())
}

async fn lifecycle(ctx: &Ctx) -> CheckResult {
    let (order, product) = delivered(ctx, 1200, 2).await?;
    ensure_eq!(ctx.stock(&product).await?, json!(8), "two units sold");
    let ret = last_return(ask_return(ctx, &order, 2, "Wrong colour").await?.expect(201)?);
    move_return(ctx, &order, &ret, "receive", None).await?.expect_error(409, "invalid_transition")?;
    move_return(ctx, &order, &ret, "approve", None).await?.expect_error(400, "malformed_request")?;
    ensure_eq!(last_return(&read(ctx, &order).await?)["status"], json!("requested"), "an approval without a body changes nothing");
    let bad_label = json!({"label_url": "javascript:alert(1)"});
    move_return(ctx, &order, &ret, "approve", Some(bad_label)).await?.expect_error_at(422, "invalid_field", "label_url")?;
    let approval = json!({"instructions": "Send it to 1 rue du Retour", "label_url": "https://labels.example/123.pdf"});
    let approved = move_return(ctx, &order, &ret, "approve", Some(approval.clone())).await?;
    let approved = last_return(approved.expect(200)?);
    ensure_eq!(
        (&approved["status"], &approved["instructions"], &approved["label_url"]),
        (&json!("approved"), &approval["instructions"], &approval["label_url"]),
        "the approved return"
    );
    move_return(ctx, &order, &ret, "approve", Some(json!({}))).await?.expect_error(409, "invalid_transition")?;
    move_return(ctx, &order, &ret, "refund", None).await?.expect_error(409, "invalid_transition")?;
    let received = move_return(ctx, &order, &ret, "receive", None).await?;
    ensure_eq!(last_return(received.expect(200)?)["status"], json!("received"), "received");
    ensure_eq!(ctx.stock(&product).await?, json!(10), "the returned units are back in stock");
    let refunded = move_return(ctx, &order, &ret, "refund", None).await?;
    let refunded = refunded.expect(200)?;
    ensure_eq!(statuses(&last_return(refunded)), ["requested", "approved", "received", "refunded"], "the return's history");
    ensure_eq!(refunded["status"], json!("delivered"), "the order itself stays delivered");
    ensure!(refunded.get("returnable_until").is_none_or(Value::is_null), "every unit returned: no returnable_until");
    ask_return(ctx, &order, 1, "again").await?.expect_error(409, "invalid_transition")?;
    let unknown = json!({"id": unique("ret")});
    move_return(ctx, &order, &unknown, "approve", Some(json!({}))).await?.expect_error(404, "not_found")?;
    // Refunding the whole order pays back a return only received: it cannot be refunded after.
    let (order, _) = delivered(ctx, 1200, 1).await?;
    let ret = last_return(ask_return(ctx, &order, 1, "Broken").await?.expect(201)?);
    move_return(ctx, &order, &ret, "approve", Some(json!({}))).await?.expect(200)?;
    move_return(ctx, &order, &ret, "receive", None).await?.expect(200)?;
    admin_post(ctx, &format!("/v1/admin/orders/{}/refund", id(&order)), None).await?.expect(200)?;
    move_return(ctx, &order, &ret, "refund", None).await?.expect_error(409, "invalid_transition")?;
    Ok(())
}

async fn refuse(ctx: &Ctx) -> CheckResult {
    let (order, product) = delivered(ctx, 1000, 1).await?;
    let ret = last_return(ask_return(ctx, &order, 1, "Changed my mind").await?.expect(201)?);
    move_return(ctx, &order, &ret, "refuse", Some(json!({"reason": " "}))).await?.expect_error_at(422, "invalid_field", "reason")?;
    let refused = move_return(ctx, &order, &ret, "refuse", Some(json!({"reason": "Worn"}))).await?;
    let refused = last_return(refused.expect(200)?);
    ensure_eq!((&refused["status"], &refused["refusal_reason"]), (&json!("refused"), &json!("Worn")), "the refused return");
    move_return(ctx, &order, &ret, "approve", Some(json!({}))).await?.expect_error(409, "invalid_transition")?;
    ensure_eq!(ctx.stock(&product).await?, json!(9), "a refused return puts nothing back");
    ask_return(ctx, &order, 1, "Really broken").await?.expect(201)?;
    Ok(())
}

async fn thread(ctx: &Ctx) -> CheckResult {
    ctx.admin()?;
    let product = ctx.stocked(1000, 4).await?;
    let order = ctx.paid_order(&product, 1).await?;
    let path = format!("/v1/orders/{}/messages", id(&order));
    let hostile = "<img src=x onerror=alert(1)> Where is my parcel?";
    shopper_post(ctx, &order, &path, &json!({"body": hostile})).await?.expect(201)?;
    let reply = admin_post(ctx, &format!("/v1/admin/orders/{}/messages", id(&order)), Some(json!({"body": "It left today."}))).await?;
    reply.expect(201)?;
    let messages = read(ctx, &order).await?["messages"].clone();
    let seen: Vec<(&str, &str)> = messages
        .as_array()
        .map(|m| m.iter().map(|m| (m["author"].as_str().unwrap_or("?"), m["body"].as_str().unwrap_or("?"))).collect())
        .unwrap_or_default();
    ensure_eq!(seen, vec![("shopper", hostile), ("shop", "It left today.")], "the thread, oldest first, bodies as written");
    ensure!(
        messages.as_array().is_some_and(|m| m.iter().all(|m| m["id"].is_string() && m["at"].is_string())),
        "each message has an id and a time: {messages}"
    );
    // Bodies are trimmed, and counted in characters (code points), not bytes.
    let padded = shopper_post(ctx, &order, &path, &json!({"body": "  Merci !\n"})).await?;
    let thanks = padded.expect(201)?["messages"].as_array().and_then(|m| m.last()).cloned().unwrap_or_default();
    ensure_eq!(thanks["body"], json!("Merci !"), "a body is stored trimmed");
    let longest = "é".repeat(2000);
    let long = shopper_post(ctx, &order, &path, &json!({"body": format!(" {longest} ")})).await?;
    let long = long.expect(201)?["messages"].as_array().and_then(|m| m.last()).cloned().unwrap_or_default();
    ensure_eq!(long["body"].as_str().map(|b| b.chars().count()), Some(2000), "2000 characters of 2 bytes each are accepted");
    let messages = read(ctx, &order).await?["messages"].clone();
    shopper_post(ctx, &order, &path, &json!({"body": " \n "})).await?.expect_error_at(422, "invalid_field", "body")?;
    shopper_post(ctx, &order, &path, &json!({"body": "x".repeat(2001)})).await?.expect_error_at(422, "invalid_field", "body")?;
    let stranger = json!({"id": id(&order), "secret": "not-the-secret"});
    shopper_post(ctx, &stranger, &path, &json!({"body": "hi"})).await?.expect_error(404, "not_found")?;
    let anonymous = ctx.http.request(Method::POST, &format!("/v1/admin/orders/{}/messages", id(&order))).json(&json!({"body": "hi"}));
    ctx.http.send(anonymous).await?.expect_error(401, "unauthorized")?;
    ensure_eq!(read(ctx, &order).await?["messages"], messages, "refused messages change nothing");
    Ok(())
}

async fn updated_at(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1000, 4).await?;
    let fresh = ctx.paid_order(&product, 1).await?;
    ensure!(fresh.get("updated_at").is_none_or(Value::is_null), "a new order has no updated_at: {fresh}");
    ensure!(read(ctx, &fresh).await?.get("updated_at").is_none_or(Value::is_null), "nor when read before any change");
    if ctx.config().await?["cancel_window_seconds"].as_u64() >= Some(10) {
        let cancelled = ctx.with_secret(Method::POST, &format!("/v1/orders/{}/cancel", id(&fresh)), secret(&fresh)).await?;
        let cancelled = cancelled.expect(200)?;
        ensure!(cancelled["updated_at"].is_string(), "a cancel moves updated_at, and its answer shows it: {cancelled}");
        ensure_eq!(read(ctx, &fresh).await?["updated_at"], cancelled["updated_at"], "GET shows the cancel's updated_at");
    }
    let (order, _) = delivered(ctx, 1000, 1).await?;
    let delivered = read(ctx, &order).await?;
    ensure!(delivered["updated_at"].is_string(), "a delivered order has updated_at: {delivered}");
    // Times are to the second: wait so that a change shows.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let path = format!("/v1/orders/{}/messages", id(&order));
    shopper_post(ctx, &order, &path, &json!({"body": "Hello"})).await?.expect(201)?;
    ask_return(ctx, &order, 1, "Too big").await?.expect(201)?;
    ensure_eq!(read(ctx, &order).await?["updated_at"], delivered["updated_at"], "the shopper's own acts leave updated_at");
    let reply = admin_post(ctx, &format!("/v1/admin/orders/{}/messages", id(&order)), Some(json!({"body": "Sure"}))).await?;
    let replied = reply.expect(201)?;
    let time = |order: &Value| order["updated_at"].as_str().and_then(super::orders::parse_rfc3339_utc);
    ensure!(
        time(replied) > time(&delivered),
        "a reply from the shop moves updated_at: {} then {}",
        delivered["updated_at"],
        replied["updated_at"]
    );
    Ok(())
}

async fn webhooks(ctx: &Ctx) -> CheckResult {
    let Some(receiver) = &ctx.webhooks else {
        return skip("needs --webhook-listen and --webhook-secret");
    };
    let (order, _) = delivered(ctx, 1000, 2).await?;
    let ret = last_return(ask_return(ctx, &order, 1, "x").await?.expect(201)?);
    move_return(ctx, &order, &ret, "refuse", Some(json!({"reason": "no"}))).await?.expect(200)?;
    let ret = last_return(ask_return(ctx, &order, 2, "y").await?.expect(201)?);
    move_return(ctx, &order, &ret, "approve", Some(json!({}))).await?.expect(200)?;
    move_return(ctx, &order, &ret, "receive", None).await?.expect(200)?;
    move_return(ctx, &order, &ret, "refund", None).await?.expect(200)?;
    let path = format!("/v1/orders/{}/messages", id(&order));
    shopper_post(ctx, &order, &path, &json!({"body": "Thanks"})).await?.expect(201)?;
    // placed, paid, shipped, delivered, then 7 after the sale.
    let events = receiver.wait_for(id(&order), 11, Duration::from_secs(15)).await;
    let after: Vec<(String, bool)> = events
        .iter()
        .skip(4)
        .map(|e| {
            let kind = e.event["type"].as_str().unwrap_or("?").to_owned();
            let subject = if kind.starts_with("return.") {
                let ret = e.event["return_id"].as_str().unwrap_or("?");
                e.event["order"]["returns"].as_array().is_some_and(|r| r.iter().any(|r| r["id"] == ret))
            } else {
                let message = e.event["message_id"].as_str().unwrap_or("?");
                e.event["order"]["messages"].as_array().is_some_and(|m| m.iter().any(|m| m["id"] == message))
            };
            (kind, subject)
        })
        .collect();
    let expected: Vec<(String, bool)> = [
        "return.requested",
        "return.refused",
        "return.requested",
        "return.approved",
        "return.received",
        "return.refunded",
        "message.created",
    ]
    .iter()
    .map(|k| (k.to_string(), true))
    .collect();
    ensure_eq!(after, expected, "(type, names one of the order's returns or messages) of the events after delivery");
    Ok(())
}
