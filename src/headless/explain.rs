//! `trashcan tables --explain`: each table's detection verdict and why, so an operator
//! can check what the console took for trash before trusting it with a purge.

use std::io::Write;

use serde::Serialize;

use crate::cli::TablesArgs;
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::catalog::{Catalog, TableInfo, Verdict};
use crate::error::UserError;

#[derive(Serialize)]
struct Explained<'a> {
    table: String,
    verdict: &'static str,
    convention: Option<String>,
    because: &'a [String],
    near_misses: Vec<NearMiss<'a>>,
    proxy_suggestion: Option<&'a str>,
}

#[derive(Serialize)]
struct NearMiss<'a> {
    column: &'a str,
    why: &'a str,
}

fn explained(table: &TableInfo) -> Explained<'_> {
    let d = &table.detection;
    Explained {
        table: table.name.display(),
        verdict: d.verdict.label(),
        convention: table.soft_delete.as_ref().map(|sd| sd.describe()),
        because: &d.because,
        near_misses: d
            .near_misses
            .iter()
            .map(|(column, why)| NearMiss { column, why })
            .collect(),
        proxy_suggestion: d.proxy_suggestion.as_deref(),
    }
}

pub async fn explain_tables(
    pool: &DbPool,
    config: &Config,
    args: &TablesArgs,
) -> Result<(), UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    for w in &catalog.warnings {
        eprintln!("warning: {w}");
    }
    let shown: Vec<&TableInfo> = catalog
        .tables
        .iter()
        .filter(|t| args.all || t.detection.verdict != Verdict::None)
        .collect();
    let unremarkable = catalog.tables.len() - shown.len();
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let all: Vec<Explained> = shown.iter().map(|t| explained(t)).collect();
        let text = serde_json::json!({ "tables": all, "not_shown": unremarkable });
        writeln!(out, "{text}")
    } else {
        write_text(&mut out, &shown, unremarkable)
    };
    // A closed pipe (`| head`) is the reader's choice, not an error.
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UserError::new(format!("cannot write: {e}")))
        }
        _ => Ok(()),
    }
}

fn write_text(
    out: &mut impl Write,
    tables: &[&TableInfo],
    unremarkable: usize,
) -> std::io::Result<()> {
    let width = tables
        .iter()
        .map(|t| t.name.display().chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 40);
    for table in tables {
        let d = &table.detection;
        let mut lines: Vec<String> = d.because.clone();
        for (column, why) in &d.near_misses {
            lines.push(format!("near miss {column}: {why}"));
        }
        let mut first = true;
        for line in lines.iter().filter(|l| !l.is_empty()) {
            if first {
                writeln!(
                    out,
                    "{:<width$}  {:<16}  {line}",
                    table.name.display(),
                    d.verdict.label()
                )?;
                first = false;
            } else {
                writeln!(out, "{:<width$}  {:<16}  {line}", "", "")?;
            }
        }
    }
    if unremarkable > 0 {
        writeln!(
            out,
            "{unremarkable} more table(s) have no column named like a deletion marker (--all lists them)"
        )?;
    }
    Ok(())
}
