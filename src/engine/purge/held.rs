//! Why a plan skips roots: for a few of each table's skipped roots, what hangs off them
//! that the purge will not delete: live rows, rows trashed after the cutoff, rows of a
//! table the purge cannot delete, or rows held back themselves further down. Asked
//! only for the sampled keys, so it costs a few key lookups per relation.

use super::Skipped;
use super::plan::{purgeable, relations};
use super::rules::Rules;
use crate::db::{DbConn, rows};
use crate::engine::catalog::Catalog;
use crate::engine::change::keys::in_keys;
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::related::join_on;
use crate::engine::sql::Binds;

/// What holds the sampled roots of `skipped` back, one phrase per cause and relation.
pub(super) async fn held_back_by(
    conn: &mut DbConn,
    catalog: &Catalog,
    rules: &Rules,
    skipped: &Skipped,
) -> Result<Vec<String>, EngineError> {
    let backend = rules.backend;
    let mut because = Vec::new();
    if skipped.sample.is_empty() {
        return Ok(because);
    }
    for (relation, parent, child) in relations(catalog, false) {
        if parent.name != skipped.table {
            continue;
        }
        let parent_keys = expr::key_columns(parent, backend);
        let mut binds = Binds::new(backend);
        let sample = in_keys(
            Some("p"),
            &parent_keys,
            &skipped.sample,
            &mut binds,
            backend,
        );
        let (live, young) = match purgeable(child) {
            Some(sd) => {
                let trashed = expr::trashed_in(sd, backend, Some("c"));
                (
                    format!("NOT COALESCE({trashed}, FALSE)"),
                    format!(
                        "COALESCE({trashed}, FALSE) AND NOT COALESCE({}, FALSE)",
                        rules.old_enough(child, sd, "c")
                    ),
                )
            }
            None => ("1 = 1".to_owned(), "1 = 0".to_owned()),
        };
        let text = |e: &str| expr::cast_text(e, backend);
        let sql = format!(
            "SELECT {}, {}, {} FROM {} AS p JOIN {} AS c ON {} WHERE {sample}",
            text("count(*)"),
            text(&format!(
                "COALESCE(sum(CASE WHEN {live} THEN 1 ELSE 0 END), 0)"
            )),
            text(&format!(
                "COALESCE(sum(CASE WHEN {young} THEN 1 ELSE 0 END), 0)"
            )),
            parent.name.quoted(),
            child.name.quoted(),
            join_on(relation, "c", "p"),
        );
        let found = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &child.name))?;
        let Some(row) = found.first() else {
            continue;
        };
        let n = |i| row.int(i).unwrap_or(0).max(0);
        let (all, live, young) = (n(0), n(1), n(2));
        let via = relation.describe();
        let table = child.name.display();
        if all == 0 {
            continue;
        }
        if purgeable(child).is_none() {
            let why = child
                .read_only_reason()
                .unwrap_or("the table does not soft-delete");
            because.push(format!(
                "rows in {table}, which a purge cannot delete ({why}; {via})"
            ));
            continue;
        }
        if live > 0 && !rules.purge_live {
            because.push(format!("live rows in {table} ({via})"));
        }
        if young > 0 {
            because.push(format!(
                "rows in {table} trashed after their cutoff ({via}); --purge-young takes them too"
            ));
        }
        let rest = all - young - if rules.purge_live { 0 } else { live };
        if rest > 0 && live + young == 0 {
            because.push(format!(
                "rows in {table} that are held back themselves ({via})"
            ));
        }
    }
    Ok(because)
}
