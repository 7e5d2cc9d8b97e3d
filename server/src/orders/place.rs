//! Placing an order: idempotent by key, priced by the server, stock reserved and the card
//! charged, the outcome recorded with its answer (and settled by crash recovery when the
//! process stops in between).

use shoppable_protocol::{
    ActionStatus, ErrorCode, IDEMPOTENCY_KEY_HEADER, Order, OrderAction, OrderRequest, OrderStatus, PaymentSummary, QuoteRequest,
    QuotedLine, StatusEvent, is_valid_idempotency_key,
};
use sqlx::AnyConnection;

use super::refunds::{decide, intent, whole_order_refund};
use super::{cancellable_until, sha256_hex, units_by_variant};
use crate::error::{AppError, AppResult};
use crate::mail::Notice;
use crate::payments::{Authenticated, PaymentError};
use crate::storage::catalog::{release_stock, reserve_stock, to_json};
use crate::storage::idempotency::{self, Claim, Held};
use crate::storage::insights;
use crate::storage::orders as order_store;
use crate::storage::{new_id, now, random_hex, rfc3339};
use crate::{AppState, pricing};

/// The answer to an order request, as stored with its key and replayed to retries: an HTTP
/// status and its JSON body (the order with its secret, or a protocol error).
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// Places the order `request` under the idempotency `key`: the first complete answer (success
/// or refusal) is stored and replayed to any retry with the same key and the same request.
///
/// Three write transactions for an order: the key, the stock and the order `placed` together;
/// the charge (the provider's); the order `paid` with its webhooks and the stored answer
/// together. A process that stops between them leaves a key in flight and an order `placed`,
/// which crash recovery (`crate::recovery`) settles with the payment provider.
///
/// A card whose bank asks for a confirmation (3-D Secure) leaves the order `placed` and its
/// key held, answering `202 requires_action`; the same request sent again asks the provider
/// where the challenge stands (see [`resume`]).
pub async fn place(state: &AppState, key: &str, request: &OrderRequest) -> AppResult<Answer> {
    if !is_valid_idempotency_key(key) {
        return Err(AppError::field(ErrorCode::MalformedRequest, IDEMPOTENCY_KEY_HEADER, "a key is 1 to 255 visible ASCII characters"));
    }
    // The request as understood (unknown fields dropped), so formatting differences do not count;
    // nor does the shopper's language, which changes nothing of what is bought.
    let body_hash = sha256_hex(&to_json(&OrderRequest { locale: None, ..request.clone() }));
    let (status, body) = loop {
        match idempotency::lookup(&state.db, key, &body_hash).await? {
            Claim::New => {}
            Claim::Held(held) => match resume(state, key, &held).await? {
                Some(answer) => break answer,
                // Settled now: the key has its final answer.
                None => continue,
            },
            claim => break answer_of(claim)?,
        }
        match place_order(state, request, key, &body_hash).await {
            Ok(Placed::Answered(status, body)) => break (status, body),
            // Another request took the key meanwhile: answer as it says.
            Ok(Placed::KeyTaken) => continue,
            Err(error @ (AppError::Api(_) | AppError::Import(_))) => {
                // A refusal before any order existed: stored for the retries.
                let api_error = error.to_api_error();
                let answer = (api_error.code.http_status(), to_json(&api_error));
                if idempotency::store_answer(&state.db, key, &body_hash, answer.0, &answer.1).await? {
                    break answer;
                }
            }
            Err(error) => return Err(error),
        }
    };
    Ok(Answer { status, body })
}

/// The answer to a key already known.
fn answer_of(claim: Claim) -> AppResult<(u16, String)> {
    match claim {
        Claim::Replay { status, body } => Ok((status, body)),
        Claim::Mismatch => Err(AppError::field(
            ErrorCode::IdempotencyKeyReused,
            IDEMPOTENCY_KEY_HEADER,
            "this key was used with a different request; use a new key for a new request",
        )),
        Claim::InFlight | Claim::New | Claim::Held(_) => {
            let message = "a request with this key is in progress";
            Err(AppError::field(ErrorCode::IdempotencyKeyInUse, IDEMPOTENCY_KEY_HEADER, message))
        }
    }
}

