//! Exact related counts as a closure: every row below the selected ones, along every
//! relation, found once, counted per table. One recursive statement on the server, so
//! no key streams through the console, the cost follows tables and rows (not paths),
//! and it reads only (a read-only session or a SELECT-only role can run it).
//!
//! Each reached row is one tagged tuple `(table, key, deletion epoch, token, trashed,
//! in group, selected)`: the key as text (the columns other tables' keys point at,
//! decoded back to their types for each join), the group test against the parent's
//! epoch or token. A row reached along several relations, and with and without the
//! group, is counted once: the final count groups by table and key.

use std::collections::BTreeMap;

use super::walk::{Step, Walk, decode, encode};
use crate::db::{Backend, DbConn, rows};
use crate::engine::catalog::{Catalog, FkAction, TableInfo};
use crate::engine::change::keys::in_keys;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::sql::{Binds, TableName};

/// What the closure found in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableTotal {
    pub table: TableName,
    pub live: u64,
    pub trashed: u64,
    pub same_group: u64,
    /// Every relation the closure reached the table along is a declared `ON DELETE
    /// CASCADE`: its live rows would go with their parents, not keep them.
    pub cascading_only: bool,
}

/// Rows a purge of the selection would detach (`SET NULL`/`SET DEFAULT`), per relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detached {
    pub relation: String,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClosureCounts {
    pub tables: Vec<TableTotal>,
    pub detached: Vec<Detached>,
    /// Why some rows below the selection could not be counted (a table the role may not
    /// read); empty when the counts are complete.
    pub partial: Vec<String>,
}

const COLUMNS: &str =
    "trashcan_t, trashcan_k, trashcan_e, trashcan_tok, trashcan_tr, trashcan_g, trashcan_s";

/// The closure statement for `keys` of `root`, and the walk it follows.
fn statement<'a>(
    catalog: &'a Catalog,
    root: &'a TableInfo,
    keys: &[Vec<String>],
    window_seconds: f64,
    backend: Backend,
) -> (String, Vec<String>, Walk<'a>) {
    let mut walk = Walk::new(catalog, root, backend);
    let window = format!("{:.3}", window_seconds.max(0.0));
    let mut binds = Binds::new(backend);
    let mut seed = walk.tuple(0, "t", backend);
    seed.push(seed[4].clone());
    seed.push("1".into());
    let seed = format!(
        "SELECT {} FROM {} AS t WHERE {}",
        seed.join(", "),
        root.name.quoted(),
        in_keys(
            Some("t"),
            &expr::key_columns(root, backend),
            keys,
            &mut binds,
            backend
        )
    );
    let mut steps: Vec<(usize, Step)> = Vec::new();
    for &index in &walk.followed {
        match walk.step(index, &window, backend) {
            Some(step) => steps.push((index, step)),
            None => {
                let note = format!(
                    "{} names a column its table does not have",
                    catalog.relations[index].describe()
                );
                walk.partial.push(note);
            }
        }
    }
    let ctes = component_ctes(&walk, &seed, &steps, backend);
    let parts: Vec<String> = (0..ctes.len())
        .map(|i| format!("SELECT * FROM r{i}"))
        .collect();
    let mut counts = vec![format!(
        "SELECT {}, {}, {}, {} FROM (SELECT trashcan_t, trashcan_k, max(trashcan_tr) AS tr, \
         max(trashcan_g) AS gr FROM reach GROUP BY trashcan_t, trashcan_k \
         HAVING max(trashcan_s) = 0) AS q GROUP BY trashcan_t",
        expr::cast_text("trashcan_t", backend),
        expr::cast_text("count(*)", backend),
        expr::cast_text("sum(tr)", backend),
        expr::cast_text("sum(gr)", backend),
    )];
    for &index in &walk.detaching {
        let relation = &catalog.relations[index];
        let (Some(parent), Some(child)) = (
            walk.number(&relation.parent),
            catalog.table(&relation.child),
        ) else {
            continue;
        };
        let carried = &walk.carried[parent];
        let on: Option<Vec<String>> = relation
            .child_columns
            .iter()
            .zip(&relation.parent_columns)
            .map(|(c, p)| {
                let at = carried.iter().position(|k| &k.name == p)?;
                Some(format!(
                    "c.{} = {}",
                    crate::engine::sql::quote_ident(c),
                    decode(carried, at, "p.trashcan_k", backend)
                ))
            })
            .collect();
        let Some(on) = on else { continue };
        let child_key = encode(&expr::key_columns(child, backend), "c", backend);
        counts.push(format!(
            "SELECT {}, {}, '0', '0' FROM (SELECT DISTINCT {child_key} AS k FROM reach AS p \
             JOIN {} AS c ON p.trashcan_t = {parent} AND {}) AS d",
            expr::cast_text(&format!("'d{index}'"), backend),
            expr::cast_text("count(*)", backend),
            child.name.quoted(),
            on.join(" AND ")
        ));
    }
    let sql = format!(
        "WITH RECURSIVE {}, reach AS ({}) {}",
        ctes.join(", "),
        parts.join(" UNION ALL "),
        counts.join(" UNION ALL ")
    );
    (sql, binds.into_values(), walk)
}

