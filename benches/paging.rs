//! Paging benchmark: time to fetch page 1 and page 5,000 of a 1,000,000-row trash on
//! PostgreSQL through the same engine call the console's worker makes, and the process's
//! peak RSS after walking every page.
//!
//!     cargo bench --bench paging                       # local server, own database
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench paging
//!
//! It creates (once) and reuses a database named `trashcan_bench_paging`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::filter::Filter;
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{self, Anchor, PageQuery};

const ROWS: i64 = 1_000_000;
const PAGE: u32 = 200;
const TARGET_PAGE: usize = 5_000;
const REPEATS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (admin, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("PostgreSQL reachable");
    tokio::spawn(connection);
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = 'trashcan_bench_paging'",
            &[],
        )
        .await
        .unwrap()
        .is_some();
    if !exists {
        admin
            .batch_execute("CREATE DATABASE trashcan_bench_paging")
            .await
            .unwrap();
    }
    let url = format!(
        "{}/trashcan_bench_paging?sslmode=disable",
        base.rsplit_once('/').map(|(h, _)| h).unwrap_or(&base)
    );
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let have: i64 = client
        .query_opt("SELECT count(*) FROM bench_trash", &[])
        .await
        .ok()
        .flatten()
        .map(|r| r.get(0))
        .unwrap_or(0);
    if have != ROWS {
        eprintln!("building bench_trash with {ROWS} trashed rows …");
        let started = Instant::now();
        client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS bench_trash;
                 CREATE TABLE bench_trash (id bigint PRIMARY KEY, owner text NOT NULL, title text,
                     deleted_by text, deleted_at timestamptz);
                 INSERT INTO bench_trash
                 SELECT i, 'user' || (i % 5000), 'Item #' || i, 'ops',
                        now() - make_interval(secs => (i / 100) * 60)
                 FROM generate_series(1, {ROWS}) AS i;
                 CREATE INDEX bench_trash_trashed ON bench_trash (deleted_at, id) WHERE deleted_at IS NOT NULL;"
            ))
            .await
            .unwrap();
        // VACUUM refuses to run inside the implicit transaction of a multi-statement batch.
        client
            .batch_execute("VACUUM ANALYZE bench_trash")
            .await
            .unwrap();
        eprintln!("built in {:.1}s", started.elapsed().as_secs_f64());
    }

    let target = DbTarget::parse(&url).unwrap();
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &Config::default()).await.unwrap();
    let table = catalog
        .table(&TableName::new(Some("public"), "bench_trash"))
        .unwrap();
    let query = |anchor| PageQuery {
        live: false,
        anchor,
        filter: Filter::default(),
        newest_first: true,
        limit: PAGE,
    };

    let mut first = Vec::new();
    for _ in 0..REPEATS {
        let t = Instant::now();
        let page = trash::page(&mut conn, table, &query(Anchor::First))
            .await
            .unwrap();
        first.push(t.elapsed());
        assert_eq!(page.rows.len(), PAGE as usize);
    }

    // Walk to the page before the target to get its cursor; keyset paging means the
    // target page costs the same whether reached by walking or by a remembered cursor.
    let walk_started = Instant::now();
    let mut anchor = Anchor::First;
    let mut seen = 0usize;
    for _ in 1..TARGET_PAGE {
        let page = trash::page(&mut conn, table, &query(anchor.clone()))
            .await
            .unwrap();
        seen += page.rows.len();
        anchor = Anchor::After(page.rows.last().unwrap().cursor.clone());
    }
    let walk = walk_started.elapsed();
    let mut target_page = Vec::new();
    let mut last_rows = 0;
    for _ in 0..REPEATS {
        let t = Instant::now();
        let page = trash::page(&mut conn, table, &query(anchor.clone()))
            .await
            .unwrap();
        target_page.push(t.elapsed());
        last_rows = page.rows.len();
    }
    seen += last_rows;
    let mut last = Vec::new();
    for _ in 0..REPEATS {
        let t = Instant::now();
        trash::page(&mut conn, table, &query(Anchor::Last))
            .await
            .unwrap();
        last.push(t.elapsed());
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let count: i64 = rows::query(
        &mut conn,
        "SELECT CAST(count(*) AS text) FROM bench_trash WHERE deleted_at IS NOT NULL",
        &[],
    )
    .await
    .unwrap()[0]
        .int(0)
        .unwrap();
    assert_eq!(
        seen as i64, count,
        "the walk saw every trashed row exactly once"
    );

    println!("| measurement | result |");
    println!("| --- | --- |");
    println!("| trashed rows | {count} |");
    println!("| page size | {PAGE} |");
    println!(
        "| page 1, median of {REPEATS} | {:.2} ms |",
        ms(median(first))
    );
    println!(
        "| page {TARGET_PAGE}, median of {REPEATS} | {:.2} ms |",
        ms(median(target_page))
    );
    println!(
        "| last page (`G`), median of {REPEATS} | {:.2} ms |",
        ms(median(last))
    );
    println!(
        "| walking pages 1–{} one after another | {:.1} s ({:.2} ms/page) |",
        TARGET_PAGE - 1,
        walk.as_secs_f64(),
        ms(walk) / (TARGET_PAGE - 1) as f64
    );
    println!(
        "| peak RSS of the process after the walk | {:.1} MiB |",
        peak_rss_kib() as f64 / 1024.0
    );
}
