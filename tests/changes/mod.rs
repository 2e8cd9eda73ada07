//! Plumbing for the restore and move-to-trash tests: one database on either backend
//! with the console's bookkeeping tables, and helpers that read rows back as text.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::{PgDb, SqliteDb, conn};
use diesel::connection::InstrumentationEvent;
use trashcan::config::Config;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::db::{DbConn, DbPool, DbTarget, SessionSettings, rows};
use trashcan::engine::audit::Actor;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{
    self, Applied, ApplyError, Blocker, Change, ChangeOptions, ChangePreview,
};
use trashcan::engine::sql::TableName;
use trashcan::engine::{EngineError, ErrorKind};

/// A table's rows, every column as text.
pub type Rows = Vec<Vec<Option<String>>>;

pub struct Db {
    pub pool: DbPool,
    pub target: DbTarget,
    pub pg: bool,
    pub _keep: (Option<PgDb>, Option<SqliteDb>),
}

impl Db {
    pub async fn sqlite() -> Db {
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

    pub async fn postgres(db: PgDb) -> Db {
        let target = db.target();
        migrate::run(&target, MigrationSet::Console).await.unwrap();
        Db {
            pool: db.pool().await,
            target,
            pg: true,
            _keep: (Some(db), None),
        }
    }

    pub fn t(&self, name: &str) -> TableName {
        TableName::new(self.pg.then_some("public"), name)
    }

    /// Runs a setup script; `{ts}` stands for the backend's timestamp type and `{now}`
    /// for the current time in it.
    pub async fn exec(&self, sql: &str) {
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

    pub async fn catalog(&self) -> Catalog {
        let mut c = conn(&self.pool).await;
        Catalog::load(&mut c, &Config::default()).await.unwrap()
    }

    pub async fn column(&self, sql: &str) -> Vec<Option<String>> {
        let mut c = conn(&self.pool).await;
        rows::query(&mut c, sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.text(0))
            .collect()
    }

    pub async fn plan_restore(
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

    pub async fn plan_trash(
        &self,
        catalog: &Catalog,
        table: &str,
        keys: &[&str],
        options: &ChangeOptions,
    ) -> ChangePreview {
        let mut c = conn(&self.pool).await;
        change::plan_trash(&mut c, catalog, &self.t(table), &split_keys(keys), options)
            .await
            .unwrap()
    }

    pub async fn apply(
        &self,
        catalog: &Catalog,
        planned: &Change,
        reason: Option<&str>,
    ) -> Result<Applied, ApplyError> {
        let mut c = conn(&self.pool).await;
        change::apply(&mut c, catalog, planned, &actor(), reason).await
    }

    /// Every row of a query, every cell as text.
    pub async fn rows(&self, sql: &str) -> Rows {
        let mut c = conn(&self.pool).await;
        rows::query(&mut c, sql, &[])
            .await
            .unwrap()
            .iter()
            .map(|r| (0..r.len()).map(|i| r.text(i)).collect())
            .collect()
    }

    /// The first column of a query, which must not be NULL.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        self.column(sql)
            .await
            .into_iter()
            .map(|v| v.expect("a NULL where a value was expected"))
            .collect()
    }

    /// Every column of every row of `table`, as text, in key order: what "exactly as
    /// before" is compared on.
    pub async fn dump(&self, table: &str) -> Rows {
        let catalog = self.catalog().await;
        let info = catalog
            .table(&self.t(table))
            .unwrap_or_else(|| panic!("no table {table}"));
        let columns: Vec<String> = info
            .columns
            .iter()
            .map(|c| format!("CAST(\"{}\" AS TEXT)", c.name))
            .collect();
        let order: Vec<String> = if info.primary_key.is_empty() {
            info.columns
                .iter()
                .map(|c| format!("\"{}\"", c.name))
                .collect()
        } else {
            info.primary_key
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect()
        };
        self.rows(&format!(
            "SELECT {} FROM \"{table}\" ORDER BY {}",
            columns.join(", "),
            order.join(", ")
        ))
        .await
    }

    /// [`Db::dump`] of several tables.
    pub async fn dump_all(&self, tables: &[&str]) -> Vec<(String, Rows)> {
        let mut all = Vec::new();
        for table in tables {
            all.push(((*table).to_owned(), self.dump(table).await));
        }
        all
    }

    /// Ids of the trashed rows of a `deleted_at` table.
    pub async fn trashed(&self, table: &str) -> Vec<String> {
        self.strings(&format!(
            "SELECT CAST(id AS TEXT) FROM {table} WHERE deleted_at IS NOT NULL ORDER BY id"
        ))
        .await
    }

    /// Ids of the live rows of a `deleted_at` table.
    pub async fn live(&self, table: &str) -> Vec<String> {
        self.strings(&format!(
            "SELECT CAST(id AS TEXT) FROM {table} WHERE deleted_at IS NULL ORDER BY id"
        ))
        .await
    }

    pub fn log(&self) -> &'static str {
        if self.pg {
            "trashcan.audit_log"
        } else {
            "trashcan_audit_log"
        }
    }

    /// The audit log as `action|row_count|reason`, oldest first.
    pub async fn audit(&self) -> Vec<String> {
        self.strings(&format!(
            "SELECT action || '|' || CAST(row_count AS TEXT) || '|' || COALESCE(reason, '-') \
             FROM {} ORDER BY id",
            self.log()
        ))
        .await
    }

    /// Seconds from the value of the time column `column` of row `id` to the database's
    /// clock now.
    pub async fn age(&self, table: &str, column: &str, id: &str) -> f64 {
        let age = if self.pg {
            format!("date_part('epoch', now()) - date_part('epoch', {column})")
        } else {
            format!("unixepoch('now', 'subsec') - unixepoch({column})")
        };
        let found = self
            .strings(&format!(
                "SELECT CAST({age} AS TEXT) FROM {table} WHERE id = {id}"
            ))
            .await;
        found[0].parse().unwrap()
    }
}

pub fn split_keys(keys: &[&str]) -> Vec<Vec<String>> {
    keys.iter()
        .map(|k| k.split(',').map(Into::into).collect())
        .collect()
}

pub fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Rows per table in write order.
pub fn counts(preview: &ChangePreview) -> Vec<(String, u64)> {
    preview
        .change
        .counts()
        .into_iter()
        .map(|(t, n)| (t.name, n))
        .collect()
}

/// Rows left alone per table, by table name.
pub fn left_alone(preview: &ChangePreview) -> Vec<(String, u64)> {
    let mut left: Vec<(String, u64)> = preview
        .left_alone
        .iter()
        .map(|(t, n)| (t.name.clone(), *n))
        .collect();
    left.sort();
    left
}

/// A scenario run once on SQLite and once on PostgreSQL (skipped without a server).
#[allow(unused_macros)]
macro_rules! on_both {
    ($scenario:ident, $lite:ident, $pg:ident
     $(, ignore_sqlite = $why:literal)? $(, ignore_both = $both:literal)?) => {
        #[tokio::test(flavor = "multi_thread")]
        $(#[ignore = $why])?
        $(#[ignore = $both])?
        async fn $lite() {
            $scenario(&Db::sqlite().await).await;
        }

        #[tokio::test(flavor = "multi_thread")]
        $(#[ignore = $both])?
        async fn $pg() {
            let Some(pg) = PgDb::create(stringify!($pg)).await else {
                return;
            };
            $scenario(&Db::postgres(pg).await).await;
        }
    };
}

pub fn actor() -> Actor {
    Actor {
        os_user: "tester".into(),
        ssh_client: Some("10.1.2.3".into()),
    }
}

/// A user, a post and a comment, all trashed together.
pub const CHAIN: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, deleted_at {ts});
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id), deleted_at {ts});
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL REFERENCES posts (id), deleted_at {ts});
INSERT INTO users VALUES (1, 'ann@x', '2026-02-01 10:00:00'), (2, 'bob@x', NULL);
INSERT INTO posts VALUES (10, 1, '2026-02-01 10:00:00'), (11, 1, '2026-02-01 10:00:01'), (20, 2, NULL);
INSERT INTO comments VALUES (100, 10, '2026-02-01 10:00:01'), (110, 11, '2026-02-01 10:00:02'),
    (200, 20, NULL);
";
