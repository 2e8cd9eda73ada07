//! Orphans: child rows that lost their parent. Along every relation (declared keys, and
//! the config's relations for schemas that keep keys only by convention):
//!
//! - **hard** orphans point at a parent key no row has: a key that was never declared,
//!   declared `NOT VALID`, or dropped for a while;
//! - **soft** orphans are live children whose parent is trashed: the application hid
//!   the parent and left its children showing.
//!
//! Each count is a set-based anti-join. A big child table with a single integer key is
//! counted in key ranges, one statement each, so no scan holds one snapshot for long and
//! a cancel takes effect between ranges.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::db::{Backend, DbConn, rows};
use crate::engine::catalog::{Catalog, ColumnKind, Relation, TableInfo};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::purge::OrphanRelation;
use crate::engine::related::join_on;
use crate::engine::sql::{Binds, TableName, quote_ident};

/// Which kind of orphan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphanKind {
    Hard,
    Soft,
}

impl OrphanKind {
    pub fn label(self) -> &'static str {
        match self {
            OrphanKind::Hard => "hard",
            OrphanKind::Soft => "soft",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanCounts {
    pub hard: u64,
    /// `None` when the parent table does not soft-delete (no child can be a soft orphan).
    pub soft: Option<u64>,
    pub took: Duration,
}

/// One relation's scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationOrphans {
    /// Index into the catalog's relations.
    pub relation: usize,
    pub child: TableName,
    pub parent: TableName,
    /// `comments.post_id → posts.id`.
    pub path: String,
    /// False for relations only the config knows.
    pub declared: bool,
    /// The counts, or why the relation could not be scanned (such as no permission).
    pub counts: Result<OrphanCounts, String>,
}

impl RelationOrphans {
    /// Orphans of one kind found (0 when the relation could not be scanned).
    pub fn count(&self, kind: OrphanKind) -> u64 {
        match (&self.counts, kind) {
            (Ok(c), OrphanKind::Hard) => c.hard,
            (Ok(c), OrphanKind::Soft) => c.soft.unwrap_or(0),
            (Err(_), _) => 0,
        }
    }

    pub fn total(&self) -> u64 {
        self.count(OrphanKind::Hard) + self.count(OrphanKind::Soft)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Rows per statement on tables with a single integer key.
    pub rows_per_statement: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            rows_per_statement: 200_000,
        }
    }
}

/// Counts hard and soft orphans along every relation whose tables the catalog knows.
/// A relation that fails (no permission, a timeout) reports its error and the scan goes
/// on; only a cancel or a lost connection stops it.
pub async fn scan(
    conn: &mut DbConn,
    catalog: &Catalog,
    options: &ScanOptions,
    cancel: &CancellationToken,
) -> Result<Vec<RelationOrphans>, EngineError> {
    let mut found = Vec::new();
    for (index, relation) in catalog.relations.iter().enumerate() {
        let (Some(child), Some(parent)) = (
            catalog.table(&relation.child),
            catalog.table(&relation.parent),
        ) else {
            continue;
        };
        if cancel.is_cancelled() {
            return Err(EngineError::cancelled());
        }
        let counts = match readable(child, parent) {
            Err(why) => Err(why),
            Ok(()) => match count_relation(conn, relation, child, parent, options, cancel).await {
                Ok(counts) => Ok(counts),
                Err(e) if stops_the_scan(&e) => return Err(e),
                Err(e) => Err(e.message),
            },
        };
        found.push(RelationOrphans {
            relation: index,
            child: child.name.clone(),
            parent: parent.name.clone(),
            path: relation.describe(),
            declared: relation.declared,
            counts,
        });
    }
    Ok(found)
}

