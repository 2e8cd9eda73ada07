//! How well a relation the schema only implies fits its data: how many child rows find
//! their parent, how many point at no row, and how many point nowhere at all (NULL, the
//! empty string, 0: what applications without keys write for "none").

use crate::db::{DbConn, rows};
use crate::engine::catalog::{Catalog, Relation};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MatchCounts {
    pub rows: u64,
    /// The parent row exists.
    pub matched: u64,
    /// A value no parent row has: a hard orphan, were the relation declared.
    pub unmatched: u64,
    /// NULL, '' or 0.
    pub empty: u64,
}

/// One statement over the child table.
pub async fn match_counts(
    conn: &mut DbConn,
    catalog: &Catalog,
    relation: &Relation,
) -> Result<MatchCounts, EngineError> {
    let backend = conn.backend();
    let (Some(child), Some(parent)) = (
        catalog.table(&relation.child),
        catalog.table(&relation.parent),
    ) else {
        return Err(EngineError::other(format!(
            "unknown table in {}",
            relation.describe()
        )));
    };
    let empty: Vec<String> = relation
        .child_columns
        .iter()
        .filter_map(|c| child.column(c))
        .map(|c| {
            let value = expr::column_in(c, Some("c"));
            format!(
                "({value} IS NULL OR {} IN ('', '0'))",
                expr::cast_text(&value, backend)
            )
        })
        .collect();
    if empty.len() != relation.child_columns.len() {
        return Err(EngineError::other(format!(
            "a column of {} is gone",
            relation.describe()
        )));
    }
    let empty = empty.join(" OR ");
    let text = |e: &str| expr::cast_text(e, backend);
    let sql = format!(
        "SELECT {}, {}, {} FROM {} AS c",
        text("count(*)"),
        text(&format!(
            "COALESCE(sum(CASE WHEN {empty} THEN 1 ELSE 0 END), 0)"
        )),
        text(&format!(
            "COALESCE(sum(CASE WHEN NOT ({empty}) AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {}) \
             THEN 1 ELSE 0 END), 0)",
            parent.name.quoted(),
            join_on(relation, "c", "p")
        )),
        child.name.quoted(),
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &child.name))?;
    let row = found
        .first()
        .ok_or_else(|| EngineError::other("no count returned"))?;
    let n = |i| row.int(i).unwrap_or(0).max(0) as u64;
    let (rows, empty, unmatched) = (n(0), n(1), n(2));
    Ok(MatchCounts {
        rows,
        matched: rows.saturating_sub(empty + unmatched),
        unmatched,
        empty,
    })
}
