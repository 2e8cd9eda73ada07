//! Related-count benchmark on the demo's whale dataset (scale 100: 20,000 users, 990,000
//! comments, 550,000 likes; user 1 owns 10,000 posts with 490,000 comments under them).
//!
//!     cargo bench --bench related                      # local server, own database
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench related
//!
//! It creates (once, ~2 minutes) and reuses a database named `trashcan_bench_related`.
//! Counts go through `engine::related::preview`, the call the worker makes; frame times
//! come from the real `App` drawing into a test backend while a real worker counts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use diesel::connection::InstrumentationEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio_util::sync::CancellationToken;
use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::related::{self, RelatedOptions};
use trashcan::engine::sql::TableName;
use trashcan::tui::app::App;
use trashcan::tui::panes::status::StatusBar;
use trashcan::tui::theme::Theme;
use trashcan::worker::{self, Request};

const SCALE: u32 = 100;
const REPEATS: usize = 21;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn database(base: &str) -> String {
    let (admin, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("PostgreSQL reachable");
    tokio::spawn(connection);
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = 'trashcan_bench_related'",
            &[],
        )
        .await
        .unwrap()
        .is_some();
    let url = format!(
        "{}/trashcan_bench_related?sslmode=disable",
        base.rsplit_once('/').map(|(h, _)| h).unwrap_or(base)
    );
    let seeded = if exists {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .query_opt("SELECT count(*) FROM users", &[])
            .await
            .ok()
            .flatten()
            .map(|r| r.get::<_, i64>(0))
            == Some(200 * i64::from(SCALE))
    } else {
        false
    };
    if !seeded {
        for sql in [
            "DROP DATABASE IF EXISTS trashcan_bench_related WITH (FORCE)",
            "CREATE DATABASE trashcan_bench_related",
        ] {
            admin.batch_execute(sql).await.unwrap();
        }
        eprintln!("seeding the demo at scale {SCALE} …");
        let started = Instant::now();
        trashcan::demo::seed_target(&DbTarget::parse(&url).unwrap(), SCALE)
            .await
            .unwrap();
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        // Index-only scans need the visibility map; statistics feed the estimates.
        client.batch_execute("VACUUM ANALYZE").await.unwrap();
        eprintln!("seeded in {:.0}s", started.elapsed().as_secs_f64());
    }
    url
}

fn keys(ids: impl IntoIterator<Item = u32>) -> Vec<Vec<String>> {
    ids.into_iter().map(|i| vec![i.to_string()]).collect()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let url = database(&base).await;
    let target = DbTarget::parse(&url).unwrap();
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let (demo_config, _) = Config::parse(trashcan::demo::DEMO_CONFIG, "demo").unwrap();
    let config = Arc::new(demo_config);
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config).await.unwrap();
    // As many connections as the worker counts with by default.
    let mut conns = vec![pool.get().await.unwrap(), pool.get().await.unwrap()];
    let users = TableName::new(Some("public"), "users");
    let exact = RelatedOptions {
        scan_budget: None,
        ..RelatedOptions::default()
    };
    let budgeted = RelatedOptions::default();
    let stop = CancellationToken::new();

    // Trashed ordinary users: every id ending in 7 except the whale's neighbours.
    let typical: Vec<u32> = (1..=200).map(|i| i * 10 + 7).collect();
    let fifty: Vec<u32> = (0..50).map(|i| 2_007 + i * 10).collect();
    let cases: Vec<(&str, Vec<Vec<String>>, &RelatedOptions)> = vec![
        ("whale (user 1), exact", keys([1]), &exact),
        (
            "whale (user 1), first answer with the 100k scan budget",
            keys([1]),
            &budgeted,
        ),
        ("50 marked users, exact", keys(fifty.clone()), &exact),
    ];
    // Each case on one and on two connections, alternating within every repeat so
    // the machine's noise hits both alike.
    let mut results: Vec<(String, String)> = raw_baseline(&url, &fifty).await;
    let typical_cases: Vec<(String, Vec<Vec<String>>, &RelatedOptions)> = typical
        .iter()
        .map(|id| (format!("typical user {id}"), keys([*id]), &exact))
        .collect();
    for (name, roots, options) in &cases {
        let mut samples = [Vec::new(), Vec::new()];
        for _ in 0..REPEATS {
            for (ways, samples) in samples.iter_mut().enumerate() {
                let t = Instant::now();
                let report =
                    related::preview(&mut conns[..=ways], &catalog, &users, roots, options, &stop)
                        .await
                        .unwrap();
                samples.push(t.elapsed());
                assert!(!report.lines.is_empty());
            }
        }
        let [one, two] = samples;
        results.push((
            format!("{name}, median of {REPEATS}, 1 / 2 connections"),
            format!("{} / {}", ms(median(one)), ms(median(two))),
        ));
    }
    let mut samples = [Vec::new(), Vec::new()];
    for (_, roots, options) in &typical_cases {
        for (ways, samples) in samples.iter_mut().enumerate() {
            let t = Instant::now();
            related::preview(&mut conns[..=ways], &catalog, &users, roots, options, &stop)
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
    }
    let [one, two] = samples;
    results.push((
        format!(
            "typical user, exact, median over {} users, 1 / 2 connections",
            typical.len()
        ),
        format!("{} / {}", ms(median(one.clone())), ms(median(two.clone()))),
    ));
    results.push((
        "typical user, exact, p90, 1 / 2 connections".into(),
        format!(
            "{} / {}",
            ms(percentile(one, 0.9)),
            ms(percentile(two, 0.9))
        ),
    ));

    // Statements per preview, on one connection: the same for one row and for fifty
    // (set-based, no N+1).
    let statements = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = statements.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    for (label, roots) in [("1 row", keys([17])), ("50 rows", keys(fifty.clone()))] {
        statements.store(0, std::sync::atomic::Ordering::SeqCst);
        let one = std::slice::from_mut(&mut conn);
        let report = related::preview(one, &catalog, &users, &roots, &exact, &stop)
            .await
            .unwrap();
        results.push((
            format!("statements for {label} ({} paths)", report.lines.len()),
            statements
                .load(std::sync::atomic::Ordering::SeqCst)
                .to_string(),
        ));
    }
    drop(conn);
    drop(conns);

    results.extend(frame_times(pool, config).await);

    println!("| measurement | result |");
    println!("| --- | --- |");
    for (name, value) in results {
        println!("| {name} | {value} |");
    }
}

