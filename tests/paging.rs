//! Keyset paging against real databases: every trashed row is seen exactly once across
//! pages, in order, even when hundreds share one `deleted_at`; walking back from the end
//! yields the same rows; filters bind operator text safely.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use common::{PgDb, SqliteDb, conn};
use trashcan::config::Config;
use trashcan::db::{DbConn, DbPool};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::filter::Filter;
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{self, Anchor, PageQuery, TrashRow};

const TRASHED: usize = 1000;

/// 1,000 trashed rows over only 7 distinct deletion times, 200 live rows, a composite
/// key (so ties are broken by two columns), and an odd table name.
fn pg_fixture() -> String {
    r#"
CREATE TABLE "Tie ""Table""" (grp int, id int, label text, deleted_by text, deleted_at timestamptz,
    PRIMARY KEY (grp, id));
INSERT INTO "Tie ""Table"""
SELECT i % 3, i, 'row ' || i || CASE WHEN i % 50 = 0 THEN ' 100%_off\' ELSE '' END,
       CASE WHEN i % 2 = 0 THEN 'alice' ELSE 'bob' END,
       CASE WHEN i <= 1000 THEN now() - make_interval(days => (i % 7) * 10) END
FROM generate_series(1, 1200) AS i;
"#
    .into()
}

fn sqlite_fixture() -> String {
    r#"
CREATE TABLE "Tie ""Table""" (grp INTEGER, id INTEGER, label TEXT, deleted_by TEXT, deleted_at TIMESTAMP,
    PRIMARY KEY (grp, id));
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1200)
INSERT INTO "Tie ""Table"""
SELECT i % 3, i, 'row ' || i || CASE WHEN i % 50 = 0 THEN ' 100%_off\' ELSE '' END,
       CASE WHEN i % 2 = 0 THEN 'alice' ELSE 'bob' END,
       CASE WHEN i <= 1000 THEN datetime('now', '-' || ((i % 7) * 10) || ' days') END
FROM s;
"#
    .into()
}

async fn walk(
    conn: &mut DbConn,
    catalog: &Catalog,
    name: &TableName,
    filter: Filter,
    forward: bool,
    newest_first: bool,
) -> Vec<TrashRow> {
    let table = catalog.table(name).unwrap();
    let mut seen = Vec::new();
    let mut anchor = if forward { Anchor::First } else { Anchor::Last };
    let mut pages = 0;
    loop {
        let query = PageQuery {
            live: false,
            anchor: anchor.clone(),
            filter: filter.clone(),
            newest_first,
            limit: 37,
        };
        let page = trash::page(conn, table, &query).await.unwrap();
        if std::env::var_os("DEBUG_PAGES").is_some() {
            eprintln!(
                "{:?} -> first {:?} last {:?} n={} before={} after={}",
                query.anchor,
                page.rows.first().map(|r| &r.cursor),
                page.rows.last().map(|r| &r.cursor),
                page.rows.len(),
                page.more_before,
                page.more_after
            );
        }
        assert!(page.rows.len() <= 37);
        pages += 1;
        assert!(pages < 200, "paging does not terminate");
        if forward {
            let more = page.more_after;
            let last = page.rows.last().map(|r| r.cursor.clone());
            seen.extend(page.rows);
            match (more, last) {
                (true, Some(c)) => anchor = Anchor::After(c),
                _ => break,
            }
        } else {
            let more = page.more_before;
            let first = page.rows.first().map(|r| r.cursor.clone());
            let mut rows = page.rows;
            rows.extend(seen);
            seen = rows;
            match (more, first) {
                (true, Some(c)) => anchor = Anchor::Before(c),
                _ => break,
            }
        }
    }
    seen
}

