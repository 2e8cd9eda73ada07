//! Phase 1: the plan, worked out set-based on the server inside one transaction, so no
//! key ever streams through the console (memory stays flat whatever the size), and a dry
//! run rolls it all back.

use std::collections::{BTreeMap, BTreeSet};

use super::held::held_back_by;
use super::sql::{
    encode_key, handled_by_database, jobs_table, key_matches, rows_table, trashed_before,
};
use super::{
    DatabaseEffect, OrphanRelation, PlannedTable, PurgeOptions, PurgePlan, Scope, Skipped, state,
};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, rows};
use crate::engine::audit::{self, Actor, AuditEntry, TableKeys};
use crate::engine::catalog::{Catalog, SoftDelete, TableInfo};
use crate::engine::change::keys::{KEYS_PER_STATEMENT, check_keys, in_keys};
use crate::engine::change::state::time_text;
use crate::engine::database_now;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::{self, join_on};
use crate::engine::sql::{Binds, TableName};

/// Expansion rounds: the depth of the deepest chain of trashed rows followed.
const MAX_ROUNDS: i64 = 1_000;
/// Skipped roots listed by key, per table.
const SKIPPED_SAMPLE: usize = 10;
/// Rows pruning removed that are kept by key, to tell whether the set must be expanded
/// again (see `descendants_keep_their_way_up`); past this many it is.
const REMOVED_TRACKED: usize = 5_000;

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

/// The soft-delete tables a purge of all trash passes over (`root_tables` leaves them
/// out), with the reason.
fn left_out(catalog: &Catalog, scope: &Scope, options: &PurgeOptions) -> Vec<super::LeftOut> {
    if !matches!(scope, Scope::All) {
        return Vec::new();
    }
    catalog
        .soft_delete_tables()
        .filter_map(|t| {
            let why = match t.read_only_reason() {
                Some(why) => why.to_string(),
                None if needs_age_choice(t, options) => no_time_why(t),
                None => return None,
            };
            Some(super::LeftOut {
                table: t.name.clone(),
                why,
            })
        })
        .collect()
}

/// Refuses a purge that could orphan rows along relations the schema implies but does
/// not declare (the purge does not follow them, so it would delete parents and leave
/// their children), unless the operator overrides it for this run; returns the
/// relations so overridden.
fn implied_check(
    catalog: &Catalog,
    roots: &[&TableInfo],
    options: &PurgeOptions,
) -> Result<Vec<String>, EngineError> {
    let names: Vec<TableName> = roots.iter().map(|t| t.name.clone()).collect();
    let below: Vec<String> = catalog
        .implied_below(&names)
        .iter()
        .map(|r| r.describe())
        .collect();
    if below.is_empty() || options.ignore_implied {
        return Ok(below);
    }
    Err(EngineError::refused(format!(
        "the purge could leave rows without their parent along {} relation(s) the schema \
         implies but does not declare: {}. Declare each as [[relations]] in the config \
         (`trashcan relations --suggest` prints them), list it in [implied] ignore, or \
         pass --ignore-implied for this run",
        below.len(),
        below.join(", ")
    )))
}

/// A table without deletion times whose age the operator has not chosen to ignore: no
/// row of it can be shown older than a cutoff.
fn needs_age_choice(table: &TableInfo, options: &PurgeOptions) -> bool {
    table
        .soft_delete
        .as_ref()
        .is_some_and(|sd| sd.time.is_none())
        && !options.ignore_age.contains(&table.name)
}

/// Why a table without deletion times cannot be purged by age, and the two ways on.
fn no_time_why(table: &TableInfo) -> String {
    let name = table.name.display();
    let proxy = table
        .detection
        .proxy_suggestion
        .as_deref()
        .unwrap_or("updated_at");
    format!(
        "it records no deletion time, so no row is older than a cutoff: set \
         [tables.{name}] time_column = \"{proxy}\" to read the age from that column, or \
         purge it whatever the age with --ignore-age {name}"
    )
}

