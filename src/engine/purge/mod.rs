//! Supervised purges: hard-deleting trashed rows older than a cutoff, children first, in
//! small batches that each commit with the job's checkpoint.
//!
//! - **Plan** ([`plan`]): in one transaction, the roots (trashed before the cutoff, in
//!   the chosen scope) and their trashed descendants are written to a frozen set
//!   (`purge_rows`). Rows with a live descendant, or any child the purge would not
//!   delete, are taken out again, with everything above them: the default policy skips
//!   them and lists them. The counts, in the order the tables will be purged, are read
//!   back; a dry run then rolls everything back, a real plan commits it (phase 1). A
//!   session that may not write (read-only, a role that may only read, no bookkeeping
//!   tables) plans a dry run by reading only, with the same rules, holding the set in
//!   memory (`reading`).
//! - **Run** ([`run`]): batches of the frozen set, table by table, children first. Each
//!   batch deletes only rows that are still trashed (roots: still before the cutoff) and
//!   have no child left, and moves the checkpoint in the same transaction (phase 2). A
//!   killed job resumes at its last commit. Rows kept back by a child that is deleted
//!   later in the pass (a reply's parent in the same table) are taken by the next pass.

mod approval;
mod held;
mod jobs;
mod memory_set;
mod outline;
mod plan;
mod prune;
mod reading;
mod record;
mod rules;
mod run;
mod scope;
mod sql;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use approval::{Approval, approve};
pub use jobs::{JobSummary, abandon, job_exists, list_jobs};
pub use plan::plan;
pub use record::cutoff_text;
pub use run::{JobControl, Limits, Progress, RunOutcome, Tuning, run};
pub(crate) use sql::{decode_key, encode_key};

use crate::engine::related::IndexAdvice;
use crate::engine::sql::{TableName, quote_ident};

/// What the operator wants purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// These rows of one table (the selection or the marked rows).
    Rows {
        table: TableName,
        keys: Vec<Vec<String>>,
    },
    /// One table's trash.
    Table(TableName),
    /// Every soft-delete table's trash.
    All,
    /// The hard orphans of `child` along one relation (their parent key matches no row),
    /// whatever their state, with the trashed rows that hang off them.
    Orphans {
        child: TableName,
        relation: OrphanRelation,
    },
}

/// A relation as an orphan purge names it, stable across sessions (unlike the catalog's
/// relation numbers): the parent and the column pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrphanRelation {
    pub parent_schema: Option<String>,
    pub parent: String,
    pub child_columns: Vec<String>,
    pub parent_columns: Vec<String>,
}

impl OrphanRelation {
    pub fn of(relation: &crate::engine::catalog::Relation) -> Self {
        Self {
            parent_schema: relation.parent.schema.clone(),
            parent: relation.parent.name.clone(),
            child_columns: relation.child_columns.clone(),
            parent_columns: relation.parent_columns.clone(),
        }
    }

    pub fn parent_name(&self) -> TableName {
        TableName::new(self.parent_schema.as_deref(), &self.parent)
    }

    /// The row under `alias` is a hard orphan along this relation: every column of the
    /// relation set (a NULL means no relation at all), and no parent row with that key.
    pub fn hard_orphan(&self, alias: &str) -> String {
        let mut conditions: Vec<String> = self
            .child_columns
            .iter()
            .map(|c| format!("{alias}.{} IS NOT NULL", quote_ident(c)))
            .collect();
        let join: Vec<String> = self
            .child_columns
            .iter()
            .zip(&self.parent_columns)
            .map(|(c, p)| format!("op.{} = {alias}.{}", quote_ident(p), quote_ident(c)))
            .collect();
        conditions.push(format!(
            "NOT EXISTS (SELECT 1 FROM {} AS op WHERE {})",
            self.parent_name().quoted(),
            join.join(" AND ")
        ));
        conditions.join(" AND ")
    }
}

