//! End to end: the orphans view on the embedded demo database, whose implied relation
//! `product_attributes.product_id → products.id` (config only, no key) holds orphans:
//! `o` scans, the count matches the database, Enter lists them, `p` purges them through
//! the supervised purge (plan, typed count, reason, monitor) until none is left, `o`
//! scans again, Esc closes, and q leaves the terminal as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use pty::*;

const PATH: &str = "product_attributes.product_id → products.id (config)";
const SOFT_PATH: &str = "comments.post_id → posts.id";

fn count_hard(db: &std::path::Path) -> i64 {
    sql_int(
        db,
        "SELECT CAST(count(*) AS TEXT) FROM product_attributes AS a \
         WHERE a.product_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM products AS p WHERE p.id = a.product_id)",
        &[],
    )
}

/// The console on a fresh demo, once its tables are listed, and the demo's file.
fn start() -> (Tui, std::path::PathBuf) {
    let mut tui = Tui::spawn(&[], 160, 44);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    (tui, db)
}

/// `o`, then down to the relation `path` (rows are listed in scan order); returns the
/// scan as first shown.
fn open_orphans_at(tui: &mut Tui, path: &str) -> String {
    tui.send(b"o");
    let screen = tui.wait_until("the scan", STEP, |s| {
        s.contains("orphans along") && s.contains(path)
    });
    let rows: Vec<String> = screen
        .lines()
        .filter(|l| l.contains(" → "))
        .map(squash)
        .collect();
    let index = rows.iter().position(|l| l.contains(path)).unwrap();
    for _ in 0..index {
        tui.send(b"j");
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    screen
}

/// Live comments under trashed posts.
fn soft_orphans(db: &std::path::Path) -> i64 {
    sql_int(
        db,
        "SELECT CAST(count(*) AS TEXT) FROM comments AS c JOIN posts AS p \
         ON p.id = c.post_id WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL",
        &[],
    )
}

#[test]
fn orphans_view_on_the_demo() {
    let (mut tui, db) = start();
    let hard = count_hard(&db);
    assert!(
        hard > 0,
        "the demo holds orphans along its implied relation"
    );

    let screen = open_orphans_at(&mut tui, PATH);
    let line = lines_with(&screen, PATH)
        .first()
        .map(|l| squash(l))
        .unwrap();
    assert!(
        line.contains(&format!("{PATH} {hard} ")),
        "the view counts {hard} hard orphans: {line}"
    );
    tui.send(b"\r");
    let screen = tui.wait_until("the listing", STEP, |s| {
        s.contains("Orphans of product_attributes.product_id") && s.contains("points at")
    });
    assert!(
        screen.contains(&format!("hard: the parent key matches no row ({hard}")),
        "{screen}"
    );

    tui.send(b"\x1b");
    tui.wait_gone("Orphans of product_attributes", STEP);
    tui.wait_for("orphans along", STEP);

    // p: the hard orphans of the selected relation go through a supervised purge.
    tui.send(b"p");
    let screen = tui.wait_until("the plan", STEP, |s| {
        s.contains("Purge orphans of product_attributes.product_id") && s.contains("rows in all")
    });
    assert_eq!(count_hard(&db), hard, "a plan deletes nothing: {screen}");
    tui.send(b"\r");
    let screen = tui.wait_for(" to confirm", STEP);
    let want = screen
        .split("Type ")
        .nth(1)
        .and_then(|rest| rest.split(" to confirm").next())
        .unwrap()
        .to_owned();
    assert_eq!(
        want,
        hard.to_string(),
        "the orphans, nothing hangs off them"
    );
    tui.send(want.as_bytes());
    tui.send(b"\r");
    tui.wait_for("Reason (", STEP);
    tui.send(b"reconcile orphans\r");
    tui.wait_until("the finished job", STEP, |s| s.contains("done: "));
    assert_eq!(count_hard(&db), 0, "no orphan is left along the relation");

    // The monitor took over; o scans again and agrees.
    tui.send(b"o");
    let screen = tui.wait_until("the new scan", STEP, |s| {
        s.contains(PATH) && s.contains("orphans along")
    });
    let line = squash(lines_with(&screen, PATH)[0]);
    assert!(line.contains(&format!("{PATH} 0 ")), "{line}");
    tui.send(b"\x1b");
    tui.wait_gone("orphans along", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}

/// Soft orphans: R restores their trashed parents through the restore preview, and the
/// relation has none left.
#[test]
fn restoring_soft_orphans_parents_on_the_demo() {
    let (mut tui, db) = start();
    let soft = || soft_orphans(&db);
    assert!(soft() > 0, "the demo has live comments under trashed posts");

    open_orphans_at(&mut tui, SOFT_PATH);
    tui.send(b"R");
    let screen = tui.wait_until("the restore preview", STEP, |s| {
        s.contains("row(s) of posts") && s.contains("Will come back")
    });
    if screen.contains("Blocked") {
        // Their authors are trashed too: bring the chain back.
        tui.send(b"a");
        tui.wait_until("the preview with ancestors", STEP, |s| {
            s.contains("Enter: continue") && !s.contains("Blocked")
        });
    }
    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"reconnect orphaned comments\r");
    tui.wait_for("✓ Restored", STEP);
    assert_eq!(soft(), 0, "every soft orphan has a live parent again");
    tui.send(b"\x1b");
    tui.wait_gone("✓ Restored", STEP);
    tui.send(b"r");
    let screen = tui.wait_until("the new scan", STEP, |s| {
        s.contains(SOFT_PATH) && !s.contains("scanning again")
    });
    let line = squash(lines_with(&screen, SOFT_PATH)[0]);
    assert!(line.contains(&format!("{SOFT_PATH} 0 0 ")), "{line}");
    tui.send(b"\x1b");
    tui.wait_gone("orphans along", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}

/// Soft orphans: T moves them to trash, each with its parent's deletion group, and the
/// relation has none left; restoring a parent later would bring its children back.
#[test]
fn trashing_soft_orphans_with_their_parents_on_the_demo() {
    let (mut tui, db) = start();
    let soft = || soft_orphans(&db);
    let before = soft();
    assert!(before > 0, "the demo has live comments under trashed posts");

    open_orphans_at(&mut tui, SOFT_PATH);
    tui.send(b"T");
    tui.wait_until("the preview", STEP, |s| {
        s.contains("Move the soft orphans of comments.post_id") && s.contains("Will move to trash")
    });
    tui.send(b"\r");
    tui.wait_for("Reason (optional", STEP);
    tui.send(b"regroup orphaned comments\r");
    tui.wait_for("✓ Moved to trash", STEP);
    assert_eq!(soft(), 0, "no live comment is left under a trashed post");
    // Each comment took its post's deletion time.
    let apart = sql_int(
        &db,
        "SELECT CAST(count(*) AS TEXT) FROM comments AS c JOIN posts AS p ON p.id = c.post_id \
         WHERE c.deleted_at = p.deleted_at",
        &[],
    );
    assert!(
        apart >= before,
        "the comments share their posts' stamps ({apart} < {before})"
    );
    tui.send(b"\x1b");
    tui.wait_gone("✓ Moved to trash", STEP);
    tui.send(b"\x1b");
    tui.wait_gone("orphans along", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}
