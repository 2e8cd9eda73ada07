//! The server goes away under a running console (PostgreSQL): its sessions are ended
//! with `pg_terminate_backend`, the network is cut while the server is unreachable for
//! seconds, or the network drops the console's side only while the server's sessions
//! live on. A purge waits, reconnects with backoff, says so, and finishes with the
//! plan's exact counts; a restore whose commit was interrupted is reported as what it
//! is — landed whole, or not at all. The real binary runs against a real server, some
//! runs through a TCP proxy the test breaks on cue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod net_proxy;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::PgDb;
use net_proxy::Proxy;
use purge_db::*;
use trashcan::engine::purge::Scope;

/// Small batches with a pause, so the run lasts a couple of seconds: long enough to
/// break the connection in the middle of it.
const CONFIG: &str = "
[purge]
batch_size = 20
sleep = \"5ms\"
target_batch = \"1ms\"
";

const TABLES: &[(&str, &[&str])] = &[
    ("users", &["id"]),
    ("posts", &["id"]),
    ("comments", &["id"]),
];

/// A connection of the test's own (not named `trashcan`, so never mistaken for the
/// binary's sessions), for watching and for ending sessions.
struct Watcher {
    client: tokio_postgres::Client,
}

impl Watcher {
    async fn connect(url: &str) -> Watcher {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        Watcher { client }
    }