impl Scope {
    pub fn describe(&self) -> String {
        match self {
            Scope::Rows { table, keys } => format!("{} row(s) of {}", keys.len(), table.display()),
            Scope::Table(table) => format!("the trash of {}", table.display()),
            Scope::All => "all trash".into(),
            Scope::Orphans { child, relation } => format!(
                "orphans of {}.{} → {}.{}",
                child.display(),
                relation.child_columns.join(","),
                relation.parent_name().display(),
                relation.parent_columns.join(",")
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PurgeOptions {
    /// Rows trashed longer ago than this; `None`: each table's retention, else
    /// `default_retention_days`.
    pub older_than: Option<Duration>,
    pub default_retention_days: u32,
    /// Plans larger than this are refused outright.
    pub max_rows: u64,
    /// Above this many rows a reason is required.
    pub reason_above: u64,
    /// Above this many rows a second operator must approve.
    pub approval_above: u64,
    pub batch_size: u32,
    pub sleep: Duration,
    /// The policy for live descendants: `false` (the default) skips their roots and
    /// lists them; `true` purges them too.
    pub purge_live: bool,
    /// The policy for trashed descendants younger than their table's cutoff: `false`
    /// (the default) skips their roots, so no row trashed less than the cutoff ago goes;
    /// `true` purges them with their roots.
    pub purge_young: bool,
    /// Tables whose rows record no deletion time (flags alone) purged whatever their
    /// age: the operator typed each one's name to say so.
    pub ignore_age: Vec<TableName>,
    /// Plan even though rows could be orphaned along relations the schema implies and
    /// does not declare (the operator's override for this run; recorded in the audit).
    pub ignore_implied: bool,
}

/// The operator's choices for one purge: what it does with descendants that would
/// otherwise keep their roots back, tables purged whatever their age, and whether
/// relations the schema only implies may be left behind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// Purge live descendants too.
    pub purge_live: bool,
    /// Purge descendants trashed after their table's cutoff too.
    pub purge_young: bool,
    /// Tables without deletion times purged whatever their age (`--ignore-age`).
    pub ignore_age: Vec<TableName>,
    /// Plan despite undeclared implied relations (`--ignore-implied`).
    pub ignore_implied: bool,
}

impl PurgeOptions {
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.purge_live = policy.purge_live;
        self.purge_young = policy.purge_young;
        self.ignore_implied = policy.ignore_implied;
        for table in policy.ignore_age {
            if !self.ignore_age.contains(&table) {
                self.ignore_age.push(table);
            }
        }
        self
    }
}

impl Default for PurgeOptions {
    fn default() -> Self {
        Self {
            older_than: None,
            default_retention_days: 30,
            max_rows: 10_000_000,
            reason_above: 1_000,
            approval_above: 10_000,
            batch_size: 1_000,
            sleep: Duration::ZERO,
            purge_live: false,
            purge_young: false,
            ignore_age: Vec::new(),
            ignore_implied: false,
        }
    }
}

/// One table of a plan, in the order tables are purged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedTable {
    pub schema: Option<String>,
    pub name: String,
    /// Rows the purge will delete, roots and descendants.
    pub rows: u64,
    /// Of those, rows trashed before the cutoff in the scope itself.
    pub roots: u64,
    /// Of those, live rows (only with the policy that purges live descendants).
    #[serde(default)]
    pub live: u64,
    /// The cutoff for this table's roots, epoch seconds (`None`: no roots here).
    pub cutoff_epoch: Option<f64>,
    /// The roots here are hard orphans along this relation (an orphan purge): each
    /// batch checks they still are, instead of a cutoff.
    #[serde(default)]
    pub orphans_of: Option<OrphanRelation>,
    /// Descendants here must have been trashed before this (epoch seconds), when their
    /// batch comes as when planned; `None`: any trashed descendant goes (the policy that
    /// purges young descendants, a table whose age is ignored, or a job planned before
    /// the cutoff held for descendants).
    #[serde(default)]
    pub descendants_before: Option<f64>,
    /// The roots here were taken whatever their age (a table without deletion times,
    /// named by the operator): a batch checks only that they are still trashed.
    #[serde(default)]
    pub age_ignored: bool,
    /// How the table soft-deleted when planned (`SoftDelete::describe`): a job whose
    /// tables are read differently now refuses to run.
    #[serde(default)]
    pub convention: Option<String>,
}

impl PlannedTable {
    pub fn table_name(&self) -> TableName {
        TableName::new(self.schema.as_deref(), &self.name)
    }
}

/// Roots the plan leaves alone, per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub table: TableName,
    pub rows: u64,
    /// A few of their keys.
    pub sample: Vec<Vec<String>>,
    /// What holds the sampled roots back, e.g. "live rows in comments" or "rows in
    /// comments trashed after the cutoff".
    pub because: Vec<String>,
}

