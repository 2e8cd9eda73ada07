//! Restore on both backends: deletion groups, trashed ancestors, unique keys taken
//! meanwhile, writes that fail half-way, rows changed since the preview, and two
//! operators restoring the same rows at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod changes;

use std::sync::Arc;

use changes::*;
use common::{PgDb, conn};
use trashcan::engine::change::{self, Applied, ApplyError, Blocker, ChangeOptions};
use trashcan::engine::{EngineError, ErrorKind};

const BLOG: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
CREATE INDEX posts_user ON posts (user_id);
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id), deleted_at {ts});
CREATE INDEX comments_post ON comments (post_id);
INSERT INTO users VALUES (1, 'ann@x', '2026-01-10 12:00:00'), (2, 'bob@x', NULL);
INSERT INTO posts VALUES (10, 1, '2026-01-10 12:00:01'), (11, 1, '2026-01-01 09:00:00'), (12, 2, NULL);
INSERT INTO comments VALUES (100, 10, '2026-01-10 12:00:02'), (101, 10, NULL), (102, 11, '2026-01-01 09:00:00');
";

async fn group_restore(db: &Db) {
    db.exec(BLOG).await;
    let catalog = db.catalog().await;
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.blockers.is_empty(), "{:?}", preview.blockers);
    let counts: Vec<(String, u64)> = preview
        .change
        .counts()
        .into_iter()
        .map(|(t, n)| (t.name, n))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("users".into(), 1),
            ("posts".into(), 1),
            ("comments".into(), 1)
        ]
    );
    let left: Vec<(String, u64)> = preview
        .left_alone
        .iter()
        .map(|(t, n)| (t.name.clone(), *n))
        .collect();
    assert_eq!(left, vec![("posts".into(), 1)]);

    let mut c = conn(&db.pool).await;
    let applied = change::apply(
        &mut c,
        &catalog,
        &preview.change,
        &actor(),
        Some("ticket 42"),
    )
    .await
    .unwrap();
    drop(c);
    assert_eq!(
        db.column("SELECT CAST(id AS TEXT) FROM users WHERE deleted_at IS NULL ORDER BY id")
            .await,
        vec![Some("1".into()), Some("2".into())]
    );
    assert_eq!(
        db.column("SELECT CAST(id AS TEXT) FROM posts WHERE deleted_at IS NOT NULL ORDER BY id")
            .await,
        vec![Some("11".into())]
    );
    assert_eq!(
        db.column("SELECT CAST(id AS TEXT) FROM comments WHERE deleted_at IS NOT NULL ORDER BY id")
            .await,
        vec![Some("102".into())]
    );
    let log = if db.pg {
        "trashcan.audit_log"
    } else {
        "trashcan_audit_log"
    };
    let audit = db.column(&format!("SELECT action || '|' || os_user || '|' || ssh_client || '|' || CAST(row_count AS TEXT) || '|' || reason FROM {log}")).await;
    assert_eq!(
        audit,
        vec![Some("restore|tester|10.1.2.3|3|ticket 42".into())]
    );
    let _ = db.target.display.clone();

    // Undo puts the three rows back in the trash with their original times.
    let mut c = conn(&db.pool).await;
    change::apply(&mut c, &catalog, &applied.undo(), &actor(), None)
        .await
        .unwrap();
    drop(c);
    assert_eq!(
        db.column("SELECT CAST(count(*) AS TEXT) FROM comments WHERE deleted_at IS NOT NULL")
            .await,
        vec![Some("2".into())]
    );
    assert_eq!(
        db.column("SELECT CAST(id AS TEXT) FROM users WHERE deleted_at IS NULL")
            .await,
        vec![Some("2".into())]
    );
}
on_both!(group_restore, group_restore_sqlite, group_restore_postgres);

// ---------------------------------------------------------------------------------------
// 1. A restore brings back the deletion group only.

const GROUP_ONLY: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id), deleted_at {ts});
INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'bob@x', '2026-02-01 10:00:00'),
    (3, 'cy@x', NULL);