enum Placed {
    /// The answer, stored with the key.
    Answered(u16, String),
    /// Another request holds the key, or answered for it (crash recovery): look it up again.
    KeyTaken,
}

/// Prices the request, then claims the key, reserves stock and records the order in one
/// transaction, charges the payment token, and records the outcome with the answer. On a
/// refused charge the stock goes back and no order remains.
async fn place_order(state: &AppState, request: &OrderRequest, key: &str, body_hash: &str) -> AppResult<Placed> {
    let provider = state
        .provider(&request.payment.provider)
        .ok_or_else(|| AppError::invalid("payment.provider", "this payment provider is not accepted"))?;
    let quote_request = QuoteRequest {
        lines: request.lines.clone(),
        address: Some(request.address.clone()),
        shipping_option: Some(request.shipping_option.clone()),
    };
    let quote = pricing::quote(&state.db, &state.config, &quote_request).await?;
    if let Some(error) = quote.lines.iter().find_map(|line| line.error.clone()) {
        return Err(error.into());
    }
    if request.expected_total.is_some_and(|expected| expected != quote.total) {
        return Err(AppError::field(ErrorCode::PriceChanged, "expected_total", format!("the total is now {}", quote.total)));
    }
    let created_at = now();
    let secret = random_hex(24);
    let mut order = Order {
        id: new_id("ord"),
        number: String::new(),
        secret: None,
        status: OrderStatus::Placed,
        history: vec![StatusEvent { status: OrderStatus::Placed, at: rfc3339(created_at), tracking_number: None, tracking_url: None }],
        // Stock figures belong to the quote; an order line keeps what was bought.
        lines: quote.lines.into_iter().map(|line| QuotedLine { available_quantity: None, ..line }).collect(),
        address: request.address.clone(),
        shipping_option: request.shipping_option.clone(),
        subtotal: quote.subtotal,
        shipping: quote.shipping,
        tax: quote.tax,
        tax_included: quote.tax_included,
        total: quote.total,
        payment: PaymentSummary { provider: request.payment.provider.clone(), brand: String::new(), last4: String::new() },
        created_at: rfc3339(created_at),
        cancellable_until: None,
        locale: request.locale.as_deref().and_then(language),
        updated_at: None,
        returnable_until: None,
        returns: Vec::new(),
        messages: Vec::new(),
    };

    let units = units_by_variant(&order);
    let mut write = state.db.write_tx().await?;
    if !idempotency::claim_for_order(&mut write.tx, key, body_hash, &order.id, &secret).await? {
        return Ok(Placed::KeyTaken);
    }
    // Variants in id order, so that concurrent orders on PostgreSQL lock rows in one order.
    for (variant_id, quantity) in &units {
        if !reserve_stock(&mut write.tx, variant_id, *quantity).await? {
            let line = order.lines.iter().position(|l| &l.variant_id == variant_id).unwrap_or(0);
            return Err(AppError::field(ErrorCode::OutOfStock, format!("lines[{line}].quantity"), "not enough stock left"));
        }
    }
    // Random numbers are short enough to read out: skip the rare one already given (the
    // insert does nothing then, and the next number is tried).
    let secret_hash = sha256_hex(&secret);
    loop {
        order.number = order_number();
        if order_store::insert(&mut write.tx, &order, &secret_hash, created_at).await? {
            break;
        }
    }
    insights::record_line_posts(&mut write.tx, &order.id, &request.lines).await?;
    write.commit().await?;
    state.cache.invalidate();

    let charge = match provider.charge(&request.payment.token, order.total, &order.id).await {
        Ok(charge) => charge,
        Err(PaymentError::Provider(error)) => {
            // Charged or not, nobody knows yet: the key stays in flight and the order placed
            // until recovery asks the provider.
            return Err(error);
        }
        Err(PaymentError::AuthenticationRequired(authentication)) => {
            // The order stays placed, its stock reserved, until the challenge ends or expires.
            let until = now() + state.config.authentication_hold_seconds as i64;
            let action = OrderAction {
                status: ActionStatus::RequiresAction,
                order_id: order.id.clone(),
                expires_at: rfc3339(until),
                authentication,
            };
            let answer = to_json(&action);
            let mut write = state.db.write_tx().await?;
            idempotency::hold(&mut write.tx, key, &answer, until).await?;
            write.commit().await?;
            return Ok(Placed::Answered(202, answer));
        }
        Err(payment_error) => {
            let refusal = AppError::from(payment_error).to_api_error();
            let mut write = state.db.write_tx().await?;
            // Released already when Stripe's webhook told of the failure first.
            if order_store::delete_placed(&mut write.tx, &order.id).await? {
                for (variant_id, quantity) in &units {
                    release_stock(&mut write.tx, variant_id, *quantity).await?;
                }
            }
            idempotency::finish(&mut write.tx, key, refusal.code.http_status(), &to_json(&refusal)).await?;
            write.commit().await?;
            state.cache.invalidate();
            return Ok(Placed::Answered(refusal.code.http_status(), to_json(&refusal)));
        }
    };
    if let Some(body) = settle_paid(state, &mut order, &charge, Some((key, &secret)), created_at).await? {
        return Ok(Placed::Answered(201, body));
    }
    // Stripe's webhook or recovery settled this order first (the charge took too long).
    let Some(stored) = order_store::load(&state.db, &order.id).await? else {
        return give_back(state, &order, &charge).await;
    };
    if stored.payment_reference.as_deref() == Some(charge.reference.as_str()) {
        // With this very charge: the order is paid, and recovery stored its answer with the
        // key, which the retry of the loop in `place` replays.
        tracing::warn!(order = %order.id, "the order was settled by recovery meanwhile, with its charge");
        return Ok(Placed::KeyTaken);
    }
    give_back(state, &stored.order, &charge).await
}

