//! Turning what the operator typed (`--database-url`) into a backend and a connectable
//! target, and into a display form that never carries the password.

use std::path::PathBuf;

use super::Backend;
use crate::error::UserError;

#[derive(Clone)]
pub struct DbTarget {
    pub backend: Backend,
    /// The URL handed to the driver. Holds the password: never print or log it.
    connect: String,
    /// A safe description for the status bar, logs and audit rows.
    pub display: String,
    pub sqlite_path: Option<PathBuf>,
    pub tls: TlsMode,
}

impl std::fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbTarget")
            .field("backend", &self.backend)
            .field("display", &self.display)
            .finish_non_exhaustive()
    }
}

/// How PostgreSQL connections use TLS. libpq's names are accepted; tokio-postgres only
/// understands disable/prefer/require, so verification is handled by our own connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    /// Encrypt if the server offers it; do not verify the certificate (libpq semantics).
    Prefer,
    /// Encrypt, do not verify the certificate (libpq semantics of `require`).
    Require,
    /// Encrypt and verify the chain against `sslrootcert` or the system roots.
    VerifyCa {
        root_cert: Option<PathBuf>,
    },
    /// As VerifyCa, and the host name must match the certificate.
    VerifyFull {
        root_cert: Option<PathBuf>,
    },
}

impl DbTarget {
    pub fn parse(input: &str) -> Result<Self, UserError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(UserError::new("the database URL is empty")
                .hint("pass --database-url postgres://user@host/db or a path to a SQLite file"));
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Self::parse_postgres(trimmed);
        }
        if let Some(rest) = strip_sqlite_prefix(trimmed) {
            return Ok(Self::sqlite(PathBuf::from(rest)));
        }
        if lower.contains("://") {
            let scheme = trimmed.split("://").next().unwrap_or_default();
            return Err(
                UserError::new(format!("unsupported database URL scheme `{scheme}`"))
                    .hint("use postgres://… or sqlite://path (or a plain path to a SQLite file)"),
            );
        }
        Ok(Self::sqlite(PathBuf::from(trimmed)))
    }

    pub fn sqlite(path: PathBuf) -> Self {
        Self {
            backend: Backend::Sqlite,
            connect: path.to_string_lossy().into_owned(),
            display: format!("sqlite:{}", path.display()),
            sqlite_path: Some(path),
            tls: TlsMode::Disable,
        }
    }

    fn parse_postgres(input: &str) -> Result<Self, UserError> {
        let mut url = url::Url::parse(input).map_err(|e| {
            UserError::new(format!("malformed PostgreSQL URL: {e}"))
                .hint("expected postgres://user[:password]@host[:port]/database[?sslmode=require]")
        })?;
        if url.host_str().is_none_or(str::is_empty) && !has_host_param(&url) {
            return Err(UserError::new("the PostgreSQL URL names no host")
                .hint("expected postgres://user@host/database"));
        }
        let mut tls = TlsMode::Prefer;
        let mut root_cert = None;
        let mut kept: Vec<(String, String)> = Vec::new();
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "sslmode" => {
                    tls = match value.as_ref() {
                        "disable" => TlsMode::Disable,
                        "allow" | "prefer" => TlsMode::Prefer,
                        "require" => TlsMode::Require,
                        "verify-ca" => TlsMode::VerifyCa { root_cert: None },
                        "verify-full" => TlsMode::VerifyFull { root_cert: None },
                        other => {
                            return Err(UserError::new(format!("unknown sslmode `{other}`"))
                                .hint("use disable, prefer, require, verify-ca or verify-full"));
                        }
                    }
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(value.as_ref())),
                _ => kept.push((key.into_owned(), value.into_owned())),
            }
        }
        tls = match tls {
            TlsMode::VerifyCa { .. } => TlsMode::VerifyCa { root_cert },
            TlsMode::VerifyFull { .. } => TlsMode::VerifyFull { root_cert },
            other => other,
        };
        // tokio-postgres only knows disable/prefer/require; our connector does the rest.
        let driver_mode = match tls {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            _ => "require",
        };
        kept.push(("sslmode".into(), driver_mode.into()));
        if !kept.iter().any(|(k, _)| k == "connect_timeout") {
            kept.push(("connect_timeout".into(), "10".into()));
        }
        url.query_pairs_mut().clear().extend_pairs(kept.iter());
        let connect = url.to_string();
        let display = redact(&url);
        Ok(Self {
            backend: Backend::Postgres,
            connect,
            display,
            sqlite_path: None,
            tls,
        })
    }

    /// The connection string for the driver; contains the password.
    pub(crate) fn connect_string(&self) -> &str {
        &self.connect
    }
}

