//! `trashcan restore` as scripts use it: the real binary on a SQLite file, its exit codes,
//! its JSON, and the database afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use common::SqliteDb;
use trashcan::db::migrate::{self, MigrationSet};

const SCHEMA: &str = "
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, deleted_at TIMESTAMP);
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
    deleted_at TIMESTAMP);
CREATE TABLE tags (post_id INTEGER NOT NULL REFERENCES posts (id), tag TEXT NOT NULL,
    deleted_at TIMESTAMP, PRIMARY KEY (post_id, tag));
INSERT INTO users VALUES (1, 'ann@x', '2026-01-10 12:00:00'), (2, 'bob@x', '2026-01-11 08:00:00'),
    (3, 'bob@x', NULL);
INSERT INTO posts VALUES (10, 1, '2026-01-10 12:00:01'), (11, 1, '2025-12-01 00:00:00');
INSERT INTO tags VALUES (10, 'a,b', '2026-01-10 12:00:02');
";

fn run(db: &SqliteDb, args: &[&str]) -> Output {
    let home = db.dir.path();
    Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .arg("--database-url")
        .arg(format!("sqlite:{}", db.path.display()))
        .arg("restore")
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

async fn scalar(db: &SqliteDb, sql: &str) -> String {
    let pool = db.pool().await;
    let mut conn = pool.get().await.unwrap();
    trashcan::db::rows::query(&mut conn, sql, &[])
        .await
        .unwrap()
        .first()
        .and_then(|r| r.text(0))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_json_and_the_database_agree() {
    let db = SqliteDb::create();
    db.exec(SCHEMA).await;
    migrate::run(&db.target(), MigrationSet::Console)
        .await
        .unwrap();

    // A dry run previews the group and changes nothing.
    let out = run(
        &db,
        &[
            "--table",
            "users",
            "--key",
            "1",
            "--with-group",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report = json(&out);
    assert_eq!(report["status"], "preview");
    assert_eq!(report["rows"], 3, "{report}");
    assert_eq!(report["stay_trashed"][0]["table"], "posts", "{report}");
    assert_eq!(
        scalar(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM users WHERE deleted_at IS NULL"
        )
        .await,
        "1"
    );

    // Bob's email is taken by a live row: refused, exit 3, the live row named.
    let out = run(&db, &["--table", "users", "--key", "2", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let report = json(&out);
    assert_eq!(report["status"], "refused");
    let blocker = report["blockers"][0].as_str().unwrap();
    assert!(blocker.contains("live row (3)"), "{blocker}");

    // The restore itself, with a reason, in text.
    let out = run(
        &db,
        &[
            "--table",
            "users",
            "--key",
            "1",
            "--with-group",
            "--reason",
            "ticket 9",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("restored (audit entry 1)"), "{text}");
    assert_eq!(
        scalar(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM tags WHERE deleted_at IS NULL"
        )
        .await,
        "1",
        "the composite-key tag came back with its post"
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT reason || ':' || CAST(row_count AS TEXT) FROM trashcan_audit_log"
        )
        .await,
        "ticket 9:3"
    );

    // Again: nothing left to restore is a refusal, not a success.
    let out = run(&db, &["--table", "users", "--key", "1"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");

    // A composite key, given as JSON because its value holds a comma: already live now.
    let out = run(
        &db,
        &["--table", "tags", "--key", r#"[10, "a,b"]"#, "--json"],
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(json(&out)["skipped"], 1);

    // Bad input: a clear message on stderr and exit 2.
    for (args, needle) in [
        (&["--table", "nope", "--key", "1"][..], "no table `nope`"),
        (
            &["--table", "tags", "--key", "10"][..],
            "key has 2 column(s)",
        ),
    ] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
