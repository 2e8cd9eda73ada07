//! Plumbing for the purge tests: one database on either backend with the console's
//! bookkeeping tables, helpers that read rows, keys, jobs and the audit log back as
//! text, the real binary, and a small deterministic PRNG.
#![allow(dead_code, unused_macros, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{PgDb, SqliteDb};
use trashcan::config::Config;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::db::{DbConn, DbPool, DbTarget, SessionSettings, rows};
use trashcan::engine::EngineError;
use trashcan::engine::audit::Actor;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::purge::{
    self, JobControl, Progress, PurgeOptions, PurgePlan, RunOutcome, Scope, Tuning,
};

pub struct Db {
    pub pool: DbPool,
    pub target: DbTarget,
    pub pg: bool,
    /// The URL the binary is given.
    pub url: String,
    /// HOME (and XDG_CONFIG_HOME) of the spawned binary, and where config files go.
    pub home: tempfile::TempDir,
    _pg: Option<PgDb>,
    _lite: Option<SqliteDb>,
}

/// A relation as the tests check it for orphans, written out by hand.
#[derive(Debug, Clone, Copy)]
pub struct Rel {
    pub child: &'static str,
    pub child_columns: &'static [&'static str],
    pub parent: &'static str,
    pub parent_columns: &'static [&'static str],
}

impl Db {
    pub async fn sqlite() -> Db {
        let db = SqliteDb::create();
        let target = db.target();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        Db {
            pool: db.pool().await,
            url: format!("sqlite:{}", db.path.display()),
            target,
            pg: false,
            home: tempfile::tempdir().unwrap(),
            _pg: None,
            _lite: Some(db),
        }
    }

    pub async fn postgres(db: PgDb) -> Db {
        let target = db.target();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        Db {
            pool: db.pool().await,
            url: db.url.clone(),
            target,
            pg: true,
            home: tempfile::tempdir().unwrap(),
            _pg: Some(db),
            _lite: None,
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.pg { "postgres" } else { "sqlite" }
    }

    pub fn jobs_table(&self) -> &'static str {
        if self.pg {
            "trashcan.purge_jobs"
        } else {
            "trashcan_purge_jobs"
        }
    }

