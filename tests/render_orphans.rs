//! The orphans view drawn from scan answers, its keys, and stale answers dropped. The app
//! runs against a detached worker handle, so the requests it sends are checked directly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use render_support::Harness;
use trashcan::engine::orphans::{OrphanCounts, OrphanRow, RelationOrphans};
use trashcan::engine::sql::TableName;
use trashcan::worker::{OrphanSamples, Request, Response, Slot};

fn scan_generation(sent: &[Request]) -> u64 {
    match sent {
        [Request::ScanOrphans { generation }] => *generation,
        other => panic!("expected one scan request, got {other:?}"),
    }
}

fn relation(
    index: usize,
    child: &str,
    parent: &str,
    hard: u64,
    soft: Option<u64>,
) -> RelationOrphans {
    RelationOrphans {
        relation: index,
        child: TableName::new(None, child),
        parent: TableName::new(None, parent),
        path: format!("{child}.{parent}_id → {parent}.id"),
        declared: index != 2,
        counts: Ok(OrphanCounts {
            hard,
            soft,
            took: Duration::from_millis(12 + index as u64),
        }),
    }
}

fn scan() -> Vec<RelationOrphans> {
    vec![
        relation(0, "comments", "posts", 0, Some(0)),
        relation(1, "likes", "posts", 1_234, Some(5)),
        relation(2, "attachments", "posts", 3, None),
        RelationOrphans {
            counts: Err("no permission to read payments".into()),
            ..relation(3, "payments", "orders", 0, None)
        },
    ]
}

#[test]
fn scan_drill_down_and_close() {
    let mut h = Harness::writable(120, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
    let generation = scan_generation(&h.sent());
    assert!(h.draw().contains("scanning every relation"));

    // A stale answer (an older generation) is dropped.
    h.app.on_response(Response::Orphans {
        generation: generation - 1,
        result: Ok(vec![relation(0, "stale", "posts", 99, Some(99))]),
    });
    assert!(!h.draw().contains("stale"));

    h.app.on_response(Response::Orphans {
        generation,
        result: Ok(scan()),
    });
    let screen = h.draw();
    insta::assert_snapshot!("orphans_view", screen);
    for expected in [
        "1,242 orphans along 4 relations · 1 could not be scanned",
        "likes.posts_id → posts.id",
        "1,234",
        "attachments.posts_id → posts.id (config)",
        "no permission to read payments",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }

    // Enter on the second relation lists its orphans.
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let listing = match h.sent().as_slice() {
        [
            Request::OrphanSamples {
                generation,
                relation: 1,
            },
        ] => *generation,
        other => panic!("expected samples of relation 1, got {other:?}"),
    };
    h.app.on_response(Response::OrphanSamples {
        generation: listing,
        relation: 1,
        result: Ok(OrphanSamples {
            hard: vec![OrphanRow {
                key: vec!["7".into(), "42".into()],
                refers_to: vec!["42".into()],
            }],
            soft: Vec::new(),
        }),
    });
    let screen = h.draw();
    assert!(
        screen.contains("Orphans of likes.posts_id → posts.id"),
        "{screen}"
    );
    assert!(screen.contains("key 7, 42  → points at 42"), "{screen}");
    assert!(
        screen.contains("soft: live, under a trashed parent (0)"),
        "{screen}"
    );

    // Esc steps back to the relations, stopping the listing; r scans again.
    h.press(KeyCode::Esc);
    assert!(matches!(
        h.sent().as_slice(),
        [Request::Cancel(Slot::OrphanSamples)]
    ));
    assert!(h.draw().contains("1,242 orphans along 4 relations"));
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE));
    let again = scan_generation(&h.sent());
    assert!(again > generation);
    assert!(h.draw().contains("scanning again"));

    // Esc closes the view and stops the scan; q then quits as usual.
    h.press(KeyCode::Esc);
    let stopped = h.sent();
    assert!(
        stopped
            .iter()
            .any(|r| matches!(r, Request::Cancel(Slot::Orphans))),
        "{stopped:?}"
    );
    assert!(!h.draw().contains("Orphans"));
    assert!(!h.app.should_quit);
}

#[test]
fn a_failed_scan_says_why() {
    let mut h = Harness::writable(120, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
    let generation = scan_generation(&h.sent());
    h.app.on_response(Response::Orphans {
        generation,
        result: Err(trashcan::engine::EngineError::connection(
            "connection closed",
        )),
    });
    let screen = h.draw();
    assert!(
        screen.contains("scan failed: connection closed"),
        "{screen}"
    );
}

#[test]
fn restoring_the_parents_of_soft_orphans_opens_the_restore_preview() {
    let mut h = Harness::writable(120, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
    let generation = scan_generation(&h.sent());
    h.app.on_response(Response::Orphans {
        generation,
        result: Ok(scan()),
    });
    // The first relation has no soft orphans: nothing to restore.
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT));
    assert!(h.sent().is_empty());
    assert!(h.draw().contains("no soft orphans along this relation"));

    h.press(KeyCode::Down);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT));
    let lookup = match h.sent().as_slice() {
        [
            Request::SoftOrphanParents {
                generation,
                relation: 1,
            },
        ] => *generation,
        other => panic!("expected the parents of relation 1, got {other:?}"),
    };
    let posts = TableName::new(None, "posts");
    h.app.on_response(Response::SoftOrphanParents {
        generation: lookup,
        result: Ok((posts.clone(), vec![vec!["7".into()], vec!["9".into()]])),
    });
    match h.sent().as_slice() {
        [
            Request::PreviewChange {
                table, keys, kind, ..
            },
        ] => {
            assert_eq!(table, &posts);
            assert_eq!(keys, &vec![vec!["7".to_owned()], vec!["9".to_owned()]]);
            assert_eq!(*kind, trashcan::engine::change::ChangeKind::Restore);
        }
        other => panic!("expected a restore preview, got {other:?}"),
    }
    assert!(
        h.app.change.is_some(),
        "the restore dialog is open over the view"
    );
}

#[test]
fn trashing_soft_orphans_with_their_parents_opens_a_ready_preview() {
    let mut h = Harness::writable(120, 30);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
    let generation = scan_generation(&h.sent());
    h.app.on_response(Response::Orphans {
        generation,
        result: Ok(scan()),
    });
    h.press(KeyCode::Down);
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('T'), KeyModifiers::SHIFT));
    match h.sent().as_slice() {
        [Request::TrashSoftOrphans { relation: 1, .. }] => {}
        other => panic!("expected the soft orphans of relation 1, got {other:?}"),
    }
    let screen = h.draw();
    assert!(
        screen.contains("Move the soft orphans of likes.posts_id → posts.id to trash with"),
        "{screen}"
    );
    // The options of an ordinary move to trash do not apply to it.
    h.app
        .on_key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE));
    assert!(h.sent().is_empty(), "no other preview is asked for");
}
