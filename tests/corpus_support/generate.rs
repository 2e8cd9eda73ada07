//! Fills a corpus schema with rows that keep every declared and implied key consistent,
//! then trashes rows at many ages, alone and in cascaded groups (a parent and the live
//! rows under it, along every link, at the parent's exact time), the way the
//! application would. Generic over the schema: values come from the column types, keys
//! from rows already written, and a row the schema refuses (a check, a unique key) is
//! left out.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{Column, Expect, Link, Schema, Table};
use crate::purge_db::Db;

/// Rows written per table.
pub const ROWS: usize = 24;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// A row as `table` and its key values joined by `,`.
pub type RowId = (String, String);

/// Rows trashed together: the root and everything cascaded from it, at one time.
#[derive(Debug, Clone)]
pub struct Group {
    pub root: RowId,
    pub members: BTreeSet<RowId>,
}

#[derive(Debug, Default)]
pub struct Generated {
    pub groups: Vec<Group>,
    pub rows: BTreeMap<String, usize>,
}

/// The rows of a table as written: key columns and every column a link points at.
#[derive(Debug, Default, Clone)]
struct Known {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

impl Known {
    fn value(&self, row: usize, column: &str) -> Option<&String> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.rows.get(row)?.get(i)?.as_ref()
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The declared length of a character column (`character varying(26)`).
fn max_len(sql_type: &str) -> Option<usize> {
    let open = sql_type.find('(')?;
    let close = sql_type[open..].find(')')? + open;
    sql_type[open + 1..close]
        .split(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// A literal for `column` in row `row` of table number `table_no`.
fn literal(db: &Db, column: &Column, table_no: usize, row: usize) -> String {
    let n = table_no * 1_000 + row + 1;
    let text = |s: String| {
        let s = match max_len(&column.sql_type) {
            Some(len) if len < s.len() => s[s.len() - len..].to_owned(),
            _ => s,
        };
        quote(&s)
    };
    if !db.pg {
        let t = &column.base;
        return if t.contains("INT") {
            (row + 1).to_string()
        } else if t.contains("BOOL") {
            "0".into()
        } else if t.contains("DATE") || t.contains("TIME") {
            format!("datetime('now', '-{} hours')", row + 1)
        } else if t.contains("REAL")
            || t.contains("FLOA")
            || t.contains("DOUB")
            || t.contains("NUM")
            || t.contains("DEC")
        {
            (row + 1).to_string()
        } else if t.contains("BLOB") {
            "x'00'".into()
        } else if t.contains("JSON") {
            "'{}'".into()
        } else {
            text(format!("v{n}"))
        };
    }
    let cast = |v: String| format!("CAST({v} AS {})", column.sql_type);
    if let Some(first) = column.enum_labels.first() {
        return cast(quote(first));
    }
    match column.base.as_str() {
        "int2" | "int4" | "int8" | "oid" | "numeric" | "float4" | "float8" | "money" => {
            cast((row + 1).to_string())
        }
        "bool" => "FALSE".into(),
        "uuid" => cast(quote(&format!("00000000-0000-4000-8000-{n:012x}"))),
        "timestamp" | "timestamptz" => cast(format!("now() - interval '{} hours'", row + 1)),
        "date" => format!("current_date - {}", row + 1),
        "time" | "timetz" => cast("'12:00'".into()),
        "interval" => cast("'1 day'".into()),
        "json" | "jsonb" => cast("'{}'".into()),
        "bytea" => "decode('00', 'hex')".into(),
        "inet" | "cidr" => cast("'10.0.0.1'".into()),
        "tsvector" | "hstore" => cast("''".into()),
        b if b.starts_with('_') => cast("'{}'".into()),
        _ => cast(text(format!("v{n}"))),
    }
}

/// A parent's value as a literal for the child's column.
pub fn value_for(db: &Db, column: &Column, value: &str) -> String {
    if db.pg {
        format!("CAST({} AS {})", quote(value), column.sql_type)
    } else if column.base.contains("INT") && value.parse::<i64>().is_ok() {
        value.to_owned()
    } else {
        quote(value)
    }
}

/// Tables in an order that writes parents first along links whose columns are NOT NULL
/// (a nullable link is filled in afterwards, so cycles can be).
fn order(schema: &Schema) -> Vec<&Table> {
    let mut placed: Vec<&Table> = Vec::new();
    let mut left: Vec<&Table> = schema.tables.iter().collect();
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            schema.links.iter().all(|l| {
                l.child != t.name
                    || l.parent == t.name
                    || placed.iter().any(|p| p.name == l.parent)
                    || !required(t, l)
                    || !left.iter().any(|o| o.name == l.parent)
            })
        });
        placed.push(left.remove(ready.unwrap_or(0)));
    }
    placed
}

/// A link whose columns must hold a value.
fn required(table: &Table, link: &Link) -> bool {
    link.child_columns.iter().any(|c| {
        table
            .column(c)
            .is_some_and(|c| !c.nullable && !c.has_default)
    })
}

/// The columns a table's rows are written with, and each row's values.
fn rows_for(
    db: &Db,
    schema: &Schema,
    expect: &Expect,
    table: &Table,
    table_no: usize,
    known: &BTreeMap<String, Known>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let marker = expect.marker(&table.name);
    let mut columns = Vec::new();
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); ROWS];
    for column in &table.columns {
        if column.generated {
            continue;
        }
        let link = schema.links.iter().find(|l| {
            l.child == table.name
                && l.parent != table.name
                && l.child_columns.contains(&column.name)
        });
        let parent = link.and_then(|l| known.get(&l.parent).filter(|k| !k.rows.is_empty()));
        let is_marker = marker.is_some_and(|m| {
            m.column.as_deref() == Some(&column.name)
                || m.time_column.as_deref() == Some(&column.name)
        });
        let values: Vec<String> = match (link, parent) {
            (Some(link), Some(parent)) => {
                let at = link
                    .child_columns
                    .iter()
                    .position(|c| *c == column.name)
                    .unwrap_or(0);
                let parent_column = &link.parent_columns[at];
                (0..ROWS)
                    .map(|row| {
                        match parent.value((row * 7 + 3) % parent.rows.len(), parent_column) {
                            Some(v) => value_for(db, column, v),
                            None => "NULL".into(),
                        }
                    })
                    .collect()
            }
            (Some(_), None) if column.nullable => vec!["NULL".into(); ROWS],
            _ if is_marker => {
                vec![live_value(db, column, marker.and_then(|m| m.convention.as_deref())); ROWS]
            }
            _ if column.has_default && !column.unique => continue,
            _ if column.nullable && !column.unique && !table.key.contains(&column.name) => continue,
            _ => (0..ROWS)
                .map(|row| literal(db, column, table_no, row))
                .collect(),
        };
        columns.push(ident(&column.name));
        for (row, value) in values.into_iter().enumerate() {
            rows[row].push(value);
        }
    }
    (columns, rows)
}

