//! A lost session — the server restarted, an administrator ended the backend, the
//! network dropped — does not end a job. It waits for the database with a growing
//! pause, takes its lease again and goes on from its last committed checkpoint, which
//! is all it trusts: a batch whose commit was in flight when the session went either
//! landed together with its checkpoint or not at all.

use std::time::{Duration, Instant};

use super::job::{Job, relock};
use super::{Progress, Runner};
use crate::db::session;
use crate::db::{DbConn, DbPool};
use crate::engine::backoff::Backoff;
use crate::engine::error::{EngineError, ErrorKind};

/// How long a job waits for the database to come back before it stops as failed
/// (still resumable).
pub(super) const RECONNECT_FOR: Duration = Duration::from_secs(120);
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// An attempt that gets no session within this counts as failed, so the monitor's
/// attempts and pauses are what happens (the pool alone would wait 15 s each time).
const TRY_FOR: Duration = Duration::from_secs(5);

impl Runner<'_> {
    /// Replaces `conn` with a working session holding the job's lease, with the job as
    /// last committed. Fails when the database stays away for `RECONNECT_FOR`, when the
    /// operator cancels meanwhile, or when another console took the job.
    pub(super) async fn reconnect(
        &mut self,
        pool: &DbPool,
        conn: &mut DbConn,
        cause: &EngineError,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<(), EngineError> {
        conn.discard();
        let started = Instant::now();
        let mut last_failure = cause.message.clone();
        let mut pauses = Backoff::new(FIRST_PAUSE, LONGEST_PAUSE);
        for attempt in 1.. {
            let pause = pauses.next_pause();
            self.progress.waiting = Some(format!(
                "connection lost, reconnecting: attempt {attempt} in {:.1} s ({})",
                pause.as_secs_f64(),
                first_line(&last_failure)
            ));
            on_progress(&self.progress);
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = self.control.cancel.cancelled() => {
                    return Err(EngineError::connection(format!(
                        "cancelled while reconnecting; the job resumes from its last batch \
                         ({last_failure})"
                    )));
                }
            }
            match self.rejoin(pool).await {
                Ok(fresh) => {
                    *conn = fresh;
                    self.progress.reconnects += 1;
                    self.progress.waiting = None;
                    self.progress.deleted = self.job.deleted;
                    on_progress(&self.progress);
                    return Ok(());
                }
                Err(e) if e.kind == ErrorKind::Connection => last_failure = e.message,
                Err(e) => {
                    self.progress.waiting = None;
                    if e.kind == ErrorKind::Conflict {
                        self.lease_lost = true;
                    }
                    return Err(e);
                }
            }
            if started.elapsed() >= RECONNECT_FOR {
                break;
            }
        }
        self.progress.waiting = None;
        Err(EngineError::connection(format!(
            "the database did not come back within {} s: {last_failure}",
            RECONNECT_FOR.as_secs()
        )))
    }

    /// A new session with the lease taken again and the job reloaded.
    async fn rejoin(&mut self, pool: &DbPool) -> Result<DbConn, EngineError> {
        let mut fresh = pool
            .get_within(TRY_FOR)
            .await
            .map_err(EngineError::connection)?;
        let session = session::current(&mut fresh).await.map(|s| s.pid);
        let joined = match relock(&mut fresh, self.job.id, self.session_pid).await {
            Ok(()) => Job::load(&mut fresh, self.job.id).await,
            Err(e) => Err(e),
        };
        match joined {
            Ok(job) => {
                self.job = job;
                self.session_pid = session;
                Ok(fresh)
            }
            Err(e) => {
                // The session may hold the lease by now (a lock whose answer was lost
                // counts): back in the pool it would keep the job from this console.
                fresh.discard();
                Err(e)
            }
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
