//! The demo database: the same schema on SQLite (the default `cargo run` target) and on
//! PostgreSQL at any scale, seeded with set-based statements.

mod seed;

use std::path::PathBuf;

pub use seed::seed_statements;

use crate::db::migrate::{self, MigrationSet};
use crate::db::{Backend, DbConn, DbPool, DbTarget, SessionSettings, rows};
use crate::error::UserError;

/// Relations the demo schema implies without declaring (product_attributes.product_id has
/// no FK constraint on purpose), merged into the config when the demo is opened.
pub const DEMO_CONFIG: &str = include_str!("../../assets/demo.toml");

/// Where `cargo run` keeps its demo database: `$XDG_DATA_HOME/trashcan/demo.sqlite3`.
pub fn default_sqlite_path() -> Result<PathBuf, UserError> {
    directories::ProjectDirs::from("", "", "trashcan")
        .map(|d| d.data_dir().join("demo.sqlite3"))
        .ok_or_else(|| {
            UserError::new("cannot find a data directory for the demo database")
                .hint("set HOME or XDG_DATA_HOME, or pass --database-url")
        })
}

/// Creates the SQLite demo at `path` if it is missing (or when `reset`), seeded at
/// `scale`. Returns whether it was (re)created.
pub async fn ensure_sqlite(
    path: &std::path::Path,
    scale: u32,
    reset: bool,
) -> Result<bool, UserError> {
    if path.exists() {
        if !reset {
            return Ok(false);
        }
        refuse_unless_trashcan_demo(&DbTarget::sqlite(path.to_path_buf())).await?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| UserError::new(format!("cannot create {}: {e}", dir.display())))?;
    }
    // Build beside the final path and rename, so an interrupted seed never leaves a
    // half-filled demo that later runs would mistake for a finished one.
    let building = sidecar(path, ".building");
    for stale in [
        building.clone(),
        sidecar(&building, "-wal"),
        sidecar(&building, "-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::File::create(&building)
        .map_err(|e| UserError::new(format!("cannot create {}: {e}", building.display())))?;
    let target = DbTarget::sqlite(building.clone());
    seed_target(&target, scale).await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
    std::fs::rename(&building, path)
        .map_err(|e| UserError::new(format!("cannot move the demo into place: {e}")))?;
    Ok(true)
}

fn sidecar(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Applies the demo schema and the console's own tables to `target`, then seeds it.
/// Refuses a database that already holds demo rows unless it is empty.
pub async fn seed_target(target: &DbTarget, scale: u32) -> Result<(), UserError> {
    if scale == 0 {
        return Err(UserError::new("--scale must be at least 1"));
    }
    migrate::run(target, MigrationSet::Demo).await?;
    migrate::run(target, MigrationSet::Console).await?;
    let settings = SessionSettings {
        statement_timeout: std::time::Duration::from_secs(3600),
        ..SessionSettings::default()
    };
    let pool = DbPool::connect(target, &settings).await?;
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let existing = rows::query(&mut conn, "SELECT CAST(count(*) AS TEXT) FROM users", &[])
        .await
        .map_err(|e| UserError::new(format!("cannot inspect the demo schema: {e}")))?;
    if existing.first().and_then(|r| r.int(0)).unwrap_or(0) > 0 {
        return Err(
            UserError::new(format!("{} already holds demo data", target.display))
                .hint("use `trashcan demo --reset` to drop and re-create it"),
        );
    }
    run_in_transaction(&mut conn, &seed_statements(pool.backend(), scale)).await
}

async fn run_in_transaction(conn: &mut DbConn, statements: &[String]) -> Result<(), UserError> {
    let fail = |e: diesel::result::Error| UserError::new(format!("seeding the demo failed: {e}"));
    crate::db::batch_execute(conn, "BEGIN")
        .await
        .map_err(fail)?;
    for statement in statements {
        if let Err(e) = rows::execute(conn, statement, &[]).await {
            let _ = crate::db::batch_execute(conn, "ROLLBACK").await;
            return Err(fail(e));
        }
    }
    crate::db::batch_execute(conn, "COMMIT")
        .await
        .map_err(fail)?;
    if conn.backend() == Backend::Postgres {
        // Fresh statistics so estimates in the tables pane are right from the start.
        crate::db::batch_execute(conn, "ANALYZE")
            .await
            .map_err(fail)?;
    }
    Ok(())
}

/// The version diesel records when the demo schema migration has run.
const DEMO_MIGRATION_VERSION: &str = "20261121000100";

/// `--reset` destroys data, so it only ever touches a database where `trashcan demo`
/// recorded its own schema migration. Pointed at anything else (a production database,
/// or a file that is not SQLite at all) it refuses and changes nothing.
async fn refuse_unless_trashcan_demo(target: &DbTarget) -> Result<(), UserError> {
    let refuse = |why: String| {
        UserError::new(format!(
            "refusing to reset {}: {why}; nothing was changed",
            target.display
        ))
        .hint("--reset only re-creates a demo that `trashcan demo` made")
    };
    let pool = DbPool::connect(target, &SessionSettings::default())
        .await
        .map_err(|e| refuse(e.message))?;
    let mut conn = pool.get().await.map_err(&refuse)?;
    let table_exists = match pool.backend() {
        Backend::Postgres => {
            "SELECT CAST(to_regclass('__diesel_schema_migrations') IS NOT NULL AS text)"
        }
        Backend::Sqlite => {
            "SELECT CAST(count(*) > 0 AS TEXT) FROM sqlite_schema \
             WHERE type = 'table' AND name = '__diesel_schema_migrations'"
        }
    };
    let recorded = match rows::query(&mut conn, table_exists, &[]).await {
        Ok(found) if found.first().and_then(|r| r.bool(0)) == Some(true) => {
            let count = format!(
                "SELECT CAST(count(*) AS TEXT) FROM __diesel_schema_migrations \
                 WHERE version = '{DEMO_MIGRATION_VERSION}'"
            );
            rows::query(&mut conn, &count, &[])
                .await
                .map_err(|e| refuse(e.to_string()))?
                .first()
                .and_then(|r| r.int(0))
                .unwrap_or(0)
                > 0
        }
        Ok(_) => false,
        Err(e) => return Err(refuse(e.to_string())),
    };
    if recorded {
        Ok(())
    } else {
        Err(refuse("it holds no demo made by `trashcan demo`".into()))
    }
}

/// Drops the demo tables from a PostgreSQL database so it can be seeded again.
pub async fn reset_postgres(target: &DbTarget) -> Result<(), UserError> {
    refuse_unless_trashcan_demo(target).await?;
    let pool = DbPool::connect(target, &SessionSettings::default()).await?;
    let mut conn = pool.get().await.map_err(UserError::new)?;
    // One simple-query batch: PostgreSQL runs it as a single transaction.
    crate::db::batch_execute(
        &mut conn,
        &format!(
            "DROP TABLE IF EXISTS product_attributes, product_assets, assets, products, payments, \
             orders, likes, comments, posts, users CASCADE; \
             DELETE FROM __diesel_schema_migrations WHERE version = '{DEMO_MIGRATION_VERSION}'"
        ),
    )
    .await
    .map_err(|e| UserError::new(format!("reset failed: {e}")))
}
