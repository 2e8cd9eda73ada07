//! Missing-index advice for the tables a preview touches. Counting children, purging
//! parents (each delete checks its children by key) and listing the trash all scan
//! whole tables without these indexes; big deletes crawl because of it.

use std::collections::BTreeSet;

use super::paths::PathPlan;
use crate::db::Backend;
use crate::engine::catalog::{Catalog, Convention, Relation, SoftDelete, TableInfo};
use crate::engine::expr;
use crate::engine::sql::quote_ident;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexAdvice {
    pub table: String,
    /// Why the index matters, in one line.
    pub reason: String,
    /// The statement to create it, ready to review and run.
    pub create: String,
}

pub fn for_plan(catalog: &Catalog, root: &TableInfo, plan: &PathPlan) -> Vec<IndexAdvice> {
    let mut advice = Vec::new();
    let mut seen_relations = BTreeSet::new();
    let mut tables = vec![root];
    for path in &plan.paths {
        for &r in &path.relations {
            if !seen_relations.insert(r) {
                continue;
            }
            let relation = &catalog.relations[r];
            if let Some(child) = catalog.table(&relation.child) {
                if !tables.iter().any(|t| t.name == child.name) {
                    tables.push(child);
                }
                advice.extend(foreign_key(catalog.backend, child, relation));
            }
        }
    }
    for table in tables {
        advice.extend(soft_delete_column(catalog.backend, table));
        advice.extend(unique_over_trash(catalog.backend, table));
    }
    advice
}

fn index_name(table: &TableInfo, columns: &[String], suffix: &str) -> String {
    quote_ident(&format!(
        "{}_{}_{suffix}",
        table.name.name,
        columns.join("_")
    ))
}

fn create(backend: Backend, unique: bool) -> &'static str {
    match (backend, unique) {
        (Backend::Postgres, false) => "CREATE INDEX CONCURRENTLY",
        (Backend::Postgres, true) => "CREATE UNIQUE INDEX CONCURRENTLY",
        (Backend::Sqlite, false) => "CREATE INDEX",
        (Backend::Sqlite, true) => "CREATE UNIQUE INDEX",
    }
}

