//! A purge planned by reading only — `--dry-run` on a read-only session, as a role that
//! may not write the console's tables, or where those tables are not installed — tells
//! exactly the plan the server would make (rows, roots, live rows, skipped roots and
//! why, what the database does by itself), and writes nothing at all: no job, not even
//! a rolled-back one that moves the job sequence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::time::Duration;

use common::PgDb;
use purge_db::*;
use trashcan::db::{DbPool, SessionSettings};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::purge::{self, PurgeOptions, PurgePlan, Scope};
use trashcan::engine::sql::TableName;

/// Everything a plan tells, as comparable text (its cutoffs only as there or not:
/// each plan reads the clock; see `same_cutoffs`). Skipped roots are listed by key only
/// when all of them are (the server lists the first ten it meets, in no fixed order).
fn told(plan: &PurgePlan) -> Vec<String> {
    let mut lines = vec![format!(
        "total {} reason {} approval {} implied {:?}",
        plan.total(),
        plan.needs_reason,
        plan.needs_approval,
        plan.implied_ignored
    )];
    for t in &plan.tables {
        lines.push(format!(
            "table {} rows {} roots {} live {} cutoff {:?} below {:?} ignored {} {:?} {:?}",
            t.name,
            t.rows,
            t.roots,
            t.live,
            t.cutoff_epoch.is_some(),
            t.descendants_before.is_some(),
            t.age_ignored,
            t.convention,
            t.orphans_of,
        ));
    }
    for s in &plan.skipped {
        let listed = s.rows as usize == s.sample.len();
        let mut sample = s.sample.clone();
        sample.sort();
        lines.push(format!(
            "skipped {} {} {:?} {:?}",
            s.table.name,
            s.rows,
            listed.then_some(sample),
            listed.then_some(&s.because)
        ));
    }
    for e in &plan.effects {
        lines.push(format!("effect {} {} {}", e.relation, e.action, e.rows));
    }
    for l in &plan.left_out {
        lines.push(format!("left out {l:?}"));
    }
    lines
}

/// The scopes and policies compared: the whole trash, one table, marked rows, orphans;
/// by default, and with live or young descendants taken too.
fn cases(db: &Db) -> Vec<(String, Scope, PurgeOptions)> {
    let name = |t: &str| TableName::new(db.pg.then_some("public"), t);
    let base = PurgeOptions {
        max_rows: 1_000_000,
        ..options(100, Duration::ZERO)
    };
    let posts: Vec<Vec<String>> = (1..=120).map(|id| vec![id.to_string()]).collect();
    let mut cases = vec![
        ("all".to_owned(), Scope::All, base.clone()),
        (
            "posts".to_owned(),
            Scope::Table(name("posts")),
            base.clone(),
        ),
        (
            "users".to_owned(),
            Scope::Table(name("users")),
            base.clone(),
        ),
        (
            "marked posts".to_owned(),
            Scope::Rows {
                table: name("posts"),
                keys: posts,
            },
            base.clone(),
        ),
        (
            "marked users".to_owned(),
            Scope::Rows {
                table: name("users"),
                keys: (1..=8).map(|id| vec![id.to_string()]).collect(),
            },
            base.clone(),
        ),
    ];
    let mut live = base.clone();
    live.purge_live = true;
    cases.push(("all, live too".to_owned(), Scope::All, live));
    let mut young = base.clone();
    young.purge_young = true;
    cases.push((
        "users, young too".to_owned(),
        Scope::Table(name("users")),
        young,
    ));
    cases
}

fn same_cutoffs(a: &PurgePlan, b: &PurgePlan) -> bool {
    let near = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 60.0,
        (x, y) => x.is_none() && y.is_none(),
    };
    a.tables.len() == b.tables.len()
        && a.tables.iter().zip(&b.tables).all(|(x, y)| {
            near(x.cutoff_epoch, y.cutoff_epoch) && near(x.descendants_before, y.descendants_before)
        })
}

async fn read_only_pool(db: &Db) -> DbPool {
    let settings = SessionSettings {
        read_only: true,
        ..SessionSettings::default()
    };
    DbPool::connect(&db.target, &settings).await.unwrap()
}

async fn job_sequence(db: &Db) -> String {
    if db.pg {
        db.scalar(
            "SELECT CAST(last_value AS TEXT) || CAST(is_called AS TEXT) \
             FROM trashcan.purge_jobs_id_seq",
        )
        .await
    } else {
        String::new()
    }
}

