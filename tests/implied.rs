//! Relations a schema implies by naming and never declares (a Go app's `channelid`,
//! `userid`): suggested with how well they fit the data, never followed until declared,
//! and a purge or move to trash that could orphan rows along one refuses until each is
//! declared, ignored in the config, or overridden for the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::engine::change::{self, Blocker, ChangeOptions};
use trashcan::engine::purge::Scope;
use trashcan::engine::sql::TableName;

/// Keys by name only; epoch-millisecond deletion marks; '' for "no parent".
const SCHEMA: &str = "
CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT, deleteat BIGINT NOT NULL DEFAULT 0);
CREATE TABLE channels (id TEXT PRIMARY KEY, teamid TEXT NOT NULL, name TEXT,
    deleteat BIGINT NOT NULL DEFAULT 0);
CREATE TABLE posts (id TEXT PRIMARY KEY, channelid TEXT NOT NULL, rootid TEXT NOT NULL,
    message TEXT, deleteat BIGINT NOT NULL DEFAULT 0);
";

fn ms_ago(db: &Db, days: u32) -> String {
    if db.pg {
        format!("CAST(extract(epoch FROM now() - interval '{days} days') * 1000 AS BIGINT)")
    } else {
        format!("CAST((julianday('now', '-{days} days') - 2440587.5) * 86400000 AS INTEGER)")
    }
}

/// Team t1 live; channel c1 trashed 90 days ago with its posts; channel c2 live with a
/// post; one post points at a channel that is gone (a hard orphan, were the key declared).
async fn seed(db: &Db) {
    db.exec(SCHEMA).await;
    db.exec(&format!(
        "INSERT INTO teams VALUES ('t1', 'one', 0), ('t2', 'two', 0);
         INSERT INTO channels VALUES ('c1', 't1', 'old', {old}), ('c2', 't1', 'live', 0);
         INSERT INTO posts VALUES ('p1', 'c1', '', 'a', {old}), ('p2', 'c1', '', 'b', {old}),
             ('p3', 'c2', '', 'c', 0), ('p4', 'gone', '', 'd', 0);",
        old = ms_ago(db, 90)
    ))
    .await;
}

fn name(db: &Db, table: &str) -> TableName {
    TableName::new(db.pg.then_some("public"), table)
}

