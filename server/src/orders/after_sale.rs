//! After the sale: returns of delivered lines and the help thread of an order, for the shopper
//! (who owns the order) and the shop. Both live in the order's document; each change is saved
//! against the version it read, with its webhook and e-mail.

use shoppable_protocol::{
    ApproveReturn, Author, ErrorCode, MAX_LINES, MAX_MESSAGE_CHARS, MAX_MESSAGES, MAX_REASON_CHARS, Message, MessageRequest, Money, Order,
    OrderStatus, RefuseReturn, Return, ReturnEvent, ReturnRequest, ReturnStatus, clean_text, url::is_web_address,
};

use super::refunds::{ask_again, decide, intent};
use super::{load, owned_order, present};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::mail::Notice;
use crate::storage::catalog::release_stock;
use crate::storage::orders::{self as order_store, StoredOrder};
use crate::storage::{new_id, now, now_rfc3339_ms, parse_rfc3339, refunds, rfc3339};
use crate::webhooks::Subject;

/// Until when (unix seconds) the shopper may ask for a return: delivered, within the window,
/// with units left to return.
pub fn returnable_until(state: &AppState, order: &Order) -> Option<i64> {
    let window = state.config.return_window_seconds as i64;
    let delivered = order.history.iter().rev().find(|e| e.status == OrderStatus::Delivered)?;
    let until = parse_rfc3339(&delivered.at)? + window;
    (window > 0 && order.status == OrderStatus::Delivered && now() < until && order.has_units_to_return()).then_some(until)
}

/// What one change did, for its webhook and e-mail.
enum Change {
    /// A return reached `status` (`requested` for a new one).
    Return {
        id: String,
        status: ReturnStatus,
    },
    Message {
        id: String,
        author: Author,
    },
}

impl Change {
    fn webhook(&self) -> String {
        match self {
            Change::Return { status, .. } => format!("return.{}", status.as_str()),
            Change::Message { .. } => "message.created".to_owned(),
        }
    }

    /// The shop did it: news for the shopper.
    fn by_shop(&self) -> bool {
        match self {
            Change::Return { status, .. } => *status != ReturnStatus::Requested,
            Change::Message { author, .. } => *author == Author::Shop,
        }
    }

    fn notice<'a>(&self, order: &'a Order) -> Option<Notice<'a>> {
        match self {
            Change::Return { id, status } => {
                let ret = order.returns.iter().find(|r| &r.id == id)?;
                match status {
                    ReturnStatus::Requested => Some(Notice::ReturnRequested(ret)),
                    ReturnStatus::Approved => Some(Notice::ReturnApproved(ret)),
                    ReturnStatus::Refused => Some(Notice::ReturnRefused(ret)),
                    ReturnStatus::Refunded => Some(Notice::ReturnRefunded(ret)),
                    // Received is news for the shop only; the refund follows.
                    ReturnStatus::Received => None,
                }
            }
            Change::Message { id, author: Author::Shop } => order.messages.iter().find(|m| &m.id == id).map(Notice::ShopReplied),
            Change::Message { .. } => None,
        }
    }
}

/// Applies `change` to order `id` and saves it, with its webhook, its e-mail and (for a
/// return received) its units back in stock, in one transaction that holds the order: two
/// changes of one order never erase each other. `confirms` is the refund whose confirmation
/// the change shows, marked done with it.
async fn change_order(
    state: &AppState,
    id: &str,
    confirms: Option<&str>,
    change: impl FnOnce(&mut Order) -> AppResult<Change>,
) -> AppResult<StoredOrder> {
    let mut write = state.db.write_tx().await?;
    let stored = order_store::load_for_change(&state.db, &mut write.tx, id).await?.ok_or_else(|| AppError::not_found("order"))?;
    let mut order = stored.order.clone();
    let done = change(&mut order)?;
    if let Some(refund_key) = confirms {
        refunds::mark_done(&mut write.tx, refund_key).await?;
    }
    if done.by_shop() {
        order.updated_at = Some(now_rfc3339_ms());
    }
    if !order_store::save(&mut write.tx, &order, stored.version).await? {
        return Err(AppError::internal("an order held for a change changed"));
    }
    let restock = matches!(done, Change::Return { status: ReturnStatus::Received, .. });
    if let (true, Change::Return { id, .. }) = (restock, &done) {
        for line in order.returns.iter().filter(|r| &r.id == id).flat_map(|r| &r.lines) {
            let variant = &order.lines[line.line as usize].variant_id;
            release_stock(&mut write.tx, variant, line.quantity).await?;
        }
    }
    let subject = match &done {
        Change::Return { id, .. } => Subject::Return(id),
        Change::Message { id, .. } => Subject::Message(id),
    };
    state.webhooks.add_about(&mut write.tx, &done.webhook(), &order, subject).await?;
    if let Some(notice) = done.notice(&order) {
        state.mailer.add(&mut write.tx, notice, &order).await?;
    }
    write.commit().await?;
    state.webhooks.wake();
    state.mailer.wake();
    if restock {
        state.cache.invalidate();
    }
    Ok(StoredOrder { order, version: stored.version + 1, ..stored })
}

