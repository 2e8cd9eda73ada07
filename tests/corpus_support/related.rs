//! Related counts on a corpus schema: the console's closure against a walk over the
//! rows in memory, read with the test's own SQL.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use trashcan::engine::catalog::Catalog;

use super::changes::states;
use super::checks::{join, name};
use super::generate::{Generated, ident};
use super::schema::{Expect, Schema, Table};
use super::trash::live_sql;
use crate::purge_db::Db;

/// When a trashed row was trashed, in epoch seconds, by the expectation's time column
/// (the test's own SQL); NULL for live rows and tables without times.
fn epoch_sql(db: &Db, table: &Table, e: &super::schema::TableExpect, alias: &str) -> String {
    let time = e.time();
    let Some(time) = time else {
        return "NULL".into();
    };
    let column = format!("{alias}.{}", ident(time));
    let is_integer = table.is_integer(time);
    let epoch = match (e.convention.as_deref(), db.pg, is_integer) {
        (Some("epoch_millis"), _, _) | (Some("flag"), _, true) => format!("{column} / 1000.0"),
        (Some("epoch_seconds"), _, _) => format!("{column} * 1.0"),
        (_, true, _) => format!("extract(epoch FROM {column})"),
        (_, false, _) => format!("unixepoch({column})"),
    };
    format!(
        "CASE WHEN {} THEN NULL ELSE {epoch} END",
        live_sql(db, table, e, alias)
    )
}

/// Every row's state and deletion epoch, and every parent → child pair along every link
/// the console follows (not those that detach), read with the test's own SQL.
struct Graph {
    state: BTreeMap<String, char>,
    epoch: BTreeMap<String, f64>,
    children: BTreeMap<String, Vec<String>>,
}

async fn graph(db: &Db, schema: &Schema, expect: &Expect) -> Graph {
    let state = states(db, schema, expect, 30).await;
    let mut epoch = BTreeMap::new();
    for table in schema.tables.iter().filter(|t| !t.key.is_empty()) {
        let Some(e) = expect.marker(&table.name) else {
            continue;
        };
        let key: Vec<String> = table
            .key
            .iter()
            .map(|k| format!("CAST(t.{} AS TEXT)", ident(k)))
            .collect();
        let sql = format!(
            "SELECT {} || '|' || CAST({} AS TEXT) FROM {} AS t WHERE NOT {}",
            key.join(" || ',' || "),
            epoch_sql(db, table, e, "t"),
            ident(&table.name),
            live_sql(db, table, e, "t")
        );
        for line in db.strings(&sql).await {
            if let Some((k, v)) = line.rsplit_once('|')
                && let Ok(v) = v.parse::<f64>()
            {
                epoch.insert(format!("{}:{k}", table.name), v);
            }
        }
    }
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in schema.links.iter().filter(|l| !l.detaches) {
        let (Some(child), Some(parent)) = (schema.table(&link.child), schema.table(&link.parent))
        else {
            continue;
        };
        if child.key.is_empty() || parent.key.is_empty() {
            continue;
        }
        let text = |t: &Table, alias: &str| {
            t.key
                .iter()
                .map(|k| format!("CAST({alias}.{} AS TEXT)", ident(k)))
                .collect::<Vec<_>>()
                .join(" || ',' || ")
        };
        let sql = format!(
            "SELECT {} || '|' || {} FROM {} AS c JOIN {} AS p ON {}",
            text(parent, "p"),
            text(child, "c"),
            ident(&link.child),
            ident(&link.parent),
            join(link, "c", "p")
        );
        for line in db.strings(&sql).await {
            if let Some((p, c)) = line.split_once('|') {
                let (p, c) = (
                    format!("{}:{p}", link.parent),
                    format!("{}:{c}", link.child),
                );
                if p != c {
                    children.entry(p).or_default().push(c);
                }
            }
        }
    }
    Graph {
        state,
        epoch,
        children,
    }
}

/// Per table (live, trashed, in the root's group) below `root`, by a walk over the rows
/// in memory: the reference the console's closure must equal.
fn reference(graph: &Graph, root: &str, window: f64) -> BTreeMap<String, (u64, u64, u64)> {
    let trashed = |r: &String| matches!(graph.state.get(r), Some('O' | 'Y'));
    let mut reached: BTreeMap<String, bool> = BTreeMap::new();
    let mut queue = vec![(root.to_owned(), trashed(&root.to_owned()))];
    let mut seen = BTreeSet::new();
    while let Some((row, group)) = queue.pop() {
        if !seen.insert((row.clone(), group)) {
            continue;
        }
        if row != root {
            let entry = reached.entry(row.clone()).or_insert(false);
            *entry |= group;
        }
        for child in graph.children.get(&row).into_iter().flatten() {
            let in_group = group
                && trashed(child)
                && match (graph.epoch.get(&row), graph.epoch.get(child)) {
                    (Some(p), Some(c)) => (p - c).abs() <= window,
                    _ => false,
                };
            queue.push((child.clone(), in_group));
        }
    }
    let mut counts: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for (row, group) in reached {
        let table = row
            .split_once(':')
            .map(|(t, _)| t.to_owned())
            .unwrap_or_default();
        let entry = counts.entry(table).or_default();
        if trashed(&row) {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
        if group {
            entry.2 += 1;
        }
    }
    counts
}

/// The console's related counts for the roots of the widest groups and a few live rows
/// with the most below them, against the reference walk.
pub async fn related(
    db: &Db,
    catalog: &Catalog,
    schema: &Schema,
    expect: &Expect,
    generated: &Generated,
) {
    let graph = graph(db, schema, expect).await;
    let mut roots: Vec<String> = {
        let mut groups: Vec<_> = generated.groups.iter().collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.members.len()));
        groups
            .iter()
            .take(3)
            .map(|g| format!("{}:{}", g.root.0, g.root.1))
            .collect()
    };
    let mut by_fanout: Vec<(&String, usize)> =
        graph.children.iter().map(|(r, c)| (r, c.len())).collect();
    by_fanout.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    roots.extend(by_fanout.iter().take(2).map(|(r, _)| (*r).clone()));
    let mut conn = db.conn().await;
    for root in roots {
        let (table, key) = root.split_once(':').expect("table:key");
        let info = catalog.table(&name(db, table)).expect("root table");
        let keys = vec![key.split(',').map(str::to_owned).collect::<Vec<_>>()];
        let found =
            trashcan::engine::related::closure::count(&mut conn, catalog, info, &keys, 120.0)
                .await
                .unwrap();
        let got = crate::purge_db::by_table(&found);
        assert_eq!(
            got,
            reference(&graph, &root, 120.0),
            "{}: related counts below {root}",
            db.backend()
        );
    }
}
