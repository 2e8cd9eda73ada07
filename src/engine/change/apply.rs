//! Writing a change: one transaction that locks the rows, re-checks what the preview
//! saw, appends the audit record, and changes exactly the previewed rows. Anything
//! unexpected rolls all of it back.

use super::checks;
use super::keys::{self, KEYS_PER_STATEMENT, split_row};
use super::state::{self, Stamp};
use super::{Blocker, Change, ChangeKind, TableChange};
use crate::db::session::{self, SessionId};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor, AuditEntry, TableKeys};
use crate::engine::catalog::Catalog;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::sql::Binds;

/// A committed change.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Each row with the state it had and the state it has now: what an undo reverses.
    pub change: Change,
    pub audit_id: i64,
}

impl Applied {
    /// The change that puts every row back as it was.
    pub fn undo(&self) -> Change {
        let mut undo = self.change.clone();
        undo.undo = !self.change.undo;
        undo.kind = match self.change.kind {
            ChangeKind::Restore => ChangeKind::Trash,
            ChangeKind::Trash => ChangeKind::Restore,
        };
        for table in &mut undo.tables {
            for row in &mut table.rows {
                let now = row.after.take().unwrap_or_default();
                let was = std::mem::replace(&mut row.before, now);
                row.after = Some(was);
            }
        }
        undo
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApplyError {
    /// Rows are no longer as the preview saw them; nothing was written.
    Changed(Vec<String>),
    /// A blocker appeared since the preview; nothing was written.
    Blocked(Vec<Blocker>),
    /// The database refused (a trigger, a constraint, a lock, a lost connection);
    /// nothing was written.
    Failed(EngineError),
    /// PostgreSQL: the session failed during the commit, so whether the change landed
    /// is not known yet; `settle::after_lost_commit` finds out.
    Unsettled {
        applied: Box<Applied>,
        error: EngineError,
        /// The server session that was committing: the outcome is final once it is gone.
        session: Option<SessionId>,
    },
}

impl ApplyError {
    pub fn describe(&self) -> String {
        match self {
            ApplyError::Changed(what) => format!(
                "nothing was changed: the rows changed since the preview: {}",
                what.join("; ")
            ),
            ApplyError::Blocked(blockers) => format!(
                "nothing was changed: {}",
                blockers
                    .iter()
                    .map(Blocker::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            ApplyError::Failed(e) => format!("nothing was changed: {e}"),
            ApplyError::Unsettled { applied, error, .. } => format!(
                "not known whether the change landed: {error}; audit entry {} records it \
                 if it did",
                applied.audit_id
            ),
        }
    }
}

impl From<EngineError> for ApplyError {
    fn from(e: EngineError) -> Self {
        ApplyError::Failed(e)
    }
}

/// Writes `change` in one transaction with its audit record. The rows must still be in
/// the state the preview read (`before`); for a restore the blockers are checked again.
pub async fn apply(
    conn: &mut DbConn,
    catalog: &Catalog,
    change: &Change,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<Applied, ApplyError> {
    if change.rows() == 0 {
        return Err(ApplyError::Failed(EngineError::other("nothing to change")));
    }
    if !audit::installed(conn).await? {
        return Err(ApplyError::Failed(EngineError::other(
            "the audit log is not installed, so changes cannot be recorded; \
             run trashcan once with --init",
        )));
    }
    let backend = conn.backend();
    let session = session::current(conn).await;
    let mut tx = Transaction::begin(conn).await?;
    let result = write(tx.conn(), catalog, change, actor, reason).await;
    match result {
        Ok(applied) => match tx.commit().await {
            Ok(()) => Ok(applied),
            // A SQLite commit that failed did not happen; a PostgreSQL one may have, if
            // only its answer was lost.
            Err(error) if backend == Backend::Postgres => Err(ApplyError::Unsettled {
                applied: Box::new(applied),
                error,
                session,
            }),
            Err(error) => Err(ApplyError::Failed(error)),
        },
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

async fn write(
    conn: &mut DbConn,
    catalog: &Catalog,
    change: &Change,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<Applied, ApplyError> {
    let backend = conn.backend();
    verify_unchanged(conn, change).await?;
    if change.kind == ChangeKind::Restore {
        recheck_blockers(conn, catalog, change).await?;
    }
    let stamp = match change.kind {
        ChangeKind::Trash => Some(read_stamp(conn, actor, reason).await?),
        ChangeKind::Restore => None,
    };
    let entry = AuditEntry {
        actor: actor.clone(),
        action: change.action().to_owned(),
        tables: change
            .tables
            .iter()
            .filter(|t| !t.rows.is_empty())
            .map(|t| TableKeys {
                table: t.table.display(),
                key_columns: t.key_names(),
                rows: t.rows.len() as u64,
                keys: t
                    .rows
                    .iter()
                    .take(audit::KEYS_PER_TABLE)
                    .map(|r| r.key.clone())
                    .collect(),
            })
            .collect(),
        reason: reason.map(str::to_owned),
        job_id: None,
        context: (!change.implied_ignored.is_empty()).then(|| {
            format!(
                "implied relations left undeclared for this change: {}",
                change.implied_ignored.join(", ")
            )
        }),
    };
    let audit_id = audit::record(conn, &entry).await?;
    let mut done = change.clone();
    for table in &mut done.tables {
        for row in &mut table.rows {
            if row.after.is_none() {
                row.after = Some(match &stamp {
                    Some(stamp) => state::trashed_values(
                        table.convention,
                        &table.state_columns,
                        &row.before,
                        stamp,
                        backend,
                    ),
                    None => state::live_values(
                        table.convention,
                        &table.state_columns,
                        &row.before,
                        backend,
                    ),
                });
            }
        }
        write_table(conn, table).await?;
    }
    Ok(Applied {
        change: done,
        audit_id,
    })
}

/// Locks the rows and compares their state with the preview's.
async fn verify_unchanged(conn: &mut DbConn, change: &Change) -> Result<(), ApplyError> {
    let backend = conn.backend();
    let mut differences = Vec::new();
    for table in &change.tables {
        if table.rows.is_empty() {
            continue;
        }
        let columns = state_text(table, backend);
        let keys: Vec<Vec<String>> = table.rows.iter().map(|r| r.key.clone()).collect();
        let current = keys::read_by_key(
            conn,
            &table.table,
            &table.key_columns,
            &columns,
            &keys,
            true,
        )
        .await?;
        let (mut gone, mut moved) = (0u64, 0u64);
        let mut example = None;
        for row in &table.rows {
            match current.get(&row.key) {
                None => gone += 1,
                Some(now) if *now != row.before => {
                    moved += 1;
                    example.get_or_insert_with(|| row.key.join(", "));
                }
                Some(_) => {}
            }
        }
        if gone > 0 {
            differences.push(format!(
                "{gone} row(s) of {} no longer exist",
                table.table.display()
            ));
        }
        if moved > 0 {
            let what = match change.kind {
                ChangeKind::Restore => "were restored, re-trashed or edited by someone else",
                ChangeKind::Trash => "were trashed or edited by someone else",
            };
            differences.push(format!(
                "{moved} row(s) of {} {what} (e.g. ({}))",
                table.table.display(),
                example.unwrap_or_default()
            ));
        }
    }
    if differences.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::Changed(differences))
    }
}

/// A restore re-checks, under its locks, that no parent was trashed and no live row
/// took a unique key since the preview.
async fn recheck_blockers(
    conn: &mut DbConn,
    catalog: &Catalog,
    change: &Change,
) -> Result<(), ApplyError> {
    let mut blockers = Vec::new();
    let held: std::collections::HashSet<(&crate::engine::sql::TableName, &[String])> = change
        .tables
        .iter()
        .flat_map(|c| c.rows.iter().map(move |r| (&c.table, r.key.as_slice())))
        .collect();
    let restored = |t: &crate::engine::sql::TableName, k: &[String]| held.contains(&(t, k));
    for table in change.tables.iter().filter(|t| !t.rows.is_empty()) {
        let hits = checks::trashed_parents(conn, catalog, table, &restored).await?;
        blockers.extend(checks::ancestor_blockers(catalog, &hits));
        blockers.extend(checks::collisions(conn, catalog, table).await?);
    }
    if blockers.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::Blocked(blockers))
    }
}

/// The database's clock and a fresh deletion token, once per move to trash.
async fn read_stamp(
    conn: &mut DbConn,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<Stamp, EngineError> {
    let backend = conn.backend();
    let random = match backend {
        Backend::Postgres => "md5(random()::text || clock_timestamp()::text)",
        Backend::Sqlite => "lower(hex(randomblob(16)))",
    };
    let sql = format!(
        "SELECT {}, {random}",
        expr::cast_text(expr::now_epoch(backend), backend)
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot read the database clock: {e}")))?;
    let row = found
        .first()
        .ok_or_else(|| EngineError::other("the database clock returned nothing"))?;
    Ok(Stamp {
        epoch_seconds: row
            .float(0)
            .ok_or_else(|| EngineError::other("the database clock returned no time"))?,
        actor: actor.os_user.clone(),
        reason: reason.map(str::to_owned),
        token: state::token_from_hex(&row.text(1).unwrap_or_default()),
    })
}

fn state_text(table: &TableChange, backend: Backend) -> Vec<String> {
    let columns: Vec<_> = table
        .state_columns
        .iter()
        .map(|s| s.column.clone())
        .collect();
    keys::as_text(&columns, Some("t"), backend)
}

/// Sets each row's state columns to its `after`, a chunk of rows per statement, and
/// reads back what was written (the database's own text for it, which an undo compares
/// against).
async fn write_table(conn: &mut DbConn, table: &mut TableChange) -> Result<(), ApplyError> {
    let backend = conn.backend();
    let k = table.key_columns.len();
    let width = k + table.state_columns.len();
    let per_statement = (KEYS_PER_STATEMENT * 2 / width.max(1)).clamp(1, KEYS_PER_STATEMENT);
    // SQLite's RETURNING sees only the updated table, by its own name.
    let returning_alias = match backend {
        Backend::Postgres => Some("t"),
        Backend::Sqlite => None,
    };
    let mut returned = keys::as_text(&table.key_columns, returning_alias, backend);
    returned.extend(keys::as_text(
        &table
            .state_columns
            .iter()
            .map(|s| s.column.clone())
            .collect::<Vec<_>>(),
        returning_alias,
        backend,
    ));
    let set: Vec<String> = table
        .state_columns
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "{} = {}",
                s.column.quoted(),
                s.column
                    .cast_bind(backend, &format!("v.column{}", k + i + 1))
            )
        })
        .collect();
    let matches: Vec<String> = table
        .key_columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "t.{} = {}",
                c.quoted(),
                c.cast_bind(backend, &format!("v.column{}", i + 1))
            )
        })
        .collect();
    let mut written = std::collections::HashMap::with_capacity(table.rows.len());
    for chunk in table.rows.chunks(per_statement) {
        let mut binds = Binds::new(backend);
        let tuples: Vec<String> = chunk
            .iter()
            .map(|row| {
                let mut cells: Vec<String> =
                    row.key.iter().map(|v| binds.push(v.clone())).collect();
                for value in row.after.clone().unwrap_or_default() {
                    cells.push(binds.push_nullable(value));
                }
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!(
            "UPDATE {} AS t SET {} FROM (VALUES {}) AS v WHERE {} RETURNING {}",
            table.table.quoted(),
            set.join(", "),
            tuples.join(", "),
            matches.join(" AND "),
            returned.join(", ")
        );
        let rows = rows::query_nullable(conn, &sql, &binds.into_nullable_values())
            .await
            .map_err(|e| EngineError::from_query(e, &table.table))?;
        if rows.len() != chunk.len() {
            return Err(ApplyError::Changed(vec![format!(
                "{} of {} rows of {} could be written",
                rows.len(),
                chunk.len(),
                table.table.display()
            )]));
        }
        for row in &rows {
            let (key, values) = split_row(row, k);
            written.insert(key, values);
        }
    }
    for row in &mut table.rows {
        if let Some(now) = written.remove(&row.key) {
            row.after = Some(now);
        }
    }
    Ok(())
}
