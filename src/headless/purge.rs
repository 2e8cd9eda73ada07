//! `trashcan purge` and `trashcan jobs`: the supervised purge for cron and CI. Same
//! engine as the console; progress on stderr, a summary on stdout, and exit codes that
//! tell the outcomes apart.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cli::{JobsAction, JobsArgs, PurgeArgs};
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::audit::Actor;
use crate::engine::catalog::Catalog;
use crate::engine::error::ErrorKind;
use crate::engine::purge::{self, JobControl, Progress, PurgePlan, RunOutcome, Scope};
use crate::error::UserError;

/// How a purge command ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeOutcome {
    Done = 0,
    Failed = 1,
    Refused = 3,
    Interrupted = 4,
    NothingToDo = 5,
}

pub async fn purge(
    pool: &DbPool,
    config: &Config,
    args: &PurgeArgs,
) -> Result<PurgeOutcome, UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let catalog = Catalog::load(&mut conn, config)
        .await
        .map_err(UserError::new)?;
    let scope = match (&args.table, &args.orphans) {
        (_, Some(written)) => orphan_scope(&catalog, written)?,
        (Some(written), None) => {
            let table = catalog
                .tables
                .iter()
                .find(|t| t.name.matches(written))
                .ok_or_else(|| {
                    UserError::new(format!("no table `{written}`"))
                        .hint("`trashcan tables` lists the soft-delete tables")
                })?;
            Scope::Table(table.name.clone())
        }
        (None, None) => Scope::All,
    };
    let mut options = config.purge_options(args.older_than);
    options.purge_live = args.purge_live;
    options.purge_young = args.purge_young;
    options.ignore_implied = args.ignore_implied;
    for written in &args.ignore_age {
        let table = catalog
            .tables
            .iter()
            .find(|t| t.name.matches(written))
            .ok_or_else(|| {
                UserError::new(format!("--ignore-age: no table `{written}`"))
                    .hint("`trashcan tables --explain` lists the tables and how they soft-delete")
            })?;
        options.ignore_age.push(table.name.clone());
    }
    let actor = Actor::from_env();
    let fail =
        |e: crate::engine::EngineError| UserError::new(format!("cannot plan the purge: {e}"));
    let preview =
        match purge::plan(&mut conn, &catalog, &scope, &options, &actor, None, false).await {
            Ok(preview) => preview,
            // Refused, like a rule or an approval would: not bad input.
            Err(e) if e.kind == ErrorKind::Permission => {
                eprintln!("refused: cannot plan the purge: {e}");
                return Ok(PurgeOutcome::Refused);
            }
            Err(e) => return Err(fail(e)),
        };
    print_plan(&preview, args.json && args.dry_run);
    if preview.total() == 0 {
        eprintln!("nothing to purge");
        return Ok(PurgeOutcome::NothingToDo);
    }
    if args.dry_run {
        eprintln!("dry run: nothing was written");
        return Ok(PurgeOutcome::Done);
    }
    if let Some(limit) = args.max_rows
        && preview.total() > limit
    {
        eprintln!(
            "refused: the plan holds {} rows, more than --max-rows {limit}",
            preview.total()
        );
        return Ok(PurgeOutcome::Refused);
    }
    if preview.needs_reason && args.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        eprintln!(
            "refused: purging more than {} rows needs --reason",
            options.reason_above
        );
        return Ok(PurgeOutcome::Refused);
    }
    if !args.yes && !confirmed(preview.total())? {
        eprintln!("refused: not confirmed (type the row count, or pass --yes)");
        return Ok(PurgeOutcome::Refused);
    }
    let planned = purge::plan(
        &mut conn,
        &catalog,
        &scope,
        &options,
        &actor,
        args.reason.as_deref(),
        true,
    )
    .await
    .map_err(fail)?;
    let job = planned.job_id.unwrap_or_default();
    if planned.needs_approval {
        eprintln!(
            "job {job} waits for a second person's approval (more than {} rows): a \
             supervisor runs `trashcan approve {job} --reason …`, then `trashcan jobs resume \
             {job}` starts it; nothing was deleted",
            options.approval_above
        );
        if args.json {
            println!(
                "{}",
                json!({ "job": job, "status": "pending_approval", "rows": planned.total() })
            );
        }
        return Ok(PurgeOutcome::Refused);
    }
    drop(conn);
    run_job(pool, &catalog, config, job, &actor, args.json).await
}

