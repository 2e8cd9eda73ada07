//! A restore killed between its data writes and its commit leaves no trace: neither the
//! rows nor the audit record. The real binary runs `trashcan restore` and gets SIGKILL
//! while its last UPDATE is held up, after the audit row and the first tables are
//! written: on PostgreSQL by a lock another session holds, on SQLite by a slow trigger.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::PgDb;
use trashcan::db::migrate::{self, MigrationSet};

const SCHEMA: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at TIMESTAMPTZ);
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id),
    deleted_at TIMESTAMPTZ);
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id),
    deleted_at TIMESTAMPTZ);
INSERT INTO users VALUES (1, 'ann@x', '2026-01-10 12:00:00+00');
INSERT INTO posts VALUES (10, 1, '2026-01-10 12:00:01+00');
INSERT INTO comments VALUES (100, 10, '2026-01-10 12:00:02+00');
";

async fn client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn count(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_between_write_and_commit_leaves_neither_rows_nor_audit() {
    let Some(db) = PgDb::create("restore_killed").await else {
        return;
    };
    db.exec(SCHEMA).await;
    migrate::run(&db.target(), MigrationSet::Console)
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    // Long enough that the restore is still waiting when it is killed.
    std::fs::write(&config, "[console]\nlock_timeout = \"60s\"\n").unwrap();

    // The write order is: lock and re-check the rows, the audit row, then users, posts
    // and comments. SHARE mode lets the row locks through and stops the UPDATE of
    // comments, the last write.
    let blocker = client(&db.url).await;
    blocker
        .batch_execute("BEGIN; LOCK TABLE comments IN SHARE MODE")
        .await
        .unwrap();

    let mut restore = Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .args(["--database-url", &db.url, "--config"])
        .arg(&config)
        .args([
            "restore",
            "--table",
            "users",
            "--key",
            "1",
            "--with-group",
            "--reason",
            "killed",
        ])
        .env("HOME", home.path())
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let watcher = client(&db.url).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting = count(
            &watcher,
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = 'trashcan' AND wait_event_type = 'Lock' \
               AND query LIKE 'UPDATE \"public\".\"comments\"%'",
        )
        .await;
        if waiting == 1 {
            break;
        }
        if let Some(status) = restore.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(restore.stderr.as_mut().unwrap(), &mut err).unwrap();
            panic!("the restore ended ({status}) instead of waiting on the lock: {err}");
        }
        assert!(
            Instant::now() < deadline,
            "the restore never reached the comments UPDATE"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // By now the same transaction has written the audit row and the users and posts rows
    // (it holds their write locks).
    let held = count(
        &watcher,
        "SELECT count(DISTINCT c.relname) FROM pg_locks l \
         JOIN pg_class c ON c.oid = l.relation \
         JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE a.application_name = 'trashcan' AND l.mode = 'RowExclusiveLock' AND l.granted \
           AND c.relname IN ('audit_log', 'users', 'posts')",
    )
    .await;
    assert_eq!(
        held, 3,
        "the audit row, users and posts are written before the kill"
    );

    restore.kill().unwrap();
    restore.wait().unwrap();
    blocker.batch_execute("COMMIT").await.unwrap();

    // The server finds the client gone once the lock is released, and rolls back.
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(
        &watcher,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'trashcan'",
    )
    .await
        > 0
    {
        assert!(
            Instant::now() < deadline,
            "the killed session never went away"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for table in ["users", "posts", "comments"] {
        assert_eq!(
            count(
                &watcher,
                &format!("SELECT count(*) FROM {table} WHERE deleted_at IS NULL")
            )
            .await,
            0,
            "{table} is still all in the trash"
        );
    }
    assert_eq!(
        count(&watcher, "SELECT count(*) FROM trashcan.audit_log").await,
        0,
        "no audit row for a change that never committed"
    );

    // And the same restore, unhindered, goes through with its audit row.
    let status = Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .args(["--database-url", &db.url, "--config"])
        .arg(&config)
        .args(["restore", "--table", "users", "--key", "1", "--with-group"])
        .env("HOME", home.path())
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{status}");
    assert_eq!(
        count(
            &watcher,
            "SELECT count(*) FROM comments WHERE deleted_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        count(&watcher, "SELECT count(*) FROM trashcan.audit_log").await,
        1
    );
}

/// SQLite: the same, with a trigger that keeps the last UPDATE busy (SQLite has no lock
/// another session could hold inside someone else's write). While the restore is inside
/// its write transaction, a second writer gets "database is locked" at once; the process
/// is killed there, and the next opener finds neither rows nor audit record.
#[tokio::test(flavor = "multi_thread")]
async fn killed_sqlite_restore_leaves_neither_rows_nor_audit() {
    let db = common::SqliteDb::create();
    db.exec(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, deleted_at TIMESTAMP);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
             deleted_at TIMESTAMP);
         CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id),
             deleted_at TIMESTAMP);
         INSERT INTO users VALUES (1, 'ann@x', '2026-01-10 12:00:00');
         INSERT INTO posts VALUES (10, 1, '2026-01-10 12:00:01');
         INSERT INTO comments VALUES (100, 10, '2026-01-10 12:00:02');
         CREATE TABLE spin (n INTEGER);
         CREATE TRIGGER slow_comments BEFORE UPDATE ON comments BEGIN
             INSERT INTO spin SELECT count(*) FROM (WITH RECURSIVE c(x) AS
                 (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000000) SELECT x FROM c);
         END;",
    )
    .await;
    migrate::run(&db.target(), MigrationSet::Console)
        .await
        .unwrap();
    let url = format!("sqlite:{}", db.path.display());
    let mut restore = Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .args(["--database-url", &url])
        .args(["restore", "--table", "users", "--key", "1", "--with-group"])
        .env("HOME", db.dir.path())
        .env("XDG_CONFIG_HOME", db.dir.path().join("config"))
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Inside the write transaction, a second writer is refused at once.
    let settings = trashcan::db::SessionSettings {
        busy_timeout: Duration::ZERO,
        ..trashcan::db::SessionSettings::default()
    };
    let pool = trashcan::db::DbPool::connect(&db.target(), &settings)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut conn = pool.get().await.unwrap();
        let busy = trashcan::db::batch_execute(&mut conn, "BEGIN IMMEDIATE; ROLLBACK")
            .await
            .is_err();
        if busy {
            break;
        }
        assert!(
            restore.try_wait().unwrap().is_none(),
            "the restore ended before it was caught inside its transaction"
        );
        assert!(
            Instant::now() < deadline,
            "the restore never started writing"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The steps before the trigger take milliseconds; the trigger takes many seconds.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        restore.try_wait().unwrap().is_none(),
        "still inside the slow UPDATE"
    );
    restore.kill().unwrap();
    restore.wait().unwrap();
    drop(pool);

    let pool = db.pool().await;
    let mut conn = pool.get().await.unwrap();
    for sql in [
        "SELECT CAST(count(*) AS TEXT) FROM users WHERE deleted_at IS NULL",
        "SELECT CAST(count(*) AS TEXT) FROM posts WHERE deleted_at IS NULL",
        "SELECT CAST(count(*) AS TEXT) FROM comments WHERE deleted_at IS NULL",
        "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log",
    ] {
        let rows = trashcan::db::rows::query(&mut conn, sql, &[])
            .await
            .unwrap();
        assert_eq!(rows[0].text(0).as_deref(), Some("0"), "{sql}");
    }
}