/// Refunds a charge that order `order` was settled without (cancelled, or dropped by recovery
/// as never charged, while the provider answered): a refund intent like any other, under the
/// whole-order key that such an order never used.
async fn give_back(state: &AppState, order: &Order, charge: &crate::payments::Charge) -> AppResult<Placed> {
    tracing::error!(order = %order.id, "the order was settled meanwhile without its charge; refunding the charge");
    if let Some(refund) = intent(order, Some(&charge.reference), &whole_order_refund(&order.id), order.total, None, None) {
        decide(state, state.db.write_tx().await?, &refund).await?;
    }
    Err(AppError::internal("the order was settled by recovery meanwhile"))
}

/// Why an order held for its challenge was released.
pub const CHALLENGE_FAILED: &str = "the card's bank did not confirm the payment; nothing was charged";
pub const CHALLENGE_EXPIRED: &str = "the payment was not confirmed in time; nothing was charged";

/// A held order's request sent again: where its challenge stands, as the provider says (never
/// the browser). Still running: the `202` again. Confirmed: the order is paid. Failed, or past
/// the hold: released (after the provider cancels the payment), with an
/// `authentication_failed` refusal. None once the key has its final answer.
async fn resume(state: &AppState, key: &str, held: &Held) -> AppResult<Option<(u16, String)>> {
    let in_use = || answer_of(Claim::InFlight);
    let Some(stored) = order_store::load(&state.db, &held.order_id).await? else { return in_use().map(Some) };
    if stored.order.status != OrderStatus::Placed {
        // Settled by another request: its answer is being stored.
        return in_use().map(Some);
    }
    let mut order = stored.order;
    let provider = state
        .provider(&order.payment.provider)
        .ok_or_else(|| AppError::internal(format!("order {}: unknown payment provider {}", order.id, order.payment.provider)))?;
    let expired = now() >= held.until;
    let outcome = if expired {
        provider.find_charge(&order.id).await?.map_or(Authenticated::Failed, Authenticated::Charged)
    } else {
        provider.authentication(&order.id).await?
    };
    match outcome {
        Authenticated::Pending => Ok(Some((202, held.answer.clone()))),
        Authenticated::Charged(charge) => {
            let paid = settle_paid(state, &mut order, &charge, Some((key, &held.order_secret)), stored.created_at).await?;
            Ok(paid.map(|body| (201, body)))
        }
        Authenticated::Failed => {
            release_unpaid(state, &order, if expired { CHALLENGE_EXPIRED } else { CHALLENGE_FAILED }).await?;
            Ok(None)
        }
    }
}

