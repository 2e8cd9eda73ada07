//! End to end: the console purging through a network that fails (PostgreSQL through a
//! breakable proxy). While the server cannot be reached the monitor says the job is
//! reconnecting; once it can, the job goes on to the end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fault_support;
mod net_proxy;
#[macro_use]
mod purge_db;
mod pty;

use std::time::Duration;

use common::PgDb;
use net_proxy::Proxy;
use pty::*;

#[test]
fn the_monitor_shows_a_lost_connection_and_the_purge_finishes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = rt.block_on(PgDb::create("e2e_reconnect")) else {
        return;
    };
    let db = rt.block_on(async {
        let db = purge_db::Db::postgres(pg).await;
        fault_support::seed_blog(&db).await;
        db
    });
    let old_trash = || {
        rt.block_on(db.count(
            "SELECT id FROM users WHERE deleted_at IS NOT NULL \
             UNION ALL SELECT id FROM posts WHERE deleted_at IS NOT NULL \
             UNION ALL SELECT id FROM comments WHERE deleted_at IS NOT NULL",
        ))
    };
    assert_eq!(old_trash(), 3_060);
    let proxy = rt.block_on(Proxy::start("127.0.0.1:5432"));
    let url = proxy.url(&db.url);

    let home = tempfile::tempdir().unwrap();
    let config = slow_purge_config(&home, 10, "30ms");
    let mut tui = Tui::spawn_with(
        home,
        &["--database-url", &url, "--config", &config],
        180,
        48,
        &[],
    );
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    tui.select_table("users");
    tui.send(b"p");
    tui.wait_until("the plan", STEP, |s| s.contains("rows in all"));
    tui.send(b"\r");
    tui.wait_for("to confirm", STEP);
    tui.send(b"users\r");
    tui.wait_for("Reason (", STEP);
    tui.send(b"network test\r");
    // (A preview takes a job number too: the job is not necessarily number 1.)
    let running = |s: &str| s.contains("Purge job ") && s.contains(" · running · ");
    tui.wait_until("the job to run", STEP, running);
    tui.wait_until("some batches", STEP, |_| old_trash() < 2_800);

    proxy.refuse(true);
    proxy.cut();
    let screen = tui.wait_for("connection lost, reconnecting", STEP);
    assert!(running(&screen), "{screen}");
    std::thread::sleep(Duration::from_secs(2));
    let during = old_trash();
    assert!(during > 0, "the job ended before the cut");
    proxy.refuse(false);

    let screen = tui.wait_until("the finished job", Duration::from_secs(60), |s| {
        s.contains("Purge job ") && s.contains(" · done · ")
    });
    assert!(screen.contains("reconnects"), "{screen}");
    assert!(!screen.contains("waiting:"), "{screen}");
    assert_eq!(old_trash(), 0, "the purge went on to the end");
    quit_and_assert_terminal_restored(&mut tui);
}

/// Browsing when the server goes away: the status bar says the link is lost and that
/// the console is reconnecting; once the server is back it says so and shows the trash
/// again, without the operator doing anything.
#[test]
fn the_status_bar_shows_a_lost_link_and_the_console_reloads_when_it_is_back() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = rt.block_on(PgDb::create("e2e_link")) else {
        return;
    };
    let db = rt.block_on(async {
        let db = purge_db::Db::postgres(pg).await;
        fault_support::seed_blog(&db).await;
        db
    });
    let proxy = rt.block_on(Proxy::start("127.0.0.1:5432"));
    let url = proxy.url(&db.url);
    let mut tui = Tui::spawn_with(
        tempfile::tempdir().unwrap(),
        &["--database-url", &url],
        180,
        40,
        &[],
    );
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    tui.select_table("posts");

    proxy.refuse(true);
    proxy.cut();
    // The next read finds no session: the pool's first refused connect is reported at
    // once, with its reason (the pool itself would wait 15 s and only say it timed out).
    tui.send(b"j");
    let screen = tui.wait_for("connection lost, reconnecting", Duration::from_secs(40));
    assert!(!screen.contains("reconnected"), "{screen}");
    assert!(!screen.contains("Timed out"), "{screen}");
    proxy.refuse(false);

    let screen = tui.wait_until("the link back", Duration::from_secs(30), |s| {
        s.contains("reconnected after") && s.contains("Trashed rows: ")
    });
    assert!(
        !screen.contains("connection lost"),
        "still shown as lost:\n{screen}"
    );
    let screen = tui.wait_until("the trash shown again", STEP, |s| {
        s.lines().any(|l| l.contains("6y ago"))
    });
    assert!(screen.contains("│users "), "{screen}");
    quit_and_assert_terminal_restored(&mut tui);
}