    pub fn rows_table(&self) -> &'static str {
        if self.pg {
            "trashcan.purge_rows"
        } else {
            "trashcan_purge_rows"
        }
    }

    pub fn audit_table(&self) -> &'static str {
        if self.pg {
            "trashcan.audit_log"
        } else {
            "trashcan_audit_log"
        }
    }

    pub async fn conn(&self) -> DbConn {
        self.pool.get().await.unwrap()
    }

    /// Runs a setup script. `{ts}` is the backend's timestamp type and `{recent}` a
    /// moment one day ago (well inside any cutoff used here); old rows carry literal
    /// dates years back.
    pub async fn exec(&self, sql: &str) {
        let sql = self.expand(sql);
        let mut c = self.conn().await;
        trashcan::db::batch_execute(&mut c, &sql)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }

    pub fn expand(&self, sql: &str) -> String {
        sql.replace("{ts}", if self.pg { "TIMESTAMPTZ" } else { "TIMESTAMP" })
            .replace(
                "{recent}",
                if self.pg {
                    "(now() - interval '1 day')"
                } else {
                    "datetime('now', '-1 day')"
                },
            )
            .replace(
                "{cutoff30}",
                if self.pg {
                    "(now() - interval '30 days')"
                } else {
                    "datetime('now', '-30 days')"
                },
            )
    }

    pub async fn catalog(&self, config: &Config) -> Catalog {
        let mut c = self.conn().await;
        Catalog::load(&mut c, config).await.unwrap()
    }

    /// The first column of every row, as text (NULL as `NULL`).
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        let mut c = self.conn().await;
        rows::query(&mut c, sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{e}\n{sql}"))
            .iter()
            .map(|r| r.text(0).unwrap_or_else(|| "NULL".into()))
            .collect()
    }

    pub async fn scalar(&self, sql: &str) -> String {
        self.strings(sql)
            .await
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        self.scalar(&format!("SELECT CAST(count(*) AS TEXT) FROM ({sql}) AS q"))
            .await
            .parse()
            .unwrap()
    }

    /// Every key of `table`, key columns joined with `,`.
    pub async fn keys(&self, table: &str, columns: &[&str]) -> BTreeSet<String> {
        let key: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        self.strings(&format!("SELECT {} FROM {table}", key.join(" || ',' || ")))
            .await
            .into_iter()
            .collect()
    }

    /// Child rows of `rel` whose parent is missing, as `child(key columns...)` text.
    pub async fn orphans(&self, rel: &Rel) -> Vec<String> {
        let set: Vec<String> = rel
            .child_columns
            .iter()
            .map(|c| format!("CAST(c.{c} AS TEXT)"))
            .collect();
        let not_null: Vec<String> = rel
            .child_columns
            .iter()
            .map(|c| format!("c.{c} IS NOT NULL"))
            .collect();
        let on: Vec<String> = rel
            .child_columns
            .iter()
            .zip(rel.parent_columns)
            .map(|(c, p)| format!("p.{p} = c.{c}"))
            .collect();
        self.strings(&format!(
            "SELECT {} FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
            set.join(" || ',' || "),
            rel.child,
            not_null.join(" AND "),
            rel.parent,
            on.join(" AND ")
        ))
        .await
    }

    /// No child without its parent along any of `rels`, and (SQLite) the database's own
    /// foreign key check agrees.
    pub async fn assert_no_orphans(&self, rels: &[Rel], context: &str) {
        for rel in rels {
            let orphans = self.orphans(rel).await;
            assert!(
                orphans.is_empty(),
                "{context} ({}): orphans along {}.{:?} → {}.{:?}: {orphans:?}",
                self.backend(),
                rel.child,
                rel.child_columns,
                rel.parent,
                rel.parent_columns
            );
        }
        if !self.pg {
            let mut c = self.conn().await;
            let broken = rows::query(&mut c, "PRAGMA foreign_key_check", &[])
                .await
                .unwrap();
            let broken: Vec<Vec<Option<String>>> = broken
                .iter()
                .map(|r| (0..r.len()).map(|i| r.text(i)).collect())
                .collect();
            assert!(
                broken.is_empty(),
                "{context}: foreign_key_check: {broken:?}"
            );
        }
    }

    /// Every base table of the database (data and bookkeeping), each row as one text,
    /// sorted. PostgreSQL sequences are left out: they move outside transactions.
    pub async fn dump_everything(&self) -> BTreeMap<String, Vec<String>> {
        let mut all = BTreeMap::new();
        if self.pg {
            let tables = self
                .strings(
                    "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) \
                     FROM information_schema.tables \
                     WHERE table_schema IN ('public', 'trashcan') AND table_type = 'BASE TABLE' \
                     ORDER BY 1",
                )
                .await;
            for t in tables {
                let rows = self
                    .strings(&format!("SELECT CAST(t AS TEXT) FROM {t} AS t ORDER BY 1"))
                    .await;
                all.insert(t, rows);
            }
        } else {
            let tables = self
                .strings("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
                .await;
            for t in tables {
                let columns = self
                    .strings(&format!(
                        "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
                    ))
                    .await;
                let row: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
                let rows = self
                    .strings(&format!(
                        "SELECT {} FROM \"{t}\" ORDER BY 1",
                        row.join(" || '|' || ")
                    ))
                    .await;
                all.insert(t, rows);
            }
        }
        assert!(all.len() >= 4, "{all:?}");
        all
    }

    pub async fn plan(
        &self,
        catalog: &Catalog,
        scope: &Scope,
        options: &PurgeOptions,
        reason: Option<&str>,
        persist: bool,
    ) -> Result<PurgePlan, EngineError> {
        let mut c = self.conn().await;
        purge::plan(&mut c, catalog, scope, options, &actor(), reason, persist).await
    }

    pub async fn run(
        &self,
        catalog: &Catalog,
        job: i64,
        control: &JobControl,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<RunOutcome, EngineError> {
        purge::run(&self.pool, catalog, job, &actor(), control, on_progress).await
    }

    /// A purge of all trash, planned and written (phase 1) for batches of `batch`.
    pub async fn plan_all(&self, catalog: &Catalog, batch: u32) -> PurgePlan {
        self.plan(
            catalog,
            &Scope::All,
            &options(batch, Duration::ZERO),
            None,
            true,
        )
        .await
        .unwrap()
    }

    /// Runs `job` to its end in batches of `batch`, without pauses, watching nothing.
    pub async fn run_in_batches(&self, catalog: &Catalog, job: i64, batch: u32) -> RunOutcome {
        self.run(
            catalog,
            job,
            &small_batches(batch, Duration::ZERO),
            &mut |_| {},
        )
        .await
        .unwrap()
    }

    /// The job's state and `deleted_rows`.
    pub async fn job(&self, id: i64) -> (String, i64) {
        let found = self
            .strings(&format!(
                "SELECT state || '|' || CAST(deleted_rows AS TEXT) FROM {} WHERE id = {id}",
                self.jobs_table()
            ))
            .await;
        let line = found.first().unwrap_or_else(|| panic!("no job {id}"));
        let (state, deleted) = line.split_once('|').unwrap();
        (state.to_owned(), deleted.parse().unwrap())
    }

    /// The audit actions recorded for a job, oldest first.
    pub async fn audit_actions(&self, job: i64) -> Vec<String> {
        self.strings(&format!(
            "SELECT action FROM {} WHERE job_id = {job} ORDER BY id",
            self.audit_table()
        ))
        .await
    }

    /// The job's frozen set as `table:k1,k2`.
    pub async fn frozen(&self, job: i64) -> BTreeSet<String> {
        let raw = self
            .strings(&format!(
                "SELECT table_name || '\u{1}' || key FROM {} WHERE job_id = {job}",
                self.rows_table()
            ))
            .await;
        raw.into_iter()
            .map(|line| {
                let (table, key) = line.split_once('\u{1}').unwrap();
                let key: Vec<String> = serde_json::from_str(key).unwrap();
                format!("{table}:{}", key.join(","))
            })
            .collect()
    }

    /// Writes a config file for the binary; returns its path.
    pub fn config_file(&self, text: &str) -> PathBuf {
        let path = self.home.path().join("purge.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The binary, pointed at this database, stdin not a terminal.
    pub fn command(&self, config: Option<&PathBuf>, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trashcan"));
        cmd.arg("--database-url").arg(&self.url);
        if let Some(config) = config {
            cmd.arg("--config").arg(config);
        }
        cmd.args(args)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("xdg"))
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null());
        cmd
    }

    pub fn bin(&self, config: Option<&PathBuf>, args: &[&str]) -> Output {
        self.command(config, args).output().unwrap()
    }
}

/// Every key of every table in `tables` (name, key columns), as `table:k1,k2`.
pub async fn all_keys(db: &Db, tables: &[(&str, &[&str])]) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for (table, columns) in tables {
        for key in db.keys(table, columns).await {
            all.insert(format!("{table}:{key}"));
        }
    }
    all
}

