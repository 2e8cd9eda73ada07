//! Embedded migrations: the console's bookkeeping tables and the demo schema, one set per
//! backend. They run on a dedicated connection, never a pooled one, because the
//! PostgreSQL console set changes `search_path` so diesel's own version table lands in
//! the `trashcan` schema rather than in the application's.

use diesel::migration::MigrationSource;
use diesel_async::AsyncMigrationHarness;
use diesel_async::SimpleAsyncConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{Backend, DbTarget, SessionSettings, establish_pg, establish_sqlite};
use crate::db::rows;
use crate::error::UserError;

const POSTGRES_CONSOLE: EmbeddedMigrations = embed_migrations!("migrations/postgres/console");
const POSTGRES_DEMO: EmbeddedMigrations = embed_migrations!("migrations/postgres/demo");
const SQLITE_CONSOLE: EmbeddedMigrations = embed_migrations!("migrations/sqlite/console");
const SQLITE_DEMO: EmbeddedMigrations = embed_migrations!("migrations/sqlite/demo");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationSet {
    Console,
    Demo,
}

/// Applies pending migrations of one set; returns how many ran.
pub async fn run(target: &DbTarget, set: MigrationSet) -> Result<usize, UserError> {
    let settings = SessionSettings {
        statement_timeout: std::time::Duration::from_secs(600),
        ..SessionSettings::default()
    };
    let fail = |e: &dyn std::fmt::Display| {
        UserError::new(format!(
            "migrating {} failed: {}",
            target.display,
            super::target::scrub_secrets(&e.to_string(), target)
        ))
    };
    match target.backend {
        Backend::Postgres => {
            let tls = super::tls::connector(&target.tls)?;
            let mut conn = establish_pg(target.connect_string(), tls, settings)
                .await
                .map_err(|e| fail(&e))?;
            let source = match set {
                MigrationSet::Console => {
                    conn.batch_execute(
                        "CREATE SCHEMA IF NOT EXISTS trashcan; SET search_path TO trashcan",
                    )
                    .await
                    .map_err(|e| fail(&e))?;
                    POSTGRES_CONSOLE
                }
                MigrationSet::Demo => POSTGRES_DEMO,
            };
            apply(AsyncMigrationHarness::new(conn), source).map_err(|e| fail(&*e))
        }
        Backend::Sqlite => {
            let conn = establish_sqlite(target.connect_string(), settings)
                .await
                .map_err(|e| fail(&e))?;
            let source = match set {
                MigrationSet::Console => SQLITE_CONSOLE,
                MigrationSet::Demo => SQLITE_DEMO,
            };
            apply(AsyncMigrationHarness::new(conn), source).map_err(|e| fail(&*e))
        }
    }
}

type MigrationError = Box<dyn std::error::Error + Send + Sync>;

fn apply<DB: diesel::backend::Backend>(
    mut harness: impl MigrationHarness<DB>,
    source: EmbeddedMigrations,
) -> Result<usize, MigrationError> {
    let applied = harness.run_pending_migrations(source)?;
    Ok(applied.len())
}

/// Whether the console's bookkeeping tables exist, read through the catalog.
pub async fn console_installed(conn: &mut super::DbConn) -> Result<bool, diesel::result::Error> {
    let sql = match conn.backend() {
        Backend::Postgres => "SELECT (to_regclass('trashcan.audit_log') IS NOT NULL)::text",
        Backend::Sqlite => {
            "SELECT CAST(count(*) AS TEXT) FROM sqlite_schema \
             WHERE type = 'table' AND name = 'trashcan_audit_log'"
        }
    };
    let rows = rows::query(conn, sql, &[]).await?;
    Ok(rows
        .first()
        .and_then(|r| r.text(0))
        .is_some_and(|v| v == "true" || v == "1"))
}

/// How many of the console's migrations the database has not had yet, read with SELECT
/// only: a role that may read but not create tables can still tell there is nothing to
/// do. `None` when the version table cannot be read.
pub async fn console_pending(conn: &mut super::DbConn) -> Option<usize> {
    let (embedded, table) = match conn.backend() {
        Backend::Postgres => (
            versions::<diesel::pg::Pg>(&POSTGRES_CONSOLE)?,
            "trashcan.__diesel_schema_migrations",
        ),
        Backend::Sqlite => (
            versions::<diesel::sqlite::Sqlite>(&SQLITE_CONSOLE)?,
            "__diesel_schema_migrations",
        ),
    };
    let applied: std::collections::BTreeSet<String> =
        rows::query(conn, &format!("SELECT version FROM {table}"), &[])
            .await
            .ok()?
            .iter()
            .filter_map(|r| r.text(0))
            .collect();
    Some(embedded.iter().filter(|v| !applied.contains(*v)).count())
}

fn versions<DB: diesel::backend::Backend>(source: &EmbeddedMigrations) -> Option<Vec<String>> {
    let migrations = MigrationSource::<DB>::migrations(source).ok()?;
    Some(
        migrations
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
    )
}
