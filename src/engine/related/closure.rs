//! Exact related counts as a closure: every row below the selected ones, along every
//! relation, found once, counted per table. One recursive statement on the server, so
//! no key streams through the console, the cost follows tables and rows (not paths),
//! and it reads only (a read-only session or a SELECT-only role can run it).
//!
//! Each reached row is one tuple `(carried columns, deletion epoch, token, trashed, in
//! group, selected)` in its part of the walk: the carried columns are its key and the
//! columns other tables' keys point at, as they are (or, in a cycle of several tables,
//! tagged with the table and as text; see `walk`), the group test against the parent's
//! epoch or token. A row reached along several relations, and with and without the
//! group, is counted once: the final count groups by table and key.

use std::collections::BTreeMap;

use super::walk::{Layout, Step, Walk, encode};
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

/// The closure statement for `keys` of `root`, and the walk it follows.
fn statement<'a>(
    catalog: &'a Catalog,
    root: &'a TableInfo,
    keys: &[Vec<String>],
    window_seconds: f64,
    backend: Backend,
) -> (String, Vec<String>, Walk<'a>) {
    let walk = Walk::new(catalog, root, backend);
    let window = format!("{:.3}", window_seconds.max(0.0));
    let mut binds = Binds::new(backend);
    let mut seed = walk.tuple(0, "t", backend);
    let trashed = seed[seed.len() - 1].clone();
    seed.push(trashed);
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
    let steps: Vec<(usize, Step)> = walk
        .followed
        .iter()
        .filter_map(|&index| Some((index, walk.step(index, &window, backend)?)))
        .collect();
    let ctes = part_ctes(&walk, &seed, &steps, backend);
    let mut counts: Vec<String> = (0..walk.parts.len())
        .map(|part| part_counts(&walk, part, backend))
        .collect();
    counts.extend(
        walk.detaching
            .iter()
            .filter_map(|&index| detached_count(&walk, index, backend)),
    );
    let sql = format!(
        "WITH RECURSIVE {} {}",
        ctes.join(", "),
        counts.join(" UNION ALL ")
    );
    (sql, binds.into_values(), walk)
}

/// Rows, trashed rows and same-group rows per table of a part, each row once however
/// many relations reached it, the selected rows left out.
fn part_counts(walk: &Walk<'_>, part: usize, backend: Backend) -> String {
    let text = |e: &str| expr::cast_text(e, backend);
    match walk.parts[part] {
        Layout::Typed(table) => {
            let row: Vec<String> = (0..walk.carried[table].len())
                .map(|i| format!("trashcan_c{i}"))
                .collect();
            format!(
                "SELECT {}, {}, {}, {} FROM (SELECT max(trashcan_tr) AS tr, max(trashcan_g) AS gr \
                 FROM r{part} GROUP BY {} HAVING max(trashcan_s) = 0) AS q HAVING count(*) > 0",
                text(&format!("'{table}'")),
                text("count(*)"),
                text("sum(tr)"),
                text("sum(gr)"),
                row.join(", ")
            )
        }
        Layout::Tagged => format!(
            "SELECT {}, {}, {}, {} FROM (SELECT trashcan_t, trashcan_k, max(trashcan_tr) AS tr, \
             max(trashcan_g) AS gr FROM r{part} GROUP BY trashcan_t, trashcan_k \
             HAVING max(trashcan_s) = 0) AS q GROUP BY trashcan_t",
            text("trashcan_t"),
            text("count(*)"),
            text("sum(tr)"),
            text("sum(gr)"),
        ),
    }
}

/// The rows a detaching relation (`SET NULL`/`SET DEFAULT`) would detach below the
/// reached rows, each once, tagged `d<relation>`.
fn detached_count(walk: &Walk<'_>, index: usize, backend: Backend) -> Option<String> {
    let relation = &walk.catalog.relations[index];
    let parent = walk.number(&relation.parent)?;
    let child = walk.catalog.table(&relation.child)?;
    let mut on: Vec<String> = walk.rows_of(parent).into_iter().collect();
    for (c, p) in relation.child_columns.iter().zip(&relation.parent_columns) {
        let at = walk.carried[parent].iter().position(|k| &k.name == p)?;
        on.push(format!(
            "c.{} = {}",
            crate::engine::sql::quote_ident(c),
            walk.carried_of_p(parent, at, backend)
        ));
    }
    let child_key = encode(&expr::key_columns(child, backend), "c", backend);
    Some(format!(
        "SELECT {}, {}, '0', '0' FROM (SELECT DISTINCT {child_key} AS k FROM r{} AS p \
         JOIN {} AS c ON {}) AS d",
        expr::cast_text(&format!("'d{index}'"), backend),
        expr::cast_text("count(*)", backend),
        walk.part_of[parent],
        child.name.quoted(),
        on.join(" AND ")
    ))
}

/// One CTE per part of the walk, parents before children: each takes in, set-based, the
/// rows its relations add below the parts above it (the selected rows, for the part
/// holding the selected table), and a part with relations inside it (a self-reference,
/// a cycle of tables) follows them to a fixpoint. Joins between parts run as joins of
/// whole sets, so a big closure costs what the hand-written statement would; only
/// inside a cycle does the walk go level by level.
fn part_ctes(
    walk: &Walk<'_>,
    seed: &str,
    steps: &[(usize, Step)],
    backend: Backend,
) -> Vec<String> {
    let mut ctes = Vec::with_capacity(walk.parts.len());
    for part in 0..walk.parts.len() {
        let name = format!("r{part}");
        let mut base: Vec<String> = Vec::new();
        if walk.part_of[0] == part {
            base.push(seed.to_owned());
        }
        let mut inside: Vec<&Step> = Vec::new();
        for (index, step) in steps {
            let relation = &walk.catalog.relations[*index];
            let (Some(p), Some(c)) = (walk.number(&relation.parent), walk.number(&relation.child))
            else {
                continue;
            };
            if walk.part_of[c] != part {
                continue;
            }
            if walk.part_of[p] == part {
                inside.push(step);
            } else {
                base.push(format!(
                    "SELECT {} FROM r{} AS p JOIN {} AS c ON {}",
                    step.select, walk.part_of[p], step.table, step.conditions
                ));
            }
        }
        if base.is_empty() {
            // No relation into it could be followed (a partial count says why); the
            // part stays, empty, so the parts below keep their numbers.
            base.push(format!("{seed} AND 1 = 0"));
        }
        // Duplicates (a row under two parents) are dropped before they multiply below.
        let base = base.join(" UNION ");
        let recursive = recursive_steps(&name, &inside, backend);
        ctes.push(format!(
            "{name}({}) AS (SELECT * FROM ({base}) AS b{recursive})",
            walk.columns(part)
        ));
    }
    ctes
}

/// The recursive term of a part with relations inside it.
fn recursive_steps(name: &str, inside: &[&Step], backend: Backend) -> String {
    match (backend, inside) {
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
    }
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
