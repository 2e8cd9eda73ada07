//! What the console must get right on a corpus schema, each checked against SQL the test
//! writes from the hand-written expectations, never against the engine itself.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use tokio_util::sync::CancellationToken;
use trashcan::engine::catalog::{Catalog, Convention, Verdict};
use trashcan::engine::change::{self, ChangeOptions};
use trashcan::engine::orphans::{self, ScanOptions};
use trashcan::engine::purge::{PurgeOptions, RunOutcome, Scope};
use trashcan::engine::sql::TableName;
use trashcan::engine::trash;

use super::generate::{Generated, ident};
use super::schema::{Expect, Link, Schema, Table};
use super::trash::live_sql;
use crate::purge_db::{Db, actor, days, small_batches};

fn name(db: &Db, table: &str) -> TableName {
    TableName::new(db.pg.then_some("public"), table)
}

fn convention(label: &str) -> Option<Convention> {
    Some(match label {
        "timestamp" => Convention::Timestamp,
        "flag" => Convention::Flag,
        "epoch_millis" => Convention::EpochMillis,
        "epoch_seconds" => Convention::EpochSeconds,
        _ => return None,
    })
}

/// Every table's verdict against the one written by hand; returns the disagreements.
pub fn detection(db: &Db, catalog: &Catalog, expect: &Expect) -> Vec<String> {
    let mut wrong = Vec::new();
    for (table, e) in &expect.tables {
        let Some(info) = catalog.table(&name(db, table)) else {
            wrong.push(format!("{table}: not in the catalog"));
            continue;
        };
        let got = info.soft_delete.as_ref();
        let summary = info.detection.summary();
        match (e.verdict.as_str(), got) {
            ("soft_delete", None) => wrong.push(format!(
                "{table}: expected trash by {:?}, got {summary}",
                e.column
            )),
            ("soft_delete", Some(sd)) => {
                let time = sd.time.as_ref().map(|t| t.name.as_str());
                if Some(sd.marker.name.as_str()) != e.column.as_deref()
                    || Some(sd.convention) != e.convention.as_deref().and_then(convention)
                    || time != e.time_column.as_deref()
                {
                    wrong.push(format!(
                        "{table}: expected {:?} {:?} time {:?}, got {}",
                        e.convention,
                        e.column,
                        e.time_column,
                        sd.describe()
                    ));
                }
            }
            ("history", _) if info.detection.verdict == Verdict::Convention => wrong.push(format!(
                "{table}: a history table taken for trash: {summary}"
            )),
            (_, Some(sd)) if e.verdict != "history" => wrong.push(format!(
                "{table}: expected {}, got trash by {}",
                e.verdict,
                sd.describe()
            )),
            _ => {}
        }
    }
    wrong
}

/// The relations the console infers from names, against those written by hand: none
/// it makes up, and none it misses whose column names its parent table.
pub fn inference(catalog: &Catalog, expect: &Expect) -> Vec<String> {
    let normalize = |s: &str| s.to_lowercase().replace('_', "");
    let inferred: BTreeSet<String> = catalog
        .implied
        .iter()
        .map(|r| {
            format!(
                "{}.{} → {}",
                r.child.name,
                r.child_columns.join(","),
                r.parent.name
            )
        })
        .collect();
    let expected: BTreeSet<String> = expect
        .implied
        .iter()
        .map(|r| format!("{}.{} → {}", r.child, r.child_column, r.parent))
        .collect();
    let named = |r: &super::schema::Implied| {
        let column = normalize(&r.child_column);
        let Some(stem) = column.strip_suffix("id") else {
            return false;
        };
        let parent = normalize(&r.parent);
        let own = r
            .child
            .split_once('_')
            .map(|(p, _)| normalize(p))
            .unwrap_or_default();
        let parent = parent
            .strip_prefix(&own)
            .filter(|_| !own.is_empty())
            .unwrap_or(&parent);
        [stem.to_owned(), format!("{stem}s"), format!("{stem}es")].contains(&parent.to_owned())
            || stem
                .strip_suffix('y')
                .is_some_and(|b| parent == format!("{b}ies"))
            || (stem == "parent" && r.parent == r.child)
    };
    let mut wrong: Vec<String> = inferred
        .difference(&expected)
        .map(|r| format!("inferred, not expected: {r}"))
        .collect();
    wrong.extend(
        expect
            .implied
            .iter()
            .filter(|r| named(r))
            .map(|r| format!("{}.{} → {}", r.child, r.child_column, r.parent))
            .filter(|r| !inferred.contains(r))
            .map(|r| format!("expected, not inferred: {r}")),
    );
    wrong
}

