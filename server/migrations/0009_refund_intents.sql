-- Refunds as durable intents (issue 21): written in the transaction that decides the refund,
-- before the payment provider is asked, and asked with `refund_key` as its idempotency key. The
-- order (or its return) shows refunded only once the provider has confirmed; crash recovery
-- asks again for every intent left `pending`.
CREATE TABLE refunds (
    refund_key TEXT PRIMARY KEY,      -- `<order id>:order`, or the return's id
    order_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    charge_reference TEXT NOT NULL,   -- the provider's charge it refunds
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    order_status TEXT,                -- what the order becomes once confirmed: cancelled or refunded
    return_id TEXT,                   -- or the return that becomes refunded; neither: a stray charge
    state TEXT NOT NULL,              -- pending, done, failed
    attempts BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL        -- unix seconds of the last attempt: recovery leaves fresh ones alone
);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_open ON refunds (state, updated_at) WHERE state <> 'done';

-- The `test` provider's card 4000000000005126 charges, and its bank refuses refunds while this is
-- set (as Stripe's card of that number does); tests clear it to play the bank accepting again.
ALTER TABLE test_payment_charges ADD COLUMN refuse_refunds BIGINT NOT NULL DEFAULT 0;
