//! Two-person supervision of large purges, on both backends: a plan above the approval
//! threshold waits; self-approval, a non-supervisor and a job not waiting are refused; a
//! second person approves and the job runs; an expired approval and a plan changed after
//! approval are void and the job waits again; each step leaves exactly one audit row.
//! Then the same through the binary, with roles from the config, and a viewer's
//! read-only session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::time::Duration;

use common::PgDb;
use purge_db::*;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::engine::audit::Actor;
use trashcan::engine::error::ErrorKind;
use trashcan::engine::purge::{self, RunOutcome, Scope};
use trashcan::engine::sql::TableName;

const NOTES: &str = "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});";

fn notes(ids: std::ops::RangeInclusive<u64>) -> String {
    let rows: Vec<String> = ids
        .map(|i| format!("({i}, 'n{i}', '2020-01-01 00:00:00')"))
        .collect();
    format!("INSERT INTO notes VALUES {};", rows.join(", "))
}

fn person(name: &str) -> Actor {
    Actor {
        os_user: name.into(),
        ssh_client: Some("10.0.0.9".into()),
    }
}

fn table(db: &Db) -> TableName {
    TableName::new(db.pg.then_some("public"), "notes")
}

/// 20 old trashed notes, planned by "tester" with approval above 5 rows.
async fn pending(db: &Db) -> (trashcan::engine::catalog::Catalog, i64) {
    db.exec(NOTES).await;
    db.exec(&notes(1..=20)).await;
    let catalog = db.catalog(&config("")).await;
    let options = purge::PurgeOptions {
        approval_above: 5,
        ..options(100, Duration::ZERO)
    };
    let plan = db
        .plan(
            &catalog,
            &Scope::Table(table(db)),
            &options,
            Some("cleanup"),
            true,
        )
        .await
        .unwrap();
    assert!(plan.needs_approval);
    let job = plan.job_id.unwrap();
    assert_eq!(db.job(job).await.0, "pending_approval");
    (catalog, job)
}

async fn approve(
    db: &Db,
    job: i64,
    who: &Actor,
    may: bool,
    valid: Duration,
) -> Result<purge::Approval, trashcan::engine::EngineError> {
    let mut c = db.conn().await;
    purge::approve(&mut c, job, who, may, "checked the plan", valid).await
}

async fn count_actions(db: &Db, job: i64, action: &str) -> usize {
    db.audit_actions(job)
        .await
        .iter()
        .filter(|a| a.as_str() == action)
        .count()
}

async fn notes_left(db: &Db) -> i64 {
    db.count("SELECT 1 FROM notes").await
}

/// Starting the job, which must be refused.
async fn refused_start(
    db: &Db,
    catalog: &trashcan::engine::catalog::Catalog,
    job: i64,
) -> trashcan::engine::EngineError {
    db.run(
        catalog,
        job,
        &small_batches(100, Duration::ZERO),
        &mut |_| {},
    )
    .await
    .unwrap_err()
}

async fn refusals(db: &Db) {
    let (catalog, job) = pending(db).await;

    // Not before an approval.
    let err = refused_start(db, &catalog, job).await;
    assert_eq!(err.kind, ErrorKind::Permission, "{err}");
    assert!(err.message.contains("approval"), "{err}");

    // Not by the person who planned it, even from another host or through sudo.
    let err = approve(db, job, &person("tester"), true, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Permission);
    assert!(err.message.contains("second person"), "{err}");
    let err = approve(
        db,
        job,
        &person("tester (as root)"),
        true,
        Duration::from_secs(60),
    )
    .await
    .unwrap_err();
    assert!(err.message.contains("second person"), "{err}");

    // Not by someone without the supervisor role.
    let err = approve(db, job, &person("olly"), false, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Permission);
    assert!(err.message.contains("supervisor"), "{err}");

    assert_eq!(db.job(job).await.0, "pending_approval");
    assert_eq!(count_actions(db, job, "purge approve").await, 0);
    assert_eq!(notes_left(db).await, 20, "nothing was deleted");

    // Approved once, a job cannot be approved again (it no longer waits).
    approve(db, job, &person("sam"), true, Duration::from_secs(60))
        .await
        .unwrap();
    let err = approve(db, job, &person("sue"), true, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict, "{err}");
    assert_eq!(count_actions(db, job, "purge approve").await, 1);
}

