//! Command-line interface. With no subcommand, trashcan opens the TUI.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::engine::history;

#[derive(Debug, Parser)]
#[command(
    name = "trashcan",
    version,
    about = "A terminal console for soft-deleted rows in PostgreSQL and SQLite",
    long_about = "Browse, preview, restore and purge soft-deleted rows.\n\n\
        With no --database-url, opens the embedded SQLite demo database (created on first run)."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct ConnectionArgs {
    /// postgres://user@host/db[?sslmode=require], or a SQLite file path (sqlite:path).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Config file (default: $XDG_CONFIG_HOME/trashcan/config.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,

    /// Refuse every write; enforced by the database session itself.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Install trashcan's bookkeeping tables (schema `trashcan`) without asking.
    #[arg(long, global = true)]
    pub init: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or re-create the demo database (SQLite by default, or --database-url).
    Demo(DemoArgs),
    /// List soft-delete tables and their trash counts, without the TUI; with --explain,
    /// every table's verdict and why.
    Tables(TablesArgs),
    /// Restore trashed rows (optionally with their deletion group), without the TUI.
    ///
    /// Exit codes: 0 restored (or previewed with --dry-run), 2 bad input or connection,
    /// 3 refused (a blocker, or nothing to restore), 4 the rows changed under the
    /// restore or another writer got there first; nothing was changed.
    Restore(RestoreArgs),
    /// Purge trashed rows older than a cutoff, children first, in batches (supervised).
    ///
    /// Exit codes: 0 purged (or previewed with --dry-run), 1 failed (resumable), 2 bad
    /// input or connection, 3 refused (a threshold: reason, approval, --max-rows, or no
    /// confirmation), 4 interrupted (resumable: `trashcan jobs resume ID`), 5 nothing to do.
    Purge(PurgeArgs),
    /// List purge jobs, or resume or abandon one.
    Jobs(JobsArgs),
    /// Approve another person's purge that waits for approval (supervisor role).
    ///
    /// Exit codes: 0 approved, 2 bad input or connection, 3 refused (not a supervisor,
    /// one's own plan, or the job does not wait for approval).
    Approve(ApproveArgs),
    /// Count orphans along every relation: hard (the parent row is gone) and soft (a
    /// live row under a trashed parent), with sample keys. Reads only.
    ///
    /// Exit codes: 0 none found, 1 orphans found (or a relation could not be scanned),
    /// 2 bad input or connection.
    Orphans(OrphansArgs),
    /// Read the audit log, newest first: who did what, to which tables, when and why.
    /// Reads only.
    ///
    /// Exit codes: 0 printed (even if no entry matched), 2 bad input or connection (or
    /// the bookkeeping tables are not installed).
    Audit(AuditArgs),
    /// List the relations the console follows: declared foreign keys, the config's, and
    /// those the schema only implies by column names (which it does not follow). Reads
    /// only.
    ///
    /// Exit codes: 0 printed, 2 bad input or connection.
    Relations(RelationsArgs),
}

