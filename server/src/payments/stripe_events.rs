//! Stripe's webhook events (`POST /v1/payments/stripe/webhook`): the orders follow what
//! Stripe did after the shopper's page, or the server, was gone.
//!
//! - `payment_intent.succeeded`: an order left `placed` becomes paid, through the path crash
//!   recovery takes (`recovery::settle_in`); `payment_intent.payment_failed`: it is released.
//! - `charge.refunded`: a charge refunded in full at Stripe (its dashboard), not by this
//!   server, makes the order `refunded`, without refunding it again.
//! - `charge.dispute.created` / `charge.dispute.closed`: the dispute is recorded, for the
//!   console (`GET /v1/admin/disputes`).
//!
//! Trust: the body counts only with a valid `Stripe-Signature` (HMAC-SHA256 of `t.body` with
//! the endpoint's signing secret) made within [`TOLERANCE_SECONDS`]; and what moves an order
//! is read again from Stripe's API, never taken from the event.
//!
//! Exactly once: the event's id is recorded in the transaction of its effect, first, so a
//! duplicate (sent again, at the same time, or after a crash before the commit) finds it, or
//! waits for it on PostgreSQL, and does nothing; a crash before the commit leaves neither, and
//! Stripe's redelivery does both.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use shoppable_protocol::{Dispute, DisputeStatus, ErrorCode, Money, Order, OrderStatus, StatusEvent};
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::mail::Notice;
use crate::orders::CHALLENGE_FAILED;
use crate::orders::units_by_variant;
use crate::payments::PaymentProvider;
use crate::recovery::settle_in;
use crate::storage::catalog::release_stock;
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{now, now_rfc3339_ms, rfc3339};
use crate::webhooks::Subject;

/// Stripe's events are a few kilobytes; its documentation names no bound, this one leaves
/// room for large metadata.
pub const BODY_LIMIT: usize = 256 * 1024;
/// How far a signature's time may be from now, as Stripe's own libraries allow by default.
pub const TOLERANCE_SECONDS: i64 = 300;

/// Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`) for `payload` at unix time `now`:
/// one of its `v1` signatures (several while a secret is being rolled) must be the HMAC of
/// `t.payload`, compared in constant time, and `t` within [`TOLERANCE_SECONDS`] of now.
pub fn verify(secret: &str, header: &str, payload: &[u8], now: i64) -> AppResult<()> {
    let refused = |why: &str| AppError::field(ErrorCode::MalformedRequest, "Stripe-Signature", why.to_owned());
    let mut time = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        match item.trim().split_once('=') {
            Some(("t", value)) => time = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let time = time.ok_or_else(|| refused("no timestamp (t=) in the signature"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(format!("{time}.").as_bytes());
    mac.update(payload);
    if !signatures.iter().any(|signature| mac.clone().verify_slice(signature).is_ok()) {
        return Err(refused("no v1 signature matches the body with this endpoint's secret"));
    }
    if (now - time).abs() > TOLERANCE_SECONDS {
        return Err(refused("the signature's time is more than 5 minutes from now (a replay?)"));
    }
    Ok(())
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

#[derive(Deserialize)]
struct IntentObject {
    id: String,
    #[serde(default)]
    metadata: HashMap<String, String>,
}

#[derive(Deserialize)]
struct ChargeObject {
    payment_intent: Option<String>,
    #[serde(default)]
    refunded: bool,
}

#[derive(Deserialize)]
struct DisputeObject {
    id: String,
    payment_intent: Option<String>,
    amount: i64,
    reason: String,
    status: String,
    created: i64,
    evidence_details: Option<EvidenceDetails>,
}

#[derive(Deserialize)]
struct EvidenceDetails {
    due_by: Option<i64>,
}

/// What an event does, once what it needs was read from Stripe and the database.
enum Effect {
    /// Settle an order left `placed` as Stripe says (charged or not).
    Settle(StoredOrder, Option<crate::payments::Charge>),
    /// The order was refunded in full at Stripe.
    RefundedAtStripe(String),
    Dispute {
        order: StoredOrder,
        dispute: DisputeObject,
        closed: bool,
    },
    Ignore(&'static str),
}

/// Receives one delivery: checks it, then applies its event once. An event about something
/// that is not this shop's is acknowledged and ignored, so Stripe stops sending it.
pub async fn receive(state: &AppState, signature: Option<&str>, body: &[u8]) -> AppResult<()> {
    let secret = state.config.stripe_webhook_secret.as_deref().ok_or_else(|| AppError::not_found("Stripe webhook endpoint"))?;
    let signature = signature
        .ok_or_else(|| AppError::field(ErrorCode::MalformedRequest, "Stripe-Signature", "the Stripe-Signature header is missing"))?;
    verify(secret, signature, body, now())?;
    let event: Event = crate::extract::parse_json(body)?;
    if seen(state, &event.id).await? {
        return Ok(());
    }
    let effect = prepare(state, &event).await?;
    let mut write = state.db.write_tx().await?;
    let claimed =
        sqlx::query("INSERT INTO stripe_events (id, type, effect, received_at) VALUES ($1, $2, '', $3) ON CONFLICT (id) DO NOTHING")
            .bind(&event.id)
            .bind(&event.kind)
            .bind(now())
            .execute(&mut *write.tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Ok(());
    }
    let done = apply(state, &mut write.tx, effect).await?;
    sqlx::query("UPDATE stripe_events SET effect = $1 WHERE id = $2").bind(done).bind(&event.id).execute(&mut *write.tx).await?;
    write.commit().await?;
    if done != "ignored" {
        state.webhooks.wake();
        state.mailer.wake();
        state.cache.invalidate();
    }
    tracing::info!(event = %event.id, kind = %event.kind, effect = done, "Stripe event");
    Ok(())
}

async fn seen(state: &AppState, id: &str) -> AppResult<bool> {
    let row = sqlx::query("SELECT id FROM stripe_events WHERE id = $1").bind(id).fetch_optional(&state.db.pool).await?;
    Ok(row.is_some())
}

/// Reads what the event's effect needs, outside any transaction (Stripe's API is slow to a
/// database's eyes).
async fn prepare(state: &AppState, event: &Event) -> AppResult<Effect> {
    let object = || event.data.object.clone();
    let unreadable = |e: serde_json::Error| AppError::invalid("data.object", format!("not a Stripe {} object: {e}", event.kind));
    let stripe = state.stripe.as_ref().ok_or_else(|| AppError::not_found("Stripe webhook endpoint"))?;
    Ok(match event.kind.as_str() {
        "payment_intent.succeeded" | "payment_intent.payment_failed" => {
            let intent: IntentObject = serde_json::from_value(object()).map_err(unreadable)?;
            let Some(order_id) = intent.metadata.get("order_id") else { return Ok(Effect::Ignore("no order in its metadata")) };
            let Some(stored) = order_of_intent(state, &intent.id).await?.filter(|s| &s.order.id == order_id) else {
                return Ok(Effect::Ignore("not a payment of this shop"));
            };
            if stored.order.status != OrderStatus::Placed {
                return Ok(Effect::Ignore("the order is settled already"));
            }
            // What Stripe says now, by the way recovery asks.
            let charge = stripe.find_charge(order_id).await.map_err(AppError::from)?;
            Effect::Settle(stored, charge)
        }
        "charge.refunded" => {
            let charge: ChargeObject = serde_json::from_value(object()).map_err(unreadable)?;
            let Some(intent_id) = charge.payment_intent else { return Ok(Effect::Ignore("not a payment of this shop")) };
            let Some(stored) = order_of_intent(state, &intent_id).await? else { return Ok(Effect::Ignore("not a payment of this shop")) };
            if !charge.refunded {
                // Partial refunds made at Stripe are not shown on the order (yet): logged.
                tracing::warn!(order = %stored.order.id, "a part of the payment was refunded at Stripe");
                return Ok(Effect::Ignore("partly refunded"));
            }
            if stripe.refunded_elsewhere(&intent_id).await.map_err(AppError::from)? == 0 {
                return Ok(Effect::Ignore("refunded by this shop"));
            }
            Effect::RefundedAtStripe(stored.order.id)
        }
        "charge.dispute.created" | "charge.dispute.closed" => {
            let dispute: DisputeObject = serde_json::from_value(object()).map_err(unreadable)?;
            let order = match &dispute.payment_intent {
                Some(intent_id) => order_of_intent(state, intent_id).await?,
                None => None,
            };
            let Some(order) = order else { return Ok(Effect::Ignore("not a payment of this shop")) };
            Effect::Dispute { order, dispute, closed: event.kind == "charge.dispute.closed" }
        }
        _ => Effect::Ignore("not an event this shop acts on"),
    })
}

/// The order a PaymentIntent was made for, as the provider recorded it.
async fn order_of_intent(state: &AppState, intent_id: &str) -> AppResult<Option<StoredOrder>> {
    let order_id: Option<String> = sqlx::query_scalar("SELECT order_id FROM stripe_payment_intents WHERE intent_id = $1")
        .bind(intent_id)
        .fetch_optional(&state.db.pool)
        .await?;
    match order_id {
        Some(id) => order_store::load(&state.db, &id).await,
        None => Ok(None),
    }
}

/// Applies the effect in the event's transaction; what it did.
async fn apply(state: &AppState, conn: &mut AnyConnection, effect: Effect) -> AppResult<&'static str> {
    Ok(match effect {
        // A payment that failed at Stripe was a challenge the card's bank refused, if any.
        Effect::Settle(stored, charge) => match settle_in(state, conn, stored, charge.as_ref(), CHALLENGE_FAILED).await? {
            Some(true) => "paid",
            Some(false) => "released",
            None => "ignored",
        },
        Effect::RefundedAtStripe(order_id) => refunded_at_stripe(state, conn, &order_id).await?,
        Effect::Dispute { order, dispute, closed } => record_dispute(state, conn, &order.order, &dispute, closed).await?,
        Effect::Ignore(why) => {
            tracing::debug!(why, "Stripe event ignored");
            "ignored"
        }
    })
}

/// The order becomes `refunded` (its e-mail and webhook queued) without any call to Stripe,
/// which has moved the money already; nothing when it cannot become refunded (cancelled, or
/// refunded by the shop meanwhile).
async fn refunded_at_stripe(state: &AppState, conn: &mut AnyConnection, order_id: &str) -> AppResult<&'static str> {
    let Some(stored) = order_store::load_for_change(&state.db, conn, order_id).await? else { return Ok("ignored") };
    if !stored.order.status.can_become(OrderStatus::Refunded) {
        return Ok("ignored");
    }
    let mut order: Order = stored.order.clone();
    order.status = OrderStatus::Refunded;
    order.history.push(StatusEvent { status: OrderStatus::Refunded, at: rfc3339(now()), tracking_number: None, tracking_url: None });
    order.updated_at = Some(now_rfc3339_ms());
    if !order_store::save(conn, &order, stored.version).await? {
        return Err(AppError::internal("an order held for a change changed"));
    }
    if stored.order.status == OrderStatus::Paid {
        for (variant_id, quantity) in units_by_variant(&order) {
            release_stock(conn, &variant_id, quantity).await?;
        }
    }
    state.webhooks.add(conn, "order.status_changed", &order).await?;
    state.mailer.add(conn, Notice::Refunded, &order).await?;
    tracing::warn!(order = %order_id, "refunded at Stripe: the order is now refunded");
    Ok("refunded")
}

/// Records a dispute opened, or its outcome (an outcome that arrives before the opening
/// keeps its outcome), and tells the shop's webhook what changed: the shop has days to answer
/// the bank, and its own systems may be where it answers from.
async fn record_dispute(
    state: &AppState,
    conn: &mut AnyConnection,
    order: &Order,
    dispute: &DisputeObject,
    closed: bool,
) -> AppResult<&'static str> {
    let status = match (closed, dispute.status.as_str()) {
        (false, _) => DisputeStatus::Open,
        (true, "lost") => DisputeStatus::Lost,
        // `won`, or `warning_closed`: an inquiry that never became a chargeback.
        (true, _) => DisputeStatus::Won,
    };
    let due_by = dispute.evidence_details.as_ref().and_then(|e| e.due_by);
    let closed_at = closed.then(now);
    // An outcome told again changes nothing, and is not told to the shop again.
    let update = if closed {
        "DO UPDATE SET status = excluded.status, closed_at = excluded.closed_at \
         WHERE stripe_disputes.status <> excluded.status OR stripe_disputes.closed_at IS NULL"
    } else {
        "DO NOTHING"
    };
    let recorded = sqlx::query(&format!(
        "INSERT INTO stripe_disputes (id, order_id, amount, currency, reason, status, opened_at, respond_by, closed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) {update}"
    ))
    .bind(&dispute.id)
    .bind(&order.id)
    .bind(dispute.amount)
    .bind(order.total.currency.as_str())
    .bind(&dispute.reason)
    .bind(status.as_str())
    .bind(dispute.created)
    .bind(due_by)
    .bind(closed_at)
    .execute(&mut *conn)
    .await?;
    if recorded.rows_affected() == 1 {
        let kind = if closed { "dispute.closed" } else { "dispute.opened" };
        state.webhooks.add_about(conn, kind, order, Subject::Dispute(&dispute.id)).await?;
    }
    tracing::warn!(order = %order.id, dispute = %dispute.id, status = status.as_str(), "Stripe dispute");
    Ok(if closed { "dispute closed" } else { "dispute opened" })
}

/// The disputes, newest first: all of them, or one order's.
pub async fn disputes(state: &AppState, order_id: Option<&str>, limit: u32) -> AppResult<Vec<Dispute>> {
    let sql = "SELECT d.id, d.order_id, o.number, d.amount, d.currency, d.reason, d.status, d.opened_at, d.respond_by, d.closed_at \
               FROM stripe_disputes d JOIN orders o ON o.id = d.order_id WHERE ($1 = '' OR d.order_id = $1) \
               ORDER BY d.opened_at DESC, d.id LIMIT $2";
    let rows = sqlx::query(sql).bind(order_id.unwrap_or("")).bind(i64::from(limit)).fetch_all(&state.db.pool).await?;
    rows.iter()
        .map(|row| -> AppResult<Dispute> {
            let currency: String = row.try_get("currency")?;
            let status: String = row.try_get("status")?;
            Ok(Dispute {
                id: row.try_get("id")?,
                order_id: row.try_get("order_id")?,
                order_number: row.try_get("number")?,
                amount: Money::new(row.try_get("amount")?, currency.parse().map_err(AppError::internal)?),
                reason: row.try_get("reason")?,
                status: DisputeStatus::parse(&status).ok_or_else(|| AppError::internal(format!("dispute status {status}")))?,
                opened_at: rfc3339(row.try_get("opened_at")?),
                respond_by: row.try_get::<Option<i64>, _>("respond_by")?.map(rfc3339),
                closed_at: row.try_get::<Option<i64>, _>("closed_at")?.map(rfc3339),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, time: i64, payload: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{time}.").as_bytes());
        mac.update(payload);
        hex::encode(mac.finalize().into_bytes())
    }

    /// The header as Stripe documents it ("Verify webhook signatures manually").
    #[test]
    fn a_signature_counts_only_with_the_secret_the_body_and_a_recent_time() {
        let (secret, body, at) = ("whsec_test", br#"{"id":"evt_1"}"#.as_slice(), 1_700_000_000);
        let good = sign(secret, at, body);
        assert!(verify(secret, &format!("t={at},v1={good}"), body, at + 10).is_ok());
        // Several v1 signatures while the secret rolls, and a v0 Stripe adds in test mode.
        let other = sign("whsec_old", at, body);
        assert!(verify(secret, &format!("t={at},v1={other},v1={good},v0=abc"), body, at).is_ok());
        for header in [
            format!("t={at},v1={other}"),
            format!("t={at},v0={good}"),
            format!("t={},v1={good}", at + 1),
            format!("v1={good}"),
            "garbage".to_owned(),
        ] {
            assert!(verify(secret, &header, body, at).is_err(), "{header}");
        }
        assert!(verify(secret, &format!("t={at},v1={good}"), br#"{"id":"evt_2"}"#, at).is_err(), "another body");
        assert!(verify(secret, &format!("t={at},v1={good}"), body, at + TOLERANCE_SECONDS + 1).is_err(), "too old");
        assert!(verify(secret, &format!("t={at},v1={good}"), body, at - TOLERANCE_SECONDS - 1).is_err(), "from the future");
    }
}
