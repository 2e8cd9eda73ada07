//! What the console knows about a database's tables, read from its catalog.

use crate::db::Backend;
use crate::engine::sql::{TableName, quote_ident};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Integer,
    Float,
    Numeric,
    Text,
    Bool,
    Timestamp { with_tz: bool },
    Date,
    Binary,
    Json,
    Uuid,
    Other,
}

impl ColumnKind {
    /// Classifies a PostgreSQL base type name (`pg_type.typname`).
    pub fn from_postgres(typname: &str) -> Self {
        match typname {
            "int2" | "int4" | "int8" | "oid" => Self::Integer,
            "float4" | "float8" => Self::Float,
            "numeric" | "money" => Self::Numeric,
            "text" | "varchar" | "bpchar" | "name" | "citext" | "char" => Self::Text,
            "bool" => Self::Bool,
            "timestamp" => Self::Timestamp { with_tz: false },
            "timestamptz" => Self::Timestamp { with_tz: true },
            "date" => Self::Date,
            "bytea" => Self::Binary,
            "json" | "jsonb" => Self::Json,
            "uuid" => Self::Uuid,
            _ => Self::Other,
        }
    }

    /// Classifies a SQLite declared type. SQLite's own affinity rules look for `INT`
    /// first; booleans and timestamps are checked before that because applications
    /// declare them by name even though SQLite stores integers or text.
    pub fn from_sqlite(declared: &str) -> Self {
        let t = declared.to_ascii_uppercase();
        if t.contains("BOOL") {
            Self::Bool
        } else if t.contains("TIMESTAMP") || t.contains("DATETIME") {
            Self::Timestamp { with_tz: false }
        } else if t == "DATE" {
            Self::Date
        } else if t.contains("INT") {
            Self::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Self::Text
        } else if t.contains("BLOB") || t.contains("BINARY") {
            Self::Binary
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Self::Float
        } else if t.contains("JSON") {
            Self::Json
        } else if t.is_empty() {
            Self::Other
        } else {
            Self::Numeric
        }
    }

    pub fn is_searchable(self) -> bool {
        !matches!(self, Self::Binary)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    /// The type as the database spells it (`format_type` on PostgreSQL, the declared
    /// type on SQLite). Used to cast bound text back to the column's type.
    pub sql_type: String,
    pub kind: ColumnKind,
    pub nullable: bool,
}

impl ColumnInfo {
    pub fn quoted(&self) -> String {
        quote_ident(&self.name)
    }

    /// Wraps a bind placeholder so the text value compares as the column's type.
    pub fn cast_bind(&self, backend: Backend, placeholder: &str) -> String {
        match backend {
            Backend::Postgres => format!("CAST({placeholder} AS {})", self.sql_type),
            Backend::Sqlite => match self.kind {
                ColumnKind::Integer | ColumnKind::Bool => format!("CAST({placeholder} AS INTEGER)"),
                ColumnKind::Float => format!("CAST({placeholder} AS REAL)"),
                ColumnKind::Numeric => format!("CAST({placeholder} AS NUMERIC)"),
                _ => placeholder.to_owned(),
            },
        }
    }
}

/// How a table marks a row as trashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// A nullable timestamp: NULL is live.
    Timestamp,
    /// A boolean flag, usually with a companion time column.
    Flag,
    /// Epoch milliseconds in an integer; 0 (or NULL) is live.
    EpochMillis,
    /// Epoch seconds in an integer; 0 (or NULL) is live.
    EpochSeconds,
}

impl Convention {
    pub fn label(self) -> &'static str {
        match self {
            Convention::Timestamp => "timestamp",
            Convention::Flag => "flag",
            Convention::EpochMillis => "epoch ms",
            Convention::EpochSeconds => "epoch s",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoftDelete {
    pub convention: Convention,
    /// The column whose value says trashed or live.
    pub marker: ColumnInfo,
    /// When the row was trashed: the marker itself, except for flags.
    pub time: Option<ColumnInfo>,
    /// The time column is not a deletion time but one standing in for it (a flag-only
    /// table's `updated_at`, from the config): a purge says so.
    pub time_is_proxy: bool,
    pub deleted_by: Option<String>,
    pub reason: Option<String>,
    pub token: Option<String>,
}

/// What detection made of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Soft-deletes by a known convention, and the data agrees.
    Convention,
    /// Soft-deletes as the config says.
    Configured,
    /// A column looks like a marker but is not one (see the near misses).
    NearMiss,
    /// Keeps snapshots of other rows (versions, history, audits): its marker copies
    /// another table's. Left out unless the config includes it.
    History,
    /// The config leaves it out.
    Ignored,
    /// No column looks like a marker.
    #[default]
    None,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Convention => "trash",
            Verdict::Configured => "trash (config)",
            Verdict::NearMiss => "near miss",
            Verdict::History => "history",
            Verdict::Ignored => "ignored (config)",
            Verdict::None => "none",
        }
    }
}

