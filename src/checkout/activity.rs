//! What the sheet is waiting for, as one value with its rules, rather than flags that each
//! request sets and clears (an outdated quote used to clear `busy` while a newer one loaded).

/// The order's part of [`Activity`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum OrderState {
    /// No order was sent, or the last one got its final answer.
    #[default]
    None,
    /// An order was sent and has no final answer yet (a failure that may be retried, or a
    /// reload): it can only be sent again as it is, with the same `Idempotency-Key`.
    Pending,
    /// The order request is on its way.
    Placing,
    /// The order answered `requires_action`: the payment frame runs the card's bank
    /// challenge, after which the order is sent again with its key.
    Authenticating,
}

/// The sheet's requests in flight and the state of its order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// Requests started and not yet answered (quotes, configuration, the card's token...).
    requests: u32,
    order: OrderState,
}

impl Activity {
    /// Something is on its way: buttons that would start more wait.
    pub fn busy(&self) -> bool {
        self.requests > 0
    }

    /// The order request is on its way: "Place order" stays disabled whatever else finishes.
    pub fn placing(&self) -> bool {
        matches!(self.order, OrderState::Placing | OrderState::Authenticating)
    }

    /// The payment frame runs the card's bank challenge: it is shown whatever the step.
    pub fn authenticating(&self) -> bool {
        self.order == OrderState::Authenticating
    }

    /// An order is waiting for its final answer: the details it carries cannot be edited.
    pub fn pending(&self) -> bool {
        self.order != OrderState::None
    }

    /// A request started.
    pub fn started(self) -> Activity {
        Activity { requests: self.requests + 1, ..self }
    }

    /// A request got its answer, whichever it was: the others still count.
    pub fn finished(self) -> Activity {
        Activity { requests: self.requests.saturating_sub(1), ..self }
    }

    /// An order was prepared and kept: it is pending until its final answer.
    pub fn order_pending(self) -> Activity {
        Activity { order: OrderState::Pending, ..self }
    }

    /// The pending order's request left (its answer comes through `order_answered`).
    pub fn order_sent(self) -> Activity {
        Activity { order: OrderState::Placing, ..self }
    }

    /// The order's request came back with `requires_action`: no final answer yet.
    pub fn order_authenticating(self) -> Activity {
        Activity { order: OrderState::Authenticating, ..self }
    }

    /// The order's request came back: with a final answer (placed, or refused for good) there
    /// is no order any more; after a failure that may be retried it stays pending.
    pub fn order_answered(self, last: bool) -> Activity {
        Activity { order: if last { OrderState::None } else { OrderState::Pending }, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outdated_answer_leaves_the_sheet_busy_while_a_newer_request_loads() {
        let two = Activity::default().started().started();
        assert!(two.finished().busy(), "the newer quote is still loading");
        assert!(!two.finished().finished().busy());
        assert!(!Activity::default().finished().busy(), "an extra answer never underflows");
    }

    #[test]
    fn an_order_is_pending_until_its_final_answer() {
        let sent = Activity::default().order_pending().order_sent().started();
        assert!(sent.placing() && sent.pending() && sent.busy());
        let failed = sent.finished().order_answered(false);
        assert!(!failed.placing() && failed.pending() && !failed.busy(), "a retry resends the same order");
        let placed = failed.order_sent().order_answered(true);
        assert!(!placed.placing() && !placed.pending());
    }

    #[test]
    fn an_order_in_its_challenge_stays_pending_and_cannot_be_placed_again() {
        let challenged = Activity::default().order_pending().order_sent().started().finished().order_authenticating();
        assert!(challenged.authenticating() && challenged.placing() && challenged.pending() && !challenged.busy());
        let resent = challenged.order_pending().order_sent();
        assert!(!resent.authenticating() && resent.placing());
        assert!(!resent.order_answered(true).pending(), "paid or refused after the challenge: done");
    }

    #[test]
    fn quotes_finishing_do_not_end_the_order() {
        let placing = Activity::default().started().order_pending().order_sent().started();
        assert!(placing.finished().placing(), "a quote's answer leaves the order placing");
    }
}
