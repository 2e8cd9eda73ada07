//! Supervised purge plans and results on both backends: the result equals an independent
//! set-based reference (hand-built and random schemas), recent trash is never purged
//! through a skipped root, the live-descendants policy, dry runs write nothing, and rows
//! restored mid-purge survive. Job control lives in purge_jobs.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::PgDb;
use purge_db::*;
use trashcan::engine::purge::{self, PurgeOptions, RunOutcome, Scope};

// ---------------------------------------------------------------------------------------
// The blog: users → posts → comments (replies to comments), likes with a composite key,
// attachments tied to posts only by the config, tags deleted by the database
// (ON DELETE CASCADE) and statistics that hold their post (plain FK, no soft delete).

/// Old rows are trashed in 2020, recent ones a day ago, live ones not at all.
const BLOG_DATA: &str = "
INSERT INTO users VALUES
    (1, 'ann', '2020-01-01 00:00:00'),  -- a like on post 10 is recent: post 10 and she stay
    (2, 'bob', '2020-01-02 00:00:00'),  -- post 20 has a live comment: skipped
    (3, 'cy', NULL),                    -- live, with old trashed posts underneath
    (4, 'dee', {recent}),               -- recent: not a root; its old post goes
    (5, 'eve', '2020-01-05 00:00:00'),  -- a live post: skipped
    (6, 'fay', '2020-01-06 00:00:00'),  -- a live like: skipped
    (7, 'gus', '2020-01-07 00:00:00'),  -- only a recently trashed like: skipped
    (8, 'hal', '2020-01-08 00:00:00'),  -- post 80 has statistics: skipped
    (9, 'ivy', '2020-01-09 00:00:00'),  -- post 90 has tags (cascade): purged
    (10, 'jo', '2020-01-10 00:00:00'),  -- post 100 has a live attachment: skipped
    (11, 'kim', '2020-01-11 00:00:00'), -- a recent post under her: skipped
    (12, 'lu', '2020-01-12 00:00:00');  -- a reply chain ending in a live reply: skipped
INSERT INTO posts VALUES
    (10, 1, '2020-02-01 00:00:00'), (11, 1, '2020-02-01 00:00:00'),
    (20, 2, '2020-02-02 00:00:00'), (21, 2, '2020-02-02 00:00:00'),
    (30, 3, '2020-02-03 00:00:00'), (31, 3, {recent}), (32, 3, NULL),
    (40, 4, '2020-02-04 00:00:00'), (50, 5, NULL),
    (80, 8, '2020-02-08 00:00:00'), (90, 9, '2020-02-09 00:00:00'),
    (100, 10, '2020-02-10 00:00:00'), (101, 3, '2020-02-10 00:00:00'),
    (110, 11, {recent}), (120, 12, '2020-02-12 00:00:00');
INSERT INTO comments VALUES
    (100, 10, NULL, '2020-03-01 00:00:00'), (101, 10, NULL, '2020-03-01 00:00:00'),
    (102, 11, 101, '2020-03-01 00:00:00'),
    (103, 10, NULL, '2020-03-01 00:00:00'), (104, 10, 103, '2020-03-01 00:00:00'),
    (105, 10, 104, '2020-03-01 00:00:00'),
    (200, 20, NULL, NULL), (201, 20, NULL, '2020-03-02 00:00:00'),
    (300, 30, NULL, '2020-03-03 00:00:00'), (301, 30, NULL, {recent}),
    (310, 31, NULL, '2020-03-03 00:00:00'),
    (320, 32, NULL, '2020-03-03 00:00:00'), (321, 32, NULL, {recent}),
    (330, 32, NULL, '2020-03-03 00:00:00'), (331, 32, 330, NULL),
    (1100, 110, NULL, '2020-03-11 00:00:00'),
    (1200, 120, NULL, '2020-03-12 00:00:00'), (1201, 120, 1200, '2020-03-12 00:00:00'),
    (1202, 120, 1201, NULL);
INSERT INTO likes VALUES
    (1, 10, '2020-04-01 00:00:00'), (3, 10, {recent}), (6, 32, NULL), (7, 50, {recent}),
    (3, 21, '2020-04-01 00:00:00');
INSERT INTO attachments VALUES
    (1000, 100, NULL), (1010, 101, '2020-05-01 00:00:00'), (1011, 101, {recent}),
    (1020, 32, '2020-05-01 00:00:00'), (1030, 999, '2020-05-01 00:00:00');
