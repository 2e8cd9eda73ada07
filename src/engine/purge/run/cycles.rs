//! Rows of the set that only other rows of the set keep: a row pointing at itself, a
//! ring of rows in one table, two tables pointing at each other. Batches never delete
//! them — each waits for its child, which waits for it — so once a whole pass deletes
//! nothing, the rest of the set is swept in one transaction whose foreign keys are
//! checked at its end: every row still due whose children (along every relation the
//! database does not handle itself) are all in the sweep too. A child outside the
//! sweep pins its parent, and a pinned row pins its own parents in turn.

use super::Runner;
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::catalog::TableInfo;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::purge::sql::{
    encode_key, handled_by_database, key_matches, rows_table, still_due,
};
use crate::engine::sql::{Binds, quote_ident};

/// Rounds of pinning at most: each round pins the parents of the last; chains of rows
/// kept back are short once the passes are done.
const MAX_PIN_ROUNDS: usize = 200;

impl Runner<'_> {
    /// Deletes what only the set itself keeps; returns the rows deleted. Nothing is
    /// deleted (and the error says why) if the database refuses at the commit.
    pub(super) async fn sweep_cycles(&mut self, conn: &mut DbConn) -> Result<u64, EngineError> {
        let mut tx = Transaction::begin(conn).await?;
        let failed = match self.sweep_in(tx.conn()).await {
            Ok(0) => {
                tx.rollback().await;
                return Ok(0);
            }
            Ok(deleted) => match tx.commit().await {
                Ok(()) => return Ok(deleted),
                Err(e) => e,
            },
            Err(e) => {
                tx.rollback().await;
                e
            }
        };
        // The in-memory job moved with the checkpoints; the database did not.
        self.job = super::job::Job::load(conn, self.job.id).await?;
        Err(failed)
    }

    async fn sweep_in(&mut self, conn: &mut DbConn) -> Result<u64, EngineError> {
        let backend = conn.backend();
        let sweep = Sweep::new(backend);
        let rows_name = rows_table(backend);
        let fail = |e: diesel::result::Error| EngineError::from_query(e, &rows_name);
        let setup = match backend {
            Backend::Postgres => format!(
                "SET CONSTRAINTS ALL DEFERRED; CREATE TEMP TABLE {} ON COMMIT DROP AS \
                 SELECT table_name, key, round, live, 0 AS pinned FROM {} WITH NO DATA",
                sweep.name,
                rows_name.quoted()
            ),
            Backend::Sqlite => format!(
                "PRAGMA defer_foreign_keys = ON; CREATE TEMP TABLE {} AS \
                 SELECT table_name, key, round, live, 0 AS pinned FROM {} WHERE 0",
                sweep.name,
                rows_name.quoted()
            ),
        };
        crate::db::batch_execute(conn, &setup).await.map_err(fail)?;

        let tables: Vec<&TableInfo> = self.tables.clone();
        for (table, planned) in tables.iter().zip(&self.job.tables) {
            let Some(sd) = table.soft_delete.as_ref() else {
                continue;
            };
            let keys = expr::key_columns(table, backend);
            let mut binds = Binds::new(backend);
            let sql = format!(
                "INSERT INTO {} (table_name, key, round, live, pinned) \
                 SELECT b.table_name, b.key, b.round, b.live, 0 FROM {} AS b \
                 JOIN {} AS t ON {} WHERE b.job_id = CAST({} AS BIGINT) AND b.table_name = {} \
                 AND {}",
                sweep.name,
                rows_name.quoted(),
                table.name.quoted(),
                key_matches(&keys, "t", "b.key", backend),
                binds.push(self.job.id.to_string()),
                binds.push(table.name.to_string()),
                still_due(planned, sd, "t", "b", backend),
            );
            rows::execute(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &table.name))?;
        }
        self.pin(conn, &sweep).await?;

        let mut deleted = 0u64;
        let counts = self.delete_unpinned(conn, &sweep, &tables).await?;
        for (table, count) in tables.iter().zip(counts) {
            if count == 0 {
                continue;
            }
            self.forget_gone(conn, &sweep, table).await?;
            self.checkpoint(conn, count, &table.name).await?;
            deleted += count;
        }
        if backend == Backend::Sqlite {
            crate::db::batch_execute(conn, &format!("DROP TABLE {}", sweep.name))
                .await
                .map_err(fail)?;
        }
        Ok(deleted)
    }

    /// Pins every row of the sweep with a child outside it or pinned, until no more do.
    async fn pin(&self, conn: &mut DbConn, sweep: &Sweep) -> Result<(), EngineError> {
        let backend = conn.backend();
        let mut statements = Vec::new();
        for (i, relation) in self.catalog.relations.iter().enumerate() {
            let Some(parent) = self.tables.iter().find(|t| t.name == relation.parent) else {
                continue;
            };
            let Some(child) = self.catalog.table(&relation.child) else {
                continue;
            };
            if handled_by_database(self.catalog, i) {
                continue;
            }
            let parent_keys = expr::key_columns(parent, backend);
            let on: Vec<String> = relation
                .child_columns
                .iter()
                .zip(&relation.parent_columns)
                .map(|(c, p)| format!("c.{} = t.{}", quote_ident(c), quote_ident(p)))
                .collect();
            let mut binds = Binds::new(backend);
            // A child counts as kept unless it is itself in the sweep and not pinned.
            let child_swept = if child.primary_key.is_empty() {
                "1 = 0".to_owned()
            } else {
                let child_keys = expr::key_columns(child, backend);
                format!(
                    "EXISTS (SELECT 1 FROM {} AS s2 WHERE s2.table_name = {} AND s2.pinned = 0 \
                     AND s2.key = {})",
                    sweep.name,
                    binds.push(child.name.to_string()),
                    encode_key(&child_keys, "c", backend)
                )
            };
            let sql = format!(
                "UPDATE {} AS sw SET pinned = 1 WHERE sw.pinned = 0 AND sw.table_name = {} \
                 AND EXISTS (SELECT 1 FROM {} AS t JOIN {} AS c ON {} WHERE {} AND NOT \
                 {child_swept})",
                sweep.name,
                binds.push(parent.name.to_string()),
                parent.name.quoted(),
                child.name.quoted(),
                on.join(" AND "),
                key_matches(&parent_keys, "t", "sw.key", backend),
            );
            statements.push((sql, binds.into_values()));
        }
        for _ in 0..MAX_PIN_ROUNDS {
            let mut pinned = 0;
            for (sql, values) in &statements {
                pinned += rows::execute(conn, sql, values)
                    .await
                    .map_err(|e| EngineError::other(format!("cannot sweep cycles: {e}")))?;
            }
            if pinned == 0 {
                return Ok(());
            }
        }
        Err(EngineError::other(
            "cannot sweep cycles: the rows kept back form too long a chain",
        ))
    }

    /// Deletes the unpinned rows of every table, each still due; returns the count per
    /// table. PostgreSQL does it in one statement, so keys that cannot wait for the
    /// commit still see the whole cycle gone when they check at its end.
    async fn delete_unpinned(
        &self,
        conn: &mut DbConn,
        sweep: &Sweep,
        tables: &[&TableInfo],
    ) -> Result<Vec<u64>, EngineError> {
        let backend = conn.backend();
        // PostgreSQL deletes from every table in one statement, which takes all the
        // tables' values; SQLite runs a statement per table, each with its own.
        let mut shared = Binds::new(backend);
        let mut deletes = Vec::new();
        for (table, planned) in tables.iter().zip(&self.job.tables) {
            let Some(sd) = table.soft_delete.as_ref() else {
                deletes.push(None);
                continue;
            };
            let keys = expr::key_columns(table, backend);
            let mut own = Binds::new(backend);
            let binds = match backend {
                Backend::Postgres => &mut shared,
                Backend::Sqlite => &mut own,
            };
            let condition = format!(
                "s.table_name = {} AND s.pinned = 0 AND {} AND {}",
                binds.push(table.name.to_string()),
                key_matches(&keys, "t", "s.key", backend),
                still_due(planned, sd, "t", "s", backend)
            );
            deletes.push(Some((table.name.quoted(), condition, own.into_values())));
        }
        match backend {
            Backend::Postgres => {
                let parts: Vec<(usize, String)> = deletes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        d.as_ref().map(|(name, condition, _)| {
                            (
                                i,
                                format!(
                                    "d{i} AS (DELETE FROM {name} AS t USING {} AS s WHERE \
                                     {condition} RETURNING 1)",
                                    sweep.name
                                ),
                            )
                        })
                    })
                    .collect();
                if parts.is_empty() {
                    return Ok(vec![0; tables.len()]);
                }
                let counts: Vec<String> = parts
                    .iter()
                    .map(|(i, _)| format!("CAST((SELECT count(*) FROM d{i}) AS TEXT)"))
                    .collect();
                let sql = format!(
                    "WITH {} SELECT {}",
                    parts
                        .iter()
                        .map(|(_, p)| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    counts.join(", ")
                );
                let found = rows::query(conn, &sql, &shared.into_values())
                    .await
                    .map_err(|e| cycle_refused(&e))?;
                let row = found.first();
                let mut out = vec![0; tables.len()];
                for (column, (i, _)) in parts.iter().enumerate() {
                    out[*i] = row.and_then(|r| r.int(column)).unwrap_or(0) as u64;
                }
                Ok(out)
            }
            Backend::Sqlite => {
                let mut out = Vec::new();
                for delete in deletes {
                    let Some((name, condition, values)) = delete else {
                        out.push(0);
                        continue;
                    };
                    let sql = format!(
                        "DELETE FROM {name} AS t WHERE EXISTS (SELECT 1 FROM {} AS s WHERE \
                         {condition})",
                        sweep.name
                    );
                    let n = rows::execute(conn, &sql, &values)
                        .await
                        .map_err(|e| cycle_refused(&e))?;
                    out.push(n as u64);
                }
                Ok(out)
            }
        }
    }

    /// The set forgets the rows of `table` the sweep deleted.
    async fn forget_gone(
        &self,
        conn: &mut DbConn,
        sweep: &Sweep,
        table: &TableInfo,
    ) -> Result<(), EngineError> {
        let backend = conn.backend();
        let rows_name = rows_table(backend);
        let keys = expr::key_columns(table, backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "DELETE FROM {} AS r WHERE r.job_id = CAST({} AS BIGINT) AND r.table_name = {} \
             AND EXISTS (SELECT 1 FROM {} AS s WHERE s.pinned = 0 AND s.table_name = r.table_name \
             AND s.key = r.key) AND NOT EXISTS (SELECT 1 FROM {} AS t WHERE {})",
            rows_name.quoted(),
            binds.push(self.job.id.to_string()),
            binds.push(table.name.to_string()),
            sweep.name,
            table.name.quoted(),
            key_matches(&keys, "t", "r.key", backend)
        );
        rows::execute(conn, &sql, &binds.into_values())
            .await
            .map(|_| ())
            .map_err(|e| EngineError::from_query(e, &rows_name))
    }
}

/// The sweep's scratch table, private to the session.
struct Sweep {
    name: &'static str,
}

impl Sweep {
    fn new(backend: Backend) -> Self {
        Self {
            name: match backend {
                Backend::Postgres => "pg_temp.trashcan_sweep",
                Backend::Sqlite => "temp.trashcan_sweep",
            },
        }
    }
}

fn cycle_refused(e: &diesel::result::Error) -> EngineError {
    EngineError::conflict(format!(
        "rows that keep only each other could not be deleted together ({e}); a key that \
         is checked row by row (ON DELETE RESTRICT) or a row changed meanwhile keeps them"
    ))
}
