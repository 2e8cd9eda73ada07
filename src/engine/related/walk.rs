//! The part of the relation graph a closure walks below the selected table, and how a
//! row of it travels as a tagged tuple: its table, its key as text, its deletion epoch,
//! token and state, and whether it is in the selection's deletion group.

use std::collections::{BTreeSet, VecDeque};

use crate::db::Backend;
use crate::engine::catalog::{Catalog, ColumnInfo, FkAction, Relation, TableInfo};
use crate::engine::expr;
use crate::engine::sql::TableName;

/// The part of the graph below the selected table that the closure walks.
pub(super) struct Walk<'a> {
    pub(super) catalog: &'a Catalog,
    /// Tables in the closure, the selected table first; a table's number is its place.
    pub(super) tables: Vec<&'a TableInfo>,
    /// For each table, the columns its tuple carries: its key, then every column a
    /// followed relation's child key points at.
    pub(super) carried: Vec<Vec<ColumnInfo>>,
    /// Relations followed (parent and child both in `tables`), by catalog index.
    pub(super) followed: Vec<usize>,
    /// Relations that detach their children instead (`SET NULL`/`SET DEFAULT`).
    pub(super) detaching: Vec<usize>,
    pub(super) partial: Vec<String>,
}

fn detaches(relation: &Relation) -> bool {
    relation.declared && matches!(relation.on_delete, FkAction::SetNull | FkAction::SetDefault)
}

impl<'a> Walk<'a> {
    pub(super) fn new(catalog: &'a Catalog, root: &'a TableInfo, backend: Backend) -> Self {
        let mut walk = Walk {
            catalog,
            tables: vec![root],
            carried: Vec::new(),
            followed: Vec::new(),
            detaching: Vec::new(),
            partial: Vec::new(),
        };
        let mut queue = VecDeque::from([root.name.clone()]);
        let mut seen: BTreeSet<(usize, bool)> = BTreeSet::new();
        while let Some(parent) = queue.pop_front() {
            for &index in catalog.graph.child_relations(&parent) {
                let relation = &catalog.relations[index];
                let Some(child) = catalog.table(&relation.child) else {
                    continue;
                };
                if !child.can_select {
                    let note = format!("no permission to read {}", child.name.display());
                    if !walk.partial.contains(&note) {
                        walk.partial.push(note);
                    }
                    continue;
                }
                let detach = detaches(relation);
                if !seen.insert((index, detach)) {
                    continue;
                }
                if detach {
                    walk.detaching.push(index);
                    continue;
                }
                walk.followed.push(index);
                if walk.number(&child.name).is_none() {
                    walk.tables.push(child);
                    queue.push_back(child.name.clone());
                }
            }
        }
        walk.carried = walk
            .tables
            .iter()
            .map(|t| {
                let mut columns = expr::key_columns(t, backend);
                for &index in walk.followed.iter().chain(&walk.detaching) {
                    let relation = &catalog.relations[index];
                    if relation.parent != t.name {
                        continue;
                    }
                    for name in &relation.parent_columns {
                        if !columns.iter().any(|c| &c.name == name)
                            && let Some(column) = t.column(name)
                        {
                            columns.push(column.clone());
                        }
                    }
                }
                columns
            })
            .collect();
        walk
    }

    pub(super) fn number(&self, table: &TableName) -> Option<usize> {
        self.tables.iter().position(|t| &t.name == table)
    }

    /// The tuple columns of a row of table `n` under `alias`, as the CTE lists them.
    pub(super) fn tuple(&self, n: usize, alias: &str, backend: Backend) -> Vec<String> {
        let table = self.tables[n];
        let text = |e: String| expr::cast_text(&e, backend);
        let (epoch, token, trashed) = match &table.soft_delete {
            Some(sd) => (
                format!(
                    "CASE WHEN {} THEN {} END",
                    expr::trashed_in(sd, backend, Some(alias)),
                    expr::deleted_epoch_in(sd, backend, Some(alias))
                ),
                sd.token.as_ref().map_or("NULL".to_owned(), |t| {
                    text(format!("{alias}.{}", crate::engine::sql::quote_ident(t)))
                }),
                format!(
                    "CASE WHEN {} THEN 1 ELSE 0 END",
                    expr::trashed_in(sd, backend, Some(alias))
                ),
            ),
            None => ("NULL".to_owned(), "NULL".to_owned(), "0".to_owned()),
        };
        vec![
            n.to_string(),
            encode(&self.carried[n], alias, backend),
            format!("CAST({epoch} AS DOUBLE PRECISION)"),
            text(token),
            trashed,
        ]
    }

