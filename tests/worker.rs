//! The worker as the UI meets it: requests in, tagged answers out, replaced work dropped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{PgDb, SqliteDb};
use trashcan::config::Config;
use trashcan::engine::filter::Filter;
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{Anchor, PageQuery};
use trashcan::worker::{self, Request, Response};

fn first_page() -> PageQuery {
    PageQuery {
        anchor: Anchor::First,
        filter: Filter::default(),
        newest_first: true,
        limit: 10,
    }
}

async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Response>) -> Response {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("worker answered in time")
        .expect("worker alive")
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_carry_generations_and_replaced_pages_never_answer() {
    let db = SqliteDb::create();
    db.exec(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, deleted_at TIMESTAMP);
         WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50)
         INSERT INTO notes SELECT i, 'note ' || i, datetime('now', '-' || i || ' hours') FROM s;",
    )
    .await;
    let (handle, mut rx) = worker::spawn(db.pool().await, Arc::new(Config::default()));
    handle.send(Request::LoadCatalog { generation: 1 });
    // A page request sent right after the catalog answer must find the table.
    match next(&mut rx).await {
        Response::Catalog {
            generation: 1,
            result,
        } => assert!(result.is_ok()),
        other => panic!("expected the catalog first, got {other:?}"),
    }
    let notes = TableName::new(None, "notes");
    for generation in 2..=6 {
        handle.send(Request::Page {
            generation,
            table: notes.clone(),
            query: first_page(),
        });
    }
    // Only the newest request is guaranteed an answer; any answer must be a real page.
    loop {
        match next(&mut rx).await {
            Response::Page {
                generation, result, ..
            } => {
                assert_eq!(result.unwrap().rows.len(), 10);
                if generation == 6 {
                    break;
                }
                assert!(generation < 6);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    handle.send(Request::Page {
        generation: 7,
        table: TableName::new(None, "missing"),
        query: first_page(),
    });
    match next(&mut rx).await {
        Response::Page {
            generation: 7,
            result,
            ..
        } => {
            assert!(result.unwrap_err().message.contains("unknown table"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

async fn active_scans(c: &mut trashcan::db::DbConn) -> i64 {
    // Filter words are bound values, so the statement text shows only ILIKE and `$n`.
    trashcan::db::rows::query(
        c,
        "SELECT CAST(count(*) AS text) FROM pg_stat_activity \
         WHERE state = 'active' AND query LIKE '%ILIKE%' AND query LIKE '%\"big\"%' \
         AND pid <> pg_backend_pid()",
        &[],
    )
    .await
    .unwrap()[0]
        .int(0)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replaced_slow_request_is_cancelled_on_the_server() {
    let Some(db) = PgDb::create("workercancel").await else {
        return;
    };
    db.exec(
        "CREATE TABLE big (id bigint PRIMARY KEY, body text, deleted_at timestamptz);
         CREATE TABLE small (id bigint PRIMARY KEY, body text, deleted_at timestamptz);
         INSERT INTO big SELECT i, 'big ' || i, now() - make_interval(secs => i)
         FROM generate_series(1, 100) i;
         INSERT INTO small SELECT i, 'small ' || i, now() - make_interval(secs => i)
         FROM generate_series(1, 100) i;",
    )
    .await;
    let (handle, mut rx) = worker::spawn(db.pool().await, Arc::new(Config::default()));
    handle.send(Request::LoadCatalog { generation: 1 });
    assert!(matches!(
        next(&mut rx).await,
        Response::Catalog { result: Ok(_), .. }
    ));
    // Another session holds the table, so the page query waits on the lock until
    // lock_timeout (5 s) unless it is cancelled: a slow query whose length is certain.
    let (locker, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    locker
        .batch_execute("BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let slow = PageQuery {
        filter: Filter::parse("zzzz-no-match").unwrap(),
        ..first_page()
    };
    handle.send(Request::Page {
        generation: 2,
        table: TableName::new(Some("public"), "big"),
        query: slow,
    });

    let pool = db.pool().await;
    let mut c = common::conn(&pool).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while active_scans(&mut c).await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the slow scan never showed up"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The operator moves on: the new request replaces the blocked one.
    handle.send(Request::Page {
        generation: 3,
        table: TableName::new(Some("public"), "small"),
        query: first_page(),
    });
    match next(&mut rx).await {
        Response::Page {
            generation: 3,
            result,
            ..
        } => assert_eq!(result.unwrap().rows.len(), 10),
        other => panic!("expected the newest page first, got {other:?}"),
    }
    // Well inside lock_timeout: only a server-side cancel ends the wait this soon.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while active_scans(&mut c).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "replaced query still runs on the server"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    locker.batch_execute("ROLLBACK").await.unwrap();
}
