//! Engine failures, classified so the UI can say "timed out" or "no permission" plainly
//! instead of dumping a driver error.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::sql::TableName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Timeout,
    Cancelled,
    Permission,
    Connection,
    Conflict,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EngineError {
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Other,
            message: message.into(),
        }
    }

    pub fn cancelled() -> Self {
        Self {
            kind: ErrorKind::Cancelled,
            message: "cancelled".into(),
        }
    }

    pub fn connection(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Connection,
            message: message.into(),
        }
    }

    /// Not allowed: a role, a rule or an approval stands in the way.
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Permission,
            message: message.into(),
        }
    }

    /// Someone else got there first, or the state does not allow it now.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Conflict,
            message: message.into(),
        }
    }

    /// The database refused to write: no permission, a read-only transaction or file.
    pub fn refuses_writes(&self) -> bool {
        let lower = self.message.to_lowercase();
        self.kind == ErrorKind::Permission
            || lower.contains("readonly database")
            || lower.contains("read-only transaction")
    }

    pub fn not_soft_delete(table: &TableName) -> Self {
        Self::other(format!("{table} does not soft-delete"))
    }

    pub fn from_query(e: DieselError, table: &TableName) -> Self {
        let text = e.to_string();
        let lower = text.to_lowercase();
        let kind = if lower.contains("statement timeout") {
            ErrorKind::Timeout
        } else if lower.contains("canceling statement due to user request") {
            ErrorKind::Cancelled
        } else if lower.contains("permission denied") || lower.contains("not authorized") {
            ErrorKind::Permission
        } else if lower.contains("lock timeout")
            || lower.contains("database is locked")
            || lower.contains("duplicate key")
            || lower.contains("unique constraint")
            || lower.contains("could not serialize")
            || lower.contains("deadlock detected")
        {
            ErrorKind::Conflict
        } else if matches!(
            e,
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
                | DieselError::BrokenTransactionManager
        ) || connection_lost(&lower)
        {
            ErrorKind::Connection
        } else {
            ErrorKind::Other
        };
        let message = match kind {
            ErrorKind::Timeout => format!("{table}: timed out (statement_timeout)"),
            ErrorKind::Permission => format!("{table}: no permission ({text})"),
            _ => format!("{table}: {text}"),
        };
        Self { kind, message }
    }
}

/// Whether a driver or server message (lower case) says the session is gone: the
/// server shut down or restarted, an administrator ended the backend, or the network
/// dropped. Such failures are worth a new connection; nothing else is.
pub fn connection_lost(lower: &str) -> bool {
    const SIGNS: &[&str] = &[
        "connection closed",
        "terminating connection",
        "server closed the connection",
        "database system is shutting down",
        "database system is starting up",
        "database system is in recovery mode",
        "error communicating with the server",
        "error connecting to server",
        "connection reset",
        "connection refused",
        "broken pipe",
        "unexpected eof",
        "no database connection",
    ];
    SIGNS.iter().any(|sign| lower.contains(sign))
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EngineError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The refusals a dry run answers by planning by reading instead: as SQLite and
    /// PostgreSQL word them, and a missing privilege; other failures stay failures.
    #[test]
    fn refused_writes_are_told_from_other_failures() {
        let table = TableName::new(None, "trashcan_purge_jobs");
        let query = |text: &str| {
            EngineError::from_query(
                DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(text.to_owned())),
                &table,
            )
        };
        assert!(query("attempt to write a readonly database").refuses_writes());
        assert!(query("cannot execute INSERT in a read-only transaction").refuses_writes());
        assert!(query("permission denied for table purge_jobs").refuses_writes());
        assert!(!query("duplicate key value violates unique constraint").refuses_writes());
        assert!(!query("canceling statement due to statement timeout").refuses_writes());
        assert!(
            !EngineError::other("the plan holds 12 rows, more than purge.max_rows")
                .refuses_writes()
        );
    }
}
