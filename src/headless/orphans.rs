//! `trashcan orphans`: the orphans pane's scan, for a nightly check. The exit code says
//! whether any were found, so cron or CI can alert on it.

use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::cli::OrphansArgs;
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::catalog::Catalog;
use crate::engine::orphans::{self, OrphanKind, RelationOrphans, ScanOptions};
use crate::error::UserError;
use crate::tui::format::count;

/// How a headless orphan scan ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrphansOutcome {
    /// Every relation scanned, no orphans.
    Clean = 0,
    /// Orphans found (or a relation could not be scanned, which hides what it holds).
    Found = 1,
}

/// Sample keys listed per relation and kind.
const SAMPLES: u32 = 5;

pub async fn orphans(
    pool: &DbPool,
    config: &Config,
    args: &OrphansArgs,
) -> Result<OrphansOutcome, UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    for w in &catalog.warnings {
        eprintln!("warning: {w}");
    }
    if catalog.relations.is_empty() {
        return Err(UserError::new("no relations to scan").hint(
            "declare foreign keys, or list the implied ones under [[relations]] in the config",
        ));
    }
    let found = orphans::scan(
        &mut conn,
        &catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .map_err(|e| UserError::new(format!("the orphan scan stopped: {e}")))?;

    let mut reports = Vec::new();
    for relation in &found {
        let mut samples = Vec::new();
        for kind in [OrphanKind::Hard, OrphanKind::Soft] {
            if relation.count(kind) == 0 {
                continue;
            }
            let rows = orphans::sample(&mut conn, &catalog, relation.relation, kind, SAMPLES)
                .await
                .map_err(|e| UserError::new(format!("cannot list orphans: {e}")))?;
            samples.push((kind, rows));
        }
        reports.push((relation, samples));
    }

    let unscanned = found.iter().filter(|r| r.counts.is_err()).count();
    let total: u64 = found.iter().map(RelationOrphans::total).sum();
    if args.json {
        let relations: Vec<_> = reports
            .iter()
            .map(|(r, samples)| {
                let counts = r.counts.as_ref().ok();
                json!({
                    "relation": r.path,
                    "child": r.child.to_string(),
                    "parent": r.parent.to_string(),
                    "declared": r.declared,
                    "hard": counts.map(|c| c.hard),
                    "soft": counts.and_then(|c| c.soft),
                    "ms": counts.map(|c| c.took.as_millis() as u64),
                    "error": r.counts.as_ref().err(),
                    "samples": samples.iter().map(|(kind, rows)| json!({
                        "kind": kind.label(),
                        "keys": rows.iter().map(|o| &o.key).collect::<Vec<_>>(),
                        "refers_to": rows.iter().map(|o| &o.refers_to).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let summary = json!({
            "orphans": total,
            "unscanned_relations": unscanned,
            "relations": relations,
        });
        println!("{summary}");
    } else {
        println!(
            "{:<48} {:>10} {:>10} {:>8}",
            "relation", "hard", "soft", "took"
        );
        for (r, samples) in &reports {
            match &r.counts {
                Ok(c) => println!(
                    "{:<48} {:>10} {:>10} {:>6}ms",
                    r.path,
                    count(c.hard),
                    c.soft.map(count).unwrap_or_else(|| "–".into()),
                    c.took.as_millis()
                ),
                Err(why) => println!("{:<48} error: {why}", r.path),
            }
            for (kind, rows) in samples {
                let keys: Vec<String> = rows.iter().map(|o| o.key.join(",")).collect();
                println!("    {} e.g. {}", kind.label(), keys.join("; "));
            }
        }
        println!(
            "{} orphans along {} relations{}",
            count(total),
            found.len(),
            if unscanned > 0 {
                format!("; {unscanned} could not be scanned")
            } else {
                String::new()
            }
        );
    }
    Ok(if total > 0 || unscanned > 0 {
        OrphansOutcome::Found
    } else {
        OrphansOutcome::Clean
    })
}
