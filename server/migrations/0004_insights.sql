-- Anonymous widget events (POST /v1/events), counted per UTC day: no shopper, no session,
-- only what was seen or pressed. `post_id` and `product_id` are '' when the event has none.
CREATE TABLE insight_days (
    day TEXT NOT NULL,             -- YYYY-MM-DD, UTC
    event TEXT NOT NULL,           -- tag_view, tag_open, add_to_bag, checkout_start
    post_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, event, post_id, product_id)
);
