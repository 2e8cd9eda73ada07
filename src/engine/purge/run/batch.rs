//! One batch: pick the next keys of the frozen set, delete the rows that still qualify,
//! forget them in the set and move the checkpoint, all in one transaction.

use super::{Batch, Runner, now_sql};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::change::keys::in_keys;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::purge::sql::{
    Guards, descendant_condition, jobs_table, key_matches, no_children, no_children_beyond_batch,
    root_condition, rows_table, still_due,
};
use crate::engine::sql::{Binds, TableName};

impl Runner<'_> {
    /// Deletes the next batch of the current table and moves the checkpoint, in one
    /// transaction; `selected == 0` means the table is finished (the checkpoint moved on).
    pub(super) async fn batch(
        &mut self,
        conn: &mut DbConn,
        size: u32,
    ) -> Result<Batch, EngineError> {
        if conn.backend() == Backend::Sqlite {
            return self.batch_in_a_transaction(conn, size).await;
        }
        if let Some(batch) = self.batch_in_one_statement(conn, size).await? {
            return Ok(batch);
        }
        // A child hangs off a row of the batch (restored, or written since the plan):
        // from here on this table's batches test for children themselves and keep such
        // rows instead of failing.
        self.guard_every_relation = true;
        self.batch_in_one_statement(conn, size)
            .await?
            .ok_or_else(|| {
                EngineError::conflict("a foreign key refused a batch that tested every child")
            })
    }

    /// PostgreSQL: the whole batch as one statement, atomic by itself — pick the next
    /// keys of the set, delete those rows that still qualify, forget them in the set and
    /// move the checkpoint — so a batch costs one round trip and the keys never leave the
    /// server. `None` when a foreign key refused the batch while it left that test to
    /// the database (nothing was written).
    async fn batch_in_one_statement(
        &mut self,
        conn: &mut DbConn,
        size: u32,
    ) -> Result<Option<Batch>, EngineError> {
        let backend = Backend::Postgres;
        let walk_positions = self.job.pass == 0 || self.positions_recorded(conn).await?;
        let table = self.tables[self.job.step];
        let planned = &self.job.tables[self.job.step];
        let sd = table
            .soft_delete
            .as_ref()
            .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
        let key_columns = expr::key_columns(table, backend);
        let rows_name = rows_table(backend).quoted();
        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        // The first pass reaches the rows by the position recorded at plan time; later
        // passes (rows that moved since the plan, rows kept back) by key. Every pass
        // walks the set in the rows' physical order where the set records it: the order
        // rows were written or last updated in, which meets a chain's links in order
        // one way or the other, where text keys do not ("[10]" sorts before "[9]").
        let by_position = self.job.pass == 0;
        // A checkpoint of the other kind (a job planned before positions were recorded,
        // or walked by key before they were used in later passes) restarts the pass:
        // what it deleted is already out of the set.
        let last = self
            .job
            .last_key
            .as_ref()
            .filter(|last| last.starts_with('(') == walk_positions);
        let walk = Walk::for_pass(self.job.pass);
        let (column, after) = match (last, walk_positions) {
            (Some(last), true) => (
                "at",
                format!(
                    " AND at {} CAST({} AS tid)",
                    walk.beyond(),
                    binds.push(last.clone())
                ),
            ),
            (None, true) => ("at", " AND at IS NOT NULL".to_owned()),
            (Some(last), false) => (
                "key",
                format!(" AND key {} {}", walk.beyond(), binds.push(last.clone())),
            ),
            (None, false) => ("key", String::new()),
        };
        let (order, last_of) = (walk.order(column), walk.last_of(column));
        let qualifies = still_due(planned, sd, "t", "b", backend);
        let mut conditions = Vec::new();
        if by_position {
            // The array makes a TID scan of the table; the join then pairs each row with
            // its entry, whose key must still match.
            conditions.push("t.ctid = ANY(ARRAY(SELECT at FROM b))".to_owned());
            conditions.push("t.ctid = b.at".to_owned());
        }
        conditions.push(key_matches(&key_columns, "t", "b.key", backend));
        conditions.push(qualifies);
        let guards = if self.guard_every_relation {
            Guards::Every
        } else {
            Guards::Unenforced
        };
        conditions.extend(no_children(self.catalog, table, "t", guards));
        if guards == Guards::Unenforced {
            conditions.extend(no_children_beyond_batch(
                self.catalog,
                table,
                "t",
                "b",
                backend,
            ));
        }
        let sql = format!(
            "WITH b AS (SELECT ctid AS rid, key, at, round, live FROM {rows_name} \
               WHERE job_id = {job} AND table_name = {name}{after} ORDER BY {order} LIMIT {size}), \
             gone AS (DELETE FROM {} AS t USING b WHERE {} RETURNING b.rid), \
             forgotten AS (DELETE FROM {rows_name} AS r USING gone WHERE r.ctid = gone.rid RETURNING 1) \
             SELECT CAST((SELECT count(*) FROM b) AS text), CAST((SELECT {last_of} FROM b) AS text), \
               CAST((SELECT count(*) FROM gone) AS text), CAST((SELECT count(*) FROM forgotten) AS text)",
            table.name.quoted(),
            conditions.join(" AND "),
        );
        let mut tx = Transaction::begin(conn).await?;
        let found = match rows::query(tx.conn(), &sql, &binds.into_values()).await {
            Ok(found) => found,
            Err(e) => {
                tx.rollback().await;
                if is_foreign_key_violation(&e) {
                    if guards == Guards::Unenforced {
                        return Ok(None);
                    }
                    // The statement's own test for children sees rows committed before
                    // it began; a child committed while the delete waited on its row is
                    // only seen by the key. A retry sees it and keeps the parent.
                    return Err(EngineError::conflict(format!(
                        "{}: a child was written under a row of the batch while it ran",
                        table.name.display()
                    )));
                }
                return Err(EngineError::from_query(e, &table.name));
            }
        };
        let row = found.first();
        let picked = row.and_then(|r| r.int(0)).unwrap_or(0) as usize;
        if picked == 0 {
            return self.next_table(tx).await.map(Some);
        }
        let deleted = row.and_then(|r| r.int(2)).unwrap_or(0) as u64;
        self.job.last_key = row.and_then(|r| r.text(1));
        let result = self.checkpoint(tx.conn(), deleted, &table.name).await;
        let batch = Batch {
            selected: picked,
            deleted,
        };
        finish(tx, result.map(|()| batch)).await.map(Some)
    }

    /// PostgreSQL: whether every row of the current table in the frozen set has its
    /// position recorded (jobs planned before positions were have none). Asked once
    /// per table and run.
    async fn positions_recorded(&mut self, conn: &mut DbConn) -> Result<bool, EngineError> {
        if let Some(known) = self.positions_recorded {
            return Ok(known);
        }
        let backend = Backend::Postgres;
        let rows_name = rows_table(backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT CAST(NOT EXISTS (SELECT 1 FROM {} WHERE job_id = CAST({} AS BIGINT) \
               AND table_name = {} AND at IS NULL) AS text)",
            rows_name.quoted(),
            binds.push(self.job.id.to_string()),
            binds.push(self.tables[self.job.step].name.to_string()),
        );
        let found = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &rows_name))?;
        let known = found.first().and_then(|r| r.text(0)).as_deref() == Some("true");
        self.positions_recorded = Some(known);
        Ok(known)
    }

    /// The current table has no keys left in this pass: the checkpoint moves to the next.
    async fn next_table(&mut self, mut tx: Transaction<'_>) -> Result<Batch, EngineError> {
        let table = self.tables[self.job.step].name.clone();
        self.job.step += 1;
        self.job.last_key = None;
        self.guard_every_relation = false;
        self.positions_recorded = None;
        let result = self.checkpoint(tx.conn(), 0, &table).await;
        let empty = Batch {
            selected: 0,
            deleted: 0,
        };
        finish(tx, result.map(|()| empty)).await
    }

    /// SQLite: the batch's keys are read, then deleted by value, in one transaction
    /// with the checkpoint.
    async fn batch_in_a_transaction(
        &mut self,
        conn: &mut DbConn,
        size: u32,
    ) -> Result<Batch, EngineError> {
        let backend = conn.backend();
        let table = self.tables[self.job.step];
        let planned = &self.job.tables[self.job.step];
        let key_columns = expr::key_columns(table, backend);
        let rows_name = rows_table(backend).quoted();
        let mut tx = Transaction::begin(conn).await?;
        let c = tx.conn();

        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        let walk = Walk::for_pass(self.job.pass);
        let after = match &self.job.last_key {
            Some(last) => format!(" AND key {} {}", walk.beyond(), binds.push(last.clone())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT key, CAST(round AS TEXT), CAST(live AS TEXT) FROM {rows_name} \
             WHERE job_id = {job} AND table_name = {name}{after} ORDER BY {} LIMIT {size}",
            walk.order("key")
        );
        let picked = match rows::query(c, &sql, &binds.into_values()).await {
            Ok(rows) => rows,
            Err(e) => {
                tx.rollback().await;
                return Err(EngineError::from_query(e, &table.name));
            }
        };
        if picked.is_empty() {
            return self.next_table(tx).await;
        }
        let mut roots = Vec::new();
        let mut descendants = Vec::new();
        let mut live = Vec::new();
        let mut stored = Vec::new();
        for row in &picked {
            let text = row.text(0).unwrap_or_default();
            let key: Vec<String> = serde_json::from_str(&text).map_err(|e| {
                EngineError::other(format!("job {}: bad key {text}: {e}", self.job.id))
            })?;
            if row.bool(2) == Some(true) {
                live.push(key);
            } else if row.int(1) == Some(0) {
                roots.push(key);
            } else {
                descendants.push(key);
            }
            stored.push(text);
        }
        let sd = table
            .soft_delete
            .as_ref()
            .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
        let guards = no_children(self.catalog, table, "t", Guards::Every);
        let mut deleted = 0u64;
        // Roots: still trashed before the cutoff. Descendants: still trashed. Rows live
        // when planned (the policy that purges them): as they are.
        let root_state =
            root_condition(planned, sd, "t", backend).unwrap_or_else(|| "1 = 0".into());
        let groups = [
            (&roots, root_state),
            (
                &descendants,
                descendant_condition(planned, sd, "t", backend),
            ),
            (&live, "1 = 1".to_owned()),
        ];
        // A row of a table that points at its own rows waits for its children, and a
        // child in the same batch still exists while the statement tests for it. Going
        // over the batch again (each round sees the last one's deletes) takes a chain in
        // the batch down one link per round, instead of one link per pass.
        let chained = self
            .catalog
            .relations
            .iter()
            .any(|r| r.child == table.name && r.parent == table.name);
        loop {
            let mut this_round = 0u64;
            for (keys, state) in &groups {
                if keys.is_empty() {
                    continue;
                }
                let mut binds = Binds::new(backend);
                let mut conditions =
                    vec![in_keys(Some("t"), &key_columns, keys, &mut binds, backend)];
                conditions.push(state.clone());
                conditions.extend(guards.iter().cloned());
                let sql = format!(
                    "DELETE FROM {} AS t WHERE {}",
                    table.name.quoted(),
                    conditions.join(" AND ")
                );
                match rows::execute(tx.conn(), &sql, &binds.into_values()).await {
                    Ok(n) => this_round += n as u64,
                    Err(e) => {
                        tx.rollback().await;
                        return Err(EngineError::from_query(e, &table.name));
                    }
                }
            }
            deleted += this_round;
            if !chained || this_round == 0 {
                break;
            }
        }
        // The set forgets the rows that are gone, so a later pass meets only the rest.
        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        let listed: Vec<String> = stored.iter().map(|k| binds.push(k.clone())).collect();
        let sql = format!(
            "DELETE FROM {rows_name} AS r WHERE r.job_id = {job} AND r.table_name = {name} \
             AND r.key IN ({}) AND NOT EXISTS (SELECT 1 FROM {} AS t WHERE {})",
            listed.join(", "),
            table.name.quoted(),
            key_matches(&key_columns, "t", "r.key", backend)
        );
        if let Err(e) = rows::execute(tx.conn(), &sql, &binds.into_values()).await {
            tx.rollback().await;
            return Err(EngineError::from_query(e, &table.name));
        }
        self.job.last_key = stored.last().cloned();
        let result = self.checkpoint(tx.conn(), deleted, &table.name).await;
        let batch = Batch {
            selected: picked.len(),
            deleted,
        };
        finish(tx, result.map(|()| batch)).await
    }

    /// Rows of the frozen set not deleted yet.
    pub(super) async fn remaining(&self, conn: &mut DbConn) -> Result<u64, EngineError> {
        let backend = conn.backend();
        let rows_name = rows_table(backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT CAST(count(*) AS TEXT) FROM {} WHERE job_id = CAST({} AS BIGINT)",
            rows_name.quoted(),
            binds.push(self.job.id.to_string())
        );
        rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &rows_name))
            .map(|found| found.first().and_then(|r| r.int(0)).unwrap_or(0) as u64)
    }

    /// Records the checkpoint (and the rows just deleted) on the job row.
    pub(super) async fn checkpoint(
        &mut self,
        conn: &mut DbConn,
        deleted: u64,
        table: &TableName,
    ) -> Result<(), EngineError> {
        let backend = conn.backend();
        let jobs = jobs_table(backend);
        let mut done = self.job.done.clone();
        *done.entry(table.to_string()).or_default() += deleted;
        let tuning = self.control.tuning();
        let mut binds = Binds::new(backend);
        let sql = format!(
            "UPDATE {} SET pass = CAST({} AS INTEGER), step = CAST({} AS INTEGER), last_key = {}, \
             deleted_rows = CAST({} AS BIGINT), done = {}, batch_size = CAST({} AS INTEGER), \
             sleep_ms = CAST({} AS INTEGER), updated_at = {} WHERE id = CAST({} AS BIGINT)",
            jobs.quoted(),
            binds.push(self.job.pass.to_string()),
            binds.push(self.job.step.to_string()),
            binds.push_nullable(self.job.last_key.clone()),
            binds.push((self.job.deleted + deleted).to_string()),
            binds.push(serde_json::to_string(&done).unwrap_or_default()),
            binds.push(tuning.batch_size.to_string()),
            binds.push(tuning.sleep.as_millis().to_string()),
            now_sql(backend),
            binds.push(self.job.id.to_string()),
        );
        rows::query_nullable(conn, &sql, &binds.into_nullable_values())
            .await
            .map_err(|e| EngineError::from_query(e, &jobs))?;
        // Only now, with the statement through, does the in-memory job move on; the
        // commit that follows makes it true in the database.
        self.job.done = done;
        self.job.deleted += deleted;
        Ok(())
    }
}

