//! Purge jobs in the worker. A plan is a request like any other; a running job is a task
//! of its own that outlives the pane that started it, steered through its control
//! (pause, resume, cancel, batch size, sleep) and reporting progress as it goes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::Response;
use crate::config::Config;
use crate::db::DbPool;
use crate::engine::EngineError;
use crate::engine::audit::Actor;
use crate::engine::catalog::Catalog;
use crate::engine::purge::{self, JobControl, JobSummary, Progress, PurgePlan, RunOutcome, Scope};

#[derive(Debug, Clone)]
pub enum PurgeRequest {
    /// A dry run: the plan, with nothing written.
    Plan {
        generation: u64,
        scope: Scope,
        older_than: Option<Duration>,
        policy: purge::Policy,
    },
    /// Plan for real (phase 1) and run the job unless it needs approval.
    Start {
        generation: u64,
        scope: Scope,
        older_than: Option<Duration>,
        policy: purge::Policy,
        reason: Option<String>,
    },
    Resume {
        job: i64,
    },
    Abandon {
        job: i64,
    },
    Control {
        job: i64,
        action: PurgeAction,
    },
    ListJobs {
        generation: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PurgeAction {
    Pause,
    Resume,
    /// Finish the current batch and stop; the job stays resumable.
    Cancel,
    /// Multiply the batch size (and stop sizing it adaptively).
    ScaleBatch(f64),
    /// Add to the pause between batches (negative shortens it).
    AddSleep(i64),
}

#[derive(Debug, Clone)]
pub enum PurgeResponse {
    Plan {
        generation: u64,
        result: Result<PurgePlan, EngineError>,
    },
    Started {
        generation: u64,
        result: Result<PurgePlan, EngineError>,
    },
    Progress(Progress),
    Finished {
        job: i64,
        result: Result<RunOutcome, EngineError>,
    },
    Jobs {
        generation: u64,
        result: Result<Vec<JobSummary>, EngineError>,
    },
    Abandoned {
        job: i64,
        result: Result<(), EngineError>,
    },
}

/// Progress goes to the UI at most this often (and on every state change).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What job tasks tell the worker about themselves.
pub enum JobEvent {
    /// A started job has its id now; its control can be addressed by it.
    Registered(i64, JobControl),
    Finished(i64),
}

pub struct Purges {
    pool: DbPool,
    config: Arc<Config>,
    actor: Actor,
    replies: mpsc::UnboundedSender<Response>,
    running: HashMap<i64, JobControl>,
    events_tx: mpsc::UnboundedSender<JobEvent>,
    pub events_rx: mpsc::UnboundedReceiver<JobEvent>,
}

impl Purges {
    pub fn new(
        pool: DbPool,
        config: Arc<Config>,
        actor: Actor,
        replies: mpsc::UnboundedSender<Response>,
    ) -> Self {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        Self {
            pool,
            config,
            actor,
            replies,
            running: HashMap::new(),
            events_tx,
            events_rx,
        }
    }

    pub fn on_event(&mut self, event: JobEvent) {
        match event {
            JobEvent::Registered(job, control) => {
                self.running.insert(job, control);
            }
            JobEvent::Finished(job) => {
                self.running.remove(&job);
            }
        }
    }

    /// Stops every running job after its current batch (the console is closing).
    pub fn cancel_all(&self) {
        for control in self.running.values() {
            control.cancel.cancel();
        }
    }

    fn reply(&self, response: PurgeResponse) {
        let _ = self.replies.send(Response::Purge(response));
    }

    pub fn handle(&mut self, request: PurgeRequest, catalog: Option<Arc<Catalog>>) {
        let Some(catalog) = catalog else {
            let error = EngineError::other("the catalog is still loading");
            match request {
                PurgeRequest::Plan { generation, .. } => self.reply(PurgeResponse::Plan {
                    generation,
                    result: Err(error),
                }),
                PurgeRequest::Start { generation, .. } => self.reply(PurgeResponse::Started {
                    generation,
                    result: Err(error),
                }),
                PurgeRequest::ListJobs { generation } => self.reply(PurgeResponse::Jobs {
                    generation,
                    result: Err(error),
                }),
                _ => {}
            }
            return;
        };
        match request {
            // Dry runs go through the worker's slots, which can stop them.
            PurgeRequest::Plan { .. } => {}
            PurgeRequest::Start {
                generation,
                scope,
                older_than,
                policy,
                reason,
            } => {
                let (pool, options, actor, replies) = self.plan_context(older_than, policy);
                let control = self.new_control();
                let events = self.events_tx.clone();
                tokio::spawn(async move {
                    let planned = match pool.get().await {
                        Ok(mut conn) => {
                            purge::plan(
                                &mut conn,
                                &catalog,
                                &scope,
                                &options,
                                &actor,
                                reason.as_deref(),
                                true,
                            )
                            .await
                        }
                        Err(e) => Err(EngineError::connection(e)),
                    };
                    let job = planned
                        .as_ref()
                        .ok()
                        .and_then(|p| (!p.needs_approval).then_some(p.job_id).flatten());
                    let _ = replies.send(Response::Purge(PurgeResponse::Started {
                        generation,
                        result: planned,
                    }));
                    if let Some(job) = job {
                        let _ = events.send(JobEvent::Registered(job, control.clone()));
                        run_job(&pool, &catalog, job, &actor, &control, &replies).await;
                        let _ = events.send(JobEvent::Finished(job));
                    }
                });
            }
            PurgeRequest::Resume { job } => {
                if self.running.contains_key(&job) {
                    return;
                }
                let control = self.new_control();
                self.running.insert(job, control.clone());
                let (pool, actor, replies) =
                    (self.pool.clone(), self.actor.clone(), self.replies.clone());
                let events = self.events_tx.clone();
                tokio::spawn(async move {
                    run_job(&pool, &catalog, job, &actor, &control, &replies).await;
                    let _ = events.send(JobEvent::Finished(job));
                });
            }
            PurgeRequest::Abandon { job } => {
                let (pool, actor, replies) =
                    (self.pool.clone(), self.actor.clone(), self.replies.clone());
                tokio::spawn(async move {
                    let result = match pool.get().await {
                        Ok(mut conn) => purge::abandon(&mut conn, job, &actor, None).await,
                        Err(e) => Err(EngineError::connection(e)),
                    };
                    let _ = replies.send(Response::Purge(PurgeResponse::Abandoned { job, result }));
                });
            }
            PurgeRequest::Control { job, action } => self.control(job, action),
            PurgeRequest::ListJobs { generation } => {
                let (pool, replies) = (self.pool.clone(), self.replies.clone());
                tokio::spawn(async move {
                    let result = match pool.get().await {
                        Ok(mut conn) => purge::list_jobs(&mut conn, true).await,
                        Err(e) => Err(EngineError::connection(e)),
                    };
                    let _ =
                        replies.send(Response::Purge(PurgeResponse::Jobs { generation, result }));
                });
            }
        }
    }

    fn plan_context(
        &self,
        older_than: Option<Duration>,
        policy: purge::Policy,
    ) -> (
        DbPool,
        purge::PurgeOptions,
        Actor,
        mpsc::UnboundedSender<Response>,
    ) {
        let options = self.config.purge_options(older_than).with_policy(policy);
        (
            self.pool.clone(),
            options,
            self.actor.clone(),
            self.replies.clone(),
        )
    }

    fn new_control(&self) -> JobControl {
        let control = JobControl {
            limits: self.config.purge_limits(),
            ..JobControl::default()
        };
        if let Ok(mut t) = control.tuning.lock() {
            *t = self.config.purge_tuning();
        }
        control
    }

    fn control(&mut self, job: i64, action: PurgeAction) {
        let Some(control) = self.running.get(&job) else {
            return;
        };
        let paused = &control.paused;
        match action {
            PurgeAction::Pause => paused.store(true, std::sync::atomic::Ordering::SeqCst),
            PurgeAction::Resume => paused.store(false, std::sync::atomic::Ordering::SeqCst),
            PurgeAction::Cancel => control.cancel.cancel(),
            PurgeAction::ScaleBatch(factor) => {
                if let Ok(mut t) = control.tuning.lock() {
                    t.batch_size = ((f64::from(t.batch_size) * factor) as u32).clamp(10, 50_000);
                    t.adaptive = false;
                }
            }
            PurgeAction::AddSleep(ms) => {
                if let Ok(mut t) = control.tuning.lock() {
                    let now = t.sleep.as_millis() as i64;
                    t.sleep = Duration::from_millis((now + ms).clamp(0, 60_000) as u64);
                }
            }
        }
    }
}

/// Which progress reports go out to the screen: at most one per `PROGRESS_EVERY`,
/// except that a new state or a new wait always does. Dropped as too soon after the
/// last batch, "connection lost, reconnecting" would stay unseen while the job sits in
/// the pool's connect timeout.
#[derive(Default)]
struct ProgressThrottle {
    last_sent: Option<Instant>,
    state: String,
    waiting: Option<String>,
}

impl ProgressThrottle {
    fn lets_through(&mut self, p: &Progress, now: Instant) -> bool {
        let due = self
            .last_sent
            .is_none_or(|at| now.duration_since(at) >= PROGRESS_EVERY);
        if !due && p.state == self.state && p.waiting == self.waiting {
            return false;
        }
        self.last_sent = Some(now);
        self.state = p.state.clone();
        self.waiting = p.waiting.clone();
        true
    }
}

/// Runs a job, forwarding its progress (throttled) and its end.
async fn run_job(
    pool: &DbPool,
    catalog: &Catalog,
    job: i64,
    actor: &Actor,
    control: &JobControl,
    replies: &mpsc::UnboundedSender<Response>,
) {
    let mut throttle = ProgressThrottle::default();
    let mut report = |p: &Progress| {
        if throttle.lets_through(p, Instant::now()) {
            let _ = replies.send(Response::Purge(PurgeResponse::Progress(p.clone())));
        }
    };
    let result = purge::run(pool, catalog, job, actor, control, &mut report).await;
    let _ = replies.send(Response::Purge(PurgeResponse::Finished { job, result }));
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{PROGRESS_EVERY, ProgressThrottle};
    use crate::engine::purge::Progress;

    fn running(deleted: u64, waiting: Option<&str>) -> Progress {
        Progress {
            state: "running".into(),
            deleted,
            waiting: waiting.map(Into::into),
            ..Progress::default()
        }
    }

    #[test]
    fn batches_are_thinned_but_a_new_wait_always_goes_out() {
        let mut throttle = ProgressThrottle::default();
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        assert!(throttle.lets_through(&running(10, None), at(0)));
        assert!(!throttle.lets_through(&running(20, None), at(30)));
        let lost = Some("connection lost, reconnecting: attempt 1 in 0.2 s");
        assert!(throttle.lets_through(&running(20, lost), at(40)));
        assert!(!throttle.lets_through(&running(20, lost), at(60)));
        let later = Some("connection lost, reconnecting: attempt 2 in 0.4 s");
        assert!(throttle.lets_through(&running(20, later), at(70)));
        assert!(throttle.lets_through(&running(20, None), at(80)));
        assert!(!throttle.lets_through(&running(30, None), at(90)));
        let due = 80 + PROGRESS_EVERY.as_millis() as u64;
        assert!(throttle.lets_through(&running(40, None), at(due)));
        let paused = Progress {
            state: "paused".into(),
            ..running(40, None)
        };
        assert!(throttle.lets_through(&paused, at(due + 1)));
    }
}
