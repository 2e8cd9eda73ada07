//! Reconciling hard orphans through the purge engine, on both backends: the plan takes
//! the child's orphans along one relation (live or trashed) with the trashed rows under
//! them, skips an orphan a live row still hangs off, leaves every other row alone, and
//! afterwards the relation holds no orphans. A parent that reappears before the batch
//! keeps its child. The same through `trashcan purge --orphans`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::time::Duration;

use common::PgDb;
use purge_db::*;
use tokio_util::sync::CancellationToken;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::orphans::{self, ScanOptions};
use trashcan::engine::purge::{OrphanRelation, RunOutcome, Scope};

/// No declared keys: the config names the relations.
const LIBRARY: &str = "
CREATE TABLE authors (id BIGINT PRIMARY KEY, name TEXT, deleted_at {ts});
CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT, deleted_at {ts});
CREATE TABLE reviews (id BIGINT PRIMARY KEY, book_id BIGINT, deleted_at {ts});
";

const RELATIONS: &str = "
[[relations]]
child = \"books\"
child_columns = [\"author_id\"]
parent = \"authors\"
parent_columns = [\"id\"]

[[relations]]
child = \"reviews\"
child_columns = [\"book_id\"]
parent = \"books\"
parent_columns = [\"id\"]
";

/// Authors 1 (live) and 2 (trashed). Books 10–12 are theirs; 20 (live), 21 (trashed,
/// with trashed reviews 210 and 211) and 22 (live, with a live review 220) point at
/// authors 8 and 9, who do not exist; 23 has no author (NULL: no relation).
const DATA: &str = "
INSERT INTO authors VALUES (1, 'live', NULL), (2, 'trashed', '2020-01-01 00:00:00');
INSERT INTO books VALUES (10, 1, NULL), (11, 2, '2020-01-01 00:00:00'), (12, 1, NULL),
    (20, 8, NULL), (21, 9, '2020-01-01 00:00:00'), (22, 9, NULL), (23, NULL, NULL);
INSERT INTO reviews VALUES (100, 10, NULL), (110, 11, '2020-01-01 00:00:00'),
    (210, 21, '2020-01-02 00:00:00'), (211, 21, {recent}), (220, 22, NULL);
";

fn books_scope(catalog: &Catalog) -> Scope {
    let relation = catalog
        .relations
        .iter()
        .find(|r| r.child.name == "books")
        .unwrap();
    Scope::Orphans {
        child: relation.child.clone(),
        relation: OrphanRelation::of(relation),
    }
}

async fn hard_orphans_of_books(db: &Db, catalog: &Catalog) -> u64 {
    let mut c = db.conn().await;
    let found = orphans::scan(
        &mut c,
        catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let books = found.iter().find(|r| r.child.name == "books").unwrap();
    books.counts.as_ref().unwrap().hard
}

async fn purge_the_orphans(db: &Db) {
    db.exec(LIBRARY).await;
    db.exec(DATA).await;
    let catalog = db.catalog(&config(RELATIONS)).await;
    assert_eq!(hard_orphans_of_books(db, &catalog).await, 3);
    let everything_else = [
        "authors:1",
        "authors:2",
        "books:10",
        "books:11",
        "books:12",
        "books:22",
        "books:23",
        "reviews:100",
        "reviews:110",
        "reviews:220",
    ];

    let plan = db
        .plan(
            &catalog,
            &books_scope(&catalog),
            &options(100, Duration::ZERO),
            Some("reconcile"),
            true,
        )
        .await
        .unwrap();
    // Books 20 and 21 with 21's trashed reviews (the recent one too: no cutoff applies
    // to what hangs off an orphan); 22 is skipped, a live review hangs off it.
    assert_eq!(
        planned_rows(&plan),
        vec![("reviews".into(), 2), ("books".into(), 2)]
    );
    assert_eq!(plan.skipped.len(), 1, "{:?}", plan.skipped);
    assert!(
        plan.scope.starts_with("orphans of books.author_id"),
        "{}",
        plan.scope
    );
    let outcome = db
        .run(
            &catalog,
            plan.job_id.unwrap(),
            &small_batches(100, Duration::ZERO),
            &mut |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 4,
            kept: 0
        }
    );
    let left = all_keys(
        db,
        &[
            ("authors", &["id"]),
            ("books", &["id"]),
            ("reviews", &["id"]),
        ],
    )
    .await;
    assert_eq!(left, set(&everything_else), "only the planned rows went");
    assert_eq!(
        hard_orphans_of_books(db, &catalog).await,
        1,
        "only the skipped one (a live review hangs off it) is left"
    );

    // With the live review gone too, reconciling leaves no orphan at all.
    db.exec("DELETE FROM reviews WHERE id = 220").await;
    let plan = db
        .plan(
            &catalog,
            &books_scope(&catalog),
            &options(100, Duration::ZERO),
            None,
            true,
        )
        .await
        .unwrap();
    db.run(
        &catalog,
        plan.job_id.unwrap(),
        &small_batches(100, Duration::ZERO),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(hard_orphans_of_books(db, &catalog).await, 0);
    assert_eq!(
        db.keys("books", &["id"]).await,
        set(&["10", "11", "12", "23"])
    );
}

on_both!(
    purge_the_orphans,
    purge_orphans_sqlite,
    purge_orphans_postgres
);

/// Between the plan and the batch, the missing author is written: book 20 is no orphan
/// any more and stays.
async fn a_parent_that_reappears_keeps_its_child(db: &Db) {
    db.exec(LIBRARY).await;
    db.exec(DATA).await;
    let catalog = db.catalog(&config(RELATIONS)).await;
    let plan = db
        .plan(
            &catalog,
            &books_scope(&catalog),
            &options(100, Duration::ZERO),
            None,
            true,
        )
        .await
        .unwrap();
    db.exec("INSERT INTO authors VALUES (8, 'back', NULL)")
        .await;
    let outcome = db
        .run(
            &catalog,
            plan.job_id.unwrap(),
            &small_batches(100, Duration::ZERO),
            &mut |_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 3,
            kept: 1
        }
    );
    let books = db.keys("books", &["id"]).await;
    assert!(books.contains("20"), "{books:?}");
    assert!(!books.contains("21"), "{books:?}");
}

on_both!(
    a_parent_that_reappears_keeps_its_child,
    parent_reappears_sqlite,
    parent_reappears_postgres
);

/// `trashcan purge --orphans books.author_id`, then `trashcan orphans` agrees.
async fn headless(db: &Db) {
    db.exec(LIBRARY).await;
    db.exec(DATA).await;
    db.exec("DELETE FROM reviews WHERE id = 220").await;
    let file = db.config_file(RELATIONS);
    let out = db.bin(Some(&file), &["purge", "--orphans", "books.nope", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no relation `books.nope`"),
        "{}",
        describe(&out)
    );
    let out = db.bin(
        Some(&file),
        &[
            "purge",
            "--orphans",
            "books.author_id",
            "--yes",
            "--json",
            "--dry-run",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        db.count("SELECT 1 FROM books").await,
        7,
        "a dry run writes nothing"
    );
    let out = db.bin(
        Some(&file),
        &[
            "purge",
            "--orphans",
            "books.author_id",
            "--yes",
            "--reason",
            "reconcile",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let out = db.bin(Some(&file), &["orphans", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let books = report["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["child"].as_str().unwrap().ends_with("books"))
        .unwrap();
    assert_eq!(books["hard"], 0, "{report}");
}

on_both!(headless, headless_sqlite, headless_postgres);
