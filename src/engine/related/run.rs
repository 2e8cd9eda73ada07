//! Running a preview's statements. Two phases:
//!
//! - **Quick**: every path at once. On PostgreSQL the statements are pipelined (one round
//!   trip) under a short time limit shared by the whole pipeline, each capped at the scan
//!   budget, so the first answer is fast even for a whale. Paths over the budget or the
//!   time limit get a planner estimate instead. The statements stay prepared for reuse: after a few runs
//!   PostgreSQL stops planning them, which is most of a small count's cost. The generic
//!   plan it then uses suits the small counts this pass is for.
//! - **Exact**: the remaining paths one statement at a time under the session's full
//!   timeout, checking for a stop between statements, so a cancelled preview frees the
//!   server at once. These are planned afresh each time, for the rows they will meet
//!   (a whale's paths want hash joins where a typical user's want index lookups).

use tokio_util::sync::CancellationToken;

use super::estimate;
use super::paths::RelatedPath;
use super::query::{self, PathSql, Roots, Statement};
use super::{Counts, RelatedOptions, RelatedReport};
use crate::db::{Backend, DbConn, rows};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::expr;
use crate::engine::sql::TableName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Quick,
    Exact,
}

/// A path to count: its line index, the path, and the earlier paths to the same table
/// whose rows it must not count again.
pub(super) type Job<'a> = (usize, &'a RelatedPath, Vec<&'a RelatedPath>);

/// What every phase of one preview shares.
pub struct Preview<'a> {
    pub catalog: &'a Catalog,
    pub root: &'a TableInfo,
    pub options: &'a RelatedOptions,
    pub stop: &'a CancellationToken,
}

/// Counts the lines `which` of `report` in the given phase, spreading the statements
/// over `conns` (at least one), which run at the same time.
pub async fn count_lines(
    conns: &mut [DbConn],
    preview: &Preview<'_>,
    report: &mut RelatedReport,
    which: &[usize],
    phase: Phase,
) -> Result<(), EngineError> {
    let Preview {
        catalog,
        root,
        options,
        stop,
    } = *preview;
    let backend = conns
        .first()
        .map(DbConn::backend)
        .ok_or_else(|| EngineError::connection("no connection to count with"))?;
    let keys = report.keys.clone();
    let builder = PathSql {
        catalog,
        backend,
        roots: Roots {
            table: root,
            key_columns: expr::key_columns(root, backend),
            keys: &keys,
        },
        window_seconds: options.recovery_window.as_secs_f64(),
    };
    let mut counted: Vec<(usize, Counts)> = Vec::with_capacity(which.len());
    let mut jobs: Vec<Job> = Vec::with_capacity(which.len());
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
    let budget = match phase {
        Phase::Quick => options.scan_budget,
        Phase::Exact => None,
    };
    let cap = budget.map(|b| b.saturating_add(1));
    let statements = jobs
        .iter()
        .map(|job| builder.count(std::slice::from_ref(job), cap))
        .collect::<Result<Vec<Statement>, EngineError>>()?;
    // A rough cost: hops, exclusions of earlier paths, and a self-reference (which fans
    // out from every row of the level above). Heavy statements go first, so the light
    // ones fill in around them.
    let weights: Vec<usize> = jobs
        .iter()
        .map(|(_, path, earlier)| path.depth() + earlier.len() + if path.on_cycle { 2 } else { 0 })
        .collect();
    let results = match (phase, backend) {
        (Phase::Quick, Backend::Postgres) => {
            let reuse = query::reusable(keys.len());
            quick_spread(conns, statements, &weights, reuse, options, stop).await?
        }
        _ => shared_queue(conns, statements, &weights, stop).await?,
    };

    let mut to_estimate = Vec::new();
    for ((i, ..), result) in jobs.iter().zip(results) {
        let floor = match report.lines[*i].counts {
            Counts::Estimated { at_least, .. } | Counts::TimedOut { at_least } => at_least,
            _ => 0,
        };
        let counts = match result {
            Ok([total, ..]) if budget.is_some_and(|b| total > b) => {
                to_estimate.push(*i);
                Counts::Estimated {
                    at_least: total,
                    estimate: None,
                }
            }
            Ok([total, trashed, same_group]) => Counts::Exact {
                live: total.saturating_sub(trashed),
                trashed,
                same_group,
            },
            Err(e) => match (e.kind, phase) {
                (ErrorKind::Cancelled, _) => return Err(e),
                (ErrorKind::Permission, _) => Counts::NoPermission,
                // Over the quick phase's time limit: an estimate now, exact later.
                (ErrorKind::Timeout, Phase::Quick) => {
                    to_estimate.push(*i);
                    Counts::Estimated {
                        at_least: floor,
                        estimate: None,
                    }
                }
                (ErrorKind::Timeout, Phase::Exact) => Counts::TimedOut { at_least: floor },
                _ => Counts::Failed(e.message),
            },
        };
        counted.push((*i, counts));
    }
    if !to_estimate.is_empty() {
        if stop.is_cancelled() {
            return Err(EngineError::cancelled());
        }
        let wanted: Vec<&Job> = jobs
            .iter()
            .filter(|(i, ..)| to_estimate.contains(i))
            .collect();
        let estimates =
            estimate::rows(&mut conns[0], &builder, &wanted, options.quick_timeout).await;
        for ((i, ..), estimated) in wanted.iter().zip(estimates) {
            if let Some((_, Counts::Estimated { estimate, .. })) =
                counted.iter_mut().find(|(j, _)| j == i)
            {
                *estimate = estimated;
            }
        }
    }
    for (i, counts) in counted {
        report.lines[i].counts = counts;
    }
    Ok(())
}

