//! The server goes away under a running console (PostgreSQL): its sessions are ended
//! with `pg_terminate_backend`, the network is cut while the server is unreachable for
//! seconds, or the network drops the console's side only while the server's sessions
//! live on. A purge waits, reconnects with backoff, says so, and finishes with the
//! plan's exact counts; a restore whose commit was interrupted is reported as what it
//! is — landed whole, or not at all. The real binary runs against a real server, some
//! runs through a TCP proxy the test breaks on cue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fault_support;
mod net_proxy;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use common::PgDb;
use fault_support::{BLOG_TABLES, Finished, Running, Watcher, planned_blog};
use net_proxy::Proxy;
use purge_db::*;

/// Small batches with a pause, so the run lasts a couple of seconds: long enough to
/// break the connection in the middle of it.
const CONFIG: &str = "
[purge]
batch_size = 40
sleep = \"20ms\"
target_batch = \"40ms\"
";

/// A purge planned over the blog of `planned_blog` on a fresh database, a session of
/// the test's own to watch it, and the binary's config.
struct Planned {
    db: Db,
    job: i64,
    frozen: BTreeSet<String>,
    before: BTreeSet<String>,
    watch: Watcher,
    config: PathBuf,
    /// The server's clock before the binary started.
    since: String,
}

impl Planned {
    async fn new(tag: &str) -> Option<Planned> {
        Planned::with_config(tag, CONFIG).await
    }

    async fn with_config(tag: &str, config: &str) -> Option<Planned> {
        let db = Db::postgres(PgDb::create(tag).await?).await;
        let (job, frozen, before) = planned_blog(&db).await;
        let watch = Watcher::connect(&db.url).await;
        let config = db.config_file(config);
        let since = watch.clock().await;
        Some(Planned {
            db,
            job,
            frozen,
            before,
            watch,
            config,
            since,
        })
    }

    /// `trashcan jobs resume` of the job, through `url`.
    fn resume(&self, url: &str) -> Running {
        let id = self.job.to_string();
        Running::spawn(&self.db, url, &self.config, &["jobs", "resume", &id])
    }

