//! Another operator restoring rows being purged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// 2. Another operator restores users (with their deletion group: posts and comments
// trashed with them) while the purge runs. A restore commits whole — its rows are live
// afterwards and the purge did not delete them — or fails cleanly (its rows changed
// since its preview: the purge got there first) with nothing of it applied.

const GROUP_USERS: u64 = 60;
const POSTS_PER_USER: u64 = 3;
const COMMENTS_PER_POST: u64 = 3;

/// Each user trashed on a day of its own, its posts a second later, their comments a
/// second after that: one deletion group per user.
async fn seed_groups(db: &Db) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    let at =
        |u: u64, second: u64| format!("'2020-{:02}-{:02} 00:00:0{second}'", 1 + u / 28, 1 + u % 28);
    let (mut users, mut posts, mut comments) = (Vec::new(), Vec::new(), Vec::new());
    for u in 1..=GROUP_USERS {
        users.push(format!("({u}, 'u{u}', {})", at(u, 0)));
        for i in 0..POSTS_PER_USER {
            let p = u * 10 + i;
            posts.push(format!("({p}, {u}, {})", at(u, 1)));
            for j in 0..COMMENTS_PER_POST {
                comments.push(format!("({}, {p}, NULL, {})", p * 10 + j, at(u, 2)));
            }
        }
    }
    db.exec(&format!(
        "INSERT INTO users VALUES {};\nINSERT INTO posts VALUES {};\nINSERT INTO comments VALUES {};",
        users.join(", "),
        posts.join(", "),
        comments.join(", ")
    ))
    .await;
}

#[derive(Debug)]
enum Restore {
    /// Committed; the rows it made live.
    Won(Change),
    /// Refused; what it would have changed.
    Lost(Change, ApplyError),
    /// Nothing left to restore by the time of the preview.
    Nothing(String),
}

fn change_keys(change: &Change) -> BTreeSet<String> {
    change
        .tables
        .iter()
        .flat_map(|t| {
            t.rows
                .iter()
                .map(move |r| format!("{}:{}", t.table.name, r.key.join(",")))
        })
        .collect()
}

fn lost_cleanly(e: &ApplyError) -> bool {
    match e {
        ApplyError::Changed(_) => true,
        ApplyError::Failed(e) => e.kind == ErrorKind::Conflict,
        _ => false,
    }
}

