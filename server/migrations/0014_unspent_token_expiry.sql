-- Payment tokens never spent are of no use after their hour, and go as new ones are made
-- (payments::test_provider, payments::stripe). These indexes hold only the unspent ones, so
-- that clearing them reads the few that expired, not every token an order ever spent.
CREATE INDEX test_payment_tokens_unspent ON test_payment_tokens (created_at) WHERE used = 0;
CREATE INDEX stripe_saved_card_tokens_unspent ON stripe_saved_card_tokens (created_at) WHERE order_id IS NULL;
