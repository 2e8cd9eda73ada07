//! Related counts as a closure: on a graph 258 paths wide, through a self-reference, a
//! cycle of two tables and a `SET NULL` key, every row below the selection is counted
//! once, per table, with its deletion group; written out by hand here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeMap;

use common::PgDb;
use purge_db::*;
use trashcan::engine::related::closure;
use trashcan::engine::sql::TableName;

const WIDTH: usize = 6;

fn schema() -> String {
    let mut sql = String::from(
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, deleted_at {ts});
         CREATE TABLE teams (id BIGINT PRIMARY KEY, account_id BIGINT REFERENCES accounts (id),
             lead_id BIGINT, deleted_at {ts});
         CREATE TABLE members (id BIGINT PRIMARY KEY, team_id BIGINT REFERENCES teams (id),
             deleted_at {ts});
         CREATE TABLE notes (id BIGINT PRIMARY KEY, account_id BIGINT REFERENCES accounts (id),
             parent_id BIGINT REFERENCES notes (id), deleted_at {ts});
         CREATE TABLE pins (id BIGINT PRIMARY KEY,
             account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL);\n",
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
            "CREATE TABLE b{j} (id BIGINT PRIMARY KEY, {}, deleted_at {{ts}});\n",
            refs.join(", ")
        );
    }
    sql
}

/// Account 1 trashed a day ago with everything under it, except: team 11 trashed a year
/// ago (not its group), note 13 live, b3's row live. Teams and members form a cycle
/// (a team's lead is a member, a member's team a team).
fn data() -> String {
    let old = "'2020-01-01 00:00:00'";
    let mut sql = format!(
        "INSERT INTO accounts VALUES (1, {{recent}}), (2, NULL);
         INSERT INTO teams VALUES (10, 1, NULL, {{recent}}), (11, 1, NULL, {old}), (20, 2, NULL, NULL);
         INSERT INTO members VALUES (100, 10, {{recent}}), (101, 11, {{recent}}), (102, 10, NULL),
             (200, 20, NULL);
         UPDATE teams SET lead_id = 100 WHERE id = 10;
         UPDATE teams SET lead_id = 200 WHERE id = 20;
         INSERT INTO notes VALUES (12, 1, NULL, {{recent}}), (13, NULL, 12, NULL),
             (14, NULL, 13, {{recent}}), (22, 2, NULL, NULL);
         INSERT INTO pins VALUES (1, 1), (2, 1), (3, 2);\n"
    );
    for i in 1..=WIDTH {
        sql += &format!("INSERT INTO a{i} VALUES (1, 1, {{recent}}), (2, 2, NULL);\n");
    }
    for j in 1..=WIDTH {
        let ones = ["1"; WIDTH].join(", ");
        let twos = ["2"; WIDTH].join(", ");
        let state = if j == 3 { "NULL" } else { "{recent}" };
        sql += &format!("INSERT INTO b{j} VALUES (1, {ones}, {state}), (2, {twos}, NULL);\n");
    }
    sql
}

const CONFIG: &str = "
[[relations]]
child = \"teams\"
child_columns = [\"lead_id\"]
parent = \"members\"
parent_columns = [\"id\"]
";

async fn counts_every_row_once(db: &Db) {
    db.exec(&schema()).await;
    db.exec(&data()).await;
    let catalog = db.catalog(&config(CONFIG)).await;
    let accounts = catalog
        .table(&TableName::new(db.pg.then_some("public"), "accounts"))
        .unwrap();
    let mut conn = db.conn().await;
    let found = closure::count(&mut conn, &catalog, accounts, &[vec!["1".into()]], 120.0)
        .await
        .unwrap();
    let got = by_table(&found);
    let mut want: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    // Teams 10 and 11; 11 was trashed a year ago, so outside the group.
    want.insert("teams".into(), (0, 2, 1));
    // Members 100, 102 (team 10) and 101 (team 11): 101 is trashed with nothing above it
    // in the group (its team is not), 102 live.
    want.insert("members".into(), (1, 2, 1));
    // Notes 12, 13 (a reply, live), 14 (a reply to the live 13: trashed, but its parent
    // is live, so outside the group).
    want.insert("notes".into(), (1, 2, 1));
    for i in 1..=WIDTH {
        want.insert(format!("a{i}"), (0, 1, 1));
    }
    for j in 1..=WIDTH {
        let row = if j == 3 { (1, 0, 0) } else { (0, 1, 1) };
        want.insert(format!("b{j}"), row);
    }
    assert_eq!(got, want, "{}", db.backend());
    assert!(found.partial.is_empty());
    assert_eq!(found.detached.len(), 1, "{:?}", found.detached);
    assert_eq!(found.detached[0].rows, 2, "pins 1 and 2");
}
on_both!(
    counts_every_row_once,
    counts_every_row_once_sqlite,
    counts_every_row_once_postgres
);
