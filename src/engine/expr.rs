//! SQL expressions derived from catalog facts: "is this row trashed", "when", and how to
//! render any column as tagged text. Only catalog names reach these strings, quoted.

use super::catalog::{ColumnInfo, ColumnKind, Convention, SoftDelete, TableInfo};
use crate::db::Backend;

/// A column as seen through a table alias (`t1."deleted_at"`), or bare without one.
pub fn column_in(column: &ColumnInfo, alias: Option<&str>) -> String {
    match alias {
        Some(a) => format!("{a}.{}", column.quoted()),
        None => column.quoted(),
    }
}

/// `WHERE` condition true for trashed rows.
pub fn trashed(sd: &SoftDelete, backend: Backend) -> String {
    trashed_in(sd, backend, None)
}

/// [`trashed`] for a table reached through `alias` in a join.
pub fn trashed_in(sd: &SoftDelete, backend: Backend, alias: Option<&str>) -> String {
    let marker = column_in(&sd.marker, alias);
    match sd.convention {
        Convention::Timestamp => format!("{marker} IS NOT NULL"),
        Convention::Flag => match (backend, sd.marker.kind) {
            (Backend::Postgres, ColumnKind::Bool) => marker,
            (Backend::Postgres, _) => format!("{marker} <> 0"),
            (Backend::Sqlite, _) => format!(
                "({marker} IS NOT NULL AND {marker} NOT IN (0, '0', 'f', 'false', 'F', 'FALSE'))"
            ),
        },
        Convention::EpochMillis | Convention::EpochSeconds => format!("{marker} <> 0"),
    }
}

/// The value pages are ordered by and its column (for casting cursor values back), or
/// `None` when the table records no deletion time (then pages follow the key alone).
pub fn sort_key(sd: &SoftDelete, backend: Backend) -> Option<(String, ColumnInfo)> {
    let time = sd.time.as_ref()?;
    let quoted = time.quoted();
    if sd.convention != Convention::Flag {
        // The marker is non-NULL for every trashed row, so the raw column keeps
        // keyset comparisons exact and lets the partial index drive the scan.
        return Some((quoted, time.clone()));
    }
    // A flagged row may lack its time; a sentinel keeps the order total.
    let sentinel = match (backend, time.kind) {
        (Backend::Postgres, ColumnKind::Timestamp { .. } | ColumnKind::Date) => {
            format!("CAST('-infinity' AS {})", time.sql_type)
        }
        (Backend::Postgres, ColumnKind::Integer | ColumnKind::Float | ColumnKind::Numeric) => {
            "0".into()
        }
        (Backend::Postgres, _) => "''".into(),
        (Backend::Sqlite, ColumnKind::Integer | ColumnKind::Float | ColumnKind::Numeric) => {
            "0".into()
        }
        (Backend::Sqlite, _) => "''".into(),
    };
    Some((format!("COALESCE({quoted}, {sentinel})"), time.clone()))
}

/// Seconds since the epoch at which the row was trashed, as a float; NULL if unknown.
pub fn deleted_epoch(sd: &SoftDelete, backend: Backend) -> String {
    deleted_epoch_in(sd, backend, None)
}

/// [`deleted_epoch`] for a table reached through `alias` in a join.
pub fn deleted_epoch_in(sd: &SoftDelete, backend: Backend, alias: Option<&str>) -> String {
    // Typed, so arithmetic on it stays NULL on PostgreSQL instead of failing.
    let Some(time) = sd.time.as_ref() else {
        return "CAST(NULL AS DOUBLE PRECISION)".into();
    };
    let c = column_in(time, alias);
    let as_epoch_kind = match (sd.convention, time.kind) {
        (Convention::EpochSeconds, _) => Some(Convention::EpochSeconds),
        (Convention::EpochMillis, _) => Some(Convention::EpochMillis),
        (Convention::Flag, ColumnKind::Integer) => Some(Convention::EpochMillis),
        _ => None,
    };
    match (backend, as_epoch_kind) {
        (_, Some(Convention::EpochSeconds)) => format!("({c} * 1.0)"),
        (_, Some(_)) => format!("({c} / 1000.0)"),
        (Backend::Postgres, None) => format!("date_part('epoch', {c})"),
        (Backend::Sqlite, None) => format!("unixepoch({c}, 'auto', 'subsec')"),
    }
}

/// The database's clock, in epoch seconds: ages are measured against the server, not the
/// bastion host, whose clock may be off.
pub fn now_epoch(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "date_part('epoch', now())",
        Backend::Sqlite => "unixepoch('now', 'subsec')",
    }
}

/// Any SQL expression rendered as text.
pub fn cast_text(expression: &str, backend: Backend) -> String {
    match backend {
        Backend::Postgres => format!("CAST({expression} AS text)"),
        Backend::Sqlite => format!("CAST({expression} AS TEXT)"),
    }
}

