//! End to end: restoring a trashed user from the TUI, and undoing it, in a real terminal
//! session on the embedded demo database, checked against the database itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use pty::*;

/// The id at the start of a records-pane row.
fn id_of(row: &str) -> i64 {
    row.trim_start_matches(['●', ' '])
        .split_whitespace()
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id on {row:?}"))
}

/// The text inside the dialog's frame, line by line (the panes behind it cut away).
fn dialog_lines(screen: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let Some((top, left)) = lines.iter().enumerate().find_map(|(i, l)| {
        let text: String = l.iter().collect();
        ["╭ Restore", "╭ Undo", "╭ Move to trash"]
            .iter()
            .find_map(|title| text.find(title))
            .map(|byte| (i, text[..byte].chars().count()))
    }) else {
        return Vec::new();
    };
    lines[top + 1..]
        .iter()
        .take_while(|l| l.get(left) == Some(&'│'))
        .map(|l| {
            let inner: String = l[left + 1..].iter().take_while(|c| **c != '│').collect();
            inner.trim().to_owned()
        })
        .collect()
}

#[test]
fn restore_a_trashed_user_with_its_group_then_undo() {
    let mut tui = Tui::spawn(&[], 180, 44);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"\r");
    let screen = tui.wait_until("trashed users", STEP, |s| !record_rows(s).is_empty());
    let user = id_of(&record_rows(&screen)[0]);
    let live = |id: i64| {
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM users WHERE id = CAST(? AS INTEGER) AND deleted_at IS NULL",
            &[id.to_string()],
        )
    };
    let audit = |action: &str| {
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log WHERE action = ?",
            &[action.to_owned()],
        )
    };
    assert_eq!(live(user), 0, "user {user} starts in the trash");

    // The preview comes first; the demo's users usually have comments on other users'
    // trashed posts, which block until the operator chooses what to do with them.
    tui.send(b"r");
    let screen = tui.wait_until("the restore preview", STEP, |s| {
        s.contains("Restore 1 row(s) of users") && s.contains("Will come back")
    });
    assert!(screen.contains("[x] group (g)"), "{screen}");
    assert_eq!(live(user), 0, "a preview writes nothing");
    if screen.contains("Blocked") {
        assert!(
            screen.contains("are still trashed"),
            "a blocker says why:\n{screen}"
        );
        tui.send(b"\r");
        std::thread::sleep(std::time::Duration::from_millis(200));
        let screen = tui.screen();
        assert!(
            !screen.contains("Reason (optional"),
            "Enter does nothing while blocked:\n{screen}"
        );
        tui.send(b"b");
        tui.wait_until("the preview without blocked rows", STEP, |s| {
            s.contains("[x] leave blocked rows (b)")
                && s.contains("Enter: continue")
                && !s.contains("Blocked")
        });
    }
    let screen = tui.screen();
    let comes_back: i64 = dialog_lines(&screen)
        .iter()
        .skip_while(|l| !l.contains("Will come back"))
        .skip(1)
        .map_while(|l| {
            l.split_whitespace()
                .next()
                .and_then(|n| n.replace(',', "").parse::<i64>().ok())
        })
        .sum();
    assert!(comes_back >= 1, "the preview counts rows:\n{screen}");

    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"ticket 4711");
    tui.wait_for("ticket 4711", STEP);
    tui.send(b"\r");
    let screen = tui.wait_for("✓ Restored", STEP);
    assert!(
        squash(&screen).contains(&format!("Restored {comes_back} rows")),
        "restored what the preview said ({comes_back}):\n{screen}"
    );
    assert_eq!(live(user), 1, "user {user} is live again");
    assert_eq!(audit("restore"), 1);
    assert_eq!(
        sql_int(
            &db,
            "SELECT CAST(row_count AS TEXT) FROM trashcan_audit_log WHERE reason = 'ticket 4711'",
            &[],
        ),
        comes_back,
        "the audit row counts the rows"
    );

    // The page reloads without the restored user.
    tui.send(b"\r");
    tui.wait_until("the reloaded page", STEP, |s| {
        !s.contains("Will come back")
            && !record_rows(s).is_empty()
            && record_rows(s).iter().all(|r| id_of(r) != user)
    });

    // Undo puts every row back in the trash.
    tui.send(b"U");
    tui.wait_for("Will be put back as before the last change", STEP);
    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"\r");
    tui.wait_for("✓ Applied undo restore", STEP);
    assert_eq!(live(user), 0, "user {user} is back in the trash");
    assert_eq!(audit("undo restore"), 1);
    tui.send(b"\x1b");
    tui.wait_until("the user back on the page", STEP, |s| {
        !s.contains("Applied undo") && record_rows(s).iter().any(|r| id_of(r) == user)
    });

    quit_and_assert_terminal_restored(&mut tui);
}

