//! Reads tables, columns, keys and foreign keys from each backend's catalog into one raw
//! shape. A handful of set-based catalog queries per load; never one per table.

use std::collections::BTreeMap;

use super::model::{ColumnInfo, ColumnKind, FkAction, IndexInfo, Relation};
use crate::db::{Backend, DbConn, rows};
use crate::engine::sql::TableName;

#[derive(Debug, Default)]
pub struct RawTable {
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub estimated_rows: Option<i64>,
    pub can_select: bool,
    pub can_modify: bool,
    pub indexes: Vec<IndexInfo>,
}

#[derive(Debug, Default)]
pub struct RawCatalog {
    pub tables: BTreeMap<TableName, RawTable>,
    pub relations: Vec<Relation>,
}

pub async fn read(conn: &mut DbConn) -> Result<RawCatalog, diesel::result::Error> {
    match conn.backend() {
        Backend::Postgres => read_postgres(conn).await,
        Backend::Sqlite => read_sqlite(conn).await,
    }
}

const PG_SKIP_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'trashcan') AND n.nspname NOT LIKE 'pg\\_%'";

async fn read_postgres(conn: &mut DbConn) -> Result<RawCatalog, diesel::result::Error> {
    let mut catalog = RawCatalog::default();
    let columns_sql = format!(
        "SELECT n.nspname::text, c.relname::text, a.attname::text, \
                format_type(a.atttypid, a.atttypmod)::text, \
                COALESCE(bt.typname, t.typname)::text, (NOT a.attnotnull)::text, \
                c.reltuples::bigint::text, has_table_privilege(c.oid, 'SELECT')::text, \
                (has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))::text \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype \
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {PG_SKIP_SCHEMAS} \
         ORDER BY n.nspname, c.relname, a.attnum"
    );
    for row in rows::query(conn, &columns_sql, &[]).await? {
        let name = TableName::new(row.text(0).as_deref(), &row.text(1).unwrap_or_default());
        let table = catalog.tables.entry(name).or_default();
        let typname = row.text(4).unwrap_or_default();
        table.columns.push(ColumnInfo {
            name: row.text(2).unwrap_or_default(),
            sql_type: row.text(3).unwrap_or_default(),
            kind: ColumnKind::from_postgres(&typname),
            nullable: row.bool(5).unwrap_or(true),
        });
        // reltuples is -1 before the first ANALYZE: no estimate rather than a wrong one.
        table.estimated_rows = row.int(6).filter(|n| *n >= 0);
        table.can_select = row.bool(7).unwrap_or(false);
        table.can_modify = row.bool(8).unwrap_or(false);
    }

    let keys_sql = format!(
        "SELECT n.nspname::text, c.relname::text, a.attname::text \
         FROM pg_catalog.pg_index i \
         JOIN pg_catalog.pg_class c ON c.oid = i.indrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE i.indisprimary AND {PG_SKIP_SCHEMAS} \
         ORDER BY n.nspname, c.relname, k.ord"
    );
    for row in rows::query(conn, &keys_sql, &[]).await? {
        let name = TableName::new(row.text(0).as_deref(), &row.text(1).unwrap_or_default());
        if let Some(table) = catalog.tables.get_mut(&name) {
            table.primary_key.push(row.text(2).unwrap_or_default());
        }
    }

    // One row per index key position; a 0 attnum is an expression key, which ends the
    // usable prefix.
    let indexes_sql = format!(
        "SELECT n.nspname::text, c.relname::text, ic.relname::text, i.indisunique::text, \
                pg_get_expr(i.indpred, i.indrelid)::text, a.attname::text \
         FROM pg_catalog.pg_index i \
         JOIN pg_catalog.pg_class c ON c.oid = i.indrelid \
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE i.indisvalid AND k.ord <= i.indnkeyatts AND {PG_SKIP_SCHEMAS} \
         ORDER BY n.nspname, c.relname, ic.relname, k.ord"
    );
    let mut index_rows = Vec::new();
    for row in rows::query(conn, &indexes_sql, &[]).await? {
        let name = TableName::new(row.text(0).as_deref(), &row.text(1).unwrap_or_default());
        index_rows.push((
            name,
            row.text(2).unwrap_or_default(),
            row.bool(3).unwrap_or(false),
            row.text(4),
            row.text(5),
        ));
    }
    attach_indexes(&mut catalog, index_rows);

    let fks_sql = format!(
        "SELECT con.conname::text, n.nspname::text, cc.relname::text, ca.attname::text, \
                pn.nspname::text, pc.relname::text, pa.attname::text, \
                con.confdeltype::text, con.condeferrable::text, con.oid::text \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = cc.relnamespace \
         JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid \
         JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(child_att, parent_att, ord) \
         JOIN pg_catalog.pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child_att \
         JOIN pg_catalog.pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent_att \
         WHERE con.contype = 'f' AND con.conparentid = 0 AND {PG_SKIP_SCHEMAS} \
         ORDER BY con.oid, k.ord"
    );
    let mut current: Option<(String, Relation)> = None;
    for row in rows::query(conn, &fks_sql, &[]).await? {
        let oid = row.text(9).unwrap_or_default();
        if current.as_ref().is_none_or(|(o, _)| *o != oid) {
            if let Some((_, done)) = current.take() {
                catalog.relations.push(done);
            }
            current = Some((
                oid,
                Relation {
                    name: row.text(0).unwrap_or_default(),
                    child: TableName::new(row.text(1).as_deref(), &row.text(2).unwrap_or_default()),
                    child_columns: Vec::new(),
                    parent: TableName::new(
                        row.text(4).as_deref(),
                        &row.text(5).unwrap_or_default(),
                    ),
                    parent_columns: Vec::new(),
                    on_delete: FkAction::from_postgres(&row.text(7).unwrap_or_default()),
                    deferrable: row.bool(8).unwrap_or(false),
                    declared: true,
                },
            ));
        }
        if let Some((_, rel)) = current.as_mut() {
            rel.child_columns.push(row.text(3).unwrap_or_default());
            rel.parent_columns.push(row.text(6).unwrap_or_default());
        }
    }
    if let Some((_, done)) = current {
        catalog.relations.push(done);
    }
    Ok(catalog)
}

