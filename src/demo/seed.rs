//! Demo data for the demo schema (`migrations/{postgres,sqlite}/demo`).
//!
//! Everything is set-based (`INSERT … SELECT` over a number series, then `UPDATE … FROM`
//! cascades) and deterministic: "random" values come from the row number by modular
//! arithmetic. Both backends share one script; [`Dialect`] spells the few parts that differ.
//! Sizes are written as multiples of the scale `s` (the whale owns posts 1..=100·s, …).
//!
//! Trash is made in two passes. First some rows of most tables are trashed on their own, at
//! their own ages. Then ~10% of the users and the whale are trashed, and each deletion
//! cascades down every foreign key (and the implied `product_attributes.product_id`) with
//! exactly the parent's timestamp, so a deletion group shares one `deleted_at`. The trashed
//! set ends up closed under the foreign keys, except for [`SOFT_ORPHAN_COMMENTS`] comments
//! deliberately left live under trashed posts.

use crate::db::Backend;

/// Attribute rows whose `product_id` matches no product (orphans of the implied relation).
const ORPHAN_ATTRIBUTES: u64 = 5;
/// Orphan attributes point at `ORPHAN_PRODUCT_BASE + id`, far above any seeded product.
const ORPHAN_PRODUCT_BASE: u64 = 900_000_000;
/// Comments left live under trashed posts, as "soft orphans".
const SOFT_ORPHAN_COMMENTS: u32 = 3;

const FIRST_NAMES: &str = "Alice|Bob|Chloé|Dmitri|Eun-ji|François|Grace|Hiro|Ingrid|José|Zoë";
const LAST_NAMES: &str = "Smith|Müller|García|O'Brien|Kowalski|Tanaka|Ødegaard|Yamada";
const LOREM: &str = "'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. '";
const COMMENTS: &str = "Great post! 👍|I disagree.|Ça marche.|+1|Source?|ありがとう";
const STATUSES: &str = "pending|paid|shipped|refunded|cancelled";
const PROVIDERS: &str = "stripe|paypal|adyen|bank transfer";
const ADJECTIVES: &str = "Deluxe|Compact|Crème brûlée|Eco|Pro";
const NOUNS: &str = "kettle|lamp|torch|backpack|Schraubenzieher|umbrella|chair";
const FILE_STEMS: &str = "photo-|résumé-|写真-|notes-|Ångström dump |party-🎉-";
const FILE_EXTENSIONS: &str = ".png|.pdf|.jpg|.txt|.bin|.gif";
const MIME_TYPES: &str =
    "image/png|application/pdf|image/jpeg|text/plain|application/octet-stream|image/gif";
/// Leading bytes matching each MIME type (the text/plain one is a UTF-8 BOM).
const MAGIC: &str = "89504E470D0A1A0A|255044462D312E340A|FFD8FFE0|EFBBBF|00FF|474946";
const ATTRIBUTE_VALUES: &str = "red|XL|cotton|navy blue|M|acier inoxydable|绿色";

/// Set-based statements that fill an empty demo schema at the given scale (scale >= 1).
pub fn seed_statements(backend: Backend, scale: u32) -> Vec<String> {
    let d = Dialect(backend);
    let s = u64::from(scale.max(1));
    let mut out = inserts(d, s);
    out.extend(own_trash(d));
    out.extend(user_trash_and_cascades(d));
    out.push(d.finish());
    out
}

/// The spellings that differ between the backends.
#[derive(Clone, Copy)]
struct Dialect(Backend);

impl Dialect {
    /// `pg` on PostgreSQL, `lite` on SQLite.
    fn or(self, pg: String, lite: String) -> String {
        match self.0 {
            Backend::Postgres => pg,
            Backend::Sqlite => lite,
        }
    }

    /// A FROM item yielding one row per `n` in 1..=count.
    fn series(self, count: u64) -> String {
        self.or(
            format!("generate_series(1::bigint, {count}) AS g(n)"),
            format!(
                "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s \
                 WHERE n < {count}) SELECT n FROM s) AS g"
            ),
        )
    }