INSERT INTO post_tags VALUES (30, 'e'), (32, 'x'), (80, 'c'), (90, 'a'), (90, 'b'), (100, 'd');
INSERT INTO post_stats VALUES (32, 7), (80, 5);
";

const BLOG_TABLES: &[(&str, &[&str])] = &[
    ("users", &["id"]),
    ("posts", &["id"]),
    ("comments", &["id"]),
    ("likes", &["user_id", "post_id"]),
    ("attachments", &["id"]),
    ("post_tags", &["post_id", "tag"]),
    ("post_stats", &["post_id"]),
];

const BLOG_SOFT: &[&str] = &["users", "posts", "comments", "likes", "attachments"];

/// Child tables the database empties by itself when their parent goes.
const BLOG_CASCADE: &[&str] = &["post_tags"];

/// Every relation of the blog: the soft-delete ones, and the two into tables that do
/// not soft-delete.
fn blog_rels() -> Vec<Rel> {
    let mut rels = SOFT_BLOG_RELS.to_vec();
    rels.extend([
        Rel {
            child: "post_tags",
            child_columns: &["post_id"],
            parent: "posts",
            parent_columns: &["id"],
        },
        Rel {
            child: "post_stats",
            child_columns: &["post_id"],
            parent: "posts",
            parent_columns: &["id"],
        },
    ]);
    rels
}

