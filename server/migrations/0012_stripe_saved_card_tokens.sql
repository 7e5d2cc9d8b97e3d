-- Single-use tokens for cards saved at Stripe (issue 21). A saved card is a PaymentMethod
-- attached to a Customer, which can be charged again and again: the payment frame never hands
-- its ids to the shop's page. It hands one of these tokens instead, which pays one order only
-- (`order_id`, set when it is spent; the same order may ask again after a crash).
CREATE TABLE stripe_saved_card_tokens (
    token TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    payment_method_id TEXT NOT NULL,
    order_id TEXT,
    created_at BIGINT NOT NULL
);
