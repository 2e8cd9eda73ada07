//! Purge benchmark on the demo's whale dataset (scale 100), on identical copies of it:
//!
//! - (a) one set-based DELETE per table, children first, in one transaction: the
//!   physical limit;
//! - (b) trashcan's supervised purge (plan, then batches with checkpoints);
//! - (c) a per-row delete loop (N+1) on a sample, extrapolated;
//!
//! each with a concurrent single-row OLTP client (select + update of live users, ~200/s)
//! running, which also measures its latency during (a) and (b), and the process's peak RSS after a ~10k-row and
//! after the full purge.
//!
//!     cargo bench --bench purge                    # local server
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench purge
//!     BENCH_PURGE_SLEEP_MS=20 cargo bench --bench purge   # (b) pauses between batches
//!
//! It creates (once, a few minutes) and reuses a template database
//! `trashcan_bench_purge_base`, and makes a fresh copy of it for each measurement.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use trashcan::config::Config;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::audit::Actor;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::purge::{self, JobControl, PurgeOptions, Scope, Tuning};
use trashcan::engine::sql::TableName;

const SCALE: u32 = 100;
const BASE: &str = "trashcan_bench_purge_base";
const OLDER_THAN: Duration = Duration::from_secs(30 * 86_400);

async fn admin(base: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("PostgreSQL reachable");
    tokio::spawn(connection);
    client
}

fn url_of(base: &str, name: &str) -> String {
    format!(
        "{}/{name}?sslmode=disable",
        base.rsplit_once('/').map(|(h, _)| h).unwrap_or(base)
    )
}

/// The seeded template, created once.
async fn template(base: &str) -> String {
    let admin = admin(base).await;
    let url = url_of(base, BASE);
    let ready = admin
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate",
            &[&BASE],
        )
        .await
        .unwrap()
        .is_some();
    if !ready {
        for sql in [
            format!("DROP DATABASE IF EXISTS {BASE} WITH (FORCE)"),
            format!("CREATE DATABASE {BASE}"),
        ] {
            admin.batch_execute(&sql).await.unwrap();
        }
        eprintln!("seeding the demo at scale {SCALE} …");
        let started = Instant::now();
        let target = DbTarget::parse(&url).unwrap();
        trashcan::demo::seed_target(&target, SCALE).await.unwrap();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client.batch_execute("VACUUM ANALYZE").await.unwrap();
        drop(client);
        tokio::time::sleep(Duration::from_millis(300)).await;
        admin
            .batch_execute(&format!("ALTER DATABASE {BASE} WITH IS_TEMPLATE true"))
            .await
            .unwrap();
        eprintln!("seeded in {:.0}s", started.elapsed().as_secs_f64());
    }
    url
}

/// A fresh copy of the template.
async fn copy(base: &str, name: &str) -> String {
    let admin = admin(base).await;
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name} TEMPLATE {BASE}"),
    ] {
        admin.batch_execute(&sql).await.unwrap();
    }
    let url = url_of(base, name);
    // The template may predate the console's newest bookkeeping migrations.
    migrate::run(&DbTarget::parse(&url).unwrap(), MigrationSet::Console)
        .await
        .unwrap();
    url
}

async fn drop_copy(base: &str, name: &str) {
    let admin = admin(base).await;
    let _ = admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
}