INSERT INTO posts VALUES
    (10, 1, '2026-02-01 10:00:01'),
    (11, 1, '2026-01-01 09:00:00'),
    (12, 1, NULL),
    (20, 2, '2026-02-01 10:00:00');
INSERT INTO comments VALUES
    (100, 10, '2026-02-01 10:00:02'),
    (101, 10, '2026-01-20 08:00:00'),
    (102, 11, '2026-02-01 10:00:00'),
    (103, 12, NULL),
    (200, 20, '2026-02-01 10:00:00');
";

/// User 1 was trashed at 10:00:00 together with post 10 and its comment 100. Post 11 was
/// trashed a month earlier (with comment 102 later, under it), comment 101 separately
/// under the group's post: all three stay trashed. User 2's group, trashed at the same
/// moment, is not touched.
async fn group_only(db: &Db) {
    db.exec(GROUP_ONLY).await;
    let catalog = db.catalog().await;

    let alone = ChangeOptions {
        with_group: false,
        ..ChangeOptions::default()
    };
    let preview = db.plan_restore(&catalog, "users", &["1"], &alone).await;
    assert_eq!(counts(&preview), vec![("users".into(), 1)]);

    let preview = db
        .plan_restore(&catalog, "users", &["1", "3"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(preview.skipped, 1, "user 3 is live already");
    assert_eq!(
        counts(&preview),
        vec![
            ("users".into(), 1),
            ("posts".into(), 1),
            ("comments".into(), 1)
        ]
    );
    assert_eq!(
        left_alone(&preview),
        vec![("comments".into(), 1), ("posts".into(), 1)]
    );
    db.apply(&catalog, &preview.change, None).await.unwrap();

    assert_eq!(db.trashed("users").await, strs(&["2"]));
    assert_eq!(db.trashed("posts").await, strs(&["11", "20"]));
    assert_eq!(db.trashed("comments").await, strs(&["101", "102", "200"]));
    // The rows left in the trash keep their times.
    assert_eq!(
        db.strings("SELECT CAST(id AS TEXT) || ' ' || CAST(deleted_at AS TEXT) FROM comments WHERE id IN (101, 102) ORDER BY id")
            .await
            .iter()
            .map(|s| s[..23].to_owned())
            .collect::<Vec<_>>(),
        strs(&["101 2026-01-20 08:00:00", "102 2026-02-01 10:00:00"])
    );
    assert_eq!(db.audit().await, strs(&["restore|3|-"]));
    // The record names every table and key, and who did it.
    let record = db
        .rows(&format!(
            "SELECT table_names, details, os_user, ssh_client, db_user FROM {}",
            db.log()
        ))
        .await;
    let record = &record[0];
    assert_eq!(record[0].as_deref(), Some("users, posts, comments"));
    let details: serde_json::Value = serde_json::from_str(record[1].as_deref().unwrap()).unwrap();
    assert_eq!(
        details,
        serde_json::json!({ "tables": [
            { "table": "users", "key_columns": ["id"], "rows": 1, "keys": [["1"]] },
            { "table": "posts", "key_columns": ["id"], "rows": 1, "keys": [["10"]] },
            { "table": "comments", "key_columns": ["id"], "rows": 1, "keys": [["100"]] },
        ]})
    );
    assert_eq!(record[2].as_deref(), Some("tester"));
    assert_eq!(record[3].as_deref(), Some("10.1.2.3"));
    if db.pg {
        assert_eq!(record[4].as_deref(), Some("postgres"));
    }
}
on_both!(group_only, group_only_sqlite, group_only_postgres);

// ---------------------------------------------------------------------------------------
// 2. Trashed ancestors: refuse, bring them back, or leave the blocked rows behind.

const AUTHORS: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id),
    user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
";

async fn ancestor_chain(db: &Db) {
    db.exec(AUTHORS).await;
    // User 1 went to the trash with both posts and both comments on post 10 (written by
    // the live user 2).
    db.exec(
        "INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'bob@x', NULL);
         INSERT INTO posts VALUES (10, 1, '2026-02-01 10:00:00'), (11, 1, '2026-02-01 10:00:00');
         INSERT INTO comments VALUES (100, 10, 2, '2026-02-01 10:00:00'),
             (101, 10, 2, '2026-02-01 10:00:00');",
    )
    .await;
    let catalog = db.catalog().await;
    let before = db.dump_all(&["users", "posts", "comments"]).await;

    let refused = db
        .plan_restore(&catalog, "comments", &["100"], &ChangeOptions::default())
        .await;
    assert!(!refused.can_apply());
    assert_eq!(refused.blockers.len(), 1, "{:?}", refused.blockers);
    match &refused.blockers[0] {
        Blocker::TrashedAncestor {
            table, keys, rows, ..
        } => {
            assert_eq!(table.name, "posts");
            assert_eq!(keys, &vec![strs(&["10"])]);
            assert_eq!(*rows, 1);
        }
        other => panic!("expected a trashed ancestor, got {other:?}"),
    }
    let text = refused.blockers[0].describe();
    assert!(text.contains("posts") && text.contains("(10)"), "{text}");
    // Forcing it anyway: the write re-checks and refuses.
    match db.apply(&catalog, &refused.change, None).await {
        Err(ApplyError::Blocked(b)) => {
            assert!(
                matches!(&b[0], Blocker::TrashedAncestor { table, .. } if table.name == "posts")
            );
        }
        other => panic!("expected Blocked, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert!(db.audit().await.is_empty());

    let chain = ChangeOptions {
        with_ancestors: true,
        ..ChangeOptions::default()
    };
    let preview = db
        .plan_restore(&catalog, "comments", &["100"], &chain)
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(
        counts(&preview),
        vec![
            ("comments".into(), 1),
            ("posts".into(), 1),
            ("users".into(), 1)
        ]
    );
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(db.live("users").await, strs(&["1", "2"]));
    // Not the post's other trashed children, nor the user's other post.
    assert_eq!(db.live("posts").await, strs(&["10"]));
    assert_eq!(db.live("comments").await, strs(&["100"]));
    assert_eq!(db.trashed("comments").await, strs(&["101"]));
    assert_eq!(db.audit().await, strs(&["restore|3|-"]));
}
on_both!(
    ancestor_chain,
    ancestor_chain_sqlite,
    ancestor_chain_postgres
);

/// User 3's group holds comment 301, written on user 4's post 40, which was trashed
/// long before: restoring it would hang it under a trashed post.
async fn leave_blocked(db: &Db) {
    db.exec(AUTHORS).await;
    db.exec(
        "INSERT INTO users VALUES (3, 'cy@x', '2026-02-01 10:00:00'), (4, 'dee@x', NULL);
         INSERT INTO posts VALUES (30, 3, '2026-02-01 10:00:00'), (40, 4, '2026-01-01 00:00:00');
         INSERT INTO comments VALUES (300, 30, 3, '2026-02-01 10:00:00'),
             (301, 40, 3, '2026-02-01 10:00:00'), (302, 30, 4, '2026-02-01 10:00:01');",
    )
    .await;
    let catalog = db.catalog().await;

    let refused = db
        .plan_restore(&catalog, "users", &["3"], &ChangeOptions::default())
        .await;
    assert_eq!(refused.blockers.len(), 1, "{:?}", refused.blockers);
    assert!(
        matches!(&refused.blockers[0], Blocker::TrashedAncestor { table, keys, .. }
            if table.name == "posts" && keys == &vec![strs(&["40"])]),
        "{:?}",
        refused.blockers
    );

    let leave = ChangeOptions {
        leave_blocked: true,
        ..ChangeOptions::default()
    };
    let preview = db.plan_restore(&catalog, "users", &["3"], &leave).await;
    assert!(preview.blockers.is_empty(), "{:?}", preview.blockers);
    // The selected table first; the others in path order, which differs per backend.
    let mut written = counts(&preview);
    assert_eq!(written[0], ("users".into(), 1));
    written[1..].sort();
    assert_eq!(written[1..], [("comments".into(), 2), ("posts".into(), 1)]);
    assert_eq!(left_alone(&preview), vec![("comments".into(), 1)]);
    db.apply(&catalog, &preview.change, Some("user asked"))
        .await
        .unwrap();
    assert_eq!(db.live("users").await, strs(&["3", "4"]));
    assert_eq!(db.trashed("posts").await, strs(&["40"]));
    assert_eq!(db.live("comments").await, strs(&["300", "302"]));
    assert_eq!(db.trashed("comments").await, strs(&["301"]));
    assert_eq!(db.audit().await, strs(&["restore|4|user asked"]));

    // A selected row is never left behind: selecting the blocked comment is a refusal.
    let refused = db
        .plan_restore(&catalog, "comments", &["301"], &leave)
        .await;
    assert!(!refused.can_apply());
    assert!(
        matches!(&refused.blockers[..], [Blocker::TrashedAncestor { table, .. }]
            if table.name == "posts"),
        "{:?}",
        refused.blockers
    );
}
on_both!(leave_blocked, leave_blocked_sqlite, leave_blocked_postgres);

// ---------------------------------------------------------------------------------------
// 3. and 4. Unique keys a live row took meanwhile.

const UNIQUE: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE UNIQUE INDEX users_email_live ON users (email) WHERE deleted_at IS NULL;
CREATE TABLE items (region TEXT NOT NULL, id BIGINT NOT NULL, sku TEXT NOT NULL,
    deleted_at_ms BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (region, id));
CREATE UNIQUE INDEX items_sku ON items (sku, deleted_at_ms);
";

async fn collisions(db: &Db) {
    db.exec(UNIQUE).await;
    db.exec(
        "INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'ann@x', NULL),
             (3, 'cy@x', '2026-02-01 10:00:00');
         INSERT INTO items VALUES ('eu', 1, 'A-1', 1768046400000), ('eu', 2, 'A-1', 0),
             ('us', 1, 'B-2', 1768046400000), ('us', 2, 'B-2', 1768046401000);",
    )
    .await;
    let catalog = db.catalog().await;
    let before = db.dump_all(&["users", "items"]).await;

    // A partial unique index: user 2 holds ann@x now.
    let preview = db
        .plan_restore(&catalog, "users", &["1", "3"], &ChangeOptions::default())
        .await;
    assert_eq!(
        preview.blockers,
        vec![Blocker::Collision {
            table: db.t("users"),
            index: "users_email_live".into(),
            columns: strs(&["email"]),
            values: vec![Some("ann@x".into())],
            restored: strs(&["1"]),
            live: strs(&["2"]),
        }]
    );
    let text = preview.blockers[0].describe();
    assert!(text.contains("live row (2)"), "{text}");
    assert!(!preview.can_apply());
    match db.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Blocked(b)) => assert_eq!(b, preview.blockers),
        other => panic!("expected Blocked, got {other:?}"),
    }

    // Epoch milliseconds in a full unique index: restoring (eu, 1) sets deleted_at_ms
    // to 0, which (eu, 2) holds with the same sku. (us, 1) collides with nobody live.
    let preview = db
        .plan_restore(
            &catalog,
            "items",
            &["eu,1", "us,1"],
            &ChangeOptions::default(),
        )
        .await;
    assert_eq!(
        preview.blockers,
        vec![Blocker::Collision {
            table: db.t("items"),
            index: "items_sku".into(),
            columns: strs(&["sku", "deleted_at_ms"]),
            values: vec![Some("A-1".into()), Some("0".into())],
            restored: strs(&["eu", "1"]),
            live: strs(&["eu", "2"]),
        }]
    );
    let text = preview.blockers[0].describe();
    assert!(text.contains("live row (eu, 2)"), "{text}");
    assert!(matches!(
        db.apply(&catalog, &preview.change, None).await,
        Err(ApplyError::Blocked(_))
    ));
    assert_eq!(db.dump_all(&["users", "items"]).await, before);
    assert!(db.audit().await.is_empty());

    // Two trashed rows with one email restored together collide with each other, not
    // with a live row: the database refuses the write, and none of it stays.
    db.exec(
        "INSERT INTO users VALUES (6, 'fay@x', '2026-02-01 10:00:00'),
             (7, 'fay@x', '2026-02-01 11:00:00');",
    )
    .await;
    let before = db.dump_all(&["users", "items"]).await;
    let preview = db
        .plan_restore(&catalog, "users", &["6", "7"], &ChangeOptions::default())
        .await;
    assert_eq!(preview.change.rows(), 2);
    match db.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Blocked(_)) => {}
        Err(ApplyError::Failed(e)) => assert_eq!(e.kind, ErrorKind::Conflict, "{e}"),
        Ok(_) => panic!("two live rows now share fay@x"),
        Err(other) => panic!("unexpected {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "items"]).await, before);
    assert!(db.audit().await.is_empty());

    // Without the colliding row the same kind of restore goes through.
    let preview = db
        .plan_restore(&catalog, "items", &["us,1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    db.apply(&catalog, &preview.change, None).await.unwrap();
    assert_eq!(
        db.strings("SELECT region || ',' || CAST(id AS TEXT) || ',' || CAST(deleted_at_ms AS TEXT) FROM items ORDER BY region, id")
            .await,
        strs(&[
            "eu,1,1768046400000",
            "eu,2,0",
            "us,1,0",
            "us,2,1768046401000"
        ])
    );
}
on_both!(collisions, collisions_sqlite, collisions_postgres);

/// The preview is clean; then another writer takes the email before the write.
async fn collision_after_preview(db: &Db) {
    db.exec(UNIQUE).await;
    db.exec("INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'bob@x', NULL);")
        .await;
    let catalog = db.catalog().await;
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);

    db.exec("INSERT INTO users VALUES (5, 'ann@x', NULL);")
        .await;
    let before = db.dump("users").await;
    match db.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Blocked(b)) => {
            assert!(
                matches!(&b[..], [Blocker::Collision { restored, live, .. }]
                    if restored == &strs(&["1"]) && live == &strs(&["5"])),
                "{b:?}"
            );
        }
        Err(ApplyError::Failed(e)) if e.kind == ErrorKind::Conflict => {}
        other => panic!("expected Blocked, got {other:?}"),
    }
    assert_eq!(db.dump("users").await, before);
    assert_eq!(db.trashed("users").await, strs(&["1"]));
    assert!(db.audit().await.is_empty());
}
on_both!(
    collision_after_preview,
    collision_after_preview_sqlite,
    collision_after_preview_postgres
);

