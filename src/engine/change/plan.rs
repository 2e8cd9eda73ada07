//! Previews: which rows a restore or a move to trash will change, read set-based along
//! the related-count engine's paths, and what blocks it.

use std::collections::{HashMap, HashSet};

use super::checks::{self, ParentHits};
use super::closure;
use super::keys;
use super::state::{self, StateColumn};
use super::{Blocker, Change, ChangeKind, ChangeOptions, ChangePreview, RowChange, TableChange};
use crate::db::DbConn;
use crate::engine::catalog::{Catalog, ColumnInfo, SoftDelete, TableInfo};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::{self, PathSql, Roots};
use crate::engine::sql::TableName;

/// Ancestor chains longer than this are not followed (a guard against a cycle of
/// trashed rows, which the keys seen already also stop).
const MAX_ANCESTOR_ROUNDS: usize = 64;

/// Levels of rows a change follows below the selection (a thread of replies is one
/// level per reply); deeper chains refuse the change.
const MAX_CLOSURE_ROUNDS: usize = 1_000;

/// Previews restoring the trashed rows among `keys` of `table`, with their deletion
/// group when `options.with_group`.
pub async fn plan_restore(
    conn: &mut DbConn,
    catalog: &Catalog,
    table: &TableName,
    keys: &[Vec<String>],
    options: &ChangeOptions,
) -> Result<ChangePreview, EngineError> {
    let mut plan = Planner::start(conn, catalog, table, keys, ChangeKind::Restore).await?;
    if plan.builder.rows() > 0 && options.with_group && plan.blockers.is_empty() {
        plan.follow_closure(conn, options).await?;
    }
    plan.check_ancestors(conn, options).await?;
    plan.check_allowed(options);
    if plan.blockers.is_empty() {
        for change in &plan.builder.tables {
            plan.blockers
                .extend(checks::collisions(conn, catalog, change).await?);
        }
    }
    Ok(plan.finish())
}

/// Previews moving the live rows among `keys` of `table` to trash, with their live
/// descendants.
pub async fn plan_trash(
    conn: &mut DbConn,
    catalog: &Catalog,
    table: &TableName,
    keys: &[Vec<String>],
    options: &ChangeOptions,
) -> Result<ChangePreview, EngineError> {
    let mut plan = Planner::start(conn, catalog, table, keys, ChangeKind::Trash).await?;
    let implied: Vec<String> = catalog
        .implied_below(std::slice::from_ref(table))
        .iter()
        .map(|r| r.describe())
        .collect();
    if options.ignore_implied {
        plan.builder.implied_ignored = implied;
    } else if !implied.is_empty() {
        plan.blockers.push(Blocker::Implied { relations: implied });
    }
    if plan.builder.rows() > 0 && plan.blockers.is_empty() {
        plan.follow_closure(conn, options).await?;
    }
    plan.check_allowed(options);
    Ok(plan.finish())
}

struct Planner<'a> {
    catalog: &'a Catalog,
    kind: ChangeKind,
    root: &'a TableInfo,
    builder: Builder,
    left_alone: Vec<(TableName, HashSet<Vec<String>>)>,
    blockers: Vec<Blocker>,
    skipped: u64,
    incomplete: Vec<String>,
    /// Rows found in tables without a primary key, which the console will not change.
    keyless: Vec<(TableName, u64)>,
    /// The selected rows' keys, which pruning never leaves behind.
    selected: HashSet<Vec<String>>,
}

