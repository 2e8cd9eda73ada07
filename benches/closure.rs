//! Exact related counts as a closure, against references measured in the same run:
//!
//! - the whale (user 1 of the demo at scale 100: 10,000 posts, 490,000 comments under
//!   them): `engine::related::closure::count` against a hand-written SQL closure that
//!   computes the same answer (live / trashed / same group per table), and against the
//!   path walk it replaced (`related::preview`, exact, default limits);
//! - the corpus's schemas (`tests/corpus`), filled by the tests' generator: the most
//!   connected row of each, its closure, and the path walk with its limits raised so it
//!   too counts everything (1,000 paths, 32 levels), capped at two minutes.
//!
//!     cargo bench --bench closure
//!
//! The whale reuses the database `trashcan_bench_related` (seeded by the related bench
//! the first time, ~2 minutes); the corpus builds a database per schema and drops it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/common/mod.rs"]
mod common;
#[macro_use]
#[path = "../tests/purge_db/mod.rs"]
mod purge_db;
#[path = "../tests/corpus_support/mod.rs"]
mod corpus_support;

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::related::{self, RelatedOptions, closure};
use trashcan::engine::sql::TableName;

const REPEATS: usize = 7;
const SCALE: u32 = 100;
const WINDOW: f64 = 120.0;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The demo at scale 100, seeded once and kept.
async fn whale_database(base: &str) -> String {
    let (admin, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("PostgreSQL reachable");
    tokio::spawn(connection);
    let url = format!(
        "{}/trashcan_bench_related?sslmode=disable",
        base.rsplit_once('/').map(|(h, _)| h).unwrap_or(base)
    );
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = 'trashcan_bench_related'",
            &[],
        )
        .await
        .unwrap()
        .is_some();
    if !exists {
        admin
            .batch_execute("CREATE DATABASE trashcan_bench_related")
            .await
            .unwrap();
        eprintln!("seeding the demo at scale {SCALE} …");
        trashcan::demo::seed_target(&DbTarget::parse(&url).unwrap(), SCALE)
            .await
            .unwrap();
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client.batch_execute("VACUUM ANALYZE").await.unwrap();
    }
    url
}

/// The whale's answer written by hand for the demo's schema: per table, rows below
/// user `u` (live, trashed, trashed with their parent within two minutes, hop by hop),
/// each counted once, the comments' replies followed to their end.
fn hand_written(u: u32) -> String {
    let near = |c: &str, p: &str| {
        format!(
            "CASE WHEN {p}.g = 1 AND {c} IS NOT NULL AND {c} BETWEEN {p}.t - interval '120 seconds' \
             AND {p}.t + interval '120 seconds' THEN 1 ELSE 0 END"
        )
    };
    let ms_time = |c: &str| format!("CASE WHEN {c} <> 0 THEN to_timestamp({c} / 1000.0) END");
    format!(
        "WITH RECURSIVE \
         u AS (SELECT id, deleted_at AS t, CASE WHEN deleted_at IS NOT NULL THEN 1 ELSE 0 END AS g \
               FROM users WHERE id = {u}), \
         p AS (SELECT x.id, x.deleted_at AS t, {} AS g FROM posts x JOIN u ON x.user_id = u.id), \
         c0 AS (SELECT x.id, x.deleted_at AS t, {} AS g FROM comments x JOIN p ON x.post_id = p.id \
                UNION ALL SELECT x.id, x.deleted_at, {} FROM comments x JOIN u ON x.user_id = u.id), \
         c(id, t, g) AS (SELECT * FROM c0 UNION SELECT x.id, x.deleted_at, {} FROM comments x \
                JOIN c ON x.parent_id = c.id AND x.id <> c.id), \
         l AS (SELECT x.user_id, x.post_id, x.deleted_at AS t, {} AS g FROM likes x JOIN u ON x.user_id = u.id \
               UNION ALL SELECT x.user_id, x.post_id, x.deleted_at, {} FROM likes x JOIN p ON x.post_id = p.id), \
         o AS (SELECT x.id, CASE WHEN x.is_deleted THEN x.deleted_at END AS t, x.is_deleted AS tr, \
                {} AS g FROM orders x JOIN u ON x.user_id = u.id), \
         pay AS (SELECT x.id, {} AS t, {} AS g FROM payments x JOIN o ON x.order_id = o.id), \
         pr AS (SELECT x.id, x.deleted_at AS t, {} AS g FROM products x JOIN u ON x.user_id = u.id), \
         pa AS (SELECT x.product_id, x.asset_id, x.deleted_at AS t, {} AS g FROM product_assets x \
                JOIN pr ON x.product_id = pr.id), \
         pat AS (SELECT x.id, x.deleted_at AS t, {} AS g FROM product_attributes x \
                JOIN pr ON x.product_id = pr.id) \
         SELECT 'posts', count(*), count(t), sum(g) FROM p \
         UNION ALL SELECT 'comments', count(*), count(t), sum(g) FROM \
            (SELECT id, max(t) AS t, max(g) AS g FROM c GROUP BY id) q \
         UNION ALL SELECT 'likes', count(*), count(t), sum(g) FROM \
            (SELECT user_id, post_id, max(t) AS t, max(g) AS g FROM l GROUP BY user_id, post_id) q \
         UNION ALL SELECT 'orders', count(*), count(*) FILTER (WHERE tr), sum(g) FROM o \
         UNION ALL SELECT 'payments', count(*), count(t), sum(g) FROM pay \
         UNION ALL SELECT 'products', count(*), count(t), sum(g) FROM pr \
         UNION ALL SELECT 'product_assets', count(*), count(t), sum(g) FROM pa \
         UNION ALL SELECT 'product_attributes', count(*), count(t), sum(g) FROM pat",
        near("x.deleted_at", "u"),
        near("x.deleted_at", "p"),
        near("x.deleted_at", "u"),
        near("x.deleted_at", "c"),
        near("x.deleted_at", "u"),
        near("x.deleted_at", "p"),
        near("CASE WHEN x.is_deleted THEN x.deleted_at END", "u"),
        ms_time("x.deleted_at_ms"),
        near(&ms_time("x.deleted_at_ms"), "o"),
        near("x.deleted_at", "u"),
        near("x.deleted_at", "pr"),
        near("x.deleted_at", "pr"),
    )
}

