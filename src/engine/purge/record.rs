//! A plan's bookkeeping: the job row it is written under, what the frozen set holds
//! per table, what the database will do by itself, the bytes freed, and the plan's
//! entry in the audit log.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::{Bound, relations};
use super::sql::{jobs_table, key_matches, rows_table};
use super::{DatabaseEffect, PlannedTable, PurgeOptions, PurgePlan, Scope, state};
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor, AuditEntry, TableKeys};
use crate::engine::catalog::Catalog;
use crate::engine::change::state::time_text;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;
use crate::engine::sql::{Binds, TableName};

pub(super) async fn insert_job(
    conn: &mut DbConn,
    scope: &Scope,
    cutoff: f64,
    options: &PurgeOptions,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<i64, EngineError> {
    let backend = conn.backend();
    let table = jobs_table(backend);
    let mut binds = Binds::new(backend);
    let text = cutoff_text(cutoff);
    let values = [
        binds.push(actor.os_user.clone()),
        binds.push_nullable(actor.ssh_client.clone()),
        binds.push(state::PLANNED),
        binds.push(scope.describe()),
        format!(
            "CAST({} AS DOUBLE PRECISION)",
            binds.push(format!("{cutoff:.6}"))
        ),
        binds.push(text),
        binds.push_nullable(reason.map(str::to_owned)),
        binds.push("{}"),
        "0".to_owned(),
        format!(
            "CAST({} AS INTEGER)",
            binds.push(options.batch_size.to_string())
        ),
        format!(
            "CAST({} AS INTEGER)",
            binds.push(options.sleep.as_millis().to_string())
        ),
        if options.purge_live { "TRUE" } else { "FALSE" }.to_owned(),
    ];
    let db_user = match backend {
        Backend::Postgres => "session_user",
        Backend::Sqlite => "''",
    };
    let sql = format!(
        "INSERT INTO {} (os_user, ssh_client, state, scope, cutoff_epoch, cutoff_text, reason, \
         plan, total_rows, batch_size, sleep_ms, purge_live, db_user) VALUES ({}, {db_user}) \
         RETURNING CAST(id AS TEXT)",
        table.quoted(),
        values.join(", ")
    );
    rows::query_nullable(conn, &sql, &binds.into_nullable_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table))?
        .first()
        .and_then(|r| r.int(0))
        .ok_or_else(|| EngineError::other("the job table returned no id"))
}

/// Whether this session may write a plan: its job, its frozen set and its audit entry.
pub(super) enum Writable {
    Yes,
    NotInstalled,
    No(&'static str),
}

pub(super) async fn may_write_plans(conn: &mut DbConn) -> Result<Writable, EngineError> {
    if !audit::installed(conn).await? {
        return Ok(Writable::NotInstalled);
    }
    let backend = conn.backend();
    let (sql, binds) = match backend {
        Backend::Postgres => {
            let mut binds = Binds::new(backend);
            let jobs = binds.push(jobs_table(backend).quoted());
            let rows = binds.push(rows_table(backend).quoted());
            let log = binds.push(audit::log_table(backend).quoted());
            (
                format!(
                    "SELECT CASE WHEN current_setting('transaction_read_only') = 'on' THEN 'r' \
                     WHEN has_table_privilege({jobs}, 'INSERT, UPDATE') \
                     AND has_table_privilege({rows}, 'INSERT, DELETE') \
                     AND has_table_privilege({log}, 'INSERT') THEN 'w' ELSE 'p' END"
                ),
                binds,
            )
        }
        Backend::Sqlite => (
            "SELECT CASE WHEN query_only THEN 'r' ELSE 'w' END FROM pragma_query_only".to_owned(),
            Binds::new(backend),
        ),
    };
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| {
            EngineError::other(format!("cannot tell whether this session may write: {e}"))
        })?;
    Ok(match found.first().and_then(|r| r.text(0)).as_deref() {
        Some("w") => Writable::Yes,
        Some("r") => Writable::No("the session is read-only"),
        _ => Writable::No("no permission to write the console's purge tables"),
    })
}

/// Rows and roots per table, keyed by the table's display name as stored.
pub(super) async fn count_rows(
    conn: &mut DbConn,
    bound: &Bound<'_>,
) -> Result<BTreeMap<String, (u64, u64, u64)>, EngineError> {
    let backend = bound.backend;
    let mut binds = Binds::new(backend);
    let job = bound.job(&mut binds);
    let sql = format!(
        "SELECT table_name, CAST(count(*) AS TEXT), \
         CAST(sum(CASE WHEN round = 0 THEN 1 ELSE 0 END) AS TEXT), \
         CAST(sum(CASE WHEN live THEN 1 ELSE 0 END) AS TEXT) \
         FROM {} WHERE job_id = {job} GROUP BY table_name",
        bound.rows
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::other(format!("cannot count the plan: {e}")))?;
    Ok(found
        .iter()
        .filter_map(|r| {
            Some((
                r.text(0)?,
                (
                    r.int(1).unwrap_or(0) as u64,
                    r.int(2).unwrap_or(0) as u64,
                    r.int(3).unwrap_or(0) as u64,
                ),
            ))
        })
        .collect())
}

