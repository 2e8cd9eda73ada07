//! Soft orphans moved to trash *with their parent's deletion group*: each live child of a
//! trashed parent (and the live rows under it) is trashed with the parent's own stamp —
//! its time, author, reason and token — so restoring the parent later brings the child
//! back with it, as if they had been trashed together. The preview carries each row's
//! state to write; the usual transaction re-checks and audits it.

use std::collections::{BTreeMap, HashSet};

use super::state::{Stamp, token_from_hex, trashed_values};
use super::{ChangeOptions, ChangePreview, TableChange, plan_trash};
use crate::db::{DbConn, rows};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::{MAX_SELECTED_ROWS, join_on};

/// Distinct parent stamps handled in one preview (each is one walk of the graph).
const MAX_GROUPS: usize = 200;

/// The move-to-trash preview for the soft orphans along catalog relation `relation`,
/// each row stamped as its parent was. `actor` stands in for a parent that records no
/// author.
pub async fn plan_trash_with_parents(
    conn: &mut DbConn,
    catalog: &Catalog,
    relation: usize,
    options: &ChangeOptions,
    actor: &str,
) -> Result<ChangePreview, EngineError> {
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
    let (Some(child_sd), Some(parent_sd)) = (&child.soft_delete, &parent.soft_delete) else {
        return Err(EngineError::other(format!(
            "{}: both tables must soft-delete to share a deletion group",
            rel.describe()
        )));
    };
    let keys = expr::key_columns(child, backend);
    let mut columns: Vec<String> = keys
        .iter()
        .map(|k| expr::cast_text(&expr::column_in(k, Some("c")), backend))
        .collect();
    columns.push(expr::cast_text(
        &expr::deleted_epoch_in(parent_sd, backend, Some("p")),
        backend,
    ));
    for name in [&parent_sd.deleted_by, &parent_sd.reason, &parent_sd.token] {
        columns.push(optional_text(parent, name.as_deref(), backend));
    }
    let child_trashed = expr::trashed_in(child_sd, backend, Some("c"));
    let mut conditions: Vec<String> = rel
        .child_columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", crate::engine::sql::quote_ident(c)))
        .collect();
    conditions.push(format!("NOT COALESCE({child_trashed}, FALSE)"));
    conditions.push(format!(
        "COALESCE({}, FALSE)",
        expr::trashed_in(parent_sd, backend, Some("p"))
    ));
    let order: Vec<String> = keys.iter().map(|k| expr::column_in(k, Some("c"))).collect();
    let sql = format!(
        "SELECT {} FROM {} AS c JOIN {} AS p ON {} WHERE {} ORDER BY {} LIMIT {}",
        columns.join(", "),
        child.name.quoted(),
        parent.name.quoted(),
        join_on(rel, "c", "p"),
        conditions.join(" AND "),
        order.join(", "),
        MAX_SELECTED_ROWS
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &child.name))?;

    // Children grouped by their parent's stamp; a child under several parents (a
    // relation only the config knows) goes with the first.
    let mut seen = HashSet::new();
    let mut groups: BTreeMap<(String, String, String, String), Vec<Vec<String>>> = BTreeMap::new();
    for r in &found {
        let key: Vec<String> = (0..keys.len())
            .map(|i| r.text(i).unwrap_or_default())
            .collect();
        if !seen.insert(key.clone()) {
            continue;
        }
        let n = keys.len();
        let stamp = (
            r.text(n).unwrap_or_default(),
            r.text(n + 1).unwrap_or_default(),
            r.text(n + 2).unwrap_or_default(),
            r.text(n + 3).unwrap_or_default(),
        );
        groups.entry(stamp).or_default().push(key);
    }
    if groups.len() > MAX_GROUPS {
        return Err(EngineError::other(format!(
            "the soft orphans of {} hang off {} differently trashed parents, more than {MAX_GROUPS} \
             in one step; restore some parents first, or trash the children with `d`",
            rel.describe(),
            groups.len()
        )));
    }

    let mut merged: Option<ChangePreview> = None;
    let mut placed: HashSet<(String, Vec<String>)> = HashSet::new();
    for ((epoch, by, reason, token), children) in groups {
        let Ok(epoch_seconds) = epoch.trim().parse::<f64>() else {
            // A parent that records no deletion time has no group to join.
            continue;
        };
        let stamp = Stamp {
            epoch_seconds,
            actor: Some(by)
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| actor.to_owned()),
            reason: Some(reason).filter(|r| !r.is_empty()),
            token: Some(token).filter(|t| !t.is_empty()).unwrap_or_else(|| {
                token_from_hex(&format!("{:032x}", (epoch_seconds * 1e6) as u128))
            }),
        };
        let mut preview = plan_trash(conn, catalog, &child.name, &children, options).await?;
        for table in &mut preview.change.tables {
            stamp_rows(table, &stamp, backend, &mut placed);
        }
        merged = Some(match merged {
            None => preview,
            Some(mut all) => {
                merge(&mut all, preview);
                all
            }
        });
    }
    merged.ok_or_else(|| EngineError::other(format!("no soft orphans along {}", rel.describe())))
}

/// A parent's optional state column as text, or NULL when the table has none.
fn optional_text(table: &TableInfo, name: Option<&str>, backend: crate::db::Backend) -> String {
    match name.and_then(|n| table.column(n)) {
        Some(column) => expr::cast_text(&expr::column_in(column, Some("p")), backend),
        None => "NULL".to_owned(),
    }
}

/// Gives every row not placed yet the state `stamp` writes; drops rows an earlier group
/// already took.
fn stamp_rows(
    table: &mut TableChange,
    stamp: &Stamp,
    backend: crate::db::Backend,
    placed: &mut HashSet<(String, Vec<String>)>,
) {
    let name = table.table.to_string();
    let convention = table.convention;
    let columns = table.state_columns.clone();
    table.rows.retain_mut(|row| {
        if !placed.insert((name.clone(), row.key.clone())) {
            return false;
        }
        row.after = Some(trashed_values(
            convention,
            &columns,
            &row.before,
            stamp,
            backend,
        ));
        true
    });
}

fn merge(all: &mut ChangePreview, next: ChangePreview) {
    for table in next.change.tables {
        match all
            .change
            .tables
            .iter_mut()
            .find(|t| t.table == table.table)
        {
            Some(existing) => existing.rows.extend(table.rows),
            None => all.change.tables.push(table),
        }
    }
    all.blockers.extend(next.blockers);
    all.skipped += next.skipped;
    for (table, rows) in next.left_alone {
        match all.left_alone.iter_mut().find(|(t, _)| *t == table) {
            Some((_, n)) => *n += rows,
            None => all.left_alone.push((table, rows)),
        }
    }
    if all.incomplete.is_none() {
        all.incomplete = next.incomplete;
    }
}
