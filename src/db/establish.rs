//! Opening a session: PostgreSQL over TLS or not, with the console's session settings
//! (timeouts, name, read-only, no JIT) and a network that goes silent noticed within a
//! minute; SQLite with its pragmas and the functions applications register; and the
//! driver's failure said so an operator knows what to fix.

use std::time::Duration;

use diesel::ConnectionError;
use diesel::ConnectionResult;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{Backend, DbTarget, SessionSettings, SqliteAsync, target};
use crate::error::UserError;

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

pub(super) fn explain_connect_error(e: &ConnectionError, target: &DbTarget) -> UserError {
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