#[test]
fn move_a_live_user_to_trash_with_its_posts_then_undo() {
    let mut tui = Tui::spawn(&[], 180, 44);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"L");
    let screen = tui.wait_until("live users", STEP, |s| {
        s.contains("Live rows: users") && !record_rows(s).is_empty()
    });
    let user = id_of(&record_rows(&screen)[0]);
    let count = |sql: &str| sql_int(&db, sql, &[user.to_string()]);
    let live_posts = count(
        "SELECT CAST(count(*) AS TEXT) FROM posts WHERE user_id = CAST(? AS INTEGER) AND deleted_at IS NULL",
    );

    tui.send(b"d");
    let screen = tui.wait_until("the trash preview", STEP, |s| {
        s.contains("Move to trash 1 row(s) of users") && s.contains("Enter: continue")
    });
    let lines = dialog_lines(&screen);
    let users_line = lines
        .iter()
        .skip_while(|l| !l.contains("Will move to trash"))
        .find(|l| l.ends_with(" users"))
        .unwrap_or_else(|| panic!("a users line:\n{screen}"));
    assert!(users_line.starts_with("1 "), "{screen}");
    if live_posts > 0 {
        assert!(
            lines.iter().any(|l| l == &format!("{live_posts}  posts")),
            "the preview counts the user's {live_posts} live posts:\n{screen}"
        );
    }
    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"GDPR request");
    tui.wait_for("GDPR request", STEP);
    tui.send(b"\r");
    tui.wait_for("✓ Moved to trash", STEP);

    assert_eq!(
        count(
            "SELECT CAST(count(*) AS TEXT) FROM users WHERE id = CAST(? AS INTEGER) AND deleted_at IS NOT NULL AND deletion_reason = 'GDPR request' AND deleted_by IS NOT NULL"
        ),
        1,
        "the user is trashed with the reason and who did it"
    );
    assert_eq!(
        count(
            "SELECT CAST(count(*) AS TEXT) FROM posts p JOIN users u ON u.id = p.user_id WHERE u.id = CAST(? AS INTEGER) AND p.deleted_at = u.deleted_at"
        ),
        live_posts,
        "the user's live posts share its deletion time"
    );
    assert_eq!(
        count(
            "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log WHERE action = 'trash' AND reason = 'GDPR request' AND table_names LIKE 'users%' AND CAST(? AS TEXT) <> ''"
        ),
        1
    );

    tui.send(b"\r");
    tui.send(b"U");
    tui.wait_for("Will be put back as before the last change", STEP);
    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"\r");
    tui.wait_for("✓ Applied undo trash", STEP);
    assert_eq!(
        count(
            "SELECT CAST(count(*) AS TEXT) FROM users WHERE id = CAST(? AS INTEGER) AND deleted_at IS NULL AND deletion_reason IS NULL AND deleted_by IS NULL"
        ),
        1,
        "undo brings the user back exactly as it was"
    );
    assert_eq!(
        count(
            "SELECT CAST(count(*) AS TEXT) FROM posts WHERE user_id = CAST(? AS INTEGER) AND deleted_at IS NULL"
        ),
        live_posts
    );
    tui.send(b"\x1b");
    tui.wait_gone("Applied undo", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}