async fn whale(base: &str) -> Vec<(String, String)> {
    let url = whale_database(base).await;
    let target = DbTarget::parse(&url).unwrap();
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let (config, _) = Config::parse(trashcan::demo::DEMO_CONFIG, "demo").unwrap();
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config).await.unwrap();
    let users = catalog
        .table(&TableName::new(Some("public"), "users"))
        .unwrap()
        .clone();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    // The same statement on a session with JIT off, as the console's sessions are: the
    // reference is whichever of the two is faster.
    let (no_jit, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    no_jit.batch_execute("SET jit = off").await.unwrap();
    let mut out = Vec::new();
    for (name, user) in [("whale (user 1)", 1u32), ("typical user 217", 217)] {
        let keys = vec![vec![user.to_string()]];
        let reference = hand_written(user);
        let (mut ours, mut theirs, mut theirs_no_jit) = (Vec::new(), Vec::new(), Vec::new());
        let mut answer = None;
        for _ in 0..REPEATS {
            let t = Instant::now();
            let found = closure::count(&mut conn, &catalog, &users, &keys, WINDOW)
                .await
                .unwrap();
            ours.push(t.elapsed());
            let t = Instant::now();
            let rows = client.query(&reference, &[]).await.unwrap();
            theirs.push(t.elapsed());
            let t = Instant::now();
            no_jit.query(&reference, &[]).await.unwrap();
            theirs_no_jit.push(t.elapsed());
            answer = Some((found, rows));
        }
        let (found, rows) = answer.unwrap();
        // The two must agree before their times mean anything.
        for row in rows {
            let table: &str = row.get(0);
            let (all, trashed, group): (i64, i64, Option<i64>) =
                (row.get(1), row.get(2), row.get(3));
            let got = found.tables.iter().find(|t| t.table.name == table);
            let got = got.map_or((0, 0, 0), |t| (t.live + t.trashed, t.trashed, t.same_group));
            assert_eq!(
                got,
                (all as u64, trashed as u64, group.unwrap_or(0) as u64),
                "{name}: {table}"
            );
        }
        let (ours, theirs, theirs_no_jit) = (median(ours), median(theirs), median(theirs_no_jit));
        let reference = theirs.min(theirs_no_jit);
        out.push((
            format!(
                "{name}: closure / hand-written SQL closure (server's JIT setting / JIT off), \
                 median of {REPEATS}"
            ),
            format!(
                "{} / {} / {} ({:.2}x the faster)",
                ms(ours),
                ms(theirs),
                ms(theirs_no_jit),
                ours.as_secs_f64() / reference.as_secs_f64()
            ),
        ));
    }
    // The path walk the closure replaced, as the worker ran it (default limits).
    let exact = RelatedOptions {
        scan_budget: None,
        ..RelatedOptions::default()
    };
    let mut conns = vec![pool.get().await.unwrap(), pool.get().await.unwrap()];
    let mut walk = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let report = related::preview(
            &mut conns,
            &catalog,
            &users.name,
            &[vec!["1".into()]],
            &exact,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        walk.push(t.elapsed());
        assert!(report.closure.is_some());
    }
    out.push((
        "whale: the worker's exact preview (quick pass, closure, path details), median of 3".into(),
        ms(median(walk)),
    ));
    out
}

