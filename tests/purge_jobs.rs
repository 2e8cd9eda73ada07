//! Purge jobs on both backends: the headless thresholds escalate; jobs pause, resume,
//! cancel, hold off for other sessions' lock queues, resume mid-pass and are abandoned;
//! planning stays roughly linear.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::PgDb;
use purge_db::*;
use trashcan::engine::purge::{self, JobControl, RunOutcome, Scope};

// ---------------------------------------------------------------------------------------
// 4. Thresholds escalate (headless): a reason, a second operator, --max-rows, a
// confirmation; bad input is exit 2.

const NOTES: &str = "
CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});
CREATE TABLE bulk (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});
";

fn notes_rows(table: &str, ids: std::ops::RangeInclusive<u64>) -> String {
    let rows: Vec<String> = ids
        .map(|i| format!("({i}, 'n{i}', '2020-01-01 00:00:00')"))
        .collect();
    format!("INSERT INTO {table} VALUES {};", rows.join(", "))
}

async fn thresholds(db: &Db) {
    db.exec(NOTES).await;
    db.exec(&notes_rows("notes", 1..=10)).await;
    db.exec(&notes_rows("bulk", 1..=25)).await;
    db.exec("INSERT INTO notes VALUES (11, 'live', NULL)").await;
    let file = db.config_file(
        "[purge]\nreason_above = 5\napproval_above = 20\nbatch_size = 10\nsleep = \"0s\"\n",
    );
    let cfg = Some(&file);
    let purge = |extra: &[&str]| {
        let mut args = vec!["purge", "--older-than", "30d"];
        args.extend_from_slice(extra);
        db.bin(cfg, &args)
    };
    let jobs = || async {
        db.count(&format!("SELECT id FROM {}", db.jobs_table()))
            .await
    };

    // 10 rows, more than reason_above: a reason is required.
    let out = purge(&["--table", "notes", "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs --reason"),
        "{}",
        describe(&out)
    );
    let out = purge(&["--table", "notes", "--yes", "--reason", "  "]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a blank reason is none: {}",
        describe(&out)
    );
    // --max-rows below the plan.
    let out = purge(&[
        "--table",
        "notes",
        "--yes",
        "--reason",
        "r",
        "--max-rows",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--max-rows 2"),
        "{}",
        describe(&out)
    );
    // No --yes and no terminal to confirm on.
    let out = purge(&["--table", "notes", "--reason", "r"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not confirmed"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        db.count("SELECT id FROM notes").await,
        11,
        "nothing deleted"
    );
    assert_eq!(jobs().await, 0, "no job for a refused plan");

    // With a reason: done.
    let out = purge(&[
        "--table", "notes", "--yes", "--reason", "ticket 7", "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "done", "{report}");
    assert_eq!(report["deleted"], 10, "{report}");
    assert_eq!(db.keys("notes", &["id"]).await, set(&["11"]));
    let job = report["job"].as_i64().unwrap();
    assert_eq!(db.job(job).await, ("done".to_owned(), 10));
    let reasons = db
        .strings(&format!(
            "SELECT action || ':' || COALESCE(reason, '-') FROM {} WHERE job_id = {job} ORDER BY id",
            db.audit_table()
        ))
        .await;
    assert_eq!(
        reasons,
        vec![
            "purge plan:ticket 7",
            "purge start:ticket 7",
            "purge finish:ticket 7"
        ]
    );
    // Again: nothing to do.
    let out = purge(&["--table", "notes", "--yes", "--reason", "r"]);
    assert_eq!(out.status.code(), Some(5), "{}", describe(&out));

    // 25 rows, more than approval_above: a job waits for approval, nothing is deleted,
    // and it cannot be resumed past the approval.
    let out = purge(&["--table", "bulk", "--yes", "--reason", "big one", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "pending_approval", "{report}");
    assert_eq!(report["rows"], 25, "{report}");
    let job = report["job"].as_i64().unwrap();
    assert_eq!(db.job(job).await, ("pending_approval".to_owned(), 0));
    assert_eq!(db.count("SELECT id FROM bulk").await, 25);
    let out = db.bin(cfg, &["jobs", "resume", &job.to_string()]);
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("approval"),
        "{}",
        describe(&out)
    );
    assert_eq!(db.job(job).await, ("pending_approval".to_owned(), 0));
    assert_eq!(db.count("SELECT id FROM bulk").await, 25, "nothing deleted");
    let out = db.bin(cfg, &["jobs", "--json", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], job, "{list}");
    assert_eq!(list[0]["state"], "pending_approval", "{list}");

    // Bad input: exit 2 with a clear message.
    let out = db.bin(cfg, &["purge", "--older-than", "30x", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`30x` is not a duration"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = purge(&["--table", "nope", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no table `nope`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(db.count("SELECT id FROM bulk").await, 25);
}

on_both!(thresholds, thresholds_sqlite, thresholds_postgres);

// ---------------------------------------------------------------------------------------
// 5. Pause, resume and cancel a running job.

async fn wait_for(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn pause_resume_cancel(db: &Db) {
    db.exec(NOTES).await;
    db.exec(&notes_rows("notes", 1..=600)).await;
    db.exec("INSERT INTO notes VALUES (601, 'live', NULL)")
        .await;
    let catalog = Arc::new(db.catalog(&config("")).await);
    let plan = db
        .plan(
            &catalog,
            &Scope::Table(db_table(db, "notes")),
            &options(10, Duration::from_millis(15)),
            None,
            true,
        )
        .await
        .unwrap();
    assert_eq!(planned_rows(&plan), vec![("notes".into(), 600)]);
    let job = plan.job_id.unwrap();
    let control = small_batches(10, Duration::from_millis(15));
    let task = {
        let (pool, catalog, control) = (db.pool.clone(), catalog.clone(), control.clone());
        tokio::spawn(async move {
            purge::run(&pool, &catalog, job, &actor(), &control, &mut |_| {}).await
        })
    };
    wait_for("the first batches", async || db.job(job).await.1 >= 20).await;
    control.paused.store(true, Ordering::SeqCst);
    wait_for("the pause", async || db.job(job).await.0 == "paused").await;
    let held = db.job(job).await.1;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        db.job(job).await,
        ("paused".to_owned(), held),
        "paused: nothing moves"
    );
    assert_eq!(db.count("SELECT id FROM notes").await, 601 - held);
    control.paused.store(false, Ordering::SeqCst);
    wait_for("the resume", async || {
        let (state, deleted) = db.job(job).await;
        state == "running" && deleted > held
    })
    .await;
    control.cancel.cancel();
    let outcome = task.await.unwrap().unwrap();
    let RunOutcome::Cancelled { deleted } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(deleted as i64 > held && deleted < 600, "{deleted}");
    assert_eq!(db.job(job).await, ("cancelled".to_owned(), deleted as i64));
    assert_eq!(db.count("SELECT id FROM notes").await as u64, 601 - deleted);

    // Run again: the job finishes where it stopped, with the plan's exact count.
    let outcome = db.run_in_batches(&catalog, job, 10).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 600,
            kept: 0
        }
    );
    assert_eq!(db.job(job).await, ("done".to_owned(), 600));
    assert_eq!(db.keys("notes", &["id"]).await, set(&["601"]));
    assert_eq!(
        db.audit_actions(job).await,
        vec![
            "purge plan",
            "purge start",
            "purge pause",
            "purge resume",
            "purge cancel",
            "purge resume",
            "purge finish"
        ]
    );
    // A finished job does not run again.
    let again = db
        .run(&catalog, job, &JobControl::default(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(again.message.contains("is done"), "{again}");
}

fn db_table(db: &Db, name: &str) -> trashcan::engine::sql::TableName {
    trashcan::engine::sql::TableName::new(db.pg.then_some("public"), name)
}

on_both!(
    pause_resume_cancel,
    pause_resume_cancel_sqlite,
    pause_resume_cancel_postgres
);

// ---------------------------------------------------------------------------------------
// A job resumed in the middle of a pass must not forget the rows the interrupted part
// of that pass kept back. A reply chain of 21 comments whose links were written after
// the rows (each comment 10..=29 then made a reply to the next one up) lies with its
// parents last, so the first pass, walking backwards, meets parents first: its first
// batch (ten of them, each waiting for a reply in the next batch) keeps every row back.
// Cancelled right after that batch and run again, the job must still take the whole
// chain, not end `done` with rows of its frozen set left.

async fn resumed_mid_pass_finishes_the_chain(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    let mut sql = String::from(
        "INSERT INTO users VALUES (1, 'ann', NULL);
         INSERT INTO posts VALUES (1, 1, NULL);\n",
    );
    for id in 10..=30 {
        sql += &format!("INSERT INTO comments VALUES ({id}, 1, NULL, '2020-01-01 00:00:00');\n");
    }
    sql += "UPDATE comments SET parent_id = id + 1 WHERE id < 30;\n";
    db.exec(&sql).await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let plan = db.plan_all(&catalog, 10).await;
    assert_eq!(planned_rows(&plan), vec![("comments".into(), 21)]);
    let job = plan.job_id.unwrap();
    let control = small_batches(10, Duration::ZERO);
    let cancel = control.cancel.clone();
    let outcome = db
        .run(&catalog, job, &control, &mut |_| cancel.cancel())
        .await
        .unwrap();
    assert_eq!(outcome, RunOutcome::Cancelled { deleted: 0 });
    let outcome = db
        .run(&catalog, job, &JobControl::default(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 21,
            kept: 0
        },
        "{}: comments left {:?}, still in the frozen set {:?}",
        db.backend(),
        db.keys("comments", &["id"]).await,
        db.frozen(job).await
    );
}

on_both!(
    resumed_mid_pass_finishes_the_chain,
    resumed_mid_pass_sqlite,
    resumed_mid_pass_postgres
);

// ---------------------------------------------------------------------------------------
// 7. Abandon: the job never runs again, its frozen set is dropped, the log says so.

async fn abandon(db: &Db) {
    db.exec(NOTES).await;
    db.exec(&notes_rows("notes", 1..=30)).await;
    let catalog = db.catalog(&config("")).await;
    let plan = db.plan_all(&catalog, 10).await;
    let job = plan.job_id.unwrap();
    assert_eq!(db.frozen(job).await.len(), 30);
    assert_eq!(db.job(job).await, ("planned".to_owned(), 0));

    let out = db.bin(
        None,
        &[
            "jobs",
            "abandon",
            &job.to_string(),
            "--reason",
            "wrong cutoff",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(db.job(job).await, ("abandoned".to_owned(), 0));
    assert!(db.frozen(job).await.is_empty(), "the frozen set is dropped");
    let log = db
        .strings(&format!(
            "SELECT action || ':' || COALESCE(reason, '-') FROM {} WHERE job_id = {job} ORDER BY id",
            db.audit_table()
        ))
        .await;
    assert_eq!(log, vec!["purge plan:-", "purge abandon:wrong cutoff"]);

    let out = db.bin(None, &["jobs", "resume", &job.to_string()]);
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("abandoned"),
        "{}",
        describe(&out)
    );
    let err = db
        .run(&catalog, job, &JobControl::default(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(err.message.contains("abandoned"), "{err}");
    let mut c = db.conn().await;
    let err = purge::abandon(&mut c, job, &actor(), None)
        .await
        .unwrap_err();
    assert!(err.message.contains("already abandoned"), "{err}");
    assert_eq!(
        db.count("SELECT id FROM notes").await,
        30,
        "nothing deleted"
    );
    let out = db.bin(None, &["jobs", "--json", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["state"], "abandoned", "{list}");
}

// ---------------------------------------------------------------------------------------
// Throttle (PostgreSQL): while other sessions queue on a lock, the purge holds off and
// says why; when the queue clears, it goes on.

#[tokio::test(flavor = "multi_thread")]
async fn holds_off_while_sessions_wait_on_locks_postgres() {
    let Some(pg) = PgDb::create("purge_throttle").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    db.exec(NOTES).await;
    db.exec(&notes_rows("notes", 1..=200)).await;
    db.exec("INSERT INTO notes VALUES (201, 'live', NULL)")
        .await;
    let catalog = Arc::new(db.catalog(&config("")).await);
    let plan = db
        .plan(
            &catalog,
            &Scope::Table(db_table(&db, "notes")),
            &options(10, Duration::ZERO),
            None,
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();

    // One session holds the live note's row; a second waits for it.
    let connect = || async {
        let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
    };
    let holder = connect().await;
    holder
        .batch_execute("BEGIN; UPDATE notes SET body = 'held' WHERE id = 201")
        .await
        .unwrap();
    let waiter = connect().await;
    let waiting = tokio::spawn(async move {
        waiter
            .batch_execute("UPDATE notes SET body = 'waited' WHERE id = 201")
            .await
    });
    // The purge asks about lock queues about once a second: the queue is there first.
    tokio::time::timeout(Duration::from_secs(10), async {
        while db
            .count(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                 AND datname = current_database()",
            )
            .await
            == 0
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the second session queues on the lock");

    let control = JobControl {
        limits: purge::Limits {
            max_replication_lag: None,
            max_lock_waits: Some(0),
        },
        ..small_batches(10, Duration::ZERO)
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<purge::Progress>();
    let task = {
        let (pool, catalog, control) = (db.pool.clone(), catalog.clone(), control.clone());
        tokio::spawn(async move {
            purge::run(&pool, &catalog, job, &actor(), &control, &mut |p| {
                let _ = tx.send(p.clone());
            })
            .await
        })
    };
    let held = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let p = rx.recv().await.unwrap();
            if let Some(why) = p.throttled {
                return (why, p.deleted);
            }
        }
    })
    .await
    .expect("the purge says it holds off");
    assert!(held.0.contains("waiting on locks"), "{}", held.0);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        db.job(job).await.1,
        held.1 as i64,
        "nothing is deleted while sessions wait"
    );
    holder.batch_execute("COMMIT").await.unwrap();
    waiting.await.unwrap().unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(30), task)
        .await
        .expect("the purge goes on once the queue clears")
        .unwrap()
        .unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 200,
            kept: 0
        }
    );
}

on_both!(abandon, abandon_sqlite, abandon_postgres);

// ---------------------------------------------------------------------------------------
// CLI: `--json` is an option of `jobs` itself, so `jobs list --json` (the order the help
// and the docs suggest: `jobs [list|resume ID|abandon ID] [--json]`) is refused.

#[tokio::test(flavor = "multi_thread")]
async fn jobs_list_json_after_the_action() {
    let db = Db::sqlite().await;
    let out = db.bin(None, &["jobs", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list, serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------
// PostgreSQL, performance: the frozen set is written in the plan's own transaction, so
// without fresh statistics the planner takes purge_rows for empty and joins it row by
// row: quadratic in the rows planned per table (3,000 posts each with a comment once
// took over 20 s). The plan must stay roughly linear.

#[tokio::test(flavor = "multi_thread")]
async fn plan_is_not_quadratic_postgres() {
    let Some(pg) = PgDb::create("plan_quadratic").await else {
        return;
    };
    plan_many_posts(&Db::postgres(pg).await).await;
}

/// The same on SQLite, for comparison: passes.
#[tokio::test(flavor = "multi_thread")]
async fn plan_is_not_quadratic_sqlite() {
    plan_many_posts(&Db::sqlite().await).await;
}

/// 3,000 old trashed posts, each with an old trashed comment: 6,000 rows to plan.
async fn plan_many_posts(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    let posts: Vec<String> = (1..=3_000)
        .map(|p| format!("({p}, 1, '2020-01-01 00:00:00')"))
        .collect();
    let comments: Vec<String> = (1..=3_000)
        .map(|p| format!("({p}, {p}, NULL, '2020-01-01 00:00:00')"))
        .collect();
    db.exec(&format!(
        "INSERT INTO users VALUES (1, 'ann', NULL);
         INSERT INTO posts VALUES {};
         INSERT INTO comments VALUES {};
         ANALYZE;",
        posts.join(", "),
        comments.join(", ")
    ))
    .await;
    let config = config(&format!(
        "{BLOG_CONFIG}{}",
        declared(&["posts", "comments"])
    ));
    let catalog = db.catalog(&config).await;
    let started = Instant::now();
    let planned = tokio::time::timeout(
        Duration::from_secs(20),
        db.plan(
            &catalog,
            &Scope::All,
            &options(1_000, Duration::ZERO),
            None,
            false,
        ),
    )
    .await;
    // A guard against a plan that goes quadratic (it took minutes), not a measure of its
    // speed: `cargo bench --bench purge` measures that against a set-based reference.
    let plan = planned
        .unwrap_or_else(|_| {
            panic!(
                "{}: no plan of 6,000 rows within 20 s ({:?})",
                db.backend(),
                started.elapsed()
            )
        })
        .unwrap();
    assert_eq!(plan.total(), 6_000);
}

// ---------------------------------------------------------------------------------------
// A killed console's job shows as interrupted at once, on both backends: its lock (a
// PostgreSQL session lock, a lock file beside the SQLite database) went with it.

async fn killed_job_shows_interrupted_at_once(db: &Db) {
    db.exec(NOTES).await;
    db.exec(&notes_rows("notes", 1..=400)).await;
    let catalog = db.catalog(&config(&declared(&["notes"]))).await;
    let plan = db
        .plan(
            &catalog,
            &Scope::Table(db_table(db, "notes")),
            &options(10, Duration::from_millis(20)),
            None,
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    let settings = db.config_file(&format!(
        "[purge]\nbatch_size = 10\nsleep = \"20ms\"\n{}",
        declared(&["notes"])
    ));
    let list = |db: &Db| -> serde_json::Value {
        let out = db.bin(Some(&settings), &["jobs", "list", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()[0].clone()
    };
    let mut running = db
        .command(Some(&settings), &["jobs", "resume", &job.to_string()])
        .spawn()
        .unwrap();
    wait_for("the first batches", async || db.job(job).await.1 >= 30).await;
    let seen = list(db);
    assert_eq!(seen["state"], "running", "{seen}");
    assert_eq!(
        seen["interrupted"], false,
        "a running job is not interrupted: {seen}"
    );
    running.kill().unwrap();
    running.wait().unwrap();
    // PostgreSQL ends the dead client's session (and its lock) within moments.
    wait_for("the job to show as interrupted", async || {
        list(db)["interrupted"] == true
    })
    .await;
    assert_eq!(list(db)["state"], "running", "the row still says running");
    let out = db.bin(Some(&settings), &["jobs", "resume", &job.to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(db.job(job).await, ("done".to_owned(), 400));
}

on_both!(
    killed_job_shows_interrupted_at_once,
    killed_job_interrupted_sqlite,
    killed_job_interrupted_postgres
);
