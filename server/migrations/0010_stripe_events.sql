-- Stripe's webhook events (issue 21). One row per event id, written in the transaction of the
-- event's effect: a redelivery, a duplicate sent at the same time, or a delivery after a crash
-- finds its id here (or does its effect and records it) and never applies it twice.
CREATE TABLE stripe_events (
    id TEXT PRIMARY KEY,            -- Stripe's `evt_…`
    type TEXT NOT NULL,
    effect TEXT NOT NULL,           -- what it did, for the log (`paid`, `ignored: …`)
    received_at BIGINT NOT NULL
);

-- Disputes (chargebacks) of the shop's payments, as Stripe's `charge.dispute.*` events tell
-- them: shown in the console, in a list and on their order.
CREATE TABLE stripe_disputes (
    id TEXT PRIMARY KEY,            -- Stripe's `dp_…`
    order_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,           -- `open`, `won` or `lost`
    opened_at BIGINT NOT NULL,
    respond_by BIGINT,              -- Stripe's `evidence_details.due_by`
    closed_at BIGINT
);
CREATE INDEX stripe_disputes_by_order ON stripe_disputes (order_id);
CREATE INDEX stripe_disputes_by_time ON stripe_disputes (opened_at);