/// A column (or rowid/ctid) rendered as text, for cursors and text matching.
pub fn as_text(column: &ColumnInfo, backend: Backend) -> String {
    cast_text(&column.quoted(), backend)
}

/// A cell for display, tagged so the client knows what it got: `t` text, `T<len>:` text
/// cut to `max_chars` of `len`, `b<len>` binary of `len` bytes; NULL stays NULL.
pub fn tagged_cell(column: &ColumnInfo, backend: Backend, max_chars: u32) -> String {
    let c = column.quoted();
    match backend {
        Backend::Postgres if column.kind == ColumnKind::Binary => {
            format!("CASE WHEN {c} IS NULL THEN NULL ELSE 'b' || octet_length({c})::text END")
        }
        Backend::Postgres => {
            let text = format!("CAST({c} AS text)");
            format!(
                "CASE WHEN {c} IS NULL THEN NULL \
                 WHEN length({text}) > {max_chars} THEN 'T' || length({text})::text || ':' || left({text}, {max_chars}) \
                 ELSE 't' || {text} END"
            )
        }
        Backend::Sqlite => format!(
            "CASE typeof({c}) WHEN 'null' THEN NULL \
             WHEN 'blob' THEN 'b' || length({c}) \
             WHEN 'text' THEN CASE WHEN length({c}) > {max_chars} \
                  THEN 'T' || length({c}) || ':' || substr({c}, 1, {max_chars}) ELSE 't' || {c} END \
             ELSE 't' || CAST({c} AS TEXT) END"
        ),
    }
}

/// The columns that identify a row: the primary key, else the engine's physical row id
/// (`ctid`, `rowid`), which is fine for reading but never used to change a row.
pub fn key_columns(table: &TableInfo, backend: Backend) -> Vec<ColumnInfo> {
    if !table.primary_key.is_empty() {
        return table.key_columns().into_iter().cloned().collect();
    }
    let (name, sql_type, kind) = match backend {
        Backend::Postgres => ("ctid", "tid", ColumnKind::Other),
        Backend::Sqlite => ("rowid", "INTEGER", ColumnKind::Integer),
    };
    vec![ColumnInfo {
        name: name.into(),
        sql_type: sql_type.into(),
        kind,
        nullable: false,
    }]
}

/// A displayed value, decoded from [`tagged_cell`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Truncated { text: String, total_chars: u64 },
    Binary { bytes: u64 },
}

impl Cell {
    pub fn decode(raw: Option<&[u8]>) -> Cell {
        let Some(raw) = raw else { return Cell::Null };
        match raw.split_first() {
            Some((b't', rest)) => Cell::Text(String::from_utf8_lossy(rest).into_owned()),
            Some((b'b', rest)) => Cell::Binary {
                bytes: String::from_utf8_lossy(rest).trim().parse().unwrap_or(0),
            },
            Some((b'T', rest)) => {
                let text = String::from_utf8_lossy(rest);
                match text.split_once(':') {
                    Some((len, body)) => Cell::Truncated {
                        text: body.to_owned(),
                        total_chars: len.parse().unwrap_or(0),
                    },
                    None => Cell::Text(text.into_owned()),
                }
            }
            _ => Cell::Text(String::from_utf8_lossy(raw).into_owned()),
        }
    }

    /// One-line form for tables: control characters are made visible so a value cannot
    /// move the cursor or clear the operator's screen.
    pub fn inline(&self) -> String {
        match self {
            Cell::Null => "NULL".into(),
            Cell::Text(t) => sanitize_line(t),
            Cell::Truncated { text, .. } => format!("{}…", sanitize_line(text)),
            Cell::Binary { bytes } => format!("<binary {}>", human_bytes(*bytes)),
        }
    }
}

pub fn sanitize_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '�',
            c => c,
        })
        .collect()
}

pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_tagged_cells() {
        assert_eq!(Cell::decode(None), Cell::Null);
        assert_eq!(Cell::decode(Some(b"thello")), Cell::Text("hello".into()));
        assert_eq!(Cell::decode(Some(b"b2048")), Cell::Binary { bytes: 2048 });
        assert_eq!(
            Cell::decode(Some(b"T900:abc")),
            Cell::Truncated {
                text: "abc".into(),
                total_chars: 900
            }
        );
        assert_eq!(Cell::decode(Some(b"t\xff\xfeok")).inline(), "��ok");
    }

    #[test]
    fn inline_hides_control_characters() {
        assert_eq!(Cell::Text("a\nb\x1b[2J".into()).inline(), "a b�[2J");
        assert_eq!(
            Cell::Binary { bytes: 204800 }.inline(),
            "<binary 200.0 KiB>"
        );
    }
}
