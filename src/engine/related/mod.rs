//! Related counts: what hangs off selected rows, split into live, trashed and
//! trashed-together-with-the-selection (its deletion group).
//!
//! The answer is the **closure** ([`closure`]): every row below the selection along every
//! relation, once, per table, in one read-only statement; its totals and the purge
//! effect come from it alone. Before it lands, a quick pass per path (one statement per
//! path, capped at the scan budget, planner estimates past it) gives a first answer,
//! marked as not yet exact; the per-path lines stay as detail.

mod advice;
pub mod closure;
mod estimate;
mod paths;
mod query;
mod run;
mod walk;

use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use advice::{IndexAdvice, for_plan as index_advice};
pub use paths::{PathPlan, RelatedPath, plan as plan_paths};
pub use query::{PathSql, Roots, Statement, join_on};

use self::run::{Phase, Preview, count_lines};
use super::catalog::{Catalog, FkAction, TableInfo};
use super::error::{EngineError, ErrorKind};
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
    /// The exact answer, per table, once counted.
    pub closure: Option<closure::ClosureCounts>,
    /// Why the exact answer is missing (a timeout, no permission), if it failed.
    pub closure_error: Option<String>,
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
    /// Distinct rows below the selection: the closure's, else the quick pass's lines
    /// (never complete: a path walk can miss rows past its limits).
    pub fn totals(&self) -> Totals {
        if let Some(closure) = &self.closure {
            let mut totals = Totals {
                complete: closure.partial.is_empty(),
                ..Totals::default()
            };
            for t in &closure.tables {
                totals.live += t.live;
                totals.trashed += t.trashed;
                totals.same_group += t.same_group;
            }
            return totals;
        }
        let mut totals = Totals {
            complete: self.not_counted == 0 && !self.lines.iter().any(|l| l.path.cut_at_depth),
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

    /// Whether an exact answer could still replace what the report holds.
    pub fn needs_exact(&self) -> bool {
        match (&self.closure, &self.closure_error) {
            (Some(_), _) => false,
            (None, None) => true,
            (None, Some(_)) => self.lines.iter().any(|l| l.counts.wants_exact()),
        }
    }

    pub fn purge_effect(&self, catalog: &Catalog) -> PurgeEffect {
        if let Some(closure) = &self.closure {
            return closure_effect(catalog, &self.table, self.keys.len() as u64, closure);
        }
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

/// What purging the selection would do, from the closure: every row below goes (or
/// keeps its root, if live and not cascading), detached rows apart.
fn closure_effect(
    catalog: &Catalog,
    table: &TableName,
    selected: u64,
    closure: &closure::ClosureCounts,
) -> PurgeEffect {
    let mut effect = PurgeEffect {
        complete: closure.partial.is_empty(),
        ..PurgeEffect::default()
    };
    let mut per_table: Vec<(TableName, u64)> = vec![(table.clone(), selected)];
    for t in &closure.tables {
        if t.cascading_only {
            effect.live_cascading += t.live;
        } else {
            effect.live_blocking += t.live;
        }
        match per_table.iter_mut().find(|(name, _)| *name == t.table) {
            Some((_, n)) => *n += t.live + t.trashed,
            None => per_table.push((t.table.clone(), t.live + t.trashed)),
        }
    }
    effect.detached = closure.detached.iter().map(|d| d.rows).sum();
    let order = catalog.graph.children_first(&catalog.relations);
    per_table.retain(|(_, n)| *n > 0);
    per_table.sort_by_key(|(t, _)| order.iter().position(|o| o == t));
    effect.deletes = per_table;
    effect
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
        closure: None,
        closure_error: None,
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

/// The exact answer: the closure; the path lines still estimated are counted exactly
/// only when the closure could not be had.
/// A closure that times out or may not be read says so in the report, which then stays
/// marked as not exact; only a stop (or a lost connection) fails the call.
pub async fn count_exactly(
    conns: &mut [DbConn],
    catalog: &Catalog,
    report: &mut RelatedReport,
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<(), EngineError> {
    let root = root_table(catalog, &report.table, &report.keys)?;
    if report.closure.is_none() {
        let conn = conns
            .first_mut()
            .ok_or_else(|| EngineError::connection("no connection to count with"))?;
        let window = options.recovery_window.as_secs_f64();
        match closure::count(conn, catalog, root, &report.keys, window).await {
            Ok(found) => report.closure = Some(found),
            Err(e) if matches!(e.kind, ErrorKind::Cancelled | ErrorKind::Connection) => {
                return Err(e);
            }
            Err(e) if e.kind == ErrorKind::Timeout => {
                report.closure_error = Some(format!(
                    "the exact count timed out (console.statement_timeout): {}",
                    e.message
                ));
            }
            Err(e) => report.closure_error = Some(e.message),
        }
        if stop.is_cancelled() {
            return Err(EngineError::cancelled());
        }
    }
    // With the closure in hand the per-path lines are detail nothing reads: counting
    // them exactly too would cost the whale another second. Without it they are the
    // best answer there is, so they are made exact where they can be.
    if report.closure.is_some() {
        return Ok(());
    }
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