/// Each connection takes the next statement as soon as it is free, so one long count
/// does not hold up the short ones; a stop is checked between statements.
async fn shared_queue(
    conns: &mut [DbConn],
    statements: Vec<Statement>,
    weights: &[usize],
    stop: &CancellationToken,
) -> Result<Vec<Result<[u64; 3], EngineError>>, EngineError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let order = &heaviest_first(weights, statements.len());
    let statements = &statements;
    let workers = conns.iter_mut().map(|conn| {
        let next = &next;
        async move {
            let mut done = Vec::new();
            loop {
                let taken = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((i, statement)) = order
                    .get(taken)
                    .and_then(|&i| statements.get(i).map(|s| (i, s)))
                else {
                    return Ok(done);
                };
                if stop.is_cancelled() {
                    return Err(EngineError::cancelled());
                }
                let result = rows::query(conn, &statement.sql, &statement.binds)
                    .await
                    .map_err(query_error)
                    .and_then(first_row);
                if let Err(e) = &result
                    && e.kind == ErrorKind::Cancelled
                {
                    return Err(e.clone());
                }
                done.push((i, result));
            }
        }
    });
    let mut done = Vec::with_capacity(statements.len());
    for finished in futures_util::future::join_all(workers).await {
        done.extend(finished?);
    }
    Ok(in_statement_order(done, statements.len()))
}

/// Deals the statements out to the connections, heaviest first to the least loaded
/// (by `weights`), and pipelines each share lightest first: the share's time is the same
/// in any order, but under the shared time limit the light counts all land before a
/// heavy one uses up what is left.
async fn quick_spread(
    conns: &mut [DbConn],
    statements: Vec<Statement>,
    weights: &[usize],
    reuse: bool,
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<Vec<Result<[u64; 3], EngineError>>, EngineError> {
    let count = statements.len();
    let ways = conns.len().clamp(1, count.max(1));
    let order = heaviest_first(weights, count);
    let mut owners: Vec<Vec<usize>> = (0..ways).map(|_| Vec::new()).collect();
    let mut loads = vec![0usize; ways];
    for i in order {
        let lightest = (0..ways).min_by_key(|&w| loads[w]).unwrap_or(0);
        loads[lightest] += weights.get(i).copied().unwrap_or(1);
        owners[lightest].push(i);
    }
    for share in &mut owners {
        share.reverse();
    }
    let mut slots: Vec<Option<Statement>> = statements.into_iter().map(Some).collect();
    let shares: Vec<Vec<Statement>> = owners
        .iter()
        .map(|share| share.iter().filter_map(|&i| slots[i].take()).collect())
        .collect();
    let runs = conns
        .iter_mut()
        .zip(shares)
        .map(|(conn, share)| quick_pipelined(conn, share, reuse, options, stop));
    let mut done = Vec::with_capacity(count);
    for (share, finished) in owners
        .iter()
        .zip(futures_util::future::join_all(runs).await)
    {
        done.extend(share.iter().copied().zip(finished?));
    }
    Ok(in_statement_order(done, count))
}

/// Results tagged with their statement's position, put back in statement order; a
/// statement without a result (its connection stopped early) counts as not counted.
fn in_statement_order(
    tagged: Vec<(usize, Result<[u64; 3], EngineError>)>,
    count: usize,
) -> Vec<Result<[u64; 3], EngineError>> {
    let mut results: Vec<Option<Result<[u64; 3], EngineError>>> =
        (0..count).map(|_| None).collect();
    for (i, result) in tagged {
        if let Some(slot) = results.get_mut(i) {
            *slot = Some(result);
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(EngineError::other("no count returned"))))
        .collect()
}

/// Statement positions, heaviest first; ties keep path order.
fn heaviest_first(weights: &[usize], count: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights.get(i).copied().unwrap_or(1)));
    order
}