    /// The instant `seconds` before now: timestamptz on PostgreSQL, UTC text on SQLite.
    fn ago(self, seconds: &str) -> String {
        self.or(
            format!("(now() - ({seconds}) * interval '1 second')"),
            format!("datetime('now', '-' || ({seconds}) || ' seconds')"),
        )
    }

    /// Epoch milliseconds of a timestamp expression.
    fn epoch_ms(self, ts: &str) -> String {
        self.or(
            format!("floor(extract(epoch FROM {ts}) * 1000)::bigint"),
            format!("(CAST(strftime('%s', {ts}) AS INTEGER) * 1000)"),
        )
    }

    fn ago_ms(self, seconds: &str) -> String {
        self.epoch_ms(&self.ago(seconds))
    }

    /// A timestamp as UTC wall time without zone (`comments.deleted_at` on PostgreSQL).
    fn naive(self, ts: &str) -> String {
        self.or(format!("({ts} AT TIME ZONE 'UTC')"), ts.to_owned())
    }

    fn true_lit(self) -> String {
        self.or("TRUE".to_owned(), "1".to_owned())
    }

    /// `text` (a SQL string literal) repeated `count` times.
    fn repeat(self, text: &str, count: u32) -> String {
        self.or(
            format!("repeat({text}, {count})"),
            format!("replace(hex(zeroblob({count})), '00', {text})"),
        )
    }

    /// Bytes given as hex digits, repeated `count` times.
    fn hex_bytes(self, hex: &str, count: u32) -> String {
        let lite = match count {
            1 => format!("X'{hex}'"),
            _ => format!("replace(hex(zeroblob({count})), '00', X'{hex}')"),
        };
        self.or(format!("decode(repeat('{hex}', {count}), 'hex')"), lite)
    }

    /// The UTF-8 bytes of a text expression.
    fn text_bytes(self, text: &str) -> String {
        self.or(format!("convert_to({text}, 'UTF8')"), text.to_owned())
    }

    /// Concatenates byte-string parts into one binary value.
    fn blob_cat(self, parts: &[String]) -> String {
        let joined = parts.join(" || ");
        self.or(format!("({joined})"), format!("CAST({joined} AS BLOB)"))
    }