/// `--ignore-age` names only tables that soft-delete without recording when.
fn check_ignore_age(catalog: &Catalog, options: &PurgeOptions) -> Result<(), EngineError> {
    for name in &options.ignore_age {
        let table = catalog
            .table(name)
            .ok_or_else(|| EngineError::other(format!("--ignore-age: unknown table {name}")))?;
        match &table.soft_delete {
            None => return Err(EngineError::not_soft_delete(name)),
            Some(sd) if sd.time.is_some() => {
                return Err(EngineError::other(format!(
                    "--ignore-age {name}: the table records deletion times ({}), so the \
                     cutoff applies to it",
                    sd.describe()
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The cutoff for `table`'s rows: `--older-than`, else the table's retention.
fn cutoff_of(table: &TableInfo, options: &PurgeOptions, now: f64) -> f64 {
    match options.older_than {
        Some(d) => now - d.as_secs_f64(),
        None => {
            let days = table
                .retention_days
                .unwrap_or(options.default_retention_days);
            now - f64::from(days) * 86_400.0
        }
    }
}

/// The tables whose trash the scope names, each checked for what a purge needs.
fn root_tables<'a>(
    catalog: &'a Catalog,
    scope: &Scope,
    options: &PurgeOptions,
) -> Result<Vec<&'a TableInfo>, EngineError> {
    check_ignore_age(catalog, options)?;
    let named = |name: &TableName| {
        catalog
            .table(name)
            .ok_or_else(|| EngineError::other(format!("unknown table {name}")))
    };
    let tables: Vec<&TableInfo> = match scope {
        Scope::Rows { table, keys } => {
            if keys.is_empty() || keys.len() > related::MAX_SELECTED_ROWS {
                return Err(EngineError::other(format!(
                    "select between 1 and {} rows to purge",
                    related::MAX_SELECTED_ROWS
                )));
            }
            let info = named(table)?;
            // A table without a key is refused below, whatever was selected.
            if !info.primary_key.is_empty() {
                let columns: Vec<_> = info.key_columns().into_iter().cloned().collect();
                check_keys(&columns, keys)?;
            }
            vec![info]
        }
        Scope::Table(table) => vec![named(table)?],
        Scope::Orphans { child, relation } => {
            named(&relation.parent_name())?;
            vec![named(child)?]
        }
        Scope::All => catalog
            .soft_delete_tables()
            .filter(|t| t.read_only_reason().is_none())
            .filter(|t| !needs_age_choice(t, options))
            .collect(),
    };
    for table in &tables {
        if table.soft_delete.is_none() {
            return Err(EngineError::not_soft_delete(&table.name));
        }
        if let Some(why) = table.read_only_reason() {
            return Err(EngineError::other(format!(
                "{}: {why}",
                table.name.display()
            )));
        }
        // An orphan purge needs no cutoff: its roots are orphans, whatever their state.
        if needs_age_choice(table, options) && !matches!(scope, Scope::Orphans { .. }) {
            return Err(EngineError::other(format!(
                "{}: {}",
                table.name.display(),
                no_time_why(table)
            )));
        }
    }
    Ok(tables)
}

/// Values bound in every statement of a plan: the job and the names it stores.
pub(super) struct Bound<'a> {
    pub(super) backend: Backend,
    job: String,
    rows: &'a str,
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

async fn insert_job(
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
        Backend::Postgres => "current_user",
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

/// What pruning took out of the set: the roots it skipped, for the operator, and every
/// row it removed (roots and descendants) by table, unless there were more than
/// [`REMOVED_TRACKED`].
struct Pruned {
    skipped: Vec<Skipped>,
    removed: Option<BTreeMap<TableName, Vec<Vec<String>>>>,
}

/// Takes out of the set every row with a child the purge will not delete (live, in a
/// table that does not soft-delete, or itself taken out), until nothing changes. Returns
/// the roots taken out, per table (the default policy skips a root with live
/// descendants and lists it), and the rows taken out.
async fn prune(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
) -> Result<Pruned, EngineError> {
    let backend = bound.backend;
    let mut skipped: BTreeMap<TableName, Skipped> = BTreeMap::new();
    let mut removed_rows: Option<BTreeMap<TableName, Vec<Vec<String>>>> = Some(BTreeMap::new());
    let mut removed_count = 0usize;
    // After the first sweep a parent can only lose its place through a child that just
    // lost its own, so later sweeps look only below the tables that lost rows.
    let mut lost: Option<BTreeSet<TableName>> = None;
    loop {
        let mut removed = 0;
        let mut lost_now = BTreeSet::new();
        for (relation, parent, child) in relations(catalog, false) {
            if lost.as_ref().is_some_and(|l| !l.contains(&relation.child)) {
                continue;
            }
            let parent_keys = expr::key_columns(parent, backend);
            let mut binds = Binds::new(backend);
            let job = bound.job(&mut binds);
            let parent_name = binds.push(parent.name.to_string());
            // A child the set holds is fine; any other child keeps the parent.
            let held = if purgeable(child).is_some() {
                let child_name = binds.push(child.name.to_string());
                format!(
                    "NOT EXISTS (SELECT 1 FROM {} AS rc WHERE rc.job_id = {job} \
                     AND rc.table_name = {child_name} AND rc.key = {})",
                    bound.rows,
                    encode_key(&expr::key_columns(child, backend), "c", backend)
                )
            } else {
                "1 = 1".to_owned()
            };
            let sql = format!(
                "DELETE FROM {rows} WHERE job_id = {job} AND table_name = {parent_name} AND key IN \
                 (SELECT pr.key FROM {rows} AS pr JOIN {} AS p ON {} JOIN {} AS c ON {} \
                  WHERE pr.job_id = {job} AND pr.table_name = {parent_name} AND {held}) \
                 RETURNING key, CAST(round AS TEXT)",
                parent.name.quoted(),
                key_matches(&parent_keys, "p", "pr.key", backend),
                child.name.quoted(),
                join_on(relation, "c", "p"),
                rows = bound.rows,
            );
            let gone = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &parent.name))?;
            removed += gone.len();
            if !gone.is_empty() {
                lost_now.insert(parent.name.clone());
            }
            removed_count += gone.len();
            if removed_count > REMOVED_TRACKED {
                removed_rows = None;
            }
            for row in &gone {
                if let Some(by_table) = removed_rows.as_mut() {
                    by_table
                        .entry(parent.name.clone())
                        .or_default()
                        .push(decode_key(row.text(0)));
                }
                if row.int(1) != Some(0) {
                    continue;
                }
                let entry = skipped
                    .entry(parent.name.clone())
                    .or_insert_with(|| Skipped {
                        table: parent.name.clone(),
                        rows: 0,
                        sample: Vec::new(),
                        because: Vec::new(),
                    });
                entry.rows += 1;
                if entry.sample.len() < SKIPPED_SAMPLE {
                    entry.sample.push(decode_key(row.text(0)));
                }
            }
        }
        if removed == 0 {
            return Ok(Pruned {
                skipped: skipped.into_values().collect(),
                removed: removed_rows,
            });
        }
        lost = Some(lost_now);
    }
}

/// A key as the set stores it (a JSON array of its values' text), as values.
fn decode_key(stored: Option<String>) -> Vec<String> {
    stored
        .and_then(|k| serde_json::from_str(&k).ok())
        .unwrap_or_default()
}

/// Whether every descendant the set still holds can still be reached from a remaining
/// root, so expanding again would find the same rows. It can when none of them hangs
/// directly off a row pruning removed: each descendant came in through a parent one
/// round nearer the roots, which was then not removed either, and so on up to a root
/// that stayed. Asking costs a few key lookups per relation below a removed row, where
/// expanding again joins the whole set with every child table (seconds, for a big
/// purge). Unknown (too many rows removed to list) counts as no.
async fn descendants_keep_their_way_up(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
    removed: Option<BTreeMap<TableName, Vec<Vec<String>>>>,
) -> Result<bool, EngineError> {
    let Some(removed) = removed else {
        return Ok(false);
    };
    let backend = bound.backend;
    for (relation, parent, child) in relations(catalog, false) {
        // The children `expand` follows; no other row came in through a parent.
        if purgeable(child).is_none() {
            continue;
        }
        let Some(keys) = removed.get(&parent.name) else {
            continue;
        };
        let parent_keys = expr::key_columns(parent, backend);
        let child_keys = expr::key_columns(child, backend);
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let mut binds = Binds::new(backend);
            let job = bound.job(&mut binds);
            let child_name = binds.push(child.name.to_string());
            let sql = format!(
                "SELECT 1 FROM {} AS p JOIN {} AS c ON {} JOIN {} AS rc ON rc.job_id = {job} \
                 AND rc.table_name = {child_name} AND rc.key = {} \
                 WHERE {} AND rc.round > 0 LIMIT 1",
                parent.name.quoted(),
                child.name.quoted(),
                join_on(relation, "c", "p"),
                bound.rows,
                encode_key(&child_keys, "c", backend),
                in_keys(Some("p"), &parent_keys, chunk, &mut binds, backend),
            );
            let hanging = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &child.name))?;
            if !hanging.is_empty() {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Rows and roots per table, keyed by the table's display name as stored.
async fn count_rows(
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
async fn database_effects(
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
        let rows = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &child.name))?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0) as u64;
        if rows > 0 {
            effects.push(DatabaseEffect {
                relation: relation.describe(),
                action: format!("{:?}", relation.on_delete),
                rows,
            });
        }
    }
    Ok(effects)
}

/// Heap, TOAST and index bytes per row times the rows (PostgreSQL's statistics); SQLite
/// keeps no such figures cheaply, so there it is unknown.
async fn estimate_bytes(conn: &mut DbConn, tables: &[PlannedTable]) -> Option<u64> {
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
async fn finish_job(
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
