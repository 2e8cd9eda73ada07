//! The demo's destructive path: `demo --reset` re-creates only what `trashcan demo`
//! made, and refuses — changing nothing — anywhere else. Seeding is checked against the
//! row counts the demo promises.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PgDb, SqliteDb, conn};
use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};
use trashcan::demo;

/// (table, rows at scale 1), as documented in src/demo/seed.rs.
const SCALE_ONE: &[(&str, i64)] = &[
    ("users", 200),
    ("posts", 1_100),
    ("comments", 9_900),
    ("likes", 5_500),
    ("orders", 650),
    ("payments", 480),
    ("products", 100),
    ("assets", 60),
    ("product_assets", 150),
    ("product_attributes", 305),
];

async fn count(pool: &DbPool, table: &str) -> i64 {
    let mut c = conn(pool).await;
    let sql = format!("SELECT CAST(count(*) AS TEXT) FROM \"{table}\"");
    rows::query(&mut c, &sql, &[]).await.unwrap()[0]
        .int(0)
        .unwrap()
}

async fn assert_scale_one(target: &DbTarget) {
    let pool = DbPool::connect(target, &SessionSettings::default())
        .await
        .unwrap();
    for (table, expected) in SCALE_ONE {
        assert_eq!(count(&pool, table).await, *expected, "{table}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_reset_refuses_a_database_it_did_not_create() {
    let db = SqliteDb::create();
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'a'), (2, 'b'), (3, 'c');")
        .await;
    let err = demo::ensure_sqlite(&db.path, 1, true).await.unwrap_err();
    assert!(err.message.contains("refusing to reset"), "{err}");
    assert_eq!(
        count(&db.pool().await, "users").await,
        3,
        "data was touched"
    );

    // Not a database at all: refused too, and the file is left as it was.
    let text = db.dir.path().join("notes.txt");
    std::fs::write(&text, "precious notes").unwrap();
    let err = demo::ensure_sqlite(&text, 1, true).await.unwrap_err();
    assert!(err.message.contains("refusing to reset"), "{err}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "precious notes");
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_demo_is_created_once_and_reset_to_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite3");
    assert!(demo::ensure_sqlite(&path, 1, false).await.unwrap());
    assert!(
        !demo::ensure_sqlite(&path, 1, false).await.unwrap(),
        "kept as is"
    );
    let target = DbTarget::sqlite(path.clone());
    assert_scale_one(&target).await;

    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let mut c = conn(&pool).await;
    rows::execute(&mut c, "DELETE FROM product_attributes", &[])
        .await
        .unwrap();
    drop(c);
    drop(pool);
    assert!(demo::ensure_sqlite(&path, 1, true).await.unwrap());
    assert_scale_one(&target).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_reset_refuses_a_database_it_did_not_create() {
    let Some(db) = PgDb::create("demorefuse").await else {
        return;
    };
    db.exec("CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1), (2), (3);")
        .await;
    let err = demo::reset_postgres(&db.target()).await.unwrap_err();
    assert!(err.message.contains("refusing to reset"), "{err}");
    assert!(err.message.contains("nothing was changed"), "{err}");
    assert_eq!(
        count(&db.pool().await, "users").await,
        3,
        "data was touched"
    );
    // Seeding over someone else's `users` fails in the migration, leaving it alone.
    assert!(demo::seed_target(&db.target(), 1).await.is_err());
    assert_eq!(count(&db.pool().await, "users").await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_demo_seeds_refuses_reseeding_and_resets() {
    let Some(db) = PgDb::create("demoseed").await else {
        return;
    };
    let target = db.target();
    demo::seed_target(&target, 1).await.unwrap();
    assert_scale_one(&target).await;
    let again = demo::seed_target(&target, 1).await.unwrap_err();
    assert!(again.message.contains("already holds demo data"), "{again}");
    demo::reset_postgres(&target).await.unwrap();
    demo::seed_target(&target, 1).await.unwrap();
    assert_scale_one(&target).await;
}
