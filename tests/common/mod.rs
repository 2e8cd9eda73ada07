//! Shared test plumbing: a throwaway PostgreSQL database per test, or a temp SQLite file.
//! Without a reachable server, PostgreSQL tests skip with a notice — except under CI,
//! where they must run and fail loudly instead.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU32, Ordering};

use trashcan::db::{DbConn, DbPool, DbTarget, SessionSettings};

pub const ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Runs SQL on the maintenance database (roles and other cluster-wide objects).
pub async fn admin_exec(sql: &str) {
    let (client, connection) = tokio_postgres::connect(ADMIN_URL, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client.batch_execute(sql).await.unwrap();
}

pub struct PgDb {
    pub name: String,
    pub url: String,
}

impl PgDb {
    /// Creates a fresh database, or returns `None` (after printing why) when PostgreSQL
    /// is unreachable outside CI.
    pub async fn create(tag: &str) -> Option<PgDb> {
        let admin = match tokio_postgres::connect(ADMIN_URL, tokio_postgres::NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(connection);
                client
            }
            Err(e) => {
                if std::env::var_os("CI").is_some() {
                    panic!("CI is set but PostgreSQL at {ADMIN_URL} is unreachable: {e}");
                }
                eprintln!("NOTICE: skipping PostgreSQL test `{tag}`: server unreachable ({e})");
                return None;
            }
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "trashcan_test_{}_{}_{}_{nanos}",
            tag,
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create test database");
        Some(PgDb {
            url: format!("postgres://postgres@127.0.0.1:5432/{name}?sslmode=disable"),
            name,
        })
    }

    pub fn target(&self) -> DbTarget {
        DbTarget::parse(&self.url).unwrap()
    }

    pub async fn pool(&self) -> DbPool {
        DbPool::connect(&self.target(), &SessionSettings::default())
            .await
            .unwrap()
    }

    /// Runs setup SQL over a plain client (multi-statement scripts).
    pub async fn exec(&self, sql: &str) {
        let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async context; use a private runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok((client, connection)) =
                    tokio_postgres::connect(ADMIN_URL, tokio_postgres::NoTls).await
                {
                    tokio::spawn(connection);
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

pub struct SqliteDb {
    pub dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

impl SqliteDb {
    pub fn create() -> SqliteDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite3");
        std::fs::File::create(&path).unwrap();
        SqliteDb { dir, path }
    }

    pub fn target(&self) -> DbTarget {
        DbTarget::sqlite(self.path.clone())
    }

    pub async fn pool(&self) -> DbPool {
        DbPool::connect(&self.target(), &SessionSettings::default())
            .await
            .unwrap()
    }

    pub async fn exec(&self, sql: &str) {
        let pool = self.pool().await;
        let mut conn = pool.get().await.unwrap();
        trashcan::db::batch_execute(&mut conn, sql).await.unwrap();
    }
}

pub async fn conn(pool: &DbPool) -> DbConn {
    pool.get().await.unwrap()
}

/// Drops a cluster-wide role at the end of a test, passed or failed.
pub struct RoleGuard {
    pub role: String,
    pub db_url: String,
}

impl Drop for RoleGuard {
    fn drop(&mut self) {
        let (role, url) = (self.role.clone(), self.db_url.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok((client, connection)) =
                    tokio_postgres::connect(&url, tokio_postgres::NoTls).await
                {
                    tokio::spawn(connection);
                    let _ = client
                        .batch_execute(&format!("DROP OWNED BY \"{role}\""))
                        .await;
                }
                admin_exec(&format!("DROP ROLE IF EXISTS \"{role}\"")).await;
            });
        })
        .join();
    }
}

/// Runs async setup from a synchronous test (migrations need a multi-thread runtime).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}