async fn restored_during_purge(db: &Db) {
    seed_groups(db).await;
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
    let per_user = 1 + POSTS_PER_USER + POSTS_PER_USER * COMMENTS_PER_POST;
    assert_eq!(frozen.len() as u64, GROUP_USERS * per_user);
    let before = all_keys(db, SOFT_BLOG_TABLES).await;
    let users = table(db, "users");

    // A restore of user 1 previewed now, before the purge starts, and applied once the
    // purge has deleted the comments in it: it must fail, and change nothing.
    let stale = {
        let mut c = db.conn().await;
        let preview = change::plan_restore(
            &mut c,
            &catalog,
            &users,
            &[vec!["1".to_owned()]],
            &ChangeOptions::default(),
        )
        .await
        .unwrap();
        assert!(preview.can_apply(), "{:?}", preview.blockers);
        assert_eq!(preview.change.rows(), per_user, "the whole group");
        preview.change
    };

    // The other operator: users 2..=60 one after another, each previewed then applied
    // a moment later, on a connection of its own, until the purge ends.
    let go = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_drop = StopOnDrop(stop.clone());
    let wins = Arc::new(AtomicU64::new(0));
    let stale_wanted = Arc::new(AtomicBool::new(false));
    let stale_result: Arc<Mutex<Option<Restore>>> = Arc::new(Mutex::new(None));
    let operator = {
        let (go, stop, wins) = (go.clone(), stop.clone(), wins.clone());
        let (stale_wanted, stale_result) = (stale_wanted.clone(), stale_result.clone());
        let users = users.clone();
        side_thread(&db.target, move |pool| async move {
            let mut c = pool.get().await.unwrap();
            let catalog = Catalog::load(
                &mut c,
                &config(&format!("{BLOG_CONFIG}{}", blog_declared())),
            )
            .await
            .unwrap();
            let mut rng = Rng::new(3);
            let mut order: Vec<u64> = (2..=GROUP_USERS).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let mut outcomes = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                if !go.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
                }
                if stale_wanted.load(Ordering::SeqCst) && stale_result.lock().unwrap().is_none() {
                    let result = change::apply(&mut c, &catalog, &stale, &actor(), None).await;
                    *stale_result.lock().unwrap() = Some(match result {
                        Ok(applied) => Restore::Won(applied.change),
                        Err(e) => Restore::Lost(stale.clone(), e),
                    });
                }
                let Some(user) = order.pop() else {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
                };
                let preview = change::plan_restore(
                    &mut c,
                    &catalog,
                    &users,
                    &[vec![user.to_string()]],
                    &ChangeOptions::default(),
                )
                .await;
                let outcome = match preview {
                    Err(e) => Restore::Nothing(format!("user {user}: {e}")),
                    Ok(p) if !p.can_apply() => Restore::Nothing(format!(
                        "user {user}: {} rows, {:?}",
                        p.change.rows(),
                        p.blockers
                    )),
                    Ok(p) => {
                        // The preview goes stale while the operator looks at it.
                        tokio::time::sleep(Duration::from_millis(rng.below(8))).await;
                        match change::apply(&mut c, &catalog, &p.change, &actor(), None).await {
                            Ok(applied) => {
                                wins.fetch_add(1, Ordering::SeqCst);
                                Restore::Won(applied.change)
                            }
                            Err(e) => Restore::Lost(p.change, e),
                        }
                    }
                };
                outcomes.push(outcome);
                tokio::time::sleep(Duration::from_millis(8)).await;
            }
            outcomes
        })
    };

    // Gates: after the first batch the purge waits for a restore to win (users and
    // posts are not reached yet); when it moves on to the posts, for the stale restore.
    let (mut first, mut at_posts) = (false, false);
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
                    gate("a restore won", || wins.load(Ordering::SeqCst) >= 1);
                }
                if !at_posts && p.current.as_ref().is_some_and(|t| t.name == "posts") {
                    at_posts = true;
                    stale_wanted.store(true, Ordering::SeqCst);
                    gate("the stale restore", || {
                        stale_result.lock().unwrap().is_some()
                    });
                }
            },
        )
        .await;
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let outcomes = operator.join().unwrap();
    let won: Vec<&Change> = outcomes
        .iter()
        .filter_map(|o| match o {
            Restore::Won(c) => Some(c),
            _ => None,
        })
        .collect();
    let lost: Vec<(&Change, &ApplyError)> = outcomes
        .iter()
        .filter_map(|o| match o {
            Restore::Lost(c, e) => Some((c, e)),
            _ => None,
        })
        .collect();
    let nothing: Vec<&String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Restore::Nothing(why) => Some(why),
            _ => None,
        })
        .collect();
    let context = format!(
        "{}: {} restores during a purge of {} rows in {took:?}: {} won, {} lost, {} found \
         nothing left (e.g. {:?})",
        db.backend(),
        outcomes.len(),
        frozen.len(),
        won.len(),
        lost.len(),
        nothing.len(),
        nothing.first()
    );
    eprintln!("{context}");
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => panic!("{context}: the purge failed ({:?}): {e}", e.kind),
    };

    db.assert_no_orphans(SOFT_BLOG_RELS, &context).await;
    let after = all_keys(db, SOFT_BLOG_TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    let outside: Vec<&String> = gone.difference(&frozen).collect();
    assert!(
        outside.is_empty(),
        "{context}: deleted outside the frozen set: {outside:?}"
    );
    let mut live = BTreeSet::new();
    for (name, _) in SOFT_BLOG_TABLES {
        let key = if *name == "likes" {
            "CAST(user_id AS TEXT) || ',' || CAST(post_id AS TEXT)"
        } else {
            "CAST(id AS TEXT)"
        };
        for k in db
            .strings(&format!(
                "SELECT {key} FROM {name} WHERE deleted_at IS NULL"
            ))
            .await
        {
            live.insert(format!("{name}:{k}"));
        }
    }
    assert!(!won.is_empty(), "{context}: no restore won");
    let mut restored = BTreeSet::new();
    for change in &won {
        let keys = change_keys(change);
        let missing: Vec<&String> = keys.difference(&live).collect();
        assert!(
            missing.is_empty(),
            "{context}: a committed restore's rows are not live (purged?): {missing:?}"
        );
        restored.extend(keys);
    }
    for (change, error) in &lost {
        assert!(
            lost_cleanly(error),
            "{context}: a restore failed other than by a conflict: {}",
            error.describe()
        );
        let applied: Vec<String> = change_keys(change).intersection(&live).cloned().collect();
        assert!(
            applied.is_empty(),
            "{context}: a refused restore ({}) left rows live: {applied:?}",
            error.describe()
        );
    }
    match stale_result.lock().unwrap().take() {
        Some(Restore::Lost(change, ApplyError::Changed(what))) => {
            assert!(
                what.iter().any(|w| w.contains("comments")),
                "{context}: the stale restore failed, but not on the purged comments: {what:?}"
            );
            let applied: Vec<String> = change_keys(&change).intersection(&live).cloned().collect();
            assert!(applied.is_empty(), "{context}: {applied:?}");
        }
        other => panic!("{context}: the stale restore must fail as changed: {other:?}"),
    }
    // The purge kept back exactly the restored rows, and deleted everything else.
    let kept: BTreeSet<String> = frozen.intersection(&after).cloned().collect();
    assert_eq!(
        kept, restored,
        "{context}: the frozen rows left are the restored ones"
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
        db.count(&format!(
            "SELECT id FROM {} WHERE action = 'restore'",
            db.audit_table()
        ))
        .await as usize,
        won.len(),
        "{context}: one audit record per committed restore, none for a refused one"
    );
}

on_both!(
    restored_during_purge,
    restored_during_purge_sqlite,
    restored_during_purge_postgres
);
