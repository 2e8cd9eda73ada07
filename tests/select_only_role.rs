#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A database role with only SELECT, through the real binary: every write command
//! (restore with and without its group, purge of a table, of everything and of orphans,
//! resuming and abandoning a job, approving one) exits non-zero with a plain "no
//! permission" message naming what was refused, never a driver dump or a panic, and
//! writes nothing anywhere — data tables, jobs, frozen sets and the audit log compared
//! before and after. The read commands (tables, orphans, audit, jobs list) work. The
//! engine path the console uses (restore, move to trash, purge jobs) reports
//! `ErrorKind::Permission` and writes nothing either.

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{PgDb, RoleGuard};
use purge_db::*;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::ErrorKind;
use trashcan::engine::audit::Actor;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ApplyError, ChangeOptions};
use trashcan::engine::purge::{self, JobControl, PurgeOptions, Scope};
use trashcan::engine::sql::TableName;

/// Old trash (2020) in groups, recent trash, live rows, hard orphans (attachments 2 and
/// 4 point at posts that never existed) and soft ones (live rows under trashed post 30).
const DATA: &str = "
INSERT INTO users VALUES (1, 'ann', NULL), (2, 'bob', '2020-01-01 00:00:00'),
    (3, 'cat', NULL), (4, 'dan', {recent});
INSERT INTO posts VALUES (10, 1, NULL), (20, 2, '2020-01-01 00:00:00'),
    (30, 3, '2020-01-01 00:00:00'), (40, 1, {recent});
INSERT INTO comments VALUES (100, 10, NULL, NULL), (200, 20, NULL, '2020-01-01 00:00:00'),
    (300, 30, NULL, '2020-01-01 00:00:00'), (301, 30, 300, NULL);
INSERT INTO likes VALUES (1, 10, NULL), (2, 20, '2020-01-01 00:00:00'), (3, 30, NULL);
INSERT INTO attachments VALUES (1, 10, NULL), (2, 999, NULL), (3, 20, '2020-01-01 00:00:00'),
    (4, 998, '2020-01-01 00:00:00');
";

/// The OS user the binary runs as: a supervisor, so no check of the console's own
/// stands between the command and the database.
const PERSON: &str = "sam";

struct Fixture {
    /// Dropped first: the role goes before its database.
    _role: RoleGuard,
    db: Db,
    role: String,
    /// The database as the SELECT-only role sees it.
    role_url: String,
    config: PathBuf,
    /// Planned by postgres, ready to run: `jobs resume` and `jobs abandon` try it.
    ready: i64,
    /// Planned by postgres, waiting for a supervisor: `approve` tries it.
    waiting: i64,
}

impl Fixture {
    async fn new(tag: &str) -> Option<Fixture> {
        let pg = PgDb::create(tag).await?;
        let (db_name, db_url) = (pg.name.clone(), pg.url.clone());
        let db = Db::postgres(pg).await;
        db.exec(&format!("{SOFT_BLOG_SCHEMA}{DATA}")).await;

        // Two jobs, planned by someone else ("tester") with every privilege.
        let catalog = db.catalog(&config(BLOG_CONFIG)).await;
        let t = |name: &str| TableName::new(Some("public"), name);
        let ready = db
            .plan(
                &catalog,
                &Scope::Table(t("posts")),
                &options(100, Duration::ZERO),
                Some("planned by the owner"),
                true,
            )
            .await
            .unwrap()
            .job_id
            .unwrap();
        let waiting = db
            .plan(
                &catalog,
                &Scope::Table(t("users")),
                &PurgeOptions {
                    approval_above: 1,
                    ..options(100, Duration::ZERO)
                },
                Some("needs a second person"),
                true,
            )
            .await
            .unwrap()
            .job_id
            .unwrap();
        assert_eq!(db.job(ready).await.0, "planned");
        assert_eq!(db.job(waiting).await.0, "pending_approval");

        // Roles are cluster-wide: the name carries this database's unique suffix.
        let suffix = db_name.trim_start_matches(&format!("trashcan_test_{tag}_"));
        let role = format!("tcro_{tag}_{suffix}");
        assert!(role.len() <= 63, "role name too long: {role}");
        common::admin_exec(&format!("CREATE ROLE \"{role}\" LOGIN")).await;
        let guard = RoleGuard {
            role: role.clone(),
            db_url,
        };
        db.exec(&format!(
            "GRANT USAGE ON SCHEMA public, trashcan TO \"{role}\";
             GRANT SELECT ON ALL TABLES IN SCHEMA public, trashcan TO \"{role}\";"
        ))
        .await;
        let config = db.config_file(&format!(
            "{BLOG_CONFIG}\n[supervision.roles]\n{PERSON} = \"supervisor\"\n"
        ));
        Some(Fixture {
            _role: guard,
            role_url: format!("postgres://{role}@127.0.0.1:5432/{db_name}?sslmode=disable"),
            role,
            db,
            config,
            ready,
            waiting,
        })
    }