/// The shopper asks to return lines of order `id` (with its `secret`).
pub async fn request_return(state: &AppState, id: &str, secret: &str, request: &ReturnRequest) -> AppResult<Order> {
    let stored = owned_order(state, id, secret).await?;
    let reason = clean_text(&request.reason, MAX_REASON_CHARS)
        .ok_or_else(|| AppError::invalid("reason", format!("say why in 1 to {MAX_REASON_CHARS} characters")))?;
    if request.lines.is_empty() || request.lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", format!("choose 1 to {MAX_LINES} lines to return")));
    }
    let stored = change_order(state, &stored.order.id, None, |order| {
        if returnable_until(state, order).is_none() {
            let why = if state.config.return_window_seconds == 0 {
                "this shop takes no returns"
            } else {
                "this order cannot be returned: it is not delivered, its return window is over, or every unit is in a return"
            };
            return Err(AppError::new(ErrorCode::InvalidTransition, why));
        }
        if order.returns.iter().any(|r| r.status == ReturnStatus::Requested) {
            return Err(AppError::new(ErrorCode::InvalidTransition, "a return of this order is waiting for the shop's answer"));
        }
        let mut refund = Money::zero(order.total.currency);
        for (i, asked) in request.lines.iter().enumerate() {
            let Some(line) = order.lines.get(asked.line as usize) else {
                return Err(AppError::invalid(format!("lines[{i}].line"), "no such line in the order"));
            };
            if request.lines[..i].iter().any(|earlier| earlier.line == asked.line) {
                return Err(AppError::invalid(format!("lines[{i}].line"), "this line is already listed"));
            }
            let left = line.quantity - order.units_in_returns(asked.line);
            if !(1..=left).contains(&asked.quantity) {
                return Err(AppError::invalid(format!("lines[{i}].quantity"), format!("1 to {left} units of this line can be returned")));
            }
            refund = line
                .unit_price
                .checked_times(asked.quantity)
                .and_then(|total| refund.checked_add(total).ok())
                .ok_or_else(|| AppError::internal("refund overflow"))?;
        }
        let id = new_id("ret");
        let at = rfc3339(now());
        order.returns.push(Return {
            id: id.clone(),
            status: ReturnStatus::Requested,
            lines: request.lines.clone(),
            reason: reason.to_owned(),
            refund,
            instructions: None,
            label_url: None,
            refusal_reason: None,
            history: vec![ReturnEvent { status: ReturnStatus::Requested, at: at.clone() }],
            created_at: at,
        });
        Ok(Change::Return { id, status: ReturnStatus::Requested })
    })
    .await?;
    Ok(present(state, &stored))
}

/// The shopper writes to the shop about order `id` (with its `secret`).
pub async fn write_message(state: &AppState, id: &str, secret: &str, request: &MessageRequest) -> AppResult<Order> {
    owned_order(state, id, secret).await?;
    add_message(state, id, Author::Shopper, request).await
}

/// The shop answers in order `id`'s thread.
pub async fn reply(state: &AppState, id: &str, request: &MessageRequest) -> AppResult<Order> {
    add_message(state, id, Author::Shop, request).await
}

/// Adds a message to the order's thread.
async fn add_message(state: &AppState, id: &str, author: Author, request: &MessageRequest) -> AppResult<Order> {
    let body = clean_text(&request.body, MAX_MESSAGE_CHARS)
        .ok_or_else(|| AppError::invalid("body", format!("write 1 to {MAX_MESSAGE_CHARS} characters")))?;
    let stored = change_order(state, id, None, |order| {
        if order.messages.len() >= MAX_MESSAGES {
            return Err(AppError::invalid("body", format!("this order's thread is full ({MAX_MESSAGES} messages)")));
        }
        let id = new_id("msg");
        order.messages.push(Message { id: id.clone(), author, body: body.to_owned(), at: rfc3339(now()) });
        Ok(Change::Message { id, author })
    })
    .await?;
    Ok(present(state, &stored))
}

/// Return `return_id` of `order`, when it may become `next`.
fn movable_return<'a>(order: &'a mut Order, return_id: &str, next: ReturnStatus) -> AppResult<&'a mut Return> {
    // Refunding the whole order refunded what returns had not: nothing is left for them.
    if next == ReturnStatus::Refunded && order.status == OrderStatus::Refunded {
        return Err(AppError::new(ErrorCode::InvalidTransition, "the whole order was refunded already"));
    }
    let ret = order.returns.iter_mut().find(|r| r.id == return_id).ok_or_else(|| AppError::not_found("return"))?;
    if !ret.status.can_become(next) {
        return Err(AppError::new(
            ErrorCode::InvalidTransition,
            format!("a {} return cannot become {}", ret.status.as_str(), next.as_str()),
        ));
    }
    Ok(ret)
}

