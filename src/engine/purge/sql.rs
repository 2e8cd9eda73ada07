//! SQL pieces the purge engine shares: where its bookkeeping lives, how a row's key is
//! written into the frozen set and read back, the cutoff test in each convention's own
//! type, and the guard that keeps a row whose children are still there.

use crate::db::Backend;
use crate::engine::catalog::{
    Catalog, ColumnInfo, Convention, FkAction, Relation, SoftDelete, TableInfo,
};
use crate::engine::change::state::time_text;
use crate::engine::expr;
use crate::engine::purge::PlannedTable;
use crate::engine::sql::{TableName, quote_ident};

pub fn jobs_table(backend: Backend) -> TableName {
    match backend {
        Backend::Postgres => TableName::new(Some("trashcan"), "purge_jobs"),
        Backend::Sqlite => TableName::new(None, "trashcan_purge_jobs"),
    }
}

pub fn rows_table(backend: Backend) -> TableName {
    match backend {
        Backend::Postgres => TableName::new(Some("trashcan"), "purge_rows"),
        Backend::Sqlite => TableName::new(None, "trashcan_purge_rows"),
    }
}

/// The key of the row under `alias` as the JSON array text the frozen set stores.
pub fn encode_key(keys: &[ColumnInfo], alias: &str, backend: Backend) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| expr::cast_text(&expr::column_in(k, Some(alias)), backend))
        .collect();
    match backend {
        Backend::Postgres => format!("CAST(json_build_array({}) AS text)", parts.join(", ")),
        Backend::Sqlite => format!("json_array({})", parts.join(", ")),
    }
}

/// Key column `index` read back from the stored JSON `key` expression, in its own type.
pub fn decode_key(column: &ColumnInfo, key: &str, index: usize, backend: Backend) -> String {
    let raw = match backend {
        Backend::Postgres => format!("(CAST({key} AS json) ->> {index})"),
        Backend::Sqlite => format!("json_extract({key}, '$[{index}]')"),
    };
    column.cast_bind(backend, &raw)
}