/// One CTE per strongly connected part of the walk, parents before children: each takes
/// in, set-based, the rows its relations add below the parts above it (the selected
/// rows, for the part holding the selected table), and a part with relations inside it
/// (a self-reference, a cycle of tables) follows them to a fixpoint. Joins between
/// parts run as joins of whole sets, so a big closure costs what the hand-written
/// statement would; only inside a cycle does the walk go level by level.
fn component_ctes(
    walk: &Walk<'_>,
    seed: &str,
    steps: &[(usize, Step)],
    backend: Backend,
) -> Vec<String> {
    let n = walk.tables.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut targets = Vec::with_capacity(steps.len());
    let mut ends = Vec::with_capacity(steps.len());
    for (e, (index, _)) in steps.iter().enumerate() {
        let relation = &walk.catalog.relations[*index];
        let (Some(p), Some(c)) = (walk.number(&relation.parent), walk.number(&relation.child))
        else {
            targets.push(0);
            ends.push((usize::MAX, usize::MAX));
            continue;
        };
        edges[p].push(e);
        targets.push(c);
        ends.push((p, c));
    }
    let component = crate::engine::catalog::strongly_connected(&edges, &targets);
    // Tarjan numbers a part after every part below it: the highest number comes first.
    let mut order: Vec<usize> = component.clone();
    order.sort_unstable();
    order.dedup();
    order.reverse();
    let cte_of = |node: usize| -> usize {
        order
            .iter()
            .position(|&c| c == component[node])
            .unwrap_or(0)
    };
    let mut ctes = Vec::with_capacity(order.len());
    for (i, &part) in order.iter().enumerate() {
        let name = format!("r{i}");
        let mut base: Vec<String> = Vec::new();
        if component[0] == part {
            base.push(seed.to_owned());
        }
        let mut inside: Vec<&Step> = Vec::new();
        for ((_, step), &(p, c)) in steps.iter().zip(&ends) {
            if c == usize::MAX || component[c] != part {
                continue;
            }
            if component[p] == part {
                inside.push(step);
            } else {
                base.push(format!(
                    "SELECT {} FROM r{} AS p JOIN {} AS c ON {}",
                    step.select,
                    cte_of(p),
                    step.table,
                    step.conditions
                ));
            }
        }
        if base.is_empty() {
            // Every relation into it named a missing column (a partial count says so);
            // the part stays, empty, so the parts below keep their numbers.
            base.push(format!("{seed} AND 1 = 0"));
        }
        // Duplicates (a row under two parents) are dropped before they multiply below.
        let base = base.join(" UNION ");
        let recursive = match (backend, inside.as_slice()) {
            (_, []) => String::new(),
            (_, [one]) => format!(
                " UNION SELECT {} FROM {name} AS p JOIN {} AS c ON {}",
                one.select, one.table, one.conditions
            ),
            // PostgreSQL takes one reference to the recursive table: each relation is a
            // branch of a lateral union, which runs only the branch for the row's table.
            (Backend::Postgres, several) => format!(
                " UNION SELECT x.* FROM {name} AS p CROSS JOIN LATERAL ({}) AS x",
                several
                    .iter()
                    .map(|s| format!(
                        "SELECT {} FROM {} AS c WHERE {}",
                        s.select, s.table, s.conditions
                    ))
                    .collect::<Vec<_>>()
                    .join(" UNION ALL ")
            ),
            // SQLite takes a compound recursive select, one select per relation.
            (Backend::Sqlite, several) => several
                .iter()
                .map(|s| {
                    format!(
                        " UNION SELECT {} FROM {name} AS p, {} AS c WHERE {}",
                        s.select, s.table, s.conditions
                    )
                })
                .collect(),
        };
        ctes.push(format!(
            "{name}({COLUMNS}) AS (SELECT * FROM ({base}) AS b{recursive})"
        ));
    }
    ctes
}

/// Counts everything below `keys` of `root`, per table, exactly.
pub async fn count(
    conn: &mut DbConn,
    catalog: &Catalog,
    root: &TableInfo,
    keys: &[Vec<String>],
    window_seconds: f64,
) -> Result<ClosureCounts, EngineError> {
    let backend = conn.backend();
    let (sql, binds, walk) = statement(catalog, root, keys, window_seconds, backend);
    let found = rows::query(conn, &sql, &binds)
        .await
        .map_err(|e| EngineError::from_query(e, &TableName::new(None, "related counts")))?;
    let mut tables: BTreeMap<usize, (u64, u64, u64)> = BTreeMap::new();
    let mut detached = Vec::new();
    for row in &found {
        let tag = row.text(0).unwrap_or_default();
        let n = |i| row.int(i).unwrap_or(0).max(0) as u64;
        if let Some(relation) = tag.strip_prefix('d').and_then(|r| r.parse::<usize>().ok()) {
            if n(1) > 0
                && let Some(r) = catalog.relations.get(relation)
            {
                detached.push(Detached {
                    relation: r.describe(),
                    rows: n(1),
                });
            }
        } else if let Ok(t) = tag.parse::<usize>() {
            tables.insert(t, (n(1), n(2), n(3)));
        }
    }
    let totals = tables
        .into_iter()
        .filter_map(|(t, (all, trashed, same_group))| {
            let table = walk.tables.get(t)?;
            let cascading_only = walk
                .followed
                .iter()
                .map(|&i| &catalog.relations[i])
                .filter(|r| r.child == table.name)
                .all(|r| r.declared && r.on_delete == FkAction::Cascade);
            Some(TableTotal {
                table: table.name.clone(),
                live: all.saturating_sub(trashed),
                trashed,
                same_group,
                cascading_only,
            })
        })
        .collect();
    Ok(ClosureCounts {
        tables: totals,
        detached,
        partial: walk.partial,
    })
}
