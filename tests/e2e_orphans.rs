//! End to end: the orphans view on the embedded demo database, whose implied relation
//! `product_attributes.product_id → products.id` (config only, no key) holds orphans:
//! `o` scans, the count matches the database, Enter lists them, Esc steps back and
//! closes, and q leaves the terminal as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty;

use pty::*;

const PATH: &str = "product_attributes.product_id → products.id (config)";

#[test]
fn orphans_view_on_the_demo() {
    let mut tui = Tui::spawn(&[], 160, 44);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    let hard = sql_int(
        &db,
        "SELECT CAST(count(*) AS TEXT) FROM product_attributes AS a \
         WHERE a.product_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM products AS p WHERE p.id = a.product_id)",
        &[],
    );
    assert!(
        hard > 0,
        "the demo holds orphans along its implied relation"
    );

    tui.send(b"o");
    let screen = tui.wait_until("the scan", STEP, |s| {
        s.contains("orphans along") && s.contains(PATH)
    });
    let line = lines_with(&screen, PATH)
        .first()
        .map(|l| squash(l))
        .unwrap();
    assert!(
        line.contains(&format!("{PATH} {hard} ")),
        "the view counts {hard} hard orphans: {line}"
    );

    // Down to that relation (rows are listed in scan order), then Enter lists it.
    let rows: Vec<String> = screen
        .lines()
        .filter(|l| l.contains(" → "))
        .map(squash)
        .collect();
    let index = rows.iter().position(|l| l.contains(PATH)).unwrap();
    for _ in 0..index {
        tui.send(b"j");
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
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
    tui.send(b"\x1b");
    tui.wait_gone("orphans along", STEP);
    quit_and_assert_terminal_restored(&mut tui);
}
