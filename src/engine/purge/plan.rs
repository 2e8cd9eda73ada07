//! Phase 1: the plan, worked out set-based on the server inside one transaction, so no
//! key ever streams through the console (memory stays flat whatever the size), and a dry
//! run rolls it all back.

use std::collections::{BTreeMap, BTreeSet};

use super::held::held_back_by;
use super::prune::{Pruned, descendants_keep_their_way_up, prune};
use super::record::{count_rows, database_effects, estimate_bytes, finish_job, insert_job};
use super::scope::{cutoff_of, implied_check, left_out, root_tables};
use super::sql::{encode_key, handled_by_database, key_matches, rows_table, trashed_before};
use super::{OrphanRelation, PlannedTable, PurgeOptions, PurgePlan, Scope};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor};
use crate::engine::catalog::{Catalog, SoftDelete, TableInfo};
use crate::engine::change::keys::{KEYS_PER_STATEMENT, in_keys};
use crate::engine::database_now;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::{self, join_on};
use crate::engine::sql::{Binds, TableName};

/// Expansion rounds: the depth of the deepest chain of trashed rows followed.
const MAX_ROUNDS: i64 = 1_000;

/// Plans a purge. With `persist` the job and its frozen set are committed (phase 1) and
/// the plan carries the job's id; without, it is a dry run and nothing stays written.
pub async fn plan(
    conn: &mut DbConn,
    catalog: &Catalog,
    scope: &Scope,
    options: &PurgeOptions,
    actor: &Actor,
    reason: Option<&str>,
    persist: bool,
) -> Result<PurgePlan, EngineError> {
    let roots = root_tables(catalog, scope, options)?;
    implied_check(catalog, &roots, options)?;
    if !audit::installed(conn).await? {
        return Err(EngineError::other(
            "the console's bookkeeping tables are not installed; run trashcan once with --init",
        ));
    }
    let mut tx = Transaction::begin(conn).await?;
    let result = plan_in(tx.conn(), catalog, scope, &roots, options, actor, reason).await;
    match result {
        Ok(plan) if persist => {
            tx.commit().await?;
            Ok(plan)
        }
        Ok(mut plan) => {
            tx.rollback().await;
            plan.job_id = None;
            Ok(plan)
        }
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

/// Values bound in every statement of a plan: the job and the names it stores.
pub(super) struct Bound<'a> {
    pub(super) backend: Backend,
    job: String,
    pub(super) rows: &'a str,
    /// The policy: live descendants go too, instead of keeping their roots back.
    pub(super) purge_live: bool,
    /// Tables whose every row trashed before their cutoff is a root already (a table or
    /// all-trash scope): expanding into them need not find those rows again.
    complete_roots: BTreeMap<TableName, f64>,
    /// Every soft-delete table's cutoff: a descendant trashed after its table's cutoff
    /// keeps its root back, unless the policy purges young descendants.
    cutoffs: BTreeMap<TableName, f64>,
    purge_young: bool,
    /// Tables whose rows go whatever their age (`--ignore-age`).
    ignore_age: BTreeSet<TableName>,
}

impl Bound<'_> {
    /// Which trashed rows of `child` under `alias` may come in as descendants: any with
    /// the young policy or an ignored age, else those trashed before the table's cutoff
    /// (none, for a table without deletion times).
    pub(super) fn old_enough(&self, child: &TableInfo, sd: &SoftDelete, alias: &str) -> String {
        if self.purge_young || self.ignore_age.contains(&child.name) {
            return expr::trashed_in(sd, self.backend, Some(alias));
        }
        self.cutoffs
            .get(&child.name)
            .and_then(|&cutoff| trashed_before(sd, alias, cutoff, self.backend))
            .unwrap_or_else(|| "1 = 0".to_owned())
    }

    /// Whether the set already holds every row of `table` expanding could take in: its
    /// roots are all its trash before its cutoff (a table or all-trash scope), and only
    /// trash that old may come in as a descendant. Then expanding into it is skipped,
    /// which saves a join of the set with the table per relation and round.
    fn holds_every_wanted_row(&self, table: &TableName) -> bool {
        !self.purge_live
            && !self.purge_young
            && !self.ignore_age.contains(table)
            && self.complete_roots.get(table) == self.cutoffs.get(table)
            && self.complete_roots.contains_key(table)
    }

    /// The cutoff a descendant of `table` is held to when its batch comes (see
    /// `PlannedTable::descendants_before`).
    fn descendants_before(&self, table: &TableName) -> Option<f64> {
        if self.purge_young || self.ignore_age.contains(table) {
            return None;
        }
        self.cutoffs.get(table).copied()
    }

    pub(super) fn job(&self, binds: &mut Binds) -> String {
        format!("CAST({} AS BIGINT)", binds.push(self.job.clone()))
    }

    /// The extra column of a frozen-set row that records where the row under `alias`
    /// lies (PostgreSQL: its tuple position, see the `purge_positions` migration).
    fn position(&self, alias: &str) -> String {
        match self.backend {
            Backend::Postgres => format!(", {alias}.ctid"),
            Backend::Sqlite => String::new(),
        }
    }

    /// A table's roots, found by one scan of it: on PostgreSQL a primary key's values
    /// are unique and never NULL, so their keys are too and the insert needs no
    /// duplicate check (the check cost about a sixth of writing the set). SQLite lets
    /// a non-integer primary key hold NULLs, so it keeps the check.
    fn insert_distinct(&self, select: &str) -> String {
        match self.backend {
            Backend::Postgres => format!(
                "INSERT INTO {} (job_id, table_name, key, round, live, at) {select}",
                self.rows
            ),
            Backend::Sqlite => self.insert_ignoring_duplicates(select),
        }
    }

    fn insert_ignoring_duplicates(&self, select: &str) -> String {
        match self.backend {
            Backend::Postgres => format!(
                "INSERT INTO {} (job_id, table_name, key, round, live, at) {select} \
                 ON CONFLICT DO NOTHING",
                self.rows
            ),
            Backend::Sqlite => format!(
                "INSERT OR IGNORE INTO {} (job_id, table_name, key, round, live) {select}",
                self.rows
            ),
        }
    }
}

