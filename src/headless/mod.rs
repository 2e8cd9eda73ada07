//! Commands that print instead of drawing, for scripts and quick checks.

mod approve;
mod audit;
mod explain;
mod orphans;
mod purge;
mod relations;
mod restore;

pub use approve::{ApproveOutcome, approve};
pub use audit::audit;
pub use explain::explain_tables;
pub use orphans::{OrphansOutcome, orphans};
pub use purge::{PurgeOutcome, jobs, purge};
pub use relations::relations;
pub use restore::{RestoreOutcome, parse_key, restore};

use crate::config::Config;
use crate::db::DbPool;
use crate::engine::catalog::Catalog;
use crate::engine::trash;
use crate::error::UserError;
use crate::tui::format::{age, thousands};

pub async fn print_tables(pool: &DbPool, config: &Config) -> Result<(), UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    for w in &catalog.warnings {
        eprintln!("warning: {w}");
    }
    let tables: Vec<_> = catalog.soft_delete_tables().collect();
    if tables.is_empty() {
        return Err(UserError::new("no soft-delete tables found").hint(
            "`trashcan tables --explain` says why for each table; a [tables.NAME] entry in \
             the config can name the marker column",
        ));
    }
    println!(
        "{:<32} {:<10} {:>12} {:>16} {:>8} {:>12}",
        "table", "convention", "trashed", "past retention", "oldest", "live~"
    );
    for table in tables {
        let convention = table
            .soft_delete
            .as_ref()
            .map(|sd| sd.convention.label())
            .unwrap_or("");
        match trash::table_stats(&mut conn, table, config.console.default_retention_days).await {
            Ok(s) => println!(
                "{:<32} {:<10} {:>12} {:>16} {:>8} {:>12}",
                table.name.display(),
                convention,
                thousands(s.trashed),
                s.past_retention
                    .map(|n| format!("{} ({}d)", thousands(n), s.retention_days))
                    .unwrap_or_default(),
                s.oldest_age_seconds.map(age).unwrap_or_default(),
                s.live_estimate.map(thousands).unwrap_or_default()
            ),
            Err(e) => println!("{:<32} {:<10} error: {e}", table.name.display(), convention),
        }
    }
    Ok(())
}