/// `--orphans comments.post_id` (or `schema.table.col1,col2`): the relation whose hard
/// orphans to purge, as the catalog knows it.
fn orphan_scope(catalog: &Catalog, written: &str) -> Result<Scope, UserError> {
    let unknown = || {
        UserError::new(format!("no relation `{written}`")).hint(
            "write the child table and its columns, e.g. --orphans comments.post_id; \
             `trashcan orphans` lists the relations",
        )
    };
    let (table, columns) = written.rsplit_once('.').ok_or_else(unknown)?;
    let columns: Vec<&str> = columns.split(',').map(str::trim).collect();
    let relation = catalog
        .relations
        .iter()
        .find(|r| r.child.matches(table) && r.child_columns == columns)
        .ok_or_else(unknown)?;
    Ok(Scope::Orphans {
        child: relation.child.clone(),
        relation: purge::OrphanRelation::of(relation),
    })
}

pub async fn jobs(
    pool: &DbPool,
    config: &Config,
    args: &JobsArgs,
) -> Result<PurgeOutcome, UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let actor = Actor::from_env();
    match &args.action {
        None | Some(JobsAction::List) => {
            let jobs = purge::list_jobs(&mut conn, false)
                .await
                .map_err(|e| UserError::new(e.to_string()))?;
            if args.json {
                let list: Vec<_> = jobs
                    .iter()
                    .map(|j| {
                        json!({
                            "id": j.id, "state": j.state, "interrupted": j.interrupted,
                            "scope": j.scope, "created_at": j.created_at, "os_user": j.os_user,
                            "cutoff": j.cutoff, "reason": j.reason, "total_rows": j.total_rows,
                            "deleted_rows": j.deleted_rows, "last_error": j.last_error,
                            "approved_by": j.approved_by, "approval_expires": j.approval_expires,
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                println!(
                    "{:>5}  {:<18} {:>10} {:>10}  {:<20} {:<10} scope",
                    "job", "state", "deleted", "planned", "created", "by"
                );
                for j in &jobs {
                    let state = if j.interrupted {
                        format!("{} (interrupted)", j.state)
                    } else {
                        j.state.clone()
                    };
                    println!(
                        "{:>5}  {:<18} {:>10} {:>10}  {:<20} {:<10} {}",
                        j.id,
                        state,
                        j.deleted_rows,
                        j.total_rows,
                        j.created_at.chars().take(19).collect::<String>(),
                        j.os_user,
                        j.scope
                    );
                    if let (purge::state::APPROVED, Some(by), Some(until)) =
                        (j.state.as_str(), &j.approved_by, &j.approval_expires)
                    {
                        println!("       approved by {by}; may start until {until}");
                    }
                }
            }
            Ok(PurgeOutcome::Done)
        }
        Some(JobsAction::Resume { id }) => {
            if !purge::job_exists(&mut conn, *id)
                .await
                .map_err(|e| UserError::new(e.to_string()))?
            {
                return Err(UserError::new(format!("no purge job {id}"))
                    .hint("`trashcan jobs list` lists the jobs"));
            }
            let catalog = Catalog::load(&mut conn, config)
                .await
                .map_err(UserError::new)?;
            drop(conn);
            run_job(pool, &catalog, config, *id, &actor, args.json).await
        }
        Some(JobsAction::Abandon { id, reason }) => {
            match purge::abandon(&mut conn, *id, &actor, reason.as_deref()).await {
                Ok(()) => {
                    eprintln!("job {id} abandoned");
                    Ok(PurgeOutcome::Done)
                }
                Err(e) if e.kind == ErrorKind::Permission => {
                    eprintln!("job {id} not abandoned: {e}");
                    Ok(PurgeOutcome::Refused)
                }
                Err(e) => Err(UserError::new(format!("job {id} not abandoned: {e}"))),
            }
        }
    }
}

/// Runs a job to its end with progress on stderr; Ctrl-C finishes the current batch and
/// stops, leaving the job resumable.
async fn run_job(
    pool: &DbPool,
    catalog: &Catalog,
    config: &Config,
    job: i64,
    actor: &Actor,
    as_json: bool,
) -> Result<PurgeOutcome, UserError> {
    let control = JobControl {
        limits: config.purge_limits(),
        ..JobControl::default()
    };
    if let Ok(mut t) = control.tuning.lock() {
        *t = config.purge_tuning();
    }
    let cancel = control.cancel.clone();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nstopping after the current batch...");
            cancel.cancel();
        }
    });
    let tty = std::io::stderr().is_terminal();
    let mut last_line = Instant::now() - Duration::from_secs(10);
    let mut last = Progress::default();
    let mut report = |p: &Progress| {
        // Logs get a line every two seconds, and at once when the job starts or stops
        // waiting (a lost connection, a lock) so a log shows every reconnect.
        let wait_changed = p.waiting.is_some() != last.waiting.is_some()
            || p.retries != last.retries
            || p.reconnects != last.reconnects;
        last = p.clone();
        if tty {
            eprint!("\r\x1b[2K{}", progress_line(p));
            let _ = std::io::stderr().flush();
        } else if wait_changed || last_line.elapsed() >= Duration::from_secs(2) {
            eprintln!("{}", progress_line(p));
            last_line = Instant::now();
        }
    };
    let result = purge::run(pool, catalog, job, actor, &control, &mut report).await;
    interrupt.abort();
    if tty {
        eprintln!();
    }
    let (status, outcome) = match &result {
        Ok(RunOutcome::Done { deleted, kept }) => {
            eprintln!(
                "job {job} done: {deleted} rows deleted, {kept} kept (restored or still referenced)"
            );
            ("done", PurgeOutcome::Done)
        }
        Ok(RunOutcome::Cancelled { deleted }) => {
            eprintln!(
                "job {job} interrupted after {deleted} rows; resume with `trashcan jobs resume {job}`"
            );
            ("interrupted", PurgeOutcome::Interrupted)
        }
        // Not started: it waits for an approval, or its approval no longer stands.
        Err(e) if e.kind == ErrorKind::Permission => {
            eprintln!("job {job} not started: {e}");
            ("refused", PurgeOutcome::Refused)
        }
        Err(e) => {
            eprintln!("job {job} failed: {e}; resume with `trashcan jobs resume {job}` once fixed");
            ("failed", PurgeOutcome::Failed)
        }
    };
    if as_json {
        let tables: Vec<_> = last
            .tables
            .iter()
            .map(|(t, done, total)| json!({ "table": t.display(), "deleted": done, "planned": total }))
            .collect();
        println!(
            "{}",
            json!({
                "job": job, "status": status, "deleted": last.deleted, "planned": last.total,
                "tables": tables, "retries": last.retries, "reconnects": last.reconnects,
                "last_error": last.last_error,
                "elapsed_ms": last.elapsed.as_millis() as u64,
            })
        );
    }
    Ok(outcome)
}

