//! Two-person supervision of large purges. A plan above the approval threshold is stored
//! as `pending_approval`; a different person with the right to approve records an
//! approval — who, why, until when, and a digest of the plan and its frozen row set as
//! approved. The job may start only while the approval stands: unexpired, and with the
//! plan unchanged. Otherwise the approval is void, the job waits again, and the log says
//! why.

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::record::cutoff_text;
use super::sql::{jobs_table, rows_table};
use super::state;
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor, AuditEntry};
use crate::engine::database_now;
use crate::engine::error::EngineError;
use crate::engine::sql::Binds;

/// An approval as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub job_id: i64,
    pub approved_by: String,
    pub expires_epoch: f64,
    pub rows: u64,
}

/// Rows of the frozen set read per statement while computing the digest.
const DIGEST_PAGE: u32 = 10_000;

/// Approves job `job_id` as `approver`, for `valid_for` from now (database clock).
/// `may_approve` is the approver's right to approve (the supervisor role); refused too:
/// approving one's own plan, and a job that does not wait for approval.
pub async fn approve(
    conn: &mut DbConn,
    job_id: i64,
    approver: &Actor,
    may_approve: bool,
    reason: &str,
    valid_for: Duration,
) -> Result<Approval, EngineError> {
    if !may_approve {
        return Err(EngineError::refused(format!(
            "{} may not approve purges: that takes the supervisor role ([supervision.roles] \
             in the config)",
            approver.person()
        )));
    }
    if reason.trim().is_empty() {
        return Err(EngineError::other("an approval needs a reason"));
    }
    let mut tx = Transaction::begin(conn).await?;
    let result = approve_in(tx.conn(), job_id, approver, reason, valid_for).await;
    match result {
        Ok(approval) => {
            tx.commit().await?;
            Ok(approval)
        }
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

async fn approve_in(
    conn: &mut DbConn,
    job_id: i64,
    approver: &Actor,
    reason: &str,
    valid_for: Duration,
) -> Result<Approval, EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let mut binds = Binds::new(backend);
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT state, os_user, CAST(total_rows AS TEXT) FROM {} \
         WHERE id = CAST({} AS BIGINT){lock}",
        jobs.quoted(),
        binds.push(job_id.to_string())
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    let row = found
        .first()
        .ok_or_else(|| EngineError::other(format!("no purge job {job_id}")))?;
    let job_state = row.text(0).unwrap_or_default();
    let planner = Actor {
        os_user: row.text(1).unwrap_or_default(),
        ssh_client: None,
    };
    let rows_planned = row.int(2).unwrap_or(0).max(0) as u64;
    if job_state != state::PENDING_APPROVAL {
        return Err(EngineError::conflict(format!(
            "job {job_id} is {job_state}: only a job pending approval can be approved"
        )));
    }
    if planner.person() == approver.person() {
        return Err(EngineError::refused(format!(
            "job {job_id} was planned by {}: a second person must approve it",
            planner.person()
        )));
    }
    let digest = digest(conn, job_id).await?;
    let now = database_now(conn).await?;
    let expires = now + valid_for.as_secs_f64();
    let mut binds = Binds::new(backend);
    let sql = format!(
        "UPDATE {} SET state = {}, approved_by = {}, approved_epoch = CAST({} AS DOUBLE PRECISION), \
         approval_expires_epoch = CAST({} AS DOUBLE PRECISION), approval_reason = {}, \
         approved_digest = {} WHERE id = CAST({} AS BIGINT)",
        jobs.quoted(),
        binds.push(state::APPROVED),
        binds.push(approver.os_user.clone()),
        binds.push(format!("{now:.6}")),
        binds.push(format!("{expires:.6}")),
        binds.push(reason.to_owned()),
        binds.push(digest),
        binds.push(job_id.to_string()),
    );
    rows::execute(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    record(
        conn,
        approver,
        "purge approve",
        job_id,
        rows_planned,
        Some(reason),
        format!(
            "planned by {}; good for starting until {}",
            planner.person(),
            cutoff_text(expires)
        ),
    )
    .await?;
    Ok(Approval {
        job_id,
        approved_by: approver.os_user.clone(),
        expires_epoch: expires,
        rows: rows_planned,
    })
}

/// Before an approved job's first batch: the approval must not have expired, and the
/// plan must be the one approved. Otherwise the approval is voided (the job waits for a
/// new one, and the log says why) and the start is refused.
pub(super) async fn check_before_start(
    conn: &mut DbConn,
    job_id: i64,
    actor: &Actor,
) -> Result<(), EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let mut binds = Binds::new(backend);
    let sql = format!(
        "SELECT CAST(approval_expires_epoch AS TEXT), approved_digest, CAST(total_rows AS TEXT) \
         FROM {} WHERE id = CAST({} AS BIGINT)",
        jobs.quoted(),
        binds.push(job_id.to_string())
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    let row = found
        .first()
        .ok_or_else(|| EngineError::other(format!("no purge job {job_id}")))?;
    let expires = row.float(0).unwrap_or(0.0);
    let approved = row.text(1).unwrap_or_default();
    let rows_planned = row.int(2).unwrap_or(0).max(0) as u64;
    let now = database_now(conn).await?;
    let why = if now > expires {
        Some(format!(
            "the approval of job {job_id} expired at {}",
            cutoff_text(expires)
        ))
    } else if digest(conn, job_id).await? != approved {
        Some(format!(
            "the plan of job {job_id} changed after it was approved"
        ))
    } else {
        None
    };
    let Some(why) = why else {
        return Ok(());
    };
    void(conn, job_id, actor, rows_planned, &why).await?;
    Err(EngineError::refused(format!(
        "{why}: the approval is void, and the job waits for a new one"
    )))
}

/// Takes the approval back: the job waits again, and the log records why.
async fn void(
    conn: &mut DbConn,
    job_id: i64,
    actor: &Actor,
    rows_planned: u64,
    why: &str,
) -> Result<(), EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let mut tx = Transaction::begin(conn).await?;
    let mut binds = Binds::new(backend);
    let sql = format!(
        "UPDATE {} SET state = {}, approved_by = NULL, approved_epoch = NULL, \
         approval_expires_epoch = NULL, approval_reason = NULL, approved_digest = NULL \
         WHERE id = CAST({} AS BIGINT) AND state = {}",
        jobs.quoted(),
        binds.push(state::PENDING_APPROVAL),
        binds.push(job_id.to_string()),
        binds.push(state::APPROVED),
    );
    let result = match rows::execute(tx.conn(), &sql, &binds.into_values()).await {
        Ok(_) => {
            record(
                tx.conn(),
                actor,
                "purge approval void",
                job_id,
                rows_planned,
                None,
                why.to_owned(),
            )
            .await
        }
        Err(e) => Err(EngineError::from_query(e, &jobs)),
    };
    match result {
        Ok(()) => tx.commit().await,
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

async fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    job_id: i64,
    rows_planned: u64,
    reason: Option<&str>,
    context: String,
) -> Result<(), EngineError> {
    let entry = AuditEntry {
        actor: actor.clone(),
        action: action.into(),
        tables: Vec::new(),
        reason: reason.map(str::to_owned),
        job_id: Some(job_id),
        context: Some(format!("{context} ({rows_planned} rows planned)")),
    };
    audit::record(conn, &entry).await.map(|_| ())
}

/// SHA-256 over what the job will do: its scope, cutoff, policy, per-table plan, and
/// every row of its frozen set, read in key order a page at a time.
pub(super) async fn digest(conn: &mut DbConn, job_id: i64) -> Result<String, EngineError> {
    let backend = conn.backend();
    let jobs = jobs_table(backend);
    let rows_name = rows_table(backend);
    let mut hasher = Sha256::new();
    let mut binds = Binds::new(backend);
    let sql = format!(
        "SELECT scope, CAST(cutoff_epoch AS TEXT), plan, CAST(total_rows AS TEXT), \
         CAST(purge_live AS TEXT) FROM {} WHERE id = CAST({} AS BIGINT)",
        jobs.quoted(),
        binds.push(job_id.to_string())
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &jobs))?;
    let row = found
        .first()
        .ok_or_else(|| EngineError::other(format!("no purge job {job_id}")))?;
    for i in 0..5 {
        hasher.update(row.text(i).unwrap_or_default().as_bytes());
        hasher.update([0]);
    }
    let mut after: Option<(String, String)> = None;
    loop {
        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(job_id.to_string()));
        let past = match &after {
            Some((table, key)) => {
                let (t1, t2, k) = (
                    binds.push(table.clone()),
                    binds.push(table.clone()),
                    binds.push(key.clone()),
                );
                format!(" AND (table_name > {t1} OR (table_name = {t2} AND key > {k}))")
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT table_name, key, CAST(round AS TEXT), CAST(live AS TEXT) FROM {} \
             WHERE job_id = {job}{past} ORDER BY table_name, key LIMIT {DIGEST_PAGE}",
            rows_name.quoted()
        );
        let page = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &rows_name))?;
        for r in &page {
            for i in 0..4 {
                hasher.update(r.text(i).unwrap_or_default().as_bytes());
                hasher.update([0]);
            }
            hasher.update([b'\n']);
        }
        if (page.len() as u32) < DIGEST_PAGE {
            break;
        }
        after = page
            .last()
            .map(|r| (r.text(0).unwrap_or_default(), r.text(1).unwrap_or_default()));
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
