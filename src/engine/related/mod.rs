//! Related counts: what hangs off selected rows, per path down the relation graph, split
//! into live, trashed and trashed-together-with-the-selection (its deletion group).
//!
//! One statement per path, whatever the number of selected rows. A row reachable along
//! several paths is counted once, on the first (shortest) path that reaches it, so the
//! lines add up to distinct totals. Restore and purge previews are built from this report.

mod advice;
pub mod closure;
mod estimate;
mod paths;
mod query;
mod run;

use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use advice::{IndexAdvice, for_plan as index_advice};
pub use paths::{PathPlan, RelatedPath, plan as plan_paths};
pub use query::{PathSql, Roots, Statement, join_on};

use self::run::{Phase, Preview, count_lines};
use super::catalog::{Catalog, FkAction, TableInfo};
use super::error::EngineError;
use super::expr;
use super::sql::TableName;
use crate::db::DbConn;

/// The most rows one preview starts from: keys are bound one by one, and both engines
/// cap the number of bound values per statement.
pub const MAX_SELECTED_ROWS: usize = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct RelatedOptions {
    pub max_depth: usize,
    pub max_paths: usize,
    /// Paths matching more rows than this get an estimate first; `None` counts exactly.
    pub scan_budget: Option<u64>,
    pub recovery_window: Duration,
    /// PostgreSQL: the time limit of the first, all-paths-at-once pass; slower paths
    /// get an estimate first and are counted exactly afterwards.
    pub quick_timeout: Duration,
}

impl Default for RelatedOptions {
    fn default() -> Self {
        Self {
            max_depth: 6,
            max_paths: 64,
            scan_budget: Some(100_000),
            recovery_window: Duration::from_secs(120),
            quick_timeout: Duration::from_millis(80),
        }
    }
}

/// What is known about one path's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counts {
    Exact {
        live: u64,
        trashed: u64,
        /// Trashed rows in the selected rows' deletion group.
        same_group: u64,
    },
    /// More than the scan budget: at least `at_least` rows; the planner expects about
    /// `estimate`. An exact figure follows in the background or on request.
    Estimated {
        at_least: u64,
        estimate: Option<u64>,
    },
    /// The exact count hit the statement timeout.
    TimedOut {
        at_least: u64,
    },
    NoPermission,
    Failed(String),
}

