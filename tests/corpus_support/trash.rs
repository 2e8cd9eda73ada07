//! Trashing generated rows the way applications do: some alone, at ages from an hour to
//! a year, and some as the root of a group that takes the live rows under it along every
//! link, at the root's exact time. Every row's time is its own to the minute, so no two
//! unrelated deletions fall within the console's recovery window of each other.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use super::generate::{Generated, Group, RowId, ident, value_for};
use super::schema::{Expect, Schema, Table, TableExpect};
use crate::purge_db::Db;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// Ages of rows trashed alone: two inside a 30-day cutoff, two well beyond it.
const ALONE: [i64; 4] = [HOUR, 5 * DAY, 45 * DAY, 400 * DAY];
/// Ages of group roots: both beyond a 30-day cutoff.
const GROUPS: [i64; 2] = [45 * DAY, 400 * DAY];

/// Whether rows of the table say when they were trashed (a group can be told by time).
fn timed(e: &TableExpect) -> bool {
    e.convention.as_deref() != Some("flag") || e.time_column.is_some()
}

/// `SET` assignments that trash a row at `epoch`.
fn trashed_at(db: &Db, table: &Table, e: &TableExpect, epoch: i64) -> String {
    let Some(marker) = e.column.as_deref() else {
        return String::new();
    };
    let time = |column: &str| {
        let sql_type = table
            .column(column)
            .map(|c| c.sql_type.clone())
            .unwrap_or_default();
        if db.pg {
            format!("CAST(to_timestamp({epoch}) AS {sql_type})")
        } else {
            format!("datetime({epoch}, 'unixepoch')")
        }
    };
    match e.convention.as_deref() {
        Some("epoch_millis") => format!("{} = {}", ident(marker), epoch * 1000),
        Some("epoch_seconds") => format!("{} = {epoch}", ident(marker)),
        Some("flag") => {
            let on = match table.column(marker) {
                Some(c) if db.pg && c.base == "bool" => "TRUE",
                _ => "1",
            };
            let mut set = format!("{} = {on}", ident(marker));
            if let Some(t) = &e.time_column {
                set.push_str(&format!(", {} = {}", ident(t), time(t)));
            }
            set
        }
        _ => format!("{} = {}", ident(marker), time(marker)),
    }
}

/// The row under `alias` is live, by the expectation's marker (the test's own SQL).
pub fn live_sql(db: &Db, table: &Table, e: &TableExpect, alias: &str) -> String {
    let Some(marker) = e.column.as_deref() else {
        return "1 = 1".into();
    };
    let m = format!("{alias}.{}", ident(marker));
    match e.convention.as_deref() {
        Some("epoch_millis" | "epoch_seconds") => format!("({m} IS NULL OR {m} = 0)"),
        Some("flag") => match table.column(marker) {
            Some(c) if db.pg && c.base == "bool" => format!("({m} IS NULL OR NOT {m})"),
            _ => format!("({m} IS NULL OR {m} = 0)"),
        },
        _ => format!("{m} IS NULL"),
    }
}

