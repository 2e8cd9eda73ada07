//! What the corpus tests know of a loaded schema, read with their own catalog queries
//! (not the console's), and the hand-written expectations of `expect.toml`.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::purge_db::Db;

/// Per table, what a person read from the application's schema and code.
#[derive(Debug, Deserialize)]
pub struct Expect {
    pub tables: BTreeMap<String, TableExpect>,
    #[serde(default)]
    pub implied: Vec<Implied>,
    /// What an operator of this application writes in the config: conventions no
    /// detection can know from the schema and the data (a flag named like no other).
    #[serde(default)]
    pub config: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableExpect {
    pub verdict: String,
    pub column: Option<String>,
    pub convention: Option<String>,
    pub time_column: Option<String>,
    #[serde(default)]
    pub why: String,
}

impl TableExpect {
    /// The column that says when a row was trashed: the time column, else the marker
    /// itself unless it is a flag (which says only whether).
    pub fn time(&self) -> Option<&str> {
        self.time_column.as_deref().or(self
            .column
            .as_deref()
            .filter(|_| self.convention.as_deref() != Some("flag")))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Implied {
    pub child: String,
    pub child_column: String,
    pub parent: String,
    pub parent_column: String,
}

impl Expect {
    pub fn read(app: &str) -> Expect {
        let path = format!(
            "{}/tests/corpus/{app}/expect.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The soft-delete tables and how they mark trash.
    pub fn soft_deletes(&self) -> impl Iterator<Item = (&String, &TableExpect)> {
        self.tables
            .iter()
            .filter(|(_, t)| t.verdict == "soft_delete")
    }

    pub fn marker(&self, table: &str) -> Option<&TableExpect> {
        self.tables
            .get(table)
            .filter(|t| t.verdict == "soft_delete")
    }

    /// The application's config, with the implied relations declared so the console
    /// follows them.
    pub fn console_config(&self) -> String {
        let relations: String = self
            .implied
            .iter()
            .map(|r| {
                format!(
                    "[[relations]]\nchild = {:?}\nchild_columns = [{:?}]\nparent = {:?}\n\
                     parent_columns = [{:?}]\n",
                    r.child, r.child_column, r.parent, r.parent_column
                )
            })
            .collect();
        format!("{}\n{relations}", self.config)
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// PostgreSQL: `format_type`; SQLite: the declared type.
    pub sql_type: String,
    /// PostgreSQL: `typname` of the base type (`_int4` for arrays); SQLite: upper-cased
    /// declared type.
    pub base: String,
    pub nullable: bool,
    pub has_default: bool,
    /// Generated or identity ALWAYS: never written.
    pub generated: bool,
    pub enum_labels: Vec<String>,
    /// Part of a unique index (other than the primary key): a default would repeat.
    pub unique: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub key: Vec<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether the column holds integers (an epoch, rather than a timestamp).
    pub fn is_integer(&self, name: &str) -> bool {
        self.column(name)
            .is_some_and(|c| c.base.contains("int") || c.base.contains("INT"))
    }
}

/// A parent → child link: declared keys and the implied relations alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub child: String,
    pub child_columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
    pub cascade: bool,
    /// `ON DELETE SET NULL` or `SET DEFAULT`: the child is not the parent's to delete.
    pub detaches: bool,
    pub declared: bool,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub tables: Vec<Table>,
    pub links: Vec<Link>,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub async fn read(db: &Db, expect: &Expect) -> Schema {
        let mut schema = if db.pg {
            read_postgres(db).await
        } else {
            read_sqlite(db).await
        };
        for r in &expect.implied {
            schema.links.push(Link {
                child: r.child.clone(),
                child_columns: vec![r.child_column.clone()],
                parent: r.parent.clone(),
                parent_columns: vec![r.parent_column.clone()],
                cascade: false,
                detaches: false,
                declared: false,
            });
        }
        schema
    }
}

/// Rows of `|`-separated text (the corpus names hold no `|`).
async fn lines(db: &Db, sql: &str) -> Vec<Vec<String>> {
    db.strings(sql)
        .await
        .into_iter()
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect()
}

async fn read_postgres(db: &Db) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    let columns = lines(
        db,
        "SELECT c.relname || '|' || a.attname || '|' || format_type(a.atttypid, a.atttypmod) \
           || '|' || COALESCE(bt.typname, t.typname) || '|' || (NOT a.attnotnull)::text \
           || '|' || a.atthasdef::text || '|' || (a.attgenerated <> '' OR a.attidentity = 'a')::text \
           || '|' || COALESCE((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
                FROM pg_enum e WHERE e.enumtypid = COALESCE(bt.oid, t.oid)), '') \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         JOIN pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') \
         ORDER BY c.relname, a.attnum",
    )
    .await;
    for l in columns {
        if tables.last().is_none_or(|t| t.name != l[0]) {
            tables.push(Table {
                name: l[0].clone(),
                columns: Vec::new(),
                key: Vec::new(),
            });
        }
        if let Some(t) = tables.last_mut() {
            t.columns.push(Column {
                name: l[1].clone(),
                sql_type: l[2].clone(),
                base: l[3].clone(),
                nullable: l[4] == "true",
                has_default: l[5] == "true",
                generated: l[6] == "true",
                enum_labels: l[7]
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                unique: false,
            });
        }
    }
    let unique = lines(
        db,
        "SELECT DISTINCT c.relname || '|' || a.attname FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey::int2[]) \
         WHERE i.indisunique AND NOT i.indisprimary AND n.nspname = 'public'",
    )
    .await;
    mark_unique(&mut tables, unique);
    let keys = lines(
        db,
        "SELECT c.relname || '|' || a.attname FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE i.indisprimary AND n.nspname = 'public' ORDER BY c.relname, k.ord",
    )
    .await;
    for l in keys {
        if let Some(t) = tables.iter_mut().find(|t| t.name == l[0]) {
            t.key.push(l[1].clone());
        }
    }
    let fks = lines(
        db,
        "SELECT con.oid::text || '|' || cc.relname || '|' || ca.attname || '|' || pc.relname \
           || '|' || pa.attname || '|' || (con.confdeltype = 'c')::text \
           || '|' || (con.confdeltype IN ('n', 'd'))::text \
         FROM pg_constraint con JOIN pg_class cc ON cc.oid = con.conrelid \
         JOIN pg_class pc ON pc.oid = con.confrelid \
         JOIN pg_namespace n ON n.oid = cc.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(c, p, ord) \
         JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.c \
         JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.p \
         WHERE con.contype = 'f' AND n.nspname = 'public' ORDER BY con.oid, k.ord",
    )
    .await;
    Schema {
        tables,
        links: group_links(fks.into_iter().map(|l| (l[0].clone(), l[1..].to_vec()))),
    }
}

async fn read_sqlite(db: &Db) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    let columns = lines(
        db,
        "SELECT m.name || '|' || p.name || '|' || p.type || '|' || upper(p.type) || '|' || \
           CASE WHEN p.\"notnull\" THEN 'false' ELSE 'true' END || '|' || \
           CASE WHEN p.dflt_value IS NULL THEN 'false' ELSE 'true' END || '|' || \
           CASE WHEN p.hidden IN (2, 3) THEN 'true' ELSE 'false' END || '|' || \
           CAST(p.pk AS TEXT) \
         FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
           AND m.name NOT LIKE 'trashcan_%' AND m.name <> '__diesel_schema_migrations' \
         ORDER BY m.name, p.cid",
    )
    .await;
    let mut keys: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for l in columns {
        if tables.last().is_none_or(|t| t.name != l[0]) {
            tables.push(Table {
                name: l[0].clone(),
                columns: Vec::new(),
                key: Vec::new(),
            });
        }
        let pk: i64 = l[7].parse().unwrap_or(0);
        if pk > 0 {
            keys.entry(l[0].clone())
                .or_default()
                .push((pk, l[1].clone()));
        }
        if let Some(t) = tables.last_mut() {
            t.columns.push(Column {
                name: l[1].clone(),
                sql_type: l[2].clone(),
                base: l[3].clone(),
                nullable: l[4] == "true",
                has_default: l[5] == "true",
                generated: l[6] == "true",
                enum_labels: Vec::new(),
                unique: false,
            });
        }
    }
    let unique = lines(
        db,
        "SELECT DISTINCT m.name || '|' || ii.name FROM sqlite_schema m \
         JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii \
         WHERE m.type = 'table' AND il.\"unique\" AND il.origin <> 'pk' AND ii.name IS NOT NULL",
    )
    .await;
    mark_unique(&mut tables, unique);
    for (table, mut key) in keys {
        key.sort();
        if let Some(t) = tables.iter_mut().find(|t| t.name == table) {
            t.key = key.into_iter().map(|(_, c)| c).collect();
        }
    }
    let fks = lines(
        db,
        "SELECT m.name || '#' || CAST(f.id AS TEXT) || '|' || m.name || '|' || f.\"from\" || '|' \
           || f.\"table\" || '|' || COALESCE(f.\"to\", '') || '|' || \
           CASE WHEN upper(f.on_delete) = 'CASCADE' THEN 'true' ELSE 'false' END || '|' || \
           CASE WHEN upper(f.on_delete) IN ('SET NULL', 'SET DEFAULT') THEN 'true' \
             ELSE 'false' END \
         FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
           AND m.name NOT LIKE 'trashcan_%' ORDER BY m.name, f.id, f.seq",
    )
    .await;
    let mut links = group_links(fks.into_iter().map(|l| (l[0].clone(), l[1..].to_vec())));
    // `REFERENCES parent` without columns names the parent's primary key.
    for link in &mut links {
        if link.parent_columns.iter().any(String::is_empty)
            && let Some(parent) = tables.iter().find(|t| t.name == link.parent)
        {
            link.parent_columns = parent.key.clone();
        }
    }
    Schema { tables, links }
}

fn mark_unique(tables: &mut [Table], rows: Vec<Vec<String>>) {
    for l in rows {
        if let Some(c) = tables
            .iter_mut()
            .find(|t| t.name == l[0])
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == l[1]))
        {
            c.unique = true;
        }
    }
}

/// Rows of (constraint id, [child, child column, parent, parent column, cascade,
/// detaches]), grouped into links.
fn group_links(rows: impl Iterator<Item = (String, Vec<String>)>) -> Vec<Link> {
    let mut links: Vec<(String, Link)> = Vec::new();
    for (id, l) in rows {
        if links.last().is_none_or(|(last, _)| *last != id) {
            links.push((
                id,
                Link {
                    child: l[0].clone(),
                    child_columns: Vec::new(),
                    parent: l[2].clone(),
                    parent_columns: Vec::new(),
                    cascade: l[4] == "true",
                    detaches: l[5] == "true",
                    declared: true,
                },
            ));
        }
        if let Some((_, link)) = links.last_mut() {
            link.child_columns.push(l[1].clone());
            link.parent_columns.push(l[3].clone());
        }
    }
    links.into_iter().map(|(_, l)| l).collect()
}
