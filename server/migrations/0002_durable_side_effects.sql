-- Durable side effects (issue 15): what crash recovery needs to finish or undo an order, and
-- the outbox of webhooks.

-- The order a key's request created, and its secret while the request is in flight: with them
-- recovery can store the real answer for the retry (the secret is in that answer anyway).
ALTER TABLE idempotency_keys ADD COLUMN order_id TEXT;
ALTER TABLE idempotency_keys ADD COLUMN order_secret TEXT;
CREATE INDEX idempotency_keys_in_flight ON idempotency_keys (created_at) WHERE status_code IS NULL;
CREATE INDEX idempotency_keys_by_order ON idempotency_keys (order_id);

CREATE INDEX orders_by_status ON orders (status, created_at);

-- The `test` provider finds a charge by the shop's reference (the order id), as real
-- providers do by metadata or idempotency key.
ALTER TABLE test_payment_charges ADD COLUMN reference TEXT;
ALTER TABLE test_payment_charges ADD COLUMN brand TEXT;
ALTER TABLE test_payment_charges ADD COLUMN last4 TEXT;
CREATE INDEX test_payment_charges_by_reference ON test_payment_charges (reference);

-- Messages to send (webhooks), written in the transaction of the change they tell, sent by a
-- background task, retried with back-off. A sender leases a row (`lease_until`) before sending
-- it, so that one process sends it even when several share the database.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,      -- creation order: unix microseconds, then a counter
    kind TEXT NOT NULL,            -- `webhook`
    payload TEXT NOT NULL,         -- the JSON body to send
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL, -- unix milliseconds
    lease_until BIGINT NOT NULL,   -- unix milliseconds; 0 when nobody holds it
    delivered_at BIGINT,
    failed_at BIGINT,              -- set when it was given up after every attempt
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, position) WHERE delivered_at IS NULL AND failed_at IS NULL;