pub fn actor() -> Actor {
    Actor {
        os_user: "tester".into(),
        ssh_client: None,
    }
}

/// Config that names each table's `deleted_at` as its marker: fixtures whose every row
/// is trashed (hundreds of them) are no trash bin to detection, which takes a column
/// that calls every row trashed for something else.
pub fn declared(tables: &[&str]) -> String {
    tables
        .iter()
        .map(|t| format!("[tables.{t}]\ncolumn = \"deleted_at\"\n"))
        .collect()
}

/// [`declared`] for every soft-delete table of the blog.
pub fn blog_declared() -> String {
    declared(&["users", "posts", "comments", "likes", "attachments"])
}

/// A closure's counts as (live, trashed, same group) per table name.
pub fn by_table(
    found: &trashcan::engine::related::closure::ClosureCounts,
) -> BTreeMap<String, (u64, u64, u64)> {
    found
        .tables
        .iter()
        .map(|t| (t.table.name.clone(), (t.live, t.trashed, t.same_group)))
        .collect()
}

pub fn config(text: &str) -> Config {
    let (config, warnings) = Config::parse(text, "test config").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    config
}

pub fn days(n: u64) -> std::time::Duration {
    std::time::Duration::from_secs(n * 86_400)
}

pub fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs SQL on a fresh connection from a thread of its own: usable from inside the
/// engine's (synchronous) progress callback, between two of its batches.
pub fn exec_elsewhere(target: &DbTarget, sql: &str) {
    let target = target.clone();
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let pool = DbPool::connect(&target, &SessionSettings::default())
                .await
                .unwrap();
            let mut c = pool.get().await.unwrap();
            trashcan::db::batch_execute(&mut c, &sql)
                .await
                .unwrap_or_else(|e| panic!("{e}\n{sql}"));
        });
    })
    .join()
    .unwrap();
}