/// Undoes a `placed` order that was never charged: its stock goes back and the order goes.
/// Its key in flight is released, so that a retry runs again, or, when the order was held for
/// a challenge (whose token is spent), answered with an `authentication_failed` refusal saying
/// `reason`. False when another process settled the order first. Shared by [`resume`] and
/// crash recovery.
pub async fn release_unpaid(state: &AppState, order: &Order, reason: &'static str) -> AppResult<bool> {
    let mut write = state.db.write_tx().await?;
    if !release_unpaid_in(&mut write.tx, order, reason).await? {
        return Ok(false);
    }
    write.commit().await?;
    state.cache.invalidate();
    Ok(true)
}

/// [`release_unpaid`] in the caller's transaction (crash recovery, Stripe's webhook); the
/// caller clears the read cache once committed.
pub async fn release_unpaid_in(conn: &mut AnyConnection, order: &Order, reason: &'static str) -> AppResult<bool> {
    if !order_store::delete_placed(conn, &order.id).await? {
        return Ok(false);
    }
    for (variant_id, quantity) in units_by_variant(order) {
        release_stock(conn, &variant_id, quantity).await?;
    }
    match idempotency::in_flight_for_order(conn, &order.id).await? {
        Some(key) if key.held => {
            let refusal = AppError::from(PaymentError::AuthenticationFailed(reason)).to_api_error();
            idempotency::finish(conn, &key.key, refusal.code.http_status(), &to_json(&refusal)).await?;
        }
        Some(key) => idempotency::release(conn, &key.key).await?,
        None => {}
    }
    Ok(true)
}

/// Marks a `placed` order paid with `charge`, queues its webhooks and, for its key still in
/// flight, stores the answer (the order with its secret). None when the order is no longer
/// `placed`. Shared by order creation, crash recovery and Stripe's webhook.
pub async fn settle_paid(
    state: &AppState,
    order: &mut Order,
    charge: &crate::payments::Charge,
    key: Option<(&str, &str)>,
    created_at: i64,
) -> AppResult<Option<String>> {
    let mut write = state.db.write_tx().await?;
    let Some(body) = settle_paid_in(state, &mut write.tx, order, charge, key, created_at).await? else { return Ok(None) };
    write.commit().await?;
    state.webhooks.wake();
    state.mailer.wake();
    Ok(Some(body))
}

/// [`settle_paid`] inside the caller's transaction, which wakes the senders once committed.
pub async fn settle_paid_in(
    state: &AppState,
    conn: &mut AnyConnection,
    order: &mut Order,
    charge: &crate::payments::Charge,
    key: Option<(&str, &str)>,
    created_at: i64,
) -> AppResult<Option<String>> {
    order.payment = charge.summary.clone();
    order.status = OrderStatus::Paid;
    order.history.truncate(1);
    order.history.push(StatusEvent { status: OrderStatus::Paid, at: rfc3339(now()), tracking_number: None, tracking_url: None });
    if !order_store::update(conn, order, OrderStatus::Placed, Some(&charge.reference)).await? {
        return Ok(None);
    }
    let mut placed = order.clone();
    placed.status = OrderStatus::Placed;
    placed.history.truncate(1);
    state.webhooks.add(conn, "order.placed", &placed).await?;
    state.webhooks.add(conn, "order.paid", order).await?;
    state.mailer.add(conn, Notice::Confirmed { secret: key.map(|(_, secret)| secret) }, order).await?;
    let mut answer = order.clone();
    if let Some((key, secret)) = key {
        answer.secret = Some(secret.to_owned());
        answer.cancellable_until = cancellable_until(state, answer.status, created_at);
        let text = to_json(&answer);
        idempotency::finish(conn, key, 201, &text).await?;
        return Ok(Some(text));
    }
    Ok(Some(to_json(&answer)))
}

/// The primary language subtag of a BCP 47 tag, in lower case (`fr-CA` -> `fr`); None for
/// anything else, so that only a language is kept.
fn language(locale: &str) -> Option<String> {
    let primary = locale.split(['-', '_']).next()?;
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic())).then(|| primary.to_ascii_lowercase())
}

/// `SH-` and eight characters that cannot be mistaken for one another (32^8 numbers).
fn order_number() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 8];
    rand::fill(&mut bytes);
    let code: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    format!("SH-{code}")
}
