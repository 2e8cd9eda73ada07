//! The audit view drawn from log pages: newest first, an entry in full with its keys,
//! the next page read (keyset on the last entry) when the selection reaches the end,
//! stale answers dropped. The app runs against a detached worker handle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use render_support::Harness;
use trashcan::engine::audit::TableKeys;
use trashcan::engine::history::{AuditQuery, AuditRecord};
use trashcan::tui::panes::audit::PAGE;
use trashcan::worker::{Request, Response, Slot};

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
    let mut h = Harness::writable(130, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, query) = only_audit(&h.sent());
    assert_eq!(query.before, None, "the newest page first");
    assert_eq!(query.limit, PAGE);
    assert!(h.draw().contains("reading the log"));

    // A full page: older entries may follow.
    let page: Vec<AuditRecord> = (0..PAGE as i64)
        .map(|i| entry(1_000 - i, if i == 0 { "restore" } else { "trash" }))
        .collect();
    h.app.on_response(Response::Audit {
        generation: generation + 100,
        result: Ok(vec![entry(1, "stale")]),
    });
    h.app.on_response(Response::Audit {
        generation,
        result: Ok(page),
    });
    let screen = h.draw();
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
    h.press(KeyCode::Enter);
    let screen = h.draw();
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
    h.press(KeyCode::Esc);
    assert!(h.draw().contains("Audit log, newest first"));

    // Reaching the last entry reads the next page, after the last one shown.
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE));
    for _ in 0..PAGE {
        h.press(KeyCode::Down);
    }
    let (next, query) = only_audit(&h.sent());
    let oldest = 1_000 - (PAGE as i64 - 1);
    assert_eq!(
        query.before,
        Some((entry(oldest, "trash").at, oldest)),
        "keyset on the last entry"
    );
    h.app.on_response(Response::Audit {
        generation: next,
        result: Ok(vec![entry(5, "purge finish")]),
    });
    h.press(KeyCode::Down);
    let screen = h.draw();
    assert!(screen.contains("201 entries"), "{screen}");
    assert!(screen.contains("purge finish"), "{screen}");
    assert!(
        h.sent().is_empty(),
        "a short page is the last: nothing more to read"
    );

    // Esc closes and stops whatever is still being read.
    h.press(KeyCode::Esc);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Cancel(Slot::Audit)]
    ));
    assert!(!h.draw().contains("Audit log"));
}

#[test]
fn an_unreadable_log_says_why() {
    let mut h = Harness::writable(130, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, _) = only_audit(&h.sent());
    h.app.on_response(Response::Audit {
        generation,
        result: Err(trashcan::engine::EngineError::other(
            "the audit log is not installed (run with --init)",
        )),
    });
    let screen = h.draw();
    assert!(
        screen.contains("cannot read the log: the audit log is not installed"),
        "{screen}"
    );
}

#[test]
fn search_reads_the_log_again_with_the_text_bound() {
    let mut h = Harness::writable(130, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let (generation, _) = only_audit(&h.sent());
    h.app.on_response(Response::Audit {
        generation,
        result: Ok(vec![entry(3, "restore"), entry(2, "trash")]),
    });
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    // Typed text goes to the line, not to the keymap: `q` and `a` do not quit or close.
    for c in "50% q'a".chars() {
        h.app
            .on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    assert!(!h.app.should_quit);
    assert!(h.draw().contains("search: 50% q'a"));
    assert!(h.sent().is_empty(), "nothing is read while typing");
    h.press(KeyCode::Enter);
    let (generation, query) = only_audit(&h.sent());
    assert_eq!(query.search.as_deref(), Some("50% q'a"));
    assert_eq!(query.before, None, "a search starts from the newest entry");
    h.app.on_response(Response::Audit {
        generation,
        result: Ok(vec![entry(2, "trash")]),
    });
    let screen = h.draw();
    assert!(
        screen.contains("1 entries matching \"50% q'a\""),
        "{screen}"
    );
    assert!(!screen.contains("restore"), "{screen}");

    // Esc while typing cancels the edit and keeps the search.
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    h.press(KeyCode::Esc);
    assert!(h.sent().is_empty());
    assert!(h.draw().contains("matching"));
    assert!(h.app.audit.is_some(), "the view is still open");
}
