//! Concurrent writers against a running purge, on both backends: an application keeps
//! inserting live children under the rows being purged (at random, and once exactly
//! while a batch waits on the insert's lock); another operator restores rows
//! being purged; two (three) consoles purge overlapping frozen sets at the same time as
//! real processes; and (SQLite) a second process holds the write lock, shorter and
//! longer than the purge's busy_timeout. Whatever the interleaving: no orphan, nothing
//! deleted outside the frozen sets, no row deleted that a committed writer made live or
//! gave a live child, exactly one winner per row, and jobs that end `done` with exact
//! counts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[macro_use]
#[path = "../purge_db/mod.rs"]
mod purge_db;

mod inserts;
mod overlapping;
mod restores;
mod sqlite_busy;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::PgDb;
use purge_db::*;
use trashcan::db::{DbConn, DbPool, DbTarget, SessionSettings, batch_execute};
use trashcan::engine::ErrorKind;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ApplyError, Change, ChangeOptions};
use trashcan::engine::purge::{self, Progress, RunOutcome, Scope};
use trashcan::engine::sql::TableName;

fn table(db: &Db, name: &str) -> TableName {
    TableName::new(db.pg.then_some("public"), name)
}

/// Sets a flag when dropped, so a side thread stops even when the test panics.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `body` on an OS thread of its own, with its own runtime and its own pool: the
/// engine's (synchronous) progress callback may then block its worker on a gate while
/// the other writer goes on.
fn side_thread<T, F, Fut>(target: &DbTarget, body: F) -> std::thread::JoinHandle<T>
where
    T: Send + 'static,
    F: FnOnce(DbPool) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T>,
{
    let target = target.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let pool = DbPool::connect(&target, &SessionSettings::default())
                .await
                .unwrap();
            body(pool).await
        })
    })
}

/// Blocks (inside the engine's progress callback, between two batches) until `ready`.
fn gate(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out at the gate: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Rows deleted so far and rows planned for `name`, from a progress report.
fn table_progress(p: &Progress, name: &str) -> (u64, u64) {
    p.tables
        .iter()
        .find(|(t, _, _)| t.name == name)
        .map_or((0, 0), |(_, done, planned)| (*done, *planned))
}
