//! Another session holds row locks on rows of the purge's next batch (PostgreSQL). The
//! batch waits up to lock_timeout, shrinks and retries with a pause, and the monitor is
//! told what it waits on; a deadlock the batch walks into is broken by the server and
//! retried the same way. Either way the job ends with the plan's exact counts, and the
//! other session's work is untouched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fault_support;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::PgDb;
use fault_support::{BLOG_TABLES, Watcher, planned_blog};
use purge_db::*;
use trashcan::db::{DbPool, SessionSettings};
use trashcan::engine::purge::{self, Progress, RunOutcome};

/// What the monitor was told over a run.
#[derive(Default)]
struct Seen {
    waits: Vec<String>,
    smallest_batch: u32,
    last: Progress,
}

impl Seen {
    fn record(&mut self, p: &Progress) {
        if let Some(what) = &p.waiting
            && self.waits.last() != Some(what)
        {
            self.waits.push(what.clone());
        }
        if self.smallest_batch == 0 || p.tuning.batch_size < self.smallest_batch {
            self.smallest_batch = p.tuning.batch_size;
        }
        self.last = p.clone();
    }

    fn any(&self, text: &str) -> bool {
        self.waits.iter().any(|w| w.contains(text))
    }
}

/// A pool whose sessions give up on a row lock after `lock_timeout`.
async fn pool_with_lock_timeout(db: &Db, lock_timeout: Duration) -> DbPool {
    let settings = SessionSettings {
        lock_timeout,
        ..SessionSettings::default()
    };
    DbPool::connect(&db.target, &settings).await.unwrap()
}

/// The last `n` comments in physical order, in physical order: rows of the comments'
/// first batch (the first pass walks the set backwards by position), which takes them
/// in physical order (a TID scan).
async fn last_comments(watch: &Watcher, n: usize) -> Vec<String> {
    watch
        .text(&format!(
            "SELECT CAST(id AS TEXT) FROM \
             (SELECT id, ctid FROM comments ORDER BY ctid DESC LIMIT {n}) AS last \
             ORDER BY ctid"
        ))
        .await
}

async fn assert_exact(db: &Db, job: i64, frozen: &BTreeSet<String>, before: &BTreeSet<String>) {
    let after = all_keys(db, BLOG_TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    assert!(
        gone == *frozen,
        "{} gone of {} planned",
        gone.len(),
        frozen.len()
    );
    db.assert_no_orphans(SOFT_BLOG_RELS, "after the run").await;
    assert_eq!(db.job(job).await, ("done".to_owned(), frozen.len() as i64));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_held_by_row_locks_waits_shrinks_and_retries() {
    let Some(pg) = PgDb::create("lock_contention").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    let (job, frozen, before) = planned_blog(&db).await;
    let catalog = db.catalog(&config("")).await;
    let run_pool = pool_with_lock_timeout(&db, Duration::from_millis(1_500)).await;

    // Another session locks five rows of the first batch for four seconds.
    let locker = Watcher::connect(&db.url).await;
    let locked = last_comments(&locker, 5).await;
    locker.client.batch_execute("BEGIN").await.unwrap();
    locker
        .text(&format!(
            "SELECT CAST(id AS TEXT) FROM comments WHERE id IN ({}) FOR UPDATE",
            locked.join(", ")
        ))
        .await;
    let held_for = Duration::from_secs(4);
    let released = tokio::spawn(async move {
        tokio::time::sleep(held_for).await;
        locker.client.batch_execute("COMMIT").await.unwrap();
        Instant::now()
    });

    let control = small_batches(40, Duration::ZERO);
    let mut seen = Seen::default();
    let started = Instant::now();
    let outcome = purge::run(&run_pool, &catalog, job, &actor(), &control, &mut |p| {
        seen.record(p)
    })
    .await
    .unwrap();
    let released = released.await.unwrap();

    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: frozen.len() as u64,
            kept: 0
        }
    );
    assert!(
        released.duration_since(started) < held_for + Duration::from_millis(500),
        "the lock was not held while the job ran"
    );
    assert!(
        seen.any("running for"),
        "the held-up batch was not shown: {:?}",
        seen.waits
    );
    assert!(
        seen.any(
            "another session held rows of the batch past lock_timeout: retry 1 of 8 with 10 rows"
        ),
        "the retry was not shown: {:?}",
        seen.waits
    );
    assert!(seen.last.retries >= 1, "{}", seen.last.retries);
    assert!(
        seen.smallest_batch <= 20,
        "never shrank: {}",
        seen.smallest_batch
    );
    assert_eq!(seen.last.waiting, None, "still shown as waiting at the end");
    assert_exact(&db, job, &frozen, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadlock_with_another_session_is_broken_and_the_batch_retried() {
    let Some(pg) = PgDb::create("lock_deadlock").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    let (job, frozen, before) = planned_blog(&db).await;
    let catalog = db.catalog(&config("")).await;
    let watch = Watcher::connect(&db.url).await;
    // The purge's sessions look for deadlocks soon; the other session much later, so
    // the server picks the batch as the one to cancel.
    let name = watch.text("SELECT current_database()").await.remove(0);
    watch
        .client
        .batch_execute(&format!(
            "ALTER DATABASE \"{name}\" SET deadlock_timeout = '200ms'"
        ))
        .await
        .unwrap();
    let run_pool = pool_with_lock_timeout(&db, Duration::from_secs(10)).await;

    // The first batch takes its rows in physical order: it takes `first`, then waits
    // for `fifth`, which the other session holds; the other session then asks for
    // `first`.
    let other = Watcher::connect(&db.url).await;
    let rows = last_comments(&other, 5).await;
    let (first, fifth) = (rows[0].clone(), rows[4].clone());
    other
        .client
        .batch_execute(&format!(
            "BEGIN; SET LOCAL deadlock_timeout = '10s'; \
             SELECT id FROM comments WHERE id = {fifth} FOR UPDATE;"
        ))
        .await
        .unwrap();

    let purge = tokio::spawn(async move {
        let control = small_batches(40, Duration::ZERO);
        let mut seen = Seen::default();
        let outcome = purge::run(&run_pool, &catalog, job, &actor(), &control, &mut |p| {
            seen.record(p)
        })
        .await;
        (outcome, seen)
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while watch
        .text(
            "SELECT CAST(pid AS TEXT) FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'trashcan' AND wait_event_type = 'Lock'",
        )
        .await
        .is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "the batch never waited on the lock"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Closes the cycle; returns once the server has cancelled the batch.
    other
        .client
        .batch_execute(&format!(
            "SELECT id FROM comments WHERE id = {first} FOR UPDATE"
        ))
        .await
        .expect("the other session was cancelled instead of the batch");
    tokio::time::sleep(Duration::from_millis(300)).await;
    other.client.batch_execute("COMMIT").await.unwrap();

    let (outcome, seen) = purge.await.unwrap();
    assert_eq!(
        outcome.unwrap(),
        RunOutcome::Done {
            deleted: frozen.len() as u64,
            kept: 0
        }
    );
    assert!(
        seen.any("a deadlock with another session: retry 1 of 8"),
        "the deadlock was not shown: {:?}",
        seen.waits
    );
    assert_exact(&db, job, &frozen, &before).await;
}
