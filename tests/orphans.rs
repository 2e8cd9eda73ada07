//! Orphan scans on both backends, checked against a reference computed in Rust from the
//! raw rows: a schema with no foreign keys at all (relations from the config only), and
//! one whose declared keys were added `NOT VALID` (PostgreSQL) or bypassed (SQLite). Key
//! ranges are exercised with tiny ranges and keys at the ends of the 64-bit range, and
//! `trashcan orphans` is checked for its exit codes and JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeMap;

use common::PgDb;
use purge_db::*;
use tokio_util::sync::CancellationToken;
use trashcan::engine::orphans::{self, OrphanKind, RelationOrphans, ScanOptions};

/// Library schema without a single declared key: the config names the relations.
const UNDECLARED: &str = "
CREATE TABLE authors (id BIGINT PRIMARY KEY, name TEXT, deleted_at {ts});
CREATE TABLE books (id BIGINT PRIMARY KEY, author_id BIGINT, deleted_at {ts});
CREATE TABLE reviews (id BIGINT PRIMARY KEY, book_id BIGINT, deleted_at {ts});
";

const UNDECLARED_CONFIG: &str = "
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

/// Rows of one table as (id, reference, trashed).
type Rows = Vec<(i64, Option<i64>, bool)>;

async fn rows_of(db: &Db, table: &str, reference: Option<&str>) -> Rows {
    let reference = reference.map_or("NULL".to_owned(), |c| format!("CAST({c} AS TEXT)"));
    let sql = format!(
        "SELECT CAST(id AS TEXT) || '|' || COALESCE({reference}, '') || '|' || \
         CASE WHEN deleted_at IS NULL THEN 'l' ELSE 't' END FROM {table}"
    );
    db.strings(&sql)
        .await
        .iter()
        .map(|line| {
            let parts: Vec<&str> = line.split('|').collect();
            (
                parts[0].parse().unwrap(),
                parts[1].parse().ok(),
                parts[2] == "t",
            )
        })
        .collect()
}

/// (hard, soft) orphans of `child` under `parent`, computed from the rows themselves.
fn reference(child: &Rows, parent: &Rows) -> (u64, u64) {
    let parents: BTreeMap<i64, bool> = parent.iter().map(|(id, _, t)| (*id, *t)).collect();
    let mut hard = 0;
    let mut soft = 0;
    for (_, reference, trashed) in child {
        let Some(reference) = reference else { continue };
        match parents.get(reference) {
            None => hard += 1,
            Some(true) if !trashed => soft += 1,
            Some(_) => {}
        }
    }
    (hard, soft)
}

fn counts_of(found: &[RelationOrphans], child: &str) -> (u64, u64) {
    let r = found
        .iter()
        .find(|r| r.child.name == child)
        .unwrap_or_else(|| panic!("no relation from {child} in {found:?}"));
    let c = r.counts.as_ref().unwrap();
    (c.hard, c.soft.unwrap())
}

/// Random library rows: ids spread with gaps (and, when `extremes`, at both ends of the
/// 64-bit range); references that hit live, trashed or missing parents, or are NULL.
fn random_library(seed: u64, extremes: bool) -> String {
    let mut rng = Rng::new(seed);
    let mut sql = String::new();
    let mut authors = Vec::new();
    for i in 0..30 {
        let id = i * 3 + 1;
        authors.push(id);
        let deleted = if rng.chance(40) {
            "'2020-01-01 00:00:00'"
        } else {
            "NULL"
        };
        sql += &format!("INSERT INTO authors VALUES ({id}, 'a{id}', {deleted});\n");
    }
    let mut book_ids: Vec<i64> = (0..80).map(|i| i * 5 + 2).collect();
    if extremes {
        book_ids.extend([i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, -7]);
    }
    for id in &book_ids {
        let author = match rng.below(10) {
            0 => "NULL".to_owned(),
            1 | 2 => format!("{}", 1000 + rng.below(50)), // no such author
            _ => format!("{}", authors[rng.below(authors.len() as u64) as usize]),
        };
        let deleted = if rng.chance(30) {
            "'2020-02-01 00:00:00'"
        } else {
            "NULL"
        };
        sql += &format!("INSERT INTO books VALUES ({id}, {author}, {deleted});\n");
    }
    for i in 0..150 {
        let book = match rng.below(10) {
            0 => "NULL".to_owned(),
            1 => "999999".to_owned(),
            _ => format!("{}", book_ids[rng.below(book_ids.len() as u64) as usize]),
        };
        let deleted = if rng.chance(25) {
            "'2020-03-01 00:00:00'"
        } else {
            "NULL"
        };
        sql += &format!("INSERT INTO reviews VALUES ({i}, {book}, {deleted});\n");
    }
    sql
}

