//! Consoles purging overlapping sets at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// 3. Three consoles purge overlapping sets at once: jobs for all trash, for the posts'
// trash, and for all trash again, all planned before any runs, then run together as
// three `trashcan jobs resume` processes. Each row is deleted by exactly one of them.

/// The mixed blog of tests/purge_killed.rs, a little smaller, without reply chains.
fn mixed_blog(seed: u64) -> String {
    mixed_blog_sql(
        seed,
        &MixedBlog {
            users: 50,
            posts: 200,
            comments: 500,
            likes: 150,
            attachments: 75,
            replies_percent: None,
        },
    )
}

/// `(row_count, action)` of the job's audit records, oldest first.
async fn audit_counts(db: &Db, job: i64) -> Vec<(String, i64)> {
    db.strings(&format!(
        "SELECT action || '|' || CAST(row_count AS TEXT) FROM {} WHERE job_id = {job} ORDER BY id",
        db.audit_table()
    ))
    .await
    .into_iter()
    .map(|line| {
        let (action, rows) = line.split_once('|').unwrap();
        (action.to_owned(), rows.parse().unwrap())
    })
    .collect()
}

async fn overlapping_jobs_at_once(db: &Db) {
    db.exec(SOFT_BLOG_SCHEMA).await;
    db.exec(&mixed_blog(5)).await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let opts = options(10, Duration::from_millis(5));
    let mut jobs = Vec::new();
    for scope in [Scope::All, Scope::Table(table(db, "posts")), Scope::All] {
        let plan = db.plan(&catalog, &scope, &opts, None, true).await.unwrap();
        jobs.push(plan.job_id.unwrap());
    }
    let mut frozen = Vec::new();
    for job in &jobs {
        frozen.push(db.frozen(*job).await);
    }
    let union: BTreeSet<String> = frozen.iter().flatten().cloned().collect();
    assert!(frozen[0].len() > 500, "{}", frozen[0].len());
    assert_eq!(frozen[0], frozen[2], "the same scope twice, the same set");
    let shared = frozen[0].intersection(&frozen[1]).count();
    assert!(
        frozen[1].len() > 100 && shared == frozen[1].len(),
        "the posts' set lies within all trash: {shared} of {}",
        frozen[1].len()
    );
    let before = all_keys(db, SOFT_BLOG_TABLES).await;
    db.assert_no_orphans(SOFT_BLOG_RELS, "before").await;

    let file = db.config_file(SMALL_BATCHES_CONFIG);
    let started = Instant::now();
    let children: Vec<Child> = jobs
        .iter()
        .map(|job| {
            db.command(Some(&file), &["jobs", "--json", "resume", &job.to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<std::process::Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let took = started.elapsed();
    let context = format!(
        "{}: jobs {jobs:?} ({} / {} / {} rows, {} in all) at once in {took:?}",
        db.backend(),
        frozen[0].len(),
        frozen[1].len(),
        frozen[2].len(),
        union.len()
    );
    let mut reported = Vec::new();
    for (job, out) in jobs.iter().zip(&outputs) {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{context}: job {job}: {}",
            describe(out)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{context}: job {job}: {e}: {}", describe(out)));
        assert_eq!(report["status"], "done", "{context}: {report}");
        reported.push(report["deleted"].as_i64().unwrap());
        eprintln!(
            "{context}: job {job}: deleted {}, retries {}, last error {}",
            report["deleted"], report["retries"], report["last_error"]
        );
    }

    db.assert_no_orphans(SOFT_BLOG_RELS, &context).await;
    let after = all_keys(db, SOFT_BLOG_TABLES).await;
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    let outside: Vec<&String> = gone.difference(&union).collect();
    assert!(
        outside.is_empty(),
        "{context}: deleted outside the frozen sets: {outside:?}"
    );
    // Nothing else writes: whatever of the sets is left must still be kept for a reason
    // (live, trashed lately or holding a child); there is none, so nothing is left.
    let left: Vec<&String> = union.difference(&gone).collect();
    assert!(
        left.is_empty(),
        "{context}: {} rows of the sets are left: {:?}",
        left.len(),
        left.iter().take(20).collect::<Vec<_>>()
    );
    // They did run at once: every job started before any finished.
    let ids = |action: &'static str| {
        let jobs = jobs.clone();
        async move {
            let list: Vec<String> = jobs.iter().map(ToString::to_string).collect();
            db.strings(&format!(
                "SELECT CAST(id AS TEXT) FROM {} WHERE action = '{action}' AND job_id IN ({})",
                db.audit_table(),
                list.join(", ")
            ))
            .await
            .into_iter()
            .map(|id| id.parse::<i64>().unwrap())
            .collect::<Vec<_>>()
        }
    };
    let (starts, finishes) = (ids("purge start").await, ids("purge finish").await);
    assert!(
        starts.iter().max() < finishes.iter().min(),
        "{context}: the jobs ran one after another (audit ids: starts {starts:?}, finishes \
         {finishes:?})"
    );
    let mut counted = 0;
    for (i, job) in jobs.iter().enumerate() {
        let (state, deleted) = db.job(*job).await;
        assert_eq!(state, "done", "{context}: job {job}");
        assert_eq!(
            deleted, reported[i],
            "{context}: job {job}: the job row and its report"
        );
        assert!(
            deleted as usize <= frozen[i].len(),
            "{context}: job {job} deleted {deleted} of {}",
            frozen[i].len()
        );
        let audit = audit_counts(db, *job).await;
        let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            actions,
            vec!["purge plan", "purge start", "purge finish"],
            "{context}: job {job}"
        );
        assert_eq!(
            audit[2].1, deleted,
            "{context}: job {job}: the finish record's row count against the job's"
        );
        assert_eq!(
            audit[0].1,
            frozen[i].len() as i64,
            "{context}: job {job}: the plan record's row count against its frozen set"
        );
        counted += deleted;
    }
    assert_eq!(
        counted as usize,
        gone.len(),
        "{context}: the jobs' counts add up to the rows gone (no row counted twice)"
    );
}

on_both!(
    overlapping_jobs_at_once,
    overlapping_jobs_at_once_sqlite,
    overlapping_jobs_at_once_postgres
);
