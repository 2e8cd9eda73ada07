//! The worker's change slots: previews and writes answered with their generations, a
//! second write queued behind the first instead of stopping it, and a write stopped
//! mid-transaction rolled back on the server and reported as such.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::PgDb;
use tokio::sync::mpsc::UnboundedReceiver;
use trashcan::config::Config;
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::engine::change::{ApplyError, ChangeKind, ChangePreview};
use trashcan::engine::sql::TableName;
use trashcan::worker::{self, ChangeChoices, Request, Response, Slot, WorkerHandle};

const SCHEMA: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, deleted_at TIMESTAMPTZ);
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users (id),
    deleted_at TIMESTAMPTZ);
INSERT INTO users VALUES (1, '2026-01-10 12:00:00+00'), (2, '2026-01-10 12:00:00+00'),
    (3, '2026-01-10 12:00:00+00');
INSERT INTO posts VALUES (10, 1, '2026-01-10 12:00:01+00'), (20, 2, '2026-01-10 12:00:01+00'),
    (30, 3, '2026-01-10 12:00:01+00');
";

async fn next(rx: &mut UnboundedReceiver<Response>) -> Response {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("worker answered in time")
        .expect("worker alive")
}

async fn client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn count(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// A worker on `db` with its catalog loaded.
async fn worker_on(db: &PgDb) -> (WorkerHandle, UnboundedReceiver<Response>) {
    let (handle, mut rx) = worker::spawn(db.pool().await, Arc::new(Config::default()));
    handle.send(Request::LoadCatalog { generation: 1 });
    match next(&mut rx).await {
        Response::Catalog { result, .. } => assert!(result.is_ok()),
        other => panic!("expected the catalog, got {other:?}"),
    }
    (handle, rx)
}

async fn preview(
    handle: &WorkerHandle,
    rx: &mut UnboundedReceiver<Response>,
    generation: u64,
    user: &str,
) -> ChangePreview {
    handle.send(Request::PreviewChange {
        generation,
        kind: ChangeKind::Restore,
        table: TableName::new(Some("public"), "users"),
        keys: vec![vec![user.to_owned()]],
        choices: ChangeChoices {
            with_group: true,
            ..ChangeChoices::default()
        },
    });
    match next(rx).await {
        Response::ChangePreview {
            generation: g,
            result,
        } if g == generation => result.unwrap(),
        other => panic!("expected preview {generation}, got {other:?}"),
    }
}

/// Holds `posts` in SHARE mode: a restore's row locks pass, its UPDATE of posts waits.
async fn hold_posts(url: &str) -> tokio_postgres::Client {
    let blocker = client(url).await;
    blocker
        .batch_execute("BEGIN; LOCK TABLE posts IN SHARE MODE")
        .await
        .unwrap();
    blocker
}

/// Waits until this many console sessions wait on a lock.
async fn wait_for_lock_waits(watcher: &tokio_postgres::Client, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(
        watcher,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'trashcan' \
         AND wait_event_type = 'Lock' AND query LIKE 'UPDATE \"public\".\"posts\"%'",
    )
    .await
        != n
    {
        assert!(
            Instant::now() < deadline,
            "never {n} write(s) waiting on posts"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_queue_behind_each_other_and_a_stopped_write_rolls_back() {
    let Some(db) = PgDb::create("worker_changes").await else {
        return;
    };
    db.exec(SCHEMA).await;
    migrate::run(&db.target(), MigrationSet::Console)
        .await
        .unwrap();
    let (handle, mut rx) = worker_on(&db).await;
    let first = preview(&handle, &mut rx, 2, "1").await;
    assert_eq!(first.change.rows(), 2, "user 1 and post 10");
    let second = preview(&handle, &mut rx, 3, "2").await;
    let third = preview(&handle, &mut rx, 4, "3").await;
    let watcher = client(&db.url).await;

    // Two writes: the second waits for the first instead of stopping it.
    let blocker = hold_posts(&db.url).await;
    handle.send(Request::ApplyChange {
        generation: 5,
        change: Box::new(first.change.clone()),
        reason: None,
    });
    wait_for_lock_waits(&watcher, 1).await;
    handle.send(Request::ApplyChange {
        generation: 6,
        change: Box::new(second.change.clone()),
        reason: None,
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_for_lock_waits(&watcher, 1).await;
    blocker.batch_execute("COMMIT").await.unwrap();
    for expected in [5, 6] {
        match next(&mut rx).await {
            Response::ChangeApplied { generation, result } if generation == expected => {
                assert_eq!(result.unwrap().change.rows(), 2, "write {expected}");
            }
            other => panic!("expected write {expected} to commit, got {other:?}"),
        }
    }

    // A write stopped while it waits is cancelled on the server and rolled back, audit
    // row included, and it says so.
    let blocker = hold_posts(&db.url).await;
    handle.send(Request::ApplyChange {
        generation: 7,
        change: Box::new(third.change.clone()),
        reason: Some("stopped".into()),
    });
    wait_for_lock_waits(&watcher, 1).await;
    handle.send(Request::Cancel(Slot::ChangeWrite));
    match next(&mut rx).await {
        Response::ChangeApplied {
            generation: 7,
            result: Err(ApplyError::Failed(e)),
        } => assert!(e.message.contains("cancel"), "says it was cancelled: {e}"),
        other => panic!("expected the stopped write's answer, got {other:?}"),
    }
    blocker.batch_execute("COMMIT").await.unwrap();
    assert_eq!(
        count(
            &watcher,
            "SELECT count(*) FROM users WHERE deleted_at IS NULL"
        )
        .await,
        2,
        "users 1 and 2 restored, user 3 not"
    );
    assert_eq!(
        count(
            &watcher,
            "SELECT count(*) FROM posts WHERE deleted_at IS NULL"
        )
        .await,
        2
    );
    assert_eq!(
        count(&watcher, "SELECT count(*) FROM trashcan.audit_log").await,
        2,
        "only the committed writes left audit rows"
    );
}

/// A purge dry run stuck behind a lock is stopped on the server when the operator closes
/// the plan: nothing waits there any more, and no job was written.
#[tokio::test(flavor = "multi_thread")]
async fn closing_a_purge_plan_stops_it_on_the_server() {
    let Some(db) = PgDb::create("purge_plan_cancel").await else {
        return;
    };
    db.exec(SCHEMA).await;
    db.exec(
        "UPDATE users SET deleted_at = '2020-01-01'; UPDATE posts SET deleted_at = '2020-01-01'",
    )
    .await;
    migrate::run(&db.target(), MigrationSet::Console)
        .await
        .unwrap();
    let (handle, mut rx) = worker_on(&db).await;
    let blocker = client(&db.url).await;
    blocker
        .batch_execute("BEGIN; LOCK TABLE posts IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    handle.send(Request::Purge(trashcan::worker::PurgeRequest::Plan {
        generation: 9,
        scope: trashcan::engine::purge::Scope::All,
        older_than: None,
        policy: Default::default(),
    }));
    let watcher = client(&db.url).await;
    let waiting = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'trashcan' \
                   AND wait_event_type = 'Lock'";
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(&watcher, waiting).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the plan never waited on the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    handle.send(Request::Cancel(Slot::PurgePlan));
    let deadline = Instant::now() + Duration::from_secs(10);
    while count(&watcher, waiting).await > 0 {
        assert!(
            Instant::now() < deadline,
            "the stopped plan still waits on the server"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    blocker.batch_execute("COMMIT").await.unwrap();
    assert_eq!(
        count(&watcher, "SELECT count(*) FROM trashcan.purge_jobs").await,
        0,
        "a dry run, stopped, leaves no job"
    );
    // The stopped plan answers nothing; a new one answers normally.
    handle.send(Request::Purge(trashcan::worker::PurgeRequest::Plan {
        generation: 10,
        scope: trashcan::engine::purge::Scope::All,
        older_than: None,
        policy: Default::default(),
    }));
    match next(&mut rx).await {
        Response::Purge(trashcan::worker::PurgeResponse::Plan {
            generation: 10,
            result,
        }) => assert_eq!(result.unwrap().total(), 6),
        other => panic!("expected the second plan, got {other:?}"),
    }
}
