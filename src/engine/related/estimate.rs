//! Planner estimates for paths too big to count within the scan budget: PostgreSQL's
//! `EXPLAIN` row estimate, or on SQLite the fan-out `ANALYZE` stored in `sqlite_stat1`.

use std::collections::HashMap;
use std::time::Duration;

use super::paths::RelatedPath;
use super::query::PathSql;
use super::run::{Job, pipelined_within};
use crate::db::{Backend, DbConn, rows};
use crate::engine::sql::TableName;

/// `sqlite_stat1`, by index name: rows in the table, then average rows per distinct
/// value of each leading key prefix.
type SqliteStats = HashMap<String, Vec<f64>>;

/// Estimates for `jobs` (paths with the earlier paths they exclude), in order; `None`
/// where the database keeps no statistics. Failures are not errors here: the preview
/// then shows the lower bound alone. On PostgreSQL all of them together take at most
/// about `limit`: planning waits for a lock on each table, and a table another session
/// holds exclusively must not hold the preview up.
pub async fn rows(
    conn: &mut DbConn,
    builder: &PathSql<'_>,
    jobs: &[&Job<'_>],
    limit: Duration,
) -> Vec<Option<u64>> {
    match conn.backend() {
        Backend::Postgres => {
            let statements: Vec<(String, Vec<String>)> = jobs
                .iter()
                .filter_map(|(_, path, earlier)| builder.explain(path, earlier).ok())
                .map(|s| (s.sql, s.binds))
                .collect();
            if statements.len() != jobs.len() {
                return vec![None; jobs.len()];
            }
            match pipelined_within(conn, statements, false, limit).await {
                Ok(results) => results
                    .into_iter()
                    .map(|r| r.ok().and_then(|found| plan_rows(&found.first()?.text(0)?)))
                    .collect(),
                Err(_) => vec![None; jobs.len()],
            }
        }
        Backend::Sqlite => {
            let stats = load_sqlite_stats(conn).await;
            jobs.iter()
                .map(|(_, path, _)| sqlite_fanout(builder, path, &stats))
                .collect()
        }
    }
}

/// The top plan node's `Plan Rows` from `EXPLAIN (FORMAT JSON)`.
fn plan_rows(json: &str) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let rows = value.get(0)?.get("Plan")?.get("Plan Rows")?.as_f64()?;
    Some(rows.max(0.0).round() as u64)
}

async fn load_sqlite_stats(conn: &mut DbConn) -> SqliteStats {
    // The table exists only after the first ANALYZE; without it there is nothing to use.
    let found = rows::query(conn, "SELECT idx, stat FROM sqlite_stat1", &[])
        .await
        .unwrap_or_default();
    found
        .into_iter()
        .filter_map(|r| {
            let stat = r.text(1)?;
            let numbers = stat
                .split_whitespace()
                .map_while(|n| n.parse::<f64>().ok())
                .collect();
            Some((r.text(0)?, numbers))
        })
        .collect()
}

/// Selected rows times the average fan-out of each hop: rows per key from an index on
/// the child's columns, else the child's rows over the parent's.
fn sqlite_fanout(builder: &PathSql<'_>, path: &RelatedPath, stats: &SqliteStats) -> Option<u64> {
    let table_rows = |name: &TableName| -> Option<f64> {
        let table = builder.catalog.table(name)?;
        table
            .indexes
            .iter()
            .find_map(|i| stats.get(&i.name).and_then(|s| s.first().copied()))
    };
    let mut estimate = builder.roots.keys.len() as f64;
    for &r in &path.relations {
        let relation = &builder.catalog.relations[r];
        let child = builder.catalog.table(&relation.child)?;
        let per_key = child
            .indexes
            .iter()
            .filter(|i| i.predicate.is_none() && i.leads_with(&relation.child_columns))
            .find_map(|i| {
                stats
                    .get(&i.name)
                    .and_then(|s| s.get(relation.child_columns.len()).copied())
            });
        let fanout = match per_key {
            Some(f) => f,
            None => table_rows(&relation.child)? / table_rows(&relation.parent)?.max(1.0),
        };
        estimate *= fanout;
    }
    Some(estimate.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_top_plan_rows() {
        let json = r#"[{"Plan": {"Node Type": "Nested Loop", "Plan Rows": 48213.0, "Plans": []}}]"#;
        assert_eq!(plan_rows(json), Some(48213));
        assert_eq!(plan_rows("[]"), None);
        assert_eq!(plan_rows("not json"), None);
    }
}
