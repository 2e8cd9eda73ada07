//! Related counts checked against independent reference queries on both backends: the
//! seeded demo (distinct per-table counts, statement count, scan budget), and small
//! crafted schemas for deletion groups, cycles, key shapes, ON DELETE actions and advice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{PgDb, SqliteDb, conn};
use diesel::connection::InstrumentationEvent;
use tokio_util::sync::CancellationToken;
use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::related::{self, Counts, RelatedOptions, RelatedReport, Totals};
use trashcan::engine::sql::TableName;

// ---------------------------------------------------------------------------------------
// Plumbing: one database on either backend, table names spelled for it.

struct Db {
    pool: DbPool,
    pg: bool,
    _keep: (Option<PgDb>, Option<SqliteDb>),
}

impl Db {
    async fn sqlite(demo: bool) -> Db {
        let db = SqliteDb::create();
        if demo {
            std::fs::remove_file(&db.path).unwrap();
            trashcan::demo::ensure_sqlite(&db.path, 1, false)
                .await
                .unwrap();
        }
        let pool = db.pool().await;
        Db {
            pool,
            pg: false,
            _keep: (None, Some(db)),
        }
    }

    async fn postgres(db: PgDb, demo: bool) -> Db {
        if demo {
            trashcan::demo::seed_target(&db.target(), 1).await.unwrap();
        }
        let pool = db.pool().await;
        Db {
            pool,
            pg: true,
            _keep: (Some(db), None),
        }
    }

    fn t(&self, name: &str) -> TableName {
        TableName::new(self.pg.then_some("public"), name)
    }

    /// Runs a setup script; `{ts}` stands for the backend's timestamp type.
    async fn exec(&self, sql: &str) {
        let sql = sql.replace("{ts}", if self.pg { "TIMESTAMPTZ" } else { "TIMESTAMP" });
        let mut c = conn(&self.pool).await;
        trashcan::db::batch_execute(&mut c, &sql).await.unwrap();
    }

    /// The catalog, with the demo config (it adds the implied product_attributes relation).
    async fn catalog(&self) -> Catalog {
        let (config, _) = Config::parse(trashcan::demo::DEMO_CONFIG, "demo").unwrap();
        let mut c = conn(&self.pool).await;
        Catalog::load(&mut c, &config).await.unwrap()
    }

    /// Previews `keys` of `table`; a composite key is written `"eu,1"`.
    async fn preview(
        &self,
        catalog: &Catalog,
        table: &str,
        keys: &[&str],
        options: &RelatedOptions,
    ) -> RelatedReport {
        let keys: Vec<Vec<String>> = keys
            .iter()
            .map(|k| k.split(',').map(Into::into).collect())
            .collect();
        // Two connections, as the worker counts with: the statements are spread over
        // both, and every line must still land where it belongs.
        let mut conns = vec![conn(&self.pool).await, conn(&self.pool).await];
        let (table, stop) = (self.t(table), CancellationToken::new());
        related::preview(&mut conns, catalog, &table, &keys, options, &stop)
            .await
            .unwrap()
    }

    /// Exact counts (no scan budget).
    async fn count(&self, catalog: &Catalog, table: &str, keys: &[&str]) -> RelatedReport {
        self.preview(catalog, table, keys, &exact_options()).await
    }
}

/// A scenario run once on SQLite and once on PostgreSQL (skipped without a server).
macro_rules! on_both {
    ($scenario:ident, $demo:literal, $lite:ident, $pg:ident $(, ignore_sqlite = $why:literal)?) => {
        #[tokio::test(flavor = "multi_thread")]
        $(#[ignore = $why])?
        async fn $lite() {
            $scenario(&Db::sqlite($demo).await).await;
        }

        #[tokio::test(flavor = "multi_thread")]
        async fn $pg() {
            let Some(pg) = PgDb::create(stringify!($pg)).await else { return };
            $scenario(&Db::postgres(pg, $demo).await).await;
        }
    };
}

/// A first-pass time limit no test statement reaches even on a loaded CI machine, so
/// the results (and statement counts) never depend on the machine's speed.
const PATIENT: std::time::Duration = std::time::Duration::from_secs(30);

fn exact_options() -> RelatedOptions {
    RelatedOptions {
        scan_budget: None,
        quick_timeout: PATIENT,
        ..RelatedOptions::default()
    }
}

fn exact(live: u64, trashed: u64, same_group: u64) -> Counts {
    Counts::Exact {
        live,
        trashed,
        same_group,
    }
}

/// Every line as (label, counts), in report order.
fn lines(report: &RelatedReport) -> Vec<(&str, Counts)> {
    report
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.counts.clone()))
        .collect()
}

fn sorted_lines(report: &RelatedReport) -> Vec<(&str, Counts)> {
    let mut all = lines(report);
    all.sort_by_key(|(label, _)| *label);
    all
}

