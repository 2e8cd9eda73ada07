//! Explicit transactions on pooled connections, for the engine's multi-statement writes.

use super::{Backend, DbConn, batch_execute};
use crate::engine::error::{EngineError, ErrorKind, connection_lost};

/// An explicit transaction on a pooled connection. If it is dropped unfinished (the
/// job was cancelled mid-write), the connection is marked broken, so the pool closes it
/// and the server rolls the transaction back; it is never handed out mid-transaction.
pub struct Transaction<'c> {
    conn: &'c mut DbConn,
    finished: bool,
}

impl<'c> Transaction<'c> {
    pub async fn begin(conn: &'c mut DbConn) -> Result<Transaction<'c>, EngineError> {
        // SQLite: take the write lock up front, so two writers queue (busy_timeout)
        // instead of one failing when it upgrades from reading.
        let begin = match conn.backend() {
            Backend::Postgres => "BEGIN",
            Backend::Sqlite => "BEGIN IMMEDIATE",
        };
        batch_execute(conn, begin).await.map_err(|e| {
            let mut error = EngineError::other(format!("cannot start a transaction: {e}"));
            let lower = e.to_string().to_lowercase();
            if lower.contains("locked") {
                error.kind = ErrorKind::Conflict;
            } else if connection_lost(&lower) {
                error.kind = ErrorKind::Connection;
            }
            error
        })?;
        Ok(Transaction {
            conn,
            finished: false,
        })
    }

    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    pub async fn commit(mut self) -> Result<(), EngineError> {
        let result = batch_execute(self.conn, "COMMIT").await;
        if result.is_err() {
            self.conn.discard();
        }
        self.finished = true;
        result.map_err(|e| {
            EngineError::connection(format!(
                "the commit failed ({e}); the server rolls the change back unless the \
                 connection was lost during the commit itself, so check the rows"
            ))
        })
    }

    pub async fn rollback(mut self) {
        if batch_execute(self.conn, "ROLLBACK").await.is_err() {
            self.conn.discard();
        }
        self.finished = true;
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.conn.discard();
        }
    }
}