    /// The job finished with exactly its plan: every frozen row gone, nothing else, no
    /// orphan, one finish in the audit log and no failure.
    async fn assert_finished_exactly(&self, run: &Finished) {
        let (db, job, frozen) = (&self.db, self.job, &self.frozen);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        let after = all_keys(db, BLOG_TABLES).await;
        let gone: BTreeSet<String> = self.before.difference(&after).cloned().collect();
        assert_eq!(
            gone.len(),
            frozen.len(),
            "rows gone against the frozen set\n{}",
            run.describe()
        );
        assert!(
            gone == *frozen,
            "rows gone that were not planned, or planned rows left"
        );
        db.assert_no_orphans(SOFT_BLOG_RELS, "after the run").await;
        assert_eq!(db.job(job).await, ("done".to_owned(), frozen.len() as i64));
        let actions = db.audit_actions(job).await;
        assert_eq!(
            actions.iter().filter(|a| *a == "purge finish").count(),
            1,
            "{actions:?}"
        );
        assert!(!actions.iter().any(|a| a == "purge fail"), "{actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_rides_out_a_network_cut_and_seconds_of_downtime() {
    let Some(p) = Planned::new("reconnect_cut").await else {
        return;
    };
    let (watch, job) = (&p.watch, p.job);
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let run = p.resume(&proxy.url(&p.db.url));

    watch.wait_deleted(job, 400).await;
    proxy.refuse(true);
    proxy.cut();
    // A batch the server was running at the cut still commits; after that, nothing
    // moves while the server cannot be reached.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let at_cut = watch.deleted(job).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(
        watch.deleted(job).await,
        at_cut,
        "rows deleted while unreachable"
    );
    assert!(
        at_cut < p.frozen.len() as i64,
        "the job ended before the cut"
    );
    // Down for longer than one attempt's 5 s wait for a session, well short of the
    // pool's own 15 s: the second attempt shows, with the refused connect's reason.
    tokio::time::sleep(Duration::from_millis(6_500)).await;
    proxy.refuse(false);

    let finished = run.finish(Duration::from_secs(120)).await;
    assert!(
        finished.stderr.contains("connection lost, reconnecting"),
        "the wait was not shown\n{}",
        finished.describe()
    );
    let second = finished
        .stderr
        .lines()
        .find(|l| l.contains("reconnecting: attempt 2 "))
        .unwrap_or_else(|| panic!("no second attempt shown\n{}", finished.describe()));
    // The driver's reason (closed, reset: whichever the refusal meets first), not
    // only that the wait for a session ran out.
    assert!(second.contains("(no database connection: "), "{second}");
    assert!(
        !second.contains("Timed out") && !second.contains("none within"),
        "{second}"
    );
    p.assert_finished_exactly(&finished).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_rides_out_its_sessions_being_terminated_twice() {
    let Some(p) = Planned::new("reconnect_terminate").await else {
        return;
    };
    let (watch, job, since) = (&p.watch, p.job, &p.since);
    let run = p.resume(&p.db.url);

    for at in [300, 1_500] {
        watch.wait_deleted(job, at).await;
        let sessions = watch.binary_sessions(since).await;
        assert!(!sessions.is_empty(), "no session of the binary to end");
        watch.terminate(&sessions).await;
    }

    let finished = run.finish(Duration::from_secs(120)).await;
    let waits = finished
        .stderr
        .lines()
        .filter(|l| l.contains("connection lost, reconnecting"))
        .count();
    assert!(
        waits >= 2,
        "{waits} reconnects shown\n{}",
        finished.describe()
    );
    p.assert_finished_exactly(&finished).await;
}

/// The network drops the console's side only: the server keeps the old session, and
/// with it the job's lease, until something ends it. The console must recognise its
/// own abandoned session, end it and carry on — not stop as if another console had
/// taken the job.
///
/// Another database on the same server runs a job with the same id meanwhile: its
/// session holds the same advisory lock key there, which must neither be taken for
/// this job's holder nor be ended.
#[tokio::test(flavor = "multi_thread")]
async fn purge_takes_back_a_lease_its_abandoned_session_still_holds() {
    let Some(p) = Planned::new("reconnect_lease").await else {
        return;
    };
    let (watch, job, since) = (&p.watch, p.job, &p.since);
    // Three of them: a lookup that mixed the databases up (the order of pg_locks decides
    // which holder it meets first) failed this test in about half the runs.
    let mut others = Vec::new();
    for n in 0..3 {
        let Some(other) = PgDb::create(&format!("reconnect_lease_other{n}")).await else {
            return;
        };
        let console = Watcher::connect(&other.url).await;
        // The lease key of job `job` (trashcan's "tras" prefix and the id).
        let locked = console
            .text(&format!(
                "SELECT CAST(pg_try_advisory_lock({}) AS TEXT)",
                0x7472_6173_0000_0000_i64 | job
            ))
            .await;
        assert_eq!(locked, ["true"]);
        let pid = console.text("SELECT CAST(pg_backend_pid() AS TEXT)").await;
        others.push((other, console, pid.concat()));
    }
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let run = p.resume(&proxy.url(&p.db.url));

    watch.wait_deleted(job, 400).await;
    let sessions = watch.binary_sessions(since).await;
    let holders = watch.advisory_holders().await;
    let lease_holder: Vec<&String> = sessions.iter().filter(|p| holders.contains(p)).collect();
    assert_eq!(lease_holder.len(), 1, "{sessions:?} / {holders:?}");
    let abandoned = lease_holder[0].clone();
    proxy.drop_clients();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        watch.alive(&abandoned).await,
        "the server ended the session itself: the test did not reach its case"
    );

    let finished = run.finish(Duration::from_secs(120)).await;
    assert!(
        !watch.alive(&abandoned).await,
        "the abandoned session is still there\n{}",
        finished.describe()
    );
    assert!(
        !finished.stderr.contains("another console"),
        "{}",
        finished.describe()
    );
    for (_, _, pid) in &others {
        assert!(
            watch.alive(pid).await,
            "another database's console was ended"
        );
    }
    p.assert_finished_exactly(&finished).await;
}

/// A middlebox between console and server goes silent: both sides of every open
/// connection stay open and nothing passes, so no error ever arrives (and TCP
/// keepalives, answered by the middlebox, would never fail). The batch gets no answer
/// for longer than any statement may run — twice the 1 s statement timeout plus 5 s —
/// and the purge gives the connection up, takes its lease back from the abandoned
/// session and finishes.
#[tokio::test(flavor = "multi_thread")]
async fn purge_gives_up_a_connection_that_went_silent() {
    let config = format!("{CONFIG}\n[console]\nstatement_timeout = \"1s\"\n");
    let Some(p) = Planned::with_config("reconnect_silent", &config).await else {
        return;
    };
    let (watch, job) = (&p.watch, p.job);
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let run = p.resume(&proxy.url(&p.db.url));

    watch.wait_deleted(job, 400).await;
    proxy.stall();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let at_stall = watch.deleted(job).await;
    assert!(
        at_stall < p.frozen.len() as i64,
        "the job ended before the stall"
    );

    let finished = run.finish(Duration::from_secs(90)).await;
    assert!(
        finished.stderr.contains("the connection is presumed lost"),
        "the silence was not noticed\n{}",
        finished.describe()
    );
    assert!(
        finished.stderr.contains("connection lost, reconnecting"),
        "the wait was not shown\n{}",
        finished.describe()
    );
    p.assert_finished_exactly(&finished).await;
}

// A restore whose commit is interrupted. A deferred trigger makes the commit itself
// take two seconds, so the test can break the session while the server is committing.

const RESTORE_SCHEMA: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, deleted_at TIMESTAMPTZ);
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id),
    deleted_at TIMESTAMPTZ);