/// Trashed rows per soft-delete table: the console's count against the test's own.
pub async fn trashed_counts(db: &Db, catalog: &Catalog, schema: &Schema, expect: &Expect) {
    let mut conn = db.conn().await;
    for (table, e) in expect.soft_deletes() {
        let (Some(info), Some(t)) = (catalog.table(&name(db, table)), schema.table(table)) else {
            continue;
        };
        let want = db
            .count(&format!(
                "SELECT 1 FROM {} AS t WHERE NOT {}",
                ident(table),
                live_sql(db, t, e, "t")
            ))
            .await;
        let got = trash::table_stats(&mut conn, info, 30).await.unwrap();
        assert_eq!(
            got.trashed,
            want,
            "{}: trashed rows of {table}",
            db.backend()
        );
    }
}

/// `child.c = parent.p AND …` for a link.
fn join(link: &Link, child: &str, parent: &str) -> String {
    link.child_columns
        .iter()
        .zip(&link.parent_columns)
        .map(|(c, p)| format!("{child}.{} = {parent}.{}", ident(c), ident(p)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Children along `link` whose key values point at no parent row.
async fn hard_orphans(db: &Db, link: &Link) -> i64 {
    let set: Vec<String> = link
        .child_columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", ident(c)))
        .collect();
    db.count(&format!(
        "SELECT 1 FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
        ident(&link.child),
        set.join(" AND "),
        ident(&link.parent),
        join(link, "c", "p")
    ))
    .await
}

/// Hard and soft orphans along every link: the console's scan against the test's SQL.
pub async fn orphans(db: &Db, catalog: &Catalog, schema: &Schema, expect: &Expect) {
    let mut conn = db.conn().await;
    let scanned = orphans::scan(
        &mut conn,
        catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let mut checked = 0;
    for link in &schema.links {
        let path = format!(
            "{}.{} → {}.{}",
            link.child,
            link.child_columns.join(","),
            link.parent,
            link.parent_columns.join(",")
        );
        // SQLite keys may name a column in another case (`"ID"` for `id`).
        let Some(found) = scanned.iter().find(|r| r.path.eq_ignore_ascii_case(&path)) else {
            panic!("{}: {path} was not scanned", db.backend());
        };
        let counts = found
            .counts
            .as_ref()
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            counts.hard as i64,
            hard_orphans(db, link).await,
            "{}: hard orphans {path}",
            db.backend()
        );
        if let (Some(pe), Some(ce), Some(parent), Some(child)) = (
            expect.marker(&link.parent),
            expect.tables.get(&link.child),
            schema.table(&link.parent),
            schema.table(&link.child),
        ) {
            let child_live = match expect.marker(&link.child) {
                Some(_) => live_sql(db, child, ce, "c"),
                None => "1 = 1".into(),
            };
            let soft = db
                .count(&format!(
                    "SELECT 1 FROM {} AS c JOIN {} AS p ON {} WHERE {child_live} AND NOT {}",
                    ident(&link.child),
                    ident(&link.parent),
                    join(link, "c", "p"),
                    live_sql(db, parent, pe, "p")
                ))
                .await;
            assert_eq!(
                counts.soft.map(|s| s as i64),
                Some(soft),
                "{}: soft orphans {path}",
                db.backend()
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no link checked");
}

/// Every row of every table as `table:key` with its state: `L` live, `O` trashed before
/// the cutoff, `Y` trashed since, `N` a table that does not soft-delete.
async fn states(
    db: &Db,
    schema: &Schema,
    expect: &Expect,
    cutoff_days: i64,
) -> BTreeMap<String, char> {
    let mut all = BTreeMap::new();
    for table in schema.tables.iter().filter(|t| !t.key.is_empty()) {
        let key: Vec<String> = table
            .key
            .iter()
            .map(|k| format!("CAST(t.{} AS TEXT)", ident(k)))
            .collect();
        let state = match expect.marker(&table.name) {
            Some(e) => format!(
                "CASE WHEN {} THEN 'L' WHEN {} THEN 'O' ELSE 'Y' END",
                live_sql(db, table, e, "t"),
                older_than(db, table, e, cutoff_days)
            ),
            None => "'N'".into(),
        };
        let sql = format!(
            "SELECT {} || '|' || {state} FROM {} AS t",
            key.join(" || ',' || "),
            ident(&table.name)
        );
        for line in db.strings(&sql).await {
            let (k, s) = line.rsplit_once('|').expect("a state");
            all.insert(
                format!("{}:{k}", table.name),
                s.chars().next().unwrap_or('?'),
            );
        }
    }
    all
}

/// Trashed before `days` ago, by the expectation's time column; a table without one is
/// never old (its rows' age is unknown).
fn older_than(db: &Db, table: &Table, e: &super::schema::TableExpect, days: i64) -> String {
    let seconds = days * 86_400;
    let time = e.time_column.as_deref().or(e
        .column
        .as_deref()
        .filter(|_| e.convention.as_deref() != Some("flag")));
    let Some(time) = time else {
        return "1 = 0".into();
    };
    let column = format!("t.{}", ident(time));
    let is_integer = table
        .column(time)
        .is_some_and(|c| c.base.contains("int") || c.base.contains("INT"));
    match (e.convention.as_deref(), db.pg, is_integer) {
        (Some("epoch_millis"), true, _) => {
            format!("{column} < (extract(epoch FROM now()) - {seconds}) * 1000")
        }
        (Some("epoch_millis"), false, _) => {
            format!("{column} < (unixepoch('now') - {seconds}) * 1000")
        }
        (Some("epoch_seconds"), true, _) => {
            format!("{column} < extract(epoch FROM now()) - {seconds}")
        }
        (Some("epoch_seconds"), false, _) => format!("{column} < unixepoch('now') - {seconds}"),
        (_, true, _) => format!("{column} < now() - interval '{days} days'"),
        (_, false, _) => format!("unixepoch({column}) < unixepoch('now') - {seconds}"),
    }
}

/// A group trashed together comes back whole: the first group the console can restore
/// without a blocker brings back exactly its rows, no more and no fewer.
pub async fn group_restore(
    db: &Db,
    catalog: &Catalog,
    schema: &Schema,
    expect: &Expect,
    generated: &Generated,
) {
    let mut conn = db.conn().await;
    let mut tried = 0;
    let spanning: Vec<_> = generated
        .groups
        .iter()
        .filter(|g| {
            g.members
                .iter()
                .map(|(t, _)| t)
                .collect::<BTreeSet<_>>()
                .len()
                >= 2
        })
        .collect();
    // Flags without times (Lobsters) cannot tie two tables' deletions together.
    if spanning.is_empty() {
        return;
    }
    for group in spanning {
        let (table, key) = &group.root;
        let Some(info) = catalog.table(&name(db, table)) else {
            continue;
        };
        let key: Vec<String> = key.split(',').map(str::to_owned).collect();
        // Dense schemas give most rows a second parent trashed on its own: those come
        // back too (`a`), and nothing else.
        let options = ChangeOptions {
            with_ancestors: true,
            ..ChangeOptions::default()
        };
        let preview = change::plan_restore(&mut conn, catalog, &info.name, &[key], &options)
            .await
            .unwrap();
        let mut expected = group.members.clone();
        expected.extend(trashed_ancestors(db, schema, expect, &group.members).await);
        tried += 1;
        if !preview.can_apply() {
            if std::env::var_os("CORPUS_DEBUG").is_some() {
                eprintln!(
                    "DEBUG blocked {:?}: {:?}",
                    group.root,
                    preview
                        .blockers
                        .iter()
                        .map(|b| b.describe())
                        .collect::<Vec<_>>()
                );
            }
            continue;
        }
        let planned: BTreeSet<(String, String)> = preview
            .change
            .tables
            .iter()
            .flat_map(|t| {
                t.rows
                    .iter()
                    .map(move |r| (t.table.name.clone(), r.key.join(",")))
            })
            .collect();
        assert_eq!(
            planned,
            expected,
            "{}: the group of {table} and its trashed ancestors, as previewed",
            db.backend()
        );
        let before = states(db, schema, expect, 30).await;
        change::apply(
            &mut conn,
            catalog,
            &preview.change,
            &actor(),
            Some("corpus"),
        )
        .await
        .unwrap();
        let after = states(db, schema, expect, 30).await;
        let changed: BTreeSet<(String, String)> = before
            .iter()
            .filter(|(k, s)| after.get(*k) != Some(s))
            .map(|(k, _)| {
                let (t, key) = k.split_once(':').expect("table:key");
                (t.to_owned(), key.to_owned())
            })
            .collect();
        assert_eq!(
            changed,
            expected,
            "{}: rows the restore changed",
            db.backend()
        );
        assert!(
            expected
                .iter()
                .all(|(t, k)| after.get(&format!("{t}:{k}")) == Some(&'L')),
            "{}: every row of the group is live again",
            db.backend()
        );
        return;
    }
    panic!(
        "{}: none of {tried} groups over two or more tables could be restored",
        db.backend()
    );
}

/// The trashed rows above `rows` along every link, up to the first live one, found
/// with the test's own SQL.
async fn trashed_ancestors(
    db: &Db,
    schema: &Schema,
    expect: &Expect,
    rows: &BTreeSet<(String, String)>,
) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut frontier: Vec<(String, String)> = rows.iter().cloned().collect();
    while let Some((table, key)) = frontier.pop() {
        let Some(child) = schema.table(&table) else {
            continue;
        };
        for link in schema.links.iter().filter(|l| l.child == table) {
            let (Some(parent), Some(pe)) =
                (schema.table(&link.parent), expect.marker(&link.parent))
            else {
                continue;
            };
            if parent.key.is_empty() {
                continue;
            }
            let key_text: Vec<String> = parent
                .key
                .iter()
                .map(|k| format!("CAST(p.{} AS TEXT)", ident(k)))
                .collect();
            let at: Vec<String> = child
                .key
                .iter()
                .zip(key.split(','))
                .map(|(k, v)| {
                    let column = child.column(k).expect("key column");
                    format!(
                        "c.{} = {}",
                        ident(k),
                        super::generate::value_for(db, column, v)
                    )
                })
                .collect();
            let parents = db
                .strings(&format!(
                    "SELECT {} FROM {} AS c JOIN {} AS p ON {} WHERE {} AND NOT {}",
                    key_text.join(" || ',' || "),
                    ident(&table),
                    ident(&link.parent),
                    join(link, "c", "p"),
                    at.join(" AND "),
                    live_sql(db, parent, pe, "p")
                ))
                .await;
            for p in parents {
                let row = (link.parent.clone(), p);
                if !rows.contains(&row) && found.insert(row.clone()) {
                    frontier.push(row);
                }
            }
        }
    }
    found
}

/// A purge of all trash older than 30 days deletes no live row, no row trashed since the
/// cutoff, and leaves no new orphan along any declared or implied link.
pub async fn purge(db: &Db, catalog: &Catalog, schema: &Schema, expect: &Expect) {
    let before = states(db, schema, expect, 30).await;
    let mut orphans_before = Vec::new();
    for link in &schema.links {
        orphans_before.push(hard_orphans(db, link).await);
    }
    // Tables whose flags record no time are purged whatever their age, as the operator
    // would choose with --ignore-age: the one way their trash ever goes.
    let ageless: Vec<String> = expect
        .soft_deletes()
        .filter(|(_, e)| e.convention.as_deref() == Some("flag") && e.time_column.is_none())
        .map(|(t, _)| t.clone())
        .collect();
    let options = PurgeOptions {
        older_than: Some(days(30)),
        batch_size: 50,
        ignore_age: ageless.iter().map(|t| name(db, t)).collect(),
        ..PurgeOptions::default()
    };
    let plan = db
        .plan(catalog, &Scope::All, &options, None, true)
        .await
        .unwrap();
    if std::env::var_os("CORPUS_DEBUG").is_some() {
        eprintln!(
            "DEBUG plan {:?}",
            plan.tables
                .iter()
                .map(|t| (&t.name, t.rows, t.roots))
                .collect::<Vec<_>>()
        );
        for s in &plan.skipped {
            eprintln!(
                "DEBUG skipped {} {} {:?} {:?}",
                s.table, s.rows, s.sample, s.because
            );
        }
    }
    assert!(
        plan.total() > 0,
        "{}: nothing to purge: {plan:?}",
        db.backend()
    );
    let outcome = db
        .run(
            catalog,
            plan.job_id.unwrap(),
            &small_batches(50, Default::default()),
            &mut |_| {},
        )
        .await
        .unwrap();
    assert!(matches!(outcome, RunOutcome::Done { .. }), "{outcome:?}");
    let after = states(db, schema, expect, 30).await;
    let gone: Vec<(&String, &char)> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .collect();
    assert!(
        !gone.is_empty(),
        "{}: the purge deleted nothing",
        db.backend()
    );
    for (row, state) in &gone {
        match state {
            'O' => {}
            'Y' if ageless.iter().any(|t| row.starts_with(&format!("{t}:"))) => {}
            // A table that does not soft-delete loses rows only by ON DELETE CASCADE.
            'N' => {
                let table = row.split_once(':').map(|(t, _)| t).unwrap_or_default();
                assert!(
                    schema.links.iter().any(|l| l.child == table && l.cascade),
                    "{}: {row} of a table without soft deletes was deleted",
                    db.backend()
                );
            }
            _ => panic!(
                "{}: {row} ({state}) was deleted: only trash older than the cutoff may go",
                db.backend()
            ),
        }
    }
    for (link, was) in schema.links.iter().zip(orphans_before) {
        let now = hard_orphans(db, link).await;
        assert!(
            now <= was,
            "{}: {} → {}: {was} hard orphans before the purge, {now} after",
            db.backend(),
            link.child,
            link.parent
        );
    }
}

/// When a trashed row was trashed, in epoch seconds, by the expectation's time column
/// (the test's own SQL); NULL for live rows and tables without times.
fn epoch_sql(db: &Db, table: &Table, e: &super::schema::TableExpect, alias: &str) -> String {
    let time = e.time_column.as_deref().or(e
        .column
        .as_deref()
        .filter(|_| e.convention.as_deref() != Some("flag")));
    let Some(time) = time else {
        return "NULL".into();
    };
    let column = format!("{alias}.{}", ident(time));
    let is_integer = table
        .column(time)
        .is_some_and(|c| c.base.contains("int") || c.base.contains("INT"));
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
        let got: BTreeMap<String, (u64, u64, u64)> = found
            .tables
            .iter()
            .map(|t| (t.table.name.clone(), (t.live, t.trashed, t.same_group)))
            .collect();
        assert_eq!(
            got,
            reference(&graph, &root, 120.0),
            "{}: related counts below {root}",
            db.backend()
        );
    }
}