/// Commits a batch's transaction if its statements went through, else rolls it back.
async fn finish(
    tx: Transaction<'_>,
    result: Result<Batch, EngineError>,
) -> Result<Batch, EngineError> {
    match result {
        Ok(batch) => {
            tx.commit().await?;
            Ok(batch)
        }
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

fn is_foreign_key_violation(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
    ) || e.to_string().contains("violates foreign key constraint")
}

/// The direction a pass walks each table's part of the frozen set. A row can only
/// point at a row that existed when it was written, so children usually come after
/// their parents: at a later position and, with serial keys, a higher key. Walking
/// backwards meets a chain of rows of one table pointing at each other (replies,
/// versions) children first, so a pass deletes the chain whole instead of one link
/// each. Passes alternate, for chains written the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    Backwards,
    Forwards,
}

impl Walk {
    fn for_pass(pass: u32) -> Walk {
        if pass.is_multiple_of(2) {
            Walk::Backwards
        } else {
            Walk::Forwards
        }
    }

    /// The comparison that keeps what is still ahead of a checkpoint.
    fn beyond(self) -> &'static str {
        match self {
            Walk::Backwards => "<",
            Walk::Forwards => ">",
        }
    }

    fn order(self, column: &str) -> String {
        match self {
            Walk::Backwards => format!("{column} DESC"),
            Walk::Forwards => column.to_owned(),
        }
    }

    /// The aggregate that gives a batch's checkpoint: its last row in this order.
    fn last_of(self, column: &str) -> String {
        match self {
            Walk::Backwards => format!("min({column})"),
            Walk::Forwards => format!("max({column})"),
        }
    }
}
