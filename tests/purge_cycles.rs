//! Reference cycles bigger than a batch: a ring of rows in one table and pairs of rows
//! in two tables pointing at each other, purged in batches of ten on both backends.
//! Batches keep every row of a cycle back (each waits for its child); the sweep at the
//! end of the passes deletes the cycles whole, and only the rows nothing outside keeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;

use common::PgDb;
use purge_db::*;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::purge::{PurgePlan, RunOutcome};

const SCHEMA: &str = "
CREATE TABLE nodes (id BIGINT PRIMARY KEY, next_id BIGINT REFERENCES nodes (id),
    deleted_at {ts});
CREATE INDEX nodes_next ON nodes (next_id);
CREATE TABLE a (id BIGINT PRIMARY KEY, b_id BIGINT, deleted_at {ts});
CREATE TABLE b (id BIGINT PRIMARY KEY, a_id BIGINT REFERENCES a (id), deleted_at {ts});
CREATE INDEX b_a ON b (a_id);
CREATE TABLE pins (id BIGINT PRIMARY KEY, b_id BIGINT NOT NULL REFERENCES b (id),
    deleted_at {ts});
";

/// `a.b_id → b.id` is only in the config, so both backends can hold the pairs.
const CONFIG: &str = "
[[relations]]
child = \"a\"
child_columns = [\"b_id\"]
parent = \"b\"
parent_columns = [\"id\"]
";

/// A ring of 60 old trashed nodes (1 → 2 → … → 60 → 1), and 30 pairs a(i) ↔ b(i) of old
/// trash; pair 7's b is kept by a live pin, so pair 7 stays and everything else goes.
fn data() -> String {
    let old = "'2020-01-01 00:00:00'";
    let nodes: Vec<String> = (1..=60).map(|i| format!("({i}, NULL, {old})")).collect();
    let a: Vec<String> = (1..=30).map(|i| format!("({i}, {i}, {old})")).collect();
    let b: Vec<String> = (1..=30).map(|i| format!("({i}, {i}, {old})")).collect();
    format!(
        "INSERT INTO nodes VALUES {};
         UPDATE nodes SET next_id = CASE WHEN id = 60 THEN 1 ELSE id + 1 END;
         INSERT INTO a VALUES {};
         INSERT INTO b VALUES {};
         INSERT INTO pins VALUES (1, 7, NULL);",
        nodes.join(", "),
        a.join(", "),
        b.join(", ")
    )
}

/// The cycles on `db`, and a purge of all trash planned over them in batches of ten.
async fn planned(db: &Db) -> (Catalog, PurgePlan) {
    db.exec(SCHEMA).await;
    db.exec(&data()).await;
    let catalog = db.catalog(&config(CONFIG)).await;
    let plan = db.plan_all(&catalog, 10).await;
    (catalog, plan)
}

async fn cycles_bigger_than_a_batch(db: &Db) {
    let (catalog, plan) = planned(db).await;
    let job = plan.job_id.unwrap();
    // Pair 7 is left out of the plan already: its b has a live child.
    assert_eq!(plan.total(), 60 + 29 + 29, "{:?}", planned_rows(&plan));
    let outcome = db.run_in_batches(&catalog, job, 10).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 118,
            kept: 0
        }
    );
    assert_eq!(db.keys("nodes", &["id"]).await.len(), 0);
    assert_eq!(db.keys("a", &["id"]).await, set(&["7"]));
    assert_eq!(db.keys("b", &["id"]).await, set(&["7"]));
    assert_eq!(db.job(job).await, ("done".to_owned(), 118));
}

on_both!(
    cycles_bigger_than_a_batch,
    cycles_bigger_than_a_batch_sqlite,
    cycles_bigger_than_a_batch_postgres
);