fn line_total(counts: &Counts) -> u64 {
    match counts {
        Counts::Exact { live, trashed, .. } => live + trashed,
        other => panic!("not exact: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The demo: per-table sums of the lines equal a hand-written distinct reference.

const DEMO_CHILDREN: &str =
    "comments likes orders payments posts product_assets product_attributes products";

/// (live, trashed) rows of `table` reachable from the users in `ids`, written by hand: the
/// union over every foreign key path, the comments self-reference followed once.
async fn reference(db: &Db, table: &str, ids: &str) -> (u64, u64) {
    let posts = format!("SELECT id FROM posts WHERE user_id IN ({ids})");
    let products = format!("SELECT id FROM products WHERE user_id IN ({ids})");
    let reach = match table {
        "posts" | "orders" | "products" => format!("user_id IN ({ids})"),
        "comments" => format!(
            "user_id IN ({ids}) OR post_id IN ({posts}) OR parent_id IN \
             (SELECT id FROM comments WHERE user_id IN ({ids}) OR post_id IN ({posts}))"
        ),
        "likes" => format!("user_id IN ({ids}) OR post_id IN ({posts})"),
        "payments" => format!("order_id IN (SELECT id FROM orders WHERE user_id IN ({ids}))"),
        "product_assets" | "product_attributes" => format!("product_id IN ({products})"),
        other => panic!("no reference for {other}"),
    };
    let trashed = match table {
        "orders" => "is_deleted",
        "payments" => "deleted_at_ms <> 0",
        _ => "deleted_at IS NOT NULL",
    };
    let sql = format!(
        "SELECT CAST(count(*) AS TEXT), \
         CAST(COALESCE(sum(CASE WHEN {trashed} THEN 1 ELSE 0 END), 0) AS TEXT) \
         FROM {table} WHERE {reach}"
    );
    let found = rows::query(&mut conn(&db.pool).await, &sql, &[])
        .await
        .unwrap();
    let (total, trashed) = (
        found[0].int(0).unwrap() as u64,
        found[0].int(1).unwrap() as u64,
    );
    (total - trashed, trashed)
}

/// (live, trashed) summed over the report's lines ending in `table`.
fn per_table(report: &RelatedReport, table: &str) -> (u64, u64) {
    let mut sum = (0, 0);
    for line in report.lines.iter().filter(|l| l.path.table.name == table) {
        let Counts::Exact { live, trashed, .. } = line.counts else {
            panic!("{}: not exact: {:?}", line.label, line.counts)
        };
        sum = (sum.0 + live, sum.1 + trashed);
    }
    sum
}

async fn reference_counts(db: &Db) {
    let catalog = db.catalog().await;
    // The whale (trashed), a typical trashed user, a live user (ids ending in 3 are never
    // trashed), and users 1..=50 (the whale and five trashed users among them). A reply
    // comes from its parent's author + 129 (mod 200), so replies to these users'
    // comments come from outside the set and reach the reply paths.
    let set: Vec<String> = (1..=50).map(|i| i.to_string()).collect();
    let set: Vec<&str> = set.iter().map(String::as_str).collect();
    for ids in [&["1"][..], &["17"][..], &["3"][..], &set[..]] {
        let report = db.count(&catalog, "users", ids).await;
        let who = format!("users {}", ids.join(","));
        let mut tables: Vec<&str> = report
            .lines
            .iter()
            .map(|l| l.path.table.name.as_str())
            .collect();
        tables.sort_unstable();
        tables.dedup();
        assert_eq!(tables.join(" "), DEMO_CHILDREN, "{who}: tables reached");

        let (mut live, mut trashed, mut reached) = (0, 0, 0);
        for table in DEMO_CHILDREN.split(' ') {
            let expected = reference(db, table, &ids.join(", ")).await;
            assert_eq!(per_table(&report, table), expected, "{who}: {table}");
            (live, trashed) = (live + expected.0, trashed + expected.1);
            reached += u64::from(expected.0 + expected.1 > 0);
        }
        let totals = report.totals();
        assert!(totals.complete, "{who}");
        assert_eq!((totals.live, totals.trashed), (live, trashed), "{who}");

        let effect = report.purge_effect(&catalog);
        let deletes = |name: &str| effect.deletes.iter().find(|(t, _)| t.name == name);
        let deletes = |name: &str| deletes(name).map_or(0, |(_, n)| *n);
        // The selected rows are purged too.
        assert_eq!(deletes("users"), ids.len() as u64, "{who}");
        for table in DEMO_CHILDREN.split(' ') {
            let (l, t) = per_table(&report, table);
            assert_eq!(deletes(table), l + t, "{who}: purge deletes from {table}");
        }
        assert_eq!(effect.total(), live + trashed + ids.len() as u64, "{who}");

        if ids.len() == 50 {
            // Not vacuous: the set reaches every table, with live and trashed rows, and
            // rows that only the reply paths reach.
            assert_eq!(reached, 8, "the 50 users reach every table");
            assert!(live > 0 && trashed > 0);
            let replies = report
                .lines
                .iter()
                .filter(|l| l.path.depth() > 1 && l.label.ends_with("comments.parent_id"));
            assert!(replies.map(|l| line_total(&l.counts)).sum::<u64>() > 0);
        }
        if ids == ["1"] {
            assert!(trashed > 7_000, "the whale owns thousands: {trashed}");
            // Every foreign key of the demo has an index (product_assets.product_id
            // leads the primary key), every soft-delete column a partial one.
            assert_eq!(report.advice, vec![], "demo advice");
        }
    }
}

on_both!(reference_counts, true, reference_sqlite, reference_pg);

// ---------------------------------------------------------------------------------------
// One statement per path, however many rows are selected.

/// (statements run, lines) for an exact preview of users `ids` on one connection.
async fn statements_for(db: &Db, catalog: &Catalog, ids: &[String]) -> (usize, usize) {
    let started = Arc::new(AtomicUsize::new(0));
    let seen = started.clone();
    let mut c = conn(&db.pool).await;
    c.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let keys: Vec<Vec<String>> = ids.iter().map(|i| vec![i.clone()]).collect();
    let (table, stop) = (db.t("users"), CancellationToken::new());
    let one = std::slice::from_mut(&mut c);
    let report = related::preview(one, catalog, &table, &keys, &exact_options(), &stop)
        .await
        .unwrap();
    c.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    assert!(report.totals().complete);
    (started.load(Ordering::SeqCst), report.lines.len())
}

async fn statement_count(db: &Db) {
    let catalog = db.catalog().await;
    let (one, paths) = statements_for(db, &catalog, &["1".into()]).await;
    let fifty: Vec<String> = (1..=50).map(|i| i.to_string()).collect();
    let (many, _) = statements_for(db, &catalog, &fifty).await;
    // The demo's users have 12 paths: one count each. On PostgreSQL the quick pass adds
    // a statement that sets its time limit, one before each later count that gives it
    // what is left of that limit, and one that puts the session's limit back: 25; the
    // exact answer, the closure, is one more. An engine issuing a statement per
    // selected row (or per row and path) would run at least 50 for the second preview,
    // and the two figures would differ.
    assert_eq!(paths, 12, "paths");
    assert_eq!(one, many, "statements for 1 and for 50 selected rows");
    assert!(one > paths && one <= 2 * paths + 2, "{one} statements");
}

on_both!(statement_count, true, statements_sqlite, statements_pg);

// ---------------------------------------------------------------------------------------
// Scan budget: big paths are estimated first, then counted exactly on request.

async fn scan_budget(db: &Db) {
    let catalog = db.catalog().await;
    let reference = db.count(&catalog, "users", &["1"]).await;
    let budget = RelatedOptions {
        scan_budget: Some(10),
        quick_timeout: PATIENT,
        ..RelatedOptions::default()
    };
    let mut report = db.preview(&catalog, "users", &["1"], &budget).await;
    let mut estimated = 0;
    for (line, exact) in report.lines.iter().zip(&reference.lines) {
        if line_total(&exact.counts) <= 10 {
            assert_eq!(line.counts, exact.counts, "{}: stays exact", line.label);
            continue;
        }
        estimated += 1;
        let Counts::Estimated { at_least, estimate } = line.counts else {
            panic!("{}: not estimated: {:?}", line.label, line.counts)
        };
        assert_eq!(at_least, 11, "{}: counted up to the budget + 1", line.label);
        assert!(estimate.is_some(), "{}: planner estimate", line.label);
    }
    // posts, orders, payments, likes (two paths) and comments (two paths).
    assert_eq!(estimated, 7);
    assert!(report.needs_exact() && !report.totals().complete);
    assert!(!report.purge_effect(&catalog).complete);

    let (mut c, stop) = (conn(&db.pool).await, CancellationToken::new());
    related::count_exactly(
        std::slice::from_mut(&mut c),
        &catalog,
        &mut report,
        &budget,
        &stop,
    )
    .await
    .unwrap();
    // The exact answer is the closure, the same as an exact preview's; the path lines
    // stay the quick pass's, detail nothing reads once it is in.
    assert!(report.closure.is_some());
    assert_eq!(report.closure, reference.closure);
    assert!(!report.needs_exact() && report.totals() == reference.totals());
}

on_both!(scan_budget, true, scan_budget_sqlite, scan_budget_pg);

/// The quick pass's time limit is shared by its whole pipeline. Here another session
/// holds two of the three child tables exclusively, so their counts (and their planner
/// estimates) wait for a lock until the limit cuts them off. Held up one after the
/// other on one connection, they end the pass after about one limit, not one each, and
/// their estimates after one more; the count that is not held up lands exactly, and the
/// held-up ones come back as "at least 0" for an exact count later. (A timed check,
/// with a second of slack: a fresh limit for each of the four would take 4 s.)
#[tokio::test(flavor = "multi_thread")]
async fn held_up_counts_share_the_quick_pass_time_limit_pg() {
    let Some(pg) = PgDb::create("related_quick_limit").await else {
        return;
    };
    let url = pg.url.clone();
    let db = Db::postgres(pg, false).await;
    db.exec(
        "CREATE TABLE owners (id BIGINT PRIMARY KEY, deleted_at {ts});
         CREATE TABLE held_a (id BIGINT PRIMARY KEY,
             owner_id BIGINT NOT NULL REFERENCES owners (id), deleted_at {ts});
         CREATE TABLE held_b (id BIGINT PRIMARY KEY,
             owner_id BIGINT NOT NULL REFERENCES owners (id), deleted_at {ts});
         CREATE TABLE free (id BIGINT PRIMARY KEY,
             owner_id BIGINT NOT NULL REFERENCES owners (id), deleted_at {ts});
         INSERT INTO owners VALUES (1, now());
         INSERT INTO held_a VALUES (1, 1, NULL);
         INSERT INTO held_b VALUES (1, 1, NULL);
         INSERT INTO free VALUES (1, 1, now()), (2, 1, NULL);",
    )
    .await;
    let catalog = db.catalog().await;
    let (holder, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    holder
        .batch_execute("BEGIN; LOCK TABLE held_a, held_b IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();

    let limit = Duration::from_secs(1);
    let options = RelatedOptions {
        scan_budget: Some(1_000_000),
        quick_timeout: limit,
        ..RelatedOptions::default()
    };
    let mut one = vec![conn(&db.pool).await];
    let (table, stop) = (db.t("owners"), CancellationToken::new());
    let keys = vec![vec!["1".to_owned()]];
    let started = std::time::Instant::now();
    let report = related::preview(&mut one, &catalog, &table, &keys, &options, &stop)
        .await
        .unwrap();
    let took = started.elapsed();
    let counts = |name: &str| {
        report
            .lines
            .iter()
            .find(|l| l.path.table.name == name)
            .map(|l| l.counts.clone())
            .unwrap()
    };
    assert_eq!(counts("free"), exact(1, 1, 1));
    for held in ["held_a", "held_b"] {
        assert_eq!(
            counts(held),
            Counts::Estimated {
                at_least: 0,
                estimate: None
            },
            "{held}"
        );
    }
    // One limit for the counts, one for the planner estimates of the held-up paths.
    assert!(took >= limit * 2, "a pass ended before its limit: {took:?}");
    assert!(
        took < limit * 3,
        "each held-up statement got a limit of its own: {took:?}"
    );
    // The session left with its own limit, not the milliseconds the pass ended with.
    let found = rows::query(&mut one[0], "SHOW statement_timeout", &[])
        .await
        .unwrap();
    assert_eq!(found[0].text(0).as_deref(), Some("30s"));
    holder.batch_execute("ROLLBACK").await.unwrap();
}

// ---------------------------------------------------------------------------------------
// Deletion groups: chained hop by hop from the selected row, by time or by token.

const GROUP_SCHEMA: &str = "
CREATE TABLE parent (id INTEGER PRIMARY KEY, deleted_at {ts});
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id),
    deleted_at {ts});
CREATE TABLE grandchild (id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES child (id),
    deleted_at {ts});
-- Parent 1 trashed at T = 12:00:00: child A (10) at T+30s, B (11) at T+10min, C (12) live.
-- A's child at T+130s (100 s after A, 130 s after the parent), B's with B, C's live.
-- Parent 2 is live, with a child trashed at T; parent 3's rows are someone else's.
INSERT INTO parent VALUES (1, '2024-05-01 12:00:00'), (2, NULL), (3, '2024-05-01 12:00:00');
INSERT INTO child VALUES (10, 1, '2024-05-01 12:00:30'), (11, 1, '2024-05-01 12:10:00'),
    (12, 1, NULL), (20, 2, '2024-05-01 12:00:00'), (30, 3, '2024-05-01 12:00:00');
INSERT INTO grandchild VALUES (100, 10, '2024-05-01 12:02:10'), (110, 11, '2024-05-01 12:10:00'),
    (120, 12, NULL), (300, 30, '2024-05-01 12:00:00');
";

fn window(seconds: u64) -> RelatedOptions {
    RelatedOptions {
        recovery_window: Duration::from_secs(seconds),
        ..exact_options()
    }
}

async fn time_groups(db: &Db) {
    db.exec(GROUP_SCHEMA).await;
    let catalog = db.catalog().await;
    let child = "child via child.parent_id";
    let grandchild = "grandchild via child.parent_id → grandchild.child_id";

    // Default window (120 s): A is in the group, B is not; A's child is (100 s after A),
    // B's child is not, though trashed together with B.
    let report = db.count(&catalog, "parent", &["1"]).await;
    assert_eq!(
        lines(&report),
        [(child, exact(1, 2, 1)), (grandchild, exact(1, 2, 1))]
    );
    assert_eq!(report.totals().same_group, 2);

    // 20 s: not even A; 15 min: B and its child too.
    let report = db.preview(&catalog, "parent", &["1"], &window(20)).await;
    assert_eq!(
        lines(&report),
        [(child, exact(1, 2, 0)), (grandchild, exact(1, 2, 0))]
    );
    let report = db.preview(&catalog, "parent", &["1"], &window(900)).await;
    assert_eq!(
        lines(&report),
        [(child, exact(1, 2, 2)), (grandchild, exact(1, 2, 2))]
    );

    // A live parent has no deletion group, whatever its children's times.
    let report = db.count(&catalog, "parent", &["2"]).await;
    assert_eq!(
        lines(&report),
        [(child, exact(0, 1, 0)), (grandchild, exact(0, 0, 0))]
    );
}

on_both!(time_groups, false, time_groups_sqlite, time_groups_pg);

/// Deletion times of different types (PostgreSQL): a parent's `timestamptz` against its
/// children's `timestamp`s (read as UTC, like their epoch seconds; the console's
/// sessions run in UTC even where the database's default zone is not) and their
/// children's `timestamptz`s. Parent 1 was trashed at 12:00 UTC; child 10 at 12:01:40
/// (in the group), child 11 at 12:05 (not), child 12 at 08:00 (the parent's time as New
/// York writes it: not); grandchild 100 at 12:03 UTC, 80 s after child 10 (in the
/// group), grandchild 110 with child 11.
#[tokio::test(flavor = "multi_thread")]
async fn time_groups_across_time_zone_types_pg() {
    let Some(pg) = PgDb::create("related_mixed_times").await else {
        return;
    };
    common::admin_exec(&format!(
        "ALTER DATABASE \"{}\" SET timezone = 'America/New_York'",
        pg.name
    ))
    .await;
    let db = Db::postgres(pg, false).await;
    db.exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY, deleted_at TIMESTAMPTZ);
         CREATE TABLE child (id INTEGER PRIMARY KEY,
             parent_id INTEGER NOT NULL REFERENCES parent (id), deleted_at TIMESTAMP);
         CREATE TABLE grandchild (id INTEGER PRIMARY KEY,
             child_id INTEGER NOT NULL REFERENCES child (id), deleted_at TIMESTAMPTZ);
         INSERT INTO parent VALUES (1, '2024-05-01 12:00:00+00');
         INSERT INTO child VALUES (10, 1, '2024-05-01 12:01:40'),
             (11, 1, '2024-05-01 12:05:00'), (12, 1, '2024-05-01 08:00:00');
         INSERT INTO grandchild VALUES (100, 10, '2024-05-01 12:03:00+00'),
             (110, 11, '2024-05-01 12:05:00+00');",
    )
    .await;
    let catalog = db.catalog().await;
    let report = db.count(&catalog, "parent", &["1"]).await;
    assert_eq!(
        lines(&report),
        [
            ("child via child.parent_id", exact(0, 3, 1)),
            (
                "grandchild via child.parent_id → grandchild.child_id",
                exact(0, 2, 1)
            )
        ]
    );
}

/// The same shape with deletion tokens, whose times say the opposite of the tokens.
const TOKEN_SCHEMA: &str = "
CREATE TABLE tparent (id INTEGER PRIMARY KEY, deleted_at {ts}, deletion_token TEXT);
CREATE TABLE tchild (id INTEGER PRIMARY KEY, tparent_id INTEGER NOT NULL REFERENCES tparent (id),
    deleted_at {ts}, deletion_token TEXT);
CREATE TABLE tgrandchild (id INTEGER PRIMARY KEY, tchild_id INTEGER NOT NULL REFERENCES tchild (id),
    deleted_at {ts}, deletion_token TEXT);
INSERT INTO tparent VALUES (1, '2024-05-01 12:00:00', 'tok-1');
INSERT INTO tchild VALUES (10, 1, '2024-05-02 09:00:00', 'tok-1'),
    (11, 1, '2024-05-01 12:00:01', 'tok-2'), (12, 1, NULL, NULL);
INSERT INTO tgrandchild VALUES (100, 10, '2024-06-01 00:00:00', 'tok-1'),
    (110, 11, '2024-05-01 12:00:01', 'tok-2');
";

/// Tokens decide when both tables keep one, even with a wide window: A's token matches a
/// day later, B's does not one second later; B's child shares B's token, but B is out.
async fn token_groups(db: &Db) {
    db.exec(TOKEN_SCHEMA).await;
    let catalog = db.catalog().await;
    let report = db.preview(&catalog, "tparent", &["1"], &window(900)).await;
    let expected = [
        ("tchild via tchild.tparent_id", exact(1, 2, 1)),
        (
            "tgrandchild via tchild.tparent_id → tgrandchild.tchild_id",
            exact(0, 2, 1),
        ),
    ];
    assert_eq!(lines(&report), expected);
}

on_both!(token_groups, false, token_groups_sqlite, token_groups_pg);

// ---------------------------------------------------------------------------------------
// Cycles: a self-reference and mutual keys are walked once, the selection excluded.

const REPLY_SCHEMA: &str = "
CREATE TABLE reply (id INTEGER PRIMARY KEY, parent_id INTEGER NULL REFERENCES reply (id),
    deleted_at {ts});
INSERT INTO reply VALUES (1, NULL, NULL), (2, 1, NULL), (3, 2, NULL), (4, 3, NULL),
    (5, 2, '2024-05-01 12:00:00'), (6, NULL, NULL);
UPDATE reply SET parent_id = 6 WHERE id = 6;
";
const MUTUAL_SQLITE: &str = "
CREATE TABLE alpha (id INTEGER PRIMARY KEY, beta_id INTEGER NULL REFERENCES beta (id), deleted_at {ts});
CREATE TABLE beta (id INTEGER PRIMARY KEY, alpha_id INTEGER NULL REFERENCES alpha (id), deleted_at {ts});
";
const MUTUAL_PG: &str = "
CREATE TABLE alpha (id INTEGER PRIMARY KEY, beta_id INTEGER NULL, deleted_at {ts});
CREATE TABLE beta (id INTEGER PRIMARY KEY, alpha_id INTEGER NULL REFERENCES alpha (id), deleted_at {ts});
ALTER TABLE alpha ADD FOREIGN KEY (beta_id) REFERENCES beta (id);
";
const MUTUAL_ROWS: &str = "
INSERT INTO alpha VALUES (1, NULL, NULL), (2, NULL, NULL), (3, NULL, '2024-05-01 12:00:00');
INSERT INTO beta VALUES (1, 1, NULL), (2, 1, '2024-05-01 12:00:00'), (3, 2, NULL);
UPDATE alpha SET beta_id = 1 WHERE id IN (1, 2);
UPDATE alpha SET beta_id = 2 WHERE id = 3;
";

async fn cycles(db: &Db) {
    db.exec(REPLY_SCHEMA).await;
    db.exec(if db.pg { MUTUAL_PG } else { MUTUAL_SQLITE }).await;
    db.exec(MUTUAL_ROWS).await;
    let catalog = db.catalog().await;
    let deep = RelatedOptions {
        max_depth: 50,
        ..exact_options()
    };
    let replies = "reply via reply.parent_id";

    // Chain 1 ← 2 ← 3 ← 4, and 5 (trashed) under 2: direct replies only.
    let report = db.preview(&catalog, "reply", &["2"], &deep).await;
    assert_eq!(lines(&report), [(replies, exact(1, 1, 0))]);
    assert!(report.lines[0].path.on_cycle);
    let report = db.preview(&catalog, "reply", &["1"], &deep).await;
    assert_eq!(lines(&report), [(replies, exact(1, 0, 0))]);
    // 3 replies to 2 but is selected itself: 4 and 5 remain.
    let report = db.preview(&catalog, "reply", &["2", "3"], &deep).await;
    assert_eq!(lines(&report), [(replies, exact(1, 1, 0))]);
    // 6 replies to itself: not its own dependent.
    let report = db.preview(&catalog, "reply", &["6"], &deep).await;
    assert_eq!(lines(&report), [(replies, exact(0, 0, 0))]);

    // alpha → beta → alpha ends there, even 50 levels deep; alpha 1 is not counted.
    let report = db.preview(&catalog, "alpha", &["1"], &deep).await;
    let expected = [
        ("beta via beta.alpha_id", exact(1, 1, 0)),
        ("alpha via beta.alpha_id → alpha.beta_id", exact(1, 1, 0)),
    ];
    assert_eq!(lines(&report), expected);
    assert!(
        report
            .lines
            .iter()
            .all(|l| l.path.on_cycle && !l.path.cut_at_depth)
    );
}

on_both!(cycles, false, cycles_sqlite, cycles_pg);

// ---------------------------------------------------------------------------------------
// Key shapes and ON DELETE actions.

const EDGE_SCHEMA: &str = "
CREATE TABLE owner (id INTEGER PRIMARY KEY, deleted_at {ts});
CREATE TABLE note (id INTEGER PRIMARY KEY, owner_id INTEGER NULL REFERENCES owner (id),
    deleted_at {ts});
CREATE TABLE watcher (id INTEGER PRIMARY KEY,
    owner_id INTEGER NULL REFERENCES owner (id) ON DELETE SET NULL, deleted_at {ts});
CREATE TABLE watcher_log (id INTEGER PRIMARY KEY,
    watcher_id INTEGER NOT NULL REFERENCES watcher (id), deleted_at {ts});
CREATE TABLE attachment (id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES owner (id) ON DELETE CASCADE, deleted_at {ts});
CREATE TABLE acct (region TEXT NOT NULL, num INTEGER NOT NULL, deleted_at {ts},
    PRIMARY KEY (region, num));
CREATE TABLE acct_item (id INTEGER PRIMARY KEY, region TEXT NOT NULL, num INTEGER NOT NULL,
    deleted_at {ts}, FOREIGN KEY (region, num) REFERENCES acct (region, num));
INSERT INTO owner VALUES (1, NULL), (2, NULL), (3, NULL);
INSERT INTO note VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, '2024-05-01 12:00:00'),
    (4, NULL, NULL), (5, NULL, '2024-05-01 12:00:00'), (6, 2, NULL);