async fn same_plan_by_reading(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    let config = config(BLOG_CONFIG);
    let catalog = db.catalog(&config).await;
    let pool = read_only_pool(db).await;
    let mut reasons_compared = 0;
    for seed in 0..4 {
        db.exec(
            "DELETE FROM post_stats; DELETE FROM post_tags; DELETE FROM attachments; \
             DELETE FROM likes; UPDATE comments SET parent_id = NULL; DELETE FROM comments; \
             DELETE FROM posts; DELETE FROM users;",
        )
        .await;
        db.exec(&mixed_blog_sql(seed, &MixedBlog::scaled(1, Some(30))))
            .await;
        // Attachments whose post is gone: an orphan purge's roots (the relation is the
        // config's, so nothing stops them).
        db.exec(
            "INSERT INTO attachments VALUES (9001, 99999, NULL), \
             (9002, 99998, '2020-01-01 00:00:00'), (9003, 99999, {recent})",
        )
        .await;
        let mut cases = cases(db);
        let attachments = catalog
            .relations
            .iter()
            .find(|r| r.child.name == "attachments")
            .expect("the config's relation");
        cases.push((
            "orphans".to_owned(),
            Scope::Orphans {
                child: attachments.child.clone(),
                relation: purge::OrphanRelation::of(attachments),
            },
            cases[0].2.clone(),
        ));
        let before = db.dump_everything().await;
        for (case, scope, options) in &cases {
            let on_server = db
                .plan(&catalog, scope, options, None, false)
                .await
                .unwrap();
            let mut conn = pool.get().await.unwrap();
            let by_reading =
                purge::plan(&mut conn, &catalog, scope, options, &actor(), None, false)
                    .await
                    .unwrap();
            assert_eq!(by_reading.job_id, None);
            assert!(
                on_server.total() > 0 || case.contains("marked"),
                "{} seed {seed} {case}: the case plans nothing, so it compares nothing",
                db.backend()
            );
            assert_eq!(
                told(&by_reading),
                told(&on_server),
                "{} seed {seed} {case}: the plan by reading differs from the server's",
                db.backend()
            );
            assert!(same_cutoffs(&by_reading, &on_server), "seed {seed} {case}");
            reasons_compared += on_server
                .skipped
                .iter()
                .filter(|s| s.rows as usize == s.sample.len() && !s.because.is_empty())
                .count();
        }
        assert_eq!(db.dump_everything().await, before, "seed {seed}");
        // A dry run on the server rolls its job back, but the job sequence has moved; a
        // plan by reading leaves even that alone.
        let sequence = job_sequence(db).await;
        let mut conn = pool.get().await.unwrap();
        purge::plan(
            &mut conn,
            &catalog,
            &Scope::All,
            &cases[0].2,
            &actor(),
            None,
            false,
        )
        .await
        .unwrap();
        assert_eq!(job_sequence(db).await, sequence, "seed {seed}");
    }
    assert!(
        reasons_compared > 0,
        "no skipped root's reasons were compared"
    );
}

on_both!(
    same_plan_by_reading,
    same_plan_by_reading_sqlite,
    same_plan_by_reading_postgres
);

/// The plan that would be kept is refused on a read-only session, saying so and how to
/// see the plan; the dry run works.
async fn a_kept_plan_is_refused_plainly(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(&mixed_blog_sql(7, &MixedBlog::scaled(1, None)))
        .await;
    let pool = read_only_pool(db).await;
    let mut conn = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut conn, &config(BLOG_CONFIG))
        .await
        .unwrap();
    let options = PurgeOptions {
        max_rows: 1_000_000,
        ..options(100, Duration::ZERO)
    };
    let err = purge::plan(
        &mut conn,
        &catalog,
        &Scope::All,
        &options,
        &actor(),
        None,
        true,
    )
    .await
    .unwrap_err();
    assert!(
        err.message.contains("read-only") && err.message.contains("--dry-run"),
        "{}",
        err.message
    );
    let plan = purge::plan(
        &mut conn,
        &catalog,
        &Scope::All,
        &options,
        &actor(),
        None,
        false,
    )
    .await
    .unwrap();
    assert!(plan.total() > 0);
}

on_both!(
    a_kept_plan_is_refused_plainly,
    kept_plan_refused_sqlite,
    kept_plan_refused_postgres
);

/// Without the bookkeeping tables, `purge --dry-run` shows the plan and installs
/// nothing; a purge that would run says the tables are missing.
async fn dry_run_without_bookkeeping(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(&mixed_blog_sql(3, &MixedBlog::scaled(1, None)))
        .await;
    if db.pg {
        db.exec("DROP SCHEMA trashcan CASCADE").await;
    } else {
        for table in db
            .strings(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND (name LIKE 'trashcan%' OR name = '__diesel_schema_migrations')",
            )
            .await
        {
            db.exec(&format!("DROP TABLE \"{table}\"")).await;
        }
    }
    let before = db.dump_everything().await;
    let file = db.config_file(BLOG_CONFIG);
    for extra in [&[][..], &["--read-only"][..]] {
        let mut args = vec!["purge", "--older-than", "30d", "--dry-run", "--json"];
        args.extend_from_slice(extra);
        let out = db.bin(Some(&file), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", describe(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["status"], "preview", "{report}");
        assert!(report["rows"].as_u64().unwrap() > 0, "{report}");
    }
    let out = db.bin(Some(&file), &["purge", "--older-than", "30d", "--yes"]);
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        describe(&out).contains("not installed"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        db.dump_everything().await,
        before,
        "nothing was installed or written"
    );
}

on_both!(
    dry_run_without_bookkeeping,
    without_bookkeeping_sqlite,
    without_bookkeeping_postgres
);
