//! An application inserting live children under the rows being purged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// 1. An application keeps inserting live comments and likes under the posts being purged,
// each insert in its own transaction. An insert either commits (its post then survives
// the purge, with its user) or fails on the foreign key because the purge deleted the
// post first; never both, never an orphan.

const LIVE_USERS: u64 = 10;
const TRASHED_USERS: u64 = 100;
const RACE_POSTS: u64 = 300;
const RACE_COMMENTS: u64 = 200;
const RACE_LIKES: u64 = 100;
/// Ids of the comments the application inserts start here.
const NEW_COMMENTS: u64 = 100_000;

/// Users 1..=10 live (they write the new likes); users 11..=110 trashed long ago with
/// every post; old trashed comments and likes under the posts. Returns post → user.
async fn seed_insert_race(db: &Db) -> BTreeMap<u64, u64> {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let mut rng = Rng::new(11);
    let mut sql = String::new();
    let users: Vec<String> = (1..=LIVE_USERS + TRASHED_USERS)
        .map(|u| {
            let state = if u <= LIVE_USERS {
                "NULL"
            } else {
                "'2020-01-01 00:00:00'"
            };
            format!("({u}, 'u{u}', {state})")
        })
        .collect();
    sql += &format!("INSERT INTO users VALUES {};\n", users.join(", "));
    let mut owner = BTreeMap::new();
    let posts: Vec<String> = (1..=RACE_POSTS)
        .map(|p| {
            let user = LIVE_USERS + 1 + rng.below(TRASHED_USERS);
            owner.insert(p, user);
            format!("({p}, {user}, '2020-02-01 00:00:00')")
        })
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1..=RACE_COMMENTS)
        .map(|c| {
            format!(
                "({c}, {}, NULL, '2020-03-01 00:00:00')",
                1 + rng.below(RACE_POSTS)
            )
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    let mut pairs = BTreeSet::new();
    while (pairs.len() as u64) < RACE_LIKES {
        pairs.insert((
            LIVE_USERS + 1 + rng.below(TRASHED_USERS),
            1 + rng.below(RACE_POSTS),
        ));
    }
    let likes: Vec<String> = pairs
        .iter()
        .map(|(u, p)| format!("({u}, {p}, '2020-03-01 00:00:00')"))
        .collect();
    sql += &format!("INSERT INTO likes VALUES {};\n", likes.join(", "));
    db.exec(&sql).await;
    owner
}

/// One insert the application tried.
#[derive(Debug, Clone)]
struct Attempt {
    /// `comments:ID` or `likes:USER,POST`.
    child: String,
    post: u64,
    /// The error, when it did not commit.
    error: Option<String>,
}

/// One statement in a transaction of its own; on PostgreSQL the transaction stays open
/// for `hold` after the insert (holding its key-share lock on the post), so a purge
/// batch that meets that post waits for the commit.
async fn insert_in_own_transaction(
    c: &mut DbConn,
    pg: bool,
    sql: &str,
    hold: Duration,
) -> Result<(), String> {
    let begin = if pg { "BEGIN" } else { "BEGIN IMMEDIATE" };
    batch_execute(c, begin)
        .await
        .map_err(|e| format!("begin: {e}"))?;
    match batch_execute(c, sql).await {
        Ok(()) => {
            if !hold.is_zero() {
                tokio::time::sleep(hold).await;
            }
            batch_execute(c, "COMMIT")
                .await
                .map_err(|e| format!("commit: {e}"))
        }
        Err(e) => {
            let _ = batch_execute(c, "ROLLBACK").await;
            Err(e.to_string())
        }
    }
}

fn foreign_key_error(e: &str) -> bool {
    let e = e.to_lowercase();
    e.contains("foreign key constraint failed") || e.contains("violates foreign key constraint")
}

async fn children_inserted_during_purge(db: &Db) {
    let owner = seed_insert_race(db).await;
    let catalog = db
        .catalog(&config(&format!("{BLOG_CONFIG}{}", blog_declared())))
        .await;
    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Duration::from_millis(5)),
            None,
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    let frozen = db.frozen(job).await;
    assert_eq!(
        frozen.len() as u64,
        TRASHED_USERS + RACE_POSTS + RACE_COMMENTS + RACE_LIKES,
        "everything trashed is planned"
    );
    let before = all_keys(db, SOFT_BLOG_TABLES).await;
    let posts: Vec<u64> = frozen
        .iter()
        .filter_map(|k| k.strip_prefix("posts:"))
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(posts.len() as u64, RACE_POSTS);

    // The application: from the moment the run starts until it ends, an insert every
    // couple of milliseconds under a random post of the frozen set.
    let go = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    let commits = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let app = {
        let (go, stop, commits, failures) =
            (go.clone(), stop.clone(), commits.clone(), failures.clone());
        let (pg, posts) = (db.pg, posts.clone());
        side_thread(&db.target, move |pool| async move {
            let mut c = pool.get().await.unwrap();
            let mut rng = Rng::new(7);
            let mut next_comment = NEW_COMMENTS;
            let mut liked = BTreeSet::new();
            let mut attempts = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                if !go.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
                }
                let post = posts[rng.below(posts.len() as u64) as usize];
                let (child, sql) = if rng.chance(25) {
                    let user = 1 + rng.below(LIVE_USERS);
                    if !liked.insert((user, post)) {
                        continue;
                    }
                    (
                        format!("likes:{user},{post}"),
                        format!("INSERT INTO likes VALUES ({user}, {post}, NULL)"),
                    )
                } else {
                    next_comment += 1;
                    (
                        format!("comments:{next_comment}"),
                        format!("INSERT INTO comments VALUES ({next_comment}, {post}, NULL, NULL)"),
                    )
                };
                let hold = if pg {
                    Duration::from_millis(rng.below(4))
                } else {
                    Duration::ZERO
                };
                let result = insert_in_own_transaction(&mut c, pg, &sql, hold).await;
                match &result {
                    Ok(()) => commits.fetch_add(1, Ordering::SeqCst),
                    Err(_) => failures.fetch_add(1, Ordering::SeqCst),
                };
                attempts.push(Attempt {
                    child,
                    post,
                    error: result.err(),
                });
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            attempts
        })
    };

    // Gates, so both outcomes happen whatever the timing: after the first batch (still
    // among the comments, every post there) the purge waits for a few commits; once half
    // the posts are gone, for a few failures. Between and after the gates the two race.
    let (mut first, mut half) = (false, false);
    go.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let outcome = db
        .run(
            &catalog,
            job,
            &small_batches(10, Duration::from_millis(5)),
            &mut |p| {
                if !first && p.deleted > 0 {
                    first = true;
                    gate("inserts committed early in the run", || {
                        commits.load(Ordering::SeqCst) >= 3
                    });
                }
                let (done, planned) = table_progress(p, "posts");
                if !half && done > 0 && done * 2 >= planned {
                    half = true;
                    gate("inserts refused once half the posts are gone", || {
                        failures.load(Ordering::SeqCst) >= 3
                    });
                }
            },
        )
        .await;
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let attempts = app.join().unwrap();
    let context = format!(
        "{}: {} inserts ({} committed, {} refused) during a purge of {} rows in {took:?}",
        db.backend(),
        attempts.len(),
        commits.load(Ordering::SeqCst),
        failures.load(Ordering::SeqCst),
        frozen.len()
    );
    eprintln!("{context}");
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => panic!(
            "{context}: the purge failed ({:?}): {e}; the job: {:?}",
            e.kind,
            db.strings(&format!(
                "SELECT state || ', ' || CAST(deleted_rows AS TEXT) || ' deleted, last error: ' \
                 || COALESCE(last_error, '-') FROM {} WHERE id = {job}",
                db.jobs_table()
            ))
            .await
        ),
    };

    db.assert_no_orphans(SOFT_BLOG_RELS, &context).await;
    let after = all_keys(db, SOFT_BLOG_TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    let outside: Vec<&String> = gone.difference(&frozen).collect();
    assert!(
        outside.is_empty(),
        "{context}: deleted outside the frozen set: {outside:?}"
    );
    let committed: Vec<&Attempt> = attempts.iter().filter(|a| a.error.is_none()).collect();
    let refused: Vec<&Attempt> = attempts.iter().filter(|a| a.error.is_some()).collect();
    assert!(
        committed.len() >= 3 && refused.len() >= 3,
        "{context}: both outcomes must happen"
    );
    for a in &committed {
        assert!(
            after.contains(&a.child),
            "{context}: committed {} is gone",
            a.child
        );
        assert!(
            after.contains(&format!("posts:{}", a.post)),
            "{context}: post {} was purged although {} (committed) hangs off it",
            a.post,
            a.child
        );
        assert!(
            after.contains(&format!("users:{}", owner[&a.post])),
            "{context}: user {} was purged although its post {} holds the live {}",
            owner[&a.post],
            a.post,
            a.child
        );
    }
    for a in &refused {
        let error = a.error.as_deref().unwrap();
        assert!(
            foreign_key_error(error),
            "{context}: {} failed for another reason than its missing post: {error}",
            a.child
        );
        assert!(
            !after.contains(&format!("posts:{}", a.post)),
            "{context}: {} was refused ({error}) but post {} is still there",
            a.child,
            a.post
        );
        assert!(!after.contains(&a.child), "{context}: refused {}", a.child);
    }
    // One winner per post: gone with no committed child, or kept because of one; the
    // purge kept nothing else back (the kept users are exactly the kept posts' users).
    let held: BTreeSet<u64> = committed.iter().map(|a| a.post).collect();
    let mut kept_expected: BTreeSet<String> = held.iter().map(|p| format!("posts:{p}")).collect();
    kept_expected.extend(held.iter().map(|p| format!("users:{}", owner[p])));
    let kept: BTreeSet<String> = frozen.intersection(&after).cloned().collect();
    assert_eq!(
        kept, kept_expected,
        "{context}: the rows of the frozen set left are exactly the posts that gained a \
         live child and their users"
    );
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: gone.len() as u64,
            kept: kept.len() as u64
        },
        "{context}"
    );
    assert_eq!(
        db.job(job).await,
        ("done".to_owned(), gone.len() as i64),
        "{context}"
    );
    assert_eq!(
        db.audit_actions(job).await,
        vec!["purge plan", "purge start", "purge finish"],
        "{context}"
    );
}

