//! The job list: what is planned, running, interrupted or finished, and abandoning a job
//! that should not be resumed.

use super::run::{lease_key, sqlite_lease_free};
use super::sql::{jobs_table, rows_table};
use super::state;
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor, AuditEntry};
use crate::engine::error::EngineError;
use crate::engine::sql::Binds;

#[derive(Debug, Clone, PartialEq)]
pub struct JobSummary {
    pub id: i64,
    pub state: String,
    /// Running or paused by the row, but no console holds it: killed, disconnected or
    /// crashed. Resume or abandon.
    pub interrupted: bool,
    pub scope: String,
    pub created_at: String,
    pub os_user: String,
    pub cutoff: String,
    pub reason: Option<String>,
    pub total_rows: u64,
    pub deleted_rows: u64,
    pub last_error: Option<String>,
    /// Who approved the job, and until when it may start (UTC), when it needed it.
    pub approved_by: Option<String>,
    pub approval_expires: Option<String>,
}

/// Jobs, newest first; `unfinished_only` leaves out done and abandoned ones.
pub async fn list_jobs(
    conn: &mut DbConn,
    unfinished_only: bool,
) -> Result<Vec<JobSummary>, EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let filter = if unfinished_only {
        format!(
            " WHERE state NOT IN ('{}', '{}')",
            state::DONE,
            state::ABANDONED
        )
    } else {
        String::new()
    };
    let stale = match backend {
        // A lock nobody holds (taken and given back at once) means no console runs it.
        Backend::Postgres => format!(
            "CASE WHEN state IN ('{running}', '{paused}') \
             AND pg_try_advisory_lock({base} | (id & 4294967295)) \
             AND pg_advisory_unlock({base} | (id & 4294967295)) THEN 'true' ELSE 'false' END",
            running = state::RUNNING,
            paused = state::PAUSED,
            base = lease_key(0),
        ),
        // Told apart below, by the job's lock file.
        Backend::Sqlite => "'false'".to_owned(),
    };
    let sql = format!(
        "SELECT CAST(id AS TEXT), state, {stale}, scope, CAST(created_at AS TEXT), os_user, \
         cutoff_text, reason, CAST(total_rows AS TEXT), CAST(deleted_rows AS TEXT), last_error, \
         approved_by, CAST(approval_expires_epoch AS TEXT) \
         FROM {}{filter} ORDER BY id DESC LIMIT 200",
        jobs.quoted()
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    let mut jobs: Vec<JobSummary> = found
        .iter()
        .map(|r| JobSummary {
            id: r.int(0).unwrap_or(0),
            state: r.text(1).unwrap_or_default(),
            interrupted: r.bool(2).unwrap_or(false),
            scope: r.text(3).unwrap_or_default(),
            created_at: r.text(4).unwrap_or_default(),
            os_user: r.text(5).unwrap_or_default(),
            cutoff: r.text(6).unwrap_or_default(),
            reason: r.text(7),
            total_rows: r.int(8).unwrap_or(0) as u64,
            deleted_rows: r.int(9).unwrap_or(0) as u64,
            last_error: r.text(10),
            approved_by: r.text(11),
            approval_expires: r.float(12).map(super::cutoff_text),
        })
        .collect();
    if backend == Backend::Sqlite {
        for job in &mut jobs {
            if [state::RUNNING, state::PAUSED].contains(&job.state.as_str()) {
                job.interrupted = sqlite_lease_free(conn, job.id).await;
            }
        }
    }
    Ok(jobs)
}

/// Whether job `id` exists at all (any state).
pub async fn job_exists(conn: &mut DbConn, id: i64) -> Result<bool, EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let mut binds = Binds::new(backend);
    let sql = format!(
        "SELECT CAST(count(*) AS TEXT) FROM {} WHERE id = CAST({} AS BIGINT)",
        jobs.quoted(),
        binds.push(id.to_string())
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    Ok(found.first().and_then(|r| r.int(0)).unwrap_or(0) > 0)
}

/// Gives a job up: it will not run again, and its frozen set is dropped. Rows it already
/// deleted stay deleted.
pub async fn abandon(
    conn: &mut DbConn,
    job_id: i64,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<(), EngineError> {
    let backend = conn.backend();
    let jobs = list_jobs(conn, false).await?;
    let job = jobs
        .iter()
        .find(|j| j.id == job_id)
        .ok_or_else(|| EngineError::other(format!("no purge job {job_id}")))?;
    let running_elsewhere =
        [state::RUNNING, state::PAUSED].contains(&job.state.as_str()) && !job.interrupted;
    if running_elsewhere {
        return Err(EngineError::other(format!(
            "job {job_id} is running in another console; cancel it there first"
        )));
    }
    if [state::DONE, state::ABANDONED].contains(&job.state.as_str()) {
        return Err(EngineError::other(format!(
            "job {job_id} is already {}",
            job.state
        )));
    }
    let mut tx = Transaction::begin(conn).await?;
    let result = async {
        let c = tx.conn();
        let mut binds = Binds::new(backend);
        let id = binds.push(job_id.to_string());
        let sql = format!(
            "UPDATE {} SET state = '{}' WHERE id = CAST({id} AS BIGINT)",
            jobs_table(backend).quoted(),
            state::ABANDONED
        );
        rows::execute(c, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &jobs_table(backend)))?;
        let mut binds = Binds::new(backend);
        let id = binds.push(job_id.to_string());
        let sql = format!(
            "DELETE FROM {} WHERE job_id = CAST({id} AS BIGINT)",
            rows_table(backend).quoted()
        );
        rows::execute(c, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &rows_table(backend)))?;
        let entry = AuditEntry {
            actor: actor.clone(),
            action: "purge abandon".into(),
            tables: Vec::new(),
            reason: reason.map(str::to_owned),
            job_id: Some(job_id),
            context: None,
        };
        audit::record(c, &entry).await.map(|_| ())
    }
    .await;
    match result {
        Ok(()) => tx.commit().await,
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}
