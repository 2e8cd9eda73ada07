//! What a purge may start from: the tables its scope names, each checked for what a
//! purge needs (a key, permission, a deletion time or the operator's choice to ignore
//! age, no relation it would orphan rows along without following it), and each table's
//! cutoff.

use super::{PurgeOptions, Scope};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::change::keys::check_keys;
use crate::engine::error::EngineError;
use crate::engine::related;
use crate::engine::sql::TableName;

/// The soft-delete tables a purge of all trash passes over (`root_tables` leaves them
/// out), with the reason.
pub(super) fn left_out(
    catalog: &Catalog,
    scope: &Scope,
    options: &PurgeOptions,
) -> Vec<super::LeftOut> {
    if !matches!(scope, Scope::All) {
        return Vec::new();
    }
    catalog
        .soft_delete_tables()
        .filter_map(|t| {
            let why = match t.read_only_reason() {
                Some(why) => why.to_string(),
                None if needs_age_choice(t, options) => no_time_why(t),
                None => return None,
            };
            Some(super::LeftOut {
                table: t.name.clone(),
                why,
            })
        })
        .collect()
}

/// Refuses a purge that could orphan rows along relations the schema implies but does
/// not declare (the purge does not follow them, so it would delete parents and leave
/// their children), unless the operator overrides it for this run; returns the
/// relations so overridden.
pub(super) fn implied_check(
    catalog: &Catalog,
    roots: &[&TableInfo],
    options: &PurgeOptions,
) -> Result<Vec<String>, EngineError> {
    let names: Vec<TableName> = roots.iter().map(|t| t.name.clone()).collect();
    let below: Vec<String> = catalog
        .implied_below(&names)
        .iter()
        .map(|r| r.describe())
        .collect();
    if below.is_empty() || options.ignore_implied {
        return Ok(below);
    }
    Err(EngineError::refused(format!(
        "the purge could leave rows without their parent along {} relation(s) the schema \
         implies but does not declare: {}. Declare each as [[relations]] in the config \
         (`trashcan relations --suggest` prints them), list it in [implied] ignore, or \
         pass --ignore-implied for this run",
        below.len(),
        below.join(", ")
    )))
}

/// A table without deletion times whose age the operator has not chosen to ignore: no
/// row of it can be shown older than a cutoff.
pub(super) fn needs_age_choice(table: &TableInfo, options: &PurgeOptions) -> bool {
    table
        .soft_delete
        .as_ref()
        .is_some_and(|sd| sd.time.is_none())
        && !options.ignore_age.contains(&table.name)
}

/// Why a table without deletion times cannot be purged by age, and the two ways on.
pub(super) fn no_time_why(table: &TableInfo) -> String {
    let name = table.name.display();
    let proxy = table
        .detection
        .proxy_suggestion
        .as_deref()
        .unwrap_or("updated_at");
    format!(
        "it records no deletion time, so no row is older than a cutoff: set \
         [tables.{name}] time_column = \"{proxy}\" to read the age from that column, or \
         purge it whatever the age with --ignore-age {name}"
    )
}

/// `--ignore-age` names only tables that soft-delete without recording when.
pub(super) fn check_ignore_age(
    catalog: &Catalog,
    options: &PurgeOptions,
) -> Result<(), EngineError> {
    for name in &options.ignore_age {
        let table = catalog
            .table(name)
            .ok_or_else(|| EngineError::other(format!("--ignore-age: unknown table {name}")))?;
        match &table.soft_delete {
            None => return Err(EngineError::not_soft_delete(name)),
            Some(sd) if sd.time.is_some() => {
                return Err(EngineError::other(format!(
                    "--ignore-age {name}: the table records deletion times ({}), so the \
                     cutoff applies to it",
                    sd.describe()
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The cutoff for `table`'s rows: `--older-than`, else the table's retention.
pub(super) fn cutoff_of(table: &TableInfo, options: &PurgeOptions, now: f64) -> f64 {
    match options.older_than {
        Some(d) => now - d.as_secs_f64(),
        None => {
            let days = table
                .retention_days
                .unwrap_or(options.default_retention_days);
            now - f64::from(days) * 86_400.0
        }
    }
}

/// The tables whose trash the scope names, each checked for what a purge needs.
pub(super) fn root_tables<'a>(
    catalog: &'a Catalog,
    scope: &Scope,
    options: &PurgeOptions,
) -> Result<Vec<&'a TableInfo>, EngineError> {
    check_ignore_age(catalog, options)?;
    let named = |name: &TableName| {
        catalog
            .table(name)
            .ok_or_else(|| EngineError::other(format!("unknown table {name}")))
    };
    let tables: Vec<&TableInfo> = match scope {
        Scope::Rows { table, keys } => {
            if keys.is_empty() || keys.len() > related::MAX_SELECTED_ROWS {
                return Err(EngineError::other(format!(
                    "select between 1 and {} rows to purge",
                    related::MAX_SELECTED_ROWS
                )));
            }
            let info = named(table)?;
            // A table without a key is refused below, whatever was selected.
            if !info.primary_key.is_empty() {
                let columns: Vec<_> = info.key_columns().into_iter().cloned().collect();
                check_keys(&columns, keys)?;
            }
            vec![info]
        }
        Scope::Table(table) => vec![named(table)?],
        Scope::Orphans { child, relation } => {
            named(&relation.parent_name())?;
            vec![named(child)?]
        }
        Scope::All => catalog
            .soft_delete_tables()
            .filter(|t| t.read_only_reason().is_none())
            .filter(|t| !needs_age_choice(t, options))
            .collect(),
    };
    for table in &tables {
        if table.soft_delete.is_none() {
            return Err(EngineError::not_soft_delete(&table.name));
        }
        if let Some(why) = table.read_only_reason() {
            return Err(EngineError::other(format!(
                "{}: {why}",
                table.name.display()
            )));
        }
        // An orphan purge needs no cutoff: its roots are orphans, whatever their state.
        if needs_age_choice(table, options) && !matches!(scope, Scope::Orphans { .. }) {
            return Err(EngineError::other(format!(
                "{}: {}",
                table.name.display(),
                no_time_why(table)
            )));
        }
    }
    Ok(tables)
}