    /// `c` (of the relation's child) was trashed together with the reached parent `p`:
    /// the same token where both tables keep one, else deletion times within `window`.
    fn same_group(&self, relation: &Relation, window: &str, backend: Backend) -> String {
        let parent = self.catalog.table(&relation.parent);
        let child = self.catalog.table(&relation.child);
        let (Some(psd), Some(csd)) = (
            parent.and_then(|t| t.soft_delete.as_ref()),
            child.and_then(|t| t.soft_delete.as_ref()),
        ) else {
            return "1 = 0".into();
        };
        let trashed = expr::trashed_in(csd, backend, Some("c"));
        if let (Some(_), Some(ct)) = (&psd.token, &csd.token) {
            let token = expr::cast_text(
                &format!("c.{}", crate::engine::sql::quote_ident(ct)),
                backend,
            );
            return format!("{trashed} AND {token} = p.trashcan_tok");
        }
        if psd.time.is_none() || csd.time.is_none() {
            return "1 = 0".into();
        }
        let epoch = expr::deleted_epoch_in(csd, backend, Some("c"));
        format!("{trashed} AND abs({epoch} - p.trashcan_e) <= {window}")
    }

    /// The rows one relation adds below the reached rows `p`: the select list, the
    /// child table, and the conditions (which name `p`).
    pub(super) fn step(&self, index: usize, window: &str, backend: Backend) -> Option<Step> {
        let relation = &self.catalog.relations[index];
        let parent = self.number(&relation.parent)?;
        let child = self.number(&relation.child)?;
        let on: Vec<String> = relation
            .child_columns
            .iter()
            .zip(&relation.parent_columns)
            .map(|(c, p)| {
                let carried = &self.carried[parent];
                let at = carried.iter().position(|k| &k.name == p)?;
                Some(format!(
                    "c.{} = {}",
                    crate::engine::sql::quote_ident(c),
                    decode(carried, at, "p.trashcan_k", backend)
                ))
            })
            .collect::<Option<_>>()?;
        let mut tuple = self.tuple(child, "c", backend);
        tuple.push(format!(
            "CASE WHEN p.trashcan_g = 1 AND {} THEN 1 ELSE 0 END",
            self.same_group(relation, window, backend)
        ));
        tuple.push("0".into());
        let mut conditions = vec![format!("p.trashcan_t = {parent}")];
        conditions.extend(on);
        if relation.child == relation.parent {
            // A row pointing at itself is not its own dependent.
            let own = encode(&self.carried[child], "c", backend);
            conditions.push(format!("{own} <> p.trashcan_k"));
        }
        Some(Step {
            select: tuple.join(", "),
            table: self.tables[child].name.quoted(),
            conditions: conditions.join(" AND "),
        })
    }
}

pub(super) struct Step {
    pub(super) select: String,
    pub(super) table: String,
    pub(super) conditions: String,
}

/// A row's carried columns as one text value: the column itself for one, a JSON array
/// for several.
pub(super) fn encode(columns: &[ColumnInfo], alias: &str, backend: Backend) -> String {
    match columns {
        [one] => expr::cast_text(&expr::column_in(one, Some(alias)), backend),
        _ => crate::engine::purge::encode_key(columns, alias, backend),
    }
}

/// Carried column `at` back from the encoded text, in its own type.
pub(super) fn decode(columns: &[ColumnInfo], at: usize, key: &str, backend: Backend) -> String {
    match columns {
        [one] => one.cast_bind(backend, key),
        _ => crate::engine::purge::decode_key(&columns[at], key, at, backend),
    }
}
