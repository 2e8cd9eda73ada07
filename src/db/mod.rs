//! Connections: one enum over the two async connection types (diesel-async has no async
//! `MultiConnection`), pooled with bb8, with per-connection session settings applied at
//! connect time so every query the console runs is bounded.

mod failures;
pub mod migrate;
pub mod rows;
pub mod session;
pub mod target;
mod tls;
pub mod tx;

use std::time::{Duration, Instant};

use diesel::sqlite::SqliteConnection;
use diesel::{ConnectionError, ConnectionResult, QueryResult};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use tokio_postgres_rustls::MakeRustlsConnect;

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

pub(crate) async fn establish_pg(
    url: &str,
    tls: Option<MakeRustlsConnect>,
    settings: SessionSettings,
) -> ConnectionResult<AsyncPgConnection> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| ConnectionError::BadConnection(e.to_string()))?;
    notice_a_silent_network(&mut config);
    let mut conn = match tls {
        Some(tls) => {
            let (client, connection) = config
                .connect(tls)
                .await
                .map_err(|e| ConnectionError::BadConnection(describe_pg_error(&e)))?;
            AsyncPgConnection::try_from_client_and_connection(client, connection).await?
        }
        None => {
            let (client, connection) = config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| ConnectionError::BadConnection(describe_pg_error(&e)))?;
            AsyncPgConnection::try_from_client_and_connection(client, connection).await?
        }
    };
    // JIT off: the console's statements are wide generated unions (a closure over a
    // schema of sixty tables is 1,600 expressions) whose cost estimates pass the JIT
    // thresholds while they run in milliseconds; compiling them took 11 s. (The guard
    // keeps servers older than 11, which have no `jit`, from refusing the session.)
    let session = format!(
        "SET statement_timeout = {}; SET lock_timeout = {}; SET application_name = 'trashcan'; \
         SET idle_in_transaction_session_timeout = 60000; SELECT set_config('jit', 'off', false) \
         WHERE current_setting('server_version_num')::int >= 110000;{}",
        settings.statement_timeout.as_millis(),
        settings.lock_timeout.as_millis(),
        if settings.read_only {
            " SET default_transaction_read_only = on;"
        } else {
            ""
        }
    );
    conn.batch_execute(&session)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

/// The system's TCP defaults notice a network that went silent (a partition, a
/// firewall or NAT that forgot the connection) after two hours of keepalive, or about
/// fifteen minutes of retransmitting a query: a purge or a preview would hang that long.
/// Unless the URL sets them, probes start after 30 s of silence and the connection is
/// given up after about a minute without an answer. Probes are answered by the server's
/// kernel, so a long-running statement is never mistaken for a dead link.
fn notice_a_silent_network(config: &mut tokio_postgres::Config) {
    const SYSTEM_IDLE: Duration = Duration::from_secs(2 * 60 * 60);
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(60));
    }
    if !config.get_keepalives() {
        return;
    }
    if config.get_keepalives_idle() == SYSTEM_IDLE {
        config.keepalives_idle(Duration::from_secs(30));
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(Duration::from_secs(10));
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(3);
    }
}

