//! What a plan tells the operator, once its set is known, whichever way the set was
//! held: the tables in purge order with their counts, the limit on its size, the bytes
//! it frees, index advice, and what it leaves out.

use std::collections::BTreeMap;

use super::record::estimate_bytes;
use super::rules::Rules;
use super::scope::{implied_check, left_out};
use super::{DatabaseEffect, PlannedTable, PurgeOptions, PurgePlan, Scope, Skipped};
use crate::db::DbConn;
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::error::EngineError;
use crate::engine::related;
use crate::engine::sql::TableName;

/// What a set holds of one table, by its display name as stored: rows, roots and live
/// rows.
pub(super) type Counted = BTreeMap<String, (u64, u64, u64)>;

/// The set's tables, children first (the order they are purged in), refused when it
/// holds more than `purge.max_rows`. `cutoffs` are the root tables' cutoffs.
pub(super) fn planned_tables(
    catalog: &Catalog,
    scope: &Scope,
    rules: &Rules,
    cutoffs: &BTreeMap<TableName, f64>,
    counted: &Counted,
    options: &PurgeOptions,
) -> Result<Vec<PlannedTable>, EngineError> {
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
                descendants_before: rules.descendants_before(&name),
                age_ignored: rules.ignore_age.contains(&name),
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
    Ok(tables)
}

/// What the set is, as the operator reads it. Planned, not yet written under a job.
pub(super) struct Outline<'a> {
    pub(super) scope: &'a Scope,
    pub(super) roots: &'a [&'a TableInfo],
    pub(super) now: f64,
    pub(super) tables: Vec<PlannedTable>,
    pub(super) skipped: Vec<Skipped>,
    pub(super) effects: Vec<DatabaseEffect>,
}

/// The plan (without a job) for an outline: its size against the reason and approval
/// thresholds, the bytes it frees, index advice for its root tables, and what it leaves
/// out.
pub(super) async fn outline(
    conn: &mut DbConn,
    catalog: &Catalog,
    options: &PurgeOptions,
    outline: Outline<'_>,
) -> Result<PurgePlan, EngineError> {
    let total: u64 = outline.tables.iter().map(|t| t.rows).sum();
    let bytes_estimate = estimate_bytes(conn, &outline.tables).await;
    let mut advice = Vec::new();
    for table in outline.roots {
        let paths = related::plan_paths(catalog, &table.name, 6, 64);
        for a in related::index_advice(catalog, table, &paths) {
            if !advice.contains(&a) {
                advice.push(a);
            }
        }
    }
    Ok(PurgePlan {
        job_id: None,
        scope: outline.scope.describe(),
        now_epoch: outline.now,
        needs_reason: total > options.reason_above,
        needs_approval: total > options.approval_above,
        tables: outline.tables,
        skipped: outline.skipped,
        left_out: left_out(catalog, outline.scope, options),
        effects: outline.effects,
        bytes_estimate,
        advice,
        implied_ignored: implied_check(catalog, outline.roots, options)?,
        not_permitted: Vec::new(),
    })
}
