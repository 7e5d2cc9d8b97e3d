-- After the sale (issue 13): returns and help messages live in the order's document; the
-- version makes their writes safe against a concurrent change of the same order.
ALTER TABLE orders ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- The outbox now carries e-mails (`kind` = `email`) besides webhooks: each sender takes its own.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (kind, next_attempt_at, position) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- The `test` provider refunds part of a charge (a return), as real providers do; `refunded`
-- now says that some of it was.
ALTER TABLE test_payment_charges ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;
UPDATE test_payment_charges SET refunded_amount = amount WHERE refunded = 1;