#[derive(Debug, Args)]
pub struct RelationsArgs {
    /// Only the implied relations, each with how many rows match a parent and how many
    /// do not, printed as config ready to paste into the config file.
    #[arg(long)]
    pub suggest: bool,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TablesArgs {
    /// Show each table's detection verdict and why: the convention and column, what the
    /// data showed, and the near misses (columns that look like markers and are not).
    #[arg(long)]
    pub explain: bool,

    /// With --explain: also the tables with no column named like a marker.
    #[arg(long, requires = "explain")]
    pub all: bool,

    /// With --explain: print one JSON object instead of text.
    #[arg(long, requires = "explain")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries newer than this (e.g. 7d, 12h), measured on the database's clock.
    #[arg(long, value_parser = parse_age)]
    pub since: Option<std::time::Duration>,

    /// Only entries whose action, tables, OS user, SSH client, database role, reason or
    /// job id contain this text; case-insensitive, and `%` or `_` match only themselves.
    #[arg(long)]
    pub search: Option<String>,

    /// At most this many entries, the newest.
    #[arg(
        long,
        default_value_t = history::DEFAULT_LIMIT,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(history::MAX_LIMIT))
    )]
    pub limit: u32,

    /// Print one JSON object, with every entry's keys, instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The job, as `trashcan jobs list` shows it.
    pub job: i64,

    /// Why: recorded with the approval and in the audit log.
    #[arg(long)]
    pub reason: String,

    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OrphansArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Rows trashed longer ago than this (e.g. 30d, 12h). Default: each table's
    /// retention from the config, else console.default_retention_days.
    #[arg(long, value_parser = parse_age)]
    pub older_than: Option<std::time::Duration>,

    /// Every table past its own retention (`[tables.T] retention_days`, else
    /// console.default_retention_days), in one supervised job: the default, said
    /// explicitly, so a cron line cannot be mistaken for one cutoff everywhere.
    #[arg(long, conflicts_with_all = ["older_than", "table", "orphans"])]
    pub retention: bool,

    /// Only this table's trash (with the trashed rows that hang off it). Default: all.
    #[arg(long)]
    pub table: Option<String>,

    /// Instead of trash: the hard orphans along one relation (their parent key matches
    /// no row), whatever their state, with the trashed rows under them. Written as the
    /// child table and its columns: `--orphans comments.post_id`.
    #[arg(long, conflicts_with_all = ["table", "older_than"])]
    pub orphans: Option<String>,

    /// Show the plan and stop; nothing is written.
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for the row count to confirm. Never bypasses the approval threshold.
    #[arg(long)]
    pub yes: bool,

    /// Why: recorded with the job and in the audit log (required above purge.reason_above).
    #[arg(long)]
    pub reason: Option<String>,

    /// Refuse if the plan holds more rows than this.
    #[arg(long)]
    pub max_rows: Option<u64>,

    /// Purge live descendants of the rows too. By default a row with live descendants
    /// is skipped (and listed), with everything above it.
    #[arg(long)]
    pub purge_live: bool,

    /// Purge trashed descendants younger than the cutoff too. By default a row with a
    /// descendant trashed less than the cutoff ago is skipped (and listed), so nothing
    /// younger than the cutoff goes.
    #[arg(long)]
    pub purge_young: bool,

    /// A table whose rows record no deletion time (a flag alone): purge its trashed rows
    /// whatever their age. Type the table's name to confirm; repeat for more tables.
    #[arg(long = "ignore-age", value_name = "TABLE")]
    pub ignore_age: Vec<String>,

    /// Plan even though rows could be left without their parent along relations the
    /// schema implies but does not declare (`trashcan relations --suggest`). Recorded in
    /// the audit log.
    #[arg(long)]
    pub ignore_implied: bool,

    /// Print a JSON summary on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JobsArgs {
    #[command(subcommand)]
    pub action: Option<JobsAction>,

    /// Print JSON (for `list`).
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// Jobs, newest first (the default).
    List,
    /// Continue a job where its last batch committed.
    Resume { id: i64 },
    /// Give a job up: it never runs again; rows already deleted stay deleted.
    Abandon {
        id: i64,
        #[arg(long)]
        reason: Option<String>,
    },
}

/// A duration such as `30d` or `12h`; refuses negative ones with a clear message.
fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    crate::config::parse_duration(text)
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The table, as `table` or `schema.table`.
    #[arg(long)]
    pub table: String,

    /// A row's primary key; repeat for several rows. Composite keys are written in key
    /// column order, comma-separated (`--key 7,42`) or as a JSON array (`--key '["a,b",1]'`).
    #[arg(long = "key", required = true)]
    pub keys: Vec<String>,

    /// Also restore the descendants trashed together with the rows (same deletion
    /// token, else deleted_at within the recovery window).
    #[arg(long)]
    pub with_group: bool,

    /// Also restore trashed ancestors instead of refusing.
    #[arg(long, conflicts_with = "leave_blocked")]
    pub with_ancestors: bool,

    /// Restore the rest of the group, leaving rows whose other parent is still trashed
    /// (and what hangs off them) in the trash instead of refusing.
    #[arg(long)]
    pub leave_blocked: bool,

    /// Why: recorded in the audit log.
    #[arg(long)]
    pub reason: Option<String>,

    /// Show what would be restored and stop.
    #[arg(long)]
    pub dry_run: bool,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Size multiplier: 1 ≈ 23k rows; 100 reaches the benchmark "whale" dataset.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub scale: u32,

    /// Drop the existing demo data first.
    #[arg(long)]
    pub reset: bool,
}
