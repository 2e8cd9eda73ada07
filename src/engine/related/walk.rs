//! The part of the relation graph a closure walks below the selected table, split into
//! parts (tables that reach each other, parents' parts first), and how a row travels in
//! its part: its carried columns as they are (a part of one table, the common case,
//! joined as the hand-written statement would), or, in a cycle of several tables, as a
//! tagged tuple with its table's number and its carried columns as text; then its
//! deletion epoch, token and state, and whether it is in the selection's deletion group.

use std::collections::{BTreeSet, VecDeque};

use crate::db::Backend;
use crate::engine::catalog::{Catalog, ColumnInfo, ColumnKind, FkAction, Relation, TableInfo};
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
    /// Each table's part: parts are numbered parents before children.
    pub(super) part_of: Vec<usize>,
    /// How each part carries its rows.
    pub(super) parts: Vec<Layout>,
}

/// How a part of the walk carries its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// The one table of the part (numbered), its carried columns as they are.
    Typed(usize),
    /// Tagged tuples: the table's number and its carried columns as text. For a cycle of
    /// several tables, or carried columns that do not compare as they are (json).
    Tagged,
}

/// The tuple columns after the carried ones (or the tag and text key).
const STATE: &str = "trashcan_e, trashcan_tok, trashcan_tr, trashcan_g, trashcan_s";

/// Types a set operation can compare and group as they are, on every backend.
fn compares_as_is(column: &ColumnInfo) -> bool {
    matches!(
        column.kind,
        ColumnKind::Integer
            | ColumnKind::Numeric
            | ColumnKind::Text
            | ColumnKind::Bool
            | ColumnKind::Date
            | ColumnKind::Timestamp { .. }
            | ColumnKind::Uuid
    ) && column.name != "ctid"
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
            part_of: Vec::new(),
            parts: Vec::new(),
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
        let (followed, broken): (Vec<usize>, Vec<usize>) = walk
            .followed
            .iter()
            .partition(|&&index| walk.resolves(index));
        for index in broken {
            let note = format!(
                "{} names a column its table does not have",
                catalog.relations[index].describe()
            );
            walk.partial.push(note);
        }
        walk.followed = followed;
        walk.split_into_parts();
        walk
    }

    /// Whether every column a followed relation joins on is there.
    fn resolves(&self, index: usize) -> bool {
        let relation = &self.catalog.relations[index];
        let (Some(parent), Some(child)) = (
            self.number(&relation.parent),
            self.catalog.table(&relation.child),
        ) else {
            return false;
        };
        relation
            .parent_columns
            .iter()
            .all(|p| self.carried[parent].iter().any(|k| &k.name == p))
            && relation
                .child_columns
                .iter()
                .all(|c| child.column(c).is_some())
    }

    /// Groups the tables into parts that reach each other along followed relations
    /// (a self-reference, a cycle), numbered parents first, and picks each part's layout.
    fn split_into_parts(&mut self) {
        let n = self.tables.len();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut targets = Vec::with_capacity(self.followed.len());
        for (e, &index) in self.followed.iter().enumerate() {
            let relation = &self.catalog.relations[index];
            let ends = (self.number(&relation.parent), self.number(&relation.child));
            let (Some(p), Some(c)) = ends else {
                targets.push(0);
                continue;
            };
            edges[p].push(e);
            targets.push(c);
        }
        let component = crate::engine::catalog::strongly_connected(&edges, &targets);
        // Tarjan numbers a part after every part below it: the highest comes first.
        let mut order: Vec<usize> = component.clone();
        order.sort_unstable();
        order.dedup();
        order.reverse();
        self.part_of = component
            .iter()
            .map(|c| order.iter().position(|o| o == c).unwrap_or(0))
            .collect();
        self.parts = (0..order.len())
            .map(|part| {
                let members: Vec<usize> = (0..n).filter(|&t| self.part_of[t] == part).collect();
                match members.as_slice() {
                    [one] if self.carried[*one].iter().all(compares_as_is) => Layout::Typed(*one),
                    _ => Layout::Tagged,
                }
            })
            .collect();
    }

    pub(super) fn layout_of(&self, table: usize) -> Layout {
        self.parts[self.part_of[table]]
    }

    /// The column names of part `part`'s CTE.
    pub(super) fn columns(&self, part: usize) -> String {
        match self.parts[part] {
            Layout::Typed(table) => {
                let carried: Vec<String> = (0..self.carried[table].len())
                    .map(|i| format!("trashcan_c{i}"))
                    .collect();
                format!("{}, {STATE}", carried.join(", "))
            }
            Layout::Tagged => format!("trashcan_t, trashcan_k, {STATE}"),
        }
    }

    /// Carried column `at` of the reached parent row `p` of table `table`, in its type.
    pub(super) fn carried_of_p(&self, table: usize, at: usize, backend: Backend) -> String {
        match self.layout_of(table) {
            Layout::Typed(_) => format!("p.trashcan_c{at}"),
            Layout::Tagged => decode(&self.carried[table], at, "p.trashcan_k", backend),
        }
    }

    /// Which of part `part`'s rows `p` are of table `table` (tagged parts mix tables).
    pub(super) fn rows_of(&self, table: usize) -> Option<String> {
        match self.layout_of(table) {
            Layout::Typed(_) => None,
            Layout::Tagged => Some(format!("p.trashcan_t = {table}")),
        }
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
        let mut tuple: Vec<String> = match self.layout_of(n) {
            Layout::Typed(_) => self.carried[n]
                .iter()
                .map(|c| expr::column_in(c, Some(alias)))
                .collect(),
            Layout::Tagged => vec![n.to_string(), encode(&self.carried[n], alias, backend)],
        };
        tuple.extend([
            format!("CAST({epoch} AS DOUBLE PRECISION)"),
            text(token),
            trashed,
        ]);
        tuple
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
                let at = self.carried[parent].iter().position(|k| &k.name == p)?;
                Some(format!(
                    "c.{} = {}",
                    crate::engine::sql::quote_ident(c),
                    self.carried_of_p(parent, at, backend)
                ))
            })
            .collect::<Option<_>>()?;
        let mut tuple = self.tuple(child, "c", backend);
        tuple.push(format!(
            "CASE WHEN p.trashcan_g = 1 AND {} THEN 1 ELSE 0 END",
            self.same_group(relation, window, backend)
        ));
        tuple.push("0".into());
        let mut conditions: Vec<String> = self.rows_of(parent).into_iter().collect();
        conditions.extend(on);
        if relation.child == relation.parent {
            // A row pointing at itself is not its own dependent.
            conditions.push(self.not_itself(child, backend));
        }
        Some(Step {
            select: tuple.join(", "),
            table: self.tables[child].name.quoted(),
            conditions: conditions.join(" AND "),
        })
    }

    /// The child row `c` of a self-reference is not the reached row `p` itself.
    fn not_itself(&self, table: usize, backend: Backend) -> String {
        match self.layout_of(table) {
            Layout::Typed(_) => {
                let keys = expr::key_columns(self.tables[table], backend);
                let same: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .map(|(at, k)| format!("{} = p.trashcan_c{at}", expr::column_in(k, Some("c"))))
                    .collect();
                format!("NOT ({})", same.join(" AND "))
            }
            Layout::Tagged => format!(
                "{} <> p.trashcan_k",
                encode(&self.carried[table], "c", backend)
            ),
        }
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