    /// `{ready}` and `{waiting}` in `args` stand for the jobs' ids.
    fn args(&self, args: &[&str]) -> Vec<String> {
        args.iter()
            .map(|a| {
                a.replace("{ready}", &self.ready.to_string())
                    .replace("{waiting}", &self.waiting.to_string())
            })
            .collect()
    }

    /// The real binary, connected as the SELECT-only role, run by `PERSON`.
    fn bin(&self, args: &[String]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_trashcan"))
            .arg("--database-url")
            .arg(&self.role_url)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("HOME", self.db.home.path())
            .env("XDG_CONFIG_HOME", self.db.home.path().join("xdg"))
            .env("USER", PERSON)
            .env("LOGNAME", PERSON)
            .env_remove("SUDO_USER")
            .env_remove("SSH_CONNECTION")
            .env_remove("SSH_CLIENT")
            .env_remove("DATABASE_URL")
            .env_remove("TRASHCAN_LOG")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// A pool connected as the SELECT-only role, for the engine's own calls.
    async fn role_pool(&self) -> DbPool {
        let target = DbTarget::parse(&self.role_url).unwrap();
        DbPool::connect(&target, &SessionSettings::default())
            .await
            .unwrap()
    }

    async fn audit_entries(&self) -> i64 {
        self.db.count("SELECT 1 FROM trashcan.audit_log").await
    }

    /// Tables whose rows differ between two snapshots, with what was added and removed.
    fn changes(
        before: &BTreeMap<String, Vec<String>>,
        after: &BTreeMap<String, Vec<String>>,
    ) -> Vec<String> {
        let tables: std::collections::BTreeSet<&String> =
            before.keys().chain(after.keys()).collect();
        let mut changed = Vec::new();
        for table in tables {
            let (b, a) = (before.get(table), after.get(table));
            if b == a {
                continue;
            }
            let (b, a) = (
                b.cloned().unwrap_or_default(),
                a.cloned().unwrap_or_default(),
            );
            let short = |r: &String| r.chars().take(120).collect::<String>();
            let gone: Vec<String> = b.iter().filter(|r| !a.contains(r)).map(short).collect();
            let new: Vec<String> = a.iter().filter(|r| !b.contains(r)).map(short).collect();
            changed.push(format!("{table}: removed {gone:?}, added {new:?}"));
        }
        changed
    }
}

/// Runs a write command as the SELECT-only role and collects every way it falls short:
/// exit code, message, anything written. `names`: what the message may name as refused
/// (one is enough).
async fn refused(tag: &str, args: &[&str], names: &[&str]) {
    let Some(f) = Fixture::new(tag).await else {
        return;
    };
    let args = f.args(args);
    let before = f.db.dump_everything().await;
    let audit_before = f.audit_entries().await;
    let started = std::time::Instant::now();
    let out = f.bin(&args);
    let took = started.elapsed();
    let after = f.db.dump_everything().await;
    let text = describe(&out);
    let lower = text.to_lowercase();
    eprintln!("--- {} ({took:?})\n{text}", args.join(" "));

    let mut problems = Vec::new();
    match out.status.code() {
        Some(0) => problems.push("exit code 0 on a refused write".to_owned()),
        None => problems.push("killed by a signal".to_owned()),
        Some(_) => {}
    }
    if !(lower.contains("no permission") || lower.contains("no update/delete permission")) {
        problems.push("does not say plainly that there is no permission".to_owned());
    }
    if !names.iter().any(|n| lower.contains(&n.to_lowercase())) {
        problems.push(format!("names none of {names:?} as what was refused"));
    }
    if lower.contains("migrat") {
        problems.push("blames a migration the command did not ask for".to_owned());
    }
    for raw in [
        "panicked",
        "stack backtrace",
        "location:",
        "databaseerror",
        "sqlstate",
    ] {
        if lower.contains(raw) {
            problems.push(format!("a raw dump or a panic ({raw:?})"));
        }
    }
    problems.extend(
        Fixture::changes(&before, &after)
            .into_iter()
            .map(|c| format!("wrote {c}")),
    );
    let audit_after = f.audit_entries().await;
    if audit_after != audit_before {
        problems.push(format!(
            "the audit log went from {audit_before} to {audit_after} entries"
        ));
    }
    assert!(
        problems.is_empty(),
        "`trashcan {}` as SELECT-only role {}:\n  - {}\n{text}",
        args.join(" "),
        f.role,
        problems.join("\n  - ")
    );
}

/// Runs a read command as the SELECT-only role: it exits with `code`, its output holds
/// every one of `expect`, it says nothing of errors, and nothing is written.
async fn works(tag: &str, args: &[&str], code: i32, expect: &[&str]) {
    let Some(f) = Fixture::new(tag).await else {
        return;
    };
    let args = f.args(args);
    let before = f.db.dump_everything().await;
    let out = f.bin(&args);
    let text = describe(&out);
    eprintln!("--- {}\n{text}", args.join(" "));
    let lower = text.to_lowercase();
    let mut problems = Vec::new();
    if out.status.code() != Some(code) {
        problems.push(format!("exit {:?}, expected {code}", out.status.code()));
    }
    for e in expect {
        if !text.contains(e) {
            problems.push(format!("output lacks {e:?}"));
        }
    }
    for bad in ["error", "permission", "panicked", "failed"] {
        if lower.contains(bad) {
            problems.push(format!("output says {bad:?}"));
        }
    }
    problems.extend(Fixture::changes(&before, &f.db.dump_everything().await));
    assert!(
        problems.is_empty(),
        "`trashcan {}` as SELECT-only role {} should work:\n  - {}\n{text}",
        args.join(" "),
        f.role,
        problems.join("\n  - ")
    );
}

/// One test per write command.
macro_rules! refused {
    ($name:ident, [$($arg:literal),* $(,)?], names = [$($n:literal),* $(,)?]) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            refused(stringify!($name), &[$($arg),*], &[$($n),*]).await;
        }
    };
}

