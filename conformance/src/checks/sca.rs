//! Strong Customer Authentication (3-D Secure), with the `test` provider's card that asks for
//! it and its challenge endpoint: the held order, its completion with the same key, a failed
//! challenge, an expired one.

use std::time::Duration;

use serde_json::{Value, json};

use super::orders::parse_rfc3339_utc;
use super::{Ctx, check, skip, unique};
use crate::webhooks::unix_now;
use crate::{Check, CheckResult, Problem, Response, ensure, ensure_eq};

/// The `test` card whose bank asks the shopper to confirm.
const AUTHENTICATE_CARD: &str = "4000002760003184";
/// The longest hold `sca.expired` waits out.
const LONGEST_WAIT: Duration = Duration::from_secs(90);

pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "sca.requires-action",
            "a card asking for 3-D Secure: 202 requires_action with the order id, expires_at and an authentication; stock held, nothing card-like",
            requires_action
        ),
        check!("sca.pending-202", "the same request while the challenge runs: the same 202", pending_202),
        check!(
            "sca.completed-201",
            "challenge completed, same key: 201 paid order (with secret), replayed; charged once even if completed twice",
            completed_201
        ),
        check!(
            "sca.failed-402",
            "challenge failed, same key: 402 authentication_failed at payment.token, replayed; stock back, no order",
            failed_402
        ),
        check!("sca.expired", "a challenge never finished: past expires_at the stock is back and the key answers 402", expired),
    ]
}

/// An order of 2 units (of 5) with the card that asks for 3-D Secure: its key, body and answer.
async fn held(ctx: &Ctx) -> Result<(String, String, Value, Response), Problem> {
    let item = ctx.stocked(1200, 5).await?;
    let body = ctx.order_body(json!([{"variant_id": item, "quantity": 2}]), &ctx.card_token(AUTHENTICATE_CARD).await?).await?;
    let key = unique("key");
    let answer = ctx.place_order(&key, &body).await?;
    if answer.status != 202 {
        return Err(Problem::Fail(format!(
            "the card {AUTHENTICATE_CARD} asks for 3-D Secure: expected 202, got {} {}",
            answer.status, answer.body
        )));
    }
    Ok((item, key, body, answer))
}

/// The shopper's answer to the `test` bank's challenge, next to the provider's `tokenize_url`.
async fn answer_challenge(ctx: &Ctx, answer: &Response, result: &str) -> Result<Response, Problem> {
    let secret = answer.body["authentication"]["client_secret"].as_str().unwrap_or_default();
    let config = ctx.config().await?;
    let methods = config["payment_methods"].as_array().cloned().unwrap_or_default();
    let tokenize_url = methods.iter().find(|m| m["provider"] == "test").and_then(|m| m["tokenize_url"].as_str()).unwrap_or_default();
    let Some(base) = tokenize_url.strip_suffix("tokens") else {
        return skip("the test provider's tokenize_url does not end with `tokens`: its challenge endpoint cannot be found");
    };
    ctx.http.send(ctx.post_to(&format!("{base}authentications/{secret}")).json(&json!({"result": result}))).await
}

async fn requires_action(ctx: &Ctx) -> CheckResult {
    let (item, _, _, answer) = held(ctx).await?;
    let body = &answer.body;
    ensure_eq!(body["status"], json!("requires_action"), "status: {body}");
    ensure!(body["order_id"].as_str().is_some_and(|id| !id.is_empty()), "an order_id: {body}");
    ensure!(body["expires_at"].as_str().and_then(parse_rfc3339_utc).is_some(), "expires_at in RFC 3339 (UTC): {body}");
    ensure_eq!(body["authentication"]["provider"], json!("test"), "authentication.provider: {body}");
    ensure!(body["authentication"]["client_secret"].as_str().is_some_and(|s| !s.is_empty()), "authentication.client_secret: {body}");
    ensure!(body.get("secret").is_none() && !body.to_string().contains("3184"), "no order secret, nothing of the card: {body}");
    ensure_eq!(ctx.stock(&item).await?, json!(3), "the held order keeps its units reserved");
    Ok(())
}

async fn pending_202(ctx: &Ctx) -> CheckResult {
    let (_, key, body, first) = held(ctx).await?;
    let again = ctx.place_order(&key, &body).await?;
    ensure_eq!(again.expect(202)?, &first.body, "the same 202 while the challenge runs");
    Ok(())
}

async fn completed_201(ctx: &Ctx) -> CheckResult {
    let (item, key, body, answer) = held(ctx).await?;
    answer_challenge(ctx, &answer, "succeeded").await?.expect(200)?;
    answer_challenge(ctx, &answer, "succeeded").await?.expect(200)?;
    let paid = ctx.place_order(&key, &body).await?;
    let order = paid.expect(201)?.clone();
    ensure_eq!(order["status"], json!("paid"), "the order is paid: {order}");
    ensure_eq!(order["id"], answer.body["order_id"], "the held order");
    ensure!(order["secret"].as_str().is_some_and(|s| !s.is_empty()), "with its secret: {order}");
    let replay = ctx.place_order(&key, &body).await?;
    ensure_eq!(replay.expect(201)?, &order, "the paid order replayed");
    ensure_eq!(ctx.stock(&item).await?, json!(3), "two units sold, once");
    Ok(())
}

async fn failed_402(ctx: &Ctx) -> CheckResult {
    let (item, key, body, answer) = held(ctx).await?;
    answer_challenge(ctx, &answer, "failed").await?.expect(200)?;
    ctx.place_order(&key, &body).await?.expect_error_at(402, "authentication_failed", "payment.token")?;
    ctx.place_order(&key, &body).await?.expect_error_at(402, "authentication_failed", "payment.token")?;
    ensure_eq!(ctx.stock(&item).await?, json!(5), "the units are back");
    Ok(())
}

async fn expired(ctx: &Ctx) -> CheckResult {
    let (item, key, body, answer) = held(ctx).await?;
    let expires = answer.body["expires_at"].as_str().and_then(parse_rfc3339_utc).unwrap_or(i64::MAX);
    let wait = u64::try_from(expires.saturating_sub(unix_now() as i64)).unwrap_or(0);
    if wait > LONGEST_WAIT.as_secs() {
        return skip(format!("the hold ends too late to wait for it ({})", answer.body["expires_at"]));
    }
    // Past the hold, the backend releases the order by itself (its sweep may take a while).
    tokio::time::sleep(Duration::from_secs(wait + 1)).await;
    let deadline = std::time::Instant::now() + LONGEST_WAIT;
    while ctx.stock(&item).await? != json!(5) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    ensure_eq!(ctx.stock(&item).await?, json!(5), "the units are back after the hold");
    let late = answer_challenge(ctx, &answer, "succeeded").await?;
    ensure!(late.status == 409, "too late to complete the challenge: {} {}", late.status, late.body);
    ctx.place_order(&key, &body).await?.expect_error_at(402, "authentication_failed", "payment.token")?;
    Ok(())
}
