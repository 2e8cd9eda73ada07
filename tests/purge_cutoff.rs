//! The cutoff holds for every row a purge deletes, not only its roots: a post trashed
//! long ago whose comment was trashed an hour ago keeps both, and says why, unless the
//! operator chooses to purge young descendants. A descendant restored and trashed again
//! between plan and batch is young again and stays. Tables that record no deletion time
//! need an explicit choice (a proxy column, or --ignore-age), and a job whose tables are
//! now read differently refuses to run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::purge::{Policy, RunOutcome, Scope};
use trashcan::engine::sql::TableName;

const SCHEMA: &str = "
CREATE TABLE posts (id BIGINT PRIMARY KEY, deleted_at {ts});
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id),
    deleted_at {ts});
";

fn ago(db: &Db, days: f64) -> String {
    let seconds = (days * 86_400.0) as i64;
    if db.pg {
        format!("now() - interval '{seconds} seconds'")
    } else {
        format!("datetime('now', '-{seconds} seconds')")
    }
}

/// Post 1 trashed 60 days ago with a comment trashed an hour ago; post 2 trashed 60
/// days ago with a comment trashed 50 days ago; post 3 live.
async fn seed(db: &Db) {
    db.exec(SCHEMA).await;
    db.exec(&format!(
        "INSERT INTO posts VALUES (1, {old}), (2, {old}), (3, NULL);
         INSERT INTO comments VALUES (10, 1, {young}), (20, 2, {older}), (30, 3, NULL);",
        old = ago(db, 60.0),
        young = ago(db, 1.0 / 24.0),
        older = ago(db, 50.0),
    ))
    .await;
}

async fn young_descendants_keep_their_roots(db: &Db) {
    seed(db).await;
    let catalog = db.catalog(&config("")).await;
    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Default::default()),
            None,
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        planned_rows(&plan),
        [("comments".to_string(), 1), ("posts".to_string(), 1)],
        "post 2 and its old comment; post 1 is held by a comment trashed an hour ago"
    );
    let skipped = plan
        .skipped
        .iter()
        .find(|s| s.table.name == "posts")
        .expect("post 1 is listed as skipped");
    assert_eq!(skipped.sample, vec![vec!["1".to_string()]]);
    assert!(
        skipped
            .because
            .iter()
            .any(|b| b.contains("trashed after their cutoff")),
        "{:?}",
        skipped.because
    );
    let outcome = db.run_in_batches(&catalog, plan.job_id.unwrap(), 10).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 2,
            kept: 0
        }
    );
    assert_eq!(db.keys("posts", &["id"]).await, set(&["1", "3"]));
    assert_eq!(db.keys("comments", &["id"]).await, set(&["10", "30"]));

    // The operator's explicit choice takes the young comment with its post.
    let young = options(10, Default::default()).with_policy(Policy {
        purge_young: true,
        ..Policy::default()
    });
    let plan = db
        .plan(&catalog, &Scope::All, &young, None, true)
        .await
        .unwrap();
    assert_eq!(plan.total(), 2);
    let audit = db.audit_actions(plan.job_id.unwrap()).await;
    assert!(!audit.is_empty());
    let context = db
        .scalar(&format!(
            "SELECT details FROM {} WHERE job_id = {} AND action = 'purge plan'",
            db.audit_table(),
            plan.job_id.unwrap()
        ))
        .await;
    assert!(
        context.contains("descendants purged whatever their age in: comments"),
        "{context}"
    );
    db.run_in_batches(&catalog, plan.job_id.unwrap(), 10).await;
    assert_eq!(db.keys("posts", &["id"]).await, set(&["3"]));
}
on_both!(
    young_descendants_keep_their_roots,
    young_descendants_keep_their_roots_sqlite,
    young_descendants_keep_their_roots_postgres
);

/// A comment old at plan time, restored and trashed again before its batch: too young
/// now, so it stays, and so does its post. (The posts' trash is the scope, so the
/// comment is in the set as a descendant, not as a root with its own cutoff.)
async fn a_descendant_trashed_again_after_the_plan_stays(db: &Db) {
    seed(db).await;
    let catalog = db.catalog(&config("")).await;
    let posts = Scope::Table(TableName::new(db.pg.then_some("public"), "posts"));
    let plan = db
        .plan(
            &catalog,
            &posts,
            &options(10, Default::default()),
            None,
            true,
        )
        .await
        .unwrap();
    assert_eq!(plan.tables.iter().map(|t| t.roots).sum::<u64>(), 1);
    assert_eq!(plan.total(), 2);
    db.exec(&format!(
        "UPDATE comments SET deleted_at = {} WHERE id = 20",
        ago(db, 0.01)
    ))
    .await;
    let outcome = db.run_in_batches(&catalog, plan.job_id.unwrap(), 10).await;
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 0,
            kept: 2
        }
    );
    assert_eq!(db.keys("comments", &["id"]).await, set(&["10", "20", "30"]));
    assert_eq!(db.keys("posts", &["id"]).await, set(&["1", "2", "3"]));
}
on_both!(
    a_descendant_trashed_again_after_the_plan_stays,
    a_descendant_trashed_again_after_the_plan_stays_sqlite,
    a_descendant_trashed_again_after_the_plan_stays_postgres
);