fn progress_line(p: &Progress) -> String {
    let percent = if p.total == 0 {
        100.0
    } else {
        p.deleted as f64 * 100.0 / p.total as f64
    };
    let eta = p
        .eta
        .map(|e| format!(" eta {}s", e.as_secs()))
        .unwrap_or_default();
    format!(
        "job {} {}: {}/{} rows ({percent:.1}%), {:.0} rows/s{eta}, batch {} p99 {} ms{}{}{}",
        p.job_id,
        p.state,
        p.deleted,
        p.total,
        p.rows_per_second,
        p.tuning.batch_size,
        p.batch_p99.as_millis(),
        p.current
            .as_ref()
            .map(|t| format!(", {}", t.display()))
            .unwrap_or_default(),
        p.throttled
            .as_ref()
            .map(|why| format!(" — holding off: {why}"))
            .unwrap_or_default(),
        p.waiting
            .as_ref()
            .map(|what| format!(" — waiting: {what}"))
            .unwrap_or_default()
    )
}

/// Asks for the row count on a terminal; without one there is no confirmation.
fn confirmed(total: u64) -> Result<bool, UserError> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("type the number of rows to purge ({total}) to confirm: ");
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| UserError::new(e.to_string()))?;
    Ok(answer.trim().replace([',', '_'], "") == total.to_string())
}

