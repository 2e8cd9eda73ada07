//! `trashcan restore`: the TUI's restore, for scripts. Same engine, same preview, same
//! audited transaction; the outcome is an exit code and text or JSON.

use serde_json::json;

use crate::cli::RestoreArgs;
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::audit::Actor;
use crate::engine::catalog::Catalog;
use crate::engine::change::{self, ApplyError, ChangePreview};
use crate::error::UserError;

/// How a headless restore ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreOutcome {
    /// Restored, or previewed cleanly with `--dry-run`.
    Done = 0,
    /// A blocker, or nothing to restore.
    Refused = 3,
    /// The rows changed between preview and write, or another writer won.
    Conflict = 4,
}

pub async fn restore(
    pool: &DbPool,
    config: &Config,
    args: &RestoreArgs,
) -> Result<RestoreOutcome, UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    let table = catalog
        .tables
        .iter()
        .find(|t| t.name.matches(&args.table))
        .ok_or_else(|| {
            UserError::new(format!("no table `{}`", args.table))
                .hint("`trashcan tables` lists the soft-delete tables")
        })?;
    let key_len = table.primary_key.len().max(1);
    let keys = args
        .keys
        .iter()
        .map(|k| parse_key(k, key_len))
        .collect::<Result<Vec<_>, _>>()?;
    let mut options = config.change_options(args.with_group, args.with_ancestors);
    options.leave_blocked = args.leave_blocked;
    let preview = change::plan_restore(&mut conn, &catalog, &table.name, &keys, &options)
        .await
        .map_err(|e| UserError::new(format!("cannot preview the restore: {e}")))?;
    let report = Report::new(&args.table, args.dry_run, &preview);

    if !preview.blockers.is_empty() || preview.change.rows() == 0 {
        // A blocker says why first: a row that cannot be changed is left out of the
        // change, which does not make it "not trashed".
        let why = if preview.blockers.is_empty() {
            "nothing to restore: the rows are not trashed".to_owned()
        } else {
            "refused".to_owned()
        };
        report.print(args.json, "refused", &why, None);
        return Ok(RestoreOutcome::Refused);
    }
    if args.dry_run {
        report.print(args.json, "preview", "dry run: nothing was changed", None);
        return Ok(RestoreOutcome::Done);
    }
    let actor = Actor::from_env();
    let outcome = change::apply(
        &mut conn,
        &catalog,
        &preview.change,
        &actor,
        args.reason.as_deref(),
    )
    .await;
    match change::settle::after_lost_commit(pool, &actor, outcome).await {
        Ok(applied) => {
            report.print(args.json, "restored", "restored", Some(applied.audit_id));
            Ok(RestoreOutcome::Done)
        }
        Err(e @ (ApplyError::Changed(_) | ApplyError::Blocked(_))) => {
            report.print(args.json, "conflict", &e.describe(), None);
            Ok(RestoreOutcome::Conflict)
        }
        Err(ApplyError::Failed(e)) if e.kind == crate::engine::ErrorKind::Conflict => {
            report.print(
                args.json,
                "conflict",
                &ApplyError::Failed(e).describe(),
                None,
            );
            Ok(RestoreOutcome::Conflict)
        }
        Err(e) => Err(UserError::new(e.describe())),
    }
}

/// Parses one `--key`: a JSON array, or `key_len` comma-separated values.
pub fn parse_key(text: &str, key_len: usize) -> Result<Vec<String>, UserError> {
    let values: Vec<String> = if text.trim_start().starts_with('[') {
        let parsed: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| UserError::new(format!("--key {text}: not a JSON array: {e}")))?;
        parsed
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect()
    } else if key_len == 1 {
        vec![text.to_owned()]
    } else {
        text.split(',').map(str::to_owned).collect()
    };
    if values.len() != key_len {
        return Err(UserError::new(format!(
            "--key {text}: the table's key has {key_len} column(s), got {} value(s)",
            values.len()
        ))
        .hint("write composite keys in key order, e.g. --key 7,42 or --key '[\"a,b\",1]'"));
    }
    Ok(values)
}

/// What the preview found, printed the same way whatever the outcome.
struct Report {
    table: String,
    dry_run: bool,
    tables: Vec<(String, u64)>,
    left_alone: Vec<(String, u64)>,
    blockers: Vec<String>,
    skipped: u64,
    incomplete: Option<String>,
}

impl Report {
    fn new(table: &str, dry_run: bool, preview: &ChangePreview) -> Self {
        Self {
            table: table.to_owned(),
            dry_run,
            tables: preview
                .change
                .counts()
                .into_iter()
                .map(|(t, n)| (t.display(), n))
                .collect(),
            left_alone: preview
                .left_alone
                .iter()
                .map(|(t, n)| (t.display(), *n))
                .collect(),
            blockers: preview.blockers.iter().map(|b| b.describe()).collect(),
            skipped: preview.skipped,
            incomplete: preview.incomplete.clone(),
        }
    }

    fn print(&self, as_json: bool, status: &str, message: &str, audit_id: Option<i64>) {
        if as_json {
            let rows = |list: &[(String, u64)]| -> Vec<serde_json::Value> {
                list.iter()
                    .map(|(t, n)| json!({ "table": t, "rows": n }))
                    .collect()
            };
            let value = json!({
                "action": "restore",
                "table": self.table,
                "status": status,
                "dry_run": self.dry_run,
                "message": message,
                "rows": self.tables.iter().map(|(_, n)| n).sum::<u64>(),
                "tables": rows(&self.tables),
                "stay_trashed": rows(&self.left_alone),
                "blockers": self.blockers,
                "skipped": self.skipped,
                "incomplete": self.incomplete,
                "audit_id": audit_id,
            });
            println!("{value}");
            return;
        }
        for (table, rows) in &self.tables {
            println!("restore  {rows:>10}  {table}");
        }
        for (table, rows) in &self.left_alone {
            println!("stays    {rows:>10}  {table} (trashed separately)");
        }
        if self.skipped > 0 {
            println!(
                "skipped  {:>10}  selected rows that are not trashed",
                self.skipped
            );
        }
        if let Some(note) = &self.incomplete {
            println!("note: {note}");
        }
        for blocker in &self.blockers {
            println!("blocked: {blocker}");
        }
        match audit_id {
            Some(id) => println!("{message} (audit entry {id})"),
            None => println!("{message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_key;

    #[test]
    fn keys_parse_plain_composite_and_json() {
        assert_eq!(parse_key("42", 1).unwrap(), vec!["42"]);
        assert_eq!(parse_key("a,b", 1).unwrap(), vec!["a,b"]);
        assert_eq!(parse_key("7,42", 2).unwrap(), vec!["7", "42"]);
        assert_eq!(parse_key(r#"["a,b", 1]"#, 2).unwrap(), vec!["a,b", "1"]);
        assert!(parse_key("7", 2).is_err());
        assert!(parse_key("[1,", 2).is_err());
    }
}