fn assert_exactly_once_in_order(rows: &[TrashRow], expected: usize, newest_first: bool) {
    let keys: Vec<Vec<String>> = rows.iter().map(|r| r.key.clone()).collect();
    let unique: HashSet<_> = keys.iter().cloned().collect();
    assert_eq!(unique.len(), keys.len(), "a row was repeated across pages");
    assert_eq!(keys.len(), expected, "rows were skipped");
    for pair in rows.windows(2) {
        let (a, b) = (
            pair[0].deleted_epoch.unwrap(),
            pair[1].deleted_epoch.unwrap(),
        );
        if newest_first {
            assert!(a >= b - 1e-6, "not newest first: {a} then {b}");
        } else {
            assert!(a <= b + 1e-6, "not oldest first: {a} then {b}");
        }
    }
}

async fn check_backend(pool: &DbPool, name: TableName) {
    let mut c = conn(pool).await;
    let catalog = Catalog::load(&mut c, &Config::default()).await.unwrap();
    for newest_first in [true, false] {
        let forward = walk(
            &mut c,
            &catalog,
            &name,
            Filter::default(),
            true,
            newest_first,
        )
        .await;
        assert_exactly_once_in_order(&forward, TRASHED, newest_first);
        let backward = walk(
            &mut c,
            &catalog,
            &name,
            Filter::default(),
            false,
            newest_first,
        )
        .await;
        let f: Vec<_> = forward.iter().map(|r| r.key.clone()).collect();
        let b: Vec<_> = backward.iter().map(|r| r.key.clone()).collect();
        assert_eq!(f, b, "walking back from the end gives the same order");
    }

    // Every row matching a filter, newest first.
    let filtered = async |c: &mut DbConn, text: &str| {
        walk(c, &catalog, &name, Filter::parse(text).unwrap(), true, true).await
    };

    // Text filter: words match display columns and deleted_by, wildcards literally.
    let alice = filtered(&mut c, "alice").await;
    assert_eq!(alice.len(), 500);
    assert!(
        alice
            .iter()
            .all(|r| r.deleted_by.as_deref() == Some("alice"))
    );
    let literal = filtered(&mut c, r"100%_off\").await;
    assert_eq!(literal.len(), 20, "% and _ and \\ match literally");
    let none = filtered(&mut c, "x' OR '1'='1").await;
    assert!(none.is_empty(), "SQL in filter text is only ever a value");

    // Age filter: rows are 0, 10, …, 60 days old; >25d keeps the 30–60 day buckets.
    let old = filtered(&mut c, ">25d").await;
    let expected_old = (1..=TRASHED).filter(|i| (i % 7) * 10 > 25).count();
    assert_eq!(old.len(), expected_old);
    assert!(old.iter().all(|r| r.age_seconds.unwrap() > 25.0 * 86400.0));
    let young = filtered(&mut c, "<5d alice").await;
    let expected_young = (1..=TRASHED).filter(|i| i % 7 == 0 && i % 2 == 0).count();
    assert_eq!(young.len(), expected_young);

    // Detail of one row by its composite key.
    let table = catalog.table(&name).unwrap();
    let first_key = walk(&mut c, &catalog, &name, Filter::default(), true, true).await[0]
        .key
        .clone();
    let detail = trash::row_detail(&mut c, table, &first_key)
        .await
        .unwrap()
        .unwrap();
    assert!(detail.trashed);
    assert_eq!(detail.columns.len(), 5);
    let stats = trash::table_stats(&mut c, table, 30).await.unwrap();
    assert_eq!(stats.trashed, TRASHED as i64);
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_pages_see_every_trashed_row_once() {
    let Some(db) = PgDb::create("paging").await else {
        return;
    };
    db.exec(&pg_fixture()).await;
    db.exec("ANALYZE").await;
    let pool = db.pool().await;
    check_backend(&pool, TableName::new(Some("public"), "Tie \"Table\"")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_pages_see_every_trashed_row_once() {
    let db = SqliteDb::create();
    db.exec(&sqlite_fixture()).await;
    let pool = db.pool().await;
    check_backend(&pool, TableName::new(None, "Tie \"Table\"")).await;
}