/// Moves return `return_id` of order `id` to `next`, after `update` filled in its details
/// (confirming refund `confirms` with it, if any).
async fn move_return(
    state: &AppState,
    id: &str,
    return_id: &str,
    next: ReturnStatus,
    confirms: Option<&str>,
    update: impl FnOnce(&mut Return),
) -> AppResult<StoredOrder> {
    change_order(state, id, confirms, |order| {
        let ret = movable_return(order, return_id, next)?;
        ret.status = next;
        ret.history.push(ReturnEvent { status: next, at: rfc3339(now()) });
        update(ret);
        Ok(Change::Return { id: return_id.to_owned(), status: next })
    })
    .await
}

/// The shop approves a return, with optional instructions and return label URL.
pub async fn approve_return(state: &AppState, id: &str, return_id: &str, approval: ApproveReturn) -> AppResult<Order> {
    let instructions = match approval.instructions.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(
            clean_text(text, MAX_REASON_CHARS)
                .ok_or_else(|| AppError::invalid("instructions", format!("at most {MAX_REASON_CHARS} characters")))?
                .to_owned(),
        ),
        None => None,
    };
    // The shopper is shown the link and gets it by e-mail: the tracking URL's rule.
    let label_url = approval.label_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    if label_url.as_deref().is_some_and(|url| !is_web_address(url) || url.len() > 2000) {
        return Err(AppError::invalid("label_url", "the label URL must be a complete http(s) address"));
    }
    let stored = move_return(state, id, return_id, ReturnStatus::Approved, None, |ret| {
        ret.instructions = instructions;
        ret.label_url = label_url;
    })
    .await?;
    Ok(present(state, &stored))
}

/// The shop refuses a return, saying why.
pub async fn refuse_return(state: &AppState, id: &str, return_id: &str, refusal: &RefuseReturn) -> AppResult<Order> {
    let reason = clean_text(&refusal.reason, MAX_REASON_CHARS)
        .ok_or_else(|| AppError::invalid("reason", format!("say why in 1 to {MAX_REASON_CHARS} characters")))?;
    let stored = move_return(state, id, return_id, ReturnStatus::Refused, None, |ret| ret.refusal_reason = Some(reason.to_owned())).await?;
    Ok(present(state, &stored))
}

/// The shop received a return's parcel: its units go back into stock.
pub async fn receive_return(state: &AppState, id: &str, return_id: &str) -> AppResult<Order> {
    let stored = move_return(state, id, return_id, ReturnStatus::Received, None, |_| {}).await?;
    Ok(present(state, &stored))
}

/// The shop refunds a return's amount: decided here, shown refunded once the provider confirmed
/// (`super::refunds`).
pub async fn refund_return(state: &AppState, id: &str, return_id: &str) -> AppResult<Order> {
    let mut write = state.db.write_tx().await?;
    let stored = order_store::load_for_change(&state.db, &mut write.tx, id).await?.ok_or_else(|| AppError::not_found("order"))?;
    let open = refunds::open_for_order(&mut write.tx, id).await?;
    if !open.is_empty() {
        drop(write);
        ask_again(state, &open, |refund| refund.return_id.as_deref() == Some(return_id)).await?;
        return Ok(present(state, &load(state, id).await?));
    }
    let amount = movable_return(&mut stored.order.clone(), return_id, ReturnStatus::Refunded)?.refund;
    match intent(&stored.order, stored.payment_reference.as_deref(), return_id, amount, None, Some(return_id)) {
        Some(refund) => decide(state, write, &refund).await?,
        None => {
            drop(write);
            move_return(state, id, return_id, ReturnStatus::Refunded, None, |_| {}).await?;
        }
    }
    Ok(present(state, &load(state, id).await?))
}

/// The provider confirmed refund `refund_key` of return `return_id`: the return is refunded, once.
pub(super) async fn confirm_return_refund(state: &AppState, refund_key: &str, id: &str, return_id: &str) -> AppResult<()> {
    match move_return(state, id, return_id, ReturnStatus::Refunded, Some(refund_key), |_| {}).await {
        Ok(_) => Ok(()),
        // Confirmed by another attempt (the return is refunded), or never movable: the money
        // moved, so the intent is done either way.
        Err(AppError::Api(error)) if error.code == ErrorCode::InvalidTransition => {
            let mut write = state.db.write_tx().await?;
            if refunds::mark_done(&mut write.tx, refund_key).await? {
                tracing::error!(order = %id, refund = %refund_key, %error, "a refunded return could not be shown refunded");
            }
            write.commit().await
        }
        Err(error) => Err(error),
    }
}