/// Up to `limit` orphans of one kind along one relation, lowest key first: each as the
/// child's key values, then its values of the relation's columns.
pub async fn sample(
    conn: &mut DbConn,
    catalog: &Catalog,
    relation: usize,
    kind: OrphanKind,
    limit: u32,
) -> Result<Vec<OrphanRow>, EngineError> {
    let backend = conn.backend();
    let rel = catalog
        .relations
        .get(relation)
        .ok_or_else(|| EngineError::other("that relation is gone from the catalog"))?;
    let (Some(child), Some(parent)) = (catalog.table(&rel.child), catalog.table(&rel.parent))
    else {
        return Err(EngineError::other(format!(
            "{} is gone from the catalog",
            rel.describe()
        )));
    };
    readable(child, parent).map_err(EngineError::other)?;
    let Some(condition) = orphan_condition(rel, child, parent, kind, backend) else {
        return Ok(Vec::new());
    };
    let keys = expr::key_columns(child, backend);
    let mut columns: Vec<String> = keys
        .iter()
        .map(|k| expr::cast_text(&expr::column_in(k, Some("c")), backend))
        .collect();
    columns.extend(
        rel.child_columns
            .iter()
            .map(|c| expr::cast_text(&format!("c.{}", quote_ident(c)), backend)),
    );
    let order: Vec<String> = keys.iter().map(|k| expr::column_in(k, Some("c"))).collect();
    let sql = format!(
        "SELECT {} FROM {} AS c WHERE {condition} ORDER BY {} LIMIT {}",
        columns.join(", "),
        child.name.quoted(),
        order.join(", "),
        limit.min(10_000)
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &child.name))?;
    Ok(found
        .iter()
        .map(|r| OrphanRow {
            key: (0..keys.len())
                .map(|i| r.text(i).unwrap_or_default())
                .collect(),
            refers_to: (0..rel.child_columns.len())
                .map(|i| r.text(keys.len() + i).unwrap_or_default())
                .collect(),
        })
        .collect())
}

/// The trashed parents of the soft orphans along one relation (at most `limit`, lowest
/// key first): what to restore so that their live children have a live parent again.
/// Returns the parent table and the parents' keys.
pub async fn soft_orphan_parents(
    conn: &mut DbConn,
    catalog: &Catalog,
    relation: usize,
    limit: usize,
) -> Result<(TableName, Vec<Vec<String>>), EngineError> {
    let backend = conn.backend();
    let rel = catalog
        .relations
        .get(relation)
        .ok_or_else(|| EngineError::other("that relation is gone from the catalog"))?;
    let (Some(child), Some(parent)) = (catalog.table(&rel.child), catalog.table(&rel.parent))
    else {
        return Err(EngineError::other(format!(
            "{} is gone from the catalog",
            rel.describe()
        )));
    };
    readable(child, parent).map_err(EngineError::other)?;
    let Some(parent_sd) = &parent.soft_delete else {
        return Ok((parent.name.clone(), Vec::new()));
    };
    let keys = expr::key_columns(parent, backend);
    let columns: Vec<String> = keys
        .iter()
        .map(|k| expr::cast_text(&expr::column_in(k, Some("p")), backend))
        .collect();
    let order: Vec<String> = keys.iter().map(|k| expr::column_in(k, Some("p"))).collect();
    let mut live_child = vec![join_on(rel, "c", "p")];
    if let Some(sd) = &child.soft_delete {
        let trashed = expr::trashed_in(sd, backend, Some("c"));
        live_child.push(format!("NOT COALESCE({trashed}, FALSE)"));
    }
    let sql = format!(
        "SELECT {} FROM {} AS p WHERE COALESCE({}, FALSE) \
         AND EXISTS (SELECT 1 FROM {} AS c WHERE {}) ORDER BY {} LIMIT {}",
        columns.join(", "),
        parent.name.quoted(),
        expr::trashed_in(parent_sd, backend, Some("p")),
        child.name.quoted(),
        live_child.join(" AND "),
        order.join(", "),
        limit.min(100_000)
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &parent.name))?;
    let parent_keys = found
        .iter()
        .map(|r| {
            (0..keys.len())
                .map(|i| r.text(i).unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((parent.name.clone(), parent_keys))
}

/// One orphan: its key, and the parent key it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanRow {
    pub key: Vec<String>,
    pub refers_to: Vec<String>,
}

fn readable(child: &TableInfo, parent: &TableInfo) -> Result<(), String> {
    for t in [child, parent] {
        if !t.can_select {
            return Err(format!("no permission to read {}", t.name.display()));
        }
    }
    Ok(())
}

fn stops_the_scan(e: &EngineError) -> bool {
    use crate::engine::error::ErrorKind;
    matches!(e.kind, ErrorKind::Cancelled | ErrorKind::Connection)
}

/// The condition on child alias `c` that makes it an orphan of `kind`; `None` for soft
/// orphans under a parent that does not soft-delete.
fn orphan_condition(
    rel: &Relation,
    child: &TableInfo,
    parent: &TableInfo,
    kind: OrphanKind,
    backend: Backend,
) -> Option<String> {
    if kind == OrphanKind::Hard {
        return Some(OrphanRelation::of(rel).hard_orphan("c"));
    }
    let parent_sd = parent.soft_delete.as_ref()?;
    // A NULL in any column of the relation means no relation at all (MATCH SIMPLE).
    let mut conditions: Vec<String> = rel
        .child_columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", quote_ident(c)))
        .collect();
    if let Some(sd) = &child.soft_delete {
        let trashed = expr::trashed_in(sd, backend, Some("c"));
        conditions.push(format!("NOT COALESCE({trashed}, FALSE)"));
    }
    let join = join_on(rel, "c", "p");
    let parent_name = parent.name.quoted();
    let trashed_parent = expr::trashed_in(parent_sd, backend, Some("p"));
    conditions.push(format!(
        "EXISTS (SELECT 1 FROM {parent_name} AS p WHERE {join} AND COALESCE({trashed_parent}, FALSE))"
    ));
    // A relation only the config knows may point at columns that are not unique: a
    // child with any live parent still has one.
    if !rel.declared {
        conditions.push(format!(
            "NOT EXISTS (SELECT 1 FROM {parent_name} AS p WHERE {join} \
             AND NOT COALESCE({trashed_parent}, FALSE))"
        ));
    }
    Some(conditions.join(" AND "))
}

async fn count_relation(
    conn: &mut DbConn,
    rel: &Relation,
    child: &TableInfo,
    parent: &TableInfo,
    options: &ScanOptions,
    cancel: &CancellationToken,
) -> Result<OrphanCounts, EngineError> {
    let backend = conn.backend();
    let started = Instant::now();
    let ranges = key_ranges(conn, child, options).await?;
    let mut counts = OrphanCounts {
        hard: 0,
        soft: parent.soft_delete.as_ref().map(|_| 0),
        took: Duration::ZERO,
    };
    for kind in [OrphanKind::Hard, OrphanKind::Soft] {
        let Some(condition) = orphan_condition(rel, child, parent, kind, backend) else {
            continue;
        };
        for range in &ranges {
            if cancel.is_cancelled() {
                return Err(EngineError::cancelled());
            }
            let mut binds = Binds::new(backend);
            let mut within = String::new();
            if let Some(column) = key_range_column(child) {
                let column = quote_ident(column);
                if let Some(lo) = range.0 {
                    within += &format!(
                        " AND c.{column} >= CAST({} AS BIGINT)",
                        binds.push(lo.to_string())
                    );
                }
                if let Some(hi) = range.1 {
                    within += &format!(
                        " AND c.{column} < CAST({} AS BIGINT)",
                        binds.push(hi.to_string())
                    );
                }
            }
            let sql = format!(
                "SELECT CAST(count(*) AS TEXT) FROM {} AS c WHERE {condition}{within}",
                child.name.quoted()
            );
            let n = rows::count(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &child.name))?;
            match kind {
                OrphanKind::Hard => counts.hard += n,
                OrphanKind::Soft => counts.soft = Some(counts.soft.unwrap_or(0) + n),
            }
        }
    }
    counts.took = started.elapsed();
    Ok(counts)
}

