//! A purge job killed with SIGKILL at a random point, then resumed: every batch commits
//! with its checkpoint, so whatever the moment of the kill, the database holds no orphan,
//! deletes nothing outside the frozen set, and the resumed job deletes all of it with an
//! exact count. The real binary runs `trashcan jobs resume ID` on a job planned by the
//! engine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::PgDb;
use purge_db::*;
use trashcan::engine::purge::{PurgeOptions, Scope};

/// Small batches with a pause between them, so a run takes a second or two; the target
/// latency is tiny so adaptive sizing keeps the batches small.
const CONFIG: &str = "
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

const TABLES: &[(&str, &[&str])] = &[
    ("users", &["id"]),
    ("posts", &["id"]),
    ("comments", &["id"]),
    ("likes", &["user_id", "post_id"]),
    ("attachments", &["id"]),
];

/// Rows per table per unit of scale. SQLite runs at scale 2, PostgreSQL at scale 1
/// since its plan is slow (see `plan_is_not_quadratic_postgres` in tests/purge.rs).
const USERS: u64 = 50;
const POSTS: u64 = 200;
const COMMENTS: u64 = 600;
const LIKES: u64 = 150;
const ATTACHMENTS: u64 = 75;

/// About 1,075 rows per unit of `scale`: mostly old trash, some live (which keeps their
/// ancestors), some trashed a day ago. No comment replies to another here: a reply chain
/// takes several passes, which a resumed job gets wrong (see
/// `killed_after_a_kept_reply_chain_*`).
fn seed_sql(seed: u64, scale: u64) -> String {
    let (n_users, n_posts, n_comments, n_likes, n_attachments) = (
        USERS * scale,
        POSTS * scale,
        COMMENTS * scale,
        LIKES * scale,
        ATTACHMENTS * scale,
    );
    let mut rng = Rng::new(seed);
    let state = |rng: &mut Rng| -> String {
        match rng.below(100) {
            0..=9 => "NULL".into(),
            10..=17 => "{recent}".into(),
            _ => format!("'2020-0{}-1{} 00:00:00'", 1 + rng.below(9), rng.below(10)),
        }
    };
    let mut sql = String::new();
    let users: Vec<String> = (1..=n_users)
        .map(|id| format!("({id}, 'u{id}', {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO users VALUES {};\n", users.join(", "));
    let posts: Vec<String> = (1..=n_posts)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(n_users), state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1..=n_comments)
        .map(|id| {
            let post = 1 + rng.below(n_posts);
            format!("({id}, {post}, NULL, {})", state(&mut rng))
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    let mut pairs = BTreeSet::new();
    while (pairs.len() as u64) < n_likes {
        pairs.insert((1 + rng.below(n_users), 1 + rng.below(n_posts)));
    }
    let likes: Vec<String> = pairs
        .iter()
        .map(|(u, p)| format!("({u}, {p}, {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO likes VALUES {};\n", likes.join(", "));
    let attachments: Vec<String> = (1..=n_attachments)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(n_posts), state(&mut rng)))
        .collect();
    sql += &format!(
        "INSERT INTO attachments VALUES {};\n",
        attachments.join(", ")
    );
    sql
}

/// The server's clock (PostgreSQL), to tell the binary's sessions from the test's own
/// (both call themselves `trashcan`).
async fn server_clock(db: &Db) -> String {
    if db.pg {
        db.scalar("SELECT CAST(clock_timestamp() AS TEXT)").await
    } else {
        String::new()
    }
}

/// Waits until no session the killed binary opened (after `since`) is left on the server
/// (PostgreSQL): the server rolls back its open transaction and drops its job lock only
/// then.
async fn wait_sessions_gone(db: &Db, since: &str) {
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

/// What holds after every commit: no orphan, nothing gone outside the frozen set, and the
/// job's count is the number of rows gone.
async fn assert_consistent(
    db: &Db,
    job: i64,
    before: &BTreeSet<String>,
    frozen: &BTreeSet<String>,
    context: &str,
) -> BTreeSet<String> {
    db.assert_no_orphans(SOFT_BLOG_RELS, context).await;
    let after = all_keys(db, TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    let outside: Vec<&String> = gone.difference(frozen).collect();
    assert!(
        outside.is_empty(),
        "{context}: deleted outside the frozen set: {outside:?}"
    );
    let (_, deleted) = db.job(job).await;
    assert_eq!(
        deleted as usize,
        gone.len(),
        "{context}: the job's deleted_rows against the rows actually gone"
    );
    gone
}

/// One seed: plan, snapshot, `jobs resume` killed after a random delay, `jobs resume`
/// again to the end, and the checks.
async fn killed_and_resumed(db: &Db, seed: u64) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let scale = if db.pg { 1 } else { 2 };
    db.exec(&seed_sql(seed, scale)).await;
    let config = config(CONFIG);
    let catalog = db.catalog(&config).await;
    let options = PurgeOptions {
        older_than: Some(days(30)),
        batch_size: 10,
        sleep: Duration::from_millis(5),
        ..PurgeOptions::default()
    };
    let plan = db
        .plan(&catalog, &Scope::All, &options, None, true)
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    assert!(plan.total() > 400 * scale, "seed {seed}: {}", plan.total());
    let frozen = db.frozen(job).await;
    assert_eq!(frozen.len() as u64, plan.total());
    let before = all_keys(db, TABLES).await;
    assert!(frozen.is_subset(&before));
    db.assert_no_orphans(SOFT_BLOG_RELS, "before").await;

    // A run takes about (rows / 10) batches of 5 ms sleep and some 5 ms of work (10 on
    // PostgreSQL), after the binary's start; the kill lands anywhere in there, or
    // (rarely) after the end.
    let expected_ms = plan.total() * if db.pg { 3 } else { 2 } / 2 + 100;
    let mut rng = Rng::new(seed.wrapping_mul(7919));
    let delay = Duration::from_millis(rng.below(expected_ms));
    let file = db.config_file(CONFIG);
    let id = job.to_string();
    let context = format!(
        "{} seed {seed}, killed after {delay:?} of ~{expected_ms} ms",
        db.backend()
    );
    let since = server_clock(db).await;
    let started = Instant::now();
    let mut child = db
        .command(Some(&file), &["jobs", "resume", &id])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(delay).await;
    child.kill().unwrap();
    let status = child.wait().unwrap();
    wait_sessions_gone(db, &since).await;
    let gone = assert_consistent(
        db,
        job,
        &before,
        &frozen,
        &format!("{context}, after the kill"),
    )
    .await;
    let (state, _) = db.job(job).await;
    eprintln!(
        "{context}: {status}, {} of {} rows gone, state {state}",
        gone.len(),
        frozen.len()
    );

    if state != "done" {
        let out = db.bin(Some(&file), &["jobs", "resume", &id]);
        assert_eq!(out.status.code(), Some(0), "{context}: {}", describe(&out));
    }
    let gone = assert_consistent(db, job, &before, &frozen, &format!("{context}, resumed")).await;
    let left: Vec<&String> = frozen.difference(&gone).collect();
    assert!(
        left.is_empty(),
        "{context}: rows of the frozen set still there after the job finished: {} of them, {:?}",
        left.len(),
        left.iter().take(20).collect::<Vec<_>>()
    );
    assert_eq!(
        db.job(job).await,
        ("done".to_owned(), frozen.len() as i64),
        "{context}"
    );
    eprintln!("{context}: done in {:?}", started.elapsed());
}

async fn sqlite_seeds(seeds: std::ops::Range<u64>) {
    for seed in seeds {
        killed_and_resumed(&Db::sqlite().await, seed).await;
    }
}

async fn postgres_seeds(seeds: std::ops::Range<u64>) {
    for seed in seeds {
        let Some(pg) = PgDb::create("purge_killed").await else {
            return;
        };
        killed_and_resumed(&Db::postgres(pg).await, seed).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_and_resumed_sqlite_seeds_1_to_10() {
    sqlite_seeds(1..11).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_and_resumed_sqlite_seeds_11_to_20() {
    sqlite_seeds(11..21).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_and_resumed_postgres_seeds_1_to_5() {
    postgres_seeds(1..6).await;
}

// A reply chain takes a pass per level, since a comment waits for its reply. The first
// batch keeps ten of the chain back; the job is killed well after that, in the same
// pass, and resumed: it must still take the whole chain rather than end `done` with
// the ten left in its frozen set.

async fn killed_after_a_kept_reply_chain(db: &Db) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let mut sql = String::from(
        "INSERT INTO users VALUES (1, 'ann', NULL);
         INSERT INTO posts VALUES (1, 1, NULL);
         INSERT INTO comments VALUES (1010, 1, NULL, '2020-01-01 00:00:00');\n",
    );
    for id in 1011..=1020 {
        sql += &format!(
            "INSERT INTO comments VALUES ({id}, 1, {}, '2020-01-01 00:00:00');\n",
            id - 1
        );
    }
    let plain: Vec<String> = (1100..1600)
        .map(|id| format!("({id}, 1, NULL, '2020-01-01 00:00:00')"))
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};", plain.join(", "));
    db.exec(&sql).await;
    let catalog = db.catalog(&config(CONFIG)).await;
    let options = PurgeOptions {
        older_than: Some(days(30)),
        batch_size: 10,
        sleep: Duration::from_millis(5),
        ..PurgeOptions::default()
    };
    let plan = db
        .plan(&catalog, &Scope::All, &options, None, true)
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    assert_eq!(plan.total(), 511);
    let frozen = db.frozen(job).await;
    let before = all_keys(db, TABLES).await;

    let file = db.config_file(CONFIG);
    let id = job.to_string();
    let since = server_clock(db).await;
    let mut child = db
        .command(Some(&file), &["jobs", "resume", &id])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while db.job(job).await.1 < 150 {
        assert!(Instant::now() < deadline, "the job never got going");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    wait_sessions_gone(db, &since).await;
    let (state, deleted) = db.job(job).await;
    assert_eq!(
        state, "running",
        "killed before the end ({deleted} rows gone)"
    );
    assert_consistent(db, job, &before, &frozen, "after the kill").await;

    let out = db.bin(Some(&file), &["jobs", "resume", &id]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let gone = assert_consistent(db, job, &before, &frozen, "resumed").await;
    let left: Vec<&String> = frozen.difference(&gone).collect();
    assert!(
        left.is_empty(),
        "{}: the job is {:?} with rows of its frozen set still there: {left:?}",
        db.backend(),
        db.job(job).await
    );
}

on_both!(
    killed_after_a_kept_reply_chain,
    killed_after_a_kept_reply_chain_sqlite,
    killed_after_a_kept_reply_chain_postgres
);
