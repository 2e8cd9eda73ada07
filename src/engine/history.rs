//! Reading the audit log back: newest first, a page at a time, optionally narrowed to a
//! period and to entries mentioning some text. Only reads; the log is append-only.

use serde::Serialize;

use super::audit::{self, TableKeys, log_table};
use super::error::EngineError;
use super::expr;
use super::sql::{Binds, like_contains_pattern};
use crate::db::{Backend, DbConn, rows};

/// More than this per page would only be slow to draw or print.
pub const MAX_LIMIT: u32 = 10_000;

/// A page when the caller does not say: a screenful or two, cheap on any log.
pub const DEFAULT_LIMIT: u32 = 200;

/// Which entries to read.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditQuery {
    /// Only entries at or after this moment (seconds since the epoch, database clock).
    pub since_epoch: Option<f64>,
    /// Only entries whose action, tables, users, SSH client, reason or job id contain
    /// this text, case-insensitively; `%`, `_` and `\` match themselves.
    pub search: Option<String>,
    /// Keyset cursor: `(at, id)` of the last entry of the previous page. Entries after it
    /// in the newest-first order are returned.
    pub before: Option<(String, i64)>,
    /// At most this many entries, capped at [`MAX_LIMIT`].
    pub limit: u32,
}

/// Everything, newest first, one page of [`DEFAULT_LIMIT`] (a zero limit would quietly
/// read nothing).
impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            since_epoch: None,
            search: None,
            before: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// One entry of the log as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub at_epoch: f64,
    pub os_user: String,
    pub ssh_client: Option<String>,
    /// Empty on SQLite, which has no roles.
    pub db_user: String,
    pub action: String,
    /// The touched tables, comma-separated, as recorded.
    pub table_names: String,
    pub rows: u64,
    pub reason: Option<String>,
    pub job_id: Option<i64>,
    pub context: Option<String>,
    /// Per table, the keys the change touched; empty when the details cannot be read.
    pub tables: Vec<TableKeys>,
}

impl AuditRecord {
    /// `alice` or `alice from 10.0.0.7`, as the actor was shown when the entry was made.
    pub fn who(&self) -> String {
        audit::Actor {
            os_user: self.os_user.clone(),
            ssh_client: self.ssh_client.clone(),
        }
        .describe()
    }

    /// Keys recorded across all tables (at most [`audit::KEYS_PER_TABLE`] per table).
    pub fn key_count(&self) -> usize {
        self.tables.iter().map(|t| t.keys.len()).sum()
    }

    /// The cursor that continues after this entry.
    pub fn cursor(&self) -> (String, i64) {
        (self.at.clone(), self.id)
    }
}

/// Entries newest first (`at`, then `id`, descending), one page of `query.limit`.
pub async fn list(conn: &mut DbConn, query: &AuditQuery) -> Result<Vec<AuditRecord>, EngineError> {
    if !audit::installed(conn).await? {
        return Err(EngineError::other(
            "the console's bookkeeping tables (the audit log) are not installed in this \
             database (run with --init)",
        ));
    }
    let backend = conn.backend();
    let table = log_table(backend);
    let mut binds = Binds::new(backend);
    let mut conditions = Vec::new();

    if let Some(since) = query.since_epoch {
        let since = binds.push(since.to_string());
        // The raw column is compared, so the (at, id) index bounds the scan.
        conditions.push(match backend {
            Backend::Postgres => format!("at >= to_timestamp(CAST({since} AS float8))"),
            Backend::Sqlite => {
                format!("at >= strftime('%Y-%m-%d %H:%M:%f', CAST({since} AS REAL), 'unixepoch')")
            }
        });
    }

    if let Some((at, id)) = &query.before {
        conditions.push(before_condition(
            &mut binds,
            backend,
            &table.quoted(),
            at,
            *id,
        )?);
    }

    if let Some(search) = query.search.as_deref().filter(|s| !s.is_empty()) {
        let pattern = binds.push(like_contains_pattern(search));
        let like = match backend {
            Backend::Postgres => "ILIKE",
            Backend::Sqlite => "LIKE",
        };
        let columns = [
            "action".to_owned(),
            "table_names".to_owned(),
            "os_user".to_owned(),
            "ssh_client".to_owned(),
            "db_user".to_owned(),
            "reason".to_owned(),
            expr::cast_text("job_id", backend),
        ];
        let any: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} {like} {pattern} ESCAPE '\\'"))
            .collect();
        conditions.push(format!("({})", any.join(" OR ")));
    }

    let limit = binds.push(page_limit(query.limit).to_string());
    let (at_text, at_epoch) = match backend {
        Backend::Postgres => (
            "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
            "CAST(date_part('epoch', at) AS text)",
        ),
        Backend::Sqlite => (
            "strftime('%Y-%m-%d %H:%M:%S', at)",
            "CAST(unixepoch(at, 'subsec') AS TEXT)",
        ),
    };
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT CAST(id AS TEXT), {at_text}, {at_epoch}, os_user, ssh_client, db_user, action, \
         table_names, CAST(row_count AS TEXT), reason, CAST(job_id AS TEXT), details \
         FROM {}{filter} ORDER BY at DESC, id DESC LIMIT CAST({limit} AS BIGINT)",
        table.quoted()
    );
    let found = rows::query_nullable(conn, &sql, &binds.into_nullable_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table))?;
    Ok(found
        .iter()
        .map(|r| {
            let (context, tables) = parse_details(r.text(11).as_deref());
            AuditRecord {
                id: r.int(0).unwrap_or(0),
                at: r.text(1).unwrap_or_default(),
                at_epoch: r.float(2).unwrap_or(0.0),
                os_user: r.text(3).unwrap_or_default(),
                ssh_client: r.text(4),
                db_user: r.text(5).unwrap_or_default(),
                action: r.text(6).unwrap_or_default(),
                table_names: r.text(7).unwrap_or_default(),
                rows: r.int(8).and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
                reason: r.text(9),
                job_id: r.int(10),
                context,
                tables,
            }
        })
        .collect())
}