on_both!(
    children_inserted_during_purge,
    children_inserted_during_purge_sqlite,
    children_inserted_during_purge_postgres
);

// The same race made deterministic: between two batches of posts an application
// inserts a live comment under a post of the next batch and commits only while that
// batch waits for it (PostgreSQL: on the row lock its insert holds on the post; SQLite:
// on the write lock). The batch must keep the post, not fail. With `earlier_child`, a
// live comment written under post 38 after the plan has already made the first batch
// of posts fall back to testing every relation itself (PostgreSQL), so the waiting
// batch is one of those.

async fn child_committed_while_a_batch_waits(db: &Db, earlier_child: bool) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let posts: Vec<String> = (1..=40)
        .map(|p| format!("({p}, 1, '2020-02-01 00:00:00')"))
        .collect();
    db.exec(&format!(
        "INSERT INTO users VALUES (1, 'ann', NULL);\nINSERT INTO posts VALUES {};",
        posts.join(", ")
    ))
    .await;
    let catalog = db
        .catalog(&config(&format!("{BLOG_CONFIG}{}", blog_declared())))
        .await;
    let plan = db.plan_all(&catalog, 10).await;
    assert_eq!(planned_rows(&plan), vec![("posts".into(), 40)]);
    let job = plan.job_id.unwrap();
    let mut expected_left = set(&["users:1", "posts:30", "comments:1001"]);
    if earlier_child {
        db.exec("INSERT INTO comments VALUES (1000, 38, NULL, NULL)")
            .await;
        expected_left.extend(set(&["posts:38", "comments:1000"]));
    }

    // The first pass walks the set backwards: PostgreSQL by physical position, 40, 39,
    // …; SQLite by key text, "9", "8", "7", "6", "5", "40", "4", "39", "38", "37", then
    // "36", …, "30", "3", "29", "28". Post 38 is in the first batch of posts on both
    // backends and post 30 in the second: the insert goes in after the first batch.
    let (inserted_tx, inserted_rx) = std::sync::mpsc::channel::<Result<Instant, String>>();
    let inserted_rx = Mutex::new(inserted_rx);
    let mut holder = None;
    let mut inserted_at = None;
    let mut next_report = None;
    let target = db.target.clone();
    let pg = db.pg;
    let outcome = db
        .run(
            &catalog,
            job,
            &small_batches(10, Duration::ZERO),
            &mut |p| {
                if inserted_at.is_some() && next_report.is_none() {
                    next_report = Some(Instant::now());
                }
                if holder.is_none() && p.deleted > 0 {
                    let inserted_tx = inserted_tx.clone();
                    holder = Some(side_thread(&target, move |pool| async move {
                        let mut c = pool.get().await.unwrap();
                        let begin = if pg { "BEGIN" } else { "BEGIN IMMEDIATE" };
                        let insert = "INSERT INTO comments VALUES (1001, 30, NULL, NULL)";
                        let result = match batch_execute(&mut c, begin).await {
                            Ok(()) => batch_execute(&mut c, insert).await,
                            Err(e) => Err(e),
                        };
                        if let Err(e) = result {
                            inserted_tx.send(Err(e.to_string())).unwrap();
                            return Err("no insert".to_owned());
                        }
                        inserted_tx.send(Ok(Instant::now())).unwrap();
                        tokio::time::sleep(Duration::from_millis(400)).await;
                        batch_execute(&mut c, "COMMIT")
                            .await
                            .map_err(|e| e.to_string())
                    }));
                    let at = inserted_rx
                        .lock()
                        .unwrap()
                        .recv_timeout(Duration::from_secs(20))
                        .expect("the application answers");
                    inserted_at = Some(at.expect("the insert under post 30 went in"));
                }
            },
        )
        .await;
    let committed = holder.expect("the insert ran mid-purge").join().unwrap();
    let context = format!("{} (earlier child: {earlier_child})", db.backend());
    assert_eq!(committed, Ok(()), "{context}: the application's commit");
    // The premise: the next batch did wait for the insert's transaction.
    let waited = next_report
        .expect("a batch after the insert")
        .duration_since(inserted_at.unwrap());
    assert!(
        waited >= Duration::from_millis(300),
        "{context}: the next batch came {waited:?} after the insert, not waiting for it"
    );
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => panic!(
            "{context}: the purge failed ({:?}) when a child committed under a post its \
             batch was waiting for: {e}; the job: {:?}",
            e.kind,
            db.job(job).await
        ),
    };
    db.assert_no_orphans(SOFT_BLOG_RELS, &context).await;
    assert_eq!(
        all_keys(db, SOFT_BLOG_TABLES).await,
        expected_left,
        "{context}"
    );
    let kept = expected_left
        .iter()
        .filter(|k| k.starts_with("posts:"))
        .count() as u64;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 40 - kept,
            kept
        },
        "{context}"
    );
    assert_eq!(
        db.job(job).await,
        ("done".to_owned(), 40 - kept as i64),
        "{context}"
    );
}

async fn child_committed_while_a_batch_waits_first(db: &Db) {
    child_committed_while_a_batch_waits(db, false).await;
}

async fn child_committed_while_a_guarded_batch_waits(db: &Db) {
    child_committed_while_a_batch_waits(db, true).await;
}

on_both!(
    child_committed_while_a_batch_waits_first,
    child_committed_while_a_batch_waits_sqlite,
    child_committed_while_a_batch_waits_postgres
);

on_both!(
    child_committed_while_a_guarded_batch_waits,
    child_committed_while_a_guarded_batch_waits_sqlite,
    child_committed_while_a_guarded_batch_waits_postgres
);
