//! Throttle hooks: before each batch the purge asks whether the database is under strain
//! it should not add to — replicas falling behind, or sessions queueing on locks — and
//! waits while it is.

use std::time::Duration;

use crate::db::{Backend, DbConn, rows};
use crate::engine::error::EngineError;

/// When a purge holds off. `None` turns a check off.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// The replay lag of the slowest replica (`pg_stat_replication`; roles without
    /// `pg_monitor` see no lag, so the check is then silent).
    pub max_replication_lag: Option<Duration>,
    /// Sessions of this database waiting on a lock.
    pub max_lock_waits: Option<u32>,
}

/// Why the purge should wait before its next batch, if it should. SQLite has neither
/// replicas nor a view of lock waits; its writers queue on the database lock itself.
pub async fn reason_to_wait(
    conn: &mut DbConn,
    limits: &Limits,
) -> Result<Option<String>, EngineError> {
    if conn.backend() != Backend::Postgres
        || (limits.max_replication_lag.is_none() && limits.max_lock_waits.is_none())
    {
        return Ok(None);
    }
    let sql = "SELECT CAST(COALESCE((SELECT EXTRACT(epoch FROM max(replay_lag)) \
                   FROM pg_stat_replication), 0) AS text), \
               CAST((SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                   AND datname = current_database() AND pid <> pg_backend_pid()) AS text)";
    let found = rows::query(conn, sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot read the throttle figures: {e}")))?;
    let Some(row) = found.first() else {
        return Ok(None);
    };
    let lag = Duration::from_secs_f64(row.float(0).unwrap_or(0.0).max(0.0));
    let waits = row.int(1).unwrap_or(0).max(0) as u32;
    if let Some(max) = limits.max_replication_lag
        && lag > max
    {
        return Ok(Some(format!(
            "replication lag {:.1} s > {:.1} s",
            lag.as_secs_f64(),
            max.as_secs_f64()
        )));
    }
    if let Some(max) = limits.max_lock_waits
        && waits > max
    {
        return Ok(Some(format!("{waits} sessions waiting on locks > {max}")));
    }
    Ok(None)
}