async fn plan_in(
    conn: &mut DbConn,
    catalog: &Catalog,
    scope: &Scope,
    roots: &[&TableInfo],
    options: &PurgeOptions,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<PurgePlan, EngineError> {
    let backend = conn.backend();
    let now = database_now(conn).await?;
    let global_cutoff = now
        - options
            .older_than
            .map_or(f64::from(options.default_retention_days) * 86_400.0, |d| {
                d.as_secs_f64()
            });
    let job_id = insert_job(conn, scope, global_cutoff, options, actor, reason).await?;
    let rows_name = rows_table(backend).quoted();
    let mut bound = Bound {
        backend,
        job: job_id.to_string(),
        rows: &rows_name,
        purge_live: options.purge_live,
        complete_roots: BTreeMap::new(),
        cutoffs: catalog
            .soft_delete_tables()
            .map(|t| (t.name.clone(), cutoff_of(t, options, now)))
            .collect(),
        // An orphan purge takes its orphans whatever their state and age, and so the
        // trashed rows under them: they hang off a row that is itself broken.
        purge_young: options.purge_young || matches!(scope, Scope::Orphans { .. }),
        ignore_age: options.ignore_age.iter().cloned().collect(),
    };
    let mut cutoffs: BTreeMap<TableName, f64> = BTreeMap::new();
    for table in roots {
        let cutoff = cutoff_of(table, options, now);
        if let Scope::Orphans { relation, .. } = scope {
            insert_orphan_roots(conn, &bound, table, relation).await?;
            continue;
        }
        if !bound.ignore_age.contains(&table.name) {
            cutoffs.insert(table.name.clone(), cutoff);
        }
        insert_roots(conn, &bound, table, scope, cutoff).await?;
    }
    if matches!(scope, Scope::Table(_) | Scope::All) {
        bound.complete_roots = cutoffs.clone();
    }
    analyze(conn, &bound).await?;
    expand(conn, catalog, &bound).await?;
    let Pruned {
        mut skipped,
        removed,
    } = prune(conn, catalog, &bound).await?;
    for s in &mut skipped {
        s.because = held_back_by(conn, catalog, &bound, s).await?;
    }
    if !skipped.is_empty() && !descendants_keep_their_way_up(conn, catalog, &bound, removed).await?
    {
        // A skipped root's trashed descendants may have come in only through it: drop
        // everything but the remaining roots and find their descendants again. (A
        // remaining root has no blocked descendant, or pruning would have taken it out
        // too.)
        forget_descendants(conn, &bound).await?;
        expand(conn, catalog, &bound).await?;
    }
    let counted = count_rows(conn, &bound).await?;
    let tables: Vec<PlannedTable> = catalog
        .graph
        .children_first(&catalog.relations)
        .into_iter()
        .filter_map(|name| {
            let (rows, roots, live) = counted.get(&name.to_string()).copied()?;
            Some(PlannedTable {
                schema: name.schema.clone(),
                name: name.name.clone(),
                rows,
                roots,
                live,
                cutoff_epoch: cutoffs.get(&name).copied(),
                orphans_of: match scope {
                    Scope::Orphans { child, relation } if *child == name => Some(relation.clone()),
                    _ => None,
                },
                descendants_before: bound.descendants_before(&name),
                age_ignored: bound.ignore_age.contains(&name),
                convention: catalog
                    .table(&name)
                    .and_then(|t| t.soft_delete.as_ref())
                    .map(|sd| sd.describe()),
            })
        })
        .collect();
    let total: u64 = tables.iter().map(|t| t.rows).sum();
    if total > options.max_rows {
        return Err(EngineError::other(format!(
            "the plan holds {total} rows, more than purge.max_rows ({}); narrow the scope or raise the limit",
            options.max_rows
        )));
    }
    let effects = database_effects(conn, catalog, &bound, &tables).await?;
    let bytes_estimate = estimate_bytes(conn, &tables).await;
    let mut advice = Vec::new();
    for table in roots {
        let paths = related::plan_paths(catalog, &table.name, 6, 64);
        for a in related::index_advice(catalog, table, &paths) {
            if !advice.contains(&a) {
                advice.push(a);
            }
        }
    }
    let plan = PurgePlan {
        job_id: Some(job_id),
        scope: scope.describe(),
        now_epoch: now,
        needs_reason: total > options.reason_above,
        needs_approval: total > options.approval_above,
        tables,
        skipped,
        left_out: left_out(catalog, scope, options),
        effects,
        bytes_estimate,
        advice,
        implied_ignored: implied_check(catalog, roots, options)?,
    };
    finish_job(conn, &plan, actor, reason).await?;
    Ok(plan)
}

/// The roots of an orphan purge: the child's hard orphans along the relation, whatever
/// their state.
async fn insert_orphan_roots(
    conn: &mut DbConn,
    bound: &Bound<'_>,
    table: &TableInfo,
    relation: &OrphanRelation,
) -> Result<(), EngineError> {
    let backend = bound.backend;
    let keys = expr::key_columns(table, backend);
    let mut binds = Binds::new(backend);
    let job = bound.job(&mut binds);
    let name = binds.push(table.name.to_string());
    let select = format!(
        "SELECT {job}, {name}, {}, 0, FALSE{} FROM {} AS t WHERE {}",
        encode_key(&keys, "t", backend),
        bound.position("t"),
        table.name.quoted(),
        relation.hard_orphan("t"),
    );
    rows::execute(
        conn,
        &bound.insert_ignoring_duplicates(&select),
        &binds.into_values(),
    )
    .await
    .map(|_| ())
    .map_err(|e| EngineError::from_query(e, &table.name))
}

/// The roots: trashed before the cutoff, in the scope.
async fn insert_roots(
    conn: &mut DbConn,
    bound: &Bound<'_>,
    table: &TableInfo,
    scope: &Scope,
    cutoff: f64,
) -> Result<(), EngineError> {
    let backend = bound.backend;
    let Some(sd) = &table.soft_delete else {
        return Ok(());
    };
    let before = if bound.ignore_age.contains(&table.name) {
        expr::trashed_in(sd, backend, Some("t"))
    } else {
        match trashed_before(sd, "t", cutoff, backend) {
            Some(before) => before,
            None => return Ok(()),
        }
    };
    let keys = expr::key_columns(table, backend);
    let selected: Vec<&[Vec<String>]> = match scope {
        Scope::Rows { keys, .. } => keys.chunks(KEYS_PER_STATEMENT).collect(),
        _ => vec![&[]],
    };
    // Selected keys may name a row twice; a whole table's trash names each row once.
    let may_repeat = matches!(scope, Scope::Rows { .. });
    for chunk in selected {
        let mut binds = Binds::new(backend);
        let job = bound.job(&mut binds);
        let name = binds.push(table.name.to_string());
        let mut conditions = vec![before.clone()];
        if !chunk.is_empty() {
            conditions.push(in_keys(Some("t"), &keys, chunk, &mut binds, backend));
        }
        let select = format!(
            "SELECT {job}, {name}, {}, 0, FALSE{} FROM {} AS t WHERE {}",
            encode_key(&keys, "t", backend),
            bound.position("t"),
            table.name.quoted(),
            conditions.join(" AND ")
        );
        rows::execute(
            conn,
            &if may_repeat {
                bound.insert_ignoring_duplicates(&select)
            } else {
                bound.insert_distinct(&select)
            },
            &binds.into_values(),
        )
        .await
        .map_err(|e| EngineError::from_query(e, &table.name))?;
    }
    Ok(())
}

/// The relations whose deletes the purge carries out itself (`by_database: false`) or
/// leaves to the database's `ON DELETE` action (`true`), with both their tables.
pub(super) fn relations(
    catalog: &Catalog,
    by_database: bool,
) -> impl Iterator<Item = (&crate::engine::catalog::Relation, &TableInfo, &TableInfo)> {
    catalog
        .relations
        .iter()
        .enumerate()
        .filter(move |(index, _)| handled_by_database(catalog, *index) == by_database)
        .filter_map(|(_, relation)| {
            Some((
                relation,
                catalog.table(&relation.parent)?,
                catalog.table(&relation.child)?,
            ))
        })
}

/// Fresh statistics on the frozen set, which this very transaction wrote: without them
/// PostgreSQL takes it for empty and joins it row by row (quadratic in its size).
async fn analyze(conn: &mut DbConn, bound: &Bound<'_>) -> Result<(), EngineError> {
    if bound.backend != Backend::Postgres {
        return Ok(());
    }
    rows::execute(conn, &format!("ANALYZE {}", bound.rows), &[])
        .await
        .map(|_| ())
        .map_err(|e| EngineError::other(format!("cannot analyze the purge set: {e}")))
}

async fn forget_descendants(conn: &mut DbConn, bound: &Bound<'_>) -> Result<(), EngineError> {
    let mut binds = Binds::new(bound.backend);
    let job = bound.job(&mut binds);
    let sql = format!(
        "DELETE FROM {} WHERE job_id = {job} AND round > 0",
        bound.rows
    );
    rows::execute(conn, &sql, &binds.into_values())
        .await
        .map(|_| ())
        .map_err(|e| EngineError::other(format!("cannot prune the purge set: {e}")))
}

/// Adds the trashed children of the rows found in each round, until a round finds none.
/// The soft-delete of a table whose trashed rows a purge can take in below a parent:
/// `expand` follows only these children, and `prune` lets only these be held by the set.
pub(super) fn purgeable(table: &TableInfo) -> Option<&SoftDelete> {
    table
        .soft_delete
        .as_ref()
        .filter(|_| table.read_only_reason().is_none())
}

async fn expand(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
) -> Result<(), EngineError> {
    let backend = bound.backend;
    for round in 0..MAX_ROUNDS {
        let mut found = 0;
        for (relation, parent, child) in relations(catalog, false) {
            // Children the purge cannot delete keep their parent (see `prune`).
            let Some(sd) = purgeable(child) else {
                continue;
            };
            if bound.holds_every_wanted_row(&child.name) {
                continue;
            }
            let parent_keys = expr::key_columns(parent, backend);
            let child_keys = expr::key_columns(child, backend);
            let mut binds = Binds::new(backend);
            let job = bound.job(&mut binds);
            let child_name = binds.push(child.name.to_string());
            let parent_name = binds.push(parent.name.to_string());
            let trashed = expr::trashed_in(sd, backend, Some("c"));
            // Trashed rows come in when old enough; a younger one keeps its parent, and so
            // its root, back (see `prune`). Live rows only with the policy that says so.
            let old_enough = bound.old_enough(child, sd, "c");
            let mut wanted = if bound.purge_live {
                format!("(NOT COALESCE({trashed}, FALSE) OR ({old_enough}))")
            } else {
                format!("({old_enough})")
            };
            if let Some(root) = bound
                .complete_roots
                .get(&child.name)
                .and_then(|&cutoff| trashed_before(sd, "c", cutoff, backend))
            {
                wanted = format!("{wanted} AND NOT COALESCE({root}, FALSE)");
            }
            let select = format!(
                "SELECT DISTINCT {job}, {child_name}, {}, {}, NOT COALESCE({trashed}, FALSE){} \
                 FROM {} AS pr JOIN {} AS p ON {} JOIN {} AS c ON {} \
                 WHERE pr.job_id = {job} AND pr.table_name = {parent_name} AND pr.round = {round} \
                 AND {wanted}",
                encode_key(&child_keys, "c", backend),
                round + 1,
                bound.position("c"),
                bound.rows,
                parent.name.quoted(),
                key_matches(&parent_keys, "p", "pr.key", backend),
                child.name.quoted(),
                join_on(relation, "c", "p"),
            );
            found += rows::execute(
                conn,
                &bound.insert_ignoring_duplicates(&select),
                &binds.into_values(),
            )
            .await
            .map_err(|e| EngineError::from_query(e, &child.name))?;
        }
        if found == 0 {
            return analyze(conn, bound).await;
        }
        if round % 4 == 3 {
            analyze(conn, bound).await?;
        }
    }
    Err(EngineError::other(format!(
        "chains of trashed rows deeper than {MAX_ROUNDS} levels; purge a narrower scope"
    )))
}
