//! `trashcan approve JOB --reason …`: the second person's approval of a large purge, from
//! their own session. The job then starts with `trashcan jobs resume JOB`, or from the
//! console.

use serde_json::json;

use crate::cli::ApproveArgs;
use crate::config::{Config, Role};
use crate::db::DbPool;
use crate::engine::audit::Actor;
use crate::engine::error::ErrorKind;
use crate::engine::purge;
use crate::error::UserError;

/// How an approval ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApproveOutcome {
    Approved = 0,
    /// Not a supervisor, one's own plan, or a job that does not wait for approval.
    Refused = 3,
}

pub async fn approve(
    pool: &DbPool,
    config: &Config,
    args: &ApproveArgs,
) -> Result<ApproveOutcome, UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let actor = Actor::from_env();
    let role = config.role_of(actor.person());
    let result = purge::approve(
        &mut conn,
        args.job,
        &actor,
        role == Role::Supervisor,
        &args.reason,
        config.approval_expires(),
    )
    .await;
    match result {
        Ok(approval) => {
            eprintln!(
                "job {} approved by {} ({} rows); it may start until {}: \
                 `trashcan jobs resume {}`",
                approval.job_id,
                actor.describe(),
                approval.rows,
                purge::cutoff_text(approval.expires_epoch),
                approval.job_id
            );
            if args.json {
                println!(
                    "{}",
                    json!({
                        "job": approval.job_id, "status": "approved",
                        "approved_by": approval.approved_by, "rows": approval.rows,
                        "expires": purge::cutoff_text(approval.expires_epoch),
                    })
                );
            }
            Ok(ApproveOutcome::Approved)
        }
        Err(e) if matches!(e.kind, ErrorKind::Permission | ErrorKind::Conflict) => {
            eprintln!("trashcan: refused: {e}");
            if args.json {
                println!(
                    "{}",
                    json!({ "job": args.job, "status": "refused", "error": e.message })
                );
            }
            Ok(ApproveOutcome::Refused)
        }
        Err(e) => Err(UserError::new(format!(
            "cannot approve job {}: {e}",
            args.job
        ))),
    }
}