INSERT INTO users VALUES (1, 'ann', '2026-01-01 00:00:00+00');
INSERT INTO posts SELECT g, 1, '2026-01-01 00:00:00+00' FROM generate_series(10, 15) g;
CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER users_slow_commit AFTER UPDATE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
";

/// The binary's session while it runs COMMIT.
async fn committing_session(watch: &Watcher) -> String {
    let mut found = Vec::new();
    watch
        .wait_for("the restore's commit", async |w| {
            found = w
                .text(
                    "SELECT CAST(pid AS TEXT) FROM pg_stat_activity \
                     WHERE datname = current_database() AND application_name = 'trashcan' \
                     AND state = 'active' AND query ILIKE 'COMMIT%'",
                )
                .await;
            !found.is_empty()
        })
        .await;
    found.remove(0)
}

async fn trashed(db: &Db, table: &str) -> i64 {
    db.count(&format!(
        "SELECT id FROM {table} WHERE deleted_at IS NOT NULL"
    ))
    .await
}

async fn restores_logged(db: &Db) -> i64 {
    db.count("SELECT id FROM trashcan.audit_log WHERE action = 'restore'")
        .await
}

const RESTORE: &[&str] = &[
    "restore",
    "--table",
    "users",
    "--key",
    "1",
    "--with-group",
    "--reason",
    "fault test",
    "--json",
];

#[tokio::test(flavor = "multi_thread")]
async fn restore_ended_during_its_commit_did_not_land_and_says_so() {
    let Some(pg) = PgDb::create("reconnect_restore_ended").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    db.exec(RESTORE_SCHEMA).await;
    let watch = Watcher::connect(&db.url).await;
    let config = db.config_file("");
    let run = Running::spawn(&db, &db.url, &config, RESTORE);
    let committing = committing_session(&watch).await;
    watch.terminate(&[committing]).await;

    let finished = run.finish(Duration::from_secs(60)).await;
    assert_ne!(finished.code, Some(0), "{}", finished.describe());
    assert!(
        finished.stderr.contains("did not land"),
        "{}",
        finished.describe()
    );
    assert_eq!(trashed(&db, "users").await, 1);
    assert_eq!(trashed(&db, "posts").await, 6);
    assert_eq!(restores_logged(&db).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn restore_whose_commit_answer_was_lost_landed_and_says_so() {
    let Some(pg) = PgDb::create("reconnect_restore_lost").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    db.exec(RESTORE_SCHEMA).await;
    let watch = Watcher::connect(&db.url).await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let config = db.config_file("");
    let run = Running::spawn(&db, &proxy.url(&db.url), &config, RESTORE);
    let committing = committing_session(&watch).await;
    // The server goes on committing; its answer, and the console's side, are gone.
    proxy.drop_clients();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(watch.alive(&committing).await);

    let finished = run.finish(Duration::from_secs(60)).await;
    assert_eq!(finished.code, Some(0), "{}", finished.describe());
    let report: serde_json::Value = serde_json::from_str(finished.stdout.trim())
        .unwrap_or_else(|e| panic!("{e}\n{}", finished.describe()));
    assert_eq!(report["status"], "restored", "{report}");
    assert_eq!(trashed(&db, "users").await, 0);
    assert_eq!(trashed(&db, "posts").await, 0);
    assert_eq!(restores_logged(&db).await, 1);
    assert!(
        !watch.alive(&committing).await,
        "the abandoned session is still there"
    );
}

/// The server itself restarted under a running purge (`pg_ctlcluster restart`). It
/// takes every session on the machine's server with it, so it is left out of
/// `cargo test` (whose other tests share that server) and run alone by
/// `.ci/reliability`: `cargo test --test reconnect -- --ignored --exact
/// purge_rides_out_a_server_restart`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "restarts the shared PostgreSQL server; run alone by .ci/reliability"]
async fn purge_rides_out_a_server_restart() {
    let Some(p) = Planned::new("reconnect_restart").await else {
        return;
    };
    let run = p.resume(&p.db.url);
    p.watch.wait_deleted(p.job, 400).await;

    let version = std::fs::read_dir("/etc/postgresql")
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let restarted = std::process::Command::new("pg_ctlcluster")
        .arg("--skip-systemctl-redirect")
        .arg(&version)
        .args(["main", "restart"])
        .output()
        .unwrap();
    assert!(restarted.status.success(), "{restarted:?}");

    let finished = run.finish(Duration::from_secs(180)).await;
    assert!(
        finished.stderr.contains("connection lost, reconnecting"),
        "the restart was not noticed\n{}",
        finished.describe()
    );
    p.assert_finished_exactly(&finished).await;
}
