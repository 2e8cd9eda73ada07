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
    assert!(
        sql_int(&db, OLD_PRODUCTS_DUE, &[]) > 0,
        "the demo has old trashed products a purge may take"
    );

    tui.select_table("products");
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
    assert_eq!(
        sql_int(&db, OLD_PRODUCTS_DUE, &[]),
        0,
        "old trashed products are gone, but those younger rows hang off"
    );
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

/// A purge whose console died shows up at the next start with "resume / abandon";
/// resuming finishes it from its checkpoint.
#[test]
fn an_interrupted_purge_is_offered_for_resume_at_the_next_start() {
    let mut first = Tui::spawn(&[], 160, 44);
    first.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│products ")
    });
    let db = demo_db(&first);
    quit_and_assert_terminal_restored(&mut first);
    let home = first.take_home();

    // A job planned, started and then abandoned by a console that died long ago: its
    // row says running, and nothing has touched it since.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let old_trash = runtime.block_on(async {
        use trashcan::config::Config;
        use trashcan::db::{DbPool, DbTarget, SessionSettings, batch_execute};
        use trashcan::engine::audit::Actor;
        use trashcan::engine::catalog::Catalog;
        use trashcan::engine::purge::{self, PurgeOptions, Scope};
        use trashcan::engine::sql::TableName;
        let pool = DbPool::connect(&DbTarget::sqlite(db.clone()), &SessionSettings::default())
            .await
            .unwrap();
        let mut conn = pool.get().await.unwrap();
        let (config, _) = Config::parse(trashcan::demo::DEMO_CONFIG, "demo").unwrap();
        let catalog = Catalog::load(&mut conn, &config).await.unwrap();
        let actor = Actor {
            os_user: "carol".into(),
            ssh_client: None,
        };
        let plan = purge::plan(
            &mut conn,
            &catalog,
            &Scope::Table(TableName::new(None, "products")),
            &PurgeOptions::default(),
            &actor,
            Some("nightly"),
            true,
        )
        .await
        .unwrap();
        assert_eq!(plan.job_id, Some(1));
        batch_execute(
            &mut conn,
            "UPDATE trashcan_purge_jobs SET state = 'running', updated_at = '2026-01-01 00:00:00'",
        )
        .await
        .unwrap();
        plan.tables.iter().map(|t| t.rows).sum::<u64>()
    });
    assert!(old_trash > 0, "the demo has old trashed products");

    let mut tui = Tui::spawn_in(home, &[], 160, 44);
    let screen = tui.wait_for("1 interrupted purge(s)", STARTUP);
    assert!(screen.contains("Job 1 (the trash of products)"), "{screen}");
    assert!(screen.contains("Started by carol"), "{screen}");
    tui.send(b"r");
    let screen = tui.wait_until("the resumed job to finish", STEP, |s| {
        s.contains("Purge job 1 · done")
    });
    assert!(
        screen.contains(&format!("done: {old_trash} rows deleted")),
        "{screen}"
    );
    assert_eq!(
        sql_int(
            &db,
            "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log \
             WHERE job_id = 1 AND action = 'purge resume'",
            &[],
        ),
        1
    );
    quit_and_assert_terminal_restored(&mut tui);
}