/// The same cycles, but a row of each is restored after the plan: the ring and the
/// pair it belongs to are then kept whole, everything else still goes.
async fn a_restored_row_keeps_its_cycle(db: &Db) {
    let (catalog, plan) = planned(db).await;
    let job = plan.job_id.unwrap();
    db.exec("UPDATE nodes SET deleted_at = NULL WHERE id = 30; UPDATE b SET deleted_at = NULL WHERE id = 12;")
        .await;
    let outcome = db.run_in_batches(&catalog, job, 10).await;
    // The ring: node 30 is live, and in a ring every node is some node's parent down
    // the line from it — the whole ring is kept. Pair 12: b12, live, keeps a12.
    let RunOutcome::Done { deleted, kept } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        db.keys("nodes", &["id"]).await.len(),
        60,
        "the ring stays whole"
    );
    assert_eq!(db.keys("a", &["id"]).await, set(&["7", "12"]));
    assert_eq!(db.keys("b", &["id"]).await, set(&["7", "12"]));
    assert_eq!(deleted, 56, "28 pairs");
    assert_eq!(
        kept,
        60 + 2,
        "the ring, and the pair a12 and b12, all still in the set"
    );
    db.assert_no_orphans(
        &[
            Rel {
                child: "nodes",
                child_columns: &["next_id"],
                parent: "nodes",
                parent_columns: &["id"],
            },
            Rel {
                child: "a",
                child_columns: &["b_id"],
                parent: "b",
                parent_columns: &["id"],
            },
            Rel {
                child: "b",
                child_columns: &["a_id"],
                parent: "a",
                parent_columns: &["id"],
            },
        ],
        "after the run",
    )
    .await;
}

on_both!(
    a_restored_row_keeps_its_cycle,
    a_restored_row_keeps_its_cycle_sqlite,
    a_restored_row_keeps_its_cycle_postgres
);

async fn insert_versions(db: &Db, rows: &[String]) {
    for chunk in rows.chunks(500) {
        db.exec(&format!("INSERT INTO versions VALUES {}", chunk.join(", ")))
            .await;
    }
}

/// Purges all trash (the 2,000 rows of `versions`) in batches of 50, checks that every
/// row went, and returns the pass the job ended in (0 for the first).
async fn purge_the_whole_chain(db: &Db) -> i64 {
    let catalog = db.catalog(&config(&declared(&["versions"]))).await;
    let plan = db.plan_all(&catalog, 50).await;
    let job = plan.job_id.unwrap();
    assert_eq!(plan.total(), 2_000);
    let outcome = db.run_in_batches(&catalog, job, 50).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 2_000,
            kept: 0
        }
    );
    assert!(db.keys("versions", &["id"]).await.is_empty());
    let passes: i64 = db
        .strings(&format!(
            "SELECT CAST(pass AS TEXT) FROM {} WHERE id = {job}",
            db.jobs_table()
        ))
        .await[0]
        .parse()
        .unwrap();
    passes
}

/// A chain of 2,000 old trashed rows, each written after the row it points at (a reply
/// to a reply, a new version of a version), purged in batches of 50. Walked backwards,
/// each batch meets children before their parents: on PostgreSQL one pass deletes the
/// whole chain, where walking forwards deleted one link per pass (2,000 passes). SQLite
/// tests every child in the batch's statement, so it goes over a batch again until a
/// round deletes nothing; its keys sort as text ("99" after "100" when walking
/// backwards), so a few links wait for the next pass: 5 passes here.
async fn a_chain_written_in_order_goes_in_few_passes(db: &Db) {
    db.exec(
        "CREATE TABLE versions (id BIGINT PRIMARY KEY, previous_id BIGINT REFERENCES versions (id),
             deleted_at {ts});
         CREATE INDEX versions_previous ON versions (previous_id);",
    )
    .await;
    let rows: Vec<String> = (1..=2_000)
        .map(|i| {
            let previous = if i == 1 {
                "NULL".to_owned()
            } else {
                (i - 1).to_string()
            };
            format!("({i}, {previous}, '2020-01-01 00:00:00')")
        })
        .collect();
    insert_versions(db, &rows).await;
    let passes = purge_the_whole_chain(db).await;
    if db.pg {
        assert_eq!(passes, 0, "the chain took more than one pass");
    } else {
        assert!(passes <= 8, "{passes} passes");
    }
}

