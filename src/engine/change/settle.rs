//! A restore or move-to-trash whose commit lost its answer (the server restarted, the
//! backend was ended, the network dropped) either landed whole or not at all; which of
//! the two is read back from the audit log, whose record committed with the change or
//! not at all.

use std::time::{Duration, Instant};

use super::apply::{Applied, ApplyError};
use crate::db::DbPool;
use crate::db::session::{self, SessionId};
use crate::engine::audit::{self, Actor};
use crate::engine::backoff::Backoff;
use crate::engine::error::{EngineError, ErrorKind};

/// How long to wait for the database to answer the question.
const SETTLE_FOR: Duration = Duration::from_secs(30);
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const LONGEST_PAUSE: Duration = Duration::from_secs(3);

/// Turns an `ApplyError::Unsettled` into what happened: the change as applied, or a
/// failure saying nothing was changed. Other outcomes pass through.
pub async fn after_lost_commit(
    pool: &DbPool,
    actor: &Actor,
    outcome: Result<Applied, ApplyError>,
) -> Result<Applied, ApplyError> {
    let Err(ApplyError::Unsettled {
        applied,
        error,
        session,
    }) = outcome
    else {
        return outcome;
    };
    let started = Instant::now();
    let mut pauses = Backoff::new(FIRST_PAUSE, LONGEST_PAUSE);
    let mut last_failure = error.message.clone();
    while started.elapsed() < SETTLE_FOR {
        match landed(pool, &applied, actor, session.as_ref()).await {
            Ok(true) => return Ok(*applied),
            Ok(false) => {
                return Err(ApplyError::Failed(EngineError {
                    kind: error.kind,
                    message: format!(
                        "the session failed during the commit and the change did not land \
                         ({})",
                        error.message
                    ),
                }));
            }
            Err(e) if e.kind == ErrorKind::Connection => last_failure = e.message,
            Err(e) => {
                last_failure = e.message;
                break;
            }
        }
        tokio::time::sleep(pauses.next_pause()).await;
    }
    Err(ApplyError::Unsettled {
        applied,
        error: EngineError::connection(format!("{} (then: {last_failure})", error.message)),
        session,
    })
}

/// Whether the change landed, asked once the committing session is gone: until then
/// its commit may still be under way on the server.
async fn landed(
    pool: &DbPool,
    applied: &Applied,
    actor: &Actor,
    committing: Option<&SessionId>,
) -> Result<bool, EngineError> {
    let mut conn = pool.get().await.map_err(EngineError::connection)?;
    if let Some(old) = committing
        && !session::wait_out(&mut conn, old, SETTLE_FOR).await
    {
        return Err(EngineError::connection(format!(
            "the session that was committing (server process {}) is still there",
            old.pid
        )));
    }
    audit::landed(
        &mut conn,
        applied.audit_id,
        applied.change.action(),
        &actor.os_user,
    )
    .await
}
