//! Rows whose shape is only known at run time (the catalog decides which columns a query
//! selects). Every selected expression is rendered to text or bytes in SQL, so one row
//! type serves every table on both backends.

use diesel::QueryResult;
use diesel::backend::Backend as DieselBackend;
use diesel::deserialize::{self, FromSql, QueryableByName};
use diesel::row::{Field, NamedRow, Row};
use diesel::sql_types::{Binary, Nullable, Text};
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

    /// The cell as an integer: exact for every 64-bit value (keys beyond 2^53 must not
    /// round), and truncated when the database wrote it as a real (`12.0`).
    pub fn int(&self, index: usize) -> Option<i64> {
        let text = self.text(index)?;
        let text = text.trim();
        text.parse::<i64>()
            .ok()
            .or_else(|| text.parse::<f64>().ok().map(|f| f as i64))
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
    ($conn:expr, $sql:expr, $binds:expr, $ty:ty, |$q:ident, $c:ident| $run:expr) => {
        match $conn {
            DbConn::Postgres(conn) => {
                let mut $q = diesel::sql_query($sql.to_owned()).into_boxed::<diesel::pg::Pg>();
                for value in $binds {
                    $q = $q.bind::<$ty, _>(value.clone());
                }
                let $c = &mut ***conn;
                $run
            }
            DbConn::Sqlite(conn) => {
                let mut $q =
                    diesel::sql_query($sql.to_owned()).into_boxed::<diesel::sqlite::Sqlite>();
                for value in $binds {
                    $q = $q.bind::<$ty, _>(value.clone());
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
    with_bound_query!(conn, sql, binds, Text, |q, c| q.load::<TextRow>(c).await)
}

/// The count a `SELECT count(*)`-shaped statement answers in its first column (0 when
/// it answers no row or no number).
pub async fn count(conn: &mut DbConn, sql: &str, binds: &[String]) -> QueryResult<u64> {
    let found = query(conn, sql, binds).await?;
    Ok(<[TextRow]>::first(&found)
        .and_then(|r| r.int(0))
        .unwrap_or(0)
        .max(0) as u64)
}

/// [`query`] with values that may be NULL (writes that clear a column).
pub async fn query_nullable(
    conn: &mut DbConn,
    sql: &str,
    binds: &[Option<String>],
) -> QueryResult<Vec<TextRow>> {
    with_bound_query!(conn, sql, binds, Nullable<Text>, |q, c| q
        .load::<TextRow>(c)
        .await)
}

/// Runs a statement built by the engine and returns the affected row count.
pub async fn execute(conn: &mut DbConn, sql: &str, binds: &[String]) -> QueryResult<usize> {
    with_bound_query!(conn, sql, binds, Text, |q, c| q.execute(c).await)
}

/// An engine statement whose prepared form each connection keeps and reuses. After a few
/// runs PostgreSQL switches a reused statement to a generic plan and stops planning it,
/// which is most of the cost of a small count. Only for statements whose text repeats
/// (a bounded set of shapes), since every distinct text stays prepared on the server.
struct ReusedStatement {
    sql: String,
    binds: Vec<String>,
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for ReusedStatement {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        // diesel numbers placeholders itself as binds are pushed, so each `$n` of the
        // engine's text becomes a bind of value n (repeated where the text repeats it).
        let mut rest = self.sql.as_str();
        while let Some((before, index, after)) = next_placeholder(rest) {
            out.push_sql(before);
            let value = self.binds.get(index.wrapping_sub(1)).ok_or_else(|| {
                diesel::result::Error::QueryBuilderError(
                    format!("placeholder ${index} has no value").into(),
                )
            })?;
            out.push_bind_param::<Text, String>(value)?;
            rest = after;
        }
        out.push_sql(rest);
        Ok(())
    }
}

/// The first `$n` placeholder outside quoted identifiers and string literals: the text
/// before it, n, and the text after it.
fn next_placeholder(sql: &str) -> Option<(&str, usize, &str)> {
    let bytes = sql.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            // A doubled quote inside quotes is an escaped quote and toggles twice.
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'$' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if digits > 0 {
                    let end = i + 1 + digits;
                    let index = sql[i + 1..end].parse().ok()?;
                    return Some((&sql[..i], index, &sql[end..]));
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

impl diesel::query_builder::QueryId for ReusedStatement {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for ReusedStatement {
    type SqlType = diesel::sql_types::Untyped;
}

/// Runs several engine statements and returns each one's result, in order. On
/// PostgreSQL they are pipelined: sent together and run one after another by the
/// server, so N small statements cost one round trip instead of N. A failing statement
/// fails alone; the others still run. With `reuse`, PostgreSQL keeps each statement
/// prepared for the next call with the same text (see [`ReusedStatement`]).
pub async fn query_pipelined(
    conn: &mut DbConn,
    statements: &[(String, Vec<String>)],
    reuse: bool,
) -> Vec<QueryResult<Vec<TextRow>>> {
    match conn {
        DbConn::Postgres(pooled) => {
            let shared: &diesel_async::AsyncPgConnection = pooled;
            let runs = statements.iter().map(|(sql, binds)| async move {
                let mut pipelined = shared;
                if reuse {
                    let statement = ReusedStatement {
                        sql: sql.clone(),
                        binds: binds.clone(),
                    };
                    return statement.load::<TextRow>(&mut pipelined).await;
                }
                let mut q = diesel::sql_query(sql.clone()).into_boxed::<diesel::pg::Pg>();
                for value in binds {
                    q = q.bind::<Text, _>(value.clone());
                }
                q.load::<TextRow>(&mut pipelined).await
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

#[cfg(test)]
mod tests {
    use super::{TextRow, next_placeholder};

    #[test]
    fn integers_read_back_exactly_at_the_ends_of_the_range() {
        let row = TextRow(vec![
            Some(b"9223372036854775806".to_vec()),
            Some(b"-9223372036854775808".to_vec()),
            Some(b"12.0".to_vec()),
            None,
        ]);
        assert_eq!(row.int(0), Some(i64::MAX - 1));
        assert_eq!(row.int(1), Some(i64::MIN));
        assert_eq!(row.int(2), Some(12));
        assert_eq!(row.int(3), None);
    }

    #[test]
    fn finds_placeholders_outside_quotes_only() {
        let sql = r#"SELECT "a$1", 'x$2' FROM t WHERE id IN ($3, $10) AND n = 'it''s $4'"#;
        let (before, index, after) = next_placeholder(sql).unwrap();
        assert_eq!(index, 3);
        assert!(before.ends_with("IN ("));
        let (_, index, after) = next_placeholder(after).unwrap();
        assert_eq!(index, 10);
        assert_eq!(next_placeholder(after), None);
    }
}
