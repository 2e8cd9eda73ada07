//! Read-only sessions hold even when the console's own checks are bypassed: every
//! destructive engine call on a read-only session (`default_transaction_read_only` on
//! PostgreSQL, `PRAGMA query_only` on SQLite) is refused by the database itself, and
//! nothing changes — data, jobs and the audit log included. Reading still works.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::time::Duration;

use common::PgDb;
use purge_db::*;
use trashcan::db::{DbPool, SessionSettings};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ChangeOptions};
use trashcan::engine::purge::{self, JobControl, PurgeOptions, Scope};
use trashcan::engine::sql::TableName;

const NOTES: &str = "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});
INSERT INTO notes VALUES (1, 'a', '2020-01-01 00:00:00'), (2, 'b', '2020-01-01 00:00:00'),
    (3, 'c', NULL);";

async fn every_write_is_refused_by_the_database(db: &Db) {
    db.exec(NOTES).await;
    let notes = TableName::new(db.pg.then_some("public"), "notes");
    // Made on a writable session: a job waiting for approval, and one ready to run.
    let catalog = db.catalog(&config("")).await;
    let waiting = db
        .plan(
            &catalog,
            &Scope::Table(notes.clone()),
            &PurgeOptions {
                approval_above: 1,
                ..options(100, Duration::ZERO)
            },
            Some("r"),
            true,
        )
        .await
        .unwrap()
        .job_id
        .unwrap();
    let ready = db
        .plan(
            &catalog,
            &Scope::Table(notes.clone()),
            &options(100, Duration::ZERO),
            None,
            true,
        )
        .await
        .unwrap()
        .job_id
        .unwrap();
    let before = db.dump_everything().await;

    let settings = SessionSettings {
        read_only: true,
        ..SessionSettings::default()
    };
    let pool = DbPool::connect(&db.target, &settings).await.unwrap();
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config("")).await.unwrap();
    let refused = |what: &str, message: String| {
        let lower = message.to_lowercase();
        assert!(
            lower.contains("read-only")
                || lower.contains("readonly")
                || lower.contains("read only"),
            "{what}: refused by the database, saying why: {message}"
        );
    };

    // Restore and move to trash: the previews read; the writes are refused.
    let preview = change::plan_restore(
        &mut conn,
        &catalog,
        &notes,
        &[vec!["1".into()]],
        &ChangeOptions::default(),
    )
    .await
    .unwrap();
    let err = change::apply(&mut conn, &catalog, &preview.change, &actor(), None)
        .await
        .unwrap_err();
    refused("restore", err.describe());
    let preview = change::plan_trash(
        &mut conn,
        &catalog,
        &notes,
        &[vec!["3".into()]],
        &ChangeOptions::default(),
    )
    .await
    .unwrap();
    let err = change::apply(&mut conn, &catalog, &preview.change, &actor(), None)
        .await
        .unwrap_err();
    refused("trash", err.describe());

    // Purges: a plan that would be kept (refused before it writes: the session may not),
    // running a ready job, abandoning, approving.
    let err = purge::plan(
        &mut conn,
        &catalog,
        &Scope::Table(notes.clone()),
        &options(100, Duration::ZERO),
        &actor(),
        None,
        true,
    )
    .await
    .unwrap_err();
    refused("purge plan", err.message);
    drop(conn);
    let err = purge::run(
        &pool,
        &catalog,
        ready,
        &actor(),
        &JobControl::default(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    refused("purge run", err.message);
    let mut conn = pool.get().await.unwrap();
    let err = purge::abandon(&mut conn, ready, &actor(), Some("x"))
        .await
        .unwrap_err();
    refused("abandon", err.message);
    let approver = trashcan::engine::audit::Actor {
        os_user: "sam".into(),
        ssh_client: None,
    };
    let err = purge::approve(
        &mut conn,
        waiting,
        &approver,
        true,
        "ok",
        Duration::from_secs(60),
    )
    .await
    .unwrap_err();
    refused("approve", err.message);

    // The audit log, written directly.
    let entry = trashcan::engine::audit::AuditEntry {
        actor: actor(),
        action: "forged".into(),
        tables: Vec::new(),
        reason: None,
        job_id: None,
        context: None,
    };
    let err = trashcan::engine::audit::record(&mut conn, &entry)
        .await
        .unwrap_err();
    refused("audit record", err.message);

    // Reading still works, and nothing changed anywhere.
    let page = trashcan::engine::trash::table_stats(&mut conn, catalog.table(&notes).unwrap(), 30)
        .await
        .unwrap();
    assert_eq!(page.trashed, 2);
    drop(conn);
    assert_eq!(db.dump_everything().await, before, "nothing was written");
}

on_both!(
    every_write_is_refused_by_the_database,
    read_only_sqlite,
    read_only_postgres
);
