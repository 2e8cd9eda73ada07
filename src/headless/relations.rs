//! `trashcan relations [--suggest]`: the relations the console follows, and those the
//! schema only implies by naming, with how well each implied one fits the data, as
//! config ready to paste.

use std::io::Write;

use serde_json::json;

use crate::cli::RelationsArgs;
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::catalog::{Catalog, Relation};
use crate::engine::relations::{MatchCounts, match_counts};
use crate::error::UserError;
use crate::tui::format::count;

pub async fn relations(
    pool: &DbPool,
    config: &Config,
    args: &RelationsArgs,
) -> Result<(), UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    for w in &catalog.warnings {
        eprintln!("warning: {w}");
    }
    let mut counted: Vec<(&Relation, Result<MatchCounts, String>)> = Vec::new();
    for relation in &catalog.implied {
        let counts = match_counts(&mut conn, &catalog, relation)
            .await
            .map_err(|e| e.message);
        counted.push((relation, counts));
    }
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        write_json(&mut out, &catalog, &counted, args.suggest)
    } else if args.suggest {
        write_suggestions(&mut out, &counted)
    } else {
        write_all(&mut out, &catalog, &counted)
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UserError::new(format!("cannot write: {e}")))
        }
        _ => Ok(()),
    }
}

fn fit(counts: &Result<MatchCounts, String>) -> String {
    match counts {
        Ok(c) => format!(
            "{} of {} rows match a parent, {} do not, {} point nowhere (NULL, '' or 0)",
            count(c.matched),
            count(c.rows),
            count(c.unmatched),
            count(c.empty)
        ),
        Err(e) => format!("not counted: {e}"),
    }
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn write_suggestions(
    out: &mut impl Write,
    counted: &[(&Relation, Result<MatchCounts, String>)],
) -> std::io::Result<()> {
    if counted.is_empty() {
        writeln!(
            out,
            "# no relation is implied by column names without being declared"
        )?;
    }
    for (relation, counts) in counted {
        writeln!(out, "# {}: {}", relation.describe(), fit(counts))?;
        writeln!(out, "[[relations]]")?;
        writeln!(out, "child = {}", toml_string(&relation.child.display()))?;
        let columns: Vec<String> = relation
            .child_columns
            .iter()
            .map(|c| toml_string(c))
            .collect();
        writeln!(out, "child_columns = [{}]", columns.join(", "))?;
        writeln!(out, "parent = {}", toml_string(&relation.parent.display()))?;
        let columns: Vec<String> = relation
            .parent_columns
            .iter()
            .map(|c| toml_string(c))
            .collect();
        writeln!(out, "parent_columns = [{}]", columns.join(", "))?;
        writeln!(out)?;
    }
    if !counted.is_empty() {
        let ignore: Vec<String> = counted
            .iter()
            .map(|(r, _)| {
                toml_string(&format!(
                    "{}.{}",
                    r.child.display(),
                    r.child_columns.join(",")
                ))
            })
            .collect();
        writeln!(
            out,
            "# Or, for columns that only look like keys:\n# [implied]\n# ignore = [{}]",
            ignore.join(", ")
        )?;
    }
    Ok(())
}

fn write_all(
    out: &mut impl Write,
    catalog: &Catalog,
    counted: &[(&Relation, Result<MatchCounts, String>)],
) -> std::io::Result<()> {
    for relation in &catalog.relations {
        let kind = if relation.declared {
            "declared"
        } else {
            "config"
        };
        writeln!(
            out,
            "{:<9} {}  (on delete {:?})",
            kind,
            relation.describe(),
            relation.on_delete
        )?;
    }
    for (relation, counts) in counted {
        writeln!(
            out,
            "implied   {}  NOT FOLLOWED: {}",
            relation.describe(),
            fit(counts)
        )?;
    }
    Ok(())
}

fn write_json(
    out: &mut impl Write,
    catalog: &Catalog,
    counted: &[(&Relation, Result<MatchCounts, String>)],
    only_implied: bool,
) -> std::io::Result<()> {
    let describe = |r: &Relation, kind: &str| {
        json!({
            "kind": kind, "child": r.child.display(), "child_columns": r.child_columns,
            "parent": r.parent.display(), "parent_columns": r.parent_columns,
        })
    };
    let mut all: Vec<serde_json::Value> = Vec::new();
    if !only_implied {
        for r in &catalog.relations {
            all.push(describe(r, if r.declared { "declared" } else { "config" }));
        }
    }
    for (r, counts) in counted {
        let mut value = describe(r, "implied");
        value["counts"] = match counts {
            Ok(c) => json!({
                "rows": c.rows, "matched": c.matched, "unmatched": c.unmatched, "empty": c.empty,
            }),
            Err(e) => json!({ "error": e }),
        };
        all.push(value);
    }
    writeln!(out, "{}", json!({ "relations": all }))
}
