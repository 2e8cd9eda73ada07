//! The `e` overlay: how each table was recognised, drawn from the catalog the console
//! holds, the same verdicts and reasons as `trashcan tables --explain`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use render_support::{Harness, catalog, settings, users};
use trashcan::engine::catalog::{Detection, Verdict};

fn catalog_with_verdicts() -> std::sync::Arc<trashcan::engine::catalog::Catalog> {
    let mut trash = users();
    trash.detection = Detection {
        verdict: Verdict::Convention,
        because: vec![
            "deleted_at: a nullable timestamp, NULL = live (Rails paranoia, Laravel)".into(),
            "data: 12% of rows trashed (planner statistics)".into(),
        ],
        near_misses: Vec::new(),
        proxy_suggestion: None,
    };
    let mut schedule = settings();
    schedule.name = trashcan::engine::sql::TableName::new(None, "exports");
    schedule.detection = Detection {
        verdict: Verdict::NearMiss,
        because: Vec::new(),
        near_misses: vec![(
            "delete_after".into(),
            "a scheduled deletion time, not a soft delete".into(),
        )],
        proxy_suggestion: None,
    };
    catalog(vec![trash, schedule, settings()])
}

#[test]
fn e_explains_every_verdict_and_a_shows_every_table() {
    let mut h = Harness::new(100, 30);
    h.load_catalog(catalog_with_verdicts());
    h.press(KeyCode::Char('e'));
    let screen = h.draw();
    for expected in [
        "How tables were recognised",
        "users  trash",
        "deleted_at: a nullable timestamp, NULL = live",
        "data: 12% of rows trashed",
        "exports  near miss",
        "near miss delete_after: a scheduled deletion time",
        "1 more table(s) have no column named like a deletion marker",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
    assert!(!screen.contains("settings  none"), "{screen}");

    h.press(KeyCode::Char('a'));
    let screen = h.draw();
    assert!(screen.contains("settings  none"), "{screen}");
    assert!(!screen.contains("more table(s)"), "{screen}");

    // Other keys do not leak to the panes below; Esc closes.
    h.sent();
    h.press(KeyCode::Char('p'));
    assert!(h.sent().is_empty());
    h.press(KeyCode::Esc);
    let screen = h.draw();
    assert!(!screen.contains("How tables were recognised"), "{screen}");
}

#[test]
fn the_overlay_fits_an_80_by_24_terminal() {
    let mut h = Harness::new(80, 24);
    h.load_catalog(catalog_with_verdicts());
    h.press(KeyCode::Char('e'));
    let screen = h.draw();
    assert!(screen.contains("users  trash"), "{screen}");
    assert!(screen.contains("Esc closes"), "{screen}");
    // Scrolling stops at the end of the text, and the way back starts at once.
    for _ in 0..50 {
        h.press(KeyCode::Char('j'));
    }
    let end = h.draw();
    assert!(end.contains("Override a verdict"), "{end}");
    h.press(KeyCode::Char('k'));
    assert_ne!(h.draw(), end, "one k scrolls back a line");
}