/// The least time limit a statement of the quick pass gets once the pass's own is used
/// up: enough for a small count to land, and for the statements that set and restore
/// the limits to run.
const LEAST_SHARE_MS: u32 = 10;

/// All counts in one pipeline that ends by `quick_timeout` (see [`pipelined_within`]).
/// A stop cancels the running statement; the rest are short anyway.
async fn quick_pipelined(
    conn: &mut DbConn,
    statements: Vec<Statement>,
    reuse: bool,
    options: &RelatedOptions,
    stop: &CancellationToken,
) -> Result<Vec<Result<[u64; 3], EngineError>>, EngineError> {
    let statements = statements.into_iter().map(|s| (s.sql, s.binds)).collect();
    let results = pipelined_within(conn, statements, reuse, options.quick_timeout).await?;
    if stop.is_cancelled() {
        return Err(EngineError::cancelled());
    }
    Ok(results
        .into_iter()
        .map(|r| r.map_err(query_error).and_then(first_row))
        .collect())
}

/// PostgreSQL: `statements` in one pipeline that ends by `limit`. Each statement gets
/// what is left of it (at least [`LEAST_SHARE_MS`]), so one that runs out the clock —
/// a heavy count, a table another session has locked — does not hand every later one a
/// fresh limit. The session's own timeout is saved in a custom setting first and put
/// back afterwards, so the pooled connection leaves as it came. Fails only if the
/// limit could not be set up or taken down; each statement's own failure is its result.
pub(super) async fn pipelined_within(
    conn: &mut DbConn,
    statements: Vec<(String, Vec<String>)>,
    reuse: bool,
    limit: std::time::Duration,
) -> Result<Vec<diesel::QueryResult<Vec<rows::TextRow>>>, EngineError> {
    const SETUP: &str = "SELECT set_config('trashcan.saved_statement_timeout', \
         current_setting('statement_timeout'), false), \
         set_config('trashcan.deadline', CAST(CAST(extract(epoch FROM clock_timestamp()) \
         AS float8) * 1000 + CAST($1 AS float8) AS text), false), \
         set_config('statement_timeout', $1, false)";
    const WHAT_IS_LEFT: &str = "SELECT set_config('statement_timeout', \
         CAST(CAST(greatest(CAST($1 AS float8), \
         CAST(current_setting('trashcan.deadline') AS float8) \
         - CAST(extract(epoch FROM clock_timestamp()) AS float8) * 1000) AS bigint) AS text), \
         false)";
    let limit_ms = limit.as_millis().max(1).to_string();
    let mut batch = vec![(SETUP.to_owned(), vec![limit_ms])];
    for (i, statement) in statements.into_iter().enumerate() {
        if i > 0 {
            batch.push((WHAT_IS_LEFT.to_owned(), vec![LEAST_SHARE_MS.to_string()]));
        }
        batch.push(statement);
    }
    let mut results = rows::query_pipelined(conn, &batch, reuse).await.into_iter();
    // Without the setup, nothing was saved and the session's timeout is unchanged.
    if let Some(Err(e)) = results.next() {
        return Err(query_error(e));
    }
    if let Err(e) = restore_timeout(conn).await {
        // Left with a limit of milliseconds, the session must not go back to the pool.
        conn.discard();
        return Err(e);
    }
    // Every other result after the first statement's is a time limit being set.
    Ok(results
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, r)| r)
        .collect())
}

/// Puts the session's statement timeout back. (A session whose job was stopped is
/// closed by the worker, so a cancel can never leave it with the short timeout.)
async fn restore_timeout(conn: &mut DbConn) -> Result<(), EngineError> {
    const RESTORE: &str = "SELECT set_config('statement_timeout', \
         current_setting('trashcan.saved_statement_timeout'), false)";
    // It runs under what is left of the quick limit, at least LEAST_SHARE_MS: a
    // machine busy enough to stall it that long gets another try (a statement that
    // timed out changed nothing).
    let mut tries = 0;
    loop {
        tries += 1;
        match rows::query(conn, RESTORE, &[]).await.map_err(query_error) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind == ErrorKind::Timeout && tries < 3 => continue,
            Err(e) => return Err(e),
        }
    }
}

fn query_error(e: diesel::result::Error) -> EngineError {
    EngineError::from_query(e, &TableName::new(None, "related counts"))
}

/// (total, trashed, in group) from a counting statement's single row.
fn first_row(found: Vec<rows::TextRow>) -> Result<[u64; 3], EngineError> {
    let row = found
        .into_iter()
        .next()
        .ok_or_else(|| EngineError::other("no count returned"))?;
    let n = |i| row.int(i).unwrap_or(0).max(0) as u64;
    Ok([n(1), n(2), n(3)])
}
