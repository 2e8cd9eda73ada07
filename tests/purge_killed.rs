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

/// SQLite runs at scale 2, PostgreSQL at scale 1
/// since its plan is slow (see `plan_is_not_quadratic_postgres` in tests/purge.rs). No
/// comment replies to another here: a reply chain takes several passes (see
/// `killed_after_a_kept_reply_chain_*`).
fn seed_sql(seed: u64, scale: u64) -> String {
    mixed_blog_sql(seed, &MixedBlog::scaled(scale, None))
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
    let after = all_keys(db, SOFT_BLOG_TABLES).await;
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
    let config = config(SMALL_BATCHES_CONFIG);
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
    let before = all_keys(db, SOFT_BLOG_TABLES).await;
    assert!(frozen.is_subset(&before));
    db.assert_no_orphans(SOFT_BLOG_RELS, "before").await;

    // A run takes about (rows / 10) batches of 5 ms sleep and some 5 ms of work (10 on
    // PostgreSQL), after the binary's start; the kill lands anywhere in there, or
    // (rarely) after the end.
    let expected_ms = plan.total() * if db.pg { 3 } else { 2 } / 2 + 100;
    let mut rng = Rng::new(seed.wrapping_mul(7919));
    let delay = Duration::from_millis(rng.below(expected_ms));
    let file = db.config_file(SMALL_BATCHES_CONFIG);
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
    let settings = format!("{SMALL_BATCHES_CONFIG}{}", declared(&["comments"]));
    let catalog = db.catalog(&config(&settings)).await;
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
    let before = all_keys(db, SOFT_BLOG_TABLES).await;

    let file = db.config_file(&settings);
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