on_both!(
    a_chain_written_in_order_goes_in_few_passes,
    a_chain_written_in_order_goes_in_few_passes_sqlite,
    a_chain_written_in_order_goes_in_few_passes_postgres
);

/// A chain of 2,000 old trashed rows whose pointers were set after the rows were
/// written, each row pointing at the next, newer one (`superseded_by`, a linked list):
/// the rows' keys and positions now run from child to parent, the other way from the
/// chain above. On PostgreSQL the first pass (backwards) is refused and, walking by
/// key, every later pass met its links out of order ("[10]" sorts before "[9]") and
/// tested each batch's children itself, deleting one or two links per pass: 1,950
/// passes and 160 s. Later passes now walk by position too, and a row whose children
/// are all in its batch goes with them (the row whose child lies beyond the batch
/// waits), so the second pass, forwards, takes the chain.
async fn a_chain_pointing_at_newer_rows_goes_in_few_passes(db: &Db) {
    db.exec(
        "CREATE TABLE versions (id BIGINT PRIMARY KEY, next_id BIGINT REFERENCES versions (id),
             deleted_at {ts});
         CREATE INDEX versions_next ON versions (next_id);",
    )
    .await;
    let rows: Vec<String> = (1..=2_000)
        .map(|i| format!("({i}, NULL, '2020-01-01 00:00:00')"))
        .collect();
    insert_versions(db, &rows).await;
    db.exec("UPDATE versions SET next_id = id + 1 WHERE id < 2000")
        .await;
    let passes = purge_the_whole_chain(db).await;
    // SQLite goes over a batch until a round deletes nothing; its text keys leave a
    // few links to later passes.
    let most = if db.pg { 3 } else { 8 };
    assert!(passes <= most, "{passes} passes");
}

on_both!(
    a_chain_pointing_at_newer_rows_goes_in_few_passes,
    a_chain_pointing_at_newer_rows_goes_in_few_passes_sqlite,
    a_chain_pointing_at_newer_rows_goes_in_few_passes_postgres
);

/// A chain of 20 trashed rows, each written after the row it points at, with row 10
/// restored after the plan: its ancestors 1..=9 must stay (9 is its parent, and each
/// keeps the one above), the rows under it go. All 20 sit in one batch; on PostgreSQL
/// row 9's child is in the batch, so the test for children beyond the batch lets it
/// through, the key refuses the statement, and the batch is retried testing every
/// child. Nothing is deleted that a live row still needs.
async fn a_restored_link_keeps_the_chain_above_it(db: &Db) {
    db.exec(
        "CREATE TABLE versions (id BIGINT PRIMARY KEY, previous_id BIGINT REFERENCES versions (id),
             deleted_at {ts});",
    )
    .await;
    let rows: Vec<String> = (1..=20)
        .map(|i| {
            let previous = if i == 1 {
                "NULL".to_owned()
            } else {
                (i - 1).to_string()
            };
            format!("({i}, {previous}, '2020-01-01 00:00:00')")
        })
        .collect();
    insert_versions(db, &rows).await;
    let catalog = db.catalog(&config(&declared(&["versions"]))).await;
    let plan = db.plan_all(&catalog, 50).await;
    assert_eq!(plan.total(), 20);
    db.exec("UPDATE versions SET deleted_at = NULL WHERE id = 10")
        .await;
    let outcome = db.run_in_batches(&catalog, plan.job_id.unwrap(), 50).await;
    assert_eq!(
        outcome,
        // Kept: the restored row itself and the nine above it.
        RunOutcome::Done {
            deleted: 10,
            kept: 10
        }
    );
    let left: BTreeSet<String> = (1..=10).map(|i| i.to_string()).collect();
    assert_eq!(db.keys("versions", &["id"]).await, left);
}

on_both!(
    a_restored_link_keeps_the_chain_above_it,
    a_restored_link_keeps_the_chain_above_it_sqlite,
    a_restored_link_keeps_the_chain_above_it_postgres
);
