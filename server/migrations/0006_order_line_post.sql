-- The post each order line was added from (`LineRequest::post_id`), for orders and revenue
-- per post in the console's insights. A line bought without a post (static tags, another
-- client) has no row; the order's JSON document stays what the protocol shows the shopper.
CREATE TABLE order_line_posts (
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,          -- index of the line in the order
    post_id TEXT NOT NULL,         -- no foreign key: a post deleted later keeps its sales
    PRIMARY KEY (order_id, line)
);
