//! A purge job as stored, and the session lock that says a console is running it.

use std::collections::BTreeMap;

use crate::db::{Backend, DbConn, rows};
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::purge::sql::jobs_table;
use crate::engine::purge::{PlannedTable, state};
use crate::engine::sql::Binds;

/// A job as stored.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) id: i64,
    pub(super) state: String,
    pub(super) tables: Vec<PlannedTable>,
    pub(super) pass: u32,
    pub(super) step: usize,
    pub(super) last_key: Option<String>,
    pub(super) deleted: u64,
    pub(super) done: BTreeMap<String, u64>,
    pub(super) batch_size: u32,
    pub(super) sleep_ms: u64,
    pub(super) reason: Option<String>,
    pub(super) scope: String,
}

impl Job {
    pub(super) async fn load(conn: &mut DbConn, id: i64) -> Result<Job, EngineError> {
        let backend = conn.backend();
        let table = jobs_table(backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT state, plan, CAST(pass AS TEXT), CAST(step AS TEXT), last_key, \
             CAST(deleted_rows AS TEXT), done, CAST(batch_size AS TEXT), CAST(sleep_ms AS TEXT), \
             reason, scope FROM {} WHERE id = CAST({} AS BIGINT)",
            table.quoted(),
            binds.push(id.to_string())
        );
        let found = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &table))?;
        let row = found
            .first()
            .ok_or_else(|| EngineError::other(format!("no purge job {id}")))?;
        let tables: Vec<PlannedTable> = serde_json::from_str(&row.text(1).unwrap_or_default())
            .map_err(|e| EngineError::other(format!("job {id} has an unreadable plan: {e}")))?;
        Ok(Job {
            id,
            state: row.text(0).unwrap_or_default(),
            tables,
            pass: row.int(2).unwrap_or(0) as u32,
            step: row.int(3).unwrap_or(0) as usize,
            last_key: row.text(4),
            deleted: row.int(5).unwrap_or(0) as u64,
            done: serde_json::from_str(&row.text(6).unwrap_or_default()).unwrap_or_default(),
            batch_size: row.int(7).unwrap_or(1_000) as u32,
            sleep_ms: row.int(8).unwrap_or(0) as u64,
            reason: row.text(9),
            scope: row.text(10).unwrap_or_default(),
        })
    }

    pub(super) fn check_runnable(&self) -> Result<(), EngineError> {
        match self.state.as_str() {
            state::PENDING_APPROVAL => Err(EngineError::other(format!(
                "job {} waits for a second operator's approval",
                self.id
            ))),
            state::DONE => Err(EngineError::other(format!("job {} is done", self.id))),
            state::ABANDONED => Err(EngineError::other(format!("job {} was abandoned", self.id))),
            _ => Ok(()),
        }
    }
}

/// PostgreSQL: a session lock per job, so two consoles never run the same job, and a
/// job whose console died shows as interrupted (its lock went with its session).
/// SQLite serialises writers itself and every batch re-reads nothing it cached that
/// another runner could move, so it needs none.
pub(crate) fn lease_key(job_id: i64) -> i64 {
    0x7472_6173_0000_0000_i64 | (job_id & 0xffff_ffff)
}

pub(super) async fn lease(conn: &mut DbConn, job_id: i64) -> Result<(), EngineError> {
    if conn.backend() != Backend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "SELECT CAST(pg_try_advisory_lock({}) AS TEXT)",
        lease_key(job_id)
    );
    let got = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot lock job {job_id}: {e}")))?
        .first()
        .and_then(|r| r.bool(0))
        .unwrap_or(false);
    if got {
        Ok(())
    } else {
        Err(EngineError {
            kind: ErrorKind::Conflict,
            message: format!("job {job_id} is being run by another console"),
        })
    }
}

pub(super) async fn unlease(conn: &mut DbConn, job_id: i64) {
    if conn.backend() == Backend::Postgres {
        let sql = format!(
            "SELECT CAST(pg_advisory_unlock({}) AS TEXT)",
            lease_key(job_id)
        );
        let _ = rows::query(conn, &sql, &[]).await;
    }
}
