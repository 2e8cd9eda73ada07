//! The engine: plain async functions over a connection. It knows nothing of the UI.

pub mod audit;
pub mod catalog;
pub mod change;
pub mod error;
pub mod expr;
pub mod filter;
pub mod history;
pub mod orphans;
pub mod purge;
pub mod related;
pub mod sql;
pub mod trash;

pub use error::{EngineError, ErrorKind};