/// `alias`'s key equals the stored key `key`, column by column.
pub fn key_matches(keys: &[ColumnInfo], alias: &str, key: &str, backend: Backend) -> String {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            format!(
                "{} = {}",
                expr::column_in(k, Some(alias)),
                decode_key(k, key, i, backend)
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// What a root of `planned` must still be when its batch comes: a hard orphan (orphan
/// purges), else trashed before the table's cutoff; `None` when the table has no roots.
pub fn root_condition(
    planned: &PlannedTable,
    sd: &SoftDelete,
    alias: &str,
    backend: Backend,
) -> Option<String> {
    match &planned.orphans_of {
        Some(relation) => Some(relation.hard_orphan(alias)),
        None if planned.age_ignored => Some(expr::trashed_in(sd, backend, Some(alias))),
        None => planned
            .cutoff_epoch
            .and_then(|cutoff| trashed_before(sd, alias, cutoff, backend)),
    }
}

/// What a descendant of `planned` must still be when its batch comes: trashed, and
/// trashed before the cutoff the plan held it to (so a row restored and trashed again
/// since the plan is now too young to go).
pub fn descendant_condition(
    planned: &PlannedTable,
    sd: &SoftDelete,
    alias: &str,
    backend: Backend,
) -> String {
    planned
        .descendants_before
        .and_then(|cutoff| trashed_before(sd, alias, cutoff, backend))
        .unwrap_or_else(|| expr::trashed_in(sd, backend, Some(alias)))
}

/// What a row of the set under `alias` must still be when its delete comes, read with
/// its entry `entry` of the set (its `round` and `live`): a root still a root, a
/// descendant still trashed (before its cutoff); a row live when planned is in by the
/// operator's choice.
pub fn still_due(
    planned: &PlannedTable,
    sd: &SoftDelete,
    alias: &str,
    entry: &str,
    backend: Backend,
) -> String {
    let trashed = descendant_condition(planned, sd, alias, backend);
    let due = match root_condition(planned, sd, alias, backend) {
        Some(root) => {
            format!("(({entry}.round > 0 AND {trashed}) OR ({entry}.round = 0 AND {root}))")
        }
        None => trashed,
    };
    format!("({entry}.live OR {due})")
}

/// Trashed before the cutoff, compared in the time column's own type so its index can
/// serve; `None` when the table records no deletion time.
pub fn trashed_before(
    sd: &SoftDelete,
    alias: &str,
    cutoff_epoch: f64,
    backend: Backend,
) -> Option<String> {
    let time = sd.time.as_ref()?;
    let column = expr::column_in(time, Some(alias));
    let bound = match sd.convention {
        Convention::EpochMillis => format!("{}", (cutoff_epoch * 1000.0) as i64),
        Convention::EpochSeconds => format!("{}", cutoff_epoch as i64),
        Convention::Timestamp | Convention::Flag => {
            let text = time_text(
                time,
                cutoff_epoch,
                backend,
                sd.convention == Convention::Flag,
            );
            // A literal of the engine's own making (digits, dashes, colons), never user text.
            time.cast_bind(backend, &format!("'{text}'"))
        }
    };
    Some(format!(
        "{} AND {column} < {bound}",
        expr::trashed_in(sd, backend, Some(alias))
    ))
}

/// Whether deleting a parent along `relation` deletes or detaches children by itself, so
/// the purge neither expands into them nor waits for them.
pub fn handled_by_database(catalog: &Catalog, relation: usize) -> bool {
    let rel = &catalog.relations[relation];
    match rel.on_delete {
        FkAction::SetNull | FkAction::SetDefault => rel.declared,
        FkAction::Cascade => {
            rel.declared
                && catalog
                    .table(&rel.child)
                    .is_some_and(|t| t.soft_delete.is_none())
        }
        FkAction::NoAction | FkAction::Restrict => false,
    }
}

/// Whether the database itself refuses, at the end of the statement, to delete a parent
/// that still has a child along `relation`: a declared key that neither cascades nor
/// waits for the commit.
pub fn refused_by_database(catalog: &Catalog, relation: usize) -> bool {
    let rel = &catalog.relations[relation];
    rel.declared
        && !rel.deferrable
        && matches!(rel.on_delete, FkAction::NoAction | FkAction::Restrict)
}

/// Which child relations a delete must test itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guards {
    /// Every relation the database does not handle itself.
    Every,
    /// Only those the database would not refuse by itself either: a batch that meets a
    /// child along the others fails as a whole (and is retried with `Every`), so the
    /// common case skips a probe per row and relation that the key's trigger repeats.
    Unenforced,
}

/// For a table whose own declared key points at itself (replies, versions, successors),
/// the condition that no child hangs off the row under `alias` outside the batch `batch`
/// (its `key` column): a child in the batch goes in the same statement, so a chain
/// walked children first goes whole, and a row whose child lies beyond the batch waits
/// for a later pass instead of the database refusing the batch. Should a child in the
/// batch stay after all (kept by another test), the database's own key still refuses
/// the statement, and the batch is retried testing every child.
pub fn no_children_beyond_batch(
    catalog: &Catalog,
    table: &TableInfo,
    alias: &str,
    batch: &str,
    backend: Backend,
) -> Vec<String> {
    if table.primary_key.is_empty() {
        return Vec::new();
    }
    let keys: Vec<ColumnInfo> = expr::key_columns(table, backend);
    catalog
        .relations
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            r.parent == table.name && r.child == table.name && refused_by_database(catalog, *i)
        })
        .map(|(_, r)| {
            let mut on = children_along(r, table, alias);
            on.push(format!(
                "NOT EXISTS (SELECT 1 FROM {batch} AS o WHERE {})",
                key_matches(&keys, "c", "o.key", backend)
            ));
            format!(
                "NOT EXISTS (SELECT 1 FROM {} AS c WHERE {})",
                table.name.quoted(),
                on.join(" AND ")
            )
        })
        .collect()
}

/// The condition that no child still hangs off the row under `alias` along any relation
/// the database does not handle itself: a row whose child was restored, or live all
/// along, is never deleted, so no commit leaves a child without its parent.
pub fn no_children(
    catalog: &Catalog,
    table: &TableInfo,
    alias: &str,
    guards: Guards,
) -> Vec<String> {
    catalog
        .relations
        .iter()
        .enumerate()
        .filter(|(i, r)| r.parent == table.name && !handled_by_database(catalog, *i))
        .filter(|(i, _)| guards == Guards::Every || !refused_by_database(catalog, *i))
        .filter_map(|(_, r)| {
            let child = catalog.table(&r.child)?;
            Some(format!(
                "NOT EXISTS (SELECT 1 FROM {} AS c WHERE {})",
                child.name.quoted(),
                children_along(r, table, alias).join(" AND ")
            ))
        })
        .collect()
}

/// The conditions that the row `c` is a child along `relation` of the row under
/// `alias` (of `table`). A row pointing at itself (a tree's root, often) is not its
/// own child, so it does not keep itself.
fn children_along(relation: &Relation, table: &TableInfo, alias: &str) -> Vec<String> {
    let mut on: Vec<String> = relation
        .child_columns
        .iter()
        .zip(&relation.parent_columns)
        .map(|(c, p)| format!("c.{} = {alias}.{}", quote_ident(c), quote_ident(p)))
        .collect();
    if relation.child == relation.parent && !table.primary_key.is_empty() {
        let same: Vec<String> = table
            .primary_key
            .iter()
            .map(|k| format!("c.{} = {alias}.{}", quote_ident(k), quote_ident(k)))
            .collect();
        on.push(format!("NOT ({})", same.join(" AND ")));
    }
    on
}
