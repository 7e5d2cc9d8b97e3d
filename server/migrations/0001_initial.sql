-- One schema for SQLite and PostgreSQL: TEXT, BIGINT and DOUBLE PRECISION columns only,
-- ids made by the application, booleans as BIGINT 0/1, times as unix seconds (BIGINT).

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    brand TEXT,
    url TEXT,
    images TEXT NOT NULL,          -- JSON array of ProductImage
    options TEXT NOT NULL,         -- JSON array of ProductOption
    updated_at BIGINT NOT NULL
);

CREATE TABLE variants (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    option_values TEXT NOT NULL,   -- JSON array of strings
    price BIGINT NOT NULL,         -- minor units of `currency`
    compare_at_price BIGINT,
    currency TEXT NOT NULL,
    stock BIGINT,                  -- NULL: not tracked, never runs out
    image_url TEXT
);
CREATE INDEX variants_by_product ON variants (product_id, position);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    image_url TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    alt TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    x DOUBLE PRECISION NOT NULL,
    y DOUBLE PRECISION NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (post_id, position)
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,     -- SHA-256 of the order secret, hex
    status TEXT NOT NULL,
    document TEXT NOT NULL,        -- JSON Order without its secret
    payment_reference TEXT,        -- the provider's charge reference, for refunds
    created_at BIGINT NOT NULL
);
CREATE INDEX orders_by_time ON orders (created_at);

CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    status_code BIGINT,            -- NULL while the first request is in flight
    response TEXT,
    created_at BIGINT NOT NULL
);

-- The `test` payment provider's single-use tokens and charges.
CREATE TABLE test_payment_tokens (
    token TEXT PRIMARY KEY,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    outcome TEXT NOT NULL,         -- succeeds, declined or insufficient_funds
    used BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE test_payment_charges (
    id TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    refunded BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