// ---------------------------------------------------------------------------------------
// 5. and 6. A write that fails half-way, and rows that changed since the preview.

async fn trigger_refusal(db: &Db) {
    db.exec(CHAIN).await;
    if db.pg {
        db.exec(
            "CREATE FUNCTION freeze() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'frozen'; END $$;
             CREATE TRIGGER comments_frozen BEFORE UPDATE ON comments
                 FOR EACH ROW EXECUTE FUNCTION freeze();",
        )
        .await;
    } else {
        db.exec(
            "CREATE TRIGGER comments_frozen BEFORE UPDATE ON comments
             BEGIN SELECT RAISE(ABORT, 'frozen'); END;",
        )
        .await;
    }
    let catalog = db.catalog().await;
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    // Comments come last: users and posts are written before the trigger refuses.
    assert_eq!(
        counts(&preview),
        vec![
            ("users".into(), 1),
            ("posts".into(), 2),
            ("comments".into(), 2)
        ]
    );
    let before = db.dump_all(&["users", "posts", "comments"]).await;
    match db.apply(&catalog, &preview.change, Some("ticket 9")).await {
        Err(ApplyError::Failed(EngineError { message, .. })) => {
            assert!(message.contains("frozen"), "{message}");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert_eq!(db.trashed("users").await, strs(&["1"]));
    assert_eq!(db.trashed("posts").await, strs(&["10", "11"]));
    assert!(db.audit().await.is_empty());
    // The connection went back to the pool usable, outside any transaction.
    assert_eq!(
        db.strings("SELECT CAST(count(*) AS TEXT) FROM users").await,
        strs(&["2"])
    );
}
on_both!(
    trigger_refusal,
    trigger_refusal_sqlite,
    trigger_refusal_postgres
);

async fn changed_since_preview(db: &Db) {
    db.exec(CHAIN).await;
    let catalog = db.catalog().await;
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);

    // Another operator restores post 11 by hand meanwhile.
    db.exec("UPDATE posts SET deleted_at = NULL WHERE id = 11;")
        .await;
    let before = db.dump_all(&["users", "posts", "comments"]).await;
    match db.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Changed(what)) => {
            let text = what.join("; ");
            assert!(text.contains("posts") && text.contains("(11)"), "{text}");
        }
        other => panic!("expected Changed, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert_eq!(db.trashed("users").await, strs(&["1"]));
    assert_eq!(db.trashed("posts").await, strs(&["10"]));
    assert_eq!(db.trashed("comments").await, strs(&["100", "110"]));
    assert!(db.audit().await.is_empty());

    // A row deleted outright since the preview (post 11 back in the group first).
    db.exec("UPDATE posts SET deleted_at = '2026-02-01 10:00:01' WHERE id = 11;")
        .await;
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert_eq!(preview.change.rows(), 5);
    db.exec("DELETE FROM comments WHERE id = 110;").await;
    let before = db.dump_all(&["users", "posts", "comments"]).await;
    match db.apply(&catalog, &preview.change, None).await {
        Err(ApplyError::Changed(what)) => {
            let text = what.join("; ");
            assert!(text.contains("no longer exist"), "{text}");
        }
        other => panic!("expected Changed, got {other:?}"),
    }
    assert_eq!(db.dump_all(&["users", "posts", "comments"]).await, before);
    assert!(db.audit().await.is_empty());
}
on_both!(
    changed_since_preview,
    changed_since_preview_sqlite,
    changed_since_preview_postgres
);

// ---------------------------------------------------------------------------------------
// 7. Two operators apply the same preview at once.

fn lost_race(result: &Result<Applied, ApplyError>) -> bool {
    match result {
        Err(ApplyError::Changed(_)) => true,
        Err(ApplyError::Failed(e)) => e.kind == ErrorKind::Conflict,
        _ => false,
    }
}

async fn concurrent_restore(db: &Db) {
    db.exec(CHAIN).await;
    let catalog = Arc::new(db.catalog().await);
    let preview = db
        .plan_restore(&catalog, "users", &["1"], &ChangeOptions::default())
        .await;
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    let planned = Arc::new(preview.change);

    let (first, second) = if db.pg {
        // Two sessions in one task: the second blocks on the first's row locks.
        let mut a = conn(&db.pool).await;
        let mut b = conn(&db.pool).await;
        let who = actor();
        tokio::join!(
            change::apply(&mut a, &catalog, &planned, &who, Some("a")),
            change::apply(&mut b, &catalog, &planned, &who, Some("b"))
        )
    } else {
        // Two tasks: the second waits for the first's write lock (busy_timeout).
        let spawn = || {
            let (pool, catalog, planned) = (db.pool.clone(), catalog.clone(), planned.clone());
            tokio::spawn(async move {
                let mut c = conn(&pool).await;
                change::apply(&mut c, &catalog, &planned, &actor(), None).await
            })
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = tokio::join!(a, b);
        (a.unwrap(), b.unwrap())
    };
    let won = [&first, &second].iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{first:?} / {second:?}");
    assert!(
        lost_race(&first) || lost_race(&second),
        "{first:?} / {second:?}"
    );
    assert!(db.trashed("users").await.is_empty());
    assert!(db.trashed("posts").await.is_empty());
    assert!(db.trashed("comments").await.is_empty());
    assert_eq!(
        db.strings(&format!("SELECT CAST(count(*) AS TEXT) FROM {}", db.log()))
            .await,
        strs(&["1"])
    );
}
on_both!(
    concurrent_restore,
    concurrent_restore_sqlite,
    concurrent_restore_postgres
);
