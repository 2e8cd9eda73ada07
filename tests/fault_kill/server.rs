//! What the server shows of the binary's sessions (PostgreSQL), and SQLite's lock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// The server's view (PostgreSQL).

/// The session that runs a job: the one holding a job's advisory lock (the lease).
pub(crate) const RUNNER: &str = "SELECT l.pid FROM pg_locks AS l JOIN pg_database AS d ON d.oid = l.database \
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()";

/// What the running binary's session is doing, as `pg_stat_activity` shows it.
pub(crate) async fn runner_session(db: &Db) -> Option<(String, String, String)> {
    let found = db
        .strings(&format!(
            "SELECT COALESCE(state, '') || '|' || COALESCE(wait_event_type, '') || '|' || \
             left(query, 80) FROM pg_stat_activity WHERE pid IN ({RUNNER})"
        ))
        .await;
    let line = found.into_iter().next()?;
    let mut parts = line.splitn(3, '|');
    Some((
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    ))
}

/// The session's state as a kill-point category.
pub(crate) fn session_category(
    session: Option<(String, String, String)>,
    exited: bool,
) -> &'static str {
    let Some((state, _, query)) = session else {
        return if exited { "exited" } else { "no-runner-yet" };
    };
    let query = query.trim_start();
    match state.as_str() {
        "idle" => "idle-between-batches",
        "idle in transaction" => "in-batch-idle-in-tx",
        "active" if query.starts_with("WITH b AS") => "in-batch-delete",
        "active" if query.contains("SET pass") => "in-batch-checkpoint",
        "active" if query.starts_with("COMMIT") => "in-batch-commit",
        "active" if query.contains("SET state") => "state-change",
        "active" => "active-other",
        _ => "other",
    }
}

/// SQLite: whether the binary holds the write lock (every write transaction, a batch
/// among them, begins `IMMEDIATE`), probed with a write lock of the test's own that does
/// not wait.
pub(crate) async fn sqlite_category(db: &Db) -> &'static str {
    let mut c = db.conn().await;
    let probe =
        trashcan::db::batch_execute(&mut c, "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK")
            .await;
    trashcan::db::batch_execute(&mut c, "PRAGMA busy_timeout = 5000")
        .await
        .unwrap();
    match probe {
        Ok(()) => "no-write-transaction",
        Err(e) if e.to_string().contains("locked") => "in-write-transaction",
        Err(e) => panic!("the probe failed: {e}"),
    }
}

/// What the binary is doing while it may still be planning: running the job (see
/// `session_category`), inside a transaction (the preview's or the plan's), or neither.
pub(crate) async fn planning_session(db: &Db, since: &str, exited: bool) -> String {
    if let Some(session) = runner_session(db).await {
        return session_category(Some(session), exited).to_owned();
    }
    let found = db
        .strings(&format!(
            "SELECT CAST(xact_start IS NOT NULL AS TEXT) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() \
             AND backend_start > CAST('{since}' AS TIMESTAMPTZ) ORDER BY xact_start"
        ))
        .await;
    match found.first().map(String::as_str) {
        _ if exited => "exited",
        Some("true") => "in-plan-transaction",
        Some(_) => "connected-no-transaction",
        None => "not-connected",
    }
    .to_owned()
}

/// A plain session of the test's own (opened before the binary's), and its pid.
pub(crate) async fn pg_session(db: &Db) -> (Arc<tokio_postgres::Client>, i32) {
    let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    (Arc::new(client), pid)
}

/// The first of the sessions `who` (a query of pids) waiting on a lock: its
/// transaction and its statement.
pub(crate) async fn lock_waiter(db: &Db, who: &str) -> Option<(String, String)> {
    let found = db
        .strings(&format!(
            "SELECT COALESCE(CAST(backend_xid AS TEXT), '') || '|' || query \
             FROM pg_stat_activity WHERE pid IN ({who}) AND wait_event_type = 'Lock'"
        ))
        .await;
    let line = found.into_iter().next()?;
    let (xid, query) = line.split_once('|').unwrap();
    Some((xid.to_owned(), query.to_owned()))
}

pub(crate) fn sessions_since(since: &str) -> String {
    format!(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
         AND backend_start > CAST('{since}' AS TIMESTAMPTZ)"
    )
}
