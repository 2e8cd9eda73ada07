-- Demo schema for trashcan: ten tables covering the soft-delete conventions the console
-- understands (nullable deleted_at, boolean flag + timestamp, epoch milliseconds),
-- composite keys, a self-reference, a cascade, an implied relation, and partial unique
-- indexes that make some restores collide. Timestamps are UTC text
-- 'YYYY-MM-DD HH:MM:SS'; booleans hold 0/1.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL,
    deleted_by TEXT,
    deletion_reason TEXT
);
CREATE UNIQUE INDEX users_email_live_key ON users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_trash_idx ON users (deleted_at, id) WHERE deleted_at IS NOT NULL;

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL,
    deleted_by TEXT
);
CREATE INDEX posts_user_id_idx ON posts (user_id);
CREATE INDEX posts_trash_idx ON posts (deleted_at, id) WHERE deleted_at IS NOT NULL;

-- On PostgreSQL this table's deleted_at is a timestamp without time zone.
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    parent_id BIGINT NULL REFERENCES comments (id),
    body TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL
);
CREATE INDEX comments_post_id_idx ON comments (post_id);
CREATE INDEX comments_user_id_idx ON comments (user_id);
CREATE INDEX comments_parent_id_idx ON comments (parent_id);
CREATE INDEX comments_trash_idx ON comments (deleted_at, id) WHERE deleted_at IS NOT NULL;

-- Composite primary key; its leading column serves the user_id foreign key.
CREATE TABLE likes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    post_id BIGINT NOT NULL REFERENCES posts (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX likes_post_id_idx ON likes (post_id);
CREATE INDEX likes_trash_idx ON likes (deleted_at, user_id, post_id) WHERE deleted_at IS NOT NULL;

-- Boolean convention: is_deleted says whether, deleted_at says when.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    total_cents BIGINT NOT NULL,
    status TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    is_deleted BOOLEAN NOT NULL DEFAULT 0,
    deleted_at TIMESTAMP NULL,
    deleted_by TEXT
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX orders_trash_idx ON orders (deleted_at, id) WHERE is_deleted;

-- Epoch-milliseconds convention: 0 means live.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    amount_cents BIGINT NOT NULL,
    provider TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX payments_order_id_idx ON payments (order_id);
CREATE INDEX payments_trash_idx ON payments (deleted_at_ms, id) WHERE deleted_at_ms <> 0;

-- A SKU is unique per user among live rows only, so restoring a trashed duplicate collides.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    sku TEXT NOT NULL,
    name TEXT,
    price_cents BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL,
    deleted_by TEXT,
    deletion_reason TEXT
);
CREATE INDEX products_user_id_idx ON products (user_id);
CREATE UNIQUE INDEX products_user_sku_live_key ON products (user_id, sku) WHERE deleted_at IS NULL;
CREATE INDEX products_trash_idx ON products (deleted_at, id) WHERE deleted_at IS NOT NULL;

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT,
    size_bytes BIGINT,
    content BLOB,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at TIMESTAMP NULL
);
CREATE INDEX assets_trash_idx ON assets (deleted_at, id) WHERE deleted_at IS NOT NULL;

-- Composite primary key (its leading column serves the product_id foreign key).
CREATE TABLE product_assets (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    asset_id BIGINT NOT NULL REFERENCES assets (id),
    position INT NOT NULL DEFAULT 0,
    deleted_at TIMESTAMP NULL,
    PRIMARY KEY (product_id, asset_id)
);
CREATE INDEX product_assets_asset_id_idx ON product_assets (asset_id);
CREATE INDEX product_assets_trash_idx ON product_assets (deleted_at, product_id, asset_id)
    WHERE deleted_at IS NOT NULL;

-- product_id has NO foreign key on purpose: an implied relation to products(id).
CREATE TABLE product_attributes (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    value TEXT,
    deleted_at TIMESTAMP NULL
);
CREATE INDEX product_attributes_product_id_idx ON product_attributes (product_id);
CREATE INDEX product_attributes_trash_idx ON product_attributes (deleted_at, id)
    WHERE deleted_at IS NOT NULL;
