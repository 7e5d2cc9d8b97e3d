-- The `stripe` provider's record of the PaymentIntent made for each order (issue 21), written
-- after the intent is created and before it is confirmed: crash recovery asks Stripe about
-- that very intent, instead of searching Stripe by metadata (Stripe's search lags behind
-- writes, so it cannot tell "never charged" from "charged a moment ago").
CREATE TABLE stripe_payment_intents (
    order_id TEXT PRIMARY KEY,
    intent_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The `test` provider's refunds, one per refund key (issue 21): asked again with the same key,
-- it refunds nothing more, as Stripe does with an `Idempotency-Key`.
CREATE TABLE test_payment_refunds (
    refund_key TEXT PRIMARY KEY,
    charge_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
