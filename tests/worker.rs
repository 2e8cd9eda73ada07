//! The worker as the UI meets it: requests in, tagged answers out, replaced work dropped,
//! and the database link reported when the server stops answering.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod net_proxy;

use std::sync::Arc;
use std::time::Duration;

use common::{PgDb, SqliteDb};
use net_proxy::Proxy;
use tokio::sync::mpsc::UnboundedReceiver;
use trashcan::config::Config;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::filter::Filter;
use trashcan::engine::related::{Counts, RelatedReport};
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{Anchor, PageQuery};
use trashcan::worker::link::LinkState;
use trashcan::worker::{self, Request, Response, Slot, WorkerHandle};

fn first_page() -> PageQuery {
    PageQuery {
        live: false,
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
    // Every row is trashed, which detection takes for no marker: the config says so.
    let (config, _) = Config::parse(
        "[tables.big]\ncolumn = \"deleted_at\"\n[tables.small]\ncolumn = \"deleted_at\"\n",
        "test",
    )
    .unwrap();
    let (handle, mut rx) = worker::spawn(db.pool().await, Arc::new(config));
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
        live: false,
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

// ---------------------------------------------------------------------------------------
// Related counts: one parent table, one child table, so each preview counts one path.

/// Owners 1 and 3 are live; owner 2 was trashed with two of its items (within the
/// default two-minute recovery window) and a third item trashed long before.
const OWNERS: &str = "
CREATE TABLE owner (id INTEGER PRIMARY KEY, deleted_at {ts});
CREATE TABLE item (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owner (id),
    deleted_at {ts});
INSERT INTO owner VALUES (1, NULL), (2, '2024-05-01 12:00:00'), (3, NULL);
INSERT INTO item VALUES
    (10, 1, NULL), (11, 1, NULL), (12, 1, '2024-01-01 00:00:00'),
    (20, 2, NULL), (21, 2, NULL), (22, 2, NULL),
    (23, 2, '2024-05-01 12:00:30'), (24, 2, '2024-05-01 11:59:10'),
    (25, 2, '2024-01-01 00:00:00'),
    (30, 3, NULL), (31, 3, NULL), (32, 3, NULL), (33, 3, NULL),
    (34, 3, '2024-01-01 00:00:00'), (35, 3, '2024-02-01 00:00:00'),
    (36, 3, '2024-03-01 00:00:00');
";

/// The items under one owner: (live, trashed, trashed with the owner).
fn expected(owner: u64) -> Counts {
    let (live, trashed, same_group) = match owner {
        1 => (2, 1, 0),
        2 => (3, 3, 2),
        3 => (4, 3, 0),
        _ => unreachable!("no owner {owner}"),
    };
    Counts::Exact {
        live,
        trashed,
        same_group,
    }
}

/// The owner a burst of requests selects at `generation`: the cursor moving down.
fn owner_of(generation: u64) -> u64 {
    (generation - 1) % 3 + 1
}

fn related(pg: bool, generation: u64, owner: u64) -> Request {
    Request::Related {
        generation,
        table: TableName::new(pg.then_some("public"), "owner"),
        keys: vec![vec![owner.to_string()]],
        exact: false,
    }
}

/// A successful related answer: generation, report, settled. Anything else fails.
fn related_answer(response: Response) -> (u64, RelatedReport, bool) {
    match response {
        Response::Related {
            generation,
            result: Ok(report),
            settled,
        } => (generation, report, settled),
        other => panic!("expected a related answer, got {other:?}"),
    }
}

/// Answers for `generation` up to its settled one, whose counts are checked against
/// `owner`. Earlier answers (estimates first) must be for the same request; an answer
/// for any other generation fails.
async fn assert_settles(rx: &mut UnboundedReceiver<Response>, generation: u64, owner: u64) {
    loop {
        let (answered, report, settled) = related_answer(next(rx).await);
        assert_eq!(answered, generation, "only the newest request answers");
        if settled {
            assert_counts(&report, owner);
            return;
        }
        assert_eq!(report.keys, vec![vec![owner.to_string()]]);
    }
}

fn assert_counts(report: &RelatedReport, owner: u64) {
    assert_eq!(report.keys, vec![vec![owner.to_string()]]);
    assert_eq!(report.lines.len(), 1, "one path, owner → item: {report:?}");
    assert_eq!(report.lines[0].counts, expected(owner), "owner {owner}");
}

/// Nothing has been answered so far.
fn assert_silent(rx: &mut UnboundedReceiver<Response>) {
    if let Ok(response) = rx.try_recv() {
        panic!("expected no answer, got {response:?}");
    }
}

/// Takes the answers already in, each of which must be an unsettled one for
/// `generation`: a request answers its first pass (figures still open: here nothing
/// counted on the locked table) before its exact counts run, so a count stuck in its
/// exact pass has answered once. An answer from any other request fails.
fn take_first_answers(rx: &mut UnboundedReceiver<Response>, generation: u64) {
    while let Ok(response) = rx.try_recv() {
        let (answered, report, settled) = related_answer(response);
        assert_eq!(answered, generation, "only the newest request answers");
        assert!(!settled, "settled on a locked table: {report:?}");
        assert!(report.needs_exact(), "{report:?}");
    }
}

/// Nothing is answered for a while.
async fn assert_quiet_for(rx: &mut UnboundedReceiver<Response>, wait: Duration) {
    if let Ok(response) = tokio::time::timeout(wait, rx.recv()).await {
        panic!("expected no answer, got {response:?}");
    }
}

/// A worker on `pool` with its catalog loaded.
async fn worker_on(pool: DbPool) -> (WorkerHandle, UnboundedReceiver<Response>) {
    let (handle, mut rx) = worker::spawn(pool, Arc::new(Config::default()));
    handle.send(Request::LoadCatalog { generation: 0 });
    match next(&mut rx).await {
        Response::Catalog { result: Ok(_), .. } => {}
        other => panic!("expected the catalog first, got {other:?}"),
    }
    (handle, rx)
}

/// A statement one of the worker's sessions is running, as pg_stat_activity shows it.
/// Once the catalog is loaded, only related jobs run statements in these tests.
#[derive(Debug, Clone)]
#[allow(dead_code, reason = "pid and query are there for failure messages")]
struct Running {
    pid: i32,
    /// `query_start`, in microseconds since the epoch (server clock).
    started_us: i64,
    /// How long it has run, by the server's clock.
    age_ms: i64,
    on_lock: bool,
    query: String,
}

/// The PostgreSQL side of the related tests: the database, a worker whose sessions
/// wait a full minute on a lock (so a blocked statement ends early only if cancelled),
/// a session watching pg_stat_activity, and one that locks the child table.
struct PgRelated {
    _db: PgDb,
    handle: WorkerHandle,
    rx: UnboundedReceiver<Response>,
    watcher: tokio_postgres::Client,
    locker: tokio_postgres::Client,
}

/// Blocked this long, a statement is past any short, time-limited first pass and in a
/// wait that only lock_timeout (a minute here) or a cancel ends.
const SETTLED_IN_WAIT_MS: i64 = 500;

/// Well inside the minute's lock_timeout: only a cancel ends a blocked statement this soon.
const CANCEL_WITHIN: Duration = Duration::from_secs(2);

impl PgRelated {
    /// `idle` connections are opened up front. The pool hands idle connections out
    /// oldest first, so with two, a job following a cancelled one runs on the other
    /// connection. With one, it reuses the cancelled job's connection, where a cancel
    /// can still land after the statement it was meant for has ended (see
    /// `a_cancel_for_a_replaced_count_never_hits_the_next_request`).
    async fn create(tag: &str, idle: usize) -> Option<PgRelated> {
        let db = PgDb::create(tag).await?;
        db.exec(&OWNERS.replace("{ts}", "timestamptz")).await;
        let settings = SessionSettings {
            statement_timeout: Duration::from_secs(60),
            lock_timeout: Duration::from_secs(60),
            ..SessionSettings::default()
        };
        let pool = DbPool::connect(&db.target(), &settings).await.unwrap();
        let mut warm = Vec::new();
        for _ in 0..idle {
            warm.push(common::conn(&pool).await);
        }
        drop(warm);
        let (handle, rx) = worker_on(pool).await;
        let client = || async {
            let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client
        };
        let (watcher, locker) = (client().await, client().await);
        Some(PgRelated {
            _db: db,
            handle,
            rx,
            watcher,
            locker,
        })
    }

    /// Holds `item` exclusively, so every related statement waits on it.
    async fn lock_items(&self) {
        self.locker
            .batch_execute("BEGIN; LOCK TABLE item IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
    }

    async fn release_items(&self) {
        self.locker.batch_execute("ROLLBACK").await.unwrap();
    }

    /// The statements the worker's sessions run right now. Never more than one: the
    /// worker runs one job per slot, a job one statement at a time on one connection,
    /// and the next job starts only when the stopped one has ended on the server too.
    ///
    /// "Ended" is when the worker has the statement's answer (its error, once
    /// cancelled). The server sends that answer before it rolls the statement back and
    /// reads the client's Sync, and only then shows the session as idle: on a loaded
    /// machine the old statement can still show as active for a moment while the next
    /// job's first one starts. So two at once are looked at again: a statement the
    /// worker did not wait for is still there (waiting on the lock, or counting); one
    /// the worker already has the answer of is gone.
    async fn sample(&self) -> Vec<Running> {
        let mut running = self.activity().await;
        for _ in 0..10 {
            if running.len() <= 1 {
                return running;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            let again = self.activity().await;
            let stayed = again
                .iter()
                .filter(|a| {
                    running
                        .iter()
                        .any(|r| r.pid == a.pid && r.started_us == a.started_us)
                })
                .count();
            assert!(
                stayed <= 1,
                "more than one related statement at once, still after 100 ms: \
                 {running:#?} then {again:#?}"
            );
            running = again;
        }
        panic!("more than one related statement at once for a second: {running:#?}");
    }

    async fn activity(&self) -> Vec<Running> {
        let rows = self
            .watcher
            .query(
                "SELECT pid, CAST(extract(epoch FROM query_start) * 1000000 AS bigint), \
                 CAST(extract(epoch FROM clock_timestamp() - query_start) * 1000 AS bigint), \
                 wait_event_type IS NOT DISTINCT FROM 'Lock', query \
                 FROM pg_stat_activity \
                 WHERE datname = current_database() AND application_name = 'trashcan' \
                 AND state = 'active' AND pid <> pg_backend_pid()",
                &[],
            )
            .await
            .unwrap();
        rows.iter()
            .map(|row| Running {
                pid: row.get(0),
                started_us: row.get(1),
                age_ms: row.get(2),
                on_lock: row.get(3),
                query: row.get(4),
            })
            .collect()
    }

    /// The server's clock, in the unit of `Running::started_us`.
    async fn now_us(&self) -> i64 {
        self.watcher
            .query_one(
                "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint)",
                &[],
            )
            .await
            .unwrap()
            .get(0)
    }

    /// Samples until `done` holds, failing after `within` (saying what, if anything,
    /// the worker answered meanwhile).
    async fn wait_until(
        &mut self,
        within: Duration,
        what: &str,
        done: impl Fn(&[Running]) -> bool,
    ) -> Vec<Running> {
        let deadline = std::time::Instant::now() + within;
        loop {
            let running = self.sample().await;
            if done(&running) {
                return running;
            }
            if std::time::Instant::now() >= deadline {
                let answered = self.rx.try_recv().ok();
                panic!(
                    "not within {within:?}: {what}; running: {running:#?}; answered: {answered:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for the statement of a request sent at `sent_us` or later to wait on the
    /// lock for `SETTLED_IN_WAIT_MS`, and returns it.
    async fn stuck_since(&mut self, sent_us: i64, what: &str) -> Running {
        self.wait_until(Duration::from_secs(10), what, |r| {
            r.len() == 1
                && r[0].on_lock
                && r[0].started_us > sent_us
                && r[0].age_ms >= SETTLED_IN_WAIT_MS
        })
        .await
        .remove(0)
    }

    /// Waits until no statement started before `us` runs any more.
    async fn gone_before(&mut self, us: i64, what: &str) {
        self.wait_until(CANCEL_WITHIN, what, |r| r.iter().all(|r| r.started_us > us))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_related_count_blocked_on_a_lock_is_cancelled_on_the_server_when_the_selection_moves() {
    let Some(mut pg) = PgRelated::create("relatedmove", 2).await else {
        return;
    };
    pg.lock_items().await;
    let sent_first = pg.now_us().await;
    pg.handle.send(related(true, 1, 1));
    let first = pg
        .stuck_since(sent_first, "owner 1's count waits on the lock")
        .await;
    take_first_answers(&mut pg.rx, 1);

    // The cursor moves to owner 2.
    let moved = pg.now_us().await;
    pg.handle.send(related(true, 2, 2));
    pg.gone_before(
        moved,
        "owner 1's blocked statement is cancelled on the server",
    )
    .await;
    // Owner 2's request was queued behind it and starts only now, on the lock too.
    let second = pg
        .wait_until(
            CANCEL_WITHIN,
            "owner 2's count starts and waits on the lock",
            |r| r.len() == 1 && r[0].on_lock,
        )
        .await
        .remove(0);
    assert!(second.started_us > moved, "{first:?} then {second:?}");
    // A stopped job answers nothing, not even "cancelled"; owner 2's may have answered
    // its first pass by now.
    take_first_answers(&mut pg.rx, 2);

    pg.release_items().await;
    assert_settles(&mut pg.rx, 2, 2).await;
    assert_quiet_for(&mut pg.rx, Duration::from_millis(300)).await;
    assert!(pg.sample().await.is_empty());
}

/// Holding `j` over a slow count: 200 requests in bursts of four, each burst sent while
/// the running count waits on the lock. Each burst stops that count and replaces its
/// queued request three times over; the one starting next must be the burst's newest
/// (started after it was sent), no sample ever sees two statements at once, nothing
/// answers while the table is locked, and after the lock goes only the very last
/// request answers, with its owner's counts.
#[tokio::test(flavor = "multi_thread")]
async fn holding_j_over_a_slow_count_runs_one_at_a_time_and_answers_only_the_last() {
    let Some(mut pg) = PgRelated::create("relatedhold", 2).await else {
        return;
    };
    let started = std::time::Instant::now();
    pg.lock_items().await;
    let last = 200;
    let mut burst_sent_us = pg.now_us().await;
    for generation in 1..=last {
        pg.handle
            .send(related(true, generation, owner_of(generation)));
        if generation % 4 == 0 {
            pg.wait_until(
                CANCEL_WITHIN,
                "the burst's newest request's count waits on the lock",
                |r| r.len() == 1 && r[0].on_lock && r[0].started_us > burst_sent_us,
            )
            .await;
            burst_sent_us = pg.now_us().await;
        }
    }
    // Nothing could finish on the locked table, and stopped jobs answer nothing (the
    // newest may have answered its first pass).
    take_first_answers(&mut pg.rx, last);

    pg.release_items().await;
    assert_settles(&mut pg.rx, last, owner_of(last)).await;
    assert_quiet_for(&mut pg.rx, Duration::from_millis(300)).await;
    assert!(pg.sample().await.is_empty());
    eprintln!("burst of {last}: {:?}", started.elapsed());
}

/// Holding `j` as fast as requests can be sent, on a single pooled connection: 3000
/// requests (a pg_stat_activity sample after every fourth) while the child table is
/// locked, so no count can finish. Only the newest request may answer, and the
/// statement left running must be its own (started after it was sent).
///
/// A cancel request is asynchronous and names a backend, not a statement, so one sent
/// for a replaced job (a) can reach the server before that job's statement starts, which
/// would then wait out lock_timeout and hold the slot, or (b) can land after that
/// statement ended and cancel the next job's statement on the same connection. The
/// worker repeats its cancel until the job's work is over and closes the session
/// afterwards; without either, this test fails most runs.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_for_a_replaced_count_never_hits_the_next_request() {
    let Some(mut pg) = PgRelated::create("relatedburst", 1).await else {
        return;
    };
    pg.lock_items().await;
    let last = 3000;
    let mut last_sent_us = 0;
    for generation in 1..=last {
        if generation == last {
            last_sent_us = pg.now_us().await;
        }
        pg.handle
            .send(related(true, generation, owner_of(generation)));
        if generation % 4 == 0 {
            pg.sample().await;
        }
    }
    pg.wait_until(
        CANCEL_WITHIN,
        "the replaced requests' statements end and the newest one's waits on the lock",
        |r| r.len() == 1 && r[0].on_lock && r[0].started_us > last_sent_us,
    )
    .await;
    take_first_answers(&mut pg.rx, last);
    pg.release_items().await;
    assert_settles(&mut pg.rx, last, owner_of(last)).await;
}

/// The same burst on SQLite, where nothing blocks and statements cannot be cancelled:
/// jobs still run one at a time, so the answers that do come arrive oldest first, each
/// right for its own owner, far fewer than the requests, and the newest one always
/// answers last.
#[tokio::test(flavor = "multi_thread")]
async fn holding_j_on_sqlite_answers_in_order_and_always_the_last() {
    let db = SqliteDb::create();
    db.exec(&OWNERS.replace("{ts}", "TIMESTAMP")).await;
    let (handle, mut rx) = worker_on(db.pool().await).await;
    let started = std::time::Instant::now();
    let last = 200;
    for generation in 1..=last {
        handle.send(related(false, generation, owner_of(generation)));
        // Now and then the key repeat pauses long enough for a count to finish.
        if generation % 50 == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let mut answered: Vec<u64> = Vec::new();
    loop {
        let (generation, report, settled) = related_answer(next(&mut rx).await);
        if let Some(&before) = answered.last() {
            assert!(
                generation >= before,
                "answers out of order: {generation} after {answered:?}"
            );
        }
        if !settled {
            continue;
        }
        assert_counts(&report, owner_of(generation));
        answered.push(generation);
        if generation == last {
            break;
        }
    }
    assert_quiet_for(&mut rx, Duration::from_millis(300)).await;
    eprintln!(
        "burst of {last}: answered {answered:?} in {:?}",
        started.elapsed()
    );
    assert!(
        answered.len() < 20,
        "replaced requests piled up: {answered:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_a_blocked_related_count_and_drops_the_queued_one() {
    let Some(mut pg) = PgRelated::create("relatedcancel", 2).await else {
        return;
    };
    pg.lock_items().await;
    let sent = pg.now_us().await;
    pg.handle.send(related(true, 1, 1));
    pg.stuck_since(sent, "owner 1's count waits on the lock")
        .await;
    take_first_answers(&mut pg.rx, 1);
    let cancelled = pg.now_us().await;
    pg.handle.send(Request::Cancel(Slot::Related));
    // Cancelled on the server, with the lock still held, and nothing takes its place.
    pg.gone_before(cancelled, "the cancelled statement leaves the server")
        .await;
    for _ in 0..10 {
        let running = pg.sample().await;
        assert!(running.is_empty(), "{running:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_silent(&mut pg.rx);

    // A running count and a queued request: Cancel stops the one and drops the other.
    let sent = pg.now_us().await;
    pg.handle.send(related(true, 2, 2));
    pg.stuck_since(sent, "owner 2's count waits on the lock")
        .await;
    take_first_answers(&mut pg.rx, 2);
    pg.handle.send(related(true, 3, 3));
    pg.handle.send(Request::Cancel(Slot::Related));
    // Were owner 3's request left queued, it would start once owner 2's statement
    // ended, and wait on the lock in its turn.
    pg.wait_until(
        CANCEL_WITHIN,
        "both requests are gone",
        <[Running]>::is_empty,
    )
    .await;
    pg.release_items().await;
    // With the lock gone, a job that had survived, or a request left queued, would
    // answer now.
    assert_quiet_for(&mut pg.rx, Duration::from_millis(500)).await;
    let running = pg.sample().await;
    assert!(running.is_empty(), "{running:#?}");

    // The slot is free again; an exact request counts the same on these small tables.
    pg.handle.send(Request::Related {
        generation: 4,
        table: TableName::new(Some("public"), "owner"),
        keys: vec![vec!["1".to_owned()]],
        exact: true,
    });
    assert_settles(&mut pg.rx, 4, 1).await;
}

/// A related request that arrives before the catalog gets an answer, not silence.
#[tokio::test(flavor = "multi_thread")]
async fn a_related_request_before_the_catalog_is_answered() {
    let db = SqliteDb::create();
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP);")
        .await;
    let (handle, mut rx) = worker::spawn(db.pool().await, Arc::new(Config::default()));
    handle.send(Request::Related {
        generation: 1,
        table: TableName::new(None, "notes"),
        keys: vec![vec!["1".into()]],
        exact: false,
    });
    match next(&mut rx).await {
        Response::Related {
            generation: 1,
            result: Err(e),
            settled: true,
        } => assert!(e.message.contains("catalog"), "{e}"),
        other => panic!("expected an error answer, got {other:?}"),
    }
}

/// The server goes away while the console browses: the UI is told at once, with the
/// real reason, and a read made meanwhile is answered once the server is back.
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
    let (handle, mut rx) = worker_on(pool).await;
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
