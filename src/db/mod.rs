//! Connections: one enum over the two async connection types (diesel-async has no async
//! `MultiConnection`), pooled with bb8, with per-connection session settings applied at
//! connect time so every query the console runs is bounded.

mod establish;
mod failures;
pub mod migrate;
pub mod rows;
pub mod session;
pub mod target;
mod tls;
pub mod tx;

use std::time::{Duration, Instant};

use diesel::sqlite::SqliteConnection;
use diesel::{ConnectionError, QueryResult};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use tokio_postgres_rustls::MakeRustlsConnect;

use establish::explain_connect_error;
pub(crate) use establish::{establish_pg, establish_sqlite};
pub use failures::ConnectFailures;
pub use rows::TextRow;
pub use target::DbTarget;

use crate::error::UserError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        }
    }
}

pub type SqliteAsync = SyncConnectionWrapper<SqliteConnection>;
type PgManager = AsyncDieselConnectionManager<AsyncPgConnection>;
type SqliteManager = AsyncDieselConnectionManager<SqliteAsync>;

/// Limits applied to every session the console opens.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub statement_timeout: Duration,
    pub lock_timeout: Duration,
    pub read_only: bool,
    /// SQLite's wait on a locked database; SQLite has no statement timeout.
    pub busy_timeout: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            statement_timeout: Duration::from_secs(30),
            lock_timeout: Duration::from_secs(5),
            read_only: false,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

#[derive(Clone)]
pub enum DbPool {
    Postgres {
        pool: bb8::Pool<PgManager>,
        tls: Option<MakeRustlsConnect>,
        failures: ConnectFailures,
    },
    Sqlite {
        pool: bb8::Pool<SqliteManager>,
        failures: ConnectFailures,
    },
}