/// The single integer key column a table can be scanned by in ranges.
fn key_range_column(table: &TableInfo) -> Option<&str> {
    match table.key_columns().as_slice() {
        [only] if only.kind == ColumnKind::Integer => Some(&only.name),
        _ => None,
    }
}

/// The key ranges `[lo, hi)` to count in, each holding about `rows_per_statement` rows
/// and together covering every key (the first and last are open, so rows written since
/// the bounds were read are counted too): a single unbounded one for a small table or
/// one without a single integer key. Bounds come from the key's index, so sparse keys
/// make no more ranges than dense ones.
async fn key_ranges(
    conn: &mut DbConn,
    table: &TableInfo,
    options: &ScanOptions,
) -> Result<Vec<KeyRange>, EngineError> {
    let whole = vec![(None, None)];
    let Some(column) = key_range_column(table) else {
        return Ok(whole);
    };
    let backend = conn.backend();
    let column = quote_ident(column);
    let step = options.rows_per_statement.max(1);
    let mut ranges = Vec::new();
    let mut from: Option<i64> = None;
    loop {
        let mut binds = Binds::new(backend);
        let after = match from {
            Some(lo) => format!(
                " WHERE {column} >= CAST({} AS BIGINT)",
                binds.push(lo.to_string())
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {} FROM {}{after} ORDER BY {column} LIMIT 1 OFFSET {step}",
            expr::cast_text(&column, backend),
            table.name.quoted(),
        );
        let bound = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &table.name))?
            .first()
            .and_then(|r| r.int(0));
        // A bound that does not move on (a key the driver could not read back exactly)
        // ends the ranges with an open one rather than looping.
        let bound = bound.filter(|b| from.is_none_or(|lo| *b > lo));
        ranges.push((from, bound));
        match bound {
            Some(b) => from = Some(b),
            None => return Ok(ranges),
        }
    }
}

/// Inclusive lower and exclusive upper key bound; `None` is open.
type KeyRange = (Option<i64>, Option<i64>);