    async fn text(&self, sql: &str) -> Vec<String> {
        self.client
            .query(sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
            .collect()
    }

    async fn clock(&self) -> String {
        self.text("SELECT CAST(clock_timestamp() AS TEXT)")
            .await
            .remove(0)
    }

    async fn deleted(&self, job: i64) -> i64 {
        self.text(&format!(
            "SELECT CAST(deleted_rows AS TEXT) FROM trashcan.purge_jobs WHERE id = {job}"
        ))
        .await[0]
            .parse()
            .unwrap()
    }

    /// The server processes of the binary's sessions opened after `since`.
    async fn binary_sessions(&self, since: &str) -> Vec<String> {
        self.text(&format!(
            "SELECT CAST(pid AS TEXT) FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'trashcan' AND backend_start > CAST('{since}' AS TIMESTAMPTZ)"
        ))
        .await
    }

    async fn terminate(&self, pids: &[String]) {
        for pid in pids {
            self.text(&format!(
                "SELECT CAST(pg_terminate_backend({pid}, 5000) AS TEXT)"
            ))
            .await;
        }
    }

    async fn alive(&self, pid: &str) -> bool {
        !self
            .text(&format!(
                "SELECT CAST(pid AS TEXT) FROM pg_stat_activity WHERE pid = {pid}"
            ))
            .await
            .is_empty()
    }

    /// Processes holding an advisory lock (the purge job's lease).
    async fn advisory_holders(&self) -> Vec<String> {
        self.text(
            "SELECT CAST(pid AS TEXT) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .await
    }

    async fn wait_for(&self, what: &str, mut done: impl AsyncFnMut(&Watcher) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(self).await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn wait_deleted(&self, job: i64, at_least: i64) {
        self.wait_for(&format!("job {job} to pass {at_least} rows"), async |w| {
            w.deleted(job).await >= at_least
        })
        .await;
    }
}

/// The binary, running in the background with its output in files.
struct Running {
    child: Child,
    stdout: std::path::PathBuf,
    stderr: std::path::PathBuf,
}

struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Finished {
    fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Running {
    fn spawn(db: &Db, url: &str, config: &Path, args: &[&str]) -> Running {
        let stdout = db.home.path().join("stdout.txt");
        let stderr = db.home.path().join("stderr.txt");
        let child = Command::new(env!("CARGO_BIN_EXE_trashcan"))
            .arg("--database-url")
            .arg(url)
            .arg("--config")
            .arg(config)
            .args(args)
            .env("HOME", db.home.path())
            .env("XDG_CONFIG_HOME", db.home.path().join("xdg"))
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Running {
            child,
            stdout,
            stderr,
        }
    }

    async fn finish(mut self, within: Duration) -> Finished {
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                self.child.wait().unwrap();
                panic!(
                    "the binary did not finish within {within:?}; stderr:\n{}",
                    std::fs::read_to_string(&self.stderr).unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Finished {
            code: status.code(),
            stdout: std::fs::read_to_string(&self.stdout).unwrap(),
            stderr: std::fs::read_to_string(&self.stderr).unwrap(),
        }
    }
}

/// 60 users, 600 posts and 2,400 comments, all trashed years ago; a planned job over
/// all of it. Returns the job, its frozen set and every key before the run.
async fn planned_blog(db: &Db) -> (i64, BTreeSet<String>, BTreeSet<String>) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let old = "'2020-01-01 00:00:00'";
    let users: Vec<String> = (1..=60)
        .map(|id| format!("({id}, 'u{id}', {old})"))
        .collect();
    let posts: Vec<String> = (1..=600)
        .map(|id| format!("({id}, {}, {old})", 1 + id % 60))
        .collect();
    let comments: Vec<String> = (1..=2_400)
        .map(|id| format!("({id}, {}, NULL, {old})", 1 + id % 600))
        .collect();
    db.exec(&format!(
        "INSERT INTO users VALUES {};\nINSERT INTO posts VALUES {};\nINSERT INTO comments VALUES {};",
        users.join(", "),
        posts.join(", "),
        comments.join(", ")
    ))
    .await;
    let catalog = db.catalog(&config("")).await;
    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(20, Duration::from_millis(5)),
            None,
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    let frozen = db.frozen(job).await;
    assert_eq!(frozen.len(), 3_060);
    (job, frozen, all_keys(db, TABLES).await)
}

/// The job finished with exactly its plan: every frozen row gone, nothing else, no
/// orphan, one finish in the audit log and no failure.
async fn assert_finished_exactly(
    db: &Db,
    job: i64,
    frozen: &BTreeSet<String>,
    before: &BTreeSet<String>,
    run: &Finished,
) {
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let after = all_keys(db, TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
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

#[tokio::test(flavor = "multi_thread")]
async fn purge_rides_out_a_network_cut_and_seconds_of_downtime() {
    let Some(pg) = PgDb::create("reconnect_cut").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    let (job, frozen, before) = planned_blog(&db).await;
    let watch = Watcher::connect(&db.url).await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let config = db.config_file(CONFIG);
    let id = job.to_string();
    let run = Running::spawn(&db, &proxy.url(&db.url), &config, &["jobs", "resume", &id]);

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
    assert!(at_cut < frozen.len() as i64, "the job ended before the cut");
    proxy.refuse(false);

    let finished = run.finish(Duration::from_secs(120)).await;
    assert!(
        finished.stderr.contains("connection lost, reconnecting"),
        "the wait was not shown\n{}",
        finished.describe()
    );
    assert_finished_exactly(&db, job, &frozen, &before, &finished).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_rides_out_its_sessions_being_terminated_twice() {
    let Some(pg) = PgDb::create("reconnect_terminate").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    let (job, frozen, before) = planned_blog(&db).await;
    let watch = Watcher::connect(&db.url).await;
    let config = db.config_file(CONFIG);
    let id = job.to_string();
    let since = watch.clock().await;
    let run = Running::spawn(&db, &db.url, &config, &["jobs", "resume", &id]);

    for at in [300, 1_500] {
        watch.wait_deleted(job, at).await;
        let sessions = watch.binary_sessions(&since).await;
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
    assert_finished_exactly(&db, job, &frozen, &before, &finished).await;
}

/// The network drops the console's side only: the server keeps the old session, and
/// with it the job's lease, until something ends it. The console must recognise its
/// own abandoned session, end it and carry on — not stop as if another console had
/// taken the job.
#[tokio::test(flavor = "multi_thread")]
async fn purge_takes_back_a_lease_its_abandoned_session_still_holds() {
    let Some(pg) = PgDb::create("reconnect_lease").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    let (job, frozen, before) = planned_blog(&db).await;
    let watch = Watcher::connect(&db.url).await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let config = db.config_file(CONFIG);
    let id = job.to_string();
    let since = watch.clock().await;
    let run = Running::spawn(&db, &proxy.url(&db.url), &config, &["jobs", "resume", &id]);

    watch.wait_deleted(job, 400).await;
    let sessions = watch.binary_sessions(&since).await;
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
        "the abandoned session is still there"
    );
    assert!(
        !finished.stderr.contains("another console"),
        "{}",
        finished.describe()
    );
    assert_finished_exactly(&db, job, &frozen, &before, &finished).await;
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
