//! Plumbing for the fault tests (PostgreSQL): a watching connection of the test's own,
//! the binary run in the background, and a blog planned for a purge that lasts a couple
//! of seconds.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::purge_db::{Db, SOFT_BLOG_SCHEMA, all_keys, config, options};
use trashcan::engine::purge::Scope;

pub const BLOG_TABLES: &[(&str, &[&str])] = &[
    ("users", &["id"]),
    ("posts", &["id"]),
    ("comments", &["id"]),
];

/// A connection of the test's own (not named `trashcan`, so never mistaken for the
/// binary's sessions), for watching and for ending sessions.
pub struct Watcher {
    pub client: tokio_postgres::Client,
}

impl Watcher {
    pub async fn connect(url: &str) -> Watcher {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        Watcher { client }
    }

    pub async fn text(&self, sql: &str) -> Vec<String> {
        self.client
            .query(sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
            .collect()
    }

    pub async fn clock(&self) -> String {
        self.text("SELECT CAST(clock_timestamp() AS TEXT)")
            .await
            .remove(0)
    }

    pub async fn deleted(&self, job: i64) -> i64 {
        self.text(&format!(
            "SELECT CAST(deleted_rows AS TEXT) FROM trashcan.purge_jobs WHERE id = {job}"
        ))
        .await[0]
            .parse()
            .unwrap()
    }

    /// The server processes of the binary's sessions opened after `since`.
    pub async fn binary_sessions(&self, since: &str) -> Vec<String> {
        self.text(&format!(
            "SELECT CAST(pid AS TEXT) FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'trashcan' AND backend_start > CAST('{since}' AS TIMESTAMPTZ)"
        ))
        .await
    }

    pub async fn terminate(&self, pids: &[String]) {
        for pid in pids {
            self.text(&format!(
                "SELECT CAST(pg_terminate_backend({pid}, 5000) AS TEXT)"
            ))
            .await;
        }
    }

    pub async fn alive(&self, pid: &str) -> bool {
        !self
            .text(&format!(
                "SELECT CAST(pid AS TEXT) FROM pg_stat_activity WHERE pid = {pid}"
            ))
            .await
            .is_empty()
    }

    /// Processes holding an advisory lock (the purge job's lease).
    pub async fn advisory_holders(&self) -> Vec<String> {
        self.text(
            "SELECT CAST(pid AS TEXT) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .await
    }

    pub async fn wait_for(&self, what: &str, mut done: impl AsyncFnMut(&Watcher) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(self).await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub async fn wait_deleted(&self, job: i64, at_least: i64) {
        self.wait_for(&format!("job {job} to pass {at_least} rows"), async |w| {
            w.deleted(job).await >= at_least
        })
        .await;
    }
}

/// The binary, running in the background with its output in files.
pub struct Running {
    child: Child,
    stdout: std::path::PathBuf,
    stderr: std::path::PathBuf,
}

pub struct Finished {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    pub fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Running {
    pub fn spawn(db: &Db, url: &str, config: &Path, args: &[&str]) -> Running {
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

    pub async fn finish(mut self, within: Duration) -> Finished {
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

/// The blog of [`planned_blog`], not yet planned: everything trashed years ago, and one
/// live user with a live post and comment (a table whose every row is trashed is no
/// trash bin to detection).
pub async fn seed_blog(db: &Db) {
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
    // The live rows go in first, so the trashed ones keep the table's last pages (the
    // lock tests pick rows by position).
    db.exec(&format!(
        "INSERT INTO users VALUES (61, 'u61', NULL);\n\
         INSERT INTO posts VALUES (601, 61, NULL);\n\
         INSERT INTO comments VALUES (2401, 601, NULL, NULL);\n\
         INSERT INTO users VALUES {};\nINSERT INTO posts VALUES {};\nINSERT INTO comments VALUES {};",
        users.join(", "),
        posts.join(", "),
        comments.join(", ")
    ))
    .await;
}

/// 60 users, 600 posts and 2,400 comments, all trashed years ago; a planned job over
/// all of it. Returns the job, its frozen set and every key before the run.
pub async fn planned_blog(db: &Db) -> (i64, BTreeSet<String>, BTreeSet<String>) {
    seed_blog(db).await;
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
    (job, frozen, all_keys(db, BLOG_TABLES).await)
}
