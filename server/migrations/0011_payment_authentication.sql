-- Strong Customer Authentication (issue 21): an order whose card's bank asks the shopper to
-- confirm (3-D Secure) is held, its stock reserved, while the payment frame runs the
-- challenge. Its key stays in flight with the `202 requires_action` answer (replayed to a
-- retry while the challenge is not finished) and the time the hold ends, after which crash
-- recovery releases the order.
ALTER TABLE idempotency_keys ADD COLUMN authentication TEXT;
ALTER TABLE idempotency_keys ADD COLUMN held_until BIGINT;

-- The `test` provider's challenges: `id` is the handle its frame gets (`client_secret`).
-- `status`: pending, succeeded (the charge is made in the same transaction), failed, canceled.
CREATE TABLE test_payment_authentications (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX test_payment_authentications_by_reference ON test_payment_authentications (reference);
