//! Restore and move-to-trash: a preview that lists exactly which rows will change and
//! why anything must not, then one transaction that re-checks the preview's conditions,
//! writes the audit record and changes exactly those rows.
//!
//! - A **restore** brings back the selected trashed rows and their descendants in the
//!   same deletion group (every relation followed table by table to a fixpoint, with the
//!   related-count engine's group rule), and refuses
//!   on a trashed ancestor, a unique key a live row now holds, a table the role may not
//!   change or one without a primary key.
//! - A **move to trash** trashes live rows with their live descendants under one stamp
//!   (time, author, reason, token), so a later restore finds the same group again.
//! - Every applied change comes back with each row's state before and after, which is
//!   what an **undo** applies in reverse.

mod apply;
mod checks;
mod closure;
pub(crate) mod keys;
mod plan;
mod regroup;
pub mod settle;
pub mod state;

use std::time::Duration;

pub use apply::{Applied, ApplyError, apply};
pub use plan::{plan_restore, plan_trash};
pub use regroup::plan_trash_with_parents;

use crate::engine::catalog::ColumnInfo;
use crate::engine::catalog::Convention;
use crate::engine::sql::TableName;
use state::StateColumn;

/// What a change does to its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Makes trashed rows live.
    Restore,
    /// Trashes live rows.
    Trash,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub key: Vec<String>,
    /// The state columns as the preview read them; the write refuses if they differ.
    pub before: Vec<Option<String>>,
    /// The state to write; `None` means "what the change kind writes" (worked out inside
    /// the transaction, where a move to trash reads the database's clock).
    pub after: Option<Vec<Option<String>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableChange {
    pub table: TableName,
    pub convention: Convention,
    pub key_columns: Vec<ColumnInfo>,
    pub state_columns: Vec<StateColumn>,
    pub rows: Vec<RowChange>,
}

impl TableChange {
    pub fn key_names(&self) -> Vec<String> {
        self.key_columns.iter().map(|c| c.name.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// This change reverses an earlier one.
    pub undo: bool,
    /// The table the operator acted on.
    pub root: TableName,
    /// Tables in the order they are written: the selected table first.
    pub tables: Vec<TableChange>,
    /// Implied relations the operator chose to leave undeclared for this move to trash
    /// (rows along them may stay live under trashed parents); the audit log says so.
    pub implied_ignored: Vec<String>,
}

impl Change {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows.len() as u64).sum()
    }

    /// The audit log's name for it.
    pub fn action(&self) -> &'static str {
        match (self.kind, self.undo) {
            (ChangeKind::Restore, false) => "restore",
            (ChangeKind::Trash, false) => "trash",
            (ChangeKind::Restore, true) => "undo trash",
            (ChangeKind::Trash, true) => "undo restore",
        }
    }

    /// Per table, rows changed.
    pub fn counts(&self) -> Vec<(TableName, u64)> {
        self.tables
            .iter()
            .filter(|t| !t.rows.is_empty())
            .map(|t| (t.table.clone(), t.rows.len() as u64))
            .collect()
    }
}

/// Why a change must not go ahead, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// A row to restore hangs off a parent that is still trashed.
    TrashedAncestor {
        table: TableName,
        relation: String,
        /// Up to a few of the parent keys.
        keys: Vec<Vec<String>>,
        rows: u64,
    },
    /// Restoring `restored` would duplicate a key the live row `live` holds.
    Collision {
        table: TableName,
        index: String,
        columns: Vec<String>,
        values: Vec<Option<String>>,
        restored: Vec<String>,
        live: Vec<String>,
    },
    /// The console may not change this table's rows.
    NotAllowed {
        table: TableName,
        reason: String,
        rows: u64,
    },
    /// More rows than one interactive change may hold.
    TooLarge { rows: u64, limit: u64 },
    /// The walk below the selection stopped at a limit, so the change would hold only
    /// part of its rows.
    Limit { limit: String },
    /// A move to trash would leave live rows under trashed parents along relations the
    /// schema implies but does not declare (the change does not follow them).
    Implied { relations: Vec<String> },
}

impl Blocker {
    pub fn describe(&self) -> String {
        match self {
            Blocker::TrashedAncestor {
                table,
                relation,
                keys,
                rows,
            } => format!(
                "{rows} parent row(s) in {} are still trashed ({relation}): {}",
                table.display(),
                keys_text(keys, *rows)
            ),
            Blocker::Collision {
                table,
                index,
                columns,
                values,
                restored,
                live,
            } => format!(
                "{}: restoring ({}) would duplicate ({}) = ({}) held by live row ({}) [{index}]",
                table.display(),
                restored.join(", "),
                columns.join(", "),
                values
                    .iter()
                    .map(|v| v.as_deref().unwrap_or("NULL"))
                    .collect::<Vec<_>>()
                    .join(", "),
                live.join(", ")
            ),
            Blocker::NotAllowed {
                table,
                reason,
                rows,
            } => format!(
                "{}: {rows} row(s) cannot be changed: {reason}",
                table.display()
            ),
            Blocker::TooLarge { rows, limit } => format!(
                "{rows} rows is more than one change may hold ({limit}; [changes] max_rows)"
            ),
            Blocker::Limit { limit } => format!(
                "the walk below the selection is incomplete ({limit}), so the change would \
                 hold only part of its rows"
            ),
            Blocker::Implied { relations } => format!(
                "rows could be left under trashed parents along relation(s) the schema \
                 implies but does not declare: {}; declare each as [[relations]] in the \
                 config (`trashcan relations --suggest`), list it in [implied] ignore, or \
                 ignore them for this change (I)",
                relations.join(", ")
            ),
        }
    }
}

fn keys_text(keys: &[Vec<String>], total: u64) -> String {
    let mut text = keys
        .iter()
        .map(|k| format!("({})", k.join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    if total > keys.len() as u64 {
        text.push_str(&format!(", … {} more", total - keys.len() as u64));
    }
    text
}

/// What a preview found besides the change itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePreview {
    pub change: Change,
    /// Restore: trashed descendants trashed separately, which stay trashed. Move to
    /// trash: live descendants left as they are (their table does not soft-delete, or
    /// its key is `SET NULL`).
    pub left_alone: Vec<(TableName, u64)>,
    pub blockers: Vec<Blocker>,
    /// Selected rows already in the wanted state (not trashed, or not live).
    pub skipped: u64,
    /// Set when the depth or path limit cut the walk short.
    pub incomplete: Option<String>,
}

impl ChangePreview {
    pub fn can_apply(&self) -> bool {
        self.blockers.is_empty() && self.change.rows() > 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeOptions {
    /// Restore: include the rows trashed together with the selection.
    pub with_group: bool,
    /// Restore: also bring back trashed ancestors instead of refusing.
    pub with_ancestors: bool,
    /// Restore: leave descendants whose other parent is still trashed in the trash
    /// (with what hangs off them) instead of refusing. Selected rows are never left.
    pub leave_blocked: bool,
    pub recovery_window: Duration,
    /// The most rows one change may hold: they are read into memory and written in one
    /// transaction.
    pub max_rows: u64,
    /// Move to trash: go on although the schema implies relations below the table that
    /// the config does not declare (the operator's override for this change).
    pub ignore_implied: bool,
}

impl Default for ChangeOptions {
    fn default() -> Self {
        Self {
            with_group: true,
            with_ancestors: false,
            leave_blocked: false,
            recovery_window: Duration::from_secs(120),
            max_rows: 100_000,
            ignore_implied: false,
        }
    }
}
