//! Rows addressed by key: the `IN` lists and the chunked reads every step of a change
//! uses. Keys are always bound, a chunk at a time, so no statement outgrows the engines'
//! limits on bound values.

use std::collections::HashMap;

use crate::db::{Backend, DbConn, TextRow, rows};
use crate::engine::catalog::{ColumnInfo, ColumnKind};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::sql::{Binds, TableName};

/// Keys per statement: small enough for any number of key columns within both engines'
/// bind limits, big enough that a large change takes few round trips.
pub const KEYS_PER_STATEMENT: usize = 500;

/// `alias.k IN (…)` or `(alias.a, alias.b) IN (VALUES (…), …)`, keys bound and cast.
pub fn in_keys(
    alias: Option<&str>,
    key_columns: &[ColumnInfo],
    keys: &[Vec<String>],
    binds: &mut Binds,
    backend: Backend,
) -> String {
    let lhs: Vec<String> = key_columns
        .iter()
        .map(|c| expr::column_in(c, alias))
        .collect();
    let tuples: Vec<String> = keys
        .iter()
        .map(|key| {
            let values: Vec<String> = key_columns
                .iter()
                .zip(key)
                .map(|(c, v)| c.cast_bind(backend, &binds.push(v.clone())))
                .collect();
            if key_columns.len() == 1 {
                values.join(", ")
            } else {
                format!("({})", values.join(", "))
            }
        })
        .collect();
    if key_columns.len() == 1 {
        format!("{} IN ({})", lhs[0], tuples.join(", "))
    } else {
        format!("({}) IN (VALUES {})", lhs.join(", "), tuples.join(", "))
    }
}

/// Each column as text, through `alias`.
pub fn as_text(columns: &[ColumnInfo], alias: Option<&str>, backend: Backend) -> Vec<String> {
    columns
        .iter()
        .map(|c| expr::cast_text(&expr::column_in(c, alias), backend))
        .collect()
}

/// A row read by key: its other columns as text.
pub type ByKey = HashMap<Vec<String>, Vec<Option<String>>>;

/// Splits rows of `key_len` key cells followed by value cells.
pub fn split_row(row: &TextRow, key_len: usize) -> (Vec<String>, Vec<Option<String>>) {
    let key = (0..key_len)
        .map(|i| row.text(i).unwrap_or_default())
        .collect();
    let values = (key_len..row.len()).map(|i| row.text(i)).collect();
    (key, values)
}

/// Reads `columns` (SQL expressions over alias `t`) of the rows with these keys, a chunk
/// per statement. With `lock` (PostgreSQL), the rows stay locked until the transaction
/// ends, so nobody changes them between this read and the write.
pub async fn read_by_key(
    conn: &mut DbConn,
    table: &TableName,
    key_columns: &[ColumnInfo],
    columns: &[String],
    keys: &[Vec<String>],
    lock: bool,
) -> Result<ByKey, EngineError> {
    let backend = conn.backend();
    let mut found = HashMap::with_capacity(keys.len());
    let mut selected = as_text(key_columns, Some("t"), backend);
    selected.extend(columns.iter().cloned());
    let lock = if lock && backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT {} FROM {} AS t WHERE {}{lock}",
            selected.join(", "),
            table.quoted(),
            in_keys(Some("t"), key_columns, chunk, &mut binds, backend)
        );
        let rows = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, table))?;
        for row in &rows {
            let (key, values) = split_row(row, key_columns.len());
            found.insert(key, values);
        }
    }
    Ok(found)
}

/// Refuses keys that do not fit their columns: a key of the wrong width, or text in an
/// integer column. (SQLite would read `1,2` as 1 and act on another row.)
pub fn check_keys(columns: &[ColumnInfo], keys: &[Vec<String>]) -> Result<(), EngineError> {
    for key in keys {
        if key.len() != columns.len() {
            return Err(EngineError::other(format!(
                "key ({}) has {} value(s); the table's key has {} column(s)",
                key.join(", "),
                key.len(),
                columns.len()
            )));
        }
        for (value, column) in key.iter().zip(columns) {
            if column.kind == ColumnKind::Integer && value.parse::<i64>().is_err() {
                return Err(EngineError::other(format!(
                    "`{value}` is not an integer, as {} is",
                    column.name
                )));
            }
        }
    }
    Ok(())
}
