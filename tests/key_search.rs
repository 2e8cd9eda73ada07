//! `/` finds a row by its key, whatever the key's type: an integer, a uuid, text, two
//! columns written `a,b`; a word that cannot be such a key just matches nothing by key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::filter::Filter;
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{self, Anchor, PageQuery};

const UUID: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

async fn found(db: &Db, table: &str, text: &str) -> Vec<String> {
    let catalog = db.catalog(&config("")).await;
    let info = catalog
        .table(&TableName::new(db.pg.then_some("public"), table))
        .unwrap();
    let mut conn = db.conn().await;
    let page = trash::page(
        &mut conn,
        info,
        &PageQuery {
            anchor: Anchor::First,
            filter: Filter::parse(text).unwrap(),
            newest_first: true,
            limit: 100,
            live: false,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let mut keys: Vec<String> = page.rows.iter().map(|r| r.key.join(",")).collect();
    keys.sort();
    keys
}

async fn finds_rows_by_key(db: &Db) {
    let uuid_type = if db.pg { "uuid" } else { "TEXT" };
    db.exec(&format!(
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {{ts}});
         CREATE TABLE files (id {uuid_type} PRIMARY KEY, name TEXT, deleted_at {{ts}});
         CREATE TABLE lines (order_id BIGINT, line_no INTEGER, sku TEXT, deleted_at {{ts}},
             PRIMARY KEY (order_id, line_no));
         INSERT INTO notes VALUES (7, 'seven', {{recent}}), (17, 'seventeen', {{recent}}),
             (8, 'has 7 in it', {{recent}}), (9, 'live', NULL);
         INSERT INTO files VALUES ('{UUID}', 'report.pdf', {{recent}}),
             ('00000000-0000-4000-8000-000000000001', 'other', {{recent}}),
             ('00000000-0000-4000-8000-000000000002', 'live', NULL);
         INSERT INTO lines VALUES (7, 1, 'a', {{recent}}), (7, 2, 'b', {{recent}}),
             (8, 1, 'c', {{recent}}), (9, 9, 'd', NULL);"
    ))
    .await;
    // The key, or a shown column containing the text.
    assert_eq!(found(db, "notes", "7").await, ["7", "8"]);
    assert_eq!(found(db, "notes", "17").await, ["17"]);
    assert!(found(db, "notes", "nothing-like-it").await.is_empty());
    assert_eq!(found(db, "files", UUID).await, [UUID]);
    assert!(
        found(db, "files", "6f1c2a3b-4d5e").await.is_empty(),
        "a key is matched whole"
    );
    assert_eq!(found(db, "lines", "7,2").await, ["7,2"]);
    assert!(found(db, "lines", "7,2,3").await.is_empty());
}
on_both!(finds_rows_by_key, key_search_sqlite, key_search_postgres);
