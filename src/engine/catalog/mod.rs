//! Catalog discovery: which tables soft-delete, how, and how they hang together.

mod detect;
mod graph;
mod introspect;
mod model;

pub use graph::DependencyGraph;
pub use model::{
    ColumnInfo, ColumnKind, Convention, FkAction, IndexInfo, Relation, SoftDelete, TableInfo,
};

use crate::config::Config;
use crate::db::{Backend, DbConn};
use crate::engine::sql::TableName;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub backend: Backend,
    /// Every readable table, soft-deleting or not (relations can point at any).
    pub tables: Vec<TableInfo>,
    pub relations: Vec<Relation>,
    pub graph: DependencyGraph,
    /// Config entries that did not fit the schema, for the status bar and the log.
    pub warnings: Vec<String>,
}

impl Catalog {
    pub async fn load(conn: &mut DbConn, config: &Config) -> Result<Self, String> {
        let raw = introspect::read(conn)
            .await
            .map_err(|e| format!("cannot read the database catalog: {e}"))?;
        Ok(Self::assemble(conn.backend(), raw, config))
    }

    fn assemble(backend: Backend, raw: introspect::RawCatalog, config: &Config) -> Self {
        let mut warnings = Vec::new();
        let mut tables = Vec::with_capacity(raw.tables.len());
        for (name, t) in raw.tables {
            let overrides = config.table(&name);
            let soft_delete = match detect::soft_delete(&t.columns, overrides) {
                Ok(sd) => sd,
                Err(e) => {
                    warnings.push(format!("config for table {name}: {e}"));
                    None
                }
            };
            let display_columns = detect::display_columns(
                &t.columns,
                &t.primary_key,
                soft_delete.as_ref(),
                overrides,
            )
            .unwrap_or_else(|e| {
                warnings.push(format!("config for table {name}: {e}"));
                detect::display_columns(&t.columns, &t.primary_key, soft_delete.as_ref(), None)
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
        let graph = DependencyGraph::build(tables.iter().map(|t| t.name.clone()), &relations);
        Catalog {
            backend,
            tables,
            relations,
            graph,
            warnings,
        }
    }

    pub fn table(&self, name: &TableName) -> Option<&TableInfo> {
        self.tables.iter().find(|t| &t.name == name)
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