/// The corpus's schemas: the most connected row's closure, and the path walk with its
/// limits raised far enough to count everything too.
async fn corpus() -> Vec<(String, String)> {
    use corpus_support::{generate, schema};
    let mut out = Vec::new();
    for app in [
        "mattermost",
        "solidus",
        "lago",
        "paperless",
        "raweb",
        "lobsters",
    ] {
        let Some(pg) = common::PgDb::create("bench_closure").await else {
            continue;
        };
        let db = purge_db::Db::postgres(pg).await;
        let expect = schema::Expect::read(app);
        corpus_support::load(&db, app).await;
        let schema = schema::Schema::read(&db, &expect).await;
        generate::fill(&db, &schema, &expect).await;
        db.exec("ANALYZE").await;
        let catalog = db
            .catalog(&purge_db::config(&expect.console_config()))
            .await;
        let mut conn = db.conn().await;
        // The most connected row: the one whose closure holds the most rows.
        let mut best: Option<(usize, TableName, String)> = None;
        for table in catalog.tables.iter().filter(|t| t.primary_key.len() == 1) {
            let key = &table.primary_key[0];
            let sql = format!(
                "SELECT CAST({} AS TEXT) FROM {} LIMIT 3",
                trashcan::engine::sql::quote_ident(key),
                table.name.quoted()
            );
            for id in db.strings(&sql).await {
                let found = closure::count(&mut conn, &catalog, table, &[vec![id.clone()]], WINDOW)
                    .await
                    .unwrap();
                let rows: u64 = found.tables.iter().map(|t| t.live + t.trashed).sum();
                if best.as_ref().is_none_or(|(n, ..)| rows as usize > *n) {
                    best = Some((rows as usize, table.name.clone(), id));
                }
            }
        }
        let Some((rows, table, id)) = best else {
            continue;
        };
        let info = catalog.table(&table).unwrap().clone();
        let keys = vec![vec![id.clone()]];
        let mut samples = Vec::new();
        for _ in 0..REPEATS {
            let t = Instant::now();
            closure::count(&mut conn, &catalog, &info, &keys, WINDOW)
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
        let plan = related::plan_paths(&catalog, &table, 32, 100_000);
        let raised = RelatedOptions {
            scan_budget: None,
            max_paths: 1_000,
            max_depth: 32,
            ..RelatedOptions::default()
        };
        let mut conns = vec![db.conn().await];
        let t = Instant::now();
        let walk = tokio::time::timeout(
            Duration::from_secs(120),
            related::preview(
                &mut conns,
                &catalog,
                &table,
                &keys,
                &raised,
                &CancellationToken::new(),
            ),
        )
        .await;
        let walk_time = match walk {
            Ok(_) => ms(t.elapsed()),
            Err(_) => "over 120 s (stopped)".into(),
        };
        out.push((
            format!(
                "{app}: {table} {id} reaches {rows} rows along {} paths{}; closure, median of {REPEATS} / path walk (≤1,000 paths, 32 levels), once",
                plan.paths.len() + plan.not_counted,
                if plan.not_counted > 0 { " or more" } else { "" }
            ),
            format!("{} / {}", ms(median(samples)), walk_time),
        ));
    }
    out
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut results = whale(&base).await;
    // BENCH_CLOSURE_WHALE_ONLY=1 skips the corpus (a few minutes, mostly path walks).
    if std::env::var_os("BENCH_CLOSURE_WHALE_ONLY").is_none() {
        results.extend(corpus().await);
    }
    println!("| measurement | result |");
    println!("| --- | --- |");
    for (name, value) in results {
        println!("| {name} | {value} |");
    }
}
