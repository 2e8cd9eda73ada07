//! Detection against real data on both backends: a column is a marker only when its
//! name, type, nullability and data agree. Each table here is a way real schemas
//! departed from the demo (a NOT NULL schedule, a column set on every row, epoch
//! integers in either unit, flags that are counters, history tables).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PgDb, SqliteDb, conn};
use trashcan::config::Config;
use trashcan::engine::catalog::{Catalog, Convention, Verdict};
use trashcan::engine::sql::TableName;

/// Tables and rows, in SQL both backends take; `{now}` is the epoch seconds now.
fn scene(now: i64) -> String {
    let day = 86_400;
    let mut sql = String::from(
        "CREATE TABLE schedules (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP NOT NULL);
         CREATE TABLE stamped (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP);
         CREATE TABLE posts (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP);
         CREATE TABLE reminders (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP);
         CREATE TABLE channels (id INTEGER PRIMARY KEY, deleteat BIGINT NOT NULL DEFAULT 0);
         CREATE TABLE legacy (id INTEGER PRIMARY KEY, deleted_at BIGINT);
         CREATE TABLE counters (id INTEGER PRIMARY KEY, deleted_at INTEGER);
         CREATE TABLE tallies (id INTEGER PRIMARY KEY, is_deleted INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE docs (id INTEGER PRIMARY KEY, is_deleted INTEGER NOT NULL DEFAULT 0,
             updated_at TIMESTAMP);
         CREATE TABLE doc_versions (id INTEGER PRIMARY KEY, doc_id INTEGER,
             is_deleted INTEGER NOT NULL DEFAULT 0);\n",
    );
    for i in 1..=200 {
        let past = |days: i64| format!("'{}'", stamp(now - days * day));
        sql.push_str(&format!(
            "INSERT INTO schedules VALUES ({i}, {});
             INSERT INTO stamped VALUES ({i}, {});
             INSERT INTO posts VALUES ({i}, {});
             INSERT INTO reminders VALUES ({i}, {});
             INSERT INTO channels VALUES ({i}, {});
             INSERT INTO legacy VALUES ({i}, {});
             INSERT INTO counters VALUES ({i}, {});
             INSERT INTO tallies VALUES ({i}, {});
             INSERT INTO docs VALUES ({i}, {}, {});
             INSERT INTO doc_versions VALUES ({i}, {i}, {});\n",
            past(i % 40),
            past(i % 40 + 1),
            if i % 5 == 0 { past(i) } else { "NULL".into() },
            if i % 2 == 0 {
                format!("'{}'", stamp(now + (i % 30 + 2) * day))
            } else {
                "NULL".into()
            },
            if i % 4 == 0 {
                (now - i * day) * 1000
            } else {
                0
            },
            if i % 4 == 0 { now - i * day } else { 0 },
            i % 7,
            i % 3,
            i32::from(i % 10 == 0),
            past(i),
            i32::from(i % 10 == 0),
        ));
    }
    sql
}

fn stamp(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0)
        .unwrap()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn check(catalog: &Catalog, schema: Option<&str>) {
    let table = |name: &str| catalog.table(&TableName::new(schema, name)).unwrap();
    let verdict = |name: &str| table(name).detection.verdict;
    let why = |name: &str| format!("{name}: {:?}", table(name).detection);

    assert_eq!(
        verdict("schedules"),
        Verdict::NearMiss,
        "{}",
        why("schedules")
    );
    assert!(why("schedules").contains("NOT NULL"));
    assert_eq!(verdict("stamped"), Verdict::NearMiss, "{}", why("stamped"));
    assert!(why("stamped").contains("every one of ~200 rows"));
    assert_eq!(verdict("posts"), Verdict::Convention, "{}", why("posts"));
    assert!(why("posts").contains("20.0% of ~200 rows"));
    assert_eq!(
        verdict("reminders"),
        Verdict::NearMiss,
        "{}",
        why("reminders")
    );
    assert!(why("reminders").contains("future"));

    let convention = |name: &str| table(name).soft_delete.as_ref().unwrap().convention;
    assert_eq!(
        convention("channels"),
        Convention::EpochMillis,
        "{}",
        why("channels")
    );
    assert_eq!(
        convention("legacy"),
        Convention::EpochSeconds,
        "{}",
        why("legacy")
    );
    assert_eq!(
        verdict("counters"),
        Verdict::NearMiss,
        "{}",
        why("counters")
    );
    assert!(why("counters").contains("no plausible deletion times"));
    assert_eq!(verdict("tallies"), Verdict::NearMiss, "{}", why("tallies"));
    assert!(why("tallies").contains("other than 0 and 1"));

    let docs = table("docs");
    let sd = docs.soft_delete.as_ref().unwrap();
    assert_eq!(sd.convention, Convention::Flag);
    assert!(sd.time.is_none(), "a flag alone records no deletion time");
    assert_eq!(
        docs.detection.proxy_suggestion.as_deref(),
        Some("updated_at")
    );
    assert_eq!(
        verdict("doc_versions"),
        Verdict::History,
        "{}",
        why("doc_versions")
    );
    assert!(table("doc_versions").soft_delete.is_none());

    let names: Vec<String> = catalog
        .soft_delete_tables()
        .map(|t| t.name.name.clone())
        .collect();
    assert_eq!(names, ["channels", "docs", "legacy", "posts"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_verdicts_follow_names_types_and_data() {
    let db = SqliteDb::create();
    db.exec(&scene(now())).await;
    let pool = db.pool().await;
    let catalog = Catalog::load(&mut conn(&pool).await, &Config::default())
        .await
        .unwrap();
    check(&catalog, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_verdicts_follow_names_types_and_data() {
    let Some(db) = PgDb::create("detection").await else {
        return;
    };
    db.exec(&scene(now())).await;
    let pool = db.pool().await;
    let catalog = Catalog::load(&mut conn(&pool).await, &Config::default())
        .await
        .unwrap();
    check(&catalog, Some("public"));
    // With planner statistics the figures speak for the whole table.
    db.exec("ANALYZE").await;
    let catalog = Catalog::load(&mut conn(&pool).await, &Config::default())
        .await
        .unwrap();
    check(&catalog, Some("public"));
    let posts = catalog
        .table(&TableName::new(Some("public"), "posts"))
        .unwrap();
    assert!(
        posts
            .detection
            .because
            .iter()
            .any(|b| b.contains("planner statistics")),
        "{:?}",
        posts.detection
    );
}

/// A big table is sampled from pages spread over it, not its first rows: here the first
/// 30,000 rows are all trashed and the rest live, so a sample of the first pages alone
/// would call every row trashed.
#[tokio::test(flavor = "multi_thread")]
async fn postgres_samples_a_big_table_across_its_pages() {
    let Some(db) = PgDb::create("detection_big").await else {
        return;
    };
    db.exec(
        "CREATE TABLE events (id bigint PRIMARY KEY, deleted_at timestamptz);
         INSERT INTO events SELECT g, CASE WHEN g <= 30000 THEN now() - interval '1 day' END
           FROM generate_series(1, 100000) g;
         ANALYZE events;
         -- Statistics gone (as on a table never analysed), the page count kept.
         DELETE FROM pg_statistic WHERE starelid = 'events'::regclass;",
    )
    .await;
    let pool = db.pool().await;
    let catalog = Catalog::load(&mut conn(&pool).await, &Config::default())
        .await
        .unwrap();
    let events = catalog
        .table(&TableName::new(Some("public"), "events"))
        .unwrap();
    assert_eq!(
        events.detection.verdict,
        Verdict::Convention,
        "{:?}",
        events.detection
    );
    let said = events.detection.because.join(" ");
    assert!(said.contains("sampled rows trashed"), "{said}");
    // "N of M sampled rows trashed": about the table's 30 %, not the first pages' 100 %.
    let figures: Vec<f64> = said
        .split(" sampled rows trashed")
        .next()
        .unwrap()
        .split(' ')
        .filter_map(|w| w.parse().ok())
        .collect();
    let [trashed, sampled] = figures[figures.len() - 2..] else {
        panic!("{said}")
    };
    let share = trashed / sampled;
    assert!(sampled >= 1_000.0 && (0.15..0.5).contains(&share), "{said}");
}