/// Single-row select + update of live users at about 200 per second until stopped;
/// returns each round's latency.
fn oltp(url: &str, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<Duration>> {
    let url = url.to_owned();
    tokio::spawn(async move {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let ids: Vec<i64> = client
            .query(
                "SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id LIMIT 2000",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let select = client
            .prepare("SELECT name FROM users WHERE id = $1")
            .await
            .unwrap();
        let update = client
            .prepare("UPDATE users SET name = name WHERE id = $1")
            .await
            .unwrap();
        let mut latencies = Vec::new();
        let mut i = 0usize;
        while !stop.load(Ordering::SeqCst) {
            let id = ids[i * 7919 % ids.len()];
            i += 1;
            let started = Instant::now();
            client.query_one(&select, &[&id]).await.unwrap();
            client.execute(&update, &[&id]).await.unwrap();
            latencies.push(started.elapsed());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        latencies
    })
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident set size of this process, from /proc.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn catalog_and_pool(url: &str) -> (DbPool, Catalog) {
    let pool = DbPool::connect(
        &DbTarget::parse(url).unwrap(),
        &SessionSettings {
            statement_timeout: Duration::from_secs(600),
            ..SessionSettings::default()
        },
    )
    .await
    .unwrap();
    let (config, _) = Config::parse(trashcan::demo::DEMO_CONFIG, "demo").unwrap();
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config).await.unwrap();
    (pool, catalog)
}

struct Measured {
    rows: u64,
    took: Duration,
    oltp_p99: Duration,
    batch_p50: Duration,
    batch_p99: Duration,
}

/// (a): the same rows as (b) would delete (the plan's frozen set, made first and not
/// timed), with one DELETE per table, children first, in one transaction.
async fn set_based(url: &str) -> Measured {
    let (pool, catalog) = catalog_and_pool(url).await;
    let actor = Actor {
        os_user: "bench".into(),
        ssh_client: None,
    };
    let options = PurgeOptions {
        older_than: Some(OLDER_THAN),
        approval_above: u64::MAX,
        ..PurgeOptions::default()
    };
    let mut conn = pool.get().await.unwrap();
    let plan = purge::plan(
        &mut conn,
        &catalog,
        &Scope::All,
        &options,
        &actor,
        None,
        true,
    )
    .await
    .unwrap();
    drop(conn);
    let job = plan.job_id.unwrap();
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute("SET statement_timeout = 0")
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let load = oltp(url, stop.clone());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    client.batch_execute("BEGIN").await.unwrap();
    let mut rows = 0;
    for planned in &plan.tables {
        let table = planned.table_name();
        let info = catalog.table(&table).unwrap();
        let keys: Vec<String> = info
            .key_columns()
            .iter()
            .enumerate()
            .map(|(i, k)| {
                format!(
                    "t.{} = CAST((CAST(r.key AS json) ->> {i}) AS {})",
                    k.quoted(),
                    k.sql_type
                )
            })
            .collect();
        let sql = format!(
            "DELETE FROM {} AS t USING trashcan.purge_rows AS r \
             WHERE r.job_id = {job} AND r.table_name = '{}' AND {}",
            table.quoted(),
            table,
            keys.join(" AND ")
        );
        rows += client.execute(&sql, &[]).await.unwrap();
    }
    client.batch_execute("COMMIT").await.unwrap();
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let latencies = load.await.unwrap();
    Measured {
        rows,
        took,
        oltp_p99: percentile(&latencies, 0.99),
        batch_p50: took,
        batch_p99: took,
    }
}

/// (b): trashcan's purge of all trash older than 30 days.
async fn trashcan_purge(url: &str, scope: Scope, with_load: bool) -> (Measured, Duration) {
    let (pool, catalog) = catalog_and_pool(url).await;
    let actor = Actor {
        os_user: "bench".into(),
        ssh_client: None,
    };
    // BENCH_PURGE_SLEEP_MS: a pause between batches, to see what it buys other clients.
    let sleep = std::env::var("BENCH_PURGE_SLEEP_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::ZERO, Duration::from_millis);
    let options = PurgeOptions {
        older_than: Some(OLDER_THAN),
        approval_above: u64::MAX,
        sleep,
        ..PurgeOptions::default()
    };
    let mut conn = pool.get().await.unwrap();
    let planned_at = Instant::now();
    let plan = purge::plan(
        &mut conn,
        &catalog,
        &scope,
        &options,
        &actor,
        Some("bench"),
        true,
    )
    .await
    .unwrap();
    let planning = planned_at.elapsed();
    drop(conn);
    let stop = Arc::new(AtomicBool::new(false));
    let load = with_load.then(|| oltp(url, stop.clone()));
    if with_load {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let control = JobControl::default();
    *control.tuning.lock().unwrap() = Tuning::default();
    let mut last = purge::Progress::default();
    let started = Instant::now();
    let outcome = purge::run(
        &pool,
        &catalog,
        plan.job_id.unwrap(),
        &actor,
        &control,
        &mut |p| last = p.clone(),
    )
    .await
    .unwrap();
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let oltp_p99 = match load {
        Some(load) => percentile(&load.await.unwrap(), 0.99),
        None => Duration::ZERO,
    };
    let rows = match outcome {
        purge::RunOutcome::Done { deleted, .. } => deleted,
        purge::RunOutcome::Cancelled { deleted } => deleted,
    };
    (
        Measured {
            rows,
            took,
            oltp_p99,
            batch_p50: last.batch_p50,
            batch_p99: last.batch_p99,
        },
        planning,
    )
}

/// (c): one autocommit DELETE per row, on a sample of trashed likes (leaves: no children,
/// so the cheapest rows of the purge: the extrapolation flatters the loop).
async fn per_row(url: &str, sample: i64) -> Measured {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let keys: Vec<(i64, i64)> = client
        .query(
            "SELECT user_id, post_id FROM likes WHERE deleted_at < now() - interval '30 days' \
             ORDER BY user_id, post_id LIMIT $1",
            &[&sample],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let delete = client
        .prepare("DELETE FROM likes WHERE user_id = $1 AND post_id = $2")
        .await
        .unwrap();
    // Under the same concurrent client as (a) and (b): on two cores the loop's round
    // trips compete with it for the CPU just as their statements do.
    let stop = Arc::new(AtomicBool::new(false));
    let load = oltp(url, stop.clone());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    for (user, post) in &keys {
        client.execute(&delete, &[user, post]).await.unwrap();
    }
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let latencies = load.await.unwrap();
    Measured {
        rows: keys.len() as u64,
        took,
        oltp_p99: percentile(&latencies, 0.99),
        batch_p50: Duration::ZERO,
        batch_p99: Duration::ZERO,
    }
}

fn rate(m: &Measured) -> f64 {
    m.rows as f64 / m.took.as_secs_f64().max(0.001)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    template(&base).await;

    // OLTP latency with nothing else running.
    let quiet = copy(&base, "trashcan_bench_purge_quiet").await;
    let stop = Arc::new(AtomicBool::new(false));
    let load = oltp(&quiet, stop.clone());
    tokio::time::sleep(Duration::from_secs(10)).await;
    stop.store(true, Ordering::SeqCst);
    let quiet_p99 = percentile(&load.await.unwrap(), 0.99);
    drop_copy(&base, "trashcan_bench_purge_quiet").await;
    eprintln!("OLTP p99 alone: {}", ms(quiet_p99));

    let a_url = copy(&base, "trashcan_bench_purge_a").await;
    let a = set_based(&a_url).await;
    drop_copy(&base, "trashcan_bench_purge_a").await;
    eprintln!("(a) {} rows in {:.2}s", a.rows, a.took.as_secs_f64());

    let b_url = copy(&base, "trashcan_bench_purge_b").await;
    let rss_start = peak_rss_kib();
    let small = trashcan_purge(
        &b_url,
        Scope::Table(TableName::new(Some("public"), "payments")),
        false,
    )
    .await;
    let rss_small = peak_rss_kib();
    let (b, planning) = trashcan_purge(&b_url, Scope::All, true).await;
    let rss_big = peak_rss_kib();
    drop_copy(&base, "trashcan_bench_purge_b").await;
    eprintln!(
        "(b) {} rows in {:.2}s (+{:.2}s planning)",
        b.rows,
        b.took.as_secs_f64(),
        planning.as_secs_f64()
    );

    let c_url = copy(&base, "trashcan_bench_purge_c").await;
    let c = per_row(&c_url, 3_000).await;
    drop_copy(&base, "trashcan_bench_purge_c").await;

    println!("| measurement | result | goal |");
    println!("| --- | --- | --- |");
    println!(
        "| (a) set-based, one DELETE per table | {} rows in {:.2} s: {:.0} rows/s | |",
        a.rows,
        a.took.as_secs_f64(),
        rate(&a)
    );
    println!(
        "| (b) trashcan, batches (phase 2) | {} rows in {:.2} s: {:.0} rows/s = {:.0} % of (a) | ≥ 75 % |",
        b.rows,
        b.took.as_secs_f64(),
        rate(&b),
        rate(&b) * 100.0 / rate(&a)
    );
    println!(
        "| (b) plan (phase 1: frozen set written) | {:.2} s | |",
        planning.as_secs_f64()
    );
    println!(
        "| (b) batch latency p50 / p99 | {} / {} | p99 ≤ 150 ms |",
        ms(b.batch_p50),
        ms(b.batch_p99)
    );
    println!(
        "| (c) per-row DELETE, {} likes sampled (OLTP p99 {}) | {:.0} rows/s; (b) is {:.0}× | (b) ≥ 50× |",
        c.rows,
        ms(c.oltp_p99),
        rate(&c),
        rate(&b) / rate(&c)
    );
    println!(
        "| OLTP p99 alone / during (a) / during (b) | {} / {} ({:.2}×) / {} ({:.2}×) | (b) ≤ 1.7× |",
        ms(quiet_p99),
        ms(a.oltp_p99),
        a.oltp_p99.as_secs_f64() / quiet_p99.as_secs_f64(),
        ms(b.oltp_p99),
        b.oltp_p99.as_secs_f64() / quiet_p99.as_secs_f64()
    );
    println!(
        "| peak RSS: start / after a {}-row purge / after the {}-row purge | {} / {} / {} MiB (+{:.1} MiB) | ≤ +10 MB |",
        small.0.rows,
        b.rows,
        rss_start / 1024,
        rss_small / 1024,
        rss_big / 1024,
        (rss_big.saturating_sub(rss_small)) as f64 / 1024.0
    );
}
