//! A plan worked out by reading only, for a session that may not write: `--read-only`,
//! a SELECT-only role, a standby, or a database without the console's bookkeeping
//! tables. It applies the same rules as the plan on the server (see [`Rules`]) to the
//! same rows, and tells the same things, but the set lives in the console's memory,
//! found a chunk of keys at a time, instead of in `purge_rows`. So nothing is written,
//! not even a job that is rolled back, and the set it can hold is bounded
//! ([`HELD_IN_MEMORY`]); a purge that runs always plans on the server.

use std::collections::{BTreeMap, HashMap};

use super::held::held_back_by;
use super::memory_set::HeldSet;
use super::outline::{Outline, outline, planned_tables};
use super::plan::{MAX_ROUNDS, purgeable, relations};
use super::rules::Rules;
use super::scope::{cutoff_of, implied_check, root_tables};
use super::sql::trashed_before;
use super::{DatabaseEffect, PurgeOptions, PurgePlan, Scope};
use crate::db::{DbConn, rows};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::change::keys::{KEYS_PER_STATEMENT, as_text, in_keys};
use crate::engine::database_now;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;
use crate::engine::sql::{Binds, TableName};

/// Rows a plan by reading holds before it takes out what must stay (a few hundred
/// bytes each).
pub const HELD_IN_MEMORY: usize = 2_000_000;

/// Plans a purge without writing anything (see the module's notes). A role that may
/// only read gets the plan a role that may delete would: the tables it may not delete
/// from are planned all the same, and named.
pub(super) async fn plan_by_reading(
    conn: &mut DbConn,
    catalog: &Catalog,
    scope: &Scope,
    options: &PurgeOptions,
) -> Result<PurgePlan, EngineError> {
    let (permitted, not_permitted) = as_if_permitted(catalog);
    let catalog = permitted.as_ref().unwrap_or(catalog);
    let roots = root_tables(catalog, scope, options)?;
    implied_check(catalog, &roots, options)?;
    let mut plan = plan_in_memory(conn, catalog, scope, &roots, options).await?;
    plan.not_permitted = plan
        .tables
        .iter()
        .map(|t| t.table_name())
        .filter(|t| not_permitted.contains(t))
        .collect();
    Ok(plan)
}

/// The catalog as a role that may change every table it may read would see it (`None`
/// when that is this one's), and the tables this role may not change.
fn as_if_permitted(catalog: &Catalog) -> (Option<Catalog>, Vec<TableName>) {
    let not_permitted: Vec<TableName> = catalog
        .tables
        .iter()
        .filter(|t| t.can_select && !t.can_modify)
        .map(|t| t.name.clone())
        .collect();
    if not_permitted.is_empty() {
        return (None, not_permitted);
    }
    let mut permitted = catalog.clone();
    for table in &mut permitted.tables {
        table.can_modify |= table.can_select;
    }
    (Some(permitted), not_permitted)
}

async fn plan_in_memory(
    conn: &mut DbConn,
    catalog: &Catalog,
    scope: &Scope,
    roots: &[&TableInfo],
    options: &PurgeOptions,
) -> Result<PurgePlan, EngineError> {
    let backend = conn.backend();
    let now = database_now(conn).await?;
    let rules = Rules::new(backend, catalog, scope, options, now);
    let mut set = HeldSet::default();
    let mut cutoffs = BTreeMap::new();
    let mut frontier = Vec::new();
    for table in roots {
        let cutoff = cutoff_of(table, options, now);
        let orphans = matches!(scope, Scope::Orphans { .. });
        if !orphans && !rules.ignore_age.contains(&table.name) {
            cutoffs.insert(table.name.clone(), cutoff);
        }
        for key in read_roots(conn, &rules, table, scope, cutoff).await? {
            let (node, new) = set.add(&table.name, key, true, false)?;
            if new {
                frontier.push(node);
            }
        }
    }
    expand(conn, catalog, &rules, &mut set, frontier).await?;
    let held = set.held_back();
    let staying = set.staying(&held);
    let mut skipped = set.skipped(&held);
    for s in &mut skipped {
        s.because = held_back_by(conn, catalog, &rules, s).await?;
    }
    let tables = planned_tables(
        catalog,
        scope,
        &rules,
        &cutoffs,
        &set.count(&staying),
        options,
    )?;
    let effects = database_effects(conn, catalog, &set, &staying).await?;
    let outlined = Outline {
        scope,
        roots,
        now,
        tables,
        skipped,
        effects,
    };
    outline(conn, catalog, options, outlined).await
}

