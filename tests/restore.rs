//! Restore and move to trash on both backends: deletion groups, blockers, every
//! soft-delete convention, undo, the audit record, and conflicting writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PgDb, SqliteDb, conn};
use trashcan::config::Config;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::db::{DbPool, DbTarget, rows};
use trashcan::engine::audit::Actor;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ChangeOptions, ChangePreview};
use trashcan::engine::sql::TableName;

struct Db {
    pool: DbPool,
    target: DbTarget,
    pg: bool,
    _keep: (Option<PgDb>, Option<SqliteDb>),
}

impl Db {
    async fn sqlite() -> Db {
        let db = SqliteDb::create();
        let target = db.target();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        Db {
            pool: db.pool().await,
            target,
            pg: false,
            _keep: (None, Some(db)),
        }
    }

    async fn postgres(db: PgDb) -> Db {
        let target = db.target();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        Db {
            pool: db.pool().await,
            target,
            pg: true,
            _keep: (Some(db), None),
        }
    }

    fn t(&self, name: &str) -> TableName {
        TableName::new(self.pg.then_some("public"), name)
    }

    /// Runs a setup script; `{ts}` stands for the backend's timestamp type and `{now}`
    /// for the current time in it.
    async fn exec(&self, sql: &str) {
        let sql = sql
            .replace("{ts}", if self.pg { "TIMESTAMPTZ" } else { "TIMESTAMP" })
            .replace(
                "{now}",
                if self.pg {
                    "now()"
                } else {
                    "CURRENT_TIMESTAMP"
                },
            );
        let mut c = conn(&self.pool).await;
        trashcan::db::batch_execute(&mut c, &sql).await.unwrap();
    }

    async fn catalog(&self) -> Catalog {
        let mut c = conn(&self.pool).await;
        Catalog::load(&mut c, &Config::default()).await.unwrap()
    }

    async fn column(&self, sql: &str) -> Vec<Option<String>> {
        let mut c = conn(&self.pool).await;
        rows::query(&mut c, sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.text(0))
            .collect()
    }

    async fn plan_restore(
        &self,
        catalog: &Catalog,
        table: &str,
        keys: &[&str],
        options: &ChangeOptions,
    ) -> ChangePreview {
        let keys: Vec<Vec<String>> = keys
            .iter()
            .map(|k| k.split(',').map(Into::into).collect())
            .collect();
        let mut c = conn(&self.pool).await;
        change::plan_restore(&mut c, catalog, &self.t(table), &keys, options)
            .await
            .unwrap()
    }
}

macro_rules! on_both {
    ($scenario:ident, $lite:ident, $pg:ident) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $lite() {
            $scenario(&Db::sqlite().await).await;
        }

        #[tokio::test(flavor = "multi_thread")]
        async fn $pg() {
            let Some(pg) = PgDb::create(stringify!($pg)).await else {
                return;
            };
            $scenario(&Db::postgres(pg).await).await;
        }
    };
}

fn actor() -> Actor {
    Actor {
        os_user: "tester".into(),
        ssh_client: Some("10.1.2.3".into()),
    }
}

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