fn key_columns(tables: &[(&'static str, &'static [&'static str])], table: &str) -> Vec<String> {
    tables
        .iter()
        .find(|(t, _)| *t == table)
        .unwrap_or_else(|| panic!("no table {table}"))
        .1
        .iter()
        .map(|c| (*c).to_owned())
        .collect()
}

fn key_text(columns: &[String], alias: &str) -> String {
    columns
        .iter()
        .map(|c| format!("CAST({alias}.{c} AS TEXT)"))
        .collect::<Vec<_>>()
        .join(" || ',' || ")
}

/// The reference purge, worked out in plain Rust over rows read back with plain SQL:
/// every row as `table:key` with its state (`L`ive, `O`ld trash, `R`ecent trash, `N`o
/// soft delete) and every parent → child link.
struct Model {
    flags: BTreeMap<String, char>,
    /// (child, parent, the database handles the child itself).
    edges: Vec<(String, String, bool)>,
}

/// What the reference purge deletes, and the roots it leaves alone.
struct Expected {
    deleted: BTreeSet<String>,
    skipped: BTreeSet<String>,
}

impl Model {
    async fn read(
        db: &Db,
        tables: &[(&'static str, &'static [&'static str])],
        soft: &[&str],
        rels: &[Rel],
        cascade: &[&str],
    ) -> Model {
        let mut flags = BTreeMap::new();
        for (table, _) in tables {
            let key = key_text(&key_columns(tables, table), "t");
            let flag = if soft.contains(table) {
                "CASE WHEN t.deleted_at IS NULL THEN 'L' WHEN t.deleted_at < {cutoff30} THEN 'O' \
                 ELSE 'R' END"
            } else {
                "'N'"
            };
            let sql = db.expand(&format!("SELECT {key} || '|' || {flag} FROM {table} AS t"));
            for line in db.strings(&sql).await {
                let (k, f) = line.rsplit_once('|').unwrap();
                flags.insert(format!("{table}:{k}"), f.chars().next().unwrap());
            }
        }
        let mut edges = Vec::new();
        for rel in rels {
            let on: Vec<String> = rel
                .child_columns
                .iter()
                .zip(rel.parent_columns)
                .map(|(c, p)| format!("p.{p} = c.{c}"))
                .collect();
            let sql = format!(
                "SELECT {} || '|' || {} FROM {} AS c JOIN {} AS p ON {}",
                key_text(&key_columns(tables, rel.child), "c"),
                key_text(&key_columns(tables, rel.parent), "p"),
                rel.child,
                rel.parent,
                on.join(" AND ")
            );
            for line in db.strings(&sql).await {
                let (c, p) = line.split_once('|').unwrap();
                edges.push((
                    format!("{}:{c}", rel.child),
                    format!("{}:{p}", rel.parent),
                    cascade.contains(&rel.child),
                ));
            }
        }
        Model { flags, edges }
    }

    /// Roots: old trash. Add old trashed children of anything in the set (a child
    /// trashed after the cutoff stays, and keeps its ancestors); take out anything with
    /// a child outside the set, until nothing changes; keep only what a remaining root
    /// reaches (a row comes along only with an ancestor that goes). The database then
    /// deletes the cascade children of what goes.
    fn purge(&self) -> Expected {
        self.purge_with(true)
    }

    /// `only_reached: false` keeps whatever survives the pruning, reached from a
    /// remaining root or not: what the engine once did (the retention bug).
    fn purge_with(&self, only_reached: bool) -> Expected {
        let old_trash = |n: &String| self.flags.get(n) == Some(&'O');
        let roots: BTreeSet<String> = self
            .flags
            .iter()
            .filter(|(_, f)| **f == 'O')
            .map(|(n, _)| n.clone())
            .collect();
        let mut set = roots.clone();
        loop {
            let mut grew = false;
            for (c, p, by_db) in &self.edges {
                if !by_db && set.contains(p) && old_trash(c) && set.insert(c.clone()) {
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        loop {
            let mut shrank = false;
            for (c, p, by_db) in &self.edges {
                if !by_db && set.contains(p) && !set.contains(c) {
                    set.remove(p);
                    shrank = true;
                }
            }
            if !shrank {
                break;
            }
        }
        let mut reached: BTreeSet<String> = if only_reached {
            roots.intersection(&set).cloned().collect()
        } else {
            set.clone()
        };
        loop {
            let mut grew = false;
            for (c, p, by_db) in &self.edges {
                if !by_db && reached.contains(p) && set.contains(c) && reached.insert(c.clone()) {
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        let mut deleted = reached.clone();
        for (c, p, by_db) in &self.edges {
            if *by_db && reached.contains(p) {
                deleted.insert(c.clone());
            }
        }
        Expected {
            skipped: roots.difference(&reached).cloned().collect(),
            deleted,
        }
    }
}

fn skipped_keys(plan: &purge::PurgePlan) -> BTreeSet<String> {
    plan.skipped
        .iter()
        .flat_map(|s| {
            assert_eq!(s.rows as usize, s.sample.len(), "{s:?}");
            s.sample
                .iter()
                .map(|k| format!("{}:{}", s.table.name, k.join(",")))
                .collect::<Vec<_>>()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. The purge equals the reference.

async fn equals_reference(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(BLOG_DATA).await;
    let config = config(BLOG_CONFIG);
    let catalog = db.catalog(&config).await;
    let before = all_keys(db, BLOG_TABLES).await;
    assert_eq!(before.len(), 12 + 15 + 19 + 5 + 5 + 6 + 2);

    // The reference, by hand…
    let survivors = set(&[
        "users:1",
        "users:7",
        "users:11",
        "posts:10",
        "posts:30",
        "posts:101",
        "posts:110",
        "comments:301",
        "likes:3,10",
        "likes:7,50",
        "attachments:1011",
        "post_tags:30,e",
        "users:2",
        "users:3",
        "users:4",
        "users:5",
        "users:6",
        "users:8",
        "users:10",
        "users:12",
        "posts:20",
        "posts:31",
        "posts:32",
        "posts:50",
        "posts:80",
        "posts:100",
        "posts:120",
        "comments:200",
        "comments:321",
        "comments:330",
        "comments:331",
        "comments:1200",
        "comments:1201",
        "comments:1202",
        "likes:6,32",
        "attachments:1000",
        "post_tags:32,x",
        "post_tags:80,c",
        "post_tags:100,d",
        "post_stats:32",
        "post_stats:80",
    ]);
    // Users 1, 7 and 11 and posts 10, 30 and 101 hold rows trashed a day ago.
    let skipped = set(&[
        "users:1",
        "users:7",
        "users:11",
        "posts:10",
        "posts:30",
        "posts:101",
        "users:2",
        "users:5",
        "users:6",
        "users:8",
        "users:10",
        "users:12",
        "posts:20",
        "posts:80",
        "posts:100",
        "posts:120",
        "comments:330",
        "comments:1200",
        "comments:1201",
    ]);
    // …and set-based over the rows as they are: the two agree.
    let model = Model::read(db, BLOG_TABLES, BLOG_SOFT, &blog_rels(), BLOG_CASCADE)
        .await
        .purge();
    let expected: BTreeSet<String> = before.difference(&model.deleted).cloned().collect();
    assert_eq!(
        expected, survivors,
        "the reference model disagrees with the hand count"
    );
    assert_eq!(model.skipped, skipped);

    let plan = db.plan_all(&catalog, 10).await;
    let job = plan.job_id.expect("a persisted plan has a job");
    let mut rows: Vec<(String, u64)> = planned_rows(&plan);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("attachments".into(), 3),
            ("comments".into(), 11),
            ("likes".into(), 2),
            ("posts".into(), 4),
            ("users".into(), 1),
        ],
        "{plan:?}"
    );
    assert_eq!(plan.total(), 21);
    // Children first.
    let at = |name: &str| plan.tables.iter().position(|t| t.name == name).unwrap();
    assert!(
        at("comments") < at("posts") && at("posts") < at("users"),
        "{plan:?}"
    );
    assert!(
        at("likes") < at("posts") && at("attachments") < at("posts"),
        "{plan:?}"
    );
    assert_eq!(skipped_keys(&plan), skipped, "{:?}", plan.skipped);
    assert_eq!(plan.effects.len(), 1, "{:?}", plan.effects);
    assert_eq!(plan.effects[0].rows, 2, "{:?}", plan.effects);
    assert!(
        plan.effects[0].relation.contains("post_tags"),
        "{:?}",
        plan.effects
    );
    assert!(!plan.needs_reason && !plan.needs_approval);
    // The frozen set is exactly the rows the reference deletes itself (not the cascade).
    let frozen = db.frozen(job).await;
    let own: BTreeSet<String> = model
        .deleted
        .iter()
        .filter(|k| !k.starts_with("post_tags:"))
        .cloned()
        .collect();
    assert_eq!(frozen, own);
    assert_eq!(db.job(job).await, ("planned".to_owned(), 0));

    let control = small_batches(10, Duration::ZERO);
    let outcome = db.run(&catalog, job, &control, &mut |_| {}).await.unwrap();
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 21,
            kept: 0
        }
    );

    let after = all_keys(db, BLOG_TABLES).await;
    assert_eq!(after, survivors, "{}: what the purge left", db.backend());
    db.assert_no_orphans(&blog_rels(), "after the purge").await;
    assert_eq!(db.job(job).await, ("done".to_owned(), 21));
    assert!(
        db.frozen(job).await.is_empty(),
        "the set forgets what is gone"
    );
    assert_eq!(
        db.audit_actions(job).await,
        vec!["purge plan", "purge start", "purge finish"]
    );
}

on_both!(
    equals_reference,
    equals_reference_sqlite,
    equals_reference_postgres
);

// ---------------------------------------------------------------------------------------
// 1b. The same comparison over random blogs. Every trashed row is old here, so each row
// in the set is a root and the reference needs no judgement about rows that only came
// along (see `recent_descendant_of_a_skipped_root_stays` for those).

/// A random blog: `recent` percent of the trashed rows were trashed a day ago.
fn random_blog(seed: u64, recent: u64) -> String {
    let mut rng = Rng::new(seed);
    let state = |rng: &mut Rng, live: u64| -> String {
        if rng.chance(live) {
            "NULL".into()
        } else if rng.chance(recent) {
            "{recent}".into()
        } else {
            format!("'2020-0{}-1{} 00:00:00'", 1 + rng.below(9), rng.below(10))
        }
    };
    let mut sql = String::new();
    let users: Vec<String> = (1..=25)
        .map(|id| format!("({id}, 'u{id}', {})", state(&mut rng, 40)))
        .collect();
    sql += &format!("INSERT INTO users VALUES {};\n", users.join(", "));
    let posts: Vec<String> = (1..=50)
        .map(|id| {
            let user = 1 + rng.below(25);
            format!("({id}, {user}, {})", state(&mut rng, 35))
        })
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1..=140)
        .map(|id| {
            let post = 1 + rng.below(50);
            let parent = if id > 1 && rng.chance(45) {
                // Mostly a recent comment, so reply chains get deep.
                (id - 1 - rng.below(id.min(6) - 1)).to_string()
            } else {
                "NULL".into()
            };
            format!("({id}, {post}, {parent}, {})", state(&mut rng, 25))
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    let mut pairs = BTreeSet::new();
    while pairs.len() < 60 {
        pairs.insert((1 + rng.below(25), 1 + rng.below(50)));
    }
    let likes: Vec<String> = pairs
        .iter()
        .map(|(u, p)| format!("({u}, {p}, {})", state(&mut rng, 30)))
        .collect();
    sql += &format!("INSERT INTO likes VALUES {};\n", likes.join(", "));
    let attachments: Vec<String> = (1..=30)
        .map(|id| {
            let post = 1 + rng.below(50);
            format!("({id}, {post}, {})", state(&mut rng, 30))
        })
        .collect();
    sql += &format!(
        "INSERT INTO attachments VALUES {};\n",
        attachments.join(", ")
    );
    let mut tags = BTreeSet::new();
    while tags.len() < 30 {
        tags.insert((1 + rng.below(50), ["a", "b", "c"][rng.below(3) as usize]));
    }
    let tags: Vec<String> = tags.iter().map(|(p, t)| format!("({p}, '{t}')")).collect();
    sql += &format!("INSERT INTO post_tags VALUES {};\n", tags.join(", "));
    let mut stats = BTreeSet::new();
    while stats.len() < 6 {
        stats.insert(1 + rng.below(50));
    }
    let stats: Vec<String> = stats.iter().map(|p| format!("({p}, 1)")).collect();
    sql += &format!("INSERT INTO post_stats VALUES {};\n", stats.join(", "));
    sql
}

const CLEAR_BLOG: &str = "DELETE FROM post_stats; DELETE FROM post_tags; DELETE FROM attachments;
    DELETE FROM likes; UPDATE comments SET parent_id = NULL; DELETE FROM comments;
    DELETE FROM posts; DELETE FROM users;";

/// Plans and runs a purge of all trash older than 30 days over random blogs, comparing
/// the rows left with the reference, the skipped roots with the plan's.
async fn random_blogs(db: &Db, seeds: std::ops::Range<u64>, recent: u64) {
    db.exec(BLOG_SCHEMA).await;
    let config = config(BLOG_CONFIG);
    let catalog = db.catalog(&config).await;
    for seed in seeds {
        db.exec(CLEAR_BLOG).await;
        db.exec(&random_blog(seed, recent)).await;
        let before = all_keys(db, BLOG_TABLES).await;
        let rows = Model::read(db, BLOG_TABLES, BLOG_SOFT, &blog_rels(), BLOG_CASCADE).await;
        let model = rows.purge();
        // What only came along with a skipped root: the difference between the rule and
        // the engine today.
        let along: BTreeSet<String> = rows
            .purge_with(false)
            .deleted
            .difference(&model.deleted)
            .cloned()
            .collect();
        let expected: BTreeSet<String> = before.difference(&model.deleted).cloned().collect();
        let mut options = options(10, Duration::ZERO);
        options.max_rows = 100_000;
        let plan = db
            .plan(&catalog, &Scope::All, &options, None, true)
            .await
            .unwrap();
        let own = model
            .deleted
            .iter()
            .filter(|k| !k.starts_with("post_tags:"))
            .count();
        assert_eq!(
            plan.total() as usize,
            own,
            "seed {seed}: planned rows; recently trashed rows that only came along with a \
             skipped root: {along:?}"
        );
        let skipped: BTreeSet<String> = plan
            .skipped
            .iter()
            .map(|s| format!("{}:{}", s.table.name, s.rows))
            .collect();
        let mut want = BTreeMap::<String, u64>::new();
        for k in &model.skipped {
            *want
                .entry(k.split(':').next().unwrap().to_owned())
                .or_default() += 1;
        }
        let want: BTreeSet<String> = want.iter().map(|(t, n)| format!("{t}:{n}")).collect();
        assert_eq!(skipped, want, "seed {seed}: skipped roots per table");
        let job = plan.job_id.unwrap();
        let outcome = db.run_in_batches(&catalog, job, 10).await;
        assert_eq!(
            outcome,
            RunOutcome::Done {
                deleted: own as u64,
                kept: 0
            },
            "seed {seed}"
        );
        let after = all_keys(db, BLOG_TABLES).await;
        let extra: Vec<&String> = after.difference(&expected).collect();
        let missing: Vec<&String> = expected.difference(&after).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "{} seed {seed}: left but should be gone: {extra:?}; gone but should be left: {missing:?}",
            db.backend()
        );
        db.assert_no_orphans(&blog_rels(), &format!("seed {seed}"))
            .await;
    }
}

async fn random_blogs_old_trash(db: &Db) {
    random_blogs(db, 1..6, 0).await;
}

on_both!(
    random_blogs_old_trash,
    random_reference_sqlite,
    random_reference_postgres
);

async fn random_blogs_with_recent_trash(db: &Db) {
    random_blogs(db, 100..106, 30).await;
}

on_both!(
    random_blogs_with_recent_trash,
    random_reference_recent_trash_sqlite,
    random_reference_recent_trash_postgres
);

// ---------------------------------------------------------------------------------------
// Retention: a comment trashed a day ago comes into the plan only because its post (old
// trash) is a root; when the post is skipped (a live comment holds it), the recent comment
// must not be purged, 29 days before its retention ends.

async fn recent_descendant_of_a_skipped_root_stays(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(
        "INSERT INTO users VALUES (1, 'ann', NULL);
         INSERT INTO posts VALUES (1, 1, '2020-01-01 00:00:00');
         INSERT INTO comments VALUES (10, 1, NULL, NULL), (11, 1, NULL, {recent});",
    )
    .await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let plan = db.plan_all(&catalog, 10).await;
    assert_eq!(skipped_keys(&plan), set(&["posts:1"]));
    assert_eq!(
        planned_rows(&plan),
        vec![],
        "{}: nothing older than 30 days can go, so nothing younger may go with it",
        db.backend()
    );
    let job = plan.job_id.unwrap();
    db.run_in_batches(&catalog, job, 10).await;
    assert!(
        db.keys("comments", &["id"]).await.contains("11"),
        "the comment trashed a day ago was purged"
    );
}

on_both!(
    recent_descendant_of_a_skipped_root_stays,
    recent_descendant_of_skipped_root_sqlite,
    recent_descendant_of_skipped_root_postgres
);

// ---------------------------------------------------------------------------------------
// The other policies: live descendants, and descendants trashed after the cutoff, are
// purged too, instead of keeping their root.

async fn purge_live_descendants_too(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(
        "INSERT INTO users VALUES (1, 'ann', NULL);
         INSERT INTO posts VALUES (1, 1, '2020-01-01 00:00:00'), (2, 1, NULL);
         INSERT INTO comments VALUES (10, 1, NULL, NULL), (11, 1, NULL, {recent}),
             (12, 1, 10, NULL), (20, 2, NULL, NULL);
         INSERT INTO likes VALUES (1, 1, NULL), (1, 2, NULL);
         INSERT INTO post_tags VALUES (1, 'old');",
    )
    .await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let live_too = PurgeOptions {
        purge_live: true,
        purge_young: true,
        ..options(10, Duration::ZERO)
    };
    let plan = db
        .plan(&catalog, &Scope::All, &live_too, None, true)
        .await
        .unwrap();
    assert!(skipped_keys(&plan).is_empty(), "{:?}", plan.skipped);
    let mut planned = planned_rows(&plan);
    planned.sort();
    assert_eq!(
        planned,
        vec![
            ("comments".to_owned(), 3),
            ("likes".to_owned(), 1),
            ("posts".to_owned(), 1)
        ],
        "{}",
        db.backend()
    );
    let live: u64 = plan.tables.iter().map(|t| t.live).sum();
    assert_eq!(live, 3, "comments 10 and 12 and the like are live");
    db.run(
        &catalog,
        plan.job_id.unwrap(),
        &small_batches(2, Duration::ZERO),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(db.keys("posts", &["id"]).await, set(&["2"]));
    assert_eq!(db.keys("comments", &["id"]).await, set(&["20"]));
    assert_eq!(
        db.keys("likes", &["user_id", "post_id"]).await,
        set(&["1,2"])
    );
    assert_eq!(
        db.keys("users", &["id"]).await,
        set(&["1"]),
        "the live user stays"
    );
    assert!(db.keys("post_tags", &["post_id", "tag"]).await.is_empty());
}

on_both!(
    purge_live_descendants_too,
    purge_live_descendants_too_sqlite,
    purge_live_descendants_too_postgres
);

// ---------------------------------------------------------------------------------------
// 2. A dry run writes nothing: not the data, not the bookkeeping.

async fn dry_run_writes_nothing(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    db.exec(BLOG_DATA).await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let before = db.dump_everything().await;
    assert!(
        before.keys().any(|t| t.contains("purge_jobs")),
        "{:?}",
        before.keys()
    );

    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Duration::ZERO),
            Some("dry"),
            false,
        )
        .await
        .unwrap();
    assert_eq!(plan.job_id, None);
    assert_eq!(plan.total(), 21);
    assert_eq!(
        db.dump_everything().await,
        before,
        "after the engine's dry run"
    );

    let file = db.config_file(BLOG_CONFIG);
    let out = db.bin(Some(&file), &["purge", "--older-than", "30d", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dry run: nothing was written"), "{err}");
    assert!(err.contains("21  rows in all"), "{err}");
    let out = db.bin(
        Some(&file),
        &[
            "purge",
            "--older-than",
            "30d",
            "--dry-run",
            "--json",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "preview", "{report}");
    assert_eq!(report["rows"], 21, "{report}");
    assert_eq!(
        db.dump_everything().await,
        before,
        "after the headless dry runs"
    );
}

on_both!(dry_run_writes_nothing, dry_run_sqlite, dry_run_postgres);

// ---------------------------------------------------------------------------------------
// 3. Rows restored, re-trashed or given a new child while the purge runs survive.

async fn changed_mid_purge(db: &Db) {
    db.exec(BLOG_SCHEMA).await;
    let mut sql = String::from(
        "INSERT INTO users VALUES (1, 'u1', '2020-01-01 00:00:00'), \
         (2, 'u2', '2020-01-01 00:00:00'), (3, 'u3', '2020-01-01 00:00:00');\n",
    );
    // Posts 10..=21, four per user; comments 1000..=1059, five per post; 1043 replies
    // to 1042.
    let posts: Vec<String> = (10..=21)
        .map(|p| format!("({p}, {}, '2020-02-01 00:00:00')", 1 + (p - 10) / 4))
        .collect();
    sql += &format!("INSERT INTO posts VALUES {};\n", posts.join(", "));
    let comments: Vec<String> = (1000..=1059)
        .map(|c| {
            let parent = if c == 1043 { "1042" } else { "NULL" };
            format!(
                "({c}, {}, {parent}, '2020-03-01 00:00:00')",
                10 + (c - 1000) / 5
            )
        })
        .collect();
    sql += &format!("INSERT INTO comments VALUES {};\n", comments.join(", "));
    db.exec(&sql).await;
    let catalog = db.catalog(&config(BLOG_CONFIG)).await;
    let plan = db.plan_all(&catalog, 10).await;
    assert_eq!(
        planned_rows(&plan),
        vec![
            ("comments".into(), 60),
            ("posts".into(), 12),
            ("users".into(), 3)
        ]
    );
    let job = plan.job_id.unwrap();

    // After the first batch (comments 1050..=1059: a table is walked backwards): post 18
    // and its comment 1042 are restored, a live comment appears under post 16, and user
    // 1 is trashed again, a day ago (after the cutoff).
    let change = db.expand(
        "UPDATE posts SET deleted_at = NULL WHERE id = 18;
         UPDATE comments SET deleted_at = NULL WHERE id = 1042;
         INSERT INTO comments VALUES (1060, 16, NULL, NULL);
         UPDATE users SET deleted_at = {recent} WHERE id = 1;",
    );
    let mut batches = 0;
    let mut seen_first = None;
    let target = db.target.clone();
    let outcome = db
        .run(
            &catalog,
            job,
            &small_batches(10, Duration::ZERO),
            &mut |p| {
                if p.deleted > 0 && batches == 0 {
                    batches += 1;
                    seen_first = Some(p.deleted);
                    exec_elsewhere(&target, &change);
                }
            },
        )
        .await
        .unwrap();
    assert_eq!(
        seen_first,
        Some(10),
        "the change came after the first batch"
    );
    // Kept: users 1 (re-trashed lately), 2 (post 16 holds a live comment), 3 (post 18
    // is live again); posts 16 and 18; comment 1042.
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 69,
            kept: 6
        }
    );
    assert_eq!(db.keys("users", &["id"]).await, set(&["1", "2", "3"]));
    assert_eq!(db.keys("posts", &["id"]).await, set(&["16", "18"]));
    assert_eq!(db.keys("comments", &["id"]).await, set(&["1042", "1060"]));
    db.assert_no_orphans(&blog_rels(), "after a purge with changes under it")
        .await;
    assert_eq!(db.job(job).await, ("done".to_owned(), 69));
}

on_both!(
    changed_mid_purge,
    changed_mid_purge_sqlite,
    changed_mid_purge_postgres
);
