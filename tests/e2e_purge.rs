//! End to end: a supervised purge from the TUI on the embedded demo database — the plan,
//! the typed confirmation, the reason, the monitor — checked against the database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use pty::*;

#[test]
fn purge_a_tables_old_trash_from_the_console() {
    let mut tui = Tui::spawn(&[], 180, 48);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    let old_trash = |table: &str| {
        sql_int(
            &db,
            &format!(
                "SELECT CAST(count(*) AS TEXT) FROM {table} \
                 WHERE deleted_at IS NOT NULL AND deleted_at < datetime('now', '-30 days')"
            ),
            &[],
        )
    };
    let before = old_trash("products");
    assert!(before > 0, "the demo has old trashed products");

    // products: down from the first table until the records pane shows it.
    tui.wait_for("Trashed rows: assets", STEP);
    for _ in 0..20 {
        if tui.screen().contains("Trashed rows: products ") {
            break;
        }
        tui.send(b"j");
        std::thread::sleep(std::time::Duration::from_millis(60));
    }
    tui.wait_for("Trashed rows: products ", STEP);
    tui.send(b"p");
    let screen = tui.wait_until("the plan", STEP, |s| {
        s.contains("Purge the trash of products") && s.contains("rows in all")
    });
    assert!(screen.contains("children first"), "{screen}");
    assert_eq!(old_trash("products"), before, "a plan deletes nothing");

    tui.send(b"\r");
    tui.wait_for("Type products to confirm", STEP);
    tui.send(b"prod");
    tui.send(b"\r");
    let screen = tui.wait_for("type products exactly", STEP);
    assert!(screen.contains("Type products to confirm"), "{screen}");
    tui.send(b"ucts\r");
    tui.wait_for("Reason (", STEP);
    tui.send(b"retention sweep\r");
    let screen = tui.wait_until("the finished job in the monitor", STEP, |s| {
        s.contains("Purge job 1 · done") && s.contains("done: ")
    });
    assert!(screen.contains("products"), "{screen}");
    assert_eq!(old_trash("products"), 0, "old trashed products are gone");
    assert_eq!(
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log \
             WHERE job_id = 1 AND action IN ('purge plan', 'purge start', 'purge finish') \
             AND reason = 'retention sweep'",
            &[],
        ),
        3
    );
    assert_eq!(
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log \
             WHERE job_id = 1 AND details LIKE '%scope: the trash of products; roots trashed: products before 20%'",
            &[],
        ),
        3,
        "each job event records the scope and the cutoff"
    );
    assert_eq!(
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM product_assets a \
             WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = a.product_id)",
            &[],
        ),
        0,
        "no orphans"
    );
    quit_and_assert_terminal_restored(&mut tui);
}
