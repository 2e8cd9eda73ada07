//! End to end in a real pseudo-terminal: a terminal that is not UTF-8, and a terminal
//! resized (down to too small, and back) while a purge runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use std::time::Duration;

use pty::*;

#[test]
fn a_terminal_that_is_not_utf8_gets_ascii_only() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(home, &[], 160, 40, &[("LANG", "C")]);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("|users ") && s.contains("|posts ")
    });
    // users holds names such as Chloé and Ødegaard; comments hold emoji and Japanese.
    for table in ["comments", "users"] {
        tui.select_table(table);
        tui.send(b"\r");
        std::thread::sleep(Duration::from_millis(300));
        tui.send(b"\x1b");
    }
    let db = demo_db(&tui);
    let beyond_ascii = sql_int(
        &db,
        "SELECT CAST(count(*) AS TEXT) FROM users WHERE name GLOB '*[^ -~]*'",
        &[],
    );
    assert!(beyond_ascii > 0, "the demo has names beyond ASCII");
    let raw = tui.raw_text();
    let foreign: Vec<char> = raw.chars().filter(|c| !c.is_ascii()).take(10).collect();
    assert!(
        foreign.is_empty(),
        "non-ASCII reached the terminal: {foreign:?}"
    );
    assert!(raw.contains('?'), "data beyond ASCII is shown as `?`");
    quit_and_assert_terminal_restored(&mut tui);
}

#[test]
fn resized_mid_purge_the_job_goes_on_and_the_screen_follows() {
    let home = tempfile::tempdir().unwrap();
    // Small batches with a pause, so the purge lasts while the window changes.
    let config = slow_purge_config(&home, 10, "1s");
    let mut tui = Tui::spawn_with(home, &["--config", &config], 180, 48, &[]);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│products ")
    });
    let db = demo_db(&tui);
    let old_trash = || sql_int(&db, OLD_PRODUCTS_DUE, &[]);
    assert!(old_trash() > 0, "the demo has old trashed products");
    tui.select_table("products");
    tui.send(b"p");
    tui.wait_until("the plan", STEP, |s| s.contains("rows in all"));
    tui.send(b"\r");
    tui.wait_for("Type products to confirm", STEP);
    tui.send(b"products\r");
    tui.wait_for("Reason (", STEP);
    tui.send(b"resize test\r");
    tui.wait_for("Purge job 1 · running", STEP);

    tui.resize(70, 18);
    let small = tui.wait_until("a redraw at 70x18", STEP, |s| s.contains("Purge job 1"));
    assert!(
        small.lines().all(|l| l.chars().count() <= 70),
        "drawn wider than the terminal:\n{small}"
    );
    tui.resize(20, 5);
    tui.wait_for("too small", STEP);
    let during = old_trash();
    tui.resize(180, 48);
    let screen = tui.wait_until("the finished job", Duration::from_secs(60), |s| {
        s.contains("Purge job 1 · done")
    });
    assert!(screen.contains("│products "), "{screen}");
    assert!(during > 0, "the purge ended before the resizes");
    assert_eq!(old_trash(), 0, "the purge went on to the end");
    quit_and_assert_terminal_restored(&mut tui);
}