fn has_host_param(url: &url::Url) -> bool {
    url.query_pairs().any(|(k, _)| k == "host")
}

fn strip_sqlite_prefix(input: &str) -> Option<&str> {
    for prefix in ["sqlite://", "sqlite:", "file://", "file:"] {
        if input.len() >= prefix.len() && input[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return Some(&input[prefix.len()..]);
        }
    }
    None
}

/// `postgres://user@host:5432/db`: user, host, port and database, never the password
/// or query parameters (which may hold one too, e.g. `password=`).
fn redact(url: &url::Url) -> String {
    let user = url.username();
    let host = url.host_str().unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let db = url.path().trim_start_matches('/');
    let at = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    format!("postgres://{at}{host}{port}/{db}")
}

/// Removes anything that looks like a password from driver error text before it is shown.
pub fn scrub_secrets(text: &str, target: &DbTarget) -> String {
    let Ok(url) = url::Url::parse(&target.connect) else {
        return text.to_owned();
    };
    let mut scrubbed = text.to_owned();
    if let Some(password) = url.password().filter(|p| !p.is_empty()) {
        scrubbed = scrubbed.replace(password, "****");
        if let Ok(decoded) = urlencoding_decode(password) {
            scrubbed = scrubbed.replace(&decoded, "****");
        }
    }
    for (k, v) in url.query_pairs() {
        if k == "password" && !v.is_empty() {
            scrubbed = scrubbed.replace(v.as_ref(), "****");
        }
    }
    scrubbed
}

fn urlencoding_decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes: Vec<u8> = url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_redacted() {
        let t =
            DbTarget::parse("postgres://alice:s3cret@db.example:6432/app?sslmode=require").unwrap();
        assert_eq!(t.backend, Backend::Postgres);
        assert_eq!(t.display, "postgres://alice@db.example:6432/app");
        assert!(!t.display.contains("s3cret"));
        assert_eq!(t.tls, TlsMode::Require);
        assert!(t.connect_string().contains("sslmode=require"));
        assert!(t.connect_string().contains("connect_timeout=10"));
    }

    #[test]
    fn verify_modes_are_rewritten_for_the_driver() {
        let t = DbTarget::parse(
            "postgresql://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(
            t.tls,
            TlsMode::VerifyFull {
                root_cert: Some(PathBuf::from("/etc/ca.pem"))
            }
        );
        assert!(t.connect_string().contains("sslmode=require"));
        assert!(!t.connect_string().contains("sslrootcert"));
        assert!(t.connect_string().contains("application_name=x"));
    }

    #[test]
    fn bad_urls_get_clear_errors() {
        for (input, expected) in [
            ("mysql://x@y/z", "unsupported database URL scheme `mysql`"),
            ("postgres://u@h/db?sslmode=bogus", "unknown sslmode `bogus`"),
            ("postgres://[::1/db", "malformed PostgreSQL URL"),
            ("", "the database URL is empty"),
        ] {
            let err = DbTarget::parse(input).unwrap_err();
            assert!(err.message.contains(expected), "{input}: {}", err.message);
        }
    }

    #[test]
    fn sqlite_forms() {
        for input in [
            "sqlite:///tmp/a.db",
            "sqlite:/tmp/a.db",
            "/tmp/a.db",
            "file:/tmp/a.db",
        ] {
            let t = DbTarget::parse(input).unwrap();
            assert_eq!(t.backend, Backend::Sqlite, "{input}");
            assert_eq!(
                t.sqlite_path.as_deref(),
                Some(std::path::Path::new("/tmp/a.db"))
            );
        }
    }

    #[test]
    fn secrets_are_scrubbed_from_messages() {
        let t = DbTarget::parse("postgres://u:p%40ss@h/db").unwrap();
        let msg = scrub_secrets("auth failed for u with p%40ss and p@ss", &t);
        assert!(!msg.contains("p@ss") && !msg.contains("p%40ss"), "{msg}");
    }
}
