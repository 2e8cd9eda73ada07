//! The blog each seed purges, and the engine's reference plans.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// Data.

/// The mixed blog at `scale`; one comment in eight replies to an earlier one, so reply
/// chains take the job more than one pass.
pub(crate) fn seed_sql(seed: u64, scale: u64) -> String {
    mixed_blog_sql(seed, &MixedBlog::scaled(scale, Some(12)))
}

/// One seed's database: the blog with its data, the catalog, and every key before
/// anything was purged.
pub(crate) struct Setup {
    pub(crate) db: Db,
    pub(crate) catalog: Catalog,
    pub(crate) before: BTreeSet<String>,
}

pub(crate) async fn setup(db: Db, seed: u64) -> Setup {
    db.exec(SOFT_BLOG_SCHEMA).await;
    db.exec(&seed_sql(seed, if db.pg { 1 } else { 2 })).await;
    db.assert_no_orphans(SOFT_BLOG_RELS, "before").await;
    // Opens a few pooled sessions now, so none the test opens later passes for one of
    // the binary's (they are told apart by their start).
    let warm = (db.conn().await, db.conn().await, db.conn().await);
    drop(warm);
    let catalog = db.catalog(&config(SMALL_BATCHES_CONFIG)).await;
    let before = all_keys(&db, SOFT_BLOG_TABLES).await;
    Setup {
        db,
        catalog,
        before,
    }
}

pub(crate) async fn fresh_db(pg: bool, tag: &str) -> Option<Db> {
    if pg {
        let pg = PgDb::create(tag).await?;
        Some(Db::postgres(pg).await)
    } else {
        Some(Db::sqlite().await)
    }
}

pub(crate) fn engine_options() -> PurgeOptions {
    PurgeOptions {
        older_than: Some(days(30)),
        batch_size: 10,
        sleep: Duration::from_millis(5),
        ..PurgeOptions::default()
    }
}

/// Plans a job with the engine (as the console does); returns it and its frozen set.
pub(crate) async fn engine_plan(s: &Setup, seed: u64) -> (i64, BTreeSet<String>) {
    let plan =
        s.db.plan(
            &s.catalog,
            &Scope::All,
            &engine_options(),
            Some(REASON),
            true,
        )
        .await
        .unwrap();
    let job = plan.job_id.unwrap();
    let scale = if s.db.pg { 1 } else { 2 };
    assert!(plan.total() > 300 * scale, "seed {seed}: {}", plan.total());
    let frozen = s.db.frozen(job).await;
    assert_eq!(frozen.len() as u64, plan.total(), "seed {seed}");
    assert!(frozen.is_subset(&s.before), "seed {seed}");
    (job, frozen)
}