pub(crate) async fn establish_sqlite(
    path: &str,
    settings: SessionSettings,
) -> ConnectionResult<SqliteAsync> {
    let mut conn = SqliteAsync::establish(path).await?;
    let mut pragmas = format!(
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {};",
        settings.busy_timeout.as_millis()
    );
    if settings.read_only {
        pragmas.push_str(" PRAGMA query_only = ON;");
    } else {
        pragmas.push_str(" PRAGMA journal_mode = WAL;");
    }
    conn.batch_execute(&pragmas)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    conn.spawn_blocking(sqlite_functions::register)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

/// Functions applications register on their own SQLite connections and use in their
/// schemas: Django's `REGEXP`, in generated columns and checks. Without it every write
/// to such a table fails with "no such function", restores and purges included.
mod sqlite_functions {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use diesel::sql_types::{Nullable, Text};

    diesel::define_sql_function! {
        /// `value REGEXP pattern`, which SQLite turns into `regexp(pattern, value)`.
        fn regexp(pattern: Nullable<Text>, value: Nullable<Text>) -> Nullable<Bool>;
    }

    /// Compiled patterns kept per connection: a generated column asks once per row.
    const CACHED: usize = 64;

    pub fn register(conn: &mut diesel::SqliteConnection) -> diesel::QueryResult<()> {
        let cache: Mutex<HashMap<String, Option<regex::Regex>>> = Mutex::new(HashMap::new());
        regexp_utils::register_impl(
            conn,
            move |pattern: Option<String>, value: Option<String>| {
                let (pattern, value) = (pattern?, value?);
                let compile = || regex::Regex::new(&pattern).ok();
                // An invalid pattern matches nothing rather than failing the statement.
                let matches = |re: &Option<regex::Regex>| re.as_ref().map(|re| re.is_match(&value));
                let Ok(mut cache) = cache.lock() else {
                    return matches(&compile());
                };
                if cache.len() >= CACHED && !cache.contains_key(&pattern) {
                    cache.clear();
                }
                matches(cache.entry(pattern.clone()).or_insert_with(compile))
            },
        )
    }
}

/// tokio-postgres puts the useful part (the server's message, or the OS error) in the
/// source chain; show that rather than "error connecting to server".
fn describe_pg_error(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn explain_connect_error(e: &ConnectionError, target: &DbTarget) -> UserError {
    let raw = target::scrub_secrets(&e.to_string(), target);
    let lower = raw.to_lowercase();
    let hint = if lower.contains("password authentication failed")
        || lower.contains("no pg_hba.conf entry")
    {
        "check the user name and password in the URL (or PGPASSWORD)"
    } else if lower.contains("does not exist") && lower.contains("database") {
        "check the database name at the end of the URL"
    } else if lower.contains("connection refused") || lower.contains("timed out") {
        "is the server running and reachable from this host? check host and port"
    } else if lower.contains("failed to lookup") || lower.contains("name or service not known") {
        "the host name does not resolve; check the URL"
    } else if lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate") {
        "check sslmode (disable, prefer, require, verify-ca, verify-full) and sslrootcert"
    } else if lower.contains("readonly database") {
        "this user may not write the SQLite file (or its directory): --read-only browses \
         and previews without writing"
    } else if lower.contains("unable to open") && target.backend == Backend::Sqlite {
        "is this a SQLite database file, readable by this user? A database in WAL mode also \
         needs its directory writable (or its -wal and -shm files present), even to read"
    } else if lower.contains("unable to open") || lower.contains("not a database") {
        "is this a SQLite database file, and readable by this user?"
    } else {
        "check --database-url"
    };
    UserError::new(format!("cannot connect to {}: {raw}", target.display)).hint(hint)
}

/// Run a statement batch with no results on a pooled connection.
pub async fn batch_execute(conn: &mut DbConn, sql: &str) -> QueryResult<()> {
    match conn {
        DbConn::Postgres(c) => c.batch_execute(sql).await,
        DbConn::Sqlite(c) => c.batch_execute(sql).await,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::notice_a_silent_network;

    fn tuned(url: &str) -> tokio_postgres::Config {
        let mut config: tokio_postgres::Config = url.parse().expect("a valid URL");
        notice_a_silent_network(&mut config);
        config
    }

    #[test]
    fn a_silent_network_is_noticed_within_about_a_minute() {
        let config = tuned("postgres://u@db.example/app");
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(
            config.get_keepalives_interval(),
            Some(Duration::from_secs(10))
        );
        assert_eq!(config.get_keepalives_retries(), Some(3));
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(60))
        );
    }

    #[test]
    fn the_url_s_own_keepalive_settings_win() {
        let config = tuned(
            "postgres://u@db.example/app?keepalives_idle=300&keepalives_interval=20\
             &keepalives_retries=9&tcp_user_timeout=120",
        );
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(300));
        assert_eq!(
            config.get_keepalives_interval(),
            Some(Duration::from_secs(20))
        );
        assert_eq!(config.get_keepalives_retries(), Some(9));
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(120))
        );
        let off = tuned("postgres://u@db.example/app?keepalives=0");
        assert!(!off.get_keepalives());
        assert_eq!(off.get_keepalives_interval(), None);
    }
}
