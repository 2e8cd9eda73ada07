//! The purge monitor drawn from a job's progress reports, the keys that steer the job,
//! and the guard against quitting past a running purge. The app runs against a detached
//! worker handle, so the requests it sends are checked directly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::UnboundedReceiver;
use trashcan::engine::purge::{Progress, RunOutcome, Tuning};
use trashcan::engine::sql::TableName;
use trashcan::tui::app::App;
use trashcan::tui::panes::status::StatusBar;
use trashcan::tui::theme::Theme;
use trashcan::worker::{PurgeAction, PurgeRequest, PurgeResponse, Request, Response, WorkerHandle};

fn new_app() -> (App, UnboundedReceiver<Request>) {
    let (worker, requests) = WorkerHandle::detached();
    let status = StatusBar {
        backend: "sqlite".into(),
        database: "demo.sqlite3".into(),
        read_only: false,
        production: None,
        last_error: None,
        notice: None,
        link: None,
        who: Some("as tester (os tester)".into()),
    };
    (App::new(worker, status, Theme::plain(), 50), requests)
}

fn progress(state: &str, deleted: u64) -> Progress {
    let comments = TableName::new(None, "comments");
    let posts = TableName::new(None, "posts");
    Progress {
        job_id: 7,
        state: state.into(),
        tables: vec![(comments.clone(), deleted.min(900), 900), (posts, 0, 100)],
        current: Some(comments),
        pass: 0,
        deleted,
        total: 1000,
        rows_per_second: 1234.0,
        history: vec![100, 400, 900, 1200, 1300],
        eta: Some(Duration::from_secs(42)),
        batch_p50: Duration::from_millis(40),
        batch_p99: Duration::from_millis(95),
        tuning: Tuning {
            batch_size: 500,
            sleep: Duration::from_millis(50),
            adaptive: true,
            target: Duration::from_millis(80),
        },
        retries: 2,
        errors: 0,
        last_error: Some("comments: timed out (statement_timeout)".into()),
        elapsed: Duration::from_secs(75),
        throttled: Some("3 sessions waiting on locks > 2".into()),
        waiting: None,
        reconnects: 0,
    }
}

