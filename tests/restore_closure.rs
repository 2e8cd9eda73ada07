//! A restore or move to trash walks the relation graph table by table to a fixpoint,
//! not path by path: on a graph where one row reaches a thousand paths (the old walk
//! stopped at 64 and restored part of a group), the whole group comes back, a collision
//! anywhere in it refuses all of it, and a chain deeper than the walk's limit refuses
//! instead of changing part of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::change::{self, Blocker, ChangeOptions};
use trashcan::engine::sql::TableName;

const WIDTH: usize = 6;

/// `accounts` ← `a1..a6` ← `b1..b6` (each b under every a) ← `leaves` (under every b):
/// 6 + 36 + 216 paths from an account, 258 in all; every row trashed with its account.
fn schema() -> String {
    let mut sql = String::from(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, name TEXT, deleted_at {ts});\n",
    );
    for i in 1..=WIDTH {
        sql += &format!(
            "CREATE TABLE a{i} (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL \
             REFERENCES accounts (id), deleted_at {{ts}});\n"
        );
    }
    for j in 1..=WIDTH {
        let refs: Vec<String> = (1..=WIDTH)
            .map(|i| format!("a{i}_id BIGINT NOT NULL REFERENCES a{i} (id)"))
            .collect();
        sql += &format!(
            "CREATE TABLE b{j} (id BIGINT PRIMARY KEY, {}, code TEXT, deleted_at {{ts}});\n\
             CREATE UNIQUE INDEX b{j}_code ON b{j} (code) WHERE deleted_at IS NULL;\n",
            refs.join(", ")
        );
    }
    let refs: Vec<String> = (1..=WIDTH)
        .map(|j| format!("b{j}_id BIGINT NOT NULL REFERENCES b{j} (id)"))
        .collect();
    sql += &format!(
        "CREATE TABLE leaves (id BIGINT PRIMARY KEY, {}, deleted_at {{ts}});\n",
        refs.join(", ")
    );
    sql
}

/// Account 1 and everything under it trashed together a day ago; account 2 live.
fn data() -> String {
    let mut sql =
        String::from("INSERT INTO accounts VALUES (1, 'one', {recent}), (2, 'two', NULL);\n");
    for i in 1..=WIDTH {
        sql += &format!("INSERT INTO a{i} VALUES (1, 1, {{recent}}), (2, 2, NULL);\n");
    }
    for j in 1..=WIDTH {
        let ones = ["1"; WIDTH].join(", ");
        let twos = ["2"; WIDTH].join(", ");
        sql += &format!(
            "INSERT INTO b{j} VALUES (1, {ones}, 'c{j}', {{recent}}), (2, {twos}, 'd{j}', NULL);\n"
        );
    }
    let ones = ["1"; WIDTH].join(", ");
    sql += &format!("INSERT INTO leaves VALUES (1, {ones}, {{recent}});\n");
    sql
}

fn tables() -> Vec<String> {
    let mut all = vec!["accounts".to_string()];
    all.extend((1..=WIDTH).map(|i| format!("a{i}")));
    all.extend((1..=WIDTH).map(|j| format!("b{j}")));
    all.push("leaves".into());
    all
}

async fn trashed(db: &Db) -> i64 {
    let mut n = 0;
    for t in tables() {
        n += db
            .count(&format!("SELECT 1 FROM {t} WHERE deleted_at IS NOT NULL"))
            .await;
    }
    n
}