async fn implied_relations_refuse_until_declared(db: &Db) {
    seed(db).await;
    let catalog = db.catalog(&config("")).await;
    let implied: Vec<String> = catalog.implied.iter().map(|r| r.describe()).collect();
    assert_eq!(
        implied,
        [
            "channels.teamid → teams.id",
            "posts.channelid → channels.id"
        ],
        "rootid names no table"
    );
    assert!(
        catalog
            .warnings
            .iter()
            .any(|w| w.contains("2 relation(s) are implied")),
        "{:?}",
        catalog.warnings
    );
    let channels = Scope::Table(name(db, "channels"));
    let options = options(10, Default::default());
    let refused = db
        .plan(&catalog, &channels, &options, None, false)
        .await
        .unwrap_err();
    assert!(
        refused.message.contains("posts.channelid → channels.id")
            && refused.message.contains("--ignore-implied"),
        "{refused}"
    );
    // Posts have no implied children: purging their trash alone is fine.
    let posts = Scope::Table(name(db, "posts"));
    assert_eq!(
        db.plan(&catalog, &posts, &options, None, false)
            .await
            .unwrap()
            .total(),
        2
    );
    // Moving a channel to trash would leave its posts live: refused in the preview.
    let mut conn = db.conn().await;
    let preview = change::plan_trash(
        &mut conn,
        &catalog,
        &name(db, "channels"),
        &[vec!["c2".into()]],
        &ChangeOptions::default(),
    )
    .await
    .unwrap();
    assert!(
        preview
            .blockers
            .iter()
            .any(|b| matches!(b, Blocker::Implied { relations } if relations.len() == 1)),
        "{:?}",
        preview.blockers
    );
    assert!(!preview.can_apply());
    // Overridden for this move: it goes ahead, the posts stay live under the trashed
    // channel, and the audit log says the relation was left undeclared.
    let preview = change::plan_trash(
        &mut conn,
        &catalog,
        &name(db, "channels"),
        &[vec!["c2".into()]],
        &ChangeOptions {
            ignore_implied: true,
            ..ChangeOptions::default()
        },
    )
    .await
    .unwrap();
    assert!(preview.can_apply(), "{:?}", preview.blockers);
    assert_eq!(
        preview.change.implied_ignored,
        ["posts.channelid → channels.id"]
    );
    let applied = change::apply(&mut conn, &catalog, &preview.change, &actor(), None)
        .await
        .unwrap();
    let context = db
        .scalar(&format!(
            "SELECT details FROM {} WHERE id = {}",
            db.audit_table(),
            applied.audit_id
        ))
        .await;
    assert!(
        context.contains("implied relations left undeclared for this change"),
        "{context}"
    );
    assert_eq!(
        db.scalar("SELECT CAST(deleteat AS TEXT) FROM posts WHERE id = 'p3'")
            .await,
        "0",
        "the live post stays live"
    );
    let undo = applied.undo();
    change::apply(&mut conn, &catalog, &undo, &actor(), None)
        .await
        .unwrap();

    // Overridden for the run: planned, and the audit says so.
    let overriding = trashcan::engine::purge::PurgeOptions {
        ignore_implied: true,
        ..options.clone()
    };
    let plan = db
        .plan(&catalog, &channels, &overriding, None, true)
        .await
        .unwrap();
    assert_eq!(plan.implied_ignored, ["posts.channelid → channels.id"]);
    let context = db
        .scalar(&format!(
            "SELECT details FROM {} WHERE job_id = {} AND action = 'purge plan'",
            db.audit_table(),
            plan.job_id.unwrap()
        ))
        .await;
    assert!(context.contains("implied relations ignored"), "{context}");

    // Declared in the config (as `relations --suggest` prints it): followed, so the
    // channel's posts go with it.
    let declared = config(
        "[[relations]]\nchild = \"posts\"\nchild_columns = [\"channelid\"]\n\
         parent = \"channels\"\nparent_columns = [\"id\"]\n",
    );
    let catalog = db.catalog(&declared).await;
    assert_eq!(catalog.implied.len(), 1, "channels.teamid is still implied");
    let plan = db
        .plan(&catalog, &channels, &options, None, false)
        .await
        .unwrap();
    assert_eq!(plan.total(), 3, "channel c1 and its two posts");

    // Ignored in the config: no suggestion, no refusal.
    let ignored = config("[implied]\nignore = [\"posts.channelid\", \"channels.teamid\"]\n");
    let catalog = db.catalog(&ignored).await;
    assert!(catalog.implied.is_empty());
    db.plan(&catalog, &channels, &options, None, false)
        .await
        .unwrap();
}
on_both!(
    implied_relations_refuse_until_declared,
    implied_refuse_sqlite,
    implied_refuse_postgres
);

/// `trashcan relations --suggest` prints config that parses, with how many rows fit;
/// pasted into the config file, the purge that was refused runs.
async fn suggestions_are_config_ready_to_paste(db: &Db) {
    seed(db).await;
    let out = db.bin(None, &["relations", "--suggest"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("# posts.channelid → channels.id: 3 of 4 rows match a parent, 1 do not"),
        "{text}"
    );
    let parsed = config(&text);
    assert_eq!(parsed.relations.len(), 2, "{text}");

    let refused = db.bin(
        None,
        &[
            "purge",
            "--table",
            "channels",
            "--older-than",
            "30d",
            "--yes",
        ],
    );
    assert_eq!(refused.status.code(), Some(3), "{}", describe(&refused));
    let file = db.config_file(&text);
    let out = db.bin(
        Some(&file),
        &[
            "purge",
            "--table",
            "channels",
            "--older-than",
            "30d",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(db.keys("posts", &["id"]).await, set(&["p3", "p4"]));
    assert_eq!(db.keys("channels", &["id"]).await, set(&["c2"]));

    let json = db.bin(Some(&file), &["relations", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let kinds: Vec<&str> = value["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["config", "config"], "{value}");
}
on_both!(
    suggestions_are_config_ready_to_paste,
    suggestions_sqlite,
    suggestions_postgres
);