fn live_value(db: &Db, column: &Column, convention: Option<&str>) -> String {
    match convention {
        Some("epoch_millis" | "epoch_seconds") => "0".into(),
        Some("flag") if column.base.contains("bool") || column.base.contains("BOOL") => {
            if db.pg {
                "FALSE".into()
            } else {
                "0".into()
            }
        }
        Some("flag") if column.base.contains("int") || column.base.contains("INT") => "0".into(),
        _ if !column.nullable => literal(db, column, 0, 0),
        _ => "NULL".into(),
    }
}

/// Writes the rows: all at once, else one by one, leaving out those refused.
async fn insert(db: &Db, table: &Table, columns: &[String], rows: &[Vec<String>]) -> usize {
    let head = if columns.is_empty() {
        format!("INSERT INTO {} DEFAULT VALUES", ident(&table.name))
    } else {
        format!(
            "INSERT INTO {} ({}) VALUES",
            ident(&table.name),
            columns.join(", ")
        )
    };
    let tuple = |r: &Vec<String>| format!("({})", r.join(", "));
    if !columns.is_empty() {
        let all: Vec<String> = rows.iter().map(tuple).collect();
        if try_exec(db, &format!("{head} {}", all.join(", "))).await {
            return rows.len();
        }
    }
    let mut written = 0;
    for r in rows {
        let sql = if columns.is_empty() {
            head.clone()
        } else {
            format!("{head} {}", tuple(r))
        };
        if try_exec(db, &sql).await {
            written += 1;
        }
    }
    written
}

async fn try_exec(db: &Db, sql: &str) -> bool {
    let mut c = db.conn().await;
    match trashcan::db::batch_execute(&mut c, sql).await {
        Ok(_) => true,
        Err(e) => {
            if std::env::var_os("CORPUS_DEBUG").is_some() {
                eprintln!("DEBUG refused: {e}\n  {}", &sql[..sql.len().min(300)]);
            }
            false
        }
    }
}

