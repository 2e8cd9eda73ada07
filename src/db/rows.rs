//! Rows whose shape is only known at run time (the catalog decides which columns a query
//! selects). Every selected expression is rendered to text or bytes in SQL, so one row
//! type serves every table on both backends.

use diesel::QueryResult;
use diesel::backend::Backend as DieselBackend;
use diesel::deserialize::{self, FromSql, QueryableByName};
use diesel::row::{Field, NamedRow, Row};
use diesel::sql_types::{Binary, Text};
use diesel_async::RunQueryDsl;

use super::DbConn;

/// One result row: each cell is the raw bytes of the value's text form, or NULL.
/// Bytes, not `String`, so text that is not valid UTF-8 never fails a query; decoding
/// is lossy and happens at display time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRow(pub Vec<Option<Vec<u8>>>);

impl TextRow {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The cell as text, with invalid UTF-8 replaced; `None` for NULL.
    pub fn text(&self, index: usize) -> Option<String> {
        self.0
            .get(index)
            .and_then(|cell| cell.as_ref())
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    pub fn int(&self, index: usize) -> Option<i64> {
        self.text(index)
            .and_then(|t| t.trim().parse::<f64>().ok())
            .map(|f| f as i64)
    }

    pub fn float(&self, index: usize) -> Option<f64> {
        self.text(index).and_then(|t| t.trim().parse::<f64>().ok())
    }

    pub fn bool(&self, index: usize) -> Option<bool> {
        self.text(index).map(|t| {
            matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "t" | "true" | "1" | "yes" | "on"
            )
        })
    }
}

impl<DB> QueryableByName<DB> for TextRow
where
    DB: DieselBackend,
    Vec<u8>: FromSql<Binary, DB>,
{
    fn build<'a>(row: &impl NamedRow<'a, DB>) -> deserialize::Result<Self> {
        let count = row.field_count();
        let mut cells = Vec::with_capacity(count);
        for index in 0..count {
            let field = Row::get(row, index).ok_or("result row is shorter than its header")?;
            let cell = match field.value() {
                None => None,
                Some(raw) => Some(<Vec<u8> as FromSql<Binary, DB>>::from_sql(raw)?),
            };
            cells.push(cell);
        }
        Ok(TextRow(cells))
    }
}

/// Builds `sql` with its text binds for whichever backend `conn` is, then applies
/// `$run` (`load::<TextRow>` or `execute`). One builder for both backends, because the
/// boxed query type differs per backend and cannot be named once.
macro_rules! with_bound_query {
    ($conn:expr, $sql:expr, $binds:expr, |$q:ident, $c:ident| $run:expr) => {
        match $conn {
            DbConn::Postgres(conn) => {
                let mut $q = diesel::sql_query($sql.to_owned()).into_boxed::<diesel::pg::Pg>();
                for value in $binds {
                    $q = $q.bind::<Text, _>(value.clone());
                }
                let $c = &mut ***conn;
                $run
            }
            DbConn::Sqlite(conn) => {
                let mut $q =
                    diesel::sql_query($sql.to_owned()).into_boxed::<diesel::sqlite::Sqlite>();
                for value in $binds {
                    $q = $q.bind::<Text, _>(value.clone());
                }
                let $c = &mut **conn;
                $run
            }
        }
    };
}

/// Runs a query built by the engine. `binds` are text values; the SQL casts them where
/// the column type needs it.
pub async fn query(conn: &mut DbConn, sql: &str, binds: &[String]) -> QueryResult<Vec<TextRow>> {
    with_bound_query!(conn, sql, binds, |q, c| q.load::<TextRow>(c).await)
}

/// Runs a statement built by the engine and returns the affected row count.
pub async fn execute(conn: &mut DbConn, sql: &str, binds: &[String]) -> QueryResult<usize> {
    with_bound_query!(conn, sql, binds, |q, c| q.execute(c).await)
}

/// Runs several engine statements and returns each one's result, in order. On
/// PostgreSQL they are pipelined: sent together and run one after another by the
/// server, so N small statements cost one round trip instead of N. A failing statement
/// fails alone; the others still run.
pub async fn query_pipelined(
    conn: &mut DbConn,
    statements: &[(String, Vec<String>)],
) -> Vec<QueryResult<Vec<TextRow>>> {
    match conn {
        DbConn::Postgres(pooled) => {
            let shared: &diesel_async::AsyncPgConnection = pooled;
            let runs = statements.iter().map(|(sql, binds)| {
                let mut q = diesel::sql_query(sql.clone()).into_boxed::<diesel::pg::Pg>();
                for value in binds {
                    q = q.bind::<Text, _>(value.clone());
                }
                async move {
                    let mut pipelined = shared;
                    q.load::<TextRow>(&mut pipelined).await
                }
            });
            futures_util::future::join_all(runs).await
        }
        DbConn::Sqlite(_) => {
            let mut results = Vec::with_capacity(statements.len());
            for (sql, binds) in statements {
                results.push(query(conn, sql, binds).await);
            }
            results
        }
    }
}