on_both!(refusals, refusals_sqlite, refusals_postgres);

async fn second_person_approves_then_it_runs(db: &Db) {
    let (catalog, job) = pending(db).await;
    let approval = approve(db, job, &person("sam"), true, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(approval.rows, 20);
    assert_eq!(db.job(job).await.0, "approved");
    let outcome = db.run_in_batches(&catalog, job, 100).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 20,
            kept: 0
        }
    );
    assert_eq!(notes_left(db).await, 0);
    assert_eq!(
        db.audit_actions(job).await,
        vec!["purge plan", "purge approve", "purge start", "purge finish"]
    );
    let approver = db
        .strings(&format!(
            "SELECT os_user || '|' || COALESCE(reason, '') FROM {} WHERE job_id = {job} \
             AND action = 'purge approve'",
            db.audit_table()
        ))
        .await;
    assert_eq!(approver, vec!["sam|checked the plan".to_owned()]);
}

on_both!(
    second_person_approves_then_it_runs,
    approves_then_runs_sqlite,
    approves_then_runs_postgres
);

async fn expired_approval_is_void(db: &Db) {
    let (catalog, job) = pending(db).await;
    approve(db, job, &person("sam"), true, Duration::ZERO)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = refused_start(db, &catalog, job).await;
    assert_eq!(err.kind, ErrorKind::Permission, "{err}");
    assert!(err.message.contains("expired"), "{err}");
    assert_eq!(db.job(job).await.0, "pending_approval", "it waits again");
    assert_eq!(count_actions(db, job, "purge approval void").await, 1);
    assert_eq!(notes_left(db).await, 20);

    // A fresh approval lets it run.
    approve(db, job, &person("sue"), true, Duration::from_secs(3600))
        .await
        .unwrap();
    db.run_in_batches(&catalog, job, 100).await;
    assert_eq!(notes_left(db).await, 0);
}

on_both!(expired_approval_is_void, expired_sqlite, expired_postgres);

/// The collation of `purge_rows.key` as the catalog reports it ("" for the default).
async fn key_collation(db: &Db) -> String {
    db.scalar(
        "SELECT COALESCE(collation_name, '') FROM information_schema.columns \
         WHERE table_schema = 'trashcan' AND table_name = 'purge_rows' AND column_name = 'key'",
    )
    .await
}

/// PostgreSQL: the upgrade that compares a frozen set's keys byte-wise changes the order
/// an approval's digest reads them in. An approval given before it is taken back by the
/// upgrade, with the reason in the log, rather than refused later as "changed after it
/// was approved"; approved again, the job deletes exactly its rows.
#[tokio::test(flavor = "multi_thread")]
async fn an_approval_from_before_the_key_order_changed_is_taken_back_postgres() {
    let Some(pg) = PgDb::create("approval_upgrade").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    // The console's tables as they were before that migration.
    db.exec(include_str!(
        "../migrations/postgres/console/2026-12-07-000001_purge_rows_bulk/down.sql"
    ))
    .await;
    db.exec("DELETE FROM trashcan.__diesel_schema_migrations WHERE version = '20261207000001'")
        .await;
    assert_eq!(key_collation(&db).await, "");
    let (catalog, job) = pending(&db).await;
    approve(&db, job, &person("sam"), true, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(db.job(job).await.0, "approved");

    migrate::run(&db.target, MigrationSet::Console)
        .await
        .unwrap();
    assert_eq!(key_collation(&db).await, "C");
    assert_eq!(db.job(job).await.0, "pending_approval");
    assert_eq!(count_actions(&db, job, "purge approval void").await, 1);
    let err = refused_start(&db, &catalog, job).await;
    assert_eq!(err.kind, ErrorKind::Permission, "{err}");
    assert!(err.message.contains("approval"), "{err}");
    assert_eq!(notes_left(&db).await, 20);

    approve(&db, job, &person("sue"), true, Duration::from_secs(3600))
        .await
        .unwrap();
    let outcome = db.run_in_batches(&catalog, job, 7).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 20,
            kept: 0
        }
    );
    assert_eq!(notes_left(&db).await, 0);
}

