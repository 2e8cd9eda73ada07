//! Connecting as an operator would: TLS, wrong names, unreachable hosts, and cancelling
//! a query on the server when the operator moves on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{PgDb, conn};
use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};

#[tokio::test(flavor = "multi_thread")]
async fn sslmode_require_encrypts_the_session() {
    let Some(db) = PgDb::create("tls").await else {
        return;
    };
    let url = db.url.replace("sslmode=disable", "sslmode=require");
    let target = DbTarget::parse(&url).unwrap();
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let mut c = conn(&pool).await;
    let found = rows::query(
        &mut c,
        "SELECT CAST(ssl AS text) FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        found[0].text(0).as_deref(),
        Some("true"),
        "session is not encrypted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_full_without_a_trusted_ca_is_refused_clearly() {
    let Some(db) = PgDb::create("tlsverify").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A CA that did not sign the server's certificate.
    let ca = dir.path().join("ca.pem");
    let status = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test-ca",
        ])
        .arg("-keyout")
        .arg(dir.path().join("ca.key"))
        .arg("-out")
        .arg(&ca)
        .stderr(std::process::Stdio::null())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("NOTICE: openssl unavailable; skipping verify-full refusal test");
        return;
    }
    let url = db.url.replace(
        "sslmode=disable",
        &format!("sslmode=verify-full&sslrootcert={}", ca.display()),
    );
    let err = DbPool::connect(&DbTarget::parse(&url).unwrap(), &SessionSettings::default())
        .await
        .err()
        .expect("an untrusted certificate must be refused");
    assert!(err.message.contains("cannot connect"), "{err}");
    assert!(err.hint.unwrap().contains("sslmode"));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_database_and_unreachable_host_get_clear_errors() {
    if PgDb::create("probe").await.is_none() {
        return;
    }
    let missing =
        DbTarget::parse("postgres://postgres:hunter2@127.0.0.1:5432/no_such_db_here").unwrap();
    let err = DbPool::connect(&missing, &SessionSettings::default())
        .await
        .err()
        .unwrap();
    assert!(err.message.contains("does not exist"), "{err}");
    assert!(!err.message.contains("hunter2"), "password leaked: {err}");
    assert!(err.hint.as_deref().unwrap().contains("database name"));

    let unreachable =
        DbTarget::parse("postgres://postgres@127.0.0.1:1/db?connect_timeout=3").unwrap();
    let started = Instant::now();
    let err = DbPool::connect(&unreachable, &SessionSettings::default())
        .await
        .err()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.message.contains("cannot connect"), "{err}");
    assert!(
        err.hint.as_deref().unwrap().contains("reachable"),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn statement_timeout_bounds_every_query() {
    let Some(db) = PgDb::create("timeout").await else {
        return;
    };
    let settings = SessionSettings {
        statement_timeout: Duration::from_millis(300),
        ..SessionSettings::default()
    };
    let pool = DbPool::connect(&db.target(), &settings).await.unwrap();
    let mut c = conn(&pool).await;
    let err = rows::query(&mut c, "SELECT CAST(pg_sleep(5) AS text)", &[])
        .await
        .unwrap_err();
    let classified = trashcan::engine::EngineError::from_query(
        err,
        &trashcan::engine::sql::TableName::new(None, "t"),
    );
    assert_eq!(
        classified.kind,
        trashcan::engine::ErrorKind::Timeout,
        "{classified}"
    );
}

/// The console's generated statements (a closure over sixty tables is 1,600
/// expressions) would pass PostgreSQL's JIT thresholds and spend seconds compiling
/// what runs in milliseconds: its sessions turn JIT off.
#[tokio::test(flavor = "multi_thread")]
async fn sessions_run_without_jit() {
    let Some(db) = PgDb::create("jit").await else {
        return;
    };
    let pool = DbPool::connect(&db.target(), &SessionSettings::default())
        .await
        .unwrap();
    let mut c = conn(&pool).await;
    let found = rows::query(&mut c, "SELECT current_setting('jit')", &[])
        .await
        .unwrap();
    assert_eq!(found[0].text(0).as_deref(), Some("off"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_abandoned_query_is_cancelled_on_the_server() {
    let Some(db) = PgDb::create("cancel").await else {
        return;
    };
    let pool = db.pool().await;
    let mut c = conn(&pool).await;
    let canceller = pool
        .canceller(&c)
        .expect("PostgreSQL connections can cancel");
    let marker = format!("trashcan_cancel_probe_{}", std::process::id());
    let sql = format!("SELECT CAST(pg_sleep(20) AS text) AS {marker}");
    let task = tokio::spawn(async move { rows::query(&mut c, &sql, &[]).await.map(|_| ()) });

    let admin = db.pool().await;
    let mut watcher = conn(&admin).await;
    let running = format!(
        "SELECT CAST(count(*) AS text) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%{marker}%' AND pid <> pg_backend_pid()"
    );
    let count = async |w: &mut trashcan::db::DbConn| {
        rows::query(w, &running, &[]).await.unwrap()[0]
            .int(0)
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while count(&mut watcher).await == 0 {
        assert!(Instant::now() < deadline, "the slow query never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What the worker does when the operator moves on: abort the task, cancel on the server.
    task.abort();
    canceller.cancel().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while count(&mut watcher).await > 0 {
        assert!(
            Instant::now() < deadline,
            "query still running on the server after cancel"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