fn quoted_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The child's key columns need an index over all its rows: counts and the delete of a
/// parent look children up by these columns, trashed children included.
fn foreign_key(backend: Backend, child: &TableInfo, relation: &Relation) -> Option<IndexAdvice> {
    let columns = &relation.child_columns;
    let primary_leads = child.primary_key.len() >= columns.len()
        && columns
            .iter()
            .all(|c| child.primary_key[..columns.len()].contains(c));
    if primary_leads
        || child
            .indexes
            .iter()
            .any(|i| i.predicate.is_none() && i.leads_with(columns))
    {
        return None;
    }
    let partial = child
        .indexes
        .iter()
        .find(|i| i.leads_with(columns))
        .map(|i| {
            format!(
                "; index {} covers only rows where {}",
                i.name,
                i.predicate.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    Some(IndexAdvice {
        table: child.name.display(),
        reason: format!(
            "{}.{} has no index{partial}: counting and purging children scans the table",
            child.name,
            columns.join(",")
        ),
        create: format!(
            "{} {} ON {} ({})",
            create(backend, false),
            index_name(child, columns, "idx"),
            child.name.quoted(),
            quoted_list(columns)
        ),
    })
}

/// Listing and purging the trash filter on the soft-delete column; a partial index over
/// trashed rows stays small however big the live table is.
fn soft_delete_column(backend: Backend, table: &TableInfo) -> Option<IndexAdvice> {
    let sd = table.soft_delete.as_ref()?;
    let column = sd.time.as_ref().unwrap_or(&sd.marker);
    let serves = |name: &str| {
        table.indexes.iter().any(|i| {
            i.columns.first().is_some_and(|c| c == name)
                || i.predicate
                    .as_deref()
                    .is_some_and(|p| p.contains(name) && !covers_only_live(p))
        })
    };
    if serves(&sd.marker.name) || serves(&column.name) {
        return None;
    }
    Some(IndexAdvice {
        table: table.name.display(),
        reason: format!(
            "{}.{} has no index: the trash list and purges scan the whole table",
            table.name, column.name
        ),
        create: format!(
            "{} {} ON {} ({}) WHERE {}",
            create(backend, false),
            index_name(table, std::slice::from_ref(&column.name), "trash_idx"),
            table.name.quoted(),
            column.quoted(),
            expr::trashed(sd, backend)
        ),
    })
}

/// Whether a partial index's predicate selects live rows (`deleted_at IS NULL`,
/// `NOT is_deleted`, `deleted_at_ms = 0`), which does nothing for the trash.
fn covers_only_live(predicate: &str) -> bool {
    let p = predicate.to_ascii_lowercase();
    let negated_flag = p.contains("not ") && !p.contains("is not null");
    let null_is_live = p.contains("is null") && !p.contains("is not null");
    // `= 0` says live; `<> 0`, `!= 0`, `>= 0` and `<= 0` do not.
    let zero_is_live = p
        .match_indices("= 0")
        .any(|(at, _)| !p[..at].ends_with(['!', '<', '>']));
    negated_flag || null_is_live || zero_is_live
}

/// A unique index over all rows makes trashed rows hold their keys: a new row cannot
/// take a trashed row's email. Restricting it to live rows fits soft deletion. An index
/// that holds the deletion column itself (`UNIQUE (name, deleteat)`) already lets a live
/// row take a trashed row's name: no advice.
fn unique_over_trash(backend: Backend, table: &TableInfo) -> Vec<IndexAdvice> {
    let Some(sd) = table.soft_delete.as_ref() else {
        return Vec::new();
    };
    let deletion_columns: Vec<&str> = std::iter::once(sd.marker.name.as_str())
        .chain(sd.time.as_ref().map(|t| t.name.as_str()))
        .collect();
    table
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none() && !i.columns.is_empty())
        .filter(|i| i.columns != table.primary_key)
        .filter(|i| {
            !i.columns
                .iter()
                .any(|c| deletion_columns.contains(&c.as_str()))
        })
        .map(|i| IndexAdvice {
            table: table.name.display(),
            reason: format!(
                "unique index {} also holds trashed rows' keys: new rows cannot reuse them",
                i.name
            ),
            create: format!(
                "{} {} ON {} ({}) WHERE {}",
                create(backend, true),
                index_name(table, &i.columns, "live_key"),
                table.name.quoted(),
                quoted_list(&i.columns),
                live_rows(sd, backend)
            ),
        })
        .collect()
}

/// The predicate of a live-rows partial index, as short as the convention allows.
fn live_rows(sd: &SoftDelete, backend: Backend) -> String {
    match sd.convention {
        Convention::Timestamp => format!("{} IS NULL", sd.marker.quoted()),
        _ => format!("NOT ({})", expr::trashed(sd, backend)),
    }
}

#[cfg(test)]
mod tests {
    use super::{covers_only_live, unique_over_trash};
    use crate::db::Backend;
    use crate::engine::catalog::{
        ColumnInfo, ColumnKind, Convention, IndexInfo, SoftDelete, TableInfo,
    };
    use crate::engine::sql::TableName;

    #[test]
    fn unique_indexes_holding_the_deletion_column_need_no_advice() {
        let column = |name: &str, kind| ColumnInfo {
            name: name.into(),
            sql_type: "x".into(),
            kind,
            nullable: false,
        };
        let deleteat = column("deleteat", ColumnKind::Integer);
        let index = |name: &str, columns: &[&str]| IndexInfo {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            unique: true,
            predicate: None,
        };
        let emoji = TableInfo {
            name: TableName::new(None, "emoji"),
            columns: vec![
                column("id", ColumnKind::Text),
                column("name", ColumnKind::Text),
                deleteat.clone(),
            ],
            primary_key: vec!["id".into()],
            soft_delete: Some(SoftDelete {
                convention: Convention::EpochMillis,
                marker: deleteat.clone(),
                time: Some(deleteat),
                time_is_proxy: false,
                deleted_by: None,
                reason: None,
                token: None,
            }),
            estimated_rows: None,
            can_select: true,
            can_modify: true,
            display_columns: Vec::new(),
            retention_days: None,
            indexes: vec![
                index("name_deleteat", &["name", "deleteat"]),
                index("name_only", &["name"]),
            ],
            detection: Default::default(),
        };
        let advice = unique_over_trash(Backend::Postgres, &emoji);
        assert_eq!(advice.len(), 1, "{advice:?}");
        assert!(advice[0].reason.contains("name_only"));
    }

    #[test]
    fn tells_live_only_predicates_from_trash_ones() {
        for live in [
            "(deleted_at IS NULL)",
            "(NOT is_deleted)",
            "deleted_at_ms = 0",
        ] {
            assert!(covers_only_live(live), "{live}");
        }
        for trash in [
            "(deleted_at IS NOT NULL)",
            "is_deleted",
            "(deleted_at_ms <> 0)",
            "deleted_at_ms != 0",
        ] {
            assert!(!covers_only_live(trash), "{trash}");
        }
    }
}
