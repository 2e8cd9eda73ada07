//! The rules a plan applies to every row it meets, whichever way the set is held (a
//! table on the server, or the console's memory for a plan that only reads): which
//! trashed rows are old enough to come in below a root, and which policies widen that.

use std::collections::{BTreeMap, BTreeSet};

use super::scope::cutoff_of;
use super::sql::trashed_before;
use super::{PurgeOptions, Scope};
use crate::db::Backend;
use crate::engine::catalog::{Catalog, SoftDelete, TableInfo};
use crate::engine::expr;
use crate::engine::sql::TableName;

pub(super) struct Rules {
    pub(super) backend: Backend,
    /// The policy: live descendants go too, instead of keeping their roots back.
    pub(super) purge_live: bool,
    /// Tables whose every row trashed before their cutoff is a root already (a table or
    /// all-trash scope): expanding into them need not find those rows again.
    pub(super) complete_roots: BTreeMap<TableName, f64>,
    /// Every soft-delete table's cutoff: a descendant trashed after its table's cutoff
    /// keeps its root back, unless the policy purges young descendants.
    pub(super) cutoffs: BTreeMap<TableName, f64>,
    pub(super) purge_young: bool,
    /// Tables whose rows go whatever their age (`--ignore-age`).
    pub(super) ignore_age: BTreeSet<TableName>,
}

impl Rules {
    pub(super) fn new(
        backend: Backend,
        catalog: &Catalog,
        scope: &Scope,
        options: &PurgeOptions,
        now: f64,
    ) -> Self {
        Self {
            backend,
            purge_live: options.purge_live,
            complete_roots: BTreeMap::new(),
            cutoffs: catalog
                .soft_delete_tables()
                .map(|t| (t.name.clone(), cutoff_of(t, options, now)))
                .collect(),
            // An orphan purge takes its orphans whatever their state and age, and so the
            // trashed rows under them: they hang off a row that is itself broken.
            purge_young: options.purge_young || matches!(scope, Scope::Orphans { .. }),
            ignore_age: options.ignore_age.iter().cloned().collect(),
        }
    }

    /// Which trashed rows of `child` under `alias` may come in as descendants: any with
    /// the young policy or an ignored age, else those trashed before the table's cutoff
    /// (none, for a table without deletion times).
    pub(super) fn old_enough(&self, child: &TableInfo, sd: &SoftDelete, alias: &str) -> String {
        if self.purge_young || self.ignore_age.contains(&child.name) {
            return expr::trashed_in(sd, self.backend, Some(alias));
        }
        self.cutoffs
            .get(&child.name)
            .and_then(|&cutoff| trashed_before(sd, alias, cutoff, self.backend))
            .unwrap_or_else(|| "1 = 0".to_owned())
    }

    /// The rows of `child` under `alias` that may come in below a parent in the set:
    /// trashed and old enough, or live too under the policy that says so.
    pub(super) fn wanted(&self, child: &TableInfo, sd: &SoftDelete, alias: &str) -> String {
        let old_enough = self.old_enough(child, sd, alias);
        if self.purge_live {
            let trashed = expr::trashed_in(sd, self.backend, Some(alias));
            format!("(NOT COALESCE({trashed}, FALSE) OR ({old_enough}))")
        } else {
            format!("({old_enough})")
        }
    }

    /// Whether the set already holds every row of `table` expanding could take in: its
    /// roots are all its trash before its cutoff (a table or all-trash scope), and only
    /// trash that old may come in as a descendant. Then expanding into it is skipped,
    /// which saves a join of the set with the table per relation and round.
    pub(super) fn holds_every_wanted_row(&self, table: &TableName) -> bool {
        !self.purge_live
            && !self.purge_young
            && !self.ignore_age.contains(table)
            && self.complete_roots.get(table) == self.cutoffs.get(table)
            && self.complete_roots.contains_key(table)
    }

    /// The cutoff a descendant of `table` is held to when its batch comes (see
    /// `PlannedTable::descendants_before`).
    pub(super) fn descendants_before(&self, table: &TableName) -> Option<f64> {
        if self.purge_young || self.ignore_age.contains(table) {
            return None;
        }
        self.cutoffs.get(table).copied()
    }
}
