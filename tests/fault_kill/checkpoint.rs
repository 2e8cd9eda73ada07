//! Deterministic kills inside a batch, at its checkpoint (PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// (c) PostgreSQL: killed inside a batch, at its checkpoint write, made deterministic by a
// lock on the job row.

/// Keys of the rows of `SOFT_BLOG_TABLES` that the transaction `xid` deleted (uncommitted: the
/// rows are still visible, their `xmax` is the deleter's transaction).
pub(crate) async fn deleted_by(db: &Db, xid: &str) -> BTreeSet<String> {
    keys_where(db, &format!("xmax = CAST('{xid}' AS xid)")).await
}

pub(crate) async fn checkpoint_lock_seed(seed: u64) -> Option<Outcome> {
    let s = setup(fresh_db(true, "fault_lock").await?, seed).await;
    let db = &s.db;
    let (job, frozen) = engine_plan(&s, seed).await;
    let mut rng = Rng::new(seed.wrapping_mul(104_729) ^ 0xc);
    let total = frozen.len() as i64;
    // Block the batch after this many rows are deleted: 5% to 75% of the plan; or, in
    // some seeds, as soon as the job is in its second pass (the comments a reply kept
    // back), where the lock may also catch the job's final state change.
    let later = rng.chance(30);
    let target = (total * (5 + rng.below(71)) as i64 / 100).max(1);
    let context = if later {
        format!("postgres seed {seed}, locked in pass 1 ({total} rows)")
    } else {
        format!("postgres seed {seed}, locked after {target} of {total} rows")
    };

    // The test's own session that takes the lock, opened before the binary starts.
    let (locker, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let connection = tokio::spawn(connection);
    let id = job.to_string();
    let since = server_clock(db).await;
    let mut bin = Running::spawn(db, &["jobs", "resume", &id]);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let there = if later {
            job_pass(db, job).await > 0
        } else {
            job_row(db, job).await.1 >= target
        };
        if there || bin.exited() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{context}: the job never got there"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    locker.batch_execute("BEGIN").await.unwrap();
    locker
        .execute(
            &format!(
                "SELECT id FROM {} WHERE id = {job} FOR UPDATE",
                db.jobs_table()
            ),
            &[],
        )
        .await
        .unwrap();
    // From here no batch can commit: each one ends by writing its checkpoint to this row.
    let (_, at_lock, _, _) = job_row(db, job).await;
    let pass_at_lock = job_pass(db, job).await;
    let keys_at_lock = all_keys(db, SOFT_BLOG_TABLES).await;
    let left_at_lock = db.frozen(job).await;

    // The binary's session waits on the lock (its lock_timeout is 5 s), unless the job
    // ended first (possible only in its last pass).
    let deadline = Instant::now() + Duration::from_secs(4);
    let waiting = loop {
        if let Some(found) = lock_waiter(db, RUNNER).await {
            break Some(found);
        }
        if later && bin.exited() {
            break None;
        }
        assert!(
            Instant::now() < deadline,
            "{context}: the binary never waited on the job row lock; its session: {:?}",
            runner_session(db).await
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let Some((xid, query)) = waiting else {
        locker.batch_execute("ROLLBACK").await.unwrap();
        drop(locker);
        let _ = connection.await;
        let (status, _) = bin.kill();
        assert!(status.success(), "{context}: {status}");
        eprintln!("{context}: the job ended before the lock");
        let e = Expect {
            before: &s.before,
            frozen: &frozen,
            restored: &BTreeSet::new(),
        };
        let passes = check_finished(db, job, &e, &format!("{context}, ended")).await;
        return Some(Outcome {
            kills: vec![Kill {
                point: "pass1-ended-before-the-lock".into(),
                session: None,
                later_pass: false,
            }],
            restored: false,
            passes,
        });
    };
    let query = query.trim_start();
    assert!(!xid.is_empty(), "{context}: no transaction of the binary's");
    // It is the batch's checkpoint, inside the batch's transaction, after its DELETE;
    // or, at the end, the job's final state change.
    let final_state = query.starts_with("UPDATE") && query.contains("SET state");
    assert!(
        query.starts_with("UPDATE") && query.contains("SET pass") || later && final_state,
        "{context}: the binary waits on another statement: {query}"
    );
    let pending = deleted_by(db, &xid).await;
    let forgotten = db
        .count(&format!(
            "SELECT 1 FROM {} WHERE job_id = {job} AND xmax = CAST('{xid}' AS xid)",
            db.rows_table()
        ))
        .await;
    assert!(
        pending.is_subset(&left_at_lock),
        "{context}: the batch deletes rows outside the frozen set: {pending:?}"
    );
    assert_eq!(
        forgotten as usize,
        pending.len(),
        "{context}: the batch forgets other rows than it deletes"
    );
    let point = if final_state {
        assert!(pending.is_empty(), "{context}: {pending:?}");
        "final-state-update"
    } else if pending.is_empty() {
        "checkpoint-no-deletes"
    } else {
        "checkpoint-with-deletes"
    };
    let point = if later {
        format!("pass1-{point}")
    } else {
        point.to_owned()
    };
    let (status, _) = bin.kill();
    assert!(!status.success(), "{context}: {status}");
    locker.batch_execute("ROLLBACK").await.unwrap();
    drop(locker);
    let _ = connection.await;
    wait_sessions_gone(db, &since).await;
    eprintln!(
        "{context}: killed waiting at {point} in pass {pass_at_lock}, {} rows deleted in the \
         open batch",
        pending.len()
    );
    assert_ne!(db.job(job).await.0, "done", "{context}");

    // The open batch was rolled back whole: the database is as at the lock.
    assert_eq!(
        all_keys(db, SOFT_BLOG_TABLES).await,
        keys_at_lock,
        "{context}: rows changed after the last checkpoint"
    );
    assert_eq!(job_row(db, job).await.1, at_lock, "{context}: deleted_rows");
    assert_eq!(db.frozen(job).await, left_at_lock, "{context}: frozen set");
    let e = Expect {
        before: &s.before,
        frozen: &frozen,
        restored: &BTreeSet::new(),
    };
    check(db, job, &e, &format!("{context}, after the kill")).await;

    let restored = if rng.chance(30) {
        {
            let n = 1 + rng.below(3) as usize;
            restore_some(&s, &frozen, &mut rng, n).await
        }
    } else {
        BTreeSet::new()
    };
    let e = Expect {
        restored: &restored,
        ..e
    };
    check(db, job, &e, &format!("{context}, restored {restored:?}")).await;
    run_to_end(db, &["jobs", "resume", &id], &context).await;
    let passes = check_finished(db, job, &e, &format!("{context}, resumed")).await;
    Some(Outcome {
        kills: vec![Kill {
            point,
            session: Some(if final_state {
                "waiting-on-job-row-lock-at-final-state".into()
            } else {
                "waiting-on-job-row-lock-at-checkpoint".into()
            }),
            later_pass: pass_at_lock > 0,
        }],
        restored: !restored.is_empty(),
        passes,
    })
}

#[tokio::test(flavor = "multi_thread")]
pub(crate) async fn checkpoint_lock_postgres() {
    let mut tally = Tally::new("checkpoint_lock_postgres", true);
    for seed in seeds() {
        tally.seed(seed, checkpoint_lock_seed(seed)).await;
    }
    let count = |name: &str| tally.points.get(name).copied().unwrap_or(0);
    let with_deletes = count("checkpoint-with-deletes");
    let aimed = with_deletes + count("checkpoint-no-deletes");
    let points = tally.points.clone();
    tally.finish();
    // Most locks aimed inside the first pass land after a batch's DELETE did delete
    // rows (a batch that moves on to the next table deletes none).
    assert!(
        with_deletes * 2 >= aimed,
        "too few kills inside a batch with deletes: {points:?}"
    );
}