impl Counts {
    /// Whether an exact count could still replace this figure.
    pub fn wants_exact(&self) -> bool {
        matches!(self, Counts::Estimated { .. } | Counts::TimedOut { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathCount {
    pub path: RelatedPath,
    /// `payments via orders.user_id → payments.order_id`.
    pub label: String,
    pub on_delete: FkAction,
    pub declared: bool,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelatedReport {
    pub table: TableName,
    pub keys: Vec<Vec<String>>,
    pub lines: Vec<PathCount>,
    /// Paths beyond `max_paths`, not counted.
    pub not_counted: usize,
    pub advice: Vec<IndexAdvice>,
}

/// Distinct rows over all lines; `complete` is false while any line is not exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub live: u64,
    pub trashed: u64,
    pub same_group: u64,
    pub complete: bool,
}

/// What purging the selected rows with all their descendants would do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PurgeEffect {
    /// Rows hard-deleted per table (selected rows included), children first.
    pub deletes: Vec<(TableName, u64)>,
    /// Live descendants under `NO ACTION`/`RESTRICT` keys or implied relations: the
    /// default purge policy skips rows that have any.
    pub live_blocking: u64,
    /// Live descendants under `ON DELETE CASCADE`: swept along with their parent.
    pub live_cascading: u64,
    /// Rows whose key the database would set to NULL or its default instead.
    pub detached: u64,
    pub complete: bool,
}

impl PurgeEffect {
    pub fn total(&self) -> u64 {
        self.deletes.iter().map(|(_, n)| n).sum()
    }
}

impl RelatedReport {
    pub fn totals(&self) -> Totals {
        let mut totals = Totals {
            complete: true,
            ..Totals::default()
        };
        for line in self.lines.iter().filter(|l| !l.path.detaches) {
            match line.counts {
                Counts::Exact {
                    live,
                    trashed,
                    same_group,
                } => {
                    totals.live += live;
                    totals.trashed += trashed;
                    totals.same_group += same_group;
                }
                _ => totals.complete = false,
            }
        }
        totals
    }

    pub fn needs_exact(&self) -> bool {
        self.lines.iter().any(|l| l.counts.wants_exact())
    }

    pub fn purge_effect(&self, catalog: &Catalog) -> PurgeEffect {
        let mut effect = PurgeEffect {
            complete: true,
            ..PurgeEffect::default()
        };
        let mut per_table: Vec<(TableName, u64)> = vec![(self.table.clone(), 0)];
        per_table[0].1 = self.keys.len() as u64;
        for line in &self.lines {
            let Counts::Exact { live, trashed, .. } = line.counts else {
                effect.complete = false;
                continue;
            };
            if line.path.detaches {
                effect.detached += live + trashed;
                continue;
            }
            match (line.declared, line.on_delete) {
                (true, FkAction::Cascade) => effect.live_cascading += live,
                _ => effect.live_blocking += live,
            }
            match per_table.iter_mut().find(|(t, _)| *t == line.path.table) {
                Some((_, n)) => *n += live + trashed,
                None => per_table.push((line.path.table.clone(), live + trashed)),
            }
        }
        let order = catalog.graph.children_first(&catalog.relations);
        per_table.retain(|(_, n)| *n > 0);
        per_table.sort_by_key(|(t, _)| order.iter().position(|o| o == t));
        effect.deletes = per_table;
        effect
    }
}

/// Counts what depends on `keys` (rows of `table`). With a scan budget, paths over the
/// budget (or the quick pass's time limit) come back as estimates; without one, they
/// are then counted exactly.
pub async fn preview(
    conns: &mut [DbConn],
    catalog: &Catalog,
    table: &TableName,
    keys: &[Vec<String>],
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<RelatedReport, EngineError> {
    let root = root_table(catalog, table, keys)?;
    let plan = paths::plan(catalog, table, options.max_depth, options.max_paths);
    let mut report = RelatedReport {
        table: table.clone(),
        keys: keys.to_vec(),
        lines: plan
            .paths
            .iter()
            .map(|path| {
                let last = &catalog.relations[path.relations[path.depth() - 1]];
                PathCount {
                    label: label(catalog, path),
                    on_delete: last.on_delete,
                    declared: last.declared,
                    counts: Counts::Estimated {
                        at_least: 0,
                        estimate: None,
                    },
                    path: path.clone(),
                }
            })
            .collect(),
        not_counted: plan.not_counted,
        advice: advice::for_plan(catalog, root, &plan),
    };
    let all: Vec<usize> = (0..report.lines.len()).collect();
    let run = Preview {
        catalog,
        root,
        options,
        stop,
    };
    count_lines(conns, &run, &mut report, &all, Phase::Quick).await?;
    if options.scan_budget.is_none() && report.needs_exact() {
        count_exactly(conns, catalog, &mut report, options, stop).await?;
    }
    Ok(report)
}

/// Replaces estimates and timeouts in `report` with exact counts.
pub async fn count_exactly(
    conns: &mut [DbConn],
    catalog: &Catalog,
    report: &mut RelatedReport,
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<(), EngineError> {
    let root = root_table(catalog, &report.table, &report.keys)?;
    let pending: Vec<usize> = (0..report.lines.len())
        .filter(|&i| report.lines[i].counts.wants_exact())
        .collect();
    let run = Preview {
        catalog,
        root,
        options,
        stop,
    };
    count_lines(conns, &run, report, &pending, Phase::Exact).await
}

fn root_table<'a>(
    catalog: &'a Catalog,
    table: &TableName,
    keys: &[Vec<String>],
) -> Result<&'a TableInfo, EngineError> {
    let root = catalog
        .table(table)
        .ok_or_else(|| EngineError::other(format!("unknown table {table}")))?;
    if keys.is_empty() {
        return Err(EngineError::other("no rows selected"));
    }
    if keys.len() > MAX_SELECTED_ROWS {
        return Err(EngineError::other(format!(
            "{} rows selected; related counts take at most {MAX_SELECTED_ROWS}",
            keys.len()
        )));
    }
    let width = expr::key_columns(root, catalog.backend).len();
    if keys.iter().any(|k| k.len() != width) {
        return Err(EngineError::other("row key does not match the table's key"));
    }
    Ok(root)
}

/// `payments via orders.user_id → payments.order_id`.
fn label(catalog: &Catalog, path: &RelatedPath) -> String {
    let hops: Vec<String> = path
        .relations
        .iter()
        .map(|&r| {
            let rel = &catalog.relations[r];
            format!("{}.{}", rel.child, rel.child_columns.join(","))
        })
        .collect();
    format!("{} via {}", path.table, hops.join(" → "))
}