fn draw(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn press(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn sent(requests: &mut UnboundedReceiver<Request>) -> Vec<Request> {
    let mut out = Vec::new();
    while let Ok(r) = requests.try_recv() {
        out.push(r);
    }
    out
}

#[test]
fn monitor_shows_what_the_job_waits_on_and_its_reconnects() {
    let (mut app, _requests) = new_app();
    let mut waiting = progress("running", 450);
    waiting.waiting =
        Some("connection lost, reconnecting: attempt 3 in 0.8 s (no database connection)".into());
    waiting.reconnects = 2;
    app.on_response(Response::Purge(PurgeResponse::Progress(waiting.clone())));
    let screen = draw(&mut app);
    for expected in [
        "waiting: connection lost, reconnecting: attempt 3 in 0.8 s",
        "retries 2 · reconnects 2 · errors 0",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
    // Once a batch goes through, the wait line goes.
    waiting.waiting = None;
    app.on_response(Response::Purge(PurgeResponse::Progress(waiting)));
    let screen = draw(&mut app);
    assert!(!screen.contains("waiting:"), "{screen}");
}

#[test]
fn monitor_shows_the_job_and_steers_it() {
    let (mut app, mut requests) = new_app();
    app.on_response(Response::Purge(PurgeResponse::Progress(progress(
        "running", 450,
    ))));
    let screen = draw(&mut app);
    insta::assert_snapshot!("purge_monitor", screen);
    for expected in [
        "Purge job 7 · running · pass 1 · 00:01:15",
        "450 / 1,000 rows (45.0%) · 1,234 rows/s · ETA 00:00:42",
        "batch 500 (adaptive -> 80 ms) · sleep 50 ms · latency p50 40 ms, p99 95 ms",
        "holding off: 3 sessions waiting on locks > 2",
        "retries 2 · errors 0 · last error: comments: timed out (statement_timeout)",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }

    // The monitor's keys reach the job through the worker.
    while app.focus != trashcan::tui::app::Focus::Monitor {
        app.on_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    sent(&mut requests);
    for (key, action) in [
        ('p', PurgeAction::Pause),
        ('x', PurgeAction::Cancel),
        ('+', PurgeAction::ScaleBatch(2.0)),
        ('-', PurgeAction::ScaleBatch(0.5)),
        (']', PurgeAction::AddSleep(50)),
        ('[', PurgeAction::AddSleep(-50)),
    ] {
        press(&mut app, key);
        let got = sent(&mut requests);
        assert!(
            matches!(
                got.as_slice(),
                [Request::Purge(PurgeRequest::Control { job: 7, action: a })] if *a == action
            ),
            "{key:?}: {got:?}"
        );
    }
    app.on_response(Response::Purge(PurgeResponse::Progress(progress(
        "paused", 450,
    ))));
    press(&mut app, 'p');
    assert!(matches!(
        sent(&mut requests).as_slice(),
        [Request::Purge(PurgeRequest::Control {
            job: 7,
            action: PurgeAction::Resume
        })]
    ));
}

#[test]
fn quitting_past_a_running_purge_takes_a_second_q() {
    let (mut app, _requests) = new_app();
    app.on_response(Response::Purge(PurgeResponse::Progress(progress(
        "running", 10,
    ))));
    press(&mut app, 'q');
    assert!(!app.should_quit, "one q does not leave a running purge");
    let screen = draw(&mut app);
    assert!(screen.contains("a purge is running"), "{screen}");
    press(&mut app, 'q');
    assert!(app.should_quit, "a second q does");

    // Once the job has ended, q quits at once.
    let (mut app, _requests) = new_app();
    app.on_response(Response::Purge(PurgeResponse::Progress(progress(
        "running", 10,
    ))));
    app.on_response(Response::Purge(PurgeResponse::Finished {
        job: 7,
        result: Ok(RunOutcome::Done {
            deleted: 1000,
            kept: 0,
        }),
    }));
    assert!(draw(&mut app).contains("done: 1000 rows deleted"));
    press(&mut app, 'q');
    assert!(app.should_quit);
}

/// A read-only session plans by reading only: the dialog opens, shows the plan and the
/// tables this role may not delete from, and cannot be started.
#[test]
fn a_read_only_session_previews_a_purge_and_cannot_start_it() {
    let (mut app, mut requests) = new_app();
    app.status.read_only = true;
    press(&mut app, 'p');
    let generation = match sent(&mut requests).as_slice() {
        [Request::Purge(PurgeRequest::Plan { generation, .. })] => *generation,
        other => panic!("no plan asked for: {other:?}"),
    };
    let comments = trashcan::engine::purge::PlannedTable {
        schema: None,
        name: "comments".into(),
        rows: 12,
        roots: 12,
        live: 0,
        cutoff_epoch: Some(1_700_000_000.0),
        orphans_of: None,
        descendants_before: Some(1_700_000_000.0),
        age_ignored: false,
        convention: Some("timestamp deleted_at".into()),
    };
    let plan = trashcan::engine::purge::PurgePlan {
        job_id: None,
        scope: "all trash".into(),
        now_epoch: 1_800_000_000.0,
        tables: vec![comments],
        skipped: Vec::new(),
        left_out: Vec::new(),
        effects: Vec::new(),
        bytes_estimate: None,
        advice: Vec::new(),
        needs_reason: false,
        needs_approval: false,
        implied_ignored: Vec::new(),
        not_permitted: vec![TableName::new(None, "comments")],
    };
    app.on_response(Response::Purge(PurgeResponse::Plan {
        generation,
        result: Ok(plan),
    }));
    let screen = draw(&mut app);
    for expected in [
        "read-only session: a preview, planned by reading only",
        "this role may not delete from comments",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
    app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let screen = draw(&mut app);
    assert!(!screen.contains("to confirm"), "{screen}");
    assert!(sent(&mut requests).is_empty());
}