/// The keys of a root table's roots: trashed before the cutoff (any trashed row, with
/// an ignored age), in the scope; or an orphan purge's hard orphans.
async fn read_roots(
    conn: &mut DbConn,
    rules: &Rules,
    table: &TableInfo,
    scope: &Scope,
    cutoff: f64,
) -> Result<Vec<Vec<String>>, EngineError> {
    let backend = rules.backend;
    let keys = expr::key_columns(table, backend);
    let condition = match (scope, &table.soft_delete) {
        (Scope::Orphans { relation, .. }, _) => relation.hard_orphan("t"),
        (_, None) => return Ok(Vec::new()),
        (_, Some(sd)) if rules.ignore_age.contains(&table.name) => {
            expr::trashed_in(sd, backend, Some("t"))
        }
        (_, Some(sd)) => match trashed_before(sd, "t", cutoff, backend) {
            Some(before) => before,
            None => return Ok(Vec::new()),
        },
    };
    let selected: Vec<&[Vec<String>]> = match scope {
        Scope::Rows { keys, .. } => keys.chunks(KEYS_PER_STATEMENT).collect(),
        _ => vec![&[]],
    };
    let mut found = Vec::new();
    for chunk in selected {
        let mut binds = Binds::new(backend);
        let mut conditions = vec![condition.clone()];
        if !chunk.is_empty() {
            conditions.push(in_keys(Some("t"), &keys, chunk, &mut binds, backend));
        }
        let sql = format!(
            "SELECT {} FROM {} AS t WHERE {}",
            as_text(&keys, Some("t"), backend).join(", "),
            table.name.quoted(),
            conditions.join(" AND ")
        );
        let rows = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &table.name))?;
        found.extend(rows.iter().map(|r| key_of(r, 0, keys.len())));
        if found.len() > HELD_IN_MEMORY {
            return Err(too_big());
        }
    }
    Ok(found)
}

/// Follows the relations the purge carries out itself from each round's new rows: a
/// child the purge may take in joins the set; any other child holds its parent back.
async fn expand(
    conn: &mut DbConn,
    catalog: &Catalog,
    rules: &Rules,
    set: &mut HeldSet,
    mut frontier: Vec<usize>,
) -> Result<(), EngineError> {
    for _ in 0..MAX_ROUNDS {
        if frontier.is_empty() {
            return Ok(());
        }
        let mut by_table: HashMap<TableName, Vec<Vec<String>>> = HashMap::new();
        for &node in &frontier {
            let node = &set.nodes[node];
            by_table
                .entry(set.tables[node.table].clone())
                .or_default()
                .push(node.key.clone());
        }
        let mut next = Vec::new();
        for (relation, parent, child) in relations(catalog, false) {
            let Some(parents) = by_table.get(&parent.name) else {
                continue;
            };
            for chunk in parents.chunks(KEYS_PER_STATEMENT) {
                let step = Step {
                    relation,
                    parent,
                    child,
                };
                for key in step.held_parents(conn, rules, chunk).await? {
                    set.block(&parent.name, &key);
                }
                for (parent_key, child_key, live) in step.children(conn, rules, chunk).await? {
                    let (node, new) = set.add(&child.name, child_key, false, live)?;
                    set.link(&parent.name, &parent_key, node);
                    if new {
                        next.push(node);
                    }
                }
            }
        }
        frontier = next;
    }
    Err(EngineError::other(format!(
        "chains of trashed rows deeper than {MAX_ROUNDS} levels; purge a narrower scope"
    )))
}

/// One relation followed from a chunk of parents.
struct Step<'a> {
    relation: &'a crate::engine::catalog::Relation,
    parent: &'a TableInfo,
    child: &'a TableInfo,
}