/// Why a table is, or is not, a trash bin: every verdict explains itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detection {
    pub verdict: Verdict,
    /// What the verdict rests on: the convention and who uses it, the column and its
    /// type, and what the data showed.
    pub because: Vec<String>,
    /// Columns that looked like markers and were not taken: (column, why).
    pub near_misses: Vec<(String, String)>,
    /// For a flag without a deletion time: a column that could stand in for one
    /// (`[tables.T] time_column`), e.g. `updated_at`.
    pub proxy_suggestion: Option<String>,
}

impl Detection {
    /// One line: the verdict and its first reason.
    pub fn summary(&self) -> String {
        let first = self
            .because
            .first()
            .cloned()
            .or_else(|| {
                self.near_misses
                    .first()
                    .map(|(column, why)| format!("{column}: {why}"))
            })
            .unwrap_or_default();
        format!("{}: {first}", self.verdict.label())
    }
}

impl SoftDelete {
    /// The convention as one line, e.g. `flag is_deleted, time deleted_at`: what a purge
    /// records it planned with, and compares before it runs.
    pub fn describe(&self) -> String {
        let mut text = format!("{} {}", self.convention.label(), self.marker.name);
        match (&self.time, self.convention) {
            (Some(t), Convention::Flag) if self.time_is_proxy => {
                text.push_str(&format!(", age from {} (proxy)", t.name));
            }
            (Some(t), Convention::Flag) => text.push_str(&format!(", time {}", t.name)),
            (None, _) => text.push_str(" (no deletion time)"),
            _ => {}
        }
        text
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn from_postgres(code: &str) -> Self {
        match code {
            "r" => Self::Restrict,
            "c" => Self::Cascade,
            "n" => Self::SetNull,
            "d" => Self::SetDefault,
            _ => Self::NoAction,
        }
    }

    pub fn from_sqlite(text: &str) -> Self {
        match text.to_ascii_uppercase().as_str() {
            "RESTRICT" => Self::Restrict,
            "CASCADE" => Self::Cascade,
            "SET NULL" => Self::SetNull,
            "SET DEFAULT" => Self::SetDefault,
            _ => Self::NoAction,
        }
    }
}

/// A parent → child edge: a declared foreign key, or a relation from the config for
/// schemas whose keys are only implied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub name: String,
    pub child: TableName,
    pub child_columns: Vec<String>,
    pub parent: TableName,
    pub parent_columns: Vec<String>,
    pub on_delete: FkAction,
    pub deferrable: bool,
    /// False for relations that exist only in the config.
    pub declared: bool,
}

impl Relation {
    /// `orders.user_id → users.id`, the way operators read paths.
    pub fn describe(&self) -> String {
        format!(
            "{}.{} → {}.{}",
            self.child,
            self.child_columns.join(","),
            self.parent,
            self.parent_columns.join(",")
        )
    }
}

/// An index as far as advice needs it: its leading plain columns, and whether it covers
/// only some rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexInfo {
    pub name: String,
    /// Key columns in order; an expression key ends the list, since nothing after it
    /// can serve a lookup by plain columns.
    pub columns: Vec<String>,
    pub unique: bool,
    /// The `WHERE` of a partial index, as the database prints it (`None` for full indexes).
    pub predicate: Option<String>,
}

impl IndexInfo {
    /// Whether the index can drive lookups on exactly these columns, in any order.
    pub fn leads_with(&self, columns: &[String]) -> bool {
        columns.len() <= self.columns.len()
            && columns
                .iter()
                .all(|c| self.columns[..columns.len()].contains(c))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableInfo {
    pub name: TableName,
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub soft_delete: Option<SoftDelete>,
    /// Planner statistics on PostgreSQL; `None` where the engine keeps none.
    pub estimated_rows: Option<i64>,
    pub can_select: bool,
    pub can_modify: bool,
    /// Columns shown in the records pane besides key and age.
    pub display_columns: Vec<String>,
    pub retention_days: Option<u32>,
    pub indexes: Vec<IndexInfo>,
    pub detection: Detection,
}

impl TableInfo {
    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn key_columns(&self) -> Vec<&ColumnInfo> {
        self.primary_key
            .iter()
            .filter_map(|k| self.column(k))
            .collect()
    }

    /// Why the console must not change this table, if it must not.
    pub fn read_only_reason(&self) -> Option<&'static str> {
        if !self.can_select {
            Some("no SELECT permission")
        } else if self.primary_key.is_empty() {
            Some("no primary key")
        } else if !self.can_modify {
            Some("no UPDATE/DELETE permission")
        } else {
            None
        }
    }
}
