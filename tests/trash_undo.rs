//! Move to trash, every soft-delete convention, undo, rows the console may not change,
//! set-based statements, and chains of rows along a cycle, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod changes;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use changes::*;
use common::{PgDb, conn};
use diesel::connection::InstrumentationEvent;
use trashcan::db::{DbConn, DbPool, DbTarget, SessionSettings};
use trashcan::engine::ErrorKind;
use trashcan::engine::change::{self, ApplyError, Blocker, ChangeOptions};

// ---------------------------------------------------------------------------------------
// 8. Every convention, trashed and restored.

const CONVENTIONS: &str = "
CREATE TABLE ts_parent (id BIGINT PRIMARY KEY, name TEXT, deleted_at {ts}, deleted_by TEXT,
    deletion_reason TEXT);
CREATE TABLE ts_child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES ts_parent (id),
    name TEXT, deleted_at {ts}, deleted_by TEXT, deletion_reason TEXT);
CREATE TABLE flag_parent (id BIGINT PRIMARY KEY, name TEXT, is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at {ts}, deleted_by TEXT, deletion_reason TEXT);
CREATE TABLE flag_child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES flag_parent (id),
    name TEXT, is_deleted BOOLEAN NOT NULL DEFAULT FALSE, deleted_at {ts}, deleted_by TEXT,
    deletion_reason TEXT);
CREATE TABLE ms_parent (id BIGINT PRIMARY KEY, name TEXT, deleted_at_ms BIGINT NOT NULL DEFAULT 0,
    deleted_by TEXT, deletion_reason TEXT);
CREATE TABLE ms_child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES ms_parent (id),
    name TEXT, deleted_at_ms BIGINT NOT NULL DEFAULT 0, deleted_by TEXT, deletion_reason TEXT);
