//! A property test of the records filter on both backends: for hundreds of random filters
//! made of SQL's special characters (`%`, `_`, `\`, quotes, `;`, `--`, parentheses) and
//! injection attempts, the rows a page returns are exactly those a plain substring match
//! in Rust finds, case-insensitively — so every typed character reached the database as
//! part of a bound value, matched literally, and nothing the text says was executed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::collections::BTreeSet;

use common::PgDb;
use purge_db::*;
use trashcan::engine::filter::Filter;
use trashcan::engine::trash::{self, Anchor, PageQuery};

/// Characters filters and bodies are made of: letters of both cases and SQL's specials.
const ALPHABET: &[char] = &[
    'a', 'b', 'A', 'B', '%', '_', '\\', '\'', ';', '-', '(', ')', '*', '=', 'é',
];

const INJECTIONS: &[&str] = &[
    "');DROP TABLE docs;--",
    "'||(SELECT 1)||'",
    "%'--",
    "\\%\\_",
    "a'b",
    "1=1",
];

fn random_text(rng: &mut Rng, max: u64) -> String {
    let len = 1 + rng.below(max);
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize])
        .collect()
}

async fn filters_match_literally(db: &Db) {
    db.exec("CREATE TABLE docs (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});")
        .await;
    let mut rng = Rng::new(7);
    let mut bodies = Vec::new();
    let mut sql = String::new();
    for id in 0..300u64 {
        let mut body = random_text(&mut rng, 12);
        if id % 50 == 0 {
            body = INJECTIONS[(id / 50) as usize % INJECTIONS.len()].to_owned();
        }
        sql += &format!(
            "INSERT INTO docs VALUES ({id}, '{}', '2020-01-01 00:00:00');\n",
            body.replace('\'', "''")
        );
        bodies.push(body);
    }
    db.exec(&sql).await;
    let catalog = db
        .catalog(&config(
            "[tables.docs]\ncolumn = \"deleted_at\"\ndisplay = [\"body\"]\n",
        ))
        .await;
    let table = catalog
        .tables
        .iter()
        .find(|t| t.name.name == "docs")
        .unwrap();
    let mut conn = db.conn().await;

    let mut words: Vec<Vec<String>> = INJECTIONS.iter().map(|w| vec![(*w).to_owned()]).collect();
    for _ in 0..250 {
        let n = 1 + rng.below(2);
        words.push((0..n).map(|_| random_text(&mut rng, 3)).collect());
    }
    let mut matched_some = 0;
    for filter_words in words {
        let filter = Filter {
            words: filter_words.clone(),
            ages: Vec::new(),
        };
        let page = trash::page(
            &mut conn,
            table,
            &PageQuery {
                anchor: Anchor::First,
                filter,
                newest_first: true,
                limit: 1_000,
                live: false,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{filter_words:?}: {e}"));
        let got: BTreeSet<String> = page.rows.iter().map(|r| r.key[0].clone()).collect();
        // ASCII case folding only: what both LIKE (SQLite) and ILIKE agree on here.
        let fold = |s: &str| s.to_ascii_lowercase();
        let want: BTreeSet<String> = bodies
            .iter()
            .enumerate()
            .filter(|(_, body)| filter_words.iter().all(|w| fold(body).contains(&fold(w))))
            .map(|(id, _)| id.to_string())
            .collect();
        assert_eq!(got, want, "filter {filter_words:?}");
        if !want.is_empty() && want.len() < bodies.len() {
            matched_some += 1;
        }
    }
    assert!(
        matched_some > 50,
        "the filters are selective enough to prove something ({matched_some})"
    );
    assert_eq!(
        db.count("SELECT 1 FROM docs").await,
        300,
        "nothing was executed"
    );
}

on_both!(
    filters_match_literally,
    filters_match_literally_sqlite,
    filters_match_literally_postgres
);