/// `key = value AND …` for the row whose key text is `key`.
fn by_key(db: &Db, table: &Table, key: &str, alias: &str) -> String {
    table
        .key
        .iter()
        .zip(key.split(','))
        .map(|(k, v)| {
            let column = table.column(k).expect("key column");
            format!("{alias}.{} = {}", ident(k), value_for(db, column, v))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

pub async fn trash(
    db: &Db,
    schema: &Schema,
    expect: &Expect,
    keys: &BTreeMap<String, Vec<String>>,
    numbers: &BTreeMap<&str, usize>,
    generated: &mut Generated,
) {
    let now: i64 = db
        .scalar(if db.pg {
            "SELECT CAST(CAST(extract(epoch FROM now()) AS BIGINT) AS TEXT)"
        } else {
            "SELECT CAST(unixepoch('now') AS TEXT)"
        })
        .await
        .parse()
        .expect("the database's clock");
    let soft: Vec<(&Table, &TableExpect)> = expect
        .soft_deletes()
        .filter_map(|(name, e)| Some((schema.table(name)?, e)))
        .filter(|(t, _)| !t.key.is_empty())
        .collect();
    let offset = |table: &str, row: usize| {
        (numbers.get(table).copied().unwrap_or(0) as i64 * 30 + row as i64) * 5 * 60
    };
    let mut sql = String::new();
    for (table, e) in &soft {
        for (row, key) in keys.get(&table.name).into_iter().flatten().enumerate() {
            if row % 5 == 1 {
                // The age does not follow the row's place, so young rows land under old
                // parents and old ones under young.
                let number = numbers.get(table.name.as_str()).copied().unwrap_or(0);
                let age = ALONE[(row * 3 + number) % ALONE.len()];
                let epoch = now - age - offset(&table.name, row) - 150;
                sql.push_str(&format!(
                    "UPDATE {} AS t SET {} WHERE {};\n",
                    ident(&table.name),
                    trashed_at(db, table, e, epoch),
                    by_key(db, table, key, "t")
                ));
            }
        }
    }
    db.exec(&sql).await;
    for (table, e) in &soft {
        if !timed(e) {
            continue;
        }
        for (row, key) in keys.get(&table.name).into_iter().flatten().enumerate() {
            if row % 5 != 3 {
                continue;
            }
            let epoch = now - GROUPS[(row / 5) % GROUPS.len()] - offset(&table.name, row);
            let root = (table.name.clone(), key.clone());
            let (mut members, leaves) = cascade(db, schema, expect, root.clone(), epoch).await;
            // Every other group of two rows or more has a leaf trashed again an hour ago
            // (restored and deleted anew): a young row under an old root, which a purge
            // must not take.
            let spanning = generated
                .groups
                .iter()
                .filter(|g| g.members.len() > 1)
                .count();
            if members.len() > 1
                && spanning % 2 == 0
                && let Some(leaf) = leaves.iter().find(|l| **l != root)
                && let (Some(t), Some(e)) = (schema.table(&leaf.0), expect.marker(&leaf.0))
            {
                let young = now - HOUR - offset(&leaf.0, row) - 210;
                db.exec(&format!(
                    "UPDATE {} AS t SET {} WHERE {}",
                    ident(&leaf.0),
                    trashed_at(db, t, e, young),
                    by_key(db, t, &leaf.1, "t")
                ))
                .await;
                members.remove(leaf);
                if std::env::var_os("CORPUS_DEBUG").is_some() {
                    eprintln!("DEBUG young leaf {leaf:?} under {root:?}");
                }
            }
            if std::env::var_os("CORPUS_DEBUG").is_some() {
                eprintln!(
                    "DEBUG group {root:?} {} members, leaves {leaves:?}",
                    members.len()
                );
            }
            if !members.is_empty() {
                generated.groups.push(Group { root, members });
            }
        }
    }
}

/// Trashes `root` (if live) at `epoch`, and every live row under it along every link
/// that does not detach, into a table that records deletion times, recursively;
/// returns them all, and those of them with no row under them.
async fn cascade(
    db: &Db,
    schema: &Schema,
    expect: &Expect,
    root: RowId,
    epoch: i64,
) -> (BTreeSet<RowId>, Vec<RowId>) {
    let mut members = BTreeSet::new();
    let mut leaves = Vec::new();
    let mut frontier = vec![root];
    while let Some((name, key)) = frontier.pop() {
        let (Some(table), Some(e)) = (schema.table(&name), expect.marker(&name)) else {
            continue;
        };
        let live = live_sql(db, table, e, "t");
        let changed = db
            .count(&format!(
                "SELECT 1 FROM {} AS t WHERE {} AND {live}",
                ident(&name),
                by_key(db, table, &key, "t")
            ))
            .await;
        if changed == 0 || !members.insert((name.clone(), key.clone())) {
            continue;
        }
        db.exec(&format!(
            "UPDATE {} AS t SET {} WHERE {}",
            ident(&name),
            trashed_at(db, table, e, epoch),
            by_key(db, table, &key, "t")
        ))
        .await;
        // A key the database would set to NULL does not make the row the parent's.
        let mut below = 0;
        for link in schema
            .links
            .iter()
            .filter(|l| l.parent == name && !l.detaches)
        {
            let Some(child) = schema.table(&link.child) else {
                continue;
            };
            let Some(ce) = expect.marker(&link.child) else {
                // Rows of a table that does not soft-delete (a join table, a setting)
                // go with the row, as applications destroy them when they trash it; a
                // row something else still needs stays.
                if !link.cascade {
                    let on: Vec<String> = link
                        .child_columns
                        .iter()
                        .zip(&link.parent_columns)
                        .map(|(c, p)| format!("c.{} = p.{}", ident(c), ident(p)))
                        .collect();
                    let gone = format!(
                        "DELETE FROM {} AS c WHERE EXISTS (SELECT 1 FROM {} AS p WHERE {} AND {})",
                        ident(&child.name),
                        ident(&name),
                        on.join(" AND "),
                        by_key(db, table, &key, "p")
                    );
                    let mut c = db.conn().await;
                    let _ = trashcan::db::batch_execute(&mut c, &gone).await;
                }
                continue;
            };
            if child.key.is_empty() || !timed(ce) {
                continue;
            }
            let on: Vec<String> = link
                .child_columns
                .iter()
                .zip(&link.parent_columns)
                .map(|(c, p)| format!("c.{} = p.{}", ident(c), ident(p)))
                .collect();
            let key_text: Vec<String> = child
                .key
                .iter()
                .map(|k| format!("CAST(c.{} AS TEXT)", ident(k)))
                .collect();
            let found = db
                .strings(&format!(
                    "SELECT {} FROM {} AS c JOIN {} AS p ON {} WHERE {} AND {}",
                    key_text.join(" || ',' || "),
                    ident(&child.name),
                    ident(&name),
                    on.join(" AND "),
                    by_key(db, table, &key, "p"),
                    live_sql(db, child, ce, "c")
                ))
                .await;
            below += found.len();
            frontier.extend(found.into_iter().map(|k| (child.name.clone(), k)));
        }
        if below == 0 {
            leaves.push((name.clone(), key.clone()));
        }
    }
    (members, leaves)
}