async fn check_against_reference(db: &Db, options: &ScanOptions, context: &str) {
    let catalog = db.catalog(&config(UNDECLARED_CONFIG)).await;
    let mut conn = db.conn().await;
    let found = orphans::scan(&mut conn, &catalog, options, &CancellationToken::new())
        .await
        .unwrap();
    let authors = rows_of(db, "authors", None).await;
    let books = rows_of(db, "books", Some("author_id")).await;
    let reviews = rows_of(db, "reviews", Some("book_id")).await;
    assert_eq!(
        counts_of(&found, "books"),
        reference(&books, &authors),
        "books → authors, {context}"
    );
    assert_eq!(
        counts_of(&found, "reviews"),
        reference(&reviews, &books),
        "reviews → books, {context}"
    );
}

async fn undeclared_relations(db: &Db) {
    db.exec(UNDECLARED).await;
    for seed in 1..=4 {
        db.exec("DELETE FROM reviews; DELETE FROM books; DELETE FROM authors;")
            .await;
        db.exec(&random_library(seed, seed % 2 == 0)).await;
        for rows_per_statement in [200_000, 7, 1] {
            check_against_reference(
                db,
                &ScanOptions { rows_per_statement },
                &format!("seed {seed}, {rows_per_statement} rows per statement"),
            )
            .await;
        }
    }
    // The reference is not trivially zero: the data holds both kinds.
    let catalog = db.catalog(&config(UNDECLARED_CONFIG)).await;
    let mut conn = db.conn().await;
    let found = orphans::scan(
        &mut conn,
        &catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let (hard, soft) = counts_of(&found, "books");
    assert!(hard > 0 && soft > 0, "{found:?}");
}

on_both!(
    undeclared_relations,
    undeclared_relations_sqlite,
    undeclared_relations_postgres
);

/// Samples list exactly the orphans of their kind, lowest key first, with the key they
/// point at.
async fn samples(db: &Db) {
    db.exec(UNDECLARED).await;
    db.exec(
        "INSERT INTO authors VALUES (1, 'live', NULL), (2, 'trashed', '2020-01-01 00:00:00');
         INSERT INTO books VALUES (10, 1, NULL), (11, 2, NULL), (12, 3, NULL), (13, 2, '2020-01-01 00:00:00'),
             (14, NULL, NULL), (15, 4, '2020-01-01 00:00:00'), (16, 2, NULL);",
    )
    .await;
    let catalog = db.catalog(&config(UNDECLARED_CONFIG)).await;
    let relation = catalog
        .relations
        .iter()
        .position(|r| r.child.name == "books")
        .unwrap();
    let mut conn = db.conn().await;
    let hard = orphans::sample(&mut conn, &catalog, relation, OrphanKind::Hard, 10)
        .await
        .unwrap();
    let listed: Vec<(String, String)> = hard
        .iter()
        .map(|o| (o.key.join(","), o.refers_to.join(",")))
        .collect();
    assert_eq!(
        listed,
        vec![("12".into(), "3".into()), ("15".into(), "4".into())]
    );
    let soft = orphans::sample(&mut conn, &catalog, relation, OrphanKind::Soft, 1)
        .await
        .unwrap();
    let listed: Vec<String> = soft.iter().map(|o| o.key.join(",")).collect();
    assert_eq!(listed, vec!["11".to_owned()], "the limit holds");
}

on_both!(samples, samples_sqlite, samples_postgres);

/// Declared keys with orphans underneath: added `NOT VALID` on PostgreSQL, written with
/// enforcement off on SQLite.
async fn declared_but_not_enforced(db: &Db) {
    db.exec(
        "CREATE TABLE owners (id BIGINT PRIMARY KEY, deleted_at {ts});
         CREATE TABLE pets (id BIGINT PRIMARY KEY, owner_a BIGINT, owner_b BIGINT,
             deleted_at {ts});",
    )
    .await;
    let rows = "INSERT INTO owners VALUES (1, NULL), (2, '2020-01-01 00:00:00');
         INSERT INTO pets VALUES (1, 1, 1, NULL), (2, 2, 2, NULL), (3, 3, 3, NULL),
             (4, 2, 2, '2020-01-01 00:00:00'), (5, NULL, 9, NULL), (6, 9, 9, '2020-01-01 00:00:00');";
    if db.pg {
        db.exec(rows).await;
        db.exec(
            "ALTER TABLE pets ADD CONSTRAINT pets_owner FOREIGN KEY (owner_a)
                 REFERENCES owners (id) NOT VALID;",
        )
        .await;
    } else {
        // SQLite declares keys with the table; enforcement is per connection.
        db.exec(
            "DROP TABLE pets;
             CREATE TABLE pets (id BIGINT PRIMARY KEY, owner_a BIGINT REFERENCES owners (id),
                 owner_b BIGINT, deleted_at {ts});",
        )
        .await;
        db.exec(&format!("PRAGMA foreign_keys = OFF; {rows}")).await;
    }
    let catalog = db.catalog(&config("")).await;
    let relation = catalog
        .relations
        .iter()
        .find(|r| r.child.name == "pets")
        .expect("the declared key is in the catalog");
    assert!(relation.declared);
    let mut conn = db.conn().await;
    let found = orphans::scan(
        &mut conn,
        &catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    // Hard: pets 3 and 6 (owner 3 and 9 do not exist); 5 has NULL: no relation.
    // Soft: pet 2 (live, owner 2 trashed); pet 4 is trashed itself.
    assert_eq!(counts_of(&found, "pets"), (2, 1));
}

on_both!(
    declared_but_not_enforced,
    declared_but_not_enforced_sqlite,
    declared_but_not_enforced_postgres
);

/// A relation whose parent the role may not read is reported as such; the others are
/// still counted.
#[tokio::test(flavor = "multi_thread")]
async fn no_permission_is_reported_per_relation_postgres() {
    let Some(pg) = PgDb::create("orphans_permission").await else {
        return;
    };
    let db = Db::postgres(pg).await;
    db.exec(UNDECLARED).await;
    db.exec(&random_library(3, false)).await;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let role = format!("trashcan_orphans_{}_{nanos}", std::process::id());
    common::admin_exec(&format!("CREATE ROLE \"{role}\" LOGIN")).await;
    let _guard = common::RoleGuard {
        role: role.clone(),
        db_url: db.url.clone(),
    };
    // Books and reviews only: the relation up to authors cannot be read.
    db.exec(&format!(
        "GRANT SELECT ON books, reviews TO \"{role}\";
         GRANT USAGE ON SCHEMA trashcan TO \"{role}\";"
    ))
    .await;
    let url = db.url.replace("postgres@", &format!("{role}@"));
    let target = trashcan::db::DbTarget::parse(&url).unwrap();
    let pool = trashcan::db::DbPool::connect(&target, &trashcan::db::SessionSettings::default())
        .await
        .unwrap();
    let mut conn = pool.get().await.unwrap();
    let catalog = trashcan::engine::catalog::Catalog::load(&mut conn, &config(UNDECLARED_CONFIG))
        .await
        .unwrap();
    let found = orphans::scan(
        &mut conn,
        &catalog,
        &ScanOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let books = found.iter().find(|r| r.child.name == "books").unwrap();
    let why = books.counts.as_ref().unwrap_err();
    assert!(why.contains("no permission"), "{why}");
    let reviews = rows_of(&db, "reviews", Some("book_id")).await;
    let all_books = rows_of(&db, "books", Some("author_id")).await;
    assert_eq!(
        counts_of(&found, "reviews"),
        reference(&reviews, &all_books)
    );
}

/// A cancelled scan stops with "cancelled", not a partial answer.
async fn cancelled(db: &Db) {
    db.exec(UNDECLARED).await;
    db.exec(&random_library(5, false)).await;
    let catalog = db.catalog(&config(UNDECLARED_CONFIG)).await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let mut conn = db.conn().await;
    let err = orphans::scan(&mut conn, &catalog, &ScanOptions::default(), &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.kind, trashcan::engine::error::ErrorKind::Cancelled);
}

on_both!(cancelled, cancelled_sqlite, cancelled_postgres);

/// `trashcan orphans`: exit 0 when clean, 1 with orphans, and JSON with the counts.
async fn headless(db: &Db) {
    db.exec(UNDECLARED).await;
    db.exec(
        "INSERT INTO authors VALUES (1, 'live', NULL), (2, 'trashed', '2020-01-01 00:00:00');
         INSERT INTO books VALUES (10, 1, NULL), (11, 2, '2020-01-01 00:00:00');
         INSERT INTO reviews VALUES (100, 10, NULL);",
    )
    .await;
    let config = db.config_file(UNDECLARED_CONFIG);
    let out = db.bin(Some(&config), &["orphans"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 orphans along 2 relations"),
        "{}",
        describe(&out)
    );

    db.exec(
        "INSERT INTO books VALUES (12, 2, NULL), (13, 7, NULL);
         INSERT INTO reviews VALUES (101, 55, NULL);",
    )
    .await;
    let out = db.bin(Some(&config), &["orphans", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["orphans"], 3, "{report}");
    let books = report["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["child"].as_str().unwrap().ends_with("books"))
        .unwrap();
    assert_eq!(books["hard"], 1, "{report}");
    assert_eq!(books["soft"], 1, "{report}");
    assert_eq!(books["samples"][0]["kind"], "hard", "{report}");
    assert_eq!(books["samples"][0]["keys"][0][0], "13", "{report}");
    assert_eq!(books["samples"][0]["refers_to"][0][0], "7", "{report}");
}

on_both!(headless, headless_sqlite, headless_postgres);

/// The trashed parents whose live children are soft orphans: what a restore brings back.
async fn soft_orphan_parents(db: &Db) {
    db.exec(UNDECLARED).await;
    db.exec(
        "INSERT INTO authors VALUES (1, 'live', NULL), (2, 'trashed', '2020-01-01 00:00:00'),
             (3, 'trashed, children trashed too', '2020-01-01 00:00:00'),
             (4, 'trashed, no children', '2020-01-01 00:00:00'),
             (5, 'trashed', '2020-01-01 00:00:00');
         INSERT INTO books VALUES (10, 1, NULL), (11, 2, NULL), (12, 2, NULL),
             (13, 3, '2020-01-01 00:00:00'), (14, 5, NULL), (15, 9, NULL);",
    )
    .await;
    let catalog = db.catalog(&config(UNDECLARED_CONFIG)).await;
    let relation = catalog
        .relations
        .iter()
        .position(|r| r.child.name == "books")
        .unwrap();
    let mut conn = db.conn().await;
    let (table, keys) = orphans::soft_orphan_parents(&mut conn, &catalog, relation, 100)
        .await
        .unwrap();
    assert_eq!(table.name, "authors");
    assert_eq!(keys, vec![vec!["2".to_owned()], vec!["5".to_owned()]]);
    let (_, first) = orphans::soft_orphan_parents(&mut conn, &catalog, relation, 1)
        .await
        .unwrap();
    assert_eq!(first, vec![vec!["2".to_owned()]], "the limit holds");
}

on_both!(
    soft_orphan_parents,
    soft_orphan_parents_sqlite,
    soft_orphan_parents_postgres
);

/// Moving soft orphans to trash with their parent's deletion group: each child (and the
/// live rows under it) takes its own parent's time, author, reason and token, so that
/// restoring the parent with its group brings the child back.
async fn trash_soft_orphans_with_their_parents(db: &Db) {
    db.exec(
        "CREATE TABLE owners (id BIGINT PRIMARY KEY, deleted_at {ts}, deleted_by TEXT,
             deletion_reason TEXT, deletion_token TEXT);
         CREATE TABLE pets (id BIGINT PRIMARY KEY, owner_id BIGINT REFERENCES owners (id),
             deleted_at {ts}, deleted_by TEXT, deletion_reason TEXT, deletion_token TEXT);
         CREATE TABLE toys (id BIGINT PRIMARY KEY, pet_id BIGINT REFERENCES pets (id),
             deleted_at {ts}, deleted_by TEXT, deletion_reason TEXT, deletion_token TEXT);
         INSERT INTO owners VALUES (1, NULL, NULL, NULL, NULL),
             (2, '2020-01-01 10:00:00', 'ann', 'moved away', 'tok-2'),
             (3, '2021-06-01 08:00:00', 'bob', 'gdpr', 'tok-3');
         INSERT INTO pets VALUES (10, 1, NULL, NULL, NULL, NULL),
             (20, 2, NULL, NULL, NULL, NULL), (21, 2, NULL, NULL, NULL, NULL),
             (30, 3, NULL, NULL, NULL, NULL),
             (31, 3, '2019-01-01 00:00:00', 'cy', 'old', 'tok-x');
         INSERT INTO toys VALUES (200, 20, NULL, NULL, NULL, NULL);",
    )
    .await;
    let catalog = db.catalog(&config("")).await;
    let relation = catalog
        .relations
        .iter()
        .position(|r| r.child.name == "pets")
        .unwrap();
    let mut conn = db.conn().await;
    let preview = trashcan::engine::change::plan_trash_with_parents(
        &mut conn,
        &catalog,
        relation,
        &trashcan::engine::change::ChangeOptions::default(),
        "operator",
    )
    .await
    .unwrap();
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    let counts: Vec<(String, u64)> = preview
        .change
        .counts()
        .into_iter()
        .map(|(t, n)| (t.name.clone(), n))
        .collect();
    assert_eq!(counts, vec![("pets".into(), 3), ("toys".into(), 1)]);
    trashcan::engine::change::apply(
        &mut conn,
        &catalog,
        &preview.change,
        &actor(),
        Some("regroup"),
    )
    .await
    .unwrap();
    drop(conn);
    let state = |table: &str| {
        format!(
            "SELECT CAST(id AS TEXT) || '|' || COALESCE(CAST(deleted_at AS TEXT), '-') || '|' \
             || COALESCE(deleted_by, '-') || '|' || COALESCE(deletion_reason, '-') || '|' \
             || COALESCE(deletion_token, '-') FROM {table} ORDER BY id"
        )
    };
    let pets = db.strings(&state("pets")).await;
    let toys = db.strings(&state("toys")).await;
    let time = |s: &str| s.replace("+00", "").replace(".000", "");
    let pets: Vec<String> = pets.iter().map(|s| time(s)).collect();
    let toys: Vec<String> = toys.iter().map(|s| time(s)).collect();
    assert_eq!(
        pets,
        vec![
            "10|-|-|-|-",
            "20|2020-01-01 10:00:00|ann|moved away|tok-2",
            "21|2020-01-01 10:00:00|ann|moved away|tok-2",
            "30|2021-06-01 08:00:00|bob|gdpr|tok-3",
            "31|2019-01-01 00:00:00|cy|old|tok-x",
        ]
    );
    assert_eq!(toys, vec!["200|2020-01-01 10:00:00|ann|moved away|tok-2"]);
    assert_eq!(
        db.count(&format!(
            "SELECT 1 FROM {} WHERE action = 'trash' AND reason = 'regroup'",
            db.audit_table()
        ))
        .await,
        1,
        "one audit row"
    );

    // Restoring owner 2 with its group now brings pets 20 and 21 and toy 200 back.
    let mut conn = db.conn().await;
    let owners = catalog
        .tables
        .iter()
        .find(|t| t.name.name == "owners")
        .unwrap()
        .name
        .clone();
    let restore = trashcan::engine::change::plan_restore(
        &mut conn,
        &catalog,
        &owners,
        &[vec!["2".into()]],
        &trashcan::engine::change::ChangeOptions {
            with_group: true,
            ..trashcan::engine::change::ChangeOptions::default()
        },
    )
    .await
    .unwrap();
    let counts: Vec<(String, u64)> = restore
        .change
        .counts()
        .into_iter()
        .map(|(t, n)| (t.name.clone(), n))
        .collect();
    assert_eq!(
        counts,
        vec![("owners".into(), 1), ("pets".into(), 2), ("toys".into(), 1)]
    );
}

on_both!(
    trash_soft_orphans_with_their_parents,
    regroup_sqlite,
    regroup_postgres
);