fn print_plan(plan: &PurgePlan, as_json: bool) {
    if as_json {
        let tables: Vec<_> = plan
            .tables
            .iter()
            .map(|t| {
                json!({
                    "table": t.table_name().display(), "rows": t.rows, "roots": t.roots,
                    "live": t.live, "cutoff": t.cutoff_epoch.map(purge::cutoff_text),
                    "descendants_before": t.descendants_before.map(purge::cutoff_text),
                    "age_ignored": t.age_ignored, "convention": t.convention,
                })
            })
            .collect();
        let skipped: Vec<_> = plan
            .skipped
            .iter()
            .map(|s| {
                json!({
                    "table": s.table.display(), "rows": s.rows, "sample": s.sample,
                    "because": s.because,
                })
            })
            .collect();
        let left_out: Vec<_> = plan
            .left_out
            .iter()
            .map(|l| json!({ "table": l.table.display(), "why": l.why }))
            .collect();
        let effects: Vec<_> = plan
            .effects
            .iter()
            .map(|e| json!({ "relation": e.relation, "action": e.action, "rows": e.rows }))
            .collect();
        let advice: Vec<_> = plan
            .advice
            .iter()
            .map(|a| json!({ "table": a.table, "reason": a.reason, "create": a.create }))
            .collect();
        println!(
            "{}",
            json!({
                "status": "preview", "scope": plan.scope, "rows": plan.total(), "tables": tables,
                "skipped_roots": skipped, "database_effects": effects, "left_out": left_out,
                "bytes_estimate": plan.bytes_estimate, "missing_indexes": advice,
                "needs_reason": plan.needs_reason, "needs_approval": plan.needs_approval,
                "not_permitted": plan.not_permitted.iter().map(|t| t.display()).collect::<Vec<_>>(),
            })
        );
        return;
    }
    eprintln!("purge plan: {} (children first)", plan.scope);
    for t in &plan.tables {
        let cutoff = t
            .cutoff_epoch
            .map(|c| format!("  trashed before {}", purge::cutoff_text(c)))
            .unwrap_or_default();
        let live = if t.live > 0 {
            format!("  ({} of them LIVE)", t.live)
        } else {
            String::new()
        };
        let age = match (&t.convention, t.age_ignored) {
            (_, true) => "  [AGE IGNORED: no deletion time]".to_owned(),
            (Some(c), _) if c.contains("(proxy)") => format!("  [{c}]"),
            _ => String::new(),
        };
        eprintln!(
            "  {:>12}  {}{cutoff}{live}{age}",
            t.rows,
            t.table_name().display()
        );
    }
    if plan
        .tables
        .iter()
        .any(|t| t.rows > t.roots && t.descendants_before.is_none() && !t.age_ignored)
    {
        eprintln!("  DESCENDANTS TRASHED AFTER THE CUTOFF ARE PURGED TOO (--purge-young)");
    }
    eprintln!("  {:>12}  rows in all", plan.total());
    if let Some(bytes) = plan.bytes_estimate {
        eprintln!("  about {} freed", crate::engine::expr::human_bytes(bytes));
    }
    for s in &plan.skipped {
        let sample: Vec<String> = s
            .sample
            .iter()
            .map(|k| format!("({})", k.join(", ")))
            .collect();
        let because = if s.because.is_empty() {
            "rows hang off them that the purge keeps".to_owned()
        } else {
            s.because.join("; ")
        };
        eprintln!(
            "  skipped {} root(s) of {} ({because}): {}",
            s.rows,
            s.table.display(),
            sample.join(", ")
        );
    }
    for l in &plan.left_out {
        eprintln!("  left out: {}: {}", l.table.display(), l.why);
    }
    if let Some(names) = plan.not_permitted_note() {
        eprintln!("  {names}");
    }
    for e in &plan.effects {
        eprintln!(
            "  the database will also {:?} {} row(s) along {}",
            e.action, e.rows, e.relation
        );
    }
    for a in &plan.advice {
        eprintln!(
            "  slow without an index: {} ({})\n    {}",
            a.table, a.reason, a.create
        );
    }
}
