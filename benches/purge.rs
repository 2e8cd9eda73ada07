//! Purge benchmark on the demo's whale dataset (scale 100), on identical copies of it:
//!
//! - (a) one set-based DELETE per table, children first, in one transaction: the
//!   physical limit;
//! - (b) trashcan's supervised purge (plan, then batches with checkpoints);
//! - (c) a per-row delete loop (N+1) on a sample of every table, extrapolated;
//!
//! each with a concurrent single-row OLTP client (select + update of live users, ~200/s,
//! on its own thread) running, which also measures its latency during (a) and (b); and
//! the process's peak RSS after a ~10k-row and after the full purge. (a) and (b) are
//! measured in several rounds (the OLTP figures are noisy), and medians reported.
//!
//!     cargo bench --bench purge                    # local server
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench purge
//!     BENCH_PURGE_ROUNDS=5 cargo bench --bench purge      # rounds (default 3)
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

/// A single-row OLTP client: select + update of a live user about 200 times a second,
/// on its own thread and runtime, so the bench's own tasks never delay its rounds (the
/// baselines used pgbench, a separate process, for the same reason).
struct Oltp {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<(Instant, Duration)>>,
}

impl Oltp {
    fn start(url: &str) -> Oltp {
        let stop = Arc::new(AtomicBool::new(false));
        let (url, flag) = (url.to_owned(), stop.clone());
        let thread = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(oltp_rounds(&url, &flag))
        });
        Oltp { stop, thread }
    }

    /// Stops the client; the latencies of the rounds that started at or after `from`.
    async fn finish(self, from: Instant) -> Vec<Duration> {
        self.stop.store(true, Ordering::SeqCst);
        let thread = self.thread;
        let rounds = tokio::task::spawn_blocking(move || thread.join().unwrap())
            .await
            .unwrap();
        rounds
            .into_iter()
            .filter(|(started, _)| *started >= from)
            .map(|(_, took)| took)
            .collect()
    }
}

async fn oltp_rounds(url: &str, stop: &AtomicBool) -> Vec<(Instant, Duration)> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
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
    let mut rounds = Vec::new();
    let mut i = 0usize;
    while !stop.load(Ordering::SeqCst) {
        let id = ids[i * 7919 % ids.len()];
        i += 1;
        let started = Instant::now();
        client.query_one(&select, &[&id]).await.unwrap();
        client.execute(&update, &[&id]).await.unwrap();
        rounds.push((started, started.elapsed()));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    rounds
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

fn bench_actor() -> Actor {
    Actor {
        os_user: "bench".into(),
        ssh_client: None,
    }
}

/// All trash older than 30 days, never held for approval; `sleep` between batches.
fn bench_options(sleep: Duration) -> PurgeOptions {
    PurgeOptions {
        older_than: Some(OLDER_THAN),
        approval_above: u64::MAX,
        sleep,
        ..PurgeOptions::default()
    }
}

/// The plan (b) makes for all trash, made here untimed so (a) and (c) delete exactly
/// its rows: its job id and its tables, children first.
async fn bench_plan(pool: &DbPool, catalog: &Catalog) -> (i64, Vec<purge::PlannedTable>) {
    let (actor, options) = (bench_actor(), bench_options(Duration::ZERO));
    let mut conn = pool.get().await.unwrap();
    let plan = purge::plan(
        &mut conn,
        catalog,
        &Scope::All,
        &options,
        &actor,
        None,
        true,
    )
    .await
    .unwrap();
    (plan.job_id.unwrap(), plan.tables)
}

async fn raw_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute("SET statement_timeout = 0")
        .await
        .unwrap();
    client
}

/// `DELETE … USING purge_rows` of the job's rows of one table (the rows that are left).
fn delete_planned(catalog: &Catalog, job: i64, table: &TableName) -> String {
    let info = catalog.table(table).unwrap();
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
    format!(
        "DELETE FROM {} AS t USING trashcan.purge_rows AS r \
         WHERE r.job_id = {job} AND r.table_name = '{}' AND {}",
        table.quoted(),
        table,
        keys.join(" AND ")
    )
}

