//! The console on real, public application schemas it has never seen (`tests/corpus`):
//! each loaded on every backend the application supports, filled with rows that keep
//! every declared and implied key, trashed at many ages alone and in cascaded groups,
//! then checked against SQL the test writes from hand-written expectations: detection,
//! trashed counts, orphans, a group restore and a purge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;
mod corpus_support;

use common::PgDb;
use corpus_support::{changes, checks, generate, related, schema};
use purge_db::*;

async fn on_corpus(db: &Db, app: &str) {
    if !corpus_support::has(app, db.pg) {
        return;
    }
    let expect = schema::Expect::read(app);
    corpus_support::load(db, app).await;
    let schema = schema::Schema::read(db, &expect).await;
    let generated = generate::fill(db, &schema, &expect).await;
    let empty: Vec<&String> = generated
        .rows
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(t, _)| t)
        .collect();
    assert!(
        empty.len() * 5 <= schema.tables.len(),
        "{app} on {}: the generator wrote no row into {empty:?}",
        db.backend()
    );
    let undeclared = db.catalog(&config(&expect.config)).await;
    let wrong = checks::inference(&undeclared, &expect);
    assert!(
        wrong.is_empty(),
        "{app} on {}: {} implied relation(s) differ:\n{}",
        db.backend(),
        wrong.len(),
        wrong.join("\n")
    );
    let catalog = db.catalog(&config(&expect.console_config())).await;
    let wrong = checks::detection(db, &catalog, &expect);
    assert!(
        wrong.is_empty(),
        "{app} on {}: {} verdict(s) differ:\n{}",
        db.backend(),
        wrong.len(),
        wrong.join("\n")
    );
    checks::trashed_counts(db, &catalog, &schema, &expect).await;
    checks::orphans(db, &catalog, &schema, &expect).await;
    related::related(db, &catalog, &schema, &expect, &generated).await;
    changes::group_restore(db, &catalog, &schema, &expect, &generated).await;
    changes::purge(db, &catalog, &schema, &expect).await;
}

macro_rules! corpus {
    ($app:ident) => {
        mod $app {
            use super::*;

            async fn scenario(db: &Db) {
                on_corpus(db, stringify!($app)).await;
            }

            on_both!(scenario, sqlite, postgres);
        }
    };
}

corpus!(mattermost);
corpus!(solidus);
corpus!(lago);
corpus!(paperless);
corpus!(raweb);
corpus!(lobsters);
