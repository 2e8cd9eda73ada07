//! Following relations row by row where paths stop: a path takes each relation once, so
//! a self-reference (replies to replies) or a cycle of keys ends after one lap. A change
//! must take the whole thread, so from the rows it already holds it follows the
//! relations again, a level per round, until no new row turns up.

use super::ChangeKind;
use super::keys::{KEYS_PER_STATEMENT, as_text, in_keys, split_row};
use super::state;
use crate::db::{DbConn, rows};
use crate::engine::catalog::FkAction;
use crate::engine::error::EngineError;
use crate::engine::related::{PathSql, join_on};
use crate::engine::sql::{Binds, TableName};

/// Rows found one relation below some parent rows: key, state columns, and whether the
/// row belongs in the change (in the parent's deletion group, or live).
pub struct Children {
    pub table: TableName,
    pub rows: Vec<(Vec<String>, Vec<Option<String>>, bool)>,
}

/// The rows under `parents` (keys of the relation's parent table) along `relation`:
/// trashed ones for a restore, flagged when in the parent's group; live ones for a move
/// to trash, flagged unless the change leaves them as they are (their table does not
/// soft-delete, or the key detaches them). `None` when the relation leads nowhere a
/// change need look.
pub async fn children(
    conn: &mut DbConn,
    sql: &PathSql<'_>,
    relation: usize,
    parents: &[Vec<String>],
    kind: ChangeKind,
) -> Result<Option<Children>, EngineError> {
    let catalog = sql.catalog;
    let backend = sql.backend;
    let Some(rel) = catalog.relations.get(relation) else {
        return Ok(None);
    };
    let (Some(parent), Some(child)) = (catalog.table(&rel.parent), catalog.table(&rel.child))
    else {
        return Ok(None);
    };
    let detaches = matches!(rel.on_delete, FkAction::SetNull | FkAction::SetDefault);
    // A table without a primary key is still read (by its physical row id), so a change
    // that reaches into it can refuse instead of leaving its rows behind.
    if !child.can_select || (kind == ChangeKind::Restore && child.soft_delete.is_none()) {
        return Ok(None);
    }
    let parent_keys = crate::engine::expr::key_columns(parent, backend);
    let child_keys = crate::engine::expr::key_columns(child, backend);
    let state_columns: Vec<_> = child
        .soft_delete
        .as_ref()
        .map(|sd| state::state_columns(child, sd))
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.column)
        .collect();
    let mut selected = as_text(&child_keys, Some("c"), backend);
    selected.extend(as_text(&state_columns, Some("c"), backend));
    let (condition, flag) = match (kind, &child.soft_delete) {
        (ChangeKind::Restore, Some(sd)) => (
            crate::engine::expr::trashed_in(sd, backend, Some("c")),
            sql.same_group(parent, "p", child, "c", &sql.window()),
        ),
        (ChangeKind::Trash, Some(_)) if !detaches => (sql.live(child, "c"), "1 = 1".to_owned()),
        // Live rows a move to trash leaves as they are: reported, never followed.
        _ => (sql.live(child, "c"), "1 = 0".to_owned()),
    };
    selected.push(format!("CASE WHEN {flag} THEN '1' ELSE '0' END"));
    let mut found = Vec::new();
    for chunk in parents.chunks(KEYS_PER_STATEMENT) {
        let mut binds = Binds::new(backend);
        let statement = format!(
            "SELECT DISTINCT {} FROM {} AS p JOIN {} AS c ON {} WHERE {} AND {condition}",
            selected.join(", "),
            parent.name.quoted(),
            child.name.quoted(),
            join_on(rel, "c", "p"),
            in_keys(Some("p"), &parent_keys, chunk, &mut binds, backend),
        );
        let rows = rows::query(conn, &statement, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &child.name))?;
        for row in &rows {
            let (key, mut values) = split_row(row, child_keys.len());
            let flagged = values.pop().flatten().as_deref() == Some("1");
            found.push((key, values, flagged));
        }
    }
    Ok(Some(Children {
        table: child.name.clone(),
        rows: found,
    }))
}
