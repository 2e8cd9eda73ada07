//! trashcan: a terminal console for soft-deleted rows in PostgreSQL and SQLite.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod engine;
pub mod error;
pub mod headless;
pub mod tui;
pub mod worker;
