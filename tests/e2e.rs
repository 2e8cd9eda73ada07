//! End to end: the real binary in a pseudo-terminal, its output parsed by a terminal
//! emulator (vt100), keys typed as bytes. Each test has its own data and config
//! directories, so the first run seeds its own demo database.
//!
//! Nothing here sleeps to decide an outcome: every check polls the parsed screen (or
//! the process) until it holds or a generous deadline passes, because CI runs debug
//! builds and the first start seeds the demo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use pty::*;
use trashcan::tui::keymap::{self, Context};

#[test]
fn browse_filter_inspect_and_quit() {
    let mut tui = Tui::spawn(&[], 120, 36);

    let screen = tui.wait_for("Trash bins", STARTUP);
    let screen = if screen.contains("│users ") && screen.contains("│comments ") {
        screen
    } else {
        tui.wait_until("the tables to be listed", STEP, |s| {
            s.contains("│users ") && s.contains("│comments ")
        })
    };
    // The tables pane lists the demo's tables in name order.
    let row_of = |name: &str| {
        screen
            .lines()
            .position(|l| l.starts_with(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed:\n{screen}"))
    };
    let users_row = row_of("users");
    let comments_row = row_of("comments");
    assert!(
        comments_row < users_row,
        "tables are in name order:\n{screen}"
    );

    // Last table, then into its records.
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"\r");
    let screen = tui.wait_for("whale@example.com", STEP);
    let other_emails = |s: &str| {
        s.lines()
            .filter(|l| l.contains("@example.com") && !l.contains("whale@example.com"))
            .count()
    };
    assert!(
        other_emails(&screen) > 0,
        "other trashed users are listed too:\n{screen}"
    );

    // Filter to the whale.
    tui.apply_filter("whale");
    let screen = tui.wait_until("the filtered list", STEP, |s| {
        s.contains("· filter: whale") && s.contains("│1 row on this page")
    });
    assert!(screen.contains("whale@example.com"), "{screen}");
    assert_eq!(
        other_emails(&screen),
        0,
        "only the whale matches:\n{screen}"
    );

    // Open the row.
    tui.send(b"\r");
    let screen = tui.wait_until("the whale's detail", STEP, |s| {
        s.contains("Wanda Whale") && s.contains("deletion_reason")
    });
    let reason = lines_with(&screen, "deletion_reason");
    assert!(
        reason
            .iter()
            .any(|l| l.contains("account closed on request")),
        "{screen}"
    );
    assert!(
        lines_with(&screen, " name Wanda Whale").len() == 1,
        "{screen}"
    );

    // Help lists every binding the overlay covers.
    tui.send(b"?");
    let screen = tui.wait_for("Keys (Esc closes)", STEP);
    // The overlay scrolls with j when it is taller than the terminal: read every view.
    let mut text = squash(&screen);
    for _ in 0..40 {
        tui.send(b"j");
        // Pacing only: a view missed here can only fail the checks below, never pass them.
        std::thread::sleep(std::time::Duration::from_millis(40));
        text.push_str(" | ");
        text.push_str(&squash(&tui.screen()));
    }
    for context in [
        Context::Global,
        Context::Records,
        Context::FilterInput,
        Context::Help,
    ] {
        assert!(text.contains(context.title()), "{screen}");
    }
    // Every binding, whatever its context: one the overlay leaves out is a bug (the
    // overlay has no Detail section, so such bindings must not exist yet).
    for binding in keymap::BINDINGS {
        // A long help text may wrap; its first words are on one line.
        let start: String = squash(binding.help).chars().take(20).collect();
        assert!(
            text.contains(&start),
            "help for {:?} ({start:?}) missing:\n{screen}",
            binding.action
        );
    }
    tui.send(b"\x1b");
    tui.wait_gone("Keys (Esc closes)", STEP);

    quit_and_assert_terminal_restored(&mut tui);
}

#[test]
fn unreachable_database_is_one_clear_error() {
    let mut tui = Tui::spawn(
        &["--database-url", "postgres://nobody@127.0.0.1:1/nope"],
        120,
        36,
    );
    let status = tui.wait_exit(STARTUP);
    tui.wait_for_eof(EXIT);
    let output = tui.raw_text();
    assert!(
        !status.success(),
        "exit status {status:?}; output:\n{output}"
    );
    assert_ne!(status.exit_code(), 0);
    assert!(!output.contains("panicked at"), "{output}");
    assert!(!output.contains("RUST_BACKTRACE"), "{output}");
    let errors = lines_with(&output, "cannot connect");
    assert_eq!(errors.len(), 1, "{output}");
    let error = errors[0].trim();
    assert!(error.starts_with("trashcan: "), "{error}");
    assert!(error.contains("127.0.0.1:1"), "names the target: {error}");
    // The TUI never started, so the terminal was not switched.
    assert!(!contains(output.as_bytes(), b"\x1b[?1049h"), "{output:?}");
}

#[test]
fn tiny_terminal_asks_to_enlarge_and_still_quits() {
    let mut tui = Tui::spawn(&[], 20, 5);
    let screen = tui.wait_for("enlarge", STARTUP);
    assert!(screen.contains("too small"), "{screen}");
    quit_and_assert_terminal_restored(&mut tui);
}

#[test]
fn related_counts_for_the_selected_and_marked_users() {
    let mut tui = Tui::spawn(&[], 180, 40);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    let whale = sql_int(
        &db,
        "SELECT CAST(id AS TEXT) FROM users WHERE email = 'whale@example.com'",
        &[],
    );
    let posts_of = |ids: &[i64], trashed: bool| {
        let list = vec!["CAST(? AS INTEGER)"; ids.len()].join(", ");
        let state = if trashed { "NOT NULL" } else { "NULL" };
        sql_int(
            &db,
            &format!(
                "SELECT CAST(count(*) AS TEXT) FROM posts \
                 WHERE user_id IN ({list}) AND deleted_at IS {state}"
            ),
            &ids.iter().map(i64::to_string).collect::<Vec<_>>(),
        )
    };

    // Users (the last table), then its records: the newest trashed user is selected
    // and the related pane, beside the records, reports on it.
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"\r");
    let screen = tui.wait_for("whale@example.com", STEP);
    let rows = record_rows(&screen);
    assert!(rows.len() > 1, "several trashed users:\n{screen}");
    let first: i64 = rows[0]
        .split_whitespace()
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id on the first row {:?}:\n{screen}", rows[0]));
    let title = format!("Related: users {first}");
    let screen = tui.wait_until(&format!("the report for user {first}"), STEP, |s| {
        report_done(s, &title)
    });
    let (_, pane) = right_pane(&screen);
    let (_, trashed, group) = counts_of(&pane, "total (distinct rows)").unwrap();
    assert!(
        trashed > 0 && group <= trashed,
        "user {first} has trashed dependents:\n{screen}"
    );
    let purge = pane
        .iter()
        .find(|l| l.starts_with("purge would hard-delete "))
        .unwrap();
    assert!(
        purge.contains(" rows: "),
        "the purge line names its tables: {purge:?}\n{screen}"
    );

    // Find the whale: filtering leaves one row, selected, and the related pane
    // counts its posts exactly as the database has them (the exact answer is a row per
    // table).
    tui.apply_filter("whale");
    let title = format!("Related: users {whale}");
    let label = "posts";
    let screen = tui.wait_until("the whale's related counts", STEP, |s| {
        s.contains("· filter: whale")
            && s.contains("│1 row on this page")
            && report_done(s, &title)
            && counts_of(&right_pane(s).1, label).is_some()
    });
    assert_eq!(
        record_rows(&screen).len(),
        1,
        "only the whale matches:\n{screen}"
    );
    let (_, pane) = right_pane(&screen);
    let (live, trashed, _) = counts_of(&pane, label).unwrap();
    let expected = (posts_of(&[whale], false), posts_of(&[whale], true));
    assert!(
        expected.1 > 0,
        "the demo trashes the whale's posts: {expected:?}"
    );
    assert_eq!(
        (live, trashed),
        expected,
        "(live, trashed) on {label:?}:\n{screen}"
    );

    // Clear the filter and wait for the full page before marking its first two rows.
    tui.send(b"\x1b");
    let screen = tui.wait_until("the unfiltered records", STEP, |s| {
        !s.contains("filter: whale") && s.contains(" rows on this page") && record_rows(s).len() > 1
    });
    let rows = record_rows(&screen);
    let ids: Vec<i64> = rows[..2]
        .iter()
        .map(|r| {
            r.split_whitespace()
                .next()
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("no id on {r:?}:\n{screen}"))
        })
        .collect();
    tui.send(b"  ");
    let title = "Related: 2 marked users rows";
    let screen = tui.wait_until("the report for two marked rows", STEP, |s| {
        report_done(s, title)
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains(" rows on this page · 2 marked")),
        "the footer counts the marks:\n{screen}"
    );
    let marked: Vec<i64> = record_rows(&screen)
        .iter()
        .filter_map(|r| r.strip_prefix("● "))
        .map(|r| r.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(marked, ids, "the first two rows are marked:\n{screen}");
    let (_, pane) = right_pane(&screen);
    let (live, trashed, _) =
        counts_of(&pane, label).unwrap_or_else(|| panic!("no exact {label:?} line:\n{screen}"));
    assert_eq!(
        (live, trashed),
        (posts_of(&ids, false), posts_of(&ids, true)),
        "(live, trashed) on {label:?} sums the marked users:\n{screen}"
    );

    quit_and_assert_terminal_restored(&mut tui);
}

/// The status bar says who the console acts as: the OS account of the real uid, whatever
/// `USER` and `LOGNAME` claim.
#[test]
fn the_status_bar_shows_the_real_os_account() {
    let id = std::process::Command::new("id")
        .arg("-run")
        .output()
        .expect("id(1)");
    let account = String::from_utf8_lossy(&id.stdout).trim().to_owned();
    assert_ne!(account, "boss");
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(home, &[], 160, 30, &[("USER", "boss"), ("LOGNAME", "boss")]);
    let screen = tui.wait_for(&format!("os {account}"), STARTUP);
    assert!(!screen.contains("boss"), "{screen}");
    tui.send(b"q");
    tui.wait_for_eof(EXIT);
}
