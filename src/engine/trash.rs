//! Reading the trash: keyset pages of trashed rows, one row in full, per-table counts.
//! Pages never use OFFSET: each starts from the previous page's last (sort, key) tuple,
//! so page 5,000 costs what page 1 costs and ties on `deleted_at` are neither skipped
//! nor repeated.

use super::catalog::{ColumnInfo, TableInfo};
use super::error::EngineError;
use super::expr::{self, Cell};
use super::filter::Filter;
use super::sql::Binds;
use crate::db::{Backend, DbConn, rows};

/// Where a page starts: the (sort value, key...) tuple of a row, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub Vec<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    First,
    After(Cursor),
    Before(Cursor),
    Last,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageQuery {
    pub anchor: Anchor,
    pub filter: Filter,
    pub newest_first: bool,
    pub limit: u32,
    /// Page through the table's live rows instead (by key, newest key first), the rows
    /// a move to trash starts from.
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrashRow {
    pub key: Vec<String>,
    pub cursor: Cursor,
    pub deleted_epoch: Option<f64>,
    pub age_seconds: Option<f64>,
    pub deleted_by: Option<String>,
    pub summary: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub rows: Vec<TrashRow>,
    pub more_before: bool,
    pub more_after: bool,
}

const SUMMARY_CHARS: u32 = 200;
const DETAIL_CHARS: u32 = 256 * 1024;

pub async fn page(
    conn: &mut DbConn,
    table: &TableInfo,
    query: &PageQuery,
) -> Result<Page, EngineError> {
    let backend = conn.backend();
    let sd = table
        .soft_delete
        .as_ref()
        .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
    let keys = expr::key_columns(table, backend);
    let sort = if query.live {
        None
    } else {
        expr::sort_key(sd, backend)
    };
    let mut order_parts: Vec<(String, &ColumnInfo)> = Vec::new();
    if let Some((sort_expr, sort_col)) = &sort {
        order_parts.push((sort_expr.clone(), sort_col));
    }
    for k in &keys {
        order_parts.push((k.quoted(), k));
    }

    let mut binds = Binds::new(backend);
    let mut conditions = vec![if query.live {
        format!("NOT COALESCE({}, FALSE)", expr::trashed(sd, backend))
    } else {
        expr::trashed(sd, backend)
    }];
    let (cursor, walking_forward) = match &query.anchor {
        Anchor::First => (None, true),
        Anchor::After(c) => (Some(c), true),
        Anchor::Before(c) => (Some(c), false),
        Anchor::Last => (None, false),
    };
    // Walking "forward" means in display order; newest-first display is descending.
    let descending = query.newest_first == walking_forward;
    if let Some(cursor) = cursor {
        if cursor.0.len() != order_parts.len() {
            return Err(EngineError::other("stale page cursor; reload the table"));
        }
        let lhs: Vec<&str> = order_parts.iter().map(|(e, _)| e.as_str()).collect();
        let rhs: Vec<String> = order_parts
            .iter()
            .zip(&cursor.0)
            .map(|((_, col), value)| col.cast_bind(backend, &binds.push(value.clone())))
            .collect();
        let op = if descending { "<" } else { ">" };
        conditions.push(format!("({}) {op} ({})", lhs.join(", "), rhs.join(", ")));
    }
    conditions.extend(query.filter.conditions(table, backend, &mut binds));

    let mut select = Vec::new();
    for (e, _) in &order_parts {
        select.push(expr::cast_text(e, backend));
    }
    let epoch = expr::deleted_epoch(sd, backend);
    select.push(expr::cast_text(&epoch, backend));
    select.push(expr::cast_text(
        &format!("({} - {epoch})", expr::now_epoch(backend)),
        backend,
    ));
    select.push(
        match sd.deleted_by.as_deref().and_then(|c| table.column(c)) {
            Some(c) => expr::as_text(c, backend),
            None => "NULL".into(),
        },
    );
    for name in &table.display_columns {
        if let Some(c) = table.column(name) {
            select.push(expr::tagged_cell(c, backend, SUMMARY_CHARS));
        }
    }
    let dir = if descending { "DESC" } else { "ASC" };
    let order: Vec<String> = order_parts
        .iter()
        .map(|(e, _)| format!("{e} {dir}"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT {}",
        aliased(&select),
        table.name.quoted(),
        conditions.join(" AND "),
        order.join(", "),
        u64::from(query.limit) + 1
    );
    let fetched = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table.name))?;

    let limit = query.limit as usize;
    let has_more = fetched.len() > limit;
    let order_len = order_parts.len();
    let key_offset = usize::from(sort.is_some());
    let mut rows: Vec<TrashRow> = fetched
        .into_iter()
        .take(limit)
        .map(|r| TrashRow {
            cursor: Cursor(
                (0..order_len)
                    .map(|i| r.text(i).unwrap_or_default())
                    .collect(),
            ),
            key: (key_offset..order_len)
                .map(|i| r.text(i).unwrap_or_default())
                .collect(),
            deleted_epoch: r.float(order_len),
            age_seconds: r.float(order_len + 1),
            deleted_by: r.text(order_len + 2),
            summary: (order_len + 3..r.len())
                .map(|i| Cell::decode(r.0[i].as_deref()))
                .collect(),
        })
        .collect();
    let mut page = Page::default();
    if walking_forward {
        page.more_after = has_more;
        page.more_before = matches!(query.anchor, Anchor::After(_));
    } else {
        rows.reverse();
        page.more_before = has_more;
        page.more_after = matches!(query.anchor, Anchor::Before(_));
    }
    page.rows = rows;
    Ok(page)
}