/// The reference from `../shared/notes/purge-baselines.md`, measured in the same run:
/// five per-table counts (posts, comments and likes under the posts, orders, payments)
/// as one hand-written statement, without the live/trashed split, group or recursion.
async fn raw_baseline(url: &str, fifty: &[u32]) -> Vec<(String, String)> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let sql = |users: &str| {
        format!(
            "SELECT (SELECT count(*) FROM posts WHERE user_id IN ({users})), \
             (SELECT count(*) FROM comments WHERE post_id IN \
                (SELECT id FROM posts WHERE user_id IN ({users}))), \
             (SELECT count(*) FROM likes WHERE post_id IN \
                (SELECT id FROM posts WHERE user_id IN ({users}))), \
             (SELECT count(*) FROM orders WHERE user_id IN ({users})), \
             (SELECT count(*) FROM payments WHERE order_id IN \
                (SELECT id FROM orders WHERE user_id IN ({users})))"
        )
    };
    let fifty: Vec<String> = fifty.iter().map(u32::to_string).collect();
    let mut out = Vec::new();
    for (name, users) in [
        ("whale", "1".to_owned()),
        ("typical user 217", "217".to_owned()),
        ("50 users", fifty.join(", ")),
    ] {
        let statement = sql(&users);
        let mut samples = Vec::new();
        for _ in 0..REPEATS {
            let t = Instant::now();
            client.simple_query(&statement).await.unwrap();
            samples.push(t.elapsed());
        }
        out.push((
            format!("raw SQL baseline, {name}: five per-table counts in one statement"),
            ms(median(samples)),
        ));
    }
    out
}

/// Draws the real app at 60 Hz while its worker counts: first while `j` is held through
/// 500 users (every move asks for counts), then while the whale is counted exactly.
async fn frame_times(pool: DbPool, config: Arc<Config>) -> Vec<(String, String)> {
    let (handle, mut replies) = worker::spawn(pool, config);
    let status = StatusBar {
        backend: "PostgreSQL".into(),
        database: "trashcan_bench_related".into(),
        ..StatusBar::default()
    };
    let mut app = App::new(handle.clone(), status, Theme::plain(), 200);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    app.start();
    let press = |app: &mut App, code| app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    let mut pump = async |app: &mut App, wait: Duration| {
        let deadline = Instant::now() + wait;
        while let Ok(Some(reply)) = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            replies.recv(),
        )
        .await
        {
            app.on_response(reply);
        }
    };
    pump(&mut app, Duration::from_secs(3)).await;
    press(&mut app, KeyCode::Char('G')); // users: the last table by name
    pump(&mut app, Duration::from_secs(2)).await;
    press(&mut app, KeyCode::Enter);
    let mut draws = Vec::new();
    let mut draw = |app: &mut App, draws: &mut Vec<Duration>| {
        let t = Instant::now();
        terminal.draw(|frame| app.draw(frame)).unwrap();
        draws.push(t.elapsed());
    };
    let held = Instant::now();
    for _ in 0..500 {
        press(&mut app, KeyCode::Char('j'));
        draw(&mut app, &mut draws);
        pump(&mut app, Duration::from_millis(16)).await;
    }
    let hold_time = held.elapsed();
    let settle = Instant::now();
    while app.is_busy() && settle.elapsed() < Duration::from_secs(30) {
        pump(&mut app, Duration::from_millis(16)).await;
        draw(&mut app, &mut draws);
    }
    let settled_after = settle.elapsed();
    let hold_draws = draws.clone();

    let mut whale_draws = Vec::new();
    handle.send(Request::Related {
        generation: u64::MAX,
        table: TableName::new(Some("public"), "users"),
        keys: vec![vec!["1".into()]],
        exact: true,
    });
    let whale = Instant::now();
    while whale.elapsed() < Duration::from_millis(1_500) {
        draw(&mut app, &mut whale_draws);
        pump(&mut app, Duration::from_millis(16)).await;
    }
    vec![
        (
            format!(
                "frame draw while holding j over 500 users ({:.1} s), p50 / p99 / max",
                hold_time.as_secs_f64()
            ),
            format!(
                "{} / {} / {}",
                ms(percentile(hold_draws.clone(), 0.5)),
                ms(percentile(hold_draws.clone(), 0.99)),
                ms(percentile(hold_draws, 1.0))
            ),
        ),
        (
            "last counts settled after the key was released".into(),
            ms(settled_after),
        ),
        (
            "frame draw while the whale is counted exactly, p50 / p99 / max".into(),
            format!(
                "{} / {} / {}",
                ms(percentile(whale_draws.clone(), 0.5)),
                ms(percentile(whale_draws.clone(), 0.99)),
                ms(percentile(whale_draws, 1.0))
            ),
        ),
    ]
}