/// SplitMix64: deterministic, no dependencies.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A scenario run once on SQLite and once on PostgreSQL (skipped without a server).
macro_rules! on_both {
    ($scenario:ident, $lite:ident, $pg:ident $(, ignore = $why:literal)?) => {
        #[tokio::test(flavor = "multi_thread")]
        $(#[ignore = $why])?
        async fn $lite() {
            $scenario(&Db::sqlite().await).await;
        }

        #[tokio::test(flavor = "multi_thread")]
        $(#[ignore = $why])?
        async fn $pg() {
            let Some(pg) = PgDb::create(stringify!($pg)).await else {
                return;
            };
            $scenario(&Db::postgres(pg).await).await;
        }
    };
}

// ---------------------------------------------------------------------------------------
// Shared by the purge test files.

/// The blog's tables that soft-delete (and the config relation's child).
macro_rules! soft_blog_schema {
    () => {
        "
CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, deleted_at {ts});
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id),
    deleted_at {ts});
CREATE INDEX posts_user ON posts (user_id);
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id),
    parent_id BIGINT REFERENCES comments (id), deleted_at {ts});
CREATE INDEX comments_post ON comments (post_id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE TABLE likes (user_id BIGINT NOT NULL REFERENCES users (id),
    post_id BIGINT NOT NULL REFERENCES posts (id), deleted_at {ts},
    PRIMARY KEY (user_id, post_id));
CREATE INDEX likes_post ON likes (post_id);
CREATE TABLE attachments (id BIGINT PRIMARY KEY, post_ref BIGINT NOT NULL, deleted_at {ts});
CREATE INDEX attachments_post ON attachments (post_ref);
"
    };
}

/// The blog's soft-delete tables only.
pub const SOFT_BLOG_SCHEMA: &str = soft_blog_schema!();

/// The whole blog: its soft-delete tables, and two that do not soft-delete under posts
/// (one emptied by ON DELETE CASCADE, one holding its post with a plain key).
pub const BLOG_SCHEMA: &str = concat!(
    soft_blog_schema!(),
    "
CREATE TABLE post_tags (post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag TEXT NOT NULL, PRIMARY KEY (post_id, tag));
CREATE TABLE post_stats (post_id BIGINT PRIMARY KEY REFERENCES posts (id),
    views BIGINT NOT NULL);
"
);