INSERT INTO watcher VALUES (1, 1, NULL), (2, 1, '2024-05-01 12:00:00'), (3, 2, NULL);
INSERT INTO watcher_log VALUES (1, 1, NULL), (2, 2, NULL);
INSERT INTO attachment VALUES (1, 1, NULL), (2, 1, NULL), (3, 1, '2024-05-01 12:00:00'),
    (4, 2, NULL);
INSERT INTO acct VALUES ('eu', 1, NULL), ('eu', 2, NULL), ('us', 1, NULL);
INSERT INTO acct_item VALUES (1, 'eu', 1, NULL), (2, 'eu', 1, '2024-05-01 12:00:00'),
    (3, 'eu', 2, NULL), (4, 'us', 1, NULL), (5, 'us', 1, '2024-05-01 12:00:00');
";

/// Owner 1's lines, by label; `None` for zeros (owner 3).
fn owner_lines(rows: Option<[(u64, u64); 3]>) -> Vec<(&'static str, Counts)> {
    let [a, n, w] = rows.unwrap_or_default();
    vec![
        ("attachment via attachment.owner_id", exact(a.0, a.1, 0)),
        ("note via note.owner_id", exact(n.0, n.1, 0)),
        ("watcher via watcher.owner_id", exact(w.0, w.1, 0)),
    ]
}

