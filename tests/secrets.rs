//! The password in a database URL never shows: not on stdout or stderr (errors
//! included), not in the debug log, not in audit rows or purge jobs. PostgreSQL, whose
//! URLs carry passwords (this server trusts local connections, so any password works).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::PgDb;

const SECRET: &str = "S3cretPassw0rdXyz";

#[tokio::test(flavor = "multi_thread")]
async fn passwords_never_show() {
    let Some(pg) = PgDb::create("secrets").await else {
        return;
    };
    pg.exec(
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at TIMESTAMPTZ);
         INSERT INTO notes VALUES (1, 'a', '2020-01-01'), (2, 'b', '2020-01-01'),
             (3, 'c', '2020-01-01');",
    )
    .await;
    let url = pg.url.replace("postgres@", &format!("postgres:{SECRET}@"));
    assert!(url.contains(SECRET));
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_trashcan"))
            .args(args)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("TRASHCAN_LOG", "trace")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let mut printed = String::new();
    for args in [
        vec!["--database-url", &url, "--init", "tables"],
        vec![
            "--database-url",
            &url,
            "restore",
            "--table",
            "notes",
            "--key",
            "1",
            "--reason",
            "r",
        ],
        vec![
            "--database-url",
            &url,
            "purge",
            "--older-than",
            "30d",
            "--yes",
            "--reason",
            "r",
        ],
        vec!["--database-url", &url, "jobs", "list", "--json"],
        vec!["--database-url", &url, "audit", "--json"],
        vec![
            "--database-url",
            &url,
            "restore",
            "--table",
            "nope",
            "--key",
            "1",
        ],
    ] {
        printed += &run(&args);
    }
    // Errors that quote the connection.
    let unreachable = format!("postgres://u:{SECRET}@127.0.0.1:1/x?sslmode=disable");
    printed += &run(&["--database-url", &unreachable, "tables"]);
    let missing = url.replace(&pg.name, "trashcan_no_such_db_for_secrets");
    printed += &run(&["--database-url", &missing, "tables"]);
    assert!(
        printed.contains("cannot connect"),
        "the errors were produced: {printed}"
    );
    assert!(!printed.contains(SECRET), "printed: {printed}");

    let log =
        std::fs::read_to_string(home.path().join("data/trashcan/trashcan.log")).unwrap_or_default();
    assert!(!log.is_empty(), "the trace log was written");
    assert!(!log.contains(SECRET), "the log holds the password");

    let (client, connection) = tokio_postgres::connect(&pg.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    for table in ["trashcan.audit_log", "trashcan.purge_jobs"] {
        let rows = client
            .query(&format!("SELECT CAST(t.* AS TEXT) FROM {table} AS t"), &[])
            .await
            .unwrap();
        assert!(!rows.is_empty(), "{table} has rows to look at");
        for row in rows {
            let text: String = row.get(0);
            assert!(!text.contains(SECRET), "{table}: {text}");
        }
    }
}