async fn a_wide_group_comes_back_whole(db: &Db) {
    db.exec(&schema()).await;
    db.exec(&data()).await;
    let catalog = db.catalog(&config("")).await;
    let accounts = TableName::new(db.pg.then_some("public"), "accounts");
    let one = vec![vec!["1".to_string()]];
    assert_eq!(trashed(db).await, 1 + 2 * WIDTH as i64 + 1);

    let mut conn = db.conn().await;
    let options = ChangeOptions::default();
    let preview = change::plan_restore(&mut conn, &catalog, &accounts, &one, &options)
        .await
        .unwrap();
    assert_eq!(preview.change.rows(), 14, "{:?}", preview.change.counts());
    assert!(preview.blockers.is_empty(), "{:?}", preview.blockers);

    // A live row has taken the code a trashed row of the group holds, two levels and 42
    // paths down: the restore refuses as a whole, naming the collision.
    db.exec("INSERT INTO b4 VALUES (3, 2, 2, 2, 2, 2, 2, 'c4', NULL);")
        .await;
    let refused = change::plan_restore(&mut conn, &catalog, &accounts, &one, &options)
        .await
        .unwrap();
    assert!(
        refused
            .blockers
            .iter()
            .any(|b| matches!(b, Blocker::Collision { table, .. } if table.name == "b4")),
        "{:?}",
        refused.blockers
    );
    assert!(!refused.can_apply());
    db.exec("DELETE FROM b4 WHERE id = 3").await;

    // Without the collision: all 14 rows, and nothing else.
    let preview = change::plan_restore(&mut conn, &catalog, &accounts, &one, &options)
        .await
        .unwrap();
    change::apply(
        &mut conn,
        &catalog,
        &preview.change,
        &actor(),
        Some("closure"),
    )
    .await
    .unwrap();
    assert_eq!(trashed(db).await, 0, "every row of the group is back");

    // And the same group goes back to the trash whole, the live account 2 untouched.
    let preview = change::plan_trash(&mut conn, &catalog, &accounts, &one, &options)
        .await
        .unwrap();
    assert_eq!(preview.change.rows(), 14, "{:?}", preview.change.counts());
    change::apply(
        &mut conn,
        &catalog,
        &preview.change,
        &actor(),
        Some("closure"),
    )
    .await
    .unwrap();
    assert_eq!(trashed(db).await, 14);
    assert_eq!(
        db.count("SELECT 1 FROM leaves WHERE deleted_at IS NOT NULL")
            .await,
        1
    );
}
on_both!(
    a_wide_group_comes_back_whole,
    wide_group_sqlite,
    wide_group_postgres
);

/// A reply chain deeper than the walk follows: the restore refuses, saying which limit,
/// instead of restoring the chain's first thousand levels.
async fn a_chain_deeper_than_the_limit_refuses(db: &Db) {
    db.exec(
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES notes (id),
             deleted_at {ts});",
    )
    .await;
    let rows: Vec<String> = (1..=1_010)
        .map(|i| {
            let parent = if i == 1 {
                "NULL".into()
            } else {
                (i - 1).to_string()
            };
            format!("({i}, {parent}, {{recent}})")
        })
        .collect();
    for chunk in rows.chunks(500) {
        db.exec(&format!("INSERT INTO notes VALUES {};", chunk.join(", ")))
            .await;
    }
    db.exec("INSERT INTO notes VALUES (5000, NULL, NULL);")
        .await;
    let catalog = db.catalog(&config("")).await;
    let notes = TableName::new(db.pg.then_some("public"), "notes");
    let mut conn = db.conn().await;
    let preview = change::plan_restore(
        &mut conn,
        &catalog,
        &notes,
        &[vec!["1".to_string()]],
        &ChangeOptions::default(),
    )
    .await
    .unwrap();
    assert!(!preview.can_apply());
    let limit = preview
        .blockers
        .iter()
        .find_map(|b| match b {
            Blocker::Limit { limit } => Some(limit.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{:?}", preview.blockers));
    assert!(limit.contains("1000 levels"), "{limit}");
    // From further down the chain (under a live note), it fits: 911 levels, all of them.
    db.exec("UPDATE notes SET deleted_at = NULL WHERE id = 99")
        .await;
    let preview = change::plan_restore(
        &mut conn,
        &catalog,
        &notes,
        &[vec!["100".to_string()]],
        &ChangeOptions::default(),
    )
    .await
    .unwrap();
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(preview.change.rows(), 911);
}
on_both!(
    a_chain_deeper_than_the_limit_refuses,
    deep_chain_sqlite,
    deep_chain_postgres
);