/// Names each output column `__tc<n>`. PostgreSQL resolves a bare `ORDER BY "id"` to an
/// output column called `id` before the table's column, and `CAST("id" AS text)` is
/// called `id`: without aliases, pages would sort by the text form ("98" after "308").
fn aliased(select: &[String]) -> String {
    select
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{e} AS \"__tc{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every column of one row, by key.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDetail {
    pub columns: Vec<(ColumnInfo, Cell)>,
    pub trashed: bool,
}

pub async fn row_detail(
    conn: &mut DbConn,
    table: &TableInfo,
    key: &[String],
) -> Result<Option<RowDetail>, EngineError> {
    let backend = conn.backend();
    let keys = expr::key_columns(table, backend);
    if keys.len() != key.len() {
        return Err(EngineError::other("row key does not match the table's key"));
    }
    let mut binds = Binds::new(backend);
    let matches: Vec<String> = keys
        .iter()
        .zip(key)
        .map(|(col, value)| {
            format!(
                "{} = {}",
                col.quoted(),
                col.cast_bind(backend, &binds.push(value.clone()))
            )
        })
        .collect();
    let mut select: Vec<String> = table
        .columns
        .iter()
        .map(|c| expr::tagged_cell(c, backend, DETAIL_CHARS))
        .collect();
    let trashed = table
        .soft_delete
        .as_ref()
        .map(|sd| {
            format!(
                "CASE WHEN {} THEN '1' ELSE '0' END",
                expr::trashed(sd, backend)
            )
        })
        .unwrap_or_else(|| "'0'".into());
    select.push(trashed);
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        aliased(&select),
        table.name.quoted(),
        matches.join(" AND ")
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table.name))?;
    Ok(found.into_iter().next().map(|r| {
        let n = table.columns.len();
        RowDetail {
            columns: table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.clone(),
                        Cell::decode(r.0.get(i).and_then(|v| v.as_deref())),
                    )
                })
                .collect(),
            trashed: r.bool(n).unwrap_or(false),
        }
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TableStats {
    pub trashed: i64,
    pub oldest_age_seconds: Option<f64>,
    pub live_estimate: Option<i64>,
    /// The table's retention: its own from the config, else the default.
    pub retention_days: u32,
    /// Trashed longer ago than the retention: what a purge with the default cutoff
    /// would start from. `None` when the table records no deletion time.
    pub past_retention: Option<i64>,
}

/// Trashed count, oldest age and rows past retention, exact (served by the soft-delete
/// index); live rows estimated from planner statistics on PostgreSQL, counted on SQLite.
pub async fn table_stats(
    conn: &mut DbConn,
    table: &TableInfo,
    default_retention_days: u32,
) -> Result<TableStats, EngineError> {
    let backend = conn.backend();
    let sd = table
        .soft_delete
        .as_ref()
        .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
    let epoch = expr::deleted_epoch(sd, backend);
    let total = match backend {
        Backend::Postgres => "NULL".to_owned(),
        Backend::Sqlite => format!(
            "(SELECT CAST(count(*) AS TEXT) FROM {})",
            table.name.quoted()
        ),
    };
    let retention_days = table.retention_days.unwrap_or(default_retention_days);
    let past_retention = match sd.time {
        // A whole number of seconds of the engine's own making, never user text.
        Some(_) => format!(
            "sum(CASE WHEN {epoch} < {} - {} THEN 1 ELSE 0 END)",
            expr::now_epoch(backend),
            u64::from(retention_days) * 86_400
        ),
        None => "NULL".to_owned(),
    };
    let sql = format!(
        "SELECT {}, {}, {total}, {} FROM {} WHERE {}",
        expr::cast_text("count(*)", backend),
        expr::cast_text(
            &format!("{} - min({epoch})", expr::now_epoch(backend)),
            backend
        ),
        expr::cast_text(&past_retention, backend),
        table.name.quoted(),
        expr::trashed(sd, backend)
    );
    let found = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::from_query(e, &table.name))?;
    let row = found.into_iter().next().unwrap_or_default();
    let trashed = row.int(0).unwrap_or(0);
    let total = match backend {
        Backend::Postgres => table.estimated_rows,
        Backend::Sqlite => row.int(2),
    };
    Ok(TableStats {
        trashed,
        oldest_age_seconds: row.float(1),
        live_estimate: total.map(|t| (t - trashed).max(0)),
        retention_days,
        // An empty table sums to NULL: nothing past retention.
        past_retention: sd.time.as_ref().map(|_| row.int(3).unwrap_or(0)),
    })
}
