-- Drops the demo schema in reverse dependency order (indexes go with their tables).
DROP TABLE IF EXISTS product_attributes;
DROP TABLE IF EXISTS product_assets;
DROP TABLE IF EXISTS assets;
DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS payments;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS likes;
DROP TABLE IF EXISTS comments;
DROP TABLE IF EXISTS posts;
DROP TABLE IF EXISTS users;
