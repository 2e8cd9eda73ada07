//! End to end: a restore made by `trashcan restore` beside a running console shows up in
//! the console's audit view (`a`): newest first, with who, the action, the reason, and
//! in full with the keys it touched; Esc steps back and closes; q restores the terminal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use std::process::{Command, Stdio};

use pty::*;

#[test]
fn a_headless_restore_appears_in_the_audit_view() {
    let mut tui = Tui::spawn(&[], 160, 44);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    let user = sql_int(
        &db,
        "SELECT CAST(min(id) AS TEXT) FROM users WHERE deleted_at IS NOT NULL",
        &[],
    );
    let home = db.parent().unwrap().to_path_buf();
    let out = Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .arg("--database-url")
        .arg(format!("sqlite:{}", db.display()))
        .args(["restore", "--table", "users", "--key", &user.to_string()])
        .args(["--reason", "e2e audit trail"])
        .env("HOME", &home)
        .env("USER", "auditor")
        .env_remove("SUDO_USER")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    tui.send(b"a");
    let screen = tui.wait_until("the log", STEP, |s| {
        s.contains("Audit log, newest first") && s.contains("e2e audit trail")
    });
    let line = squash(lines_with(&screen, "e2e audit trail")[0]);
    assert!(
        line.contains("auditor") && line.contains("restore"),
        "the newest entry says who and what: {line}"
    );
    // The newest entry is the first row, so Enter opens it.
    tui.send(b"\r");
    let screen = tui.wait_for("Audit entry", STEP);
    assert!(screen.contains("reason   e2e audit trail"), "{screen}");
    // The key sits on the line under its table's heading, inside the popup's borders.
    let lines: Vec<&str> = screen.lines().collect();
    let heading = lines
        .iter()
        .position(|l| l.contains("users: 1 rows, keys (id)"))
        .unwrap_or_else(|| panic!("no users heading: {screen}"));
    let key = lines[heading + 1].split('│').nth(2).unwrap_or("").trim();
    assert_eq!(
        key,
        user.to_string(),
        "the restored key is listed: {screen}"
    );

    tui.send(b"\x1b");
    tui.wait_for("Audit log, newest first", STEP);
    tui.send(b"\x1b");
    tui.wait_gone("Audit log", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}