impl<'a> Planner<'a> {
    /// Reads the selected rows and keeps those in the state the change starts from.
    async fn start(
        conn: &mut DbConn,
        catalog: &'a Catalog,
        table: &TableName,
        keys: &[Vec<String>],
        kind: ChangeKind,
    ) -> Result<Planner<'a>, EngineError> {
        let backend = conn.backend();
        let root = catalog
            .table(table)
            .ok_or_else(|| EngineError::other(format!("unknown table {table}")))?;
        let sd = root
            .soft_delete
            .as_ref()
            .ok_or_else(|| EngineError::not_soft_delete(table))?;
        if keys.len() > related::MAX_SELECTED_ROWS {
            return Err(EngineError::other(format!(
                "select at most {} rows at a time",
                related::MAX_SELECTED_ROWS
            )));
        }
        // A table without a key is refused later, as a blocker, whatever was selected.
        if !root.primary_key.is_empty() {
            super::keys::check_keys(&expr::key_columns(root, backend), keys)?;
        }
        let mut plan = Planner {
            catalog,
            kind,
            root,
            builder: Builder::new(kind, table),
            left_alone: Vec::new(),
            blockers: Vec::new(),
            skipped: 0,
            incomplete: Vec::new(),
            keyless: Vec::new(),
            selected: HashSet::new(),
        };
        if root.primary_key.is_empty() {
            plan.blockers.push(Blocker::NotAllowed {
                table: table.clone(),
                reason: "the table has no primary key".into(),
                rows: keys.len() as u64,
            });
            return Ok(plan);
        }
        let key_columns = expr::key_columns(root, backend);
        let state_columns = state::state_columns(root, sd);
        let mut columns = keys::as_text(&columns_of(&state_columns), Some("t"), backend);
        columns.push(format!(
            "CASE WHEN {} THEN '1' ELSE '0' END",
            expr::trashed_in(sd, backend, Some("t"))
        ));
        let found =
            keys::read_by_key(conn, &root.name, &key_columns, &columns, keys, false).await?;
        let wanted = match kind {
            ChangeKind::Restore => "1",
            ChangeKind::Trash => "0",
        };
        let slot = plan.builder.table(root, sd, backend);
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        for (key, mut values) in found {
            let trashed = values.pop().flatten();
            if trashed.as_deref() == Some(wanted) {
                plan.selected.insert(key.clone());
                plan.builder.add(slot, key, values);
            }
        }
        plan.skipped = (keys.len() as u64).saturating_sub(plan.builder.rows());
        Ok(plan)
    }

    /// Adds what hangs off the rows held, table by table to a fixpoint: the deletion
    /// group for a restore (trashed rows trashed together with the row above them),
    /// live descendants for a move to trash. Each round follows every relation from the
    /// rows the last round added, so a row reached along many paths is found once and
    /// the cost follows tables and rows, not paths; self-references and cycles go to
    /// their end. A walk that hits a limit (its depth, a table it may not read) says so
    /// as a blocker: a change never goes ahead with part of its rows.
    async fn follow_closure(
        &mut self,
        conn: &mut DbConn,
        options: &ChangeOptions,
    ) -> Result<(), EngineError> {
        let catalog = self.catalog;
        let roots: Vec<Vec<String>> = Vec::new();
        let sql = PathSql {
            catalog,
            backend: conn.backend(),
            roots: Roots {
                table: self.root,
                key_columns: Vec::new(),
                keys: &roots,
            },
            window_seconds: options.recovery_window.as_secs_f64(),
        };
        let mut frontier: HashMap<TableName, Vec<Vec<String>>> = self
            .builder
            .tables
            .iter()
            .map(|t| {
                (
                    t.table.clone(),
                    t.rows.iter().map(|r| r.key.clone()).collect(),
                )
            })
            .collect();
        for _ in 0..MAX_CLOSURE_ROUNDS {
            if frontier.is_empty() {
                return Ok(());
            }
            let mut next: HashMap<TableName, Vec<Vec<String>>> = HashMap::new();
            for (index, relation) in catalog.relations.iter().enumerate() {
                let Some(parents) = frontier.get(&relation.parent) else {
                    continue;
                };
                if let Some(child) = catalog.table(&relation.child)
                    && child.soft_delete.is_some()
                    && !child.can_select
                {
                    self.incomplete.push(format!(
                        "no permission to read {}, so the rows there under the selection are unknown",
                        child.name.display()
                    ));
                    continue;
                }
                let Some(found) = closure::children(conn, &sql, index, parents, self.kind).await?
                else {
                    continue;
                };
                let Some(table) = catalog.table(&found.table) else {
                    continue;
                };
                let Some(sd) = &table.soft_delete else {
                    for (key, ..) in found.rows {
                        self.leave_alone(&found.table, key);
                    }
                    continue;
                };
                if table.primary_key.is_empty() {
                    let keyless = found.rows.iter().filter(|(_, _, wanted)| *wanted).count();
                    if keyless > 0 {
                        self.keyless.push((table.name.clone(), keyless as u64));
                    }
                    continue;
                }
                let slot = self.builder.table(table, sd, conn.backend());
                for (key, values, wanted) in found.rows {
                    if !wanted {
                        self.leave_alone(&found.table, key);
                    } else if self.builder.add(slot, key.clone(), values) {
                        next.entry(found.table.clone()).or_default().push(key);
                    }
                }
                if self.builder.rows() > options.max_rows {
                    // The size limit refuses the change (see `check_allowed`).
                    return Ok(());
                }
            }
            frontier = next;
        }
        self.incomplete.push(format!(
            "chains of rows deeper than {MAX_CLOSURE_ROUNDS} levels were not followed to their end"
        ));
        Ok(())
    }

    fn leave_alone(&mut self, table: &TableName, key: Vec<String>) {
        match self.left_alone.iter_mut().find(|(t, _)| t == table) {
            Some((_, keys)) => {
                keys.insert(key);
            }
            None => self.left_alone.push((table.clone(), HashSet::from([key]))),
        }
    }

    /// A restore must not leave a restored row under a trashed parent: refuse, or with
    /// `with_ancestors` bring the parents (and theirs) back too.
    async fn check_ancestors(
        &mut self,
        conn: &mut DbConn,
        options: &ChangeOptions,
    ) -> Result<(), EngineError> {
        if self.kind != ChangeKind::Restore || self.builder.rows() == 0 {
            return Ok(());
        }
        let backend = conn.backend();
        let mut pending: Vec<TableChange> = self.builder.tables.clone();
        for _ in 0..MAX_ANCESTOR_ROUNDS {
            let mut hits: Vec<ParentHits> = Vec::new();
            for change in pending.iter().filter(|c| !c.rows.is_empty()) {
                let builder = &self.builder;
                let restored = |t: &TableName, k: &[String]| builder.contains(t, k);
                hits.extend(checks::trashed_parents(conn, self.catalog, change, &restored).await?);
            }
            if hits.is_empty() {
                return Ok(());
            }
            if options.leave_blocked && !options.with_ancestors {
                let mut leave: HashMap<TableName, HashSet<Vec<String>>> = HashMap::new();
                for hit in &hits {
                    let keys = hit
                        .children
                        .iter()
                        .filter(|k| !(hit.child == self.root.name && self.selected.contains(*k)));
                    leave
                        .entry(hit.child.clone())
                        .or_default()
                        .extend(keys.cloned());
                }
                let mut left = 0;
                for (table, keys) in leave {
                    left += self.builder.remove_all(&table, &keys);
                    for key in keys {
                        self.leave_alone(&table, key);
                    }
                }
                if left == 0 {
                    // Only selected rows are blocked: that is a refusal.
                    self.blockers
                        .extend(checks::ancestor_blockers(self.catalog, &hits));
                    return Ok(());
                }
                // Rows under the ones just left behind are now blocked in turn.
                pending = self.builder.tables.clone();
                continue;
            }
            if !options.with_ancestors {
                self.blockers
                    .extend(checks::ancestor_blockers(self.catalog, &hits));
                return Ok(());
            }
            let mut added: Vec<TableChange> = Vec::new();
            for hit in hits {
                let Some(parent) = self.catalog.table(&hit.parent) else {
                    continue;
                };
                let Some(sd) = &parent.soft_delete else {
                    continue;
                };
                if parent.primary_key.is_empty() {
                    self.keyless
                        .push((parent.name.clone(), hit.rows.len() as u64));
                    continue;
                }
                let slot = self.builder.table(parent, sd, backend);
                let mut fresh = Builder::new(self.kind, &self.root.name);
                let fresh_slot = fresh.table(parent, sd, backend);
                for (key, values) in hit.rows {
                    if self.builder.add(slot, key.clone(), values.clone()) {
                        fresh.add(fresh_slot, key, values);
                    }
                }
                added.extend(fresh.tables.into_iter().filter(|t| !t.rows.is_empty()));
            }
            if added.is_empty() {
                return Ok(());
            }
            pending = added;
        }
        self.incomplete.push(format!(
            "ancestor chains longer than {MAX_ANCESTOR_ROUNDS} levels were not followed"
        ));
        Ok(())
    }

    /// Tables the role may not change, rows without a key, and the size limit.
    fn check_allowed(&mut self, options: &ChangeOptions) {
        for change in &self.builder.tables {
            let Some(table) = self.catalog.table(&change.table) else {
                continue;
            };
            if change.rows.is_empty() {
                continue;
            }
            if let Some(reason) = table.read_only_reason() {
                self.blockers.push(Blocker::NotAllowed {
                    table: change.table.clone(),
                    reason: reason.into(),
                    rows: change.rows.len() as u64,
                });
            }
        }
        for (table, rows) in &self.keyless {
            self.blockers.push(Blocker::NotAllowed {
                table: table.clone(),
                reason: "the table has no primary key".into(),
                rows: *rows,
            });
        }
        let rows = self.builder.rows();
        if rows > options.max_rows {
            self.blockers.push(Blocker::TooLarge {
                rows,
                limit: options.max_rows,
            });
        }
    }

    fn finish(self) -> ChangePreview {
        let builder = self.builder;
        let left_alone = self
            .left_alone
            .into_iter()
            .map(|(table, keys)| {
                let n = keys.iter().filter(|k| !builder.contains(&table, k)).count();
                (table, n as u64)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        let incomplete = (!self.incomplete.is_empty()).then(|| self.incomplete.join("; "));
        let mut blockers = self.blockers;
        blockers.extend(
            self.incomplete
                .into_iter()
                .map(|limit| Blocker::Limit { limit }),
        );
        ChangePreview {
            change: builder.into_change(),
            left_alone,
            blockers,
            skipped: self.skipped,
            incomplete,
        }
    }
}

fn columns_of(state_columns: &[StateColumn]) -> Vec<ColumnInfo> {
    state_columns.iter().map(|s| s.column.clone()).collect()
}

/// A change being assembled: rows per table, each row once.
struct Builder {
    kind: ChangeKind,
    root: TableName,
    tables: Vec<TableChange>,
    seen: HashMap<TableName, (usize, HashSet<Vec<String>>)>,
    implied_ignored: Vec<String>,
}

impl Builder {
    fn new(kind: ChangeKind, root: &TableName) -> Self {
        Self {
            kind,
            root: root.clone(),
            tables: Vec::new(),
            seen: HashMap::new(),
            implied_ignored: Vec::new(),
        }
    }

    /// The slot of `table`, added on first use.
    fn table(&mut self, table: &TableInfo, sd: &SoftDelete, backend: crate::db::Backend) -> usize {
        if let Some((slot, _)) = self.seen.get(&table.name) {
            return *slot;
        }
        self.tables.push(TableChange {
            table: table.name.clone(),
            convention: sd.convention,
            key_columns: expr::key_columns(table, backend),
            state_columns: state::state_columns(table, sd),
            rows: Vec::new(),
        });
        let slot = self.tables.len() - 1;
        self.seen.insert(table.name.clone(), (slot, HashSet::new()));
        slot
    }

    /// Adds a row unless it is there already; returns whether it was new.
    fn add(&mut self, slot: usize, key: Vec<String>, before: Vec<Option<String>>) -> bool {
        let table = &self.tables[slot].table;
        let Some((_, keys)) = self.seen.get_mut(table) else {
            return false;
        };
        if !keys.insert(key.clone()) {
            return false;
        }
        self.tables[slot].rows.push(RowChange {
            key,
            before,
            after: None,
        });
        true
    }

    /// Takes rows out again; returns how many were there.
    fn remove_all(&mut self, table: &TableName, remove: &HashSet<Vec<String>>) -> usize {
        let Some((slot, keys)) = self.seen.get_mut(table) else {
            return 0;
        };
        let rows = &mut self.tables[*slot].rows;
        let before = rows.len();
        rows.retain(|r| !remove.contains(&r.key));
        keys.retain(|k| !remove.contains(k));
        before - rows.len()
    }

    fn contains(&self, table: &TableName, key: &[String]) -> bool {
        self.seen
            .get(table)
            .is_some_and(|(_, keys)| keys.contains(key))
    }

    fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows.len() as u64).sum()
    }

    fn into_change(self) -> Change {
        Change {
            kind: self.kind,
            undo: false,
            root: self.root,
            tables: self.tables,
            implied_ignored: self.implied_ignored,
        }
    }
}
