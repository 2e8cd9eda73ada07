//! Taking out of a frozen set every row the purge must keep: any row with a child the
//! purge will not delete (live, trashed after its cutoff, in a table it cannot delete,
//! or itself taken out), to a fixpoint; and telling whether the rows left still hang
//! off a root that stayed.

use std::collections::{BTreeMap, BTreeSet};

use super::Skipped;
use super::plan::{Bound, purgeable, relations};
use super::sql::{encode_key, key_matches};
use crate::db::{DbConn, rows};
use crate::engine::catalog::Catalog;
use crate::engine::change::keys::{KEYS_PER_STATEMENT, in_keys};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;
use crate::engine::sql::{Binds, TableName};

/// Skipped roots listed by key, per table.
const SKIPPED_SAMPLE: usize = 10;
/// Rows pruning removed that are kept by key, to tell whether the set must be expanded
/// again (see `descendants_keep_their_way_up`); past this many it is.
const REMOVED_TRACKED: usize = 5_000;

/// What pruning took out of the set: the roots it skipped, for the operator, and every
/// row it removed (roots and descendants) by table, unless there were more than
/// [`REMOVED_TRACKED`].
pub(super) struct Pruned {
    pub(super) skipped: Vec<Skipped>,
    pub(super) removed: Option<BTreeMap<TableName, Vec<Vec<String>>>>,
}

/// Takes out of the set every row with a child the purge will not delete (live, in a
/// table that does not soft-delete, or itself taken out), until nothing changes. Returns
/// the roots taken out, per table (the default policy skips a root with live
/// descendants and lists it), and the rows taken out.
pub(super) async fn prune(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
) -> Result<Pruned, EngineError> {
    let backend = bound.backend;
    let mut skipped: BTreeMap<TableName, Skipped> = BTreeMap::new();
    let mut removed_rows: Option<BTreeMap<TableName, Vec<Vec<String>>>> = Some(BTreeMap::new());
    let mut removed_count = 0usize;
    // After the first sweep a parent can only lose its place through a child that just
    // lost its own, so later sweeps look only below the tables that lost rows.
    let mut lost: Option<BTreeSet<TableName>> = None;
    loop {
        let mut removed = 0;
        let mut lost_now = BTreeSet::new();
        for (relation, parent, child) in relations(catalog, false) {
            if lost.as_ref().is_some_and(|l| !l.contains(&relation.child)) {
                continue;
            }
            let parent_keys = expr::key_columns(parent, backend);
            let mut binds = Binds::new(backend);
            let job = bound.job(&mut binds);
            let parent_name = binds.push(parent.name.to_string());
            // A child the set holds is fine; any other child keeps the parent.
            let held = if purgeable(child).is_some() {
                let child_name = binds.push(child.name.to_string());
                format!(
                    "NOT EXISTS (SELECT 1 FROM {} AS rc WHERE rc.job_id = {job} \
                     AND rc.table_name = {child_name} AND rc.key = {})",
                    bound.rows,
                    encode_key(&expr::key_columns(child, backend), "c", backend)
                )
            } else {
                "1 = 1".to_owned()
            };
            let sql = format!(
                "DELETE FROM {rows} WHERE job_id = {job} AND table_name = {parent_name} AND key IN \
                 (SELECT pr.key FROM {rows} AS pr JOIN {} AS p ON {} JOIN {} AS c ON {} \
                  WHERE pr.job_id = {job} AND pr.table_name = {parent_name} AND {held}) \
                 RETURNING key, CAST(round AS TEXT)",
                parent.name.quoted(),
                key_matches(&parent_keys, "p", "pr.key", backend),
                child.name.quoted(),
                join_on(relation, "c", "p"),
                rows = bound.rows,
            );
            let gone = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &parent.name))?;
            removed += gone.len();
            if !gone.is_empty() {
                lost_now.insert(parent.name.clone());
            }
            removed_count += gone.len();
            if removed_count > REMOVED_TRACKED {
                removed_rows = None;
            }
            for row in &gone {
                if let Some(by_table) = removed_rows.as_mut() {
                    by_table
                        .entry(parent.name.clone())
                        .or_default()
                        .push(decode_key(row.text(0)));
                }
                if row.int(1) != Some(0) {
                    continue;
                }
                let entry = skipped
                    .entry(parent.name.clone())
                    .or_insert_with(|| Skipped {
                        table: parent.name.clone(),
                        rows: 0,
                        sample: Vec::new(),
                        because: Vec::new(),
                    });
                entry.rows += 1;
                if entry.sample.len() < SKIPPED_SAMPLE {
                    entry.sample.push(decode_key(row.text(0)));
                }
            }
        }
        if removed == 0 {
            return Ok(Pruned {
                skipped: skipped.into_values().collect(),
                removed: removed_rows,
            });
        }
        lost = Some(lost_now);
    }
}

/// A key as the set stores it (a JSON array of its values' text), as values.
pub(super) fn decode_key(stored: Option<String>) -> Vec<String> {
    stored
        .and_then(|k| serde_json::from_str(&k).ok())
        .unwrap_or_default()
}

/// Whether every descendant the set still holds can still be reached from a remaining
/// root, so expanding again would find the same rows. It can when none of them hangs
/// directly off a row pruning removed: each descendant came in through a parent one
/// round nearer the roots, which was then not removed either, and so on up to a root
/// that stayed. Asking costs a few key lookups per relation below a removed row, where
/// expanding again joins the whole set with every child table (seconds, for a big
/// purge). Unknown (too many rows removed to list) counts as no.
pub(super) async fn descendants_keep_their_way_up(
    conn: &mut DbConn,
    catalog: &Catalog,
    bound: &Bound<'_>,
    removed: Option<BTreeMap<TableName, Vec<Vec<String>>>>,
) -> Result<bool, EngineError> {
    let Some(removed) = removed else {
        return Ok(false);
    };
    let backend = bound.backend;
    for (relation, parent, child) in relations(catalog, false) {
        // The children `expand` follows; no other row came in through a parent.
        if purgeable(child).is_none() {
            continue;
        }
        let Some(keys) = removed.get(&parent.name) else {
            continue;
        };
        let parent_keys = expr::key_columns(parent, backend);
        let child_keys = expr::key_columns(child, backend);
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            let mut binds = Binds::new(backend);
            let job = bound.job(&mut binds);
            let child_name = binds.push(child.name.to_string());
            let sql = format!(
                "SELECT 1 FROM {} AS p JOIN {} AS c ON {} JOIN {} AS rc ON rc.job_id = {job} \
                 AND rc.table_name = {child_name} AND rc.key = {} \
                 WHERE {} AND rc.round > 0 LIMIT 1",
                parent.name.quoted(),
                child.name.quoted(),
                join_on(relation, "c", "p"),
                bound.rows,
                encode_key(&child_keys, "c", backend),
                in_keys(Some("p"), &parent_keys, chunk, &mut binds, backend),
            );
            let hanging = rows::query(conn, &sql, &binds.into_values())
                .await
                .map_err(|e| EngineError::from_query(e, &child.name))?;
            if !hanging.is_empty() {
                return Ok(false);
            }
        }
    }
    Ok(true)
}