pub enum DbConn {
    // Boxed: a PostgreSQL connection is several times larger than a SQLite one.
    Postgres(Box<bb8::PooledConnection<'static, PgManager>>),
    Sqlite(bb8::PooledConnection<'static, SqliteManager>),
}

/// Cancels whatever the connection it came from is running on the server. Dropping a
/// query future alone leaves the query running there.
#[derive(Clone)]
pub struct Canceller {
    token: tokio_postgres::CancelToken,
    tls: Option<MakeRustlsConnect>,
}

impl Canceller {
    pub async fn cancel(&self) {
        let result = match &self.tls {
            Some(tls) => self.token.cancel_query(tls.clone()).await,
            None => self.token.cancel_query(tokio_postgres::NoTls).await,
        };
        if let Err(e) = result {
            tracing::warn!("server-side cancel failed: {e}");
        }
    }
}

impl DbPool {
    /// Connects once directly, so the operator sees the driver's real reason for a
    /// failure (bad password, unknown database) instead of a pool timeout, then builds
    /// the pool.
    pub async fn connect(target: &DbTarget, settings: &SessionSettings) -> Result<Self, UserError> {
        match target.backend {
            Backend::Postgres => {
                let tls = tls::connector(&target.tls)?;
                let probe = establish_pg(target.connect_string(), tls.clone(), settings.clone())
                    .await
                    .map_err(|e| explain_connect_error(&e, target))?;
                drop(probe);
                let mut config = ManagerConfig::default();
                let setup_tls = tls.clone();
                let setup_settings = settings.clone();
                config.custom_setup = Box::new(move |url| {
                    establish_pg(url, setup_tls.clone(), setup_settings.clone()).boxed()
                });
                let manager =
                    PgManager::new_with_config(target.connect_string().to_owned(), config);
                // Sessions keep the statements the console prepares for reuse; renewing
                // them every half hour bounds what a long session holds on the server.
                let failures = ConnectFailures::default();
                let pool = bb8::Pool::builder()
                    .max_size(6)
                    .connection_timeout(Duration::from_secs(15))
                    .max_lifetime(Some(Duration::from_secs(30 * 60)))
                    .error_sink(Box::new(failures.clone()))
                    .build_unchecked(manager);
                Ok(DbPool::Postgres {
                    pool,
                    tls,
                    failures,
                })
            }
            Backend::Sqlite => {
                let path = target.sqlite_path.clone().unwrap_or_default();
                if !path.exists() {
                    return Err(UserError::new(format!(
                        "no SQLite database at {}",
                        path.display()
                    ))
                    .hint("check the path; trashcan does not create databases it is pointed at"));
                }
                let mut probe = establish_sqlite(target.connect_string(), settings.clone())
                    .await
                    .map_err(|e| explain_connect_error(&e, target))?;
                // Opening reads nothing yet: a database SQLite cannot read (a WAL file in
                // a directory this user may not write, where its shared-memory file cannot
                // be made) would otherwise fail every pooled session's check, and the
                // operator would wait out the pool's timeout for "Timed out".
                if let Err(e) = probe
                    .batch_execute("SELECT count(*) FROM sqlite_schema")
                    .await
                {
                    let error = explain_connect_error(
                        &ConnectionError::BadConnection(e.to_string()),
                        target,
                    );
                    return Err(if settings.read_only {
                        error.hint(
                            "SQLite cannot read this database without writing beside it: in \
                             WAL mode even a reader makes its -shm file, so the directory must \
                             be writable for this user (or the -wal and -shm files present)",
                        )
                    } else {
                        error
                    });
                }
                drop(probe);
                let mut config = ManagerConfig::default();
                let setup_settings = settings.clone();
                config.custom_setup =
                    Box::new(move |url| establish_sqlite(url, setup_settings.clone()).boxed());
                let manager =
                    SqliteManager::new_with_config(target.connect_string().to_owned(), config);
                let failures = ConnectFailures::default();
                let pool = bb8::Pool::builder()
                    .max_size(4)
                    .connection_timeout(Duration::from_secs(15))
                    .error_sink(Box::new(failures.clone()))
                    .build_unchecked(manager);
                Ok(DbPool::Sqlite { pool, failures })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbPool::Postgres { .. } => Backend::Postgres,
            DbPool::Sqlite { .. } => Backend::Sqlite,
        }
    }

    /// A session from the pool, waiting at most the pool's connection timeout (15 s).
    /// The error gives the latest failed connect's reason when there was one, rather
    /// than only that the wait ran out.
    pub async fn get(&self) -> Result<DbConn, String> {
        let started = Instant::now();
        let got = match self {
            DbPool::Postgres { pool, .. } => pool
                .get_owned()
                .await
                .map(|c| DbConn::Postgres(Box::new(c)))
                .map_err(|e| e.to_string()),
            DbPool::Sqlite { pool, .. } => pool
                .get_owned()
                .await
                .map(DbConn::Sqlite)
                .map_err(|e| e.to_string()),
        };
        got.map_err(|e| self.no_session(started, &e))
    }

    /// [`DbPool::get`], giving up after `limit`: for callers that try again with their
    /// own pauses and say so.
    pub async fn get_within(&self, limit: Duration) -> Result<DbConn, String> {
        let started = Instant::now();
        match tokio::time::timeout(limit, self.get()).await {
            Ok(got) => got,
            Err(_) => Err(self.no_session(
                started,
                &format!("none within {:.1} s", limit.as_secs_f64()),
            )),
        }
    }

    fn no_session(&self, since: Instant, otherwise: &str) -> String {
        let why = self.connect_failures().latest_since(since);
        format!(
            "no database connection: {}",
            why.as_deref().unwrap_or(otherwise)
        )
    }

    /// Failed attempts to open a session, reported as they happen (see
    /// [`ConnectFailures`]).
    pub fn connect_failures(&self) -> &ConnectFailures {
        match self {
            DbPool::Postgres { failures, .. } | DbPool::Sqlite { failures, .. } => failures,
        }
    }

    /// Connections open and unused right now.
    pub fn idle_connections(&self) -> u32 {
        match self {
            DbPool::Postgres { pool, .. } => pool.state().idle_connections,
            DbPool::Sqlite { pool, .. } => pool.state().idle_connections,
        }
    }

    /// A canceller for the given connection, when the backend can cancel queries.
    pub fn canceller(&self, conn: &DbConn) -> Option<Canceller> {
        match (self, conn) {
            (DbPool::Postgres { tls, .. }, DbConn::Postgres(c)) => Some(Canceller {
                token: c.cancel_token(),
                tls: tls.clone(),
            }),
            _ => None,
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Marks the session unusable so the pool closes it instead of handing it out again.
    pub fn discard(&mut self) {
        use diesel_async::{AsyncConnection, TransactionManager};
        match self {
            DbConn::Postgres(conn) => {
                let conn: &mut AsyncPgConnection = conn;
                <AsyncPgConnection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(conn)
                    .set_in_error();
            }
            DbConn::Sqlite(conn) => {
                let conn: &mut SqliteAsync = conn;
                <SqliteAsync as AsyncConnection>::TransactionManager::transaction_manager_status_mut(conn)
                    .set_in_error();
            }
        }
    }

    /// Observes every statement this connection runs (diesel's instrumentation hook):
    /// for tracing, and for tests that count the statements a feature issues.
    pub fn set_instrumentation(
        &mut self,
        instrumentation: impl diesel::connection::Instrumentation,
    ) {
        match self {
            DbConn::Postgres(conn) => conn.set_instrumentation(instrumentation),
            DbConn::Sqlite(conn) => conn.set_instrumentation(instrumentation),
        }
    }
}

/// Run a statement batch with no results on a pooled connection.
pub async fn batch_execute(conn: &mut DbConn, sql: &str) -> QueryResult<()> {
    match conn {
        DbConn::Postgres(c) => c.batch_execute(sql).await,
        DbConn::Sqlite(c) => c.batch_execute(sql).await,
    }
}