impl Step<'_> {
    /// `SELECT … FROM parent p JOIN child c` for the chunk's parents, where `condition`.
    fn select(
        &self,
        columns: &str,
        condition: &str,
        chunk: &[Vec<String>],
        binds: &mut Binds,
    ) -> String {
        let backend = binds.backend();
        let parent_keys = expr::key_columns(self.parent, backend);
        format!(
            "SELECT DISTINCT {columns} FROM {} AS p JOIN {} AS c ON {} WHERE {} AND {condition}",
            self.parent.name.quoted(),
            self.child.name.quoted(),
            join_on(self.relation, "c", "p"),
            in_keys(Some("p"), &parent_keys, chunk, binds, backend),
        )
    }

    /// The chunk's parents with a child the purge will not take in: live, trashed after
    /// its cutoff, or in a table the purge cannot delete from.
    async fn held_parents(
        &self,
        conn: &mut DbConn,
        rules: &Rules,
        chunk: &[Vec<String>],
    ) -> Result<Vec<Vec<String>>, EngineError> {
        let backend = rules.backend;
        let condition = match purgeable(self.child) {
            Some(sd) => format!("NOT COALESCE({}, FALSE)", rules.wanted(self.child, sd, "c")),
            None => "1 = 1".to_owned(),
        };
        let parent_keys = expr::key_columns(self.parent, backend);
        let mut binds = Binds::new(backend);
        let columns = as_text(&parent_keys, Some("p"), backend).join(", ");
        let sql = self.select(&columns, &condition, chunk, &mut binds);
        let rows = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &self.child.name))?;
        Ok(rows
            .iter()
            .map(|r| key_of(r, 0, parent_keys.len()))
            .collect())
    }

    /// The children the purge takes in below the chunk's parents, as (parent key, child
    /// key, live).
    async fn children(
        &self,
        conn: &mut DbConn,
        rules: &Rules,
        chunk: &[Vec<String>],
    ) -> Result<Vec<(Vec<String>, Vec<String>, bool)>, EngineError> {
        let Some(sd) = purgeable(self.child) else {
            return Ok(Vec::new());
        };
        let backend = rules.backend;
        let parent_keys = expr::key_columns(self.parent, backend);
        let child_keys = expr::key_columns(self.child, backend);
        let trashed = expr::trashed_in(sd, backend, Some("c"));
        let columns = format!(
            "{}, {}, {}",
            as_text(&parent_keys, Some("p"), backend).join(", "),
            as_text(&child_keys, Some("c"), backend).join(", "),
            expr::cast_text(
                &format!("CASE WHEN COALESCE({trashed}, FALSE) THEN 0 ELSE 1 END"),
                backend
            ),
        );
        let mut binds = Binds::new(backend);
        let sql = self.select(
            &columns,
            &rules.wanted(self.child, sd, "c"),
            chunk,
            &mut binds,
        );
        let rows = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &self.child.name))?;
        let (p, c) = (parent_keys.len(), child_keys.len());
        Ok(rows
            .iter()
            .map(|r| (key_of(r, 0, p), key_of(r, p, c), r.int(p + c) == Some(1)))
            .collect())
    }
}

/// What `ON DELETE CASCADE` into tables that do not soft-delete, and `SET NULL`, will do
/// to the children of the rows that stay in the set.
async fn database_effects(
    conn: &mut DbConn,
    catalog: &Catalog,
    set: &HeldSet,
    staying: &[bool],
) -> Result<Vec<DatabaseEffect>, EngineError> {
    let mut effects = Vec::new();
    for (relation, parent, child) in relations(catalog, true) {
        let keys = set.keys_in(&parent.name, staying);
        if keys.is_empty() {
            continue;
        }
        let backend = conn.backend();
        let parent_keys = expr::key_columns(parent, backend);
        let mut rows = 0u64;
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let mut binds = Binds::new(backend);
            let sql = format!(
                "SELECT {} FROM {} AS p JOIN {} AS c ON {} WHERE {}",
                expr::cast_text("count(*)", backend),
                parent.name.quoted(),
                child.name.quoted(),
                join_on(relation, "c", "p"),
                in_keys(Some("p"), &parent_keys, chunk, &mut binds, backend),
            );
            rows += rows::count(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &child.name))?;
        }
        effects.extend(DatabaseEffect::of(relation, rows));
    }
    Ok(effects)
}

fn key_of(row: &crate::db::TextRow, from: usize, len: usize) -> Vec<String> {
    (from..from + len)
        .map(|i| row.text(i).unwrap_or_default())
        .collect()
}

pub(super) fn too_big() -> EngineError {
    EngineError::other(format!(
        "a plan by reading only holds its rows in memory, and this one passes {HELD_IN_MEMORY}; \
         narrow the scope (a table, an older cutoff), or plan from a session that may write \
         (without --read-only, as a role that may write the console's tables)"
    ))
}