const OWNER_1: [(u64, u64); 3] = [(2, 1), (2, 1), (1, 1)];

async fn key_shapes(db: &Db) {
    db.exec(EDGE_SCHEMA).await;
    let catalog = db.catalog().await;

    // NULL keys count nowhere; the SET NULL watcher rows are detached, and their path
    // stops there (no watcher_log line).
    let report = db.count(&catalog, "owner", &["1"]).await;
    assert_eq!(sorted_lines(&report), owner_lines(Some(OWNER_1)));
    for line in &report.lines {
        let watcher = line.path.table.name == "watcher";
        assert_eq!(line.path.detaches, watcher, "{}", line.label);
    }
    // Detached watchers are not deleted.
    let totals = Totals {
        live: 4,
        trashed: 2,
        same_group: 0,
        complete: true,
    };
    assert_eq!(report.totals(), totals);
    let effect = report.purge_effect(&catalog);
    assert_eq!(effect.live_blocking, 2, "live notes under NO ACTION");
    assert_eq!(
        effect.live_cascading, 2,
        "live attachments, ON DELETE CASCADE"
    );
    assert_eq!(effect.detached, 2, "watchers set to NULL");
    let mut deletes: Vec<(String, u64)> = effect
        .deletes
        .iter()
        .map(|(t, n)| (t.name.clone(), *n))
        .collect();
    assert_eq!(
        deletes.pop(),
        Some(("owner".into(), 1)),
        "the parent is deleted last"
    );
    deletes.sort();
    assert_eq!(deletes, [("attachment".into(), 3), ("note".into(), 3)]);

    // No dependents: every line zero, and only the selected row would go.
    let report = db.count(&catalog, "owner", &["3"]).await;
    assert_eq!(sorted_lines(&report), owner_lines(None));
    let zero = Totals {
        complete: true,
        ..Totals::default()
    };
    assert_eq!(report.totals(), zero);
    let effect = report.purge_effect(&catalog);
    assert_eq!(effect.deletes, [(db.t("owner"), 1)]);
    assert_eq!(
        (effect.live_blocking, effect.live_cascading, effect.detached),
        (0, 0, 0)
    );

    // A two-column key: both columns must match (('eu', 2) and ('us', 1) share one each).
    let items = "acct_item via acct_item.region,num";
    let report = db.count(&catalog, "acct", &["eu,1"]).await;
    assert_eq!(lines(&report), [(items, exact(1, 1, 0))]);
    let report = db.count(&catalog, "acct", &["eu,1", "us,1"]).await;
    assert_eq!(lines(&report), [(items, exact(2, 2, 0))]);
}