/// The rows a page may hold: as asked, up to [`MAX_LIMIT`].
pub fn page_limit(asked: u32) -> u32 {
    asked.min(MAX_LIMIT)
}

/// Entries after the cursor in the newest-first order. The shown `at` is cut to the
/// second while entries are ordered by the full timestamp, so comparing against the
/// shown text would skip or repeat entries of the same second; the cursor entry's own
/// stored `at` is used instead (the log is append-only, so it cannot have changed). The
/// text is only the fallback for an id that is not in the log.
fn before_condition(
    binds: &mut Binds,
    backend: Backend,
    table: &str,
    at: &str,
    id: i64,
) -> Result<String, EngineError> {
    let shown = chrono::NaiveDateTime::parse_from_str(at.trim(), "%Y-%m-%d %H:%M:%S%.f")
        .map_err(|e| {
            EngineError::other(format!(
                "`{at}` is not an audit log time (YYYY-MM-DD HH:MM:SS): {e}"
            ))
        })?
        .format("%Y-%m-%d %H:%M:%S%.f")
        .to_string();
    let id = binds.push(id.to_string());
    let shown = binds.push(shown);
    let fallback = match backend {
        Backend::Postgres => format!("(CAST({shown} AS timestamp) AT TIME ZONE 'UTC')"),
        Backend::Sqlite => format!("strftime('%Y-%m-%d %H:%M:%f', {shown})"),
    };
    Ok(format!(
        "(at, id) < (COALESCE((SELECT c.at FROM {table} AS c WHERE c.id = CAST({id} AS BIGINT)), \
         {fallback}), CAST({id} AS BIGINT))"
    ))
}

/// The context and per-table keys from an entry's details, as [`audit::record`] writes
/// them. Details written by hand or by an older version may not parse; the entry is
/// still listed, without keys.
fn parse_details(details: Option<&str>) -> (Option<String>, Vec<TableKeys>) {
    let Some(value) = details.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
    else {
        return (None, Vec::new());
    };
    let context = match value.get("context") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        Some(other) => Some(other.to_string()),
    };
    let tables = value
        .get("tables")
        .cloned()
        .and_then(|t| serde_json::from_value(t).ok())
        .unwrap_or_default();
    (context, tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_parse_as_record_writes_them() {
        let details = r#"{"context":"scope: all","tables":[{"table":"users","key_columns":["id"],"rows":2,"keys":[["1"],["2"]]}]}"#;
        let (context, tables) = parse_details(Some(details));
        assert_eq!(context.as_deref(), Some("scope: all"));
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].keys,
            vec![vec!["1".to_owned()], vec!["2".to_owned()]]
        );
    }

    #[test]
    fn unreadable_details_leave_the_entry_without_keys() {
        assert_eq!(parse_details(None), (None, Vec::new()));
        assert_eq!(parse_details(Some("not json")), (None, Vec::new()));
        let (context, tables) = parse_details(Some(r#"{"context":{"a":1},"tables":"x"}"#));
        assert_eq!(context.as_deref(), Some(r#"{"a":1}"#));
        assert!(tables.is_empty());
    }

    #[test]
    fn pages_are_capped() {
        assert_eq!(page_limit(200), 200);
        assert_eq!(page_limit(MAX_LIMIT + 1), MAX_LIMIT);
        assert_eq!(page_limit(u32::MAX), MAX_LIMIT);
    }

    #[test]
    fn a_malformed_cursor_is_refused() {
        let mut binds = Binds::new(Backend::Sqlite);
        assert!(before_condition(&mut binds, Backend::Sqlite, "t", "yesterday", 1).is_err());
        assert!(
            before_condition(&mut binds, Backend::Sqlite, "t", "2026-01-02 03:04:05", 1).is_ok()
        );
    }
}