/// What `ON DELETE CASCADE` into tables that do not soft-delete, and `SET NULL`, will do
/// to the children of the rows the purge deletes.
pub(super) async fn database_effects(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
    tables: &[PlannedTable],
) -> Result<Vec<DatabaseEffect>, EngineError> {
    let backend = bound.backend;
    let planned: BTreeSet<TableName> = tables.iter().map(PlannedTable::table_name).collect();
    let mut effects = Vec::new();
    for (relation, parent, child) in relations(catalog, true) {
        if !planned.contains(&relation.parent) {
            continue;
        }
        let mut binds = Binds::new(backend);
        let job = bound.job(&mut binds);
        let parent_name = binds.push(parent.name.to_string());
        let sql = format!(
            "SELECT CAST(count(*) AS TEXT) FROM {} AS pr JOIN {} AS p ON {} JOIN {} AS c ON {} \
             WHERE pr.job_id = {job} AND pr.table_name = {parent_name}",
            bound.rows,
            parent.name.quoted(),
            key_matches(&expr::key_columns(parent, backend), "p", "pr.key", backend),
            child.name.quoted(),
            join_on(relation, "c", "p"),
        );
        let rows = rows::count(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &child.name))?;
        effects.extend(DatabaseEffect::of(relation, rows));
    }
    Ok(effects)
}

/// Heap, TOAST and index bytes per row times the rows (PostgreSQL's statistics); SQLite
/// keeps no such figures cheaply, so there it is unknown.
pub(super) async fn estimate_bytes(conn: &mut DbConn, tables: &[PlannedTable]) -> Option<u64> {
    if conn.backend() != Backend::Postgres {
        return None;
    }
    let mut total = 0f64;
    for table in tables {
        let mut binds = Binds::new(Backend::Postgres);
        let name = binds.push(table.table_name().quoted());
        let sql = format!(
            "SELECT CAST(pg_total_relation_size(c.oid) / GREATEST(c.reltuples, 1) AS TEXT) \
             FROM pg_class c WHERE c.oid = to_regclass({name})"
        );
        let per_row = rows::query(conn, &sql, &binds.into_values())
            .await
            .ok()?
            .first()
            .and_then(|r| r.float(0))?;
        total += per_row * table.rows as f64;
    }
    Some(total as u64)
}

/// Stores the plan on the job, sets its state, and records the plan in the audit log.
pub(super) async fn finish_job(
    conn: &mut DbConn,
    plan: &PurgePlan,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<(), EngineError> {
    let backend = conn.backend();
    let table = jobs_table(backend);
    let job_id = plan.job_id.unwrap_or_default();
    let state = if plan.needs_approval {
        state::PENDING_APPROVAL
    } else {
        state::PLANNED
    };
    let mut binds = Binds::new(backend);
    let sql = format!(
        "UPDATE {} SET plan = {}, total_rows = CAST({} AS BIGINT), state = {} \
         WHERE id = CAST({} AS BIGINT)",
        table.quoted(),
        binds.push(serde_json::to_string(&plan.tables).unwrap_or_default()),
        binds.push(plan.total().to_string()),
        binds.push(state),
        binds.push(job_id.to_string()),
    );
    rows::execute(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table))?;
    let entry = AuditEntry {
        actor: actor.clone(),
        action: "purge plan".into(),
        tables: plan
            .tables
            .iter()
            .map(|t| TableKeys {
                table: t.table_name().display(),
                key_columns: Vec::new(),
                rows: t.rows,
                keys: Vec::new(),
            })
            .collect(),
        reason: reason.map(str::to_owned),
        job_id: Some(job_id),
        context: Some(super::audit_context(
            &plan.scope,
            &plan.tables,
            &plan.implied_ignored,
        )),
    };
    audit::record(conn, &entry).await?;
    Ok(())
}

/// The cutoff as operators read it.
pub fn cutoff_text(epoch: f64) -> String {
    let column = crate::engine::catalog::ColumnInfo {
        name: String::new(),
        sql_type: String::new(),
        kind: crate::engine::catalog::ColumnKind::Text,
        nullable: false,
    };
    format!("{} UTC", time_text(&column, epoch, Backend::Sqlite, false))
}
