//! The worker's view of the database link when the server stops answering: the UI is
//! told at once, with the real reason, and a read made meanwhile is answered once the
//! server is back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod net_proxy;

use std::sync::Arc;
use std::time::Duration;

use common::PgDb;
use net_proxy::Proxy;
use tokio::sync::mpsc::UnboundedReceiver;
use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::filter::Filter;
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{Anchor, PageQuery};
use trashcan::worker::link::LinkState;
use trashcan::worker::{self, Request, Response};

fn first_page() -> PageQuery {
    PageQuery {
        live: false,
        anchor: Anchor::First,
        filter: Filter::default(),
        newest_first: true,
        limit: 10,
    }
}

/// The next answer; the pool's own wait for a session is 15 s, so 40 s is plenty.
async fn next(rx: &mut UnboundedReceiver<Response>) -> Response {
    tokio::time::timeout(Duration::from_secs(40), rx.recv())
        .await
        .expect("worker answered in time")
        .expect("worker alive")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connect_is_reported_at_once_and_the_waiting_read_is_answered_when_back() {
    let Some(db) = PgDb::create("link_refused").await else {
        return;
    };
    db.exec(
        "CREATE TABLE notes (id bigint PRIMARY KEY, body text, deleted_at timestamptz);
         INSERT INTO notes SELECT i, 'note ' || i, now() - i * interval '1 hour'
           FROM generate_series(1, 30) AS i;",
    )
    .await;
    let proxy = Proxy::start("127.0.0.1:5432").await;
    let target = DbTarget::parse(&proxy.url(&db.url)).unwrap();
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let (handle, mut rx) = worker::spawn(pool, Arc::new(Config::default()));
    handle.send(Request::LoadCatalog { generation: 1 });
    match next(&mut rx).await {
        Response::Catalog { result: Ok(_), .. } => {}
        other => panic!("expected the catalog first, got {other:?}"),
    }
    let notes = TableName::new(Some("public"), "notes");
    let page = |generation| Request::Page {
        generation,
        table: notes.clone(),
        query: first_page(),
    };
    handle.send(page(2));
    match next(&mut rx).await {
        Response::Page {
            generation: 2,
            result: Ok(p),
            ..
        } => assert_eq!(p.rows.len(), 10),
        other => panic!("expected the first page, got {other:?}"),
    }

    // The server goes away: open sessions break and new ones are turned down.
    proxy.refuse(true);
    proxy.cut();
    handle.send(page(3));
    // The pool would keep the read waiting for 15 s and then say only that it timed
    // out; the UI hears first, and why.
    match next(&mut rx).await {
        Response::Link(LinkState::Lost { why, .. }) => {
            assert!(
                !why.contains("timed out"),
                "the pool's timeout, not the reason: {why}"
            );
        }
        other => panic!("expected the lost link before anything else, got {other:?}"),
    }

    proxy.refuse(false);
    let (mut back, mut answered) = (false, false);
    while !(back && answered) {
        match next(&mut rx).await {
            Response::Link(LinkState::Back { .. }) => back = true,
            // Lost again while the watcher's own try was turned down: it goes on.
            Response::Link(LinkState::Lost { .. }) => assert!(!back, "lost after back"),
            Response::Page {
                generation: 3,
                result,
                ..
            } => {
                let page = result.expect("the read waited for the link and was answered");
                assert_eq!(page.rows.len(), 10);
                answered = true;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
