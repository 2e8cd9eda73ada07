//! Changes on a corpus schema, checked with the test's own SQL: a group restore brings
//! back exactly its rows (and their trashed ancestors), and a purge of old trash deletes
//! nothing live, nothing younger than its cutoff, and orphans nothing.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use trashcan::db::{DbPool, SessionSettings};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ChangeOptions};
use trashcan::engine::purge::{self, PurgeOptions, PurgePlan, RunOutcome, Scope};

use super::checks::{hard_orphans, join, name};
use super::generate::{Generated, ident};
use super::schema::{Expect, Schema, Table};
use super::trash::live_sql;
use crate::purge_db::{Db, actor, days, small_batches};

/// Every row of every table as `table:key` with its state: `L` live, `O` trashed before
/// the cutoff, `Y` trashed since, `N` a table that does not soft-delete.
pub(super) async fn states(
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
    let time = e.time();
    let Some(time) = time else {
        return "1 = 0".into();
    };
    let column = format!("t.{}", ident(time));
    let is_integer = table.is_integer(time);
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
    assert_eq!(
        counts(&plan_by_reading(db, catalog, &options).await),
        counts(&plan),
        "{}: a dry run on a read-only session plans otherwise than the server",
        db.backend()
    );
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

/// What `purge --dry-run` plans on a read-only session, where the set is worked out by
/// reading only.
async fn plan_by_reading(db: &Db, catalog: &Catalog, options: &PurgeOptions) -> PurgePlan {
    let settings = SessionSettings {
        read_only: true,
        ..SessionSettings::default()
    };
    let pool = DbPool::connect(&db.target, &settings).await.unwrap();
    let mut conn = pool.get().await.unwrap();
    purge::plan(
        &mut conn,
        catalog,
        &Scope::All,
        options,
        &actor(),
        None,
        false,
    )
    .await
    .unwrap()
}

/// A plan's rows, roots and live rows per table, and its skipped roots per table.
fn counts(plan: &PurgePlan) -> Vec<String> {
    let tables = plan
        .tables
        .iter()
        .map(|t| format!("{} {} {} {}", t.name, t.rows, t.roots, t.live));
    let skipped = plan
        .skipped
        .iter()
        .map(|s| format!("skipped {} {}", s.table.name, s.rows));
    tables.chain(skipped).collect()
}
