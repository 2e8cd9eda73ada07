//! A purge job as stored, and the session lock that says a console is running it.

use std::collections::BTreeMap;

use crate::db::{Backend, DbConn, rows};
use crate::engine::error::{EngineError, ErrorKind, connection_lost};
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
            state::PENDING_APPROVAL => Err(EngineError::refused(format!(
                "job {} waits for a second person's approval (`trashcan approve {}`)",
                self.id, self.id
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

/// Held while a console runs a job: a PostgreSQL session lock, or on SQLite an
/// exclusive lock on a file beside the database. Either goes away with the process, so
/// a job whose console died shows as interrupted at once.
pub(super) struct Lease {
    file: Option<std::fs::File>,
    path: Option<std::path::PathBuf>,
}

pub(super) async fn lease(conn: &mut DbConn, job_id: i64) -> Result<Lease, EngineError> {
    let taken = || EngineError::conflict(format!("job {job_id} is being run by another console"));
    if conn.backend() == Backend::Postgres {
        return if pg_lock(conn, job_id).await? {
            Ok(Lease {
                file: None,
                path: None,
            })
        } else {
            Err(taken())
        };
    }
    let Some(path) = lock_path(conn, job_id).await else {
        return Ok(Lease {
            file: None,
            path: None,
        });
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| EngineError::other(format!("cannot open {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(Lease {
            file: Some(file),
            path: Some(path),
        }),
        Err(std::fs::TryLockError::WouldBlock) => Err(taken()),
        Err(std::fs::TryLockError::Error(e)) => Err(EngineError::other(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// Takes the PostgreSQL session lock again on a new connection (after a reconnect);
/// SQLite's lock belongs to the process and is still held.
///
/// After a network drop the server may not yet know that this console's old session
/// (`old_session`) is gone, and that session still holds the lock. It is ended first:
/// only this console could have been using it.
pub(super) async fn relock(
    conn: &mut DbConn,
    job_id: i64,
    old_session: Option<i64>,
) -> Result<(), EngineError> {
    if conn.backend() != Backend::Postgres || pg_lock(conn, job_id).await? {
        return Ok(());
    }
    let holder = lock_holder(conn, job_id).await?;
    if let (Some(old), Some(holder)) = (old_session, holder)
        && old == holder
    {
        let sql = format!("SELECT CAST(pg_terminate_backend({old}, 5000) AS TEXT)");
        rows::query(conn, &sql, &[])
            .await
            .map_err(|e| EngineError::other(format!("cannot end the old session {old}: {e}")))?;
        if pg_lock(conn, job_id).await? {
            return Ok(());
        }
    }
    let holder = holder.map_or_else(|| "?".to_owned(), |pid| pid.to_string());
    Err(EngineError::conflict(format!(
        "job {job_id} is being run by another console (server process {holder})"
    )))
}

/// The server process holding the job's session lock, if any.
async fn lock_holder(conn: &mut DbConn, job_id: i64) -> Result<Option<i64>, EngineError> {
    // An advisory lock on a bigint key shows as classid (high half) and objid (low
    // half), objsubid 1. Its key is only unique within the database: another database on
    // the same server may run a job with the same id.
    let key = lease_key(job_id);
    let sql = format!(
        "SELECT CAST(pid AS TEXT) FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND objsubid = 1 AND classid = CAST({} AS OID) AND objid = CAST({} AS OID)",
        (key >> 32) & 0xffff_ffff,
        key & 0xffff_ffff
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot read the lock of job {job_id}: {e}")))?;
    Ok(found.first().and_then(|r| r.int(0)))
}

async fn pg_lock(conn: &mut DbConn, job_id: i64) -> Result<bool, EngineError> {
    let sql = format!(
        "SELECT CAST(pg_try_advisory_lock({}) AS TEXT)",
        lease_key(job_id)
    );
    Ok(rows::query(conn, &sql, &[])
        .await
        .map_err(|e| {
            let mut error = EngineError::other(format!("cannot lock job {job_id}: {e}"));
            if connection_lost(&e.to_string().to_lowercase()) {
                error.kind = ErrorKind::Connection;
            }
            error
        })?
        .first()
        .and_then(|r| r.bool(0))
        .unwrap_or(false))
}

/// Gives the lease back; a finished job's lock file is removed as well.
pub(super) async fn unlease(conn: &mut DbConn, job_id: i64, lease: Lease, finished: bool) {
    if conn.backend() == Backend::Postgres {
        let sql = format!(
            "SELECT CAST(pg_advisory_unlock({}) AS TEXT)",
            lease_key(job_id)
        );
        let _ = rows::query(conn, &sql, &[]).await;
    }
    drop(lease.file);
    if finished && let Some(path) = lease.path {
        let _ = std::fs::remove_file(path);
    }
}

/// SQLite: whether no console holds the job's lock file (it is interrupted, if it says
/// it is running). A database without a file (in memory) cannot tell, and says no.
pub(crate) async fn sqlite_lease_free(conn: &mut DbConn, job_id: i64) -> bool {
    let Some(path) = lock_path(conn, job_id).await else {
        return false;
    };
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    else {
        return false;
    };
    file.try_lock().is_ok()
}

/// `<database file>.trashcan-job-<id>.lock`, beside the SQLite database.
async fn lock_path(conn: &mut DbConn, job_id: i64) -> Option<std::path::PathBuf> {
    let found = rows::query(
        conn,
        "SELECT file FROM pragma_database_list WHERE name = 'main'",
        &[],
    )
    .await
    .ok()?;
    let file = found.first()?.text(0).filter(|f| !f.is_empty())?;
    Some(std::path::PathBuf::from(format!(
        "{file}.trashcan-job-{job_id}.lock"
    )))
}
