//! The audit view drawn from log pages: newest first, an entry in full with its keys,
//! the next page read (keyset on the last entry) when the selection reaches the end,
//! stale answers dropped. The app runs against a detached worker handle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::UnboundedReceiver;
use trashcan::engine::audit::TableKeys;
use trashcan::engine::history::{AuditQuery, AuditRecord};
use trashcan::tui::app::App;
use trashcan::tui::panes::audit::PAGE;
use trashcan::tui::panes::status::StatusBar;
use trashcan::tui::theme::Theme;
use trashcan::worker::{Request, Response, Slot, WorkerHandle};

fn new_app() -> (App, UnboundedReceiver<Request>) {
    let (worker, requests) = WorkerHandle::detached();
    let status = StatusBar {
        backend: "sqlite".into(),
        database: "demo.sqlite3".into(),
        read_only: false,
        production: None,
        last_error: None,
        notice: None,
    };
    (App::new(worker, status, Theme::plain(), 50), requests)
}

fn draw(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(130, 30)).unwrap();
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

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn sent(requests: &mut UnboundedReceiver<Request>) -> Vec<Request> {
    let mut out = Vec::new();
    while let Ok(r) = requests.try_recv() {
        out.push(r);
    }
    out
}

fn only_audit(sent: &[Request]) -> (u64, AuditQuery) {
    match sent {
        [Request::Audit { generation, query }] => (*generation, query.clone()),
        other => panic!("expected one audit request, got {other:?}"),
    }
}

fn entry(id: i64, action: &str) -> AuditRecord {
    AuditRecord {
        id,
        at: format!("2026-11-{:02} 10:00:00", 1 + id % 28),
        at_epoch: 1_700_000_000.0 + id as f64,
        os_user: "alice".into(),
        ssh_client: Some("10.0.0.7".into()),
        db_user: "app_admin".into(),
        action: action.into(),
        table_names: "users, posts".into(),
        rows: 3,
        reason: Some("ticket 42".into()),
        job_id: None,
        context: None,
        tables: vec![
            TableKeys {
                table: "users".into(),
                key_columns: vec!["id".into()],
                rows: 1,
                keys: vec![vec!["7".into()]],
            },
            TableKeys {
                table: "posts".into(),
                key_columns: vec!["id".into()],
                rows: 2,
                keys: vec![vec!["70".into()], vec!["71".into()]],
            },
        ],
    }
}

#[test]
fn log_entry_and_next_page() {
    let (mut app, mut requests) = new_app();
    app.on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, query) = only_audit(&sent(&mut requests));
    assert_eq!(query.before, None, "the newest page first");
    assert_eq!(query.limit, PAGE);
    assert!(draw(&mut app).contains("reading the log"));

    // A full page: older entries may follow.
    let page: Vec<AuditRecord> = (0..PAGE as i64)
        .map(|i| entry(1_000 - i, if i == 0 { "restore" } else { "trash" }))
        .collect();
    app.on_response(Response::Audit {
        generation: generation + 100,
        result: Ok(vec![entry(1, "stale")]),
    });
    app.on_response(Response::Audit {
        generation,
        result: Ok(page),
    });
    let screen = draw(&mut app);
    insta::assert_snapshot!("audit_view", screen);
    assert!(!screen.contains("stale"), "{screen}");
    assert!(
        screen.contains("200 entries (older ones load as you scroll)"),
        "{screen}"
    );
    let first = screen
        .lines()
        .find(|l| l.contains("restore"))
        .expect("the newest entry");
    assert!(
        first.contains("alice from 10.0.0.7") && first.contains("users, posts · ticket 42"),
        "{first}"
    );

    // Enter: the entry in full, with its keys.
    key(&mut app, KeyCode::Enter);
    let screen = draw(&mut app);
    for expected in [
        "Audit entry 1000",
        "who      alice from 10.0.0.7",
        "role     app_admin",
        "users: 1 rows, keys (id)",
        "posts: 2 rows, keys (id)",
        "  71",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
    key(&mut app, KeyCode::Esc);
    assert!(draw(&mut app).contains("Audit log, newest first"));

    // Reaching the last entry reads the next page, after the last one shown.
    app.on_key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE));
    for _ in 0..PAGE {
        key(&mut app, KeyCode::Down);
    }
    let (next, query) = only_audit(&sent(&mut requests));
    let oldest = 1_000 - (PAGE as i64 - 1);
    assert_eq!(
        query.before,
        Some((entry(oldest, "trash").at, oldest)),
        "keyset on the last entry"
    );
    app.on_response(Response::Audit {
        generation: next,
        result: Ok(vec![entry(5, "purge finish")]),
    });
    key(&mut app, KeyCode::Down);
    let screen = draw(&mut app);
    assert!(screen.contains("201 entries"), "{screen}");
    assert!(screen.contains("purge finish"), "{screen}");
    assert!(
        sent(&mut requests).is_empty(),
        "a short page is the last: nothing more to read"
    );

    // Esc closes and stops whatever is still being read.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(
        sent(&mut requests).as_slice(),
        [Request::Cancel(Slot::Audit)]
    ));
    assert!(!draw(&mut app).contains("Audit log"));
}

#[test]
fn an_unreadable_log_says_why() {
    let (mut app, mut requests) = new_app();
    app.on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, _) = only_audit(&sent(&mut requests));
    app.on_response(Response::Audit {
        generation,
        result: Err(trashcan::engine::EngineError::other(
            "the audit log is not installed (run with --init)",
        )),
    });
    let screen = draw(&mut app);
    assert!(
        screen.contains("cannot read the log: the audit log is not installed"),
        "{screen}"
    );
}

#[test]
fn search_reads_the_log_again_with_the_text_bound() {
    let (mut app, mut requests) = new_app();
    app.on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, _) = only_audit(&sent(&mut requests));
    app.on_response(Response::Audit {
        generation,
        result: Ok(vec![entry(3, "restore"), entry(2, "trash")]),
    });
    app.on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    // Typed text goes to the line, not to the keymap: `q` and `a` do not quit or close.
    for c in "50% q'a".chars() {
        app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    assert!(!app.should_quit);
    assert!(draw(&mut app).contains("search: 50% q'a"));
    assert!(
        sent(&mut requests).is_empty(),
        "nothing is read while typing"
    );
    key(&mut app, KeyCode::Enter);
    let (generation, query) = only_audit(&sent(&mut requests));
    assert_eq!(query.search.as_deref(), Some("50% q'a"));
    assert_eq!(query.before, None, "a search starts from the newest entry");
    app.on_response(Response::Audit {
        generation,
        result: Ok(vec![entry(2, "trash")]),
    });
    let screen = draw(&mut app);
    assert!(
        screen.contains("1 entries matching \"50% q'a\""),
        "{screen}"
    );
    assert!(!screen.contains("restore"), "{screen}");

    // Esc while typing cancels the edit and keeps the search.
    app.on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    key(&mut app, KeyCode::Esc);
    assert!(sent(&mut requests).is_empty());
    assert!(draw(&mut app).contains("matching"));
    assert!(app.audit.is_some(), "the view is still open");
}
