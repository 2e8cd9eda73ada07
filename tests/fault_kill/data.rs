//! The blog each seed purges, and the engine's reference plans.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// Data.

/// About 1,075 rows per unit of `scale`: mostly old trash, some live (which keeps their
/// ancestors), some trashed a day ago; one comment in eight replies to an earlier one,
/// so reply chains take the job more than one pass.
pub(crate) fn seed_sql(seed: u64, scale: u64) -> String {
    let (n_users, n_posts, n_comments, n_likes, n_attachments) = (
        50 * scale,
        200 * scale,
        600 * scale,
        150 * scale,
        75 * scale,
    );
    let mut rng = Rng::new(seed);
    let state = |rng: &mut Rng| -> String {
        match rng.below(100) {
            0..=9 => "NULL".into(),
            10..=17 => "{recent}".into(),
            _ => format!("'2020-0{}-1{} 00:00:00'", 1 + rng.below(9), rng.below(10)),
        }
    };
    let mut sql = String::new();
    let users: Vec<String> = (1..=n_users)
        .map(|id| format!("({id}, 'u{id}', {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO users VALUES {};\n", users.join(", "));
    let posts: Vec<String> = (1..=n_posts)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(n_users), state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1..=n_comments)
        .map(|id| {
            let post = 1 + rng.below(n_posts);
            let parent = if id > 1 && rng.chance(12) {
                (1 + rng.below(id - 1)).to_string()
            } else {
                "NULL".into()
            };
            format!("({id}, {post}, {parent}, {})", state(&mut rng))
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    let mut pairs = BTreeSet::new();
    while (pairs.len() as u64) < n_likes {
        pairs.insert((1 + rng.below(n_users), 1 + rng.below(n_posts)));
    }
    let likes: Vec<String> = pairs
        .iter()
        .map(|(u, p)| format!("({u}, {p}, {})", state(&mut rng)))
        .collect();
    sql += &format!("INSERT INTO likes VALUES {};\n", likes.join(", "));
    let attachments: Vec<String> = (1..=n_attachments)
        .map(|id| format!("({id}, {}, {})", 1 + rng.below(n_posts), state(&mut rng)))
        .collect();
    sql += &format!(
        "INSERT INTO attachments VALUES {};\n",
        attachments.join(", ")
    );
    sql
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
    let catalog = db.catalog(&config(CONFIG)).await;
    let before = all_keys(&db, TABLES).await;
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
