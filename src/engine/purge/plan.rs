//! Phase 1: the plan, worked out set-based on the server inside one transaction, so no
//! key ever streams through the console (memory stays flat whatever the size), and a dry
//! run rolls it all back.

use std::collections::BTreeMap;

use super::held::held_back_by;
use super::outline::{Outline, outline, planned_tables};
use super::prune::{Pruned, descendants_keep_their_way_up, prune};
use super::reading::plan_by_reading;
use super::record::{
    Writable, count_rows, database_effects, finish_job, insert_job, may_write_plans,
};
use super::rules::Rules;
use super::scope::{cutoff_of, implied_check, root_tables};
use super::sql::{encode_key, handled_by_database, key_matches, rows_table, trashed_before};
use super::{OrphanRelation, PurgeOptions, PurgePlan, Scope};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::Actor;
use crate::engine::catalog::{Catalog, SoftDelete, TableInfo};
use crate::engine::change::keys::{KEYS_PER_STATEMENT, in_keys};
use crate::engine::database_now;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;
use crate::engine::sql::{Binds, TableName};

/// Expansion rounds: the depth of the deepest chain of trashed rows followed.
pub(super) const MAX_ROUNDS: i64 = 1_000;

/// Plans a purge. With `persist` the job and its frozen set are committed (phase 1) and
/// the plan carries the job's id; without, it is a dry run and nothing stays written (a
/// session that may not write plans it by reading only, and writes nothing at all).
pub async fn plan(
    conn: &mut DbConn,
    catalog: &Catalog,
    scope: &Scope,
    options: &PurgeOptions,
    actor: &Actor,
    reason: Option<&str>,
    persist: bool,
) -> Result<PurgePlan, EngineError> {
    let writable = may_write_plans(conn).await?;
    if !persist && !matches!(writable, Writable::Yes) {
        return plan_by_reading(conn, catalog, scope, options).await;
    }
    let roots = root_tables(catalog, scope, options)?;
    implied_check(catalog, &roots, options)?;
    match writable {
        Writable::Yes => {}
        Writable::NotInstalled => {
            return Err(EngineError::other(
                "the console's bookkeeping tables are not installed; run trashcan once with \
                 --init (--dry-run shows the plan without them)",
            ));
        }
        Writable::No(why) => {
            return Err(EngineError::refused(format!(
                "this session cannot write a purge job ({why}); --dry-run shows the plan"
            )));
        }
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
        // A session the checks above took for writable that may not write after all (a
        // SQLite file this user may only read): the dry run is worked out by reading.
        Err(e) if !persist && e.refuses_writes() => {
            tx.rollback().await;
            plan_by_reading(conn, catalog, scope, options).await
        }
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
    }
}

/// Values bound in every statement of a plan: the job and the names it stores, and the
/// rules it applies (reached through the bound values, as `bound.old_enough(…)`).
pub(super) struct Bound<'a> {
    rules: Rules,
    job: String,
    pub(super) rows: &'a str,
}

impl std::ops::Deref for Bound<'_> {
    type Target = Rules;

    fn deref(&self) -> &Rules {
        &self.rules
    }
}

impl Bound<'_> {
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
        rules: Rules::new(backend, catalog, scope, options, now),
        job: job_id.to_string(),
        rows: &rows_name,
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
        bound.rules.complete_roots = cutoffs.clone();
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
    let tables = planned_tables(catalog, scope, &bound, &cutoffs, &counted, options)?;
    let effects = database_effects(conn, catalog, &bound, &tables).await?;
    let outlined = Outline {
        scope,
        roots,
        now,
        tables,
        skipped,
        effects,
    };
    let mut plan = outline(conn, catalog, options, outlined).await?;
    plan.job_id = Some(job_id);
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
            let mut wanted = bound.wanted(child, sd, "c");
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
