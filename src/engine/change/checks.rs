//! The conditions a restore must meet, checked set-based: one statement per unique index
//! and per foreign key for each chunk of rows, never one per row. The preview runs them
//! to show blockers; the write runs them again inside its transaction.

use std::collections::HashSet;

use super::keys::{KEYS_PER_STATEMENT, as_text, in_keys, split_row};
use super::state::{self, Role};
use super::{Blocker, TableChange};
use crate::db::{DbConn, rows};
use crate::engine::catalog::{Catalog, IndexInfo, TableInfo};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::sql::{Binds, TableName, quote_ident};

/// Collisions shown per index; the first few say enough.
const SHOWN_COLLISIONS: u64 = 20;

/// Unique keys that live rows hold and restoring `change`'s rows would duplicate.
/// Only indexes that restoring can newly violate are checked: partial ones (usually
/// `WHERE deleted_at IS NULL`) and ones that include a soft-delete column. A full
/// unique index already holds the trashed row's key, so it cannot newly collide.
pub async fn collisions(
    conn: &mut DbConn,
    catalog: &Catalog,
    change: &TableChange,
) -> Result<Vec<Blocker>, EngineError> {
    let backend = conn.backend();
    let Some(table) = catalog.table(&change.table) else {
        return Ok(Vec::new());
    };
    let keys: Vec<Vec<String>> = change.rows.iter().map(|r| r.key.clone()).collect();
    let mut blockers = Vec::new();
    for index in &table.indexes {
        let Some(on) = collision_join(table, change, index, backend) else {
            continue;
        };
        let live_rows = match &index.predicate {
            Some(predicate) => format!("(SELECT * FROM {} WHERE {predicate})", table.name.quoted()),
            None => table.name.quoted(),
        };
        let index_columns: Vec<_> = index
            .columns
            .iter()
            .filter_map(|c| table.column(c).cloned())
            .collect();
        let mut selected = as_text(&change.key_columns, Some("r"), backend);
        selected.extend(as_text(&change.key_columns, Some("l"), backend));
        selected.extend(as_text(&index_columns, Some("l"), backend));
        let not_itself: Vec<String> = change
            .key_columns
            .iter()
            .map(|c| format!("l.{0} = r.{0}", c.quoted()))
            .collect();
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let mut binds = Binds::new(backend);
            let on_sql = on(&mut binds);
            let sql = format!(
                "SELECT {} FROM {} AS r JOIN {live_rows} AS l ON {on_sql} AND NOT ({}) \
                 WHERE {} LIMIT {SHOWN_COLLISIONS}",
                selected.join(", "),
                table.name.quoted(),
                not_itself.join(" AND "),
                in_keys(Some("r"), &change.key_columns, chunk, &mut binds, backend)
            );
            let found = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &table.name))?;
            let k = change.key_columns.len();
            for row in &found {
                let (restored, rest) = split_row(row, k);
                let live: Vec<String> = rest[..k]
                    .iter()
                    .map(|v| v.clone().unwrap_or_default())
                    .collect();
                blockers.push(Blocker::Collision {
                    table: table.name.clone(),
                    index: index.name.clone(),
                    columns: index.columns.clone(),
                    values: rest[k..].to_vec(),
                    restored,
                    live,
                });
            }
        }
    }
    Ok(blockers)
}

type JoinBuilder<'a> = Box<dyn Fn(&mut Binds) -> String + Send + Sync + 'a>;