/// One test per read command.
macro_rules! works {
    ($name:ident, [$($arg:literal),* $(,)?], exit = $code:literal, shows = [$($e:literal),* $(,)?]) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            works(stringify!($name), &[$($arg),*], $code, &[$($e),*]).await;
        }
    };
}

// ---------------------------------------------------------------------------------------
// Writes: refused plainly, nothing written.

refused!(
    restore_rows,
    [
        "restore", "--table", "posts", "--key", "40", "--reason", "r"
    ],
    names = ["posts"]
);
refused!(
    restore_with_group,
    [
        "restore",
        "--table",
        "users",
        "--key",
        "2",
        "--with-group",
        "--reason",
        "r"
    ],
    names = ["users", "posts", "comments", "likes", "attachments"]
);
refused!(
    purge_table,
    [
        "purge",
        "--table",
        "posts",
        "--older-than",
        "30d",
        "--yes",
        "--reason",
        "r"
    ],
    names = ["posts"]
);
refused!(
    purge_all,
    ["purge", "--older-than", "30d", "--yes", "--reason", "r"],
    names = [
        "users",
        "posts",
        "comments",
        "likes",
        "attachments",
        "purge_jobs"
    ]
);
refused!(
    purge_retention,
    ["purge", "--retention", "--yes", "--reason", "r"],
    names = [
        "users",
        "posts",
        "comments",
        "likes",
        "attachments",
        "purge_jobs"
    ]
);
refused!(
    purge_orphans,
    [
        "purge",
        "--orphans",
        "attachments.post_ref",
        "--yes",
        "--reason",
        "r"
    ],
    names = ["attachments"]
);
refused!(
    jobs_resume,
    ["jobs", "resume", "{ready}"],
    names = ["purge_jobs", "purge_rows", "posts", "comments"]
);
refused!(
    jobs_abandon,
    ["jobs", "abandon", "{ready}", "--reason", "r"],
    names = ["purge_jobs", "purge_rows", "audit_log"]
);
refused!(
    approve,
    ["approve", "{waiting}", "--reason", "r"],
    names = ["purge_jobs", "audit_log"]
);

// ---------------------------------------------------------------------------------------
// Reads: they work for a role that may only read.

