//! PostgreSQL's first purge pass reaches rows by the position recorded in the plan. A row
//! that moved since (any UPDATE gives it a new position) must still be purged, by key,
//! in a later pass; a row that took over a purged row's position must never be mistaken
//! for it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::purge::RunOutcome;

async fn blog(tag: &str) -> Option<Db> {
    let pg = PgDb::create(tag).await?;
    let db = Db::postgres(pg).await;
    db.exec(SOFT_BLOG_SCHEMA).await;
    Some(db)
}

async fn position(db: &Db, table: &str, id: i64) -> String {
    db.scalar(&format!(
        "SELECT CAST(ctid AS text) FROM {table} WHERE id = {id}"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_that_moved_after_the_plan_are_purged_by_key() {
    let Some(db) = blog("purge_positions_moved").await else {
        return;
    };
    let mut sql = String::from("INSERT INTO users VALUES (1, 'u1', '2020-01-01 00:00:00');\n");
    sql += "INSERT INTO posts VALUES (10, 1, '2020-02-01 00:00:00');\n";
    let comments: Vec<String> = (100..140)
        .map(|c| format!("({c}, 10, NULL, '2020-03-01 00:00:00')"))
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    db.exec(&sql).await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let plan = db.plan_all(&catalog, 7).await;
    let job = plan.job_id.unwrap();
    let before = position(&db, "comments", 104).await;

    // Still trashed long ago, but every row gets a new position: the first pass finds
    // none of them, and that must not end the job.
    db.exec(
        "UPDATE comments SET deleted_at = '2020-03-02 00:00:00';
         UPDATE posts SET deleted_at = '2020-02-02 00:00:00';
         UPDATE users SET deleted_at = '2020-01-02 00:00:00';",
    )
    .await;
    assert_ne!(
        position(&db, "comments", 104).await,
        before,
        "the update moved the row (the scenario needs it)"
    );

    let outcome = db.run_in_batches(&catalog, job, 7).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 42,
            kept: 0
        }
    );
    assert_eq!(db.keys("comments", &["id"]).await, set(&[]));
    assert_eq!(db.keys("posts", &["id"]).await, set(&[]));
    assert_eq!(db.keys("users", &["id"]).await, set(&[]));
    assert_eq!(
        db.count(&format!(
            "SELECT 1 FROM {} WHERE id = {job} AND pass >= 1",
            db.jobs_table()
        ))
        .await,
        1,
        "the moved rows were met in a later pass"
    );
    assert_eq!(db.job(job).await, ("done".to_owned(), 42));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_row_in_a_purged_rows_old_position_survives() {
    let Some(db) = blog("purge_positions_taken").await else {
        return;
    };
    db.exec(
        "INSERT INTO users VALUES (1, 'u1', NULL);
         INSERT INTO posts VALUES (10, 1, NULL);
         INSERT INTO comments VALUES (100, 10, NULL, '2020-03-01 00:00:00'),
             (101, 10, NULL, '2020-03-01 00:00:00'), (102, 10, NULL, '2020-03-01 00:00:00');",
    )
    .await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let plan = db.plan_all(&catalog, 10).await;
    let job = plan.job_id.unwrap();
    let old = position(&db, "comments", 101).await;

    // Someone else removes comment 101; once vacuumed, its slot on the table's only page
    // is free, and the next row written lands in it: old trash too, but never planned.
    db.exec("DELETE FROM comments WHERE id = 101").await;
    db.exec("VACUUM comments").await;
    db.exec("INSERT INTO comments VALUES (999, 10, NULL, '2020-03-01 00:00:00')")
        .await;
    assert_eq!(
        position(&db, "comments", 999).await,
        old,
        "the new row took the purged row's position (the scenario needs it)"
    );

    let outcome = db.run_in_batches(&catalog, job, 10).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 2,
            kept: 1
        }
    );
    assert_eq!(db.keys("comments", &["id"]).await, set(&["999"]));
}