/// The join condition "the live row `l` holds the key the restored row `r` will hold",
/// or `None` when restoring cannot collide on this index.
fn collision_join<'a>(
    table: &'a TableInfo,
    change: &'a TableChange,
    index: &'a IndexInfo,
    backend: crate::db::Backend,
) -> Option<JoinBuilder<'a>> {
    if !index.unique || index.columns.is_empty() {
        return None;
    }
    let mut key_names: Vec<&String> = table.primary_key.iter().collect();
    let mut index_names: Vec<&String> = index.columns.iter().collect();
    key_names.sort();
    index_names.sort();
    if key_names == index_names {
        return None;
    }
    let touches_state = index
        .columns
        .iter()
        .any(|c| change.state_columns.iter().any(|s| &s.column.name == c));
    if index.predicate.is_none() && !touches_state {
        return None;
    }
    // A restored row's state columns take their live values; NULL never collides.
    let live = state::live_values(
        change.convention,
        &change.state_columns,
        &vec![None; change.state_columns.len()],
        backend,
    );
    let mut parts = Vec::new();
    for name in &index.columns {
        let state_column = change
            .state_columns
            .iter()
            .position(|s| &s.column.name == name)
            .filter(|&i| {
                let c = &change.state_columns[i];
                c.role == Role::Marker || c.column.nullable
            });
        match state_column {
            Some(i) => match &live[i] {
                None => return None,
                Some(value) => parts.push(Part::Takes(i, value.clone())),
            },
            None => parts.push(Part::Keeps(quote_ident(name))),
        }
    }
    Some(Box::new(move |binds: &mut Binds| {
        parts
            .iter()
            .map(|part| match part {
                Part::Keeps(column) => format!("l.{column} = r.{column}"),
                Part::Takes(i, value) => {
                    let column = &change.state_columns[*i].column;
                    format!(
                        "{} = {}",
                        expr::column_in(column, Some("l")),
                        column.cast_bind(backend, &binds.push(value.clone()))
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }))
}

/// One column of a unique index, as a restored row will hold it.
enum Part {
    /// A column the restore leaves alone: compare with the restored row's value.
    Keeps(String),
    /// A state column the restore sets: compare with the value it sets.
    Takes(usize, String),
}

/// Trashed parents of `change`'s rows that the change does not restore, one statement
/// per foreign key (and chunk). Returns, per relation, the parent table, the relation
/// index and the parents' keys with their state.
pub async fn trashed_parents(
    conn: &mut DbConn,
    catalog: &Catalog,
    change: &TableChange,
    restored: &(dyn Fn(&TableName, &[String]) -> bool + Sync),
) -> Result<Vec<ParentHits>, EngineError> {
    let backend = conn.backend();
    let keys: Vec<Vec<String>> = change.rows.iter().map(|r| r.key.clone()).collect();
    let mut hits = Vec::new();
    for (index, relation) in catalog.relations.iter().enumerate() {
        if relation.child != change.table {
            continue;
        }
        let Some(parent) = catalog.table(&relation.parent) else {
            continue;
        };
        let Some(sd) = &parent.soft_delete else {
            continue;
        };
        if !parent.can_select {
            continue;
        }
        let parent_keys = expr::key_columns(parent, backend);
        let state_columns: Vec<_> = state::state_columns(parent, sd)
            .into_iter()
            .map(|s| s.column)
            .collect();
        let mut selected = as_text(&change.key_columns, Some("c"), backend);
        selected.extend(as_text(&parent_keys, Some("p"), backend));
        selected.extend(as_text(&state_columns, Some("p"), backend));
        let on: Vec<String> = relation
            .child_columns
            .iter()
            .zip(&relation.parent_columns)
            .map(|(c, p)| format!("c.{} = p.{}", quote_ident(c), quote_ident(p)))
            .collect();
        let mut seen = HashSet::new();
        let mut parents = Vec::new();
        let mut children = Vec::new();
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let mut binds = Binds::new(backend);
            let sql = format!(
                "SELECT DISTINCT {} FROM {} AS c JOIN {} AS p ON {} WHERE {} AND {}",
                selected.join(", "),
                change.table.quoted(),
                parent.name.quoted(),
                on.join(" AND "),
                in_keys(Some("c"), &change.key_columns, chunk, &mut binds, backend),
                expr::trashed_in(sd, backend, Some("p"))
            );
            let found = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &parent.name))?;
            for row in &found {
                let (child, rest) = split_row(row, change.key_columns.len());
                let key: Vec<String> = rest[..parent_keys.len()]
                    .iter()
                    .map(|v| v.clone().unwrap_or_default())
                    .collect();
                if restored(&parent.name, &key) {
                    continue;
                }
                children.push(child);
                if seen.insert(key.clone()) {
                    parents.push((key, rest[parent_keys.len()..].to_vec()));
                }
            }
        }
        if !parents.is_empty() {
            hits.push(ParentHits {
                relation: index,
                parent: parent.name.clone(),
                child: change.table.clone(),
                children,
                rows: parents,
            });
        }
    }
    Ok(hits)
}

/// Trashed parent rows found along one relation.
pub struct ParentHits {
    pub relation: usize,
    pub parent: TableName,
    /// Keys and state columns.
    pub rows: Vec<(Vec<String>, Vec<Option<String>>)>,
    pub child: TableName,
    /// The keys of the rows under those parents.
    pub children: Vec<Vec<String>>,
}

/// A blocker per relation with trashed parents.
pub fn ancestor_blockers(catalog: &Catalog, hits: &[ParentHits]) -> Vec<Blocker> {
    hits.iter()
        .map(|h| Blocker::TrashedAncestor {
            table: h.parent.clone(),
            relation: catalog
                .relations
                .get(h.relation)
                .map(|r| r.describe())
                .unwrap_or_default(),
            keys: h.rows.iter().take(5).map(|(k, _)| k.clone()).collect(),
            rows: h.rows.len() as u64,
        })
        .collect()
}