/// The key columns and every column a link points at, for each row, in key order.
async fn read_back(db: &Db, schema: &Schema, table: &Table) -> Known {
    let mut columns: Vec<String> = table.key.clone();
    for l in schema.links.iter().filter(|l| l.parent == table.name) {
        for c in &l.parent_columns {
            if !columns.contains(c) {
                columns.push(c.clone());
            }
        }
    }
    if columns.is_empty() {
        return Known::default();
    }
    let text: Vec<String> = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({} AS TEXT), '\u{1}')", ident(c)))
        .collect();
    let order: Vec<String> = table.key.iter().map(|c| ident(c)).collect();
    let order = if order.is_empty() {
        "1".to_owned()
    } else {
        order.join(", ")
    };
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        text.join(" || '|' || "),
        ident(&table.name)
    );
    let rows = db
        .strings(&sql)
        .await
        .into_iter()
        .map(|l| {
            l.split('|')
                .map(|v| (v != "\u{1}").then(|| v.to_owned()))
                .collect()
        })
        .collect();
    Known { columns, rows }
}

/// Fills the schema; returns the groups trashed together.
pub async fn fill(db: &Db, schema: &Schema, expect: &Expect) -> Generated {
    let mut known: BTreeMap<String, Known> = BTreeMap::new();
    let mut generated = Generated::default();
    for (table_no, table) in order(schema).into_iter().enumerate() {
        let (columns, rows) = rows_for(db, schema, expect, table, table_no, &known);
        let written = insert(db, table, &columns, &rows).await;
        generated.rows.insert(table.name.clone(), written);
        known.insert(table.name.clone(), read_back(db, schema, table).await);
    }
    link_nullable(db, schema, &known).await;
    let numbers: BTreeMap<&str, usize> = schema
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    super::trash::trash(
        db,
        schema,
        expect,
        &known_keys(schema, &known),
        &numbers,
        &mut generated,
    )
    .await;
    generated
}

/// Each table's keys as `a,b` text, in key order.
fn known_keys(schema: &Schema, known: &BTreeMap<String, Known>) -> BTreeMap<String, Vec<String>> {
    schema
        .tables
        .iter()
        .filter(|t| !t.key.is_empty())
        .map(|t| {
            let k = known.get(&t.name).cloned().unwrap_or_default();
            let keys = (0..k.rows.len())
                .map(|r| {
                    t.key
                        .iter()
                        .map(|c| k.value(r, c).cloned().unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect();
            (t.name.clone(), keys)
        })
        .collect()
}

/// Gives nullable links (a row's parent in its own table, keys to tables written later)
/// a parent in most rows.
async fn link_nullable(db: &Db, schema: &Schema, known: &BTreeMap<String, Known>) {
    for link in &schema.links {
        let (Some(child), Some(parent)) = (schema.table(&link.child), known.get(&link.parent))
        else {
            continue;
        };
        let Some(rows) = known.get(&link.child) else {
            continue;
        };
        if child.key.is_empty() || parent.rows.is_empty() || required(child, link) {
            continue;
        }
        let columns: Vec<&Column> = link
            .child_columns
            .iter()
            .filter_map(|c| child.column(c))
            .collect();
        let mut sql = String::new();
        for row in 0..rows.rows.len() {
            // Every third row keeps no parent; a row of its own table points at an earlier one.
            let target = if link.parent == link.child {
                if row == 0 || row % 3 == 0 {
                    continue;
                }
                row - 1
            } else {
                if row % 3 == 2 {
                    continue;
                }
                (row * 5 + 1) % parent.rows.len()
            };
            let set: Vec<String> = columns
                .iter()
                .zip(&link.parent_columns)
                .map(|(c, p)| {
                    let value = parent
                        .value(target, p)
                        .map_or("NULL".into(), |v| value_for(db, c, v));
                    format!("{} = {value}", ident(&c.name))
                })
                .collect();
            let key: Vec<String> = child
                .key
                .iter()
                .map(|k| {
                    let column = child.column(k).expect("key column");
                    let value = rows
                        .value(row, k)
                        .map_or("NULL".into(), |v| value_for(db, column, v));
                    format!("{} = {value}", ident(k))
                })
                .collect();
            sql.push_str(&format!(
                "UPDATE {} SET {} WHERE {};\n",
                ident(&child.name),
                set.join(", "),
                key.join(" AND ")
            ));
        }
        if !sql.is_empty() && !try_exec(db, &sql).await {
            // One refused update (a unique key, a check) fails the batch: go one by one.
            for statement in sql.lines() {
                try_exec(db, statement).await;
            }
        }
    }
}
