//! What the console must get right on a corpus schema, each checked against SQL the test
//! writes from the hand-written expectations, never against the engine itself.
#![allow(dead_code)]

use std::collections::BTreeSet;

use tokio_util::sync::CancellationToken;
use trashcan::engine::catalog::{Catalog, Convention, Verdict};
use trashcan::engine::orphans::{self, ScanOptions};
use trashcan::engine::sql::TableName;
use trashcan::engine::trash;

use super::generate::ident;
use super::schema::{Expect, Link, Schema};
use super::trash::live_sql;
use crate::purge_db::Db;

pub(super) fn name(db: &Db, table: &str) -> TableName {
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
pub(super) fn join(link: &Link, child: &str, parent: &str) -> String {
    link.child_columns
        .iter()
        .zip(&link.parent_columns)
        .map(|(c, p)| format!("{child}.{} = {parent}.{}", ident(c), ident(p)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Children along `link` whose key values point at no parent row.
pub(super) async fn hard_orphans(db: &Db, link: &Link) -> i64 {
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
