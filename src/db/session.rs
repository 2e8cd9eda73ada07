//! PostgreSQL server sessions by identity. A session whose client lost it may live on
//! on the server for a while — still committing, still holding a lock — and what it
//! did is only final once it is gone.

use std::time::{Duration, Instant};

use super::{Backend, DbConn, rows};

/// One server session: its process id and start time (a pid alone is reused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionId {
    pub pid: i64,
    pub started: String,
}

/// The session `conn` talks to (PostgreSQL); `None` on SQLite or if it cannot be read.
pub async fn current(conn: &mut DbConn) -> Option<SessionId> {
    if conn.backend() != Backend::Postgres {
        return None;
    }
    let found = rows::query(
        conn,
        "SELECT CAST(pid AS TEXT), CAST(backend_start AS TEXT) FROM pg_stat_activity \
         WHERE pid = pg_backend_pid()",
        &[],
    )
    .await
    .ok()?;
    let row = found.first()?;
    Some(SessionId {
        pid: row.int(0)?,
        started: row.text(1)?,
    })
}

/// The session's statement timeout (PostgreSQL; `None` on SQLite, when it is off, or
/// when it cannot be read): the longest any one statement may keep the client waiting.
pub async fn statement_timeout(conn: &mut DbConn) -> Option<Duration> {
    if conn.backend() != Backend::Postgres {
        return None;
    }
    let found = rows::query(
        conn,
        "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'",
        &[],
    )
    .await
    .ok()?;
    let millis = found.first()?.int(0)?;
    (millis > 0).then(|| Duration::from_millis(millis as u64))
}

/// Waits for `session` to finish what it is running (up to `patience`), then ends it
/// if it is still there (the role may end its own sessions) and waits for it to go.
/// Returns whether it is gone: only then is whatever it was committing final.
pub async fn wait_out(conn: &mut DbConn, session: &SessionId, patience: Duration) -> bool {
    let binds = [session.pid.to_string(), session.started.clone()];
    let same = "pid = CAST($1 AS INTEGER) AND CAST(backend_start AS TEXT) = $2";
    let started = Instant::now();
    let mut ended_at: Option<Instant> = None;
    loop {
        let state = rows::query(
            conn,
            &format!("SELECT coalesce(state, '') FROM pg_stat_activity WHERE {same}"),
            &binds,
        )
        .await;
        let Ok(found) = state else {
            return false;
        };
        let Some(state) = found.first().map(|r| r.text(0).unwrap_or_default()) else {
            return true;
        };
        // A session still running a statement (a commit with slow deferred checks) is
        // left to finish; one that is idle has nothing in flight.
        let busy = state == "active" && started.elapsed() < patience;
        match ended_at {
            _ if busy => {}
            None => {
                let _ = rows::query(
                    conn,
                    &format!(
                        "SELECT CAST(pg_terminate_backend(pid) AS TEXT) FROM pg_stat_activity \
                         WHERE {same}"
                    ),
                    &binds,
                )
                .await;
                ended_at = Some(Instant::now());
            }
            Some(at) if at.elapsed() > GONE_WITHIN => return false,
            Some(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How long an ended session may take to go.
const GONE_WITHIN: Duration = Duration::from_secs(5);