/// The relation only the config knows.
pub const BLOG_CONFIG: &str = "
[[relations]]
child = \"attachments\"
child_columns = [\"post_ref\"]
parent = \"posts\"
parent_columns = [\"id\"]
";

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub fn small_batches(batch: u32, sleep: Duration) -> JobControl {
    let control = JobControl::default();
    *control.tuning.lock().unwrap() = Tuning {
        batch_size: batch,
        sleep,
        adaptive: false,
        target: Duration::from_millis(100),
    };
    control
}

pub fn options(batch: u32, sleep: Duration) -> PurgeOptions {
    PurgeOptions {
        older_than: Some(days(30)),
        batch_size: batch,
        sleep,
        ..PurgeOptions::default()
    }
}

pub fn planned_rows(plan: &purge::PurgePlan) -> Vec<(String, u64)> {
    plan.tables
        .iter()
        .map(|t| (t.name.clone(), t.rows))
        .collect()
}

/// The blog's relations among tables that soft-delete (the config relation included).
pub const SOFT_BLOG_RELS: &[Rel] = &[
    Rel {
        child: "posts",
        child_columns: &["user_id"],
        parent: "users",
        parent_columns: &["id"],
    },
    Rel {
        child: "comments",
        child_columns: &["post_id"],
        parent: "posts",
        parent_columns: &["id"],
    },
    Rel {
        child: "comments",
        child_columns: &["parent_id"],
        parent: "comments",
        parent_columns: &["id"],
    },
    Rel {
        child: "likes",
        child_columns: &["user_id"],
        parent: "users",
        parent_columns: &["id"],
    },
    Rel {
        child: "likes",
        child_columns: &["post_id"],
        parent: "posts",
        parent_columns: &["id"],
    },
    Rel {
        child: "attachments",
        child_columns: &["post_ref"],
        parent: "posts",
        parent_columns: &["id"],
    },
];

/// The blog's soft-delete tables and their keys.
pub const SOFT_BLOG_TABLES: &[(&str, &[&str])] = &[
    ("users", &["id"]),
    ("posts", &["id"]),
    ("comments", &["id"]),
    ("likes", &["user_id", "post_id"]),
    ("attachments", &["id"]),
];

/// For the binary: small batches with a pause between them, so a run of a thousand rows
/// takes a second or two; the target latency is tiny so adaptive sizing keeps the
/// batches small. With the blog's config relation.
pub const SMALL_BATCHES_CONFIG: &str = "
[purge]
batch_size = 10
sleep = \"5ms\"
target_batch = \"1ms\"

[[relations]]
child = \"attachments\"
child_columns = [\"post_ref\"]
parent = \"posts\"
parent_columns = [\"id\"]
";

/// How many rows of each table a mixed blog holds, and how many comments in a hundred
/// reply to an earlier one (reply chains take a purge more than one pass).
pub struct MixedBlog {
    pub users: u64,
    pub posts: u64,
    pub comments: u64,
    pub likes: u64,
    pub attachments: u64,
    pub replies_percent: Option<u64>,
}

impl MixedBlog {
    /// About 1,075 rows per unit of `scale`.
    pub fn scaled(scale: u64, replies_percent: Option<u64>) -> MixedBlog {
        MixedBlog {
            users: 50 * scale,
            posts: 200 * scale,
            comments: 600 * scale,
            likes: 150 * scale,
            attachments: 75 * scale,
            replies_percent,
        }
    }
}

/// A blog of random shape for `seed`: mostly old trash, some live rows (which keep their
/// ancestors), some trashed a day ago (`{recent}`).
pub fn mixed_blog_sql(seed: u64, blog: &MixedBlog) -> String {
    let mut rng = Rng::new(seed);
    let state = |rng: &mut Rng| -> String {
        match rng.below(100) {
            0..=9 => "NULL".into(),
            10..=17 => "{recent}".into(),
            _ => format!("'2020-0{}-1{} 00:00:00'", 1 + rng.below(9), rng.below(10)),
        }
    };
    let mut sql = String::new();
    let users: Vec<String> = (1..=blog.users)
        .map(|id| format!("({id}, 'u{id}', {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO users VALUES {};\n", users.join(", "));
    let posts: Vec<String> = (1..=blog.posts)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(blog.users), state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1..=blog.comments)
        .map(|id| {
            let post = 1 + rng.below(blog.posts);
            let parent = match blog.replies_percent {
                Some(percent) if id > 1 && rng.chance(percent) => {
                    (1 + rng.below(id - 1)).to_string()
                }
                _ => "NULL".into(),
            };
            format!("({id}, {post}, {parent}, {})", state(&mut rng))
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    let mut pairs = BTreeSet::new();
    while (pairs.len() as u64) < blog.likes {
        pairs.insert((1 + rng.below(blog.users), 1 + rng.below(blog.posts)));
    }
    let likes: Vec<String> = pairs
        .iter()
        .map(|(u, p)| format!("({u}, {p}, {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO likes VALUES {};\n", likes.join(", "));
    let attachments: Vec<String> = (1..=blog.attachments)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(blog.posts), state(&mut rng)))
        .collect();
    sql += &format!(
        "INSERT INTO attachments VALUES {};\n",
        attachments.join(", ")
    );
    sql
}

/// The server's clock (PostgreSQL), to tell sessions the binary opens later from the
/// test's own (both call themselves `trashcan`).
pub async fn server_clock(db: &Db) -> String {
    if db.pg {
        db.scalar("SELECT CAST(clock_timestamp() AS TEXT)").await
    } else {
        String::new()
    }
}

/// Waits until no session a killed binary opened (after `since`) is left (PostgreSQL):
/// the server rolls back its open transaction and drops its job lock only then.
pub async fn wait_sessions_gone(db: &Db, since: &str) {
    if !db.pg {
        return;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let sql = format!(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid() AND backend_start > CAST('{since}' AS TIMESTAMPTZ)"
    );
    while db.count(&sql).await > 0 {
        assert!(
            Instant::now() < deadline,
            "the killed session never went away"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