async fn changed_plan_voids_the_approval(db: &Db) {
    for change in [
        // A row slipped into the frozen set after approval.
        "INSERT INTO {rows} (job_id, table_name, key, round, live) \
         SELECT job_id, table_name, '[\"999\"]', 0, live FROM {rows} WHERE job_id = {job} LIMIT 1",
        // The plan's figures edited.
        "UPDATE {jobs} SET total_rows = total_rows + 1 WHERE id = {job}",
        // The cutoff moved.
        "UPDATE {jobs} SET cutoff_epoch = cutoff_epoch + 86400 WHERE id = {job}",
    ] {
        db.exec("DROP TABLE IF EXISTS notes").await;
        let (catalog, job) = pending(db).await;
        approve(db, job, &person("sam"), true, Duration::from_secs(3600))
            .await
            .unwrap();
        db.exec(
            &change
                .replace("{rows}", db.rows_table())
                .replace("{jobs}", db.jobs_table())
                .replace("{job}", &job.to_string()),
        )
        .await;
        let err = refused_start(db, &catalog, job).await;
        assert!(
            err.message.contains("changed after it was approved"),
            "{change}: {err}"
        );
        assert_eq!(db.job(job).await.0, "pending_approval", "{change}");
        assert_eq!(count_actions(db, job, "purge approval void").await, 1);
        assert_eq!(notes_left(db).await, 20, "{change}: nothing deleted");
    }
}

on_both!(
    changed_plan_voids_the_approval,
    changed_plan_sqlite,
    changed_plan_postgres
);

/// Through the binary: the purge waits; its planner (a supervisor) cannot approve it; nor can an
/// operator; the supervisor named in the config can; then it runs. A user the config
/// does not list is a viewer, whose session is read-only.
async fn headless(db: &Db) {
    db.exec(NOTES).await;
    db.exec(&notes(1..=20)).await;
    let file = db.config_file(
        "[purge]\nreason_above = 5\napproval_above = 5\n\n[supervision.roles]\ntess = \"supervisor\"\n\
         sam = \"supervisor\"\nolly = \"operator\"\n",
    );
    let as_user = |user: &str, args: &[&str]| {
        db.command(Some(&file), args)
            .env("USER", user)
            .env_remove("SUDO_USER")
            .env_remove("LOGNAME")
            .output()
            .unwrap()
    };
    let out = as_user(
        "tess",
        &[
            "purge",
            "--older-than",
            "30d",
            "--yes",
            "--reason",
            "cleanup",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "pending_approval", "{report}");
    let job = report["job"].as_i64().unwrap().to_string();

    // Refused (exit 3), saying why: not yet approved; the planner; not a supervisor.
    for (user, args, says) in [
        ("tess", vec!["jobs", "resume", &job], "approval"),
        (
            "tess",
            vec!["approve", &job, "--reason", "mine"],
            "second person",
        ),
        (
            "olly",
            vec!["approve", &job, "--reason", "looks fine"],
            "supervisor",
        ),
    ] {
        let out = as_user(user, &args);
        assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            describe(&out)
        );
    }
    assert_eq!(notes_left(db).await, 20);

    let out = as_user("sam", &["approve", &job, "--reason", "ticket 77", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "approved", "{report}");
    assert_eq!(report["approved_by"], "sam", "{report}");

    let out = as_user("tess", &["jobs", "list"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("approved by sam; may start until"),
        "{}",
        describe(&out)
    );
    let out = as_user("tess", &["jobs", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["id"].as_i64() == job.parse::<i64>().ok())
        .unwrap();
    assert_eq!(listed["state"], "approved", "{list}");
    assert_eq!(listed["approved_by"], "sam", "{list}");

    let out = as_user("tess", &["jobs", "resume", &job]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(notes_left(db).await, 0);
    let id: i64 = job.parse().unwrap();
    assert_eq!(count_actions(db, id, "purge approve").await, 1);

    // A user the config does not list: a viewer, refused by the server itself.
    db.exec(&notes(21..=22)).await;
    let out = as_user(
        "victor",
        &["purge", "--older-than", "30d", "--yes", "--reason", "x"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read-only"),
        "{}",
        describe(&out)
    );
    assert_eq!(notes_left(db).await, 2);
}

on_both!(headless, headless_sqlite, headless_postgres);
