-- The `test` provider's vault of remembered cards (issue 11). A provider-side record: the
-- shopper's browser keeps only the random id, in the storage of the provider's own origin
-- (the payment frame), never in the shop's page or the shop's tables. A test card needs no
-- number to be charged again: the brand, last four digits, expiry and test outcome do.
CREATE TABLE test_payment_cards (
    id TEXT PRIMARY KEY,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month BIGINT NOT NULL,
    exp_year BIGINT NOT NULL,
    outcome TEXT NOT NULL,         -- succeeds, declined or insufficient_funds
    created_at BIGINT NOT NULL
);
