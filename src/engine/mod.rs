//! The engine: plain async functions over a connection. It knows nothing of the UI.

pub mod audit;
pub mod backoff;
pub mod catalog;
pub mod change;
pub mod error;
pub mod expr;
pub mod filter;
pub mod history;
pub mod orphans;
pub mod purge;
pub mod related;
pub mod relations;
pub mod sql;
pub mod trash;

pub use error::{EngineError, ErrorKind};

use crate::db::{DbConn, rows};

/// The database's clock, in epoch seconds. Cutoffs, approvals and "the last 7 days" are
/// measured on the server, not on the bastion host, whose clock may be off.
pub async fn database_now(conn: &mut DbConn) -> Result<f64, EngineError> {
    let backend = conn.backend();
    let sql = format!(
        "SELECT {}",
        expr::cast_text(expr::now_epoch(backend), backend)
    );
    rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot read the database clock: {e}")))?
        .first()
        .and_then(|r| r.float(0))
        .ok_or_else(|| EngineError::other("the database clock returned nothing"))
}