const SQLITE_TABLES: &str = "FROM sqlite_schema m \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
       AND m.name NOT LIKE 'trashcan\\_%' ESCAPE '\\' \
       AND m.name <> '__diesel_schema_migrations' \
       AND COALESCE(m.sql, '') NOT LIKE 'CREATE VIRTUAL%'";

async fn read_sqlite(conn: &mut DbConn) -> Result<RawCatalog, diesel::result::Error> {
    let mut catalog = RawCatalog::default();
    let columns_sql = format!(
        "SELECT m.name, p.name, p.type, CAST(p.\"notnull\" AS TEXT), CAST(p.pk AS TEXT) \
         {SQLITE_TABLES_JOIN_INFO} ORDER BY m.name, p.cid",
        SQLITE_TABLES_JOIN_INFO = SQLITE_TABLES.replace(
            "FROM sqlite_schema m",
            "FROM sqlite_schema m JOIN pragma_table_info(m.name) p"
        )
    );
    let mut pk_positions: BTreeMap<TableName, Vec<(i64, String)>> = BTreeMap::new();
    for row in rows::query(conn, &columns_sql, &[]).await? {
        let name = TableName::new(None, &row.text(0).unwrap_or_default());
        let column = row.text(1).unwrap_or_default();
        let declared = row.text(2).unwrap_or_default();
        let pk_position = row.int(4).unwrap_or(0);
        if pk_position > 0 {
            pk_positions
                .entry(name.clone())
                .or_default()
                .push((pk_position, column.clone()));
        }
        let table = catalog.tables.entry(name).or_default();
        table.can_select = true;
        table.can_modify = true;
        table.columns.push(ColumnInfo {
            name: column,
            kind: ColumnKind::from_sqlite(&declared),
            sql_type: declared,
            nullable: row.int(3).unwrap_or(0) == 0,
        });
    }
    for (name, mut positions) in pk_positions {
        positions.sort();
        if let Some(table) = catalog.tables.get_mut(&name) {
            table.primary_key = positions.into_iter().map(|(_, c)| c).collect();
        }
    }

    let indexes_sql = format!(
        "SELECT m.name, il.name, CAST(il.\"unique\" AS TEXT), \
                CASE WHEN il.partial THEN \
                  COALESCE(substr(ix.sql, instr(upper(ix.flat), ' WHERE ') + 7), 'partial') END, \
                ii.name \
         {} ORDER BY m.name, il.name, ii.seqno",
        SQLITE_TABLES.replace(
            "FROM sqlite_schema m",
            "FROM sqlite_schema m JOIN pragma_index_list(m.name) il \
             JOIN pragma_index_info(il.name) ii \
             LEFT JOIN (SELECT name, type, sql, \
                 replace(replace(replace(sql, char(10), ' '), char(13), ' '), char(9), ' ') AS flat \
                 FROM sqlite_schema) ix ON ix.type = 'index' AND ix.name = il.name"
        )
    );
    let mut index_rows = Vec::new();
    for row in rows::query(conn, &indexes_sql, &[]).await? {
        index_rows.push((
            TableName::new(None, &row.text(0).unwrap_or_default()),
            row.text(1).unwrap_or_default(),
            row.bool(2).unwrap_or(false),
            row.text(3),
            row.text(4),
        ));
    }
    attach_indexes(&mut catalog, index_rows);

    let fks_sql = format!(
        "SELECT m.name, CAST(f.id AS TEXT), f.\"table\", f.\"from\", f.\"to\", f.on_delete \
         {} ORDER BY m.name, f.id, f.seq",
        SQLITE_TABLES.replace(
            "FROM sqlite_schema m",
            "FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f"
        )
    );
    let mut grouped: BTreeMap<(String, String), Relation> = BTreeMap::new();
    let mut implicit_targets: Vec<(String, String)> = Vec::new();
    for row in rows::query(conn, &fks_sql, &[]).await? {
        let child = row.text(0).unwrap_or_default();
        let id = row.text(1).unwrap_or_default();
        let parent = row.text(2).unwrap_or_default();
        let rel = grouped
            .entry((child.clone(), id.clone()))
            .or_insert_with(|| Relation {
                name: format!("{child}_fk{id}"),
                child: TableName::new(None, &child),
                child_columns: Vec::new(),
                parent: TableName::new(None, &parent),
                parent_columns: Vec::new(),
                on_delete: FkAction::from_sqlite(&row.text(5).unwrap_or_default()),
                deferrable: false,
                declared: true,
            });
        rel.child_columns.push(row.text(3).unwrap_or_default());
        match row.text(4) {
            Some(to) => rel.parent_columns.push(to),
            // `REFERENCES parent` without columns means the parent's primary key.
            None => implicit_targets.push((child.clone(), id.clone())),
        }
    }
    for key in implicit_targets {
        if let Some(rel) = grouped.get_mut(&key)
            && rel.parent_columns.len() < rel.child_columns.len()
        {
            let pk = catalog
                .tables
                .get(&rel.parent)
                .map(|t| t.primary_key.clone())
                .unwrap_or_default();
            rel.parent_columns = pk;
        }
    }
    catalog.relations = grouped.into_values().collect();
    canonical_names(&mut catalog);
    Ok(catalog)
}