/// A soft-delete table a purge of all trash cannot take, and why: said out loud, so a
/// nightly purge never leaves a table's old trash behind in silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub table: TableName,
    pub why: String,
}

/// What the database does by itself when the purge deletes parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseEffect {
    pub relation: String,
    /// `ON DELETE CASCADE` (deletes) or `SET NULL`/`SET DEFAULT` (detaches).
    pub action: String,
    pub rows: u64,
}

impl DatabaseEffect {
    /// What the relation's `ON DELETE` action does to `rows` children; none for none.
    pub(super) fn of(relation: &crate::engine::catalog::Relation, rows: u64) -> Option<Self> {
        (rows > 0).then(|| DatabaseEffect {
            relation: relation.describe(),
            action: format!("{:?}", relation.on_delete),
            rows,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PurgePlan {
    /// The job written in phase 1; `None` for a dry run.
    pub job_id: Option<i64>,
    pub scope: String,
    /// The database's clock when the plan was made.
    pub now_epoch: f64,
    pub tables: Vec<PlannedTable>,
    pub skipped: Vec<Skipped>,
    pub left_out: Vec<LeftOut>,
    pub effects: Vec<DatabaseEffect>,
    /// Roughly what the deleted rows occupy (heap and indexes), when known.
    pub bytes_estimate: Option<u64>,
    pub advice: Vec<IndexAdvice>,
    pub needs_reason: bool,
    pub needs_approval: bool,
    /// Implied relations the operator chose to ignore for this run (`--ignore-implied`).
    pub implied_ignored: Vec<String>,
    /// Tables of the plan this session's role may not delete from: a plan by reading
    /// shows what a role that may would purge, and names them.
    pub not_permitted: Vec<TableName>,
}

/// The scope and cutoffs of a job, as its audit rows record them.
pub fn audit_context(scope: &str, tables: &[PlannedTable], implied_ignored: &[String]) -> String {
    let mut cutoffs: Vec<String> = tables
        .iter()
        .filter_map(|t| {
            t.cutoff_epoch
                .map(|c| format!("{} before {}", t.table_name().display(), cutoff_text(c)))
        })
        .collect();
    cutoffs.dedup();
    let mut context = format!("scope: {scope}; roots trashed: {}", cutoffs.join(", "));
    let young: Vec<String> = tables
        .iter()
        .filter(|t| t.rows > t.roots && t.descendants_before.is_none())
        .map(|t| t.table_name().display())
        .collect();
    if !young.is_empty() {
        context.push_str(&format!(
            "; descendants purged whatever their age in: {}",
            young.join(", ")
        ));
    }
    let ignored: Vec<String> = tables
        .iter()
        .filter(|t| t.age_ignored)
        .map(|t| t.table_name().display())
        .collect();
    if !ignored.is_empty() {
        context.push_str(&format!("; age ignored for: {}", ignored.join(", ")));
    }
    if !implied_ignored.is_empty() {
        context.push_str(&format!(
            "; implied relations ignored (--ignore-implied): {}",
            implied_ignored.join(", ")
        ));
    }
    context
}

impl PurgePlan {
    /// The tables of a plan by reading that this role may not delete from, said once.
    pub fn not_permitted_note(&self) -> Option<String> {
        let names: Vec<String> = self.not_permitted.iter().map(|t| t.display()).collect();
        (!names.is_empty()).then(|| {
            format!(
                "this role may not delete from {}: the plan shows what a role that may would purge",
                names.join(", ")
            )
        })
    }

    pub fn total(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// The job states, as stored.
pub mod state {
    pub const PLANNED: &str = "planned";
    pub const PENDING_APPROVAL: &str = "pending_approval";
    /// Approved by a second person; may start while the approval stands.
    pub const APPROVED: &str = "approved";
    pub const RUNNING: &str = "running";
    pub const PAUSED: &str = "paused";
    pub const CANCELLED: &str = "cancelled";
    pub const DONE: &str = "done";
    pub const ABANDONED: &str = "abandoned";
    pub const FAILED: &str = "failed";
}
