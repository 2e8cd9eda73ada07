//! Rows past retention, as the tables pane and `trashcan tables` show them: each table's
//! own retention from the config, else the default; epoch-millisecond conventions too;
//! nothing for a table that records no deletion time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::trash;

const SCHEMA: &str = "
CREATE TABLE notes (id BIGINT PRIMARY KEY, deleted_at {ts});
CREATE TABLE memos (id BIGINT PRIMARY KEY, deleted_at {ts});
CREATE TABLE events (id BIGINT PRIMARY KEY, deleted_at_ms BIGINT NOT NULL DEFAULT 0);
CREATE TABLE flags (id BIGINT PRIMARY KEY, is_deleted BOOLEAN NOT NULL DEFAULT FALSE);
";

const CONFIG: &str = "
[tables.notes]
retention_days = 7

[tables.flags]
column = \"is_deleted\"
";

fn ago(db: &Db, days: u32) -> String {
    if db.pg {
        format!("now() - interval '{days} days'")
    } else {
        format!("datetime('now', '-{days} days')")
    }
}

fn ago_ms(db: &Db, days: u32) -> String {
    if db.pg {
        format!("CAST(extract(epoch FROM now() - interval '{days} days') * 1000 AS BIGINT)")
    } else {
        format!("CAST((julianday('now', '-{days} days') - 2440587.5) * 86400000 AS INTEGER)")
    }
}

async fn past_retention(db: &Db) {
    db.exec(SCHEMA).await;
    let mut sql = String::new();
    // Trashed 1, 10, 40 and 400 days ago, and two live rows, in each timestamp table.
    for table in ["notes", "memos"] {
        for (id, days) in [(1, 1), (2, 10), (3, 40), (4, 400)] {
            sql += &format!("INSERT INTO {table} VALUES ({id}, {});\n", ago(db, days));
        }
        sql += &format!("INSERT INTO {table} VALUES (5, NULL), (6, NULL);\n");
    }
    for (id, days) in [(1, 1), (2, 10), (3, 40), (4, 400)] {
        sql += &format!("INSERT INTO events VALUES ({id}, {});\n", ago_ms(db, days));
    }
    sql += "INSERT INTO events VALUES (5, 0);\n";
    sql += "INSERT INTO flags VALUES (1, TRUE), (2, FALSE);\n";
    db.exec(&sql).await;

    let catalog = db.catalog(&config(CONFIG)).await;
    let mut conn = db.conn().await;
    let mut figures = Vec::new();
    for name in ["notes", "memos", "events", "flags"] {
        let table = catalog
            .soft_delete_tables()
            .find(|t| t.name.name == name)
            .unwrap_or_else(|| panic!("{name} soft-deletes"));
        let stats = trash::table_stats(&mut conn, table, 30).await.unwrap();
        figures.push((
            name,
            stats.trashed,
            stats.past_retention,
            stats.retention_days,
        ));
    }
    assert_eq!(
        figures,
        vec![
            // Its own 7 days: 10, 40 and 400 days ago.
            ("notes", 4, Some(3), 7),
            // The default 30 days: 40 and 400 days ago.
            ("memos", 4, Some(2), 30),
            ("events", 4, Some(2), 30),
            // A flag without a time: no cutoff can apply.
            ("flags", 1, None, 30),
        ]
    );

    // `trashcan tables` prints the same figures.
    let file = db.config_file(CONFIG);
    let out = db.bin(Some(&file), &["tables"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let notes = text.lines().find(|l| l.contains("notes")).unwrap();
    assert!(notes.contains("3 (7d)"), "{text}");
    let memos = text.lines().find(|l| l.contains("memos")).unwrap();
    assert!(memos.contains("2 (30d)"), "{text}");
}

on_both!(
    past_retention,
    past_retention_sqlite,
    past_retention_postgres
);

/// `trashcan purge --retention`: each table past its own retention, in one job.
async fn purge_by_retention(db: &Db) {
    db.exec(SCHEMA).await;
    let mut sql = String::new();
    for table in ["notes", "memos"] {
        for (id, days) in [(1, 1), (2, 10), (3, 40)] {
            sql += &format!("INSERT INTO {table} VALUES ({id}, {});\n", ago(db, days));
        }
    }
    db.exec(&sql).await;
    let file = db.config_file(CONFIG);
    let out = db.bin(Some(&file), &["purge", "--retention", "--older-than", "5d"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let out = db.bin(
        Some(&file),
        &["purge", "--retention", "--yes", "--reason", "nightly"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    // notes keeps 7 days (10 and 40 days ago go), memos the default 30 (40 goes).
    assert_eq!(db.keys("notes", &["id"]).await, set(&["1"]));
    assert_eq!(db.keys("memos", &["id"]).await, set(&["1", "2"]));
}

on_both!(
    purge_by_retention,
    purge_by_retention_sqlite,
    purge_by_retention_postgres
);