const FLAGS: &str = "
CREATE TABLE docs (id BIGINT PRIMARY KEY, is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {ts});
";

/// A flag alone says nothing of age: a purge refuses until the operator names a proxy
/// column or ignores the age for the table, and the plan says which.
async fn flag_only_tables_need_an_explicit_choice(db: &Db) {
    db.exec(FLAGS).await;
    db.exec(&format!(
        "INSERT INTO docs VALUES (1, TRUE, {}), (2, TRUE, {}), (3, FALSE, {});",
        ago(db, 90.0),
        ago(db, 2.0),
        ago(db, 90.0)
    ))
    .await;
    let docs = TableName::new(db.pg.then_some("public"), "docs");
    let catalog = db.catalog(&config("")).await;
    let table = catalog.table(&docs).unwrap();
    assert_eq!(
        table.detection.proxy_suggestion.as_deref(),
        Some("updated_at")
    );
    let refused = db
        .plan(
            &catalog,
            &Scope::Table(docs.clone()),
            &options(10, Default::default()),
            None,
            false,
        )
        .await
        .unwrap_err();
    assert!(
        refused.message.contains("time_column = \"updated_at\"")
            && refused.message.contains("--ignore-age docs"),
        "{refused}"
    );
    // All trash leaves the table out, saying why.
    let all = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Default::default()),
            None,
            false,
        )
        .await
        .unwrap();
    assert!(all.left_out.iter().any(|l| l.table == docs), "{all:?}");

    // Age from a proxy column: only the row not updated for 90 days.
    let proxy = db
        .catalog(&config("[tables.docs]\ntime_column = \"updated_at\"\n"))
        .await;
    let plan = db
        .plan(
            &proxy,
            &Scope::Table(docs.clone()),
            &options(10, Default::default()),
            None,
            false,
        )
        .await
        .unwrap();
    assert_eq!(plan.total(), 1);
    assert!(
        plan.tables[0]
            .convention
            .as_deref()
            .is_some_and(|c| c.contains("age from updated_at (proxy)")),
        "{:?}",
        plan.tables
    );

    // Whatever the age: both trashed rows, recorded as such.
    let mut ignoring = options(10, Default::default());
    ignoring.ignore_age = vec![docs.clone()];
    let plan = db
        .plan(&catalog, &Scope::Table(docs.clone()), &ignoring, None, true)
        .await
        .unwrap();
    assert_eq!(plan.total(), 2);
    assert!(plan.tables[0].age_ignored);
    db.run_in_batches(&catalog, plan.job_id.unwrap(), 10).await;
    assert_eq!(db.keys("docs", &["id"]).await, set(&["3"]));
}
on_both!(
    flag_only_tables_need_an_explicit_choice,
    flag_only_tables_need_an_explicit_choice_sqlite,
    flag_only_tables_need_an_explicit_choice_postgres
);

/// A job planned while `posts` was read one way refuses to run once it is read
/// another: its frozen rows were chosen under the old reading.
async fn a_job_refuses_when_detection_changed(db: &Db) {
    seed(db).await;
    let catalog = db.catalog(&config("")).await;
    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Default::default()),
            None,
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    // A deploy adds a flag, which now wins detection: posts are read as `flag is_deleted`.
    db.exec("ALTER TABLE posts ADD COLUMN is_deleted BOOLEAN NOT NULL DEFAULT FALSE")
        .await;
    let now = db.catalog(&config("")).await;
    let posts = now
        .soft_delete_tables()
        .find(|t| t.name.name == "posts")
        .unwrap();
    assert!(
        posts
            .soft_delete
            .as_ref()
            .unwrap()
            .describe()
            .starts_with("flag")
    );
    let refused = db
        .run(
            &now,
            job,
            &small_batches(10, Default::default()),
            &mut |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        refused
            .message
            .contains("planned as `timestamp deleted_at`"),
        "{refused}"
    );
    assert_eq!(db.keys("posts", &["id"]).await, set(&["1", "2", "3"]));
}
on_both!(
    a_job_refuses_when_detection_changed,
    a_job_refuses_when_detection_changed_sqlite,
    a_job_refuses_when_detection_changed_postgres
);