INSERT INTO ts_parent (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO ts_child (id, parent_id, name) VALUES (11, 1, 'a'), (12, 1, 'b'), (21, 2, 'c');
INSERT INTO flag_parent (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO flag_child (id, parent_id, name) VALUES (11, 1, 'a'), (12, 1, 'b'), (21, 2, 'c');
INSERT INTO ms_parent (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO ms_child (id, parent_id, name) VALUES (11, 1, 'a'), (12, 1, 'b'), (21, 2, 'c');
";

async fn conventions_round_trip(db: &Db) {
    db.exec(CONVENTIONS).await;
    let catalog = db.catalog().await;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for prefix in ["ts", "flag", "ms"] {
        let (parent, child) = (format!("{prefix}_parent"), format!("{prefix}_child"));
        let original = db.dump_all(&[&parent, &child]).await;
        let preview = db
            .plan_trash(&catalog, &parent, &["1"], &ChangeOptions::default())
            .await;
        assert!(preview.can_apply(), "{prefix}: {:?}", preview.blockers);
        assert_eq!(
            counts(&preview),
            vec![(parent.clone(), 1), (child.clone(), 2)],
            "{prefix}"
        );
        db.apply(&catalog, &preview.change, Some("gdpr 7"))
            .await
            .unwrap();

        // The trashed rows: parent 1 and children 11, 12, under one stamp.
        let state = match prefix {
            "ts" => "CAST(deleted_at AS TEXT)",
            "flag" => {
                "CASE WHEN is_deleted THEN 'on' ELSE 'off' END || ' ' || CAST(deleted_at AS TEXT)"
            }
            _ => "CAST(deleted_at_ms AS TEXT)",
        };
        let stamped = db
            .rows(&format!(
                "SELECT {state}, deleted_by, deletion_reason FROM {parent} WHERE id = 1 \
                 UNION ALL SELECT {state}, deleted_by, deletion_reason FROM {child} \
                 WHERE id IN (11, 12)"
            ))
            .await;
        assert_eq!(stamped.len(), 3, "{prefix}");
        for row in &stamped {
            assert_eq!(row, &stamped[0], "{prefix}: one stamp for all rows");
            assert_eq!(row[1].as_deref(), Some("tester"), "{prefix}");
            assert_eq!(row[2].as_deref(), Some("gdpr 7"), "{prefix}");
        }
        let stamp = stamped[0][0].clone().expect("a trashed row has a time");
        match prefix {
            "ms" => {
                let ms: i64 = stamp.parse().unwrap();
                assert!((ms - now_ms).abs() < 600_000, "{prefix}: {ms} vs {now_ms}");
            }
            _ => {
                if prefix == "flag" {
                    assert!(stamp.starts_with("on "), "{stamp}");
                }
                let age = db.age(&child, "deleted_at", "11").await;
                assert!((-1.0..600.0).contains(&age), "{prefix}: {age}");
            }
        }
        // Parent 2 and its child are untouched.
        let untouched = db.dump_all(&[&parent, &child]).await;
        assert_eq!(untouched[0].1[1], original[0].1[1], "{prefix}");
        assert_eq!(untouched[1].1[2], original[1].1[2], "{prefix}");

        let preview = db
            .plan_restore(&catalog, &parent, &["1"], &ChangeOptions::default())
            .await;
        assert!(preview.can_apply(), "{prefix}: {:?}", preview.blockers);
        assert_eq!(
            counts(&preview),
            vec![(parent.clone(), 1), (child.clone(), 2)],
            "{prefix}"
        );
        db.apply(&catalog, &preview.change, None).await.unwrap();
        assert_eq!(db.dump_all(&[&parent, &child]).await, original, "{prefix}");
    }
    assert_eq!(
        db.audit().await,
        strs(&[
            "trash|3|gdpr 7",
            "restore|3|-",
            "trash|3|gdpr 7",
            "restore|3|-",
            "trash|3|gdpr 7",
            "restore|3|-"
        ])
    );
}
on_both!(
    conventions_round_trip,
    conventions_round_trip_sqlite,
    conventions_round_trip_postgres
);

// ---------------------------------------------------------------------------------------
// 9. A move to trash stamps one time and one token; a restore finds exactly that group.

const FOLDERS: &str = "
CREATE TABLE folders (id BIGINT PRIMARY KEY, name TEXT, deleted_at {ts}, deletion_token TEXT);
CREATE TABLE files (id BIGINT PRIMARY KEY, folder_id BIGINT NOT NULL REFERENCES folders (id),
    name TEXT, deleted_at {ts}, deletion_token TEXT);
CREATE TABLE versions (id BIGINT PRIMARY KEY, file_id BIGINT NOT NULL REFERENCES files (id),
    deleted_at {ts}, deletion_token TEXT);
CREATE TABLE shares (id BIGINT PRIMARY KEY, folder_id BIGINT REFERENCES folders (id) ON DELETE SET NULL,
    deleted_at {ts});
CREATE TABLE notes (id BIGINT PRIMARY KEY, folder_id BIGINT NOT NULL REFERENCES folders (id), body TEXT);
CREATE TABLE note_marks (id BIGINT PRIMARY KEY, note_id BIGINT NOT NULL REFERENCES notes (id),
    deleted_at {ts});
INSERT INTO folders VALUES (1, 'docs', NULL, NULL), (2, 'pics', NULL, NULL);
INSERT INTO files VALUES (10, 1, 'a', NULL, NULL), (11, 1, 'b', NULL, NULL),
    (12, 1, 'c', '2026-01-05 08:00:00', 'old-token'), (20, 2, 'd', NULL, NULL);
INSERT INTO versions VALUES (100, 10, NULL, NULL), (120, 12, '2026-01-05 08:00:00', 'old-token'),
    (200, 20, NULL, NULL);
INSERT INTO shares VALUES (1, 1, NULL);
INSERT INTO notes VALUES (1, 1, 'hello');
INSERT INTO note_marks VALUES (1, 1, NULL);
";

const FOLDER_TABLES: &[&str] = &[
    "folders",
    "files",
    "versions",
    "shares",
    "notes",
    "note_marks",
];

async fn trash_one_stamp(db: &Db) {
    db.exec(FOLDERS).await;
    let catalog = db.catalog().await;
    let original = db.dump_all(FOLDER_TABLES).await;

    let preview = db
        .plan_trash(&catalog, "folders", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(
        counts(&preview),
        vec![
            ("folders".into(), 1),
            ("files".into(), 2),
            ("versions".into(), 1)
        ]
    );
    // Along a SET NULL key, and into a table that keeps no trash: left as they are (and
    // nothing below the table without trash is reached).
    assert_eq!(
        left_alone(&preview),
        vec![("notes".into(), 1), ("shares".into(), 1)]
    );
    db.apply(&catalog, &preview.change, None).await.unwrap();

    let stamps = db
        .rows(
            "SELECT CAST(deleted_at AS TEXT), deletion_token FROM folders WHERE id = 1 \
             UNION ALL SELECT CAST(deleted_at AS TEXT), deletion_token FROM files WHERE id IN (10, 11) \
             UNION ALL SELECT CAST(deleted_at AS TEXT), deletion_token FROM versions WHERE id = 100",
        )
        .await;
    assert_eq!(stamps.len(), 4);
    for row in &stamps {
        assert_eq!(row, &stamps[0], "one time and one token for the whole move");
    }
    let token = stamps[0][1].clone().expect("a token");
    assert_eq!(token.len(), 36, "{token}");
    assert_ne!(token, "old-token");
    assert!(stamps[0][0].is_some());
    assert!((-1.0..600.0).contains(&db.age("versions", "deleted_at", "100").await));

    // The rows trashed earlier keep their time and token; the rest is untouched.
    let now = db.dump_all(FOLDER_TABLES).await;
    assert_eq!(now[1].1[2], original[1].1[2], "file 12");
    assert_eq!(now[2].1[1], original[2].1[1], "version 120");
    assert_eq!(now[0].1[1], original[0].1[1], "folder 2");
    assert_eq!(now[1].1[3], original[1].1[3], "file 20");
    assert_eq!(now[2].1[2], original[2].1[2], "version 200");
    assert_eq!(&now[3..], &original[3..], "shares, notes and note_marks");

    // The restore brings back exactly what the move took: not file 12 (and its version).
    let preview = db
        .plan_restore(&catalog, "folders", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(
        counts(&preview),
        vec![
            ("folders".into(), 1),
            ("files".into(), 2),
            ("versions".into(), 1)
        ]
    );
    assert_eq!(left_alone(&preview), vec![("files".into(), 1)]);
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(db.dump_all(FOLDER_TABLES).await, original);
    assert_eq!(db.audit().await, strs(&["trash|4|-", "restore|4|-"]));
}
on_both!(
    trash_one_stamp,
    trash_one_stamp_sqlite,
    trash_one_stamp_postgres
);

// ---------------------------------------------------------------------------------------
// 10. Undo puts every row back exactly.

const ORDERS: &str = "
CREATE TABLE orders (id BIGINT PRIMARY KEY, total BIGINT NOT NULL,
    is_deleted BOOLEAN NOT NULL DEFAULT FALSE, deleted_at {ts}, deleted_by TEXT, deletion_reason TEXT);
CREATE TABLE payments (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders (id),
    deleted_at_ms BIGINT NOT NULL DEFAULT 0);
INSERT INTO orders VALUES (1, 500, TRUE, '2026-01-10 12:00:00', 'alice', 'duplicate'),
    (2, 700, FALSE, NULL, NULL, NULL);
INSERT INTO payments VALUES (10, 1, 1768046401000), (11, 1, 1767225600000), (20, 2, 0), (21, 2, 0);
";

async fn undo(db: &Db) {
    db.exec(ORDERS).await;
    let catalog = db.catalog().await;
    let original = db.dump_all(&["orders", "payments"]).await;

    // Order 1 was trashed by alice with payment 10 (a second later, in epoch ms);
    // payment 11 went ten days earlier.
    let preview = db
        .plan_restore(&catalog, "orders", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(
        counts(&preview),
        vec![("orders".into(), 1), ("payments".into(), 1)]
    );
    let applied = db
        .apply(&catalog, &preview.change, Some("oops"))
        .await
        .unwrap();
    assert_eq!(
        db.rows("SELECT CASE WHEN is_deleted THEN 'on' ELSE 'off' END, deleted_at, deleted_by, deletion_reason FROM orders WHERE id = 1")
            .await,
        vec![vec![Some("off".into()), None, None, None]]
    );
    assert_eq!(
        db.strings("SELECT CAST(deleted_at_ms AS TEXT) FROM payments ORDER BY id")
            .await,
        strs(&["0", "1767225600000", "0", "0"])
    );
    let reverse = applied.undo();
    assert_eq!(reverse.action(), "undo restore");
    db.apply(&catalog, &reverse, None).await.unwrap();
    assert_eq!(db.dump_all(&["orders", "payments"]).await, original);

    // And the other way: trash order 2 with its payments, then undo.
    let preview = db
        .plan_trash(&catalog, "orders", &["2"], &ChangeOptions::default())
        .await;
    assert_eq!(
        counts(&preview),
        vec![("orders".into(), 1), ("payments".into(), 2)]
    );
    let applied = db
        .apply(&catalog, &preview.change, Some("spam"))
        .await
        .unwrap();
    assert_eq!(
        db.strings("SELECT CAST(id AS TEXT) FROM payments WHERE deleted_at_ms <> 0 ORDER BY id")
            .await,
        strs(&["10", "11", "20", "21"])
    );
    let reverse = applied.undo();
    assert_eq!(reverse.action(), "undo trash");
    db.apply(&catalog, &reverse, None).await.unwrap();
    assert_eq!(db.dump_all(&["orders", "payments"]).await, original);

    assert_eq!(
        db.audit().await,
        strs(&[
            "restore|2|oops",
            "undo restore|2|-",
            "trash|3|spam",
            "undo trash|3|-"
        ])
    );
}
on_both!(undo, undo_sqlite, undo_postgres);

// ---------------------------------------------------------------------------------------
// 11. Rows the console may not change.

async fn keyless(db: &Db) {
    db.exec(
        "CREATE TABLE notes (body TEXT, deleted_at {ts});
         CREATE TABLE shelves (id BIGINT PRIMARY KEY, deleted_at {ts});
         CREATE TABLE labels (shelf_id BIGINT NOT NULL REFERENCES shelves (id), text TEXT,
             deleted_at {ts});
         INSERT INTO notes VALUES ('n', '2026-02-01 10:00:00');
         INSERT INTO shelves VALUES (1, '2026-02-01 10:00:00');
         INSERT INTO labels VALUES (1, 'x', '2026-02-01 10:00:00');",
    )
    .await;
    let catalog = db.catalog().await;
    let before = db.dump_all(&["notes", "shelves", "labels"]).await;

    let preview = db
        .plan_restore(&catalog, "notes", &["n"], &ChangeOptions::default())
        .await;
    assert!(!preview.can_apply());
    assert!(
        matches!(&preview.blockers[..], [Blocker::NotAllowed { table, rows: 1, .. }]
            if table.name == "notes"),
        "{:?}",
        preview.blockers
    );

    // A keyless table in the group blocks the restore of its parent.
    let preview = db
        .plan_restore(&catalog, "shelves", &["1"], &ChangeOptions::default())
        .await;
    assert!(!preview.can_apply());
    assert!(
        matches!(&preview.blockers[..], [Blocker::NotAllowed { table, rows: 1, reason }]
            if table.name == "labels" && reason.contains("primary key")),
        "{:?}",
        preview.blockers
    );
    assert_eq!(db.dump_all(&["notes", "shelves", "labels"]).await, before);
}
on_both!(keyless, keyless_sqlite, keyless_postgres);

#[tokio::test(flavor = "multi_thread")]
async fn no_permission_postgres() {
    let Some(pg) = PgDb::create("restore_perm").await else {
        return;
    };
    let (db_url, db_name) = (pg.url.clone(), pg.name.clone());
    let db = Db::postgres(pg).await;
    db.exec(CHAIN).await;
    let before = db.dump_all(&["users", "posts", "comments"]).await;

    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let role = format!("trashcan_restore_{}_{nanos}", std::process::id());
    common::admin_exec(&format!("CREATE ROLE \"{role}\" LOGIN")).await;
    let _guard = common::RoleGuard {
        role: role.clone(),
        db_url,
    };
    // SELECT only; USAGE on the console's schema so the write gets as far as the rows.
    db.exec(&format!(
        "GRANT SELECT ON users, posts, comments TO \"{role}\";
         GRANT USAGE ON SCHEMA trashcan TO \"{role}\";"
    ))
    .await;
    let url = format!("postgres://{role}@127.0.0.1:5432/{db_name}?sslmode=disable");
    let target = DbTarget::parse(&url).unwrap();
    let limited = Db {
        pool: DbPool::connect(&target, &SessionSettings::default())
            .await
            .unwrap(),
        target,
        pg: true,
        _keep: (None, None),
    };

    let catalog = limited.catalog().await;
    assert!(!catalog.table(&db.t("users")).unwrap().can_modify);
    let preview = limited
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(!preview.can_apply());
    let mut refused: Vec<(String, u64)> = preview
        .blockers
        .iter()
        .map(|b| match b {
            Blocker::NotAllowed { table, rows, .. } => (table.name.clone(), *rows),
            other => panic!("expected NotAllowed, got {other:?}"),
        })
        .collect();
    refused.sort();
    assert_eq!(
        refused,
        vec![
            ("comments".into(), 2),
            ("posts".into(), 2),
            ("users".into(), 1)
        ]
    );
    match limited.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Failed(e)) => assert_eq!(e.kind, ErrorKind::Permission, "{e}"),
        other => panic!("expected a permission failure, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert!(db.audit().await.is_empty());

    // Now users and posts may change, and the audit log take a row, but comments only
    // be locked: the audit row and the first two tables are written, then the third is
    // refused, and all of it rolls back.
    db.exec(&format!(
        "GRANT UPDATE, DELETE ON users, posts TO \"{role}\";
         GRANT UPDATE (id) ON comments TO \"{role}\";
         GRANT SELECT, INSERT ON trashcan.audit_log TO \"{role}\";"
    ))
    .await;
    let catalog = limited.catalog().await;
    let preview = limited
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(
        matches!(&preview.blockers[..], [Blocker::NotAllowed { table, .. }] if table.name == "comments"),
        "{:?}",
        preview.blockers
    );
    match limited.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Failed(e)) => {
            assert_eq!(e.kind, ErrorKind::Permission, "{e}");
            assert!(e.message.contains("comments"), "{e}");
        }
        other => panic!("expected a permission failure, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert!(db.audit().await.is_empty());
    drop(limited);
}

// ---------------------------------------------------------------------------------------
// 12. Pre-checks and writes are set-based: as many statements for 50 rows as for one.

async fn counted<T>(c: &mut DbConn, run: impl AsyncFnOnce(&mut DbConn) -> T) -> (T, usize) {
    let started = Arc::new(AtomicUsize::new(0));
    let seen = started.clone();
    c.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let result = run(c).await;
    c.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    (result, started.load(Ordering::SeqCst))
}

async fn set_based(db: &Db) {
    let mut sql = String::from(
        "CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
         CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
         CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
         CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id), deleted_at {ts});",
    );
    for i in 1..=51 {
        sql.push_str(&format!(
            "INSERT INTO users VALUES ({i}, 'u{i}@x', '2026-02-01 10:00:00');
             INSERT INTO posts VALUES ({i}0, {i}, '2026-02-01 10:00:00');
             INSERT INTO comments VALUES ({i}00, {i}0, '2026-02-01 10:00:01');"
        ));
    }
    db.exec(&sql).await;
    let catalog = db.catalog().await;
    let table = db.t("users");
    let options = ChangeOptions::default();
    let one = split_keys(&["1"]);
    let fifty: Vec<Vec<String>> = (2..=51).map(|i| vec![i.to_string()]).collect();

    let mut c = conn(&db.pool).await;
    let (small, small_plan) = counted(&mut c, async |c| {
        change::plan_restore(c, &catalog, &table, &one, &options)
            .await
            .unwrap()
    })
    .await;
    let (large, large_plan) = counted(&mut c, async |c| {
        change::plan_restore(c, &catalog, &table, &fifty, &options)
            .await
            .unwrap()
    })
    .await;
    assert!(small.can_apply() && large.can_apply());
    assert_eq!(small.change.rows(), 3);
    assert_eq!(large.change.rows(), 150);
    assert!(small_plan > 0);
    assert_eq!(small_plan, large_plan, "statements to preview 1 vs 50 rows");

    // More rows than one change may hold.
    let capped = ChangeOptions {
        max_rows: 100,
        ..ChangeOptions::default()
    };
    let too_large = change::plan_restore(&mut c, &catalog, &table, &fifty, &capped)
        .await
        .unwrap();
    assert!(
        matches!(&too_large.blockers[..], [Blocker::TooLarge { rows, limit: 100 }] if *rows > 100),
        "{:?}",
        too_large.blockers
    );

    let (_, small_write) = counted(&mut c, async |c| {
        change::apply(c, &catalog, &small.change, &actor(), None)
            .await
            .unwrap()
    })
    .await;
    let (_, large_write) = counted(&mut c, async |c| {
        change::apply(c, &catalog, &large.change, &actor(), None)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(small_write, large_write, "statements to write 1 vs 50 rows");
    drop(c);
    assert!(db.trashed("users").await.is_empty());
    assert!(db.trashed("posts").await.is_empty());
    assert!(db.trashed("comments").await.is_empty());
}
on_both!(set_based, set_based_sqlite, set_based_postgres);

// ---------------------------------------------------------------------------------------
// Schema shapes that once broke a change.

/// SQLite: a partial unique index whose `WHERE` starts its own line, as schema files
/// often write it, is still read with its predicate and checked for collisions.
async fn multiline_partial_index(db: &Db) {
    db.exec(
        "CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE UNIQUE INDEX users_email_live ON users (email)
WHERE deleted_at IS NULL;
INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'ann@x', NULL),
    (3, 'cy@x', '2026-02-01 10:00:00');",
    )
    .await;
    let catalog = db.catalog().await;
    let mut c = conn(&db.pool).await;
    let preview = change::plan_restore(
        &mut c,
        &catalog,
        &db.t("users"),
        &split_keys(&["1"]),
        &ChangeOptions::default(),
    )
    .await
    .expect("a restore preview of a table with a multi-line partial index");
    drop(c);
    assert!(
        matches!(&preview.blockers[..], [Blocker::Collision { live, .. }] if live == &strs(&["2"])),
        "{:?}",
        preview.blockers
    );
    let preview = db
        .plan_restore(&catalog, "users", &["3"], &ChangeOptions::default())
        .await;
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(db.live("users").await, strs(&["2", "3"]));
}
on_both!(
    multiline_partial_index,
    multiline_partial_index_sqlite,
    multiline_partial_index_postgres
);

/// A self-referencing table (replies to comments): the paths take the self-reference
/// once, so the change follows it on, row by row, until the thread ends. A move to trash
/// of a thread takes every reply at every depth, not just the direct ones, and a restore
/// brings the whole thread back exactly.
async fn self_reference(db: &Db) {
    db.exec(
        "CREATE TABLE comments (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES comments (id),
             deleted_at {ts});
         INSERT INTO comments VALUES (1, NULL, NULL), (2, 1, NULL), (3, 2, NULL), (4, 3, NULL),
             (10, NULL, NULL), (11, 10, NULL);",
    )
    .await;
    let catalog = db.catalog().await;
    let original = db.dump("comments").await;

    let preview = db
        .plan_trash(&catalog, "comments", &["1"], &ChangeOptions::default())
        .await;
    assert!(
        preview.change.rows() == 4 || preview.incomplete.is_some(),
        "the preview moves {} of the thread's 4 rows and does not say it left any: {:?}",
        preview.change.rows(),
        preview
            .change
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| r.key.join(",")))
            .collect::<Vec<_>>()
    );
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(db.trashed("comments").await, strs(&["1", "2", "3", "4"]));

    let preview = db
        .plan_restore(&catalog, "comments", &["1"], &ChangeOptions::default())
        .await;
    assert_eq!(preview.change.rows(), 4);
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(db.dump("comments").await, original);
}
on_both!(
    self_reference,
    self_reference_sqlite,
    self_reference_postgres
);