on_both!(key_shapes, false, key_shapes_sqlite, key_shapes_pg);

const PLAIN_SCHEMA: &str = "
CREATE TABLE shelf (id INTEGER PRIMARY KEY, deleted_at {ts});
CREATE TABLE label (id INTEGER PRIMARY KEY, shelf_id INTEGER NOT NULL REFERENCES shelf (id),
    name TEXT);
INSERT INTO shelf VALUES (1, '2024-05-01 12:00:00'), (2, NULL);
INSERT INTO label VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'c'), (4, 2, 'd');
";

/// A child table that keeps no trash: its rows all count as live, and block a purge.
async fn plain_child(db: &Db) {
    db.exec(PLAIN_SCHEMA).await;
    let catalog = db.catalog().await;
    let report = db.count(&catalog, "shelf", &["1"]).await;
    assert_eq!(
        lines(&report),
        [("label via label.shelf_id", exact(3, 0, 0))]
    );
    assert_eq!(report.purge_effect(&catalog).live_blocking, 3);
}

on_both!(plain_child, false, plain_child_sqlite, plain_child_pg);

#[tokio::test(flavor = "multi_thread")]
async fn deferrable_and_unreadable_children_pg() {
    let Some(pg) = PgDb::create("related_perm").await else {
        return;
    };
    let (db_url, db_name) = (pg.url.clone(), pg.name.clone());
    let db = Db::postgres(pg, false).await;
    db.exec(EDGE_SCHEMA).await;
    db.exec(
        "CREATE TABLE dnote (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owner (id) \
         DEFERRABLE INITIALLY DEFERRED, deleted_at TIMESTAMPTZ);
         INSERT INTO dnote VALUES (1, 1, NULL), (2, 1, '2024-05-01 12:00:00'), (3, 2, NULL);",
    )
    .await;

    // A deferrable key is counted like any other.
    let catalog = db.catalog().await;
    assert!(
        catalog
            .relations
            .iter()
            .any(|r| r.child.name == "dnote" && r.deferrable)
    );
    let report = db.count(&catalog, "owner", &["1"]).await;
    let dnote = report
        .lines
        .iter()
        .find(|l| l.path.table.name == "dnote")
        .unwrap();
    assert_eq!(dnote.counts, exact(1, 1, 0));

    // A role that may read owner and note only: the other children say so, no error.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let role = format!("trashcan_related_{}_{nanos}", std::process::id());
    common::admin_exec(&format!("CREATE ROLE \"{role}\" LOGIN")).await;
    let _guard = common::RoleGuard {
        role: role.clone(),
        db_url,
    };
    db.exec(&format!("GRANT SELECT ON owner, note TO \"{role}\""))
        .await;
    let url = format!("postgres://{role}@127.0.0.1:5432/{db_name}?sslmode=disable");
    let pool = DbPool::connect(&DbTarget::parse(&url).unwrap(), &SessionSettings::default())
        .await
        .unwrap();
    let limited = Db {
        pool,
        pg: true,
        _keep: (None, None),
    };
    let catalog = limited.catalog().await;
    let report = limited.count(&catalog, "owner", &["1"]).await;
    let mut expected = owner_lines(Some(OWNER_1));
    for (label, counts) in &mut expected {
        if !label.starts_with("note") {
            *counts = Counts::NoPermission;
        }
    }
    expected.insert(1, ("dnote via dnote.owner_id", Counts::NoPermission));
    assert_eq!(sorted_lines(&report), expected);
    assert!(!report.totals().complete);
}

