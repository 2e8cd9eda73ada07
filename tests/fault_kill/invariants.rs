//! The invariants checked after every kill and once the job is done.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// The invariants.

/// What a job was planned to delete and what must survive it.
pub(crate) struct Expect<'a> {
    pub(crate) before: &'a BTreeSet<String>,
    pub(crate) frozen: &'a BTreeSet<String>,
    /// Rows restored since the plan.
    pub(crate) restored: &'a BTreeSet<String>,
}

/// The job row: state, deleted_rows, total_rows, and the plan's per-table counts summed.
pub(crate) async fn job_row(db: &Db, job: i64) -> (String, i64, i64, i64) {
    let line = db
        .scalar(&format!(
            "SELECT state || '|' || CAST(deleted_rows AS TEXT) || '|' || CAST(total_rows AS TEXT) \
             || '|' || plan FROM {} WHERE id = {job}",
            db.jobs_table()
        ))
        .await;
    let mut parts = line.splitn(4, '|');
    let mut next = || {
        parts
            .next()
            .unwrap_or_else(|| panic!("no job {job}: {line}"))
    };
    let state = next().to_owned();
    let deleted = next().parse().unwrap();
    let total = next().parse().unwrap();
    let plan: serde_json::Value = serde_json::from_str(next()).unwrap();
    let planned = plan
        .as_array()
        .map(|tables| tables.iter().filter_map(|t| t["rows"].as_i64()).sum())
        .unwrap_or(-1);
    (state, deleted, total, planned)
}

/// What holds after every commit (and so after every kill): no orphan; nothing gone
/// outside the frozen set; no restored row gone; the job's count is the number of rows
/// gone; its frozen set holds exactly the planned rows not gone. Returns the rows gone.
pub(crate) async fn check(db: &Db, job: i64, e: &Expect<'_>, context: &str) -> BTreeSet<String> {
    db.assert_no_orphans(SOFT_BLOG_RELS, context).await;
    let after = all_keys(db, SOFT_BLOG_TABLES).await;
    let gone: BTreeSet<String> = e.before.difference(&after).cloned().collect();
    let outside: Vec<&String> = gone.difference(e.frozen).collect();
    assert!(
        outside.is_empty(),
        "{context}: deleted outside the frozen set: {outside:?}"
    );
    let lost: Vec<&String> = gone.intersection(e.restored).collect();
    assert!(
        lost.is_empty(),
        "{context}: rows restored mid-purge were deleted: {lost:?}"
    );
    let (_, deleted, total, planned) = job_row(db, job).await;
    assert_eq!(
        deleted as usize,
        gone.len(),
        "{context}: the job's deleted_rows against the rows actually gone"
    );
    assert_eq!(total as usize, e.frozen.len(), "{context}: total_rows");
    let (state, _) = db.job(job).await;
    let actions = db.audit_actions(job).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "purge finish").count(),
        usize::from(state == "done"),
        "{context}: the audit log against the job's state {state}: {actions:?}"
    );
    assert_eq!(
        planned, total,
        "{context}: the plan's tables against total_rows"
    );
    let left = db.frozen(job).await;
    let expected: BTreeSet<String> = e.frozen.difference(&gone).cloned().collect();
    if left != expected {
        let extra: Vec<_> = left.difference(&expected).take(10).collect();
        let missing: Vec<_> = expected.difference(&left).take(10).collect();
        panic!(
            "{context}: the job's frozen set is not the planned rows not gone: \
             {} left, {} expected; extra {extra:?}, missing {missing:?}",
            left.len(),
            expected.len()
        );
    }
    gone
}

/// The job's pass over the tables at its last checkpoint (0: the first).
pub(crate) async fn job_pass(db: &Db, job: i64) -> u64 {
    db.scalar(&format!(
        "SELECT CAST(pass AS TEXT) FROM {} WHERE id = {job}",
        db.jobs_table()
    ))
    .await
    .parse()
    .unwrap()
}

/// After the job finished: `check`, the job is done, and the planned rows still there
/// are explained (none without restores).
/// Returns the passes the job took.
pub(crate) async fn check_finished(db: &Db, job: i64, e: &Expect<'_>, context: &str) -> u64 {
    let gone = check(db, job, e, context).await;
    let (state, deleted, total, _) = job_row(db, job).await;
    assert_eq!(state, "done", "{context}");
    // The audit log: planned once, finished once and last, with the rows deleted.
    let actions = db.audit_actions(job).await;
    assert_eq!(
        (
            actions.first().map(String::as_str),
            actions.last().map(String::as_str)
        ),
        (Some("purge plan"), Some("purge finish")),
        "{context}: {actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "purge plan").count(),
        1,
        "{context}: {actions:?}"
    );
    let finished = db
        .scalar(&format!(
            "SELECT CAST(row_count AS TEXT) FROM {} WHERE job_id = {job} AND action = 'purge finish'",
            db.audit_table()
        ))
        .await;
    assert_eq!(
        finished,
        deleted.to_string(),
        "{context}: the finish's row count"
    );
    let passes = job_pass(db, job).await + 1;
    let kept: BTreeSet<String> = e.frozen.difference(&gone).cloned().collect();
    if e.restored.is_empty() {
        assert!(
            kept.is_empty(),
            "{context}: rows of the frozen set still there after the job finished: {} of \
             them, {:?}",
            kept.len(),
            kept.iter().take(20).collect::<Vec<_>>()
        );
        assert_eq!(deleted, total, "{context}: deleted_rows against the plan");
        assert_eq!(gone, *e.frozen, "{context}");
        return passes;
    }
    let live = keys_where(db, "deleted_at IS NULL").await;
    let referenced = referenced_keys(db).await;
    let unexplained: Vec<&String> = kept
        .iter()
        .filter(|k| !live.contains(*k) && !referenced.contains(*k))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{context}: rows of the frozen set kept though trashed and unreferenced: {unexplained:?}"
    );
    let live_not_restored: Vec<&String> = kept
        .iter()
        .filter(|k| live.contains(*k) && !e.restored.contains(*k))
        .collect();
    assert!(
        live_not_restored.is_empty(),
        "{context}: planned rows live though nobody restored them: {live_not_restored:?}"
    );
    passes
}