/// (a): the same rows as (b) would delete (the plan's frozen set, made first and not
/// timed), with one DELETE per table, children first, in one transaction.
async fn set_based(url: &str) -> Measured {
    let (pool, catalog) = catalog_and_pool(url).await;
    let (job, tables) = bench_plan(&pool, &catalog).await;
    let client = raw_client(url).await;
    let load = Oltp::start(url);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    client.batch_execute("BEGIN").await.unwrap();
    let mut rows = 0;
    for planned in &tables {
        let sql = delete_planned(&catalog, job, &planned.table_name());
        rows += client.execute(&sql, &[]).await.unwrap();
    }
    client.batch_execute("COMMIT").await.unwrap();
    let took = started.elapsed();
    let latencies = load.finish(started).await;
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
    let actor = bench_actor();
    // BENCH_PURGE_SLEEP_MS: a pause between batches, to see what it buys other clients.
    let sleep = std::env::var("BENCH_PURGE_SLEEP_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::ZERO, Duration::from_millis);
    let options = bench_options(sleep);
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
    let load = with_load.then(|| Oltp::start(url));
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
    let oltp_p99 = match load {
        Some(load) => percentile(&load.finish(started).await, 0.99),
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

/// One table's share of (c).
struct PerRowTable {
    table: TableName,
    planned: u64,
    sampled: u64,
    /// Sampled rows a key still refused (a reply not yet deleted under a comment): not
    /// timed, as a loop would have deleted the reply first.
    refused: u64,
    took: Duration,
}

impl PerRowTable {
    fn per_row(&self) -> Duration {
        self.took / (self.sampled.max(1) as u32)
    }
}

/// (c): one autocommit DELETE per row, the N+1 loop, on a sample of every table of the
/// plan. Children first, as (a): each table's sample is deleted row by row (timed),
/// then the rest of the table at once (untimed), so every sample meets the table as a
/// loop would, its children already gone. The loop's time is extrapolated per table,
/// rows × that table's time per row.
async fn per_row(url: &str, sample: i64) -> (Measured, Vec<PerRowTable>) {
    let (pool, catalog) = catalog_and_pool(url).await;
    let (job, tables) = bench_plan(&pool, &catalog).await;
    let client = raw_client(url).await;
    // Under the same concurrent client as (a) and (b): on two cores the loop's round
    // trips compete with it for the CPU just as their statements do.
    let load = Oltp::start(url);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let mut shares = Vec::new();
    for planned in &tables {
        let table = planned.table_name();
        let info = catalog.table(&table).unwrap();
        let key_columns = info.key_columns();
        let parts: Vec<String> = (0..key_columns.len())
            .map(|i| format!("CAST(r.key AS json) ->> {i}"))
            .collect();
        // Spread over the table's rows by a hash of the key, the same sample every run.
        let keys = client
            .query(
                &format!(
                    "SELECT {} FROM trashcan.purge_rows AS r WHERE r.job_id = $1 \
                     AND r.table_name = $2 ORDER BY md5(r.key) LIMIT $3",
                    parts.join(", ")
                ),
                &[&job, &table.to_string(), &sample],
            )
            .await
            .unwrap();
        let matches: Vec<String> = key_columns
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{} = CAST(${} AS {})", k.quoted(), i + 1, k.sql_type))
            .collect();
        let delete = client
            .prepare_typed(
                &format!(
                    "DELETE FROM {} WHERE {}",
                    table.quoted(),
                    matches.join(" AND ")
                ),
                &vec![tokio_postgres::types::Type::TEXT; key_columns.len()],
            )
            .await
            .unwrap();
        let mut share = PerRowTable {
            table: table.clone(),
            planned: planned.rows,
            sampled: 0,
            refused: 0,
            took: Duration::ZERO,
        };
        for key in &keys {
            let values: Vec<String> = (0..key_columns.len()).map(|i| key.get(i)).collect();
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = values
                .iter()
                .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            let one = Instant::now();
            match client.execute(&delete, &params).await {
                Ok(_) => {
                    share.took += one.elapsed();
                    share.sampled += 1;
                }
                Err(_) => share.refused += 1,
            }
        }
        client
            .execute(&delete_planned(&catalog, job, &table), &[])
            .await
            .unwrap();
        shares.push(share);
    }
    let latencies = load.finish(started).await;
    let rows: u64 = shares.iter().map(|s| s.planned).sum();
    let took: Duration = shares
        .iter()
        .map(|s| s.per_row() * (s.planned as u32))
        .sum();
    (
        Measured {
            rows,
            took,
            oltp_p99: percentile(&latencies, 0.99),
            batch_p50: Duration::ZERO,
            batch_p99: Duration::ZERO,
        },
        shares,
    )
}

fn rate(m: &Measured) -> f64 {
    m.rows as f64 / m.took.as_secs_f64().max(0.001)
}

/// The OLTP client alone for 10 s: its p99 with nothing else running.
async fn quiet_p99(base: &str) -> Duration {
    let quiet = copy(base, "trashcan_bench_purge_quiet").await;
    let load = Oltp::start(&quiet);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let from = Instant::now();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let p99 = percentile(&load.finish(from).await, 0.99);
    drop_copy(base, "trashcan_bench_purge_quiet").await;
    p99
}

/// One round's figures.
struct Round {
    quiet_p99: Duration,
    a: Measured,
    b: Measured,
    planning: Duration,
}

impl Round {
    fn b_share(&self) -> f64 {
        rate(&self.b) / rate(&self.a)
    }
    fn oltp_a(&self) -> f64 {
        self.a.oltp_p99.as_secs_f64() / self.quiet_p99.as_secs_f64()
    }
    fn oltp_b(&self) -> f64 {
        self.b.oltp_p99.as_secs_f64() / self.quiet_p99.as_secs_f64()
    }
}

fn median_of(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    // BENCH_PURGE_ROUNDS: how many times (quiet, (a), (b)) are measured; the OLTP
    // figures move a lot between runs on a shared two-core machine, so medians count.
    let round_count: usize = std::env::var("BENCH_PURGE_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
        .max(1);
    template(&base).await;

    let mut rounds = Vec::new();
    let mut rss = None;
    for round in 1..=round_count {
        let quiet_p99 = quiet_p99(&base).await;
        eprintln!("round {round}: OLTP p99 alone: {}", ms(quiet_p99));

        let a_url = copy(&base, "trashcan_bench_purge_a").await;
        let a = set_based(&a_url).await;
        drop_copy(&base, "trashcan_bench_purge_a").await;
        eprintln!(
            "round {round}: (a) {} rows in {:.2}s",
            a.rows,
            a.took.as_secs_f64()
        );

        let b_url = copy(&base, "trashcan_bench_purge_b").await;
        // The first round also purges ~12k rows first, for the memory comparison.
        let small = if rss.is_none() {
            let rss_start = peak_rss_kib();
            let small = trashcan_purge(
                &b_url,
                Scope::Table(TableName::new(Some("public"), "payments")),
                false,
            )
            .await;
            Some((rss_start, peak_rss_kib(), small.0.rows))
        } else {
            None
        };
        let (b, planning) = trashcan_purge(&b_url, Scope::All, true).await;
        if let Some((start, after_small, small_rows)) = small {
            rss = Some((start, after_small, small_rows, peak_rss_kib(), b.rows));
        }
        drop_copy(&base, "trashcan_bench_purge_b").await;
        eprintln!(
            "round {round}: (b) {} rows in {:.2}s (+{:.2}s planning)",
            b.rows,
            b.took.as_secs_f64(),
            planning.as_secs_f64()
        );
        rounds.push(Round {
            quiet_p99,
            a,
            b,
            planning,
        });
    }

    let c_url = copy(&base, "trashcan_bench_purge_c").await;
    let (c, shares) = per_row(&c_url, 1_000).await;
    drop_copy(&base, "trashcan_bench_purge_c").await;

    println!("Each round, on fresh copies:\n");
    println!(
        "| round | OLTP p99 alone | (a) rows/s | (b) rows/s, % of (a) | (b) batch p50 / p99 | (b) plan | OLTP p99 during (a) / (b) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (n, r) in rounds.iter().enumerate() {
        println!(
            "| {} | {} | {:.0} | {:.0}, {:.0} % | {} / {} | {:.1} s | {} ({:.2}×) / {} ({:.2}×) |",
            n + 1,
            ms(r.quiet_p99),
            rate(&r.a),
            rate(&r.b),
            r.b_share() * 100.0,
            ms(r.b.batch_p50),
            ms(r.b.batch_p99),
            r.planning.as_secs_f64(),
            ms(r.a.oltp_p99),
            r.oltp_a(),
            ms(r.b.oltp_p99),
            r.oltp_b()
        );
    }
    println!("\n(c), per table (children first; 1,000 rows sampled per table):\n");
    println!("| table | rows planned | sampled | refused by a key | per row | |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for s in &shares {
        println!(
            "| {} | {} | {} | {} | {:.3} ms | |",
            s.table,
            s.planned,
            s.sampled,
            s.refused,
            s.per_row().as_secs_f64() * 1000.0
        );
    }
    let med = |f: &dyn Fn(&Round) -> f64| median_of(rounds.iter().map(f).collect());
    let b_rate = med(&|r| rate(&r.b));
    println!("\nMedians over {} rounds:\n", rounds.len());
    println!("| measurement | result | goal |");
    println!("| --- | --- | --- |");
    println!(
        "| (a) set-based, one DELETE per table | {:.0} rows/s | |",
        med(&|r| rate(&r.a))
    );
    println!(
        "| (b) trashcan, batches (phase 2) | {b_rate:.0} rows/s = {:.0} % of (a) (median of the rounds' shares) | ≥ 75 % |",
        med(&|r| r.b_share()) * 100.0
    );
    println!(
        "| (b) batch latency p99 | {:.1} ms | ≤ 150 ms |",
        med(&|r| r.b.batch_p99.as_secs_f64() * 1000.0)
    );
    println!(
        "| (c) per-row DELETE, extrapolated from the samples | {} rows in {:.1} s: {:.0} rows/s; (b) is {:.0}× | (b) ≥ 50× |",
        c.rows,
        c.took.as_secs_f64(),
        rate(&c),
        b_rate / rate(&c)
    );
    println!(
        "| OLTP p99 during (a) / during (b), × its p99 alone | {:.2}× / {:.2}× | (b) ≤ 1.7× |",
        med(&|r| r.oltp_a()),
        med(&|r| r.oltp_b())
    );
    if let Some((start, small, small_rows, big, big_rows)) = rss {
        println!(
            "| peak RSS: start / after a {small_rows}-row purge / after the {big_rows}-row purge | {} / {} / {} MiB (+{:.1} MiB) | ≤ +10 MB |",
            start / 1024,
            small / 1024,
            big / 1024,
            (big.saturating_sub(small)) as f64 / 1024.0
        );
    }
}
