//! Rows restored through the engine while a killed purge goes on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// Restores through the engine.

/// Restores up to `n` frozen rows still trashed, each with its deletion group and its
/// trashed ancestors; returns every row the restores made live. A restore that meets
/// rows the purge deleted meanwhile changes nothing and is tried with another row.
pub(crate) async fn restore_some(
    s: &Setup,
    frozen: &BTreeSet<String>,
    rng: &mut Rng,
    n: usize,
) -> BTreeSet<String> {
    let db = &s.db;
    let mut restored = BTreeSet::new();
    let mut applied = 0;
    for _ in 0..n * 4 {
        if applied == n {
            break;
        }
        let trashed = trashed_keys(db).await;
        let candidates: Vec<&String> = frozen.intersection(&trashed).collect();
        if candidates.is_empty() {
            break;
        }
        let pick = candidates[rng.below(candidates.len() as u64) as usize];
        let (table, key) = pick.split_once(':').unwrap();
        let key: Vec<String> = key.split(',').map(str::to_owned).collect();
        let name = TableName::new(db.pg.then_some("public"), table);
        let options = ChangeOptions {
            with_ancestors: true,
            ..ChangeOptions::default()
        };
        let mut c = db.conn().await;
        let Ok(preview) = change::plan_restore(&mut c, &s.catalog, &name, &[key], &options).await
        else {
            continue;
        };
        if !preview.can_apply() {
            continue;
        }
        if let Ok(done) =
            change::apply(&mut c, &s.catalog, &preview.change, &actor(), Some(REASON)).await
        {
            applied += 1;
            for t in &done.change.tables {
                for row in &t.rows {
                    restored.insert(format!("{}:{}", t.table.display(), row.key.join(",")));
                }
            }
        }
    }
    restored
}

/// Keys of the rows that are trashed now.
pub(crate) async fn trashed_keys(db: &Db) -> BTreeSet<String> {
    keys_where(db, "deleted_at IS NOT NULL").await
}

pub(crate) async fn keys_where(db: &Db, condition: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for (table, columns) in SOFT_BLOG_TABLES {
        let key: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        for k in db
            .strings(&format!(
                "SELECT {} FROM {table} WHERE {condition}",
                key.join(" || ',' || ")
            ))
            .await
        {
            all.insert(format!("{table}:{k}"));
        }
    }
    all
}

/// Rows that some row references along `SOFT_BLOG_RELS` (each relation's parent
/// columns are its parent's key here), as `table:key`.
pub(crate) async fn referenced_keys(db: &Db) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for rel in SOFT_BLOG_RELS {
        let key_columns = SOFT_BLOG_TABLES
            .iter()
            .find(|(t, _)| *t == rel.parent)
            .unwrap()
            .1;
        assert_eq!(rel.parent_columns, key_columns, "{rel:?}");
        let columns: Vec<String> = rel
            .child_columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let not_null: Vec<String> = rel
            .child_columns
            .iter()
            .map(|c| format!("{c} IS NOT NULL"))
            .collect();
        for k in db
            .strings(&format!(
                "SELECT DISTINCT {} FROM {} WHERE {}",
                columns.join(" || ',' || "),
                rel.child,
                not_null.join(" AND ")
            ))
            .await
        {
            all.insert(format!("{}:{k}", rel.parent));
        }
    }
    all
}
