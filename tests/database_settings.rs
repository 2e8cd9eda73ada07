//! `[[databases]]` in the config, through the binary on both backends: an entry marked
//! `read_only` that matches the connection makes the session read-only on the server
//! (a restore and a purge are refused and change nothing, the audit log included); an
//! entry that does not match leaves it writable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;

const NOTES: &str = "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});
INSERT INTO notes VALUES (1, 'a', '2020-01-01 00:00:00'), (2, 'b', '2020-01-01 00:00:00');";

/// A part of the connection's display form that names this database only.
fn part_of_connection(db: &Db) -> String {
    if db.pg {
        db.url
            .rsplit('/')
            .next()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned()
    } else {
        db.url.rsplit('/').next().unwrap().to_owned()
    }
}

async fn read_only_entry(db: &Db) {
    db.exec(NOTES).await;
    let audit_rows = || async {
        db.count(&format!("SELECT 1 FROM {}", db.audit_table()))
            .await
    };
    let listed = db.config_file(&format!(
        "[[databases]]\nmatch = \"{}\"\nname = \"notes prod\"\nread_only = true\nproduction = true\n",
        part_of_connection(db)
    ));
    let out = db.bin(
        Some(&listed),
        &["restore", "--table", "notes", "--key", "1", "--reason", "x"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    let text = describe(&out).to_lowercase();
    assert!(
        text.contains("read-only") || text.contains("readonly"),
        "the server refuses: {text}"
    );
    let out = db.bin(
        Some(&listed),
        &["purge", "--older-than", "30d", "--yes", "--reason", "x"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        db.count("SELECT 1 FROM notes WHERE deleted_at IS NOT NULL")
            .await,
        2,
        "nothing restored or purged"
    );
    assert_eq!(audit_rows().await, 0, "nothing audited: nothing happened");
    // Reading still works.
    let out = db.bin(Some(&listed), &["tables"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));

    // An entry for another database leaves this one writable.
    let other =
        db.config_file("[[databases]]\nmatch = \"some-other-host:5432/app\"\nread_only = true\n");
    let out = db.bin(
        Some(&other),
        &["restore", "--table", "notes", "--key", "1", "--reason", "x"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        db.count("SELECT 1 FROM notes WHERE deleted_at IS NULL")
            .await,
        1
    );
    assert_eq!(audit_rows().await, 1);
}

on_both!(
    read_only_entry,
    read_only_entry_sqlite,
    read_only_entry_postgres
);