    /// Last statement: PostgreSQL moves its identity sequences past the explicit ids;
    /// SQLite needs no such step (it takes max(rowid) + 1), so it refreshes statistics.
    fn finish(self) -> String {
        let tables = "users posts comments orders payments products assets product_attributes";
        let calls: Vec<String> = (tables.split(' '))
            .map(|t| {
                format!("setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
            })
            .collect();
        self.or(format!("SELECT {}", calls.join(", ")), "ANALYZE".to_owned())
    }
}

/// A CASE choosing one of `options` (SQL expressions) by `key` modulo their count.
fn pick(key: &str, options: &[String]) -> String {
    let arms: String = (options.iter().enumerate())
        .map(|(i, o)| format!(" WHEN {i} THEN {o}"))
        .collect();
    format!("(CASE ({key}) % {}{arms} END)", options.len())
}

/// [`pick`] over `|`-separated text literals; an empty one stands for NULL.
fn lits(key: &str, options: &str) -> String {
    let quoted: Vec<String> = (options.split('|'))
        .map(|o| match o {
            "" => "NULL".to_owned(),
            _ => format!("'{}'", o.replace('\'', "''")),
        })
        .collect();
    pick(key, &quoted)
}

/// Seconds of a trash age derived from `key`: ~2 minutes to ~730 days, skewed young (cubic).
fn age(key: &str, salt: u32) -> String {
    let h = format!("((({key}) * 7919 + {salt}) % 1000003)");
    format!("(120 + {h} * {h} / 1000000 * {h} / 1000000 * 63072 / 1000 + {h} % 60)")
}

/// A 0..100 hash of `key` that picks which rows a trash step takes.
fn hash100(key: &str) -> String {
    format!("((({key}) * 104729) % 100)")
}

/// Like [`age`], but the picked rows whose [`hash100`] is 0 share one exact age (ties).
fn age_or_tie(key: &str, salt: u32, tie_seconds: u32) -> String {
    let (h, a) = (hash100(key), age(key, salt));
    format!("CASE WHEN {h} = 0 THEN {tie_seconds} ELSE {a} END")
}

/// A creation time `days` to `days` + 365 days ago (731 days is older than any trash).
fn created(d: Dialect, days: u32) -> String {
    d.ago(&format!("{days} * 86400 + (n * 104729) % 31536000"))
}

/// The bulk inserts, each over a series of `n`. Sizes are multiples of the scale `s`.
fn inserts(d: Dialect, s: u64) -> Vec<String> {
    let sizes = [200, 1_100, 9_900, 5_500, 650, 480, 100, 60, 150];
    let [s_u, s_p, s_c, s_l, s_o, s_pay, s_pr, s_a, s_pa] = sizes.map(|k| d.series(k * s));
    let s_at = d.series(300 * s + ORPHAN_ATTRIBUTES);
    let (old, user_old, dup_age) = (created(d, 731), created(d, 1_100), d.ago(&age("n", 11)));
    let (first, last) = (lits("n", FIRST_NAMES), lits("n / 11", LAST_NAMES));
    let (long_post, long_comment) = (d.repeat(LOREM, 60), d.repeat(LOREM, 40));
    let post_body = pick(
        "n",
        &[
            "'Just shipped a new feature. Feedback welcome!'".to_owned(),
            "'Weekend trip — photos soon!\nSecond line of the post.'".to_owned(),
            "'Release notes for v' || (n % 9) || '.' || (n % 7)".to_owned(),
        ],
    );
    let (comment_body, status) = (lits("n", COMMENTS), lits("n", STATUSES));
    let (provider, adjective) = (lits("n", PROVIDERS), lits("n", ADJECTIVES));
    let noun = lits("n / 5", NOUNS);
    let (stem, ext) = (lits("n % 6", FILE_STEMS), lits("n % 6", FILE_EXTENSIONS));
    let content_type = lits("n % 6", MIME_TYPES);
    let magic: Vec<String> = MAGIC.split('|').map(|hex| d.hex_bytes(hex, 1)).collect();
    let small = d.blob_cat(&[
        pick("n % 6", &magic),
        d.text_bytes("'asset ' || n || ' '"),
        d.hex_bytes("DEADBEEF", 16),
    ]);
    // One ~200 KB blob: a PDF header, then 204,800 bytes of a binary pattern.
    let big = d.blob_cat(&[
        d.hex_bytes("255044462D312E340A", 1),
        d.hex_bytes("00FF7F80", 51_200),
    ]);
    let attr_name = lits(&format!("(n - 1) / (100 * {s})"), "color|size|material");
    let attr_value = lits("n", ATTRIBUTE_VALUES);
    vec![
        format!(
            "INSERT INTO users (id, email, name, created_at) SELECT n, CASE WHEN n = 1 \
             THEN 'whale@example.com' ELSE 'user' || n || '@example.com' END, CASE WHEN n = 1 \
             THEN 'Wanda Whale' ELSE {first} || ' ' || {last} END, {user_old} FROM {s_u}"
        ),
        // Posts 1..=100·s are the whale's; the rest spread over users 2..=200·s.
        format!(
            "INSERT INTO posts (id, user_id, title, body, created_at) \
             SELECT n, uid, 'Post #' || n || ' by user ' || uid, CASE WHEN n % 13 = 0 THEN NULL \
             WHEN n % 50 = 7 THEN {long_post} || 'End of post ' || n ELSE {post_body} END, {old} \
             FROM (SELECT n, CASE WHEN n <= 100 * {s} THEN 1 \
             ELSE 2 + (n * 7919) % (199 * {s}) END AS uid FROM {s_p}) AS q"
        ),
        // m folds every 10th comment (a reply to its predecessor) onto the parent's post.
        format!(
            "INSERT INTO comments (id, post_id, user_id, parent_id, body, created_at) \
             SELECT n, CASE WHEN m <= 4900 * {s} THEN 1 + (m * 7919) % (100 * {s}) \
             ELSE 100 * {s} + 1 + (m * 7919) % (1000 * {s}) END, 1 + (n * 104729) % (200 * {s}), \
             CASE WHEN n % 10 = 0 THEN n - 1 END, CASE WHEN n % 17 = 3 THEN NULL \
             WHEN n % 97 = 0 THEN {long_comment} ELSE {comment_body} || ' (comment ' || n || ')' \
             END, {old} FROM (SELECT n, n - CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END AS m \
             FROM {s_c}) AS q"
        ),
        // Like k (0-based) on a post comes from a distinct user: k stays below the user count.
        format!(
            "INSERT INTO likes (user_id, post_id, created_at) \
             SELECT CASE WHEN w = 1 THEN 2 + (pid * 131 + k) % (199 * {s}) \
             ELSE 1 + (pid * 131 + k * 7) % (200 * {s}) END, pid, {old} \
             FROM (SELECT n, w, CASE WHEN w = 1 THEN 1 + (i - 1) % (100 * {s}) \
             ELSE 100 * {s} + 1 + (i - 1) % (1000 * {s}) END AS pid, \
             (i - 1) / (CASE WHEN w = 1 THEN 100 ELSE 1000 END * {s}) AS k \
             FROM (SELECT n, CASE WHEN n <= 2500 * {s} THEN 1 ELSE 0 END AS w, \
             CASE WHEN n <= 2500 * {s} THEN n ELSE n - 2500 * {s} END AS i FROM {s_l}) AS r) AS q"
        ),
        format!(
            "INSERT INTO orders (id, user_id, total_cents, status, created_at) \
             SELECT n, CASE WHEN n <= 50 * {s} THEN 1 ELSE 2 + (n * 7919) % (199 * {s}) END, \
             500 + (n * 104729) % 99500, CASE WHEN n % 23 = 0 THEN NULL ELSE {status} END, {old} \
             FROM {s_o}"
        ),
        // Payments 1..=80·s go to the whale's orders 1..=50·s.
        format!(
            "INSERT INTO payments (id, order_id, amount_cents, provider, created_at) \
             SELECT n, CASE WHEN n <= 80 * {s} THEN 1 + (n - 1) % (50 * {s}) \
             ELSE 50 * {s} + 1 + (n * 7919) % (600 * {s}) END, 100 + (n * 104729) % 49900, \
             CASE WHEN n % 19 = 0 THEN NULL ELSE {provider} END, {old} FROM {s_pay}"
        ),
        // Every 50th product is a trashed duplicate of the one before: same live user (an id
        // ending in 3 is never trashed) and same SKU, so restoring it collides.
        format!(
            "INSERT INTO products (id, user_id, sku, name, price_cents, created_at, deleted_at, \
             deleted_by, deletion_reason) SELECT n, CASE WHEN n % 50 IN (0, 49) \
             THEN 3 + 10 * (((n + 1) / 50) % (20 * {s})) ELSE 1 + (n * 7919) % (200 * {s}) END, \
             'SKU-' || CASE WHEN n % 50 = 0 THEN n - 1 ELSE n END, \
             CASE WHEN n % 9 = 4 THEN NULL ELSE {adjective} || ' ' || {noun} END, \
             CASE WHEN n % 12 = 7 THEN NULL ELSE 99 + (n * 104729) % 20000 END, {old}, \
             CASE WHEN n % 50 = 0 THEN {dup_age} END, CASE WHEN n % 50 = 0 THEN 'alice' END, \
             CASE WHEN n % 50 = 0 THEN 'duplicate listing' END FROM {s_pr}"
        ),
        format!(
            "INSERT INTO assets (id, filename, content_type, size_bytes, content, created_at) \
             SELECT n, {stem} || n || {ext}, CASE WHEN n % 13 = 4 THEN NULL ELSE {content_type} \
             END, length(content), content, {old} FROM (SELECT n, CASE WHEN n = 1 THEN {big} \
             WHEN n % 11 = 0 THEN NULL ELSE {small} END AS content FROM {s_a}) AS q"
        ),
        // Each product gets asset slot 1, the first half also slot 2 (a different asset).
        format!(
            "INSERT INTO product_assets (product_id, asset_id, position) \
             SELECT pid, 1 + (pid * 7919 + k * 17) % (60 * {s}), k + 1 FROM (SELECT \
             1 + (n - 1) % (100 * {s}) AS pid, (n - 1) / (100 * {s}) AS k FROM {s_pa}) AS q"
        ),
        format!(
            "INSERT INTO product_attributes (id, product_id, name, value) SELECT n, \
             CASE WHEN n > 300 * {s} THEN {ORPHAN_PRODUCT_BASE} + n \
             ELSE 1 + (n - 1) % (100 * {s}) END, {attr_name}, \
             CASE WHEN n % 29 = 0 THEN NULL ELSE {attr_value} END FROM {s_at}"
        ),
    ]
}

/// Step 1: rows trashed on their own, at their own ages.
fn own_trash(d: Dialect) -> Vec<String> {
    let (t, who) = (d.true_lit(), lits("id", "alice|bob|moderator|"));
    let (like, pa) = ("user_id * 1009 + post_id", "product_id * 1009 + asset_id");
    let (h, h_like, h_pa) = (hash100("id"), hash100(like), hash100(pa));
    let post_at = d.ago(&age_or_tie("id", 1, 3 * 3_600));
    let comment_at = d.naive(&d.ago(&age_or_tie("id", 2, 2 * 86_400)));
    let like_at = d.ago(&age_or_tie(like, 3, 600));
    let order_at = d.ago(&age_or_tie("id", 4, 30 * 86_400));
    let payment_ms = d.ago_ms(&age_or_tie("id", 5, 86_400));
    let (product_at, attr_at) = (d.ago(&age("id", 6)), d.ago(&age_or_tie("id", 7, 900)));
    let (asset_at, pa_at) = (d.ago(&age("id", 8)), d.ago(&age(pa, 9)));
    vec![
        format!("UPDATE posts SET deleted_at = {post_at}, deleted_by = {who} WHERE {h} < 6"),
        format!("UPDATE comments SET deleted_at = {comment_at} WHERE {h} < 9"),
        format!("UPDATE likes SET deleted_at = {like_at} WHERE {h_like} < 4"),
        format!(
            "UPDATE orders SET is_deleted = {t}, deleted_at = {order_at}, deleted_by = {who} \
             WHERE {h} < 5"
        ),
        format!("UPDATE payments SET deleted_at_ms = {payment_ms} WHERE {h} < 4"),
        format!(
            "UPDATE products SET deleted_at = {product_at}, deleted_by = 'alice', \
             deletion_reason = 'spam' WHERE id % 20 = 5"
        ),
        format!("UPDATE product_attributes SET deleted_at = {attr_at} WHERE {h} < 7"),
        format!("UPDATE assets SET deleted_at = {asset_at} WHERE {h} < 5"),
        format!("UPDATE product_assets SET deleted_at = {pa_at} WHERE {h_pa} < 3"),
    ]
}

/// Live rows of `child` whose `fk` points at a trashed `parent` row (alias `p`) take the
/// parent's deletion through `set`.
fn cascade(child: &str, fk: &str, parent: &str, set: &str) -> String {
    let gone = match parent {
        "orders" => "p.is_deleted",
        _ => "p.deleted_at IS NOT NULL",
    };
    let live = match child {
        "orders" => "NOT orders.is_deleted".to_owned(),
        "payments" => "payments.deleted_at_ms = 0".to_owned(),
        _ => format!("{child}.deleted_at IS NULL"),
    };
    let join = format!("p.id = {child}.{fk}");
    format!("UPDATE {child} SET {set} FROM {parent} AS p WHERE {join} AND {gone} AND {live}")
}

/// Step 2: trash ~10% of the users and the whale, then cascade parent by parent.
fn user_trash_and_cascades(d: Dialect) -> Vec<String> {
    let (whale, tie, other) = (45 * 86_400, 7 * 86_400, age("id", 10));
    let when = d.ago(&format!(
        "CASE WHEN id = 1 THEN {whale} WHEN id % 100 = 47 THEN {tie} ELSE {other} END"
    ));
    let deleter = lits("id / 10", "alice|bob|support|gdpr-bot");
    let reason = lits("id / 20", "spam|requested by user|fraud|inactive");
    let users = format!(
        "UPDATE users SET deleted_at = {when}, \
         deleted_by = CASE WHEN id = 1 THEN 'support' ELSE {deleter} END, \
         deletion_reason = CASE WHEN id = 1 THEN 'account closed on request' ELSE {reason} END \
         WHERE id = 1 OR id % 10 = 7"
    );
    let soft_orphans = format!(
        "UPDATE comments SET deleted_at = NULL WHERE id IN (SELECT c.id FROM comments AS c \
         JOIN posts AS p ON p.id = c.post_id JOIN users AS u ON u.id = c.user_id \
         WHERE c.deleted_at IS NOT NULL AND p.deleted_at IS NOT NULL AND p.user_id <> 1 \
         AND u.deleted_at IS NULL AND c.parent_id IS NULL \
         ORDER BY c.id LIMIT {SOFT_ORPHAN_COMMENTS})"
    );
    let at = "deleted_at = p.deleted_at";
    let by = "deleted_at = p.deleted_at, deleted_by = p.deleted_by";
    let order_set = format!("is_deleted = {}, {by}", d.true_lit());
    let product_set = format!("{by}, deletion_reason = p.deletion_reason");
    let naive = format!("deleted_at = {}", d.naive("p.deleted_at"));
    let ms = format!("deleted_at_ms = {}", d.epoch_ms("p.deleted_at"));
    vec![
        users,
        cascade("posts", "user_id", "users", by),
        cascade("orders", "user_id", "users", &order_set),
        cascade("products", "user_id", "users", &product_set),
        cascade("likes", "user_id", "users", at),
        cascade("comments", "user_id", "users", &naive),
        cascade("comments", "post_id", "posts", &naive),
        cascade("likes", "post_id", "posts", at),
        cascade("payments", "order_id", "orders", &ms),
        cascade("product_assets", "product_id", "products", at),
        cascade("product_assets", "asset_id", "assets", at),
        cascade("product_attributes", "product_id", "products", at),
        // Replies last: by now every comment that is trashed as a parent is trashed.
        cascade("comments", "parent_id", "comments", at),
        soft_orphans,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_run_the_same_steps_as_single_statements() {
        for scale in [1, 7] {
            let (pg, lite) = (Backend::Postgres, Backend::Sqlite);
            let (pg, lite) = (seed_statements(pg, scale), seed_statements(lite, scale));
            assert_eq!(pg.len(), lite.len());
            for sql in pg.iter().chain(&lite) {
                assert!(!sql.contains(';') && !sql.trim().is_empty(), "{sql}");
            }
        }
    }

    #[test]
    fn scale_sets_the_series_lengths() {
        for backend in [Backend::Postgres, Backend::Sqlite] {
            let (sql, d) = (seed_statements(backend, 3), Dialect(backend));
            assert!(sql[0].starts_with("INSERT INTO users") && sql[0].contains(&d.series(600)));
            let has = |count| sql.iter().any(|s| s.contains(&d.series(count)));
            assert!(has(29_700) && has(905), "comments, attributes + orphans");
            assert_eq!(seed_statements(backend, 0), seed_statements(backend, 1));
        }
    }
}