// ---------------------------------------------------------------------------------------
// Index advice for unindexed foreign keys.

const ADVICE_SCHEMA: &str = "
CREATE TABLE shop (id INTEGER PRIMARY KEY, deleted_at {ts});
CREATE INDEX shop_trash_idx ON shop (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TABLE bare (id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shop (id),
    deleted_at {ts});
CREATE TABLE indexed (id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shop (id),
    deleted_at {ts});
CREATE INDEX indexed_shop_idx ON indexed (shop_id);
CREATE INDEX indexed_trash_idx ON indexed (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TABLE partly (id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shop (id),
    deleted_at {ts});
CREATE INDEX partly_live_shop_idx ON partly (shop_id) WHERE deleted_at IS NULL;
";

async fn index_advice(db: &Db) {
    db.exec(ADVICE_SCHEMA).await;
    let catalog = db.catalog().await;
    let report = db.count(&catalog, "shop", &["1"]).await;
    let all = &report.advice;
    let advice = |table: &str, has: &str| {
        all.iter()
            .find(|a| a.table == table && a.create.contains(has))
    };
    const FK: &str = "(\"shop_id\")";
    let bare = advice("bare", FK).expect("advice for bare.shop_id");
    assert!(bare.create.contains("CREATE INDEX"), "{}", bare.create);
    assert!(bare.reason.contains("bare.shop_id"), "{}", bare.reason);
    assert!(advice("indexed", FK).is_none(), "{all:?}");
    // A partial index does not serve lookups of trashed children.
    let partly = advice("partly", FK).expect("advice for partly.shop_id");
    assert!(partly.reason.contains("partly_live_shop_idx"), "{partly:?}");
    // bare's soft-delete column has no index either; indexed's and shop's have one.
    assert!(advice("bare", "WHERE").is_some(), "{all:?}");
    assert!(advice("indexed", "WHERE").is_none() && advice("shop", "WHERE").is_none());
    // An index over live rows only does nothing for the trash: partly still gets advice.
    assert!(advice("partly", "WHERE").is_some(), "{all:?}");
}

on_both!(index_advice, false, index_advice_sqlite, index_advice_pg);
