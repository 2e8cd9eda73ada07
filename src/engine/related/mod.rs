//! Related counts: what hangs off selected rows, per path down the relation graph, split
//! into live, trashed and trashed-together-with-the-selection (its deletion group).
//!
//! One statement per path, whatever the number of selected rows. A row reachable along
//! several paths is counted once, on the first (shortest) path that reaches it, so the
//! lines add up to distinct totals. Restore and purge previews are built from this report.

mod advice;
mod estimate;
mod paths;
mod query;

use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use advice::IndexAdvice;
pub use paths::{PathPlan, RelatedPath};

use self::query::{PathSql, Roots, Statement};
use super::catalog::{Catalog, FkAction, TableInfo};
use super::error::{EngineError, ErrorKind};
use super::expr;
use super::sql::TableName;
use crate::db::{DbConn, rows};

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
}

impl Default for RelatedOptions {
    fn default() -> Self {
        Self {
            max_depth: 6,
            max_paths: 64,
            scan_budget: Some(100_000),
            recovery_window: Duration::from_secs(120),
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
    pub fn is_exact(&self) -> bool {
        matches!(self, Counts::Exact { .. })
    }

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

/// Counts what depends on `keys` (rows of `table`), estimating over-budget paths.
pub async fn preview(
    conn: &mut DbConn,
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
    count_lines(conn, catalog, root, &mut report, &all, options, stop).await?;
    Ok(report)
}

/// Replaces estimates and timeouts in `report` with exact counts.
pub async fn count_exactly(
    conn: &mut DbConn,
    catalog: &Catalog,
    report: &mut RelatedReport,
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<(), EngineError> {
    let root = root_table(catalog, &report.table, &report.keys)?;
    let pending: Vec<usize> = (0..report.lines.len())
        .filter(|&i| report.lines[i].counts.wants_exact())
        .collect();
    let exact = RelatedOptions {
        scan_budget: None,
        ..options.clone()
    };
    count_lines(conn, catalog, root, report, &pending, &exact, stop).await
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

async fn count_lines(
    conn: &mut DbConn,
    catalog: &Catalog,
    root: &TableInfo,
    report: &mut RelatedReport,
    which: &[usize],
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<(), EngineError> {
    let builder = PathSql {
        catalog,
        backend: conn.backend(),
        roots: Roots {
            table: root,
            key_columns: expr::key_columns(root, conn.backend()),
            keys: &report.keys,
        },
        window_seconds: options.recovery_window.as_secs_f64(),
    };
    let mut jobs = Vec::with_capacity(which.len());
    let mut counted: Vec<(usize, Counts)> = Vec::with_capacity(which.len());
    for &i in which {
        let path = &report.lines[i].path;
        if !path.readable {
            counted.push((i, Counts::NoPermission));
            continue;
        }
        let earlier: Vec<&RelatedPath> = report.lines[..i]
            .iter()
            .map(|l| &l.path)
            .filter(|p| p.table == path.table && p.readable)
            .collect();
        jobs.push((i, path, earlier));
    }
    let cap = options.scan_budget.map(|b| b.saturating_add(1));
    // One statement per path. A single UNION ALL of every path saves round trips for
    // small previews but planned the whale's big paths 2x slower, and one failing path
    // would hide every other path's counts.
    let mut results: Vec<(usize, Result<[u64; 3], EngineError>)> = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let statement = builder.count(std::slice::from_ref(job), cap)?;
        let result = run_counts(conn, statement, stop).await.and_then(|mut r| {
            r.pop()
                .map(|(_, c)| c)
                .ok_or_else(|| EngineError::other("no count returned"))
        });
        if let Err(e) = &result
            && e.kind == ErrorKind::Cancelled
        {
            return Err(e.clone());
        }
        results.push((job.0, result));
    }
    let mut stats = None;
    for (i, result) in results {
        let previous_floor = match report.lines[i].counts {
            Counts::Estimated { at_least, .. } | Counts::TimedOut { at_least } => at_least,
            _ => 0,
        };
        let counts = match result {
            Ok([total, _, _]) if options.scan_budget.is_some_and(|b| total > b) => {
                if stop.is_cancelled() {
                    return Err(EngineError::cancelled());
                }
                let Some((_, path, earlier)) = jobs.iter().find(|(j, ..)| *j == i) else {
                    continue;
                };
                Counts::Estimated {
                    at_least: total,
                    estimate: estimate::rows(conn, &builder, path, earlier, &mut stats).await,
                }
            }
            Ok([total, trashed, same_group]) => Counts::Exact {
                live: total.saturating_sub(trashed),
                trashed,
                same_group,
            },
            Err(e) => match e.kind {
                ErrorKind::Cancelled => return Err(e),
                ErrorKind::Permission => Counts::NoPermission,
                ErrorKind::Timeout => Counts::TimedOut {
                    at_least: previous_floor,
                },
                _ => Counts::Failed(e.message),
            },
        };
        counted.push((i, counts));
    }
    for (i, counts) in counted {
        report.lines[i].counts = counts;
    }
    Ok(())
}

/// Runs a counting statement; each row is (path position, total, trashed, in group).
async fn run_counts(
    conn: &mut DbConn,
    statement: Statement,
    stop: &CancellationToken,
) -> Result<Vec<(usize, [u64; 3])>, EngineError> {
    if stop.is_cancelled() {
        return Err(EngineError::cancelled());
    }
    let found = rows::query(conn, &statement.sql, &statement.binds)
        .await
        .map_err(|e| EngineError::from_query(e, &TableName::new(None, "related counts")))?;
    Ok(found
        .into_iter()
        .map(|row| {
            let n = |i| row.int(i).unwrap_or(0).max(0) as u64;
            (n(0) as usize, [n(1), n(2), n(3)])
        })
        .collect())
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
