//! Catalog discovery: which tables soft-delete, how, and how they hang together.

pub mod conventions;
mod detect;
mod display;
mod evidence;
mod graph;
mod implied;
mod introspect;
mod model;

pub use graph::DependencyGraph;
pub(crate) use graph::strongly_connected;
pub use model::{
    ColumnInfo, ColumnKind, Convention, Detection, FkAction, IndexInfo, Relation, SoftDelete,
    TableInfo, Verdict,
};

use std::collections::BTreeMap;

use crate::config::Config;
use crate::db::{Backend, DbConn};
use crate::engine::sql::TableName;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub backend: Backend,
    /// Every readable table, soft-deleting or not (relations can point at any).
    pub tables: Vec<TableInfo>,
    pub relations: Vec<Relation>,
    /// Relations column names imply (`user_id` beside `users`) that no key or config
    /// relation declares: suggestions, never traversed, and a purge or move to trash
    /// that could orphan rows along one refuses.
    pub implied: Vec<Relation>,
    pub graph: DependencyGraph,
    /// Config entries that did not fit the schema, for the status bar and the log.
    pub warnings: Vec<String>,
}

impl Catalog {
    pub async fn load(conn: &mut DbConn, config: &Config) -> Result<Self, String> {
        let raw = introspect::read(conn)
            .await
            .map_err(|e| format!("cannot read the database catalog: {e}"))?;
        let backend = conn.backend();
        let mut considered = BTreeMap::new();
        let mut probes = Vec::new();
        let mut owners = Vec::new();
        for (name, t) in &raw.tables {
            let found = detect::consider(&name.name, &t.columns, backend);
            // The config decides these; their data need not be read.
            let decided = config
                .table(name)
                .is_some_and(|o| o.ignore || o.column.is_some());
            if t.can_select && !decided {
                for candidate in found.candidates() {
                    owners.push(name.clone());
                    probes.push(evidence::Probe {
                        table: name.clone(),
                        column: candidate.column.clone(),
                        reading: candidate.reading,
                        estimated_rows: t.estimated_rows,
                    });
                }
            }
            considered.insert(name.clone(), (found, Vec::new()));
        }
        let gathered = evidence::gather(conn, &probes).await;
        for (owner, found) in owners.into_iter().zip(gathered) {
            if let Some((_, data)) = considered.get_mut(&owner) {
                data.push(found);
            }
        }
        Ok(Self::assemble(backend, raw, considered, config))
    }

    fn assemble(
        backend: Backend,
        raw: introspect::RawCatalog,
        mut considered: BTreeMap<TableName, (detect::Considered, Vec<evidence::Evidence>)>,
        config: &Config,
    ) -> Self {
        let mut warnings = Vec::new();
        let mut tables = Vec::with_capacity(raw.tables.len());
        for (name, t) in raw.tables {
            let overrides = config.table(&name);
            let (found, mut data) = considered.remove(&name).unwrap_or_default();
            if !t.can_select {
                data = found
                    .candidates()
                    .map(|_| evidence::Evidence {
                        unreadable: Some("no SELECT permission".into()),
                        ..evidence::Evidence::default()
                    })
                    .collect();
            }
            let (soft_delete, detection) =
                match detect::decide(&name.name, &t.columns, &found, &data, overrides) {
                    Ok(decided) => decided,
                    Err(e) => {
                        warnings.push(format!("config for table {name}: {e}"));
                        let mut detection = Detection::default();
                        detection.because.push(format!("the config is wrong: {e}"));
                        (None, detection)
                    }
                };
            let display_columns = display::display_columns(
                &t.columns,
                &t.primary_key,
                soft_delete.as_ref(),
                overrides,
            )
            .unwrap_or_else(|e| {
                warnings.push(format!("config for table {name}: {e}"));
                display::display_columns(&t.columns, &t.primary_key, soft_delete.as_ref(), None)
                    .unwrap_or_default()
            });
            tables.push(TableInfo {
                retention_days: overrides.and_then(|o| o.retention_days),
                name,
                columns: t.columns,
                primary_key: t.primary_key,
                soft_delete,
                estimated_rows: t.estimated_rows,
                can_select: t.can_select,
                can_modify: t.can_modify,
                display_columns,
                indexes: t.indexes,
                detection,
            });
        }
        for key in config.tables.keys() {
            if !tables.iter().any(|t| t.name.matches(key)) {
                warnings.push(format!("config names table `{key}`, which does not exist"));
            }
        }
        let mut relations = raw.relations;
        for extra in &config.relations {
            match resolve_extra(&tables, extra) {
                Ok(rel) => relations.push(rel),
                Err(e) => warnings.push(format!(
                    "config relation {} → {}: {e}",
                    extra.child, extra.parent
                )),
            }
        }
        let implied = implied::infer(&tables, &relations, &config.implied.ignore, backend);
        if !implied.is_empty() {
            let declared = relations.iter().filter(|r| r.declared).count();
            warnings.push(format!(
                "{} relation(s) are implied by column names but not declared ({declared} \
                 foreign keys for {} tables): purges and moves to trash that could orphan \
                 rows along them refuse; `trashcan relations --suggest` prints them as config",
                implied.len(),
                tables.len()
            ));
        }
        let graph = DependencyGraph::build(tables.iter().map(|t| t.name.clone()), &relations);
        Catalog {
            backend,
            tables,
            relations,
            implied,
            graph,
            warnings,
        }
    }

    pub fn table(&self, name: &TableName) -> Option<&TableInfo> {
        self.tables.iter().find(|t| &t.name == name)
    }

    /// The implied relations a change starting at `roots` could orphan rows along: those
    /// whose parent is a root or lies below one along the relations changes follow.
    pub fn implied_below(&self, roots: &[TableName]) -> Vec<&Relation> {
        let mut reached: std::collections::BTreeSet<&TableName> = roots.iter().collect();
        let mut queue: Vec<&TableName> = roots.iter().collect();
        while let Some(table) = queue.pop() {
            for &r in self.graph.child_relations(table) {
                let child = &self.relations[r].child;
                if reached.insert(child) {
                    queue.push(child);
                }
            }
        }
        self.implied
            .iter()
            .filter(|r| reached.contains(&r.parent))
            .collect()
    }

    /// Tables that soft-delete, in name order.
    pub fn soft_delete_tables(&self) -> impl Iterator<Item = &TableInfo> {
        self.tables.iter().filter(|t| t.soft_delete.is_some())
    }
}

fn resolve_extra(
    tables: &[TableInfo],
    extra: &crate::config::ExtraRelation,
) -> Result<Relation, String> {
    let find = |written: &str| {
        tables
            .iter()
            .find(|t| t.name.matches(written))
            .ok_or_else(|| format!("table `{written}` does not exist"))
    };
    let child = find(&extra.child)?;
    let parent = find(&extra.parent)?;
    for c in &extra.child_columns {
        child
            .column(c)
            .ok_or_else(|| format!("column `{}.{c}` does not exist", extra.child))?;
    }
    for c in &extra.parent_columns {
        parent
            .column(c)
            .ok_or_else(|| format!("column `{}.{c}` does not exist", extra.parent))?;
    }
    Ok(Relation {
        name: format!("config:{}→{}", extra.child, extra.parent),
        child: child.name.clone(),
        child_columns: extra.child_columns.clone(),
        parent: parent.name.clone(),
        parent_columns: extra.parent_columns.clone(),
        on_delete: FkAction::NoAction,
        deferrable: false,
        declared: false,
    })
}