/// SQLite compares names without regard to case, so a key may name `"ID"` for a column
/// declared `id`, or `Users` for a table `users`: each is resolved to the name as
/// declared, or every statement that joins along the key would miss the column.
fn canonical_names(catalog: &mut RawCatalog) {
    let tables: Vec<TableName> = catalog.tables.keys().cloned().collect();
    for relation in &mut catalog.relations {
        for table in [&mut relation.child, &mut relation.parent] {
            if !catalog.tables.contains_key(table)
                && let Some(found) = tables
                    .iter()
                    .find(|t| t.name.eq_ignore_ascii_case(&table.name))
            {
                *table = found.clone();
            }
        }
        let columns = |table: &TableName| -> Vec<String> {
            catalog
                .tables
                .get(table)
                .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default()
        };
        let (child_columns, parent_columns) = (columns(&relation.child), columns(&relation.parent));
        for (names, declared) in [
            (&mut relation.child_columns, &child_columns),
            (&mut relation.parent_columns, &parent_columns),
        ] {
            for name in names.iter_mut() {
                if !declared.contains(name)
                    && let Some(found) = declared.iter().find(|c| c.eq_ignore_ascii_case(name))
                {
                    *name = found.clone();
                }
            }
        }
    }
}

/// (table, index, unique, predicate, column or `None` for an expression), in key order.
type IndexRow = (TableName, String, bool, Option<String>, Option<String>);

fn attach_indexes(catalog: &mut RawCatalog, rows: Vec<IndexRow>) {
    let mut ended: Option<(TableName, String)> = None;
    for (table_name, index, unique, predicate, column) in rows {
        let Some(table) = catalog.tables.get_mut(&table_name) else {
            continue;
        };
        let same = table.indexes.last().is_some_and(|i| i.name == index);
        if !same {
            table.indexes.push(IndexInfo {
                name: index.clone(),
                columns: Vec::new(),
                unique,
                predicate,
            });
            ended = None;
        }
        let key = (table_name, index);
        if ended.as_ref() == Some(&key) {
            continue;
        }
        match (column, table.indexes.last_mut()) {
            (Some(c), Some(i)) => i.columns.push(c),
            _ => ended = Some(key),
        }
    }
}