works!(
    tables,
    ["tables"],
    exit = 0,
    shows = ["users", "posts", "comments", "likes", "attachments"]
);
works!(
    orphans,
    ["orphans"],
    exit = 1,
    shows = ["attachments.post_ref"]
);
works!(audit, ["audit"], exit = 0, shows = ["purge plan", "tester"]);
works!(
    purge_dry_run,
    ["purge", "--older-than", "30d", "--dry-run"],
    exit = 0,
    shows = [
        "dry run: nothing was written",
        "rows in all",
        "this role may not delete from"
    ]
);
works!(
    purge_orphans_dry_run,
    ["purge", "--orphans", "attachments.post_ref", "--dry-run"],
    exit = 0,
    shows = ["dry run: nothing was written", "attachments"]
);
works!(
    jobs_list,
    ["jobs", "list"],
    exit = 0,
    shows = [
        "pending_approval",
        "the trash of users",
        "planned",
        "the trash of posts"
    ]
);

// ---------------------------------------------------------------------------------------
// The engine as the console calls it, on a pool connected as the role.

fn person() -> Actor {
    Actor {
        os_user: PERSON.into(),
        ssh_client: None,
    }
}

/// The console's restore and move to trash: refused by the database with
/// `ErrorKind::Permission` (the preview already names the tables), nothing written.
async fn engine_change(tag: &str, trash: bool) {
    let Some(f) = Fixture::new(tag).await else {
        return;
    };
    let before = f.db.dump_everything().await;
    let pool = f.role_pool().await;
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config(BLOG_CONFIG))
        .await
        .unwrap();
    let users = TableName::new(Some("public"), "users");
    let options = ChangeOptions {
        with_group: true,
        ..ChangeOptions::default()
    };
    let preview = if trash {
        change::plan_trash(&mut conn, &catalog, &users, &[vec!["1".into()]], &options).await
    } else {
        change::plan_restore(&mut conn, &catalog, &users, &[vec!["2".into()]], &options).await
    }
    .unwrap();
    assert!(preview.change.rows() > 0, "{preview:?}");
    assert!(!preview.can_apply(), "the preview shows the refusal");
    assert!(
        preview
            .blockers
            .iter()
            .any(|b| b.describe().contains("no UPDATE/DELETE permission")),
        "{:?}",
        preview.blockers
    );
    match change::apply(&mut conn, &catalog, &preview.change, &person(), Some("r")).await {
        Err(ApplyError::Failed(e)) => {
            assert_eq!(e.kind, ErrorKind::Permission, "{e}");
            assert!(e.message.contains("no permission"), "{e}");
        }
        other => panic!("expected a permission failure, got {other:?}"),
    }
    drop(conn);
    drop(pool);
    assert_eq!(
        Fixture::changes(&before, &f.db.dump_everything().await),
        Vec::<String>::new()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn engine_restore() {
    engine_change("engine_restore", false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn engine_trash() {
    engine_change("engine_trash", true).await;
}

/// Running, abandoning and approving a job through the engine: `ErrorKind::Permission`,
/// and the jobs, their frozen sets, the data and the audit log stay as they were.
#[tokio::test(flavor = "multi_thread")]
async fn engine_purge_jobs() {
    let Some(f) = Fixture::new("engine_purge").await else {
        return;
    };
    let before = f.db.dump_everything().await;
    let pool = f.role_pool().await;
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config(BLOG_CONFIG))
        .await
        .unwrap();
    let permission = |what: &str, e: trashcan::engine::EngineError| {
        assert_eq!(e.kind, ErrorKind::Permission, "{what}: {e}");
        assert!(e.message.contains("no permission"), "{what}: {e}");
    };
    let e = purge::plan(
        &mut conn,
        &catalog,
        &Scope::Table(TableName::new(Some("public"), "posts")),
        &options(100, Duration::ZERO),
        &person(),
        Some("r"),
        true,
    )
    .await
    .unwrap_err();
    assert!(
        e.message.contains("no UPDATE/DELETE permission"),
        "plan: {e}"
    );
    let e = purge::abandon(&mut conn, f.ready, &person(), Some("r"))
        .await
        .unwrap_err();
    permission("abandon", e);
    let e = purge::approve(
        &mut conn,
        f.waiting,
        &person(),
        true,
        "r",
        Duration::from_secs(60),
    )
    .await
    .unwrap_err();
    permission("approve", e);
    drop(conn);
    let e = purge::run(
        &pool,
        &catalog,
        f.ready,
        &person(),
        &JobControl::default(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    permission("run", e);
    drop(pool);
    assert_eq!(
        Fixture::changes(&before, &f.db.dump_everything().await),
        Vec::<String>::new()
    );
    assert_eq!(f.db.job(f.ready).await.0, "planned");
    assert_eq!(f.db.job(f.waiting).await.0, "pending_approval");
}
