//! Phase 2: deleting the frozen set, table by table in the plan's order, in batches that
//! each commit together with the job's checkpoint. Whatever stops the job — a cancel, a
//! kill, a lost connection — the next run starts at the last committed batch.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

mod batch;
mod cycles;
mod job;
mod reconnect;
mod throttle;

pub use throttle::Limits;

use job::{Job, lease, unlease};
pub(super) use job::{lease_key, sqlite_lease_free};

use super::sql::jobs_table;
use super::state;
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, DbPool, rows, session};
use crate::engine::audit::{self, Actor, AuditEntry, TableKeys};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::sql::{Binds, TableName};

/// How batches are sized and paced; the operator can change it while the job runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    pub batch_size: u32,
    pub sleep: Duration,
    /// Resize batches toward `target` after each one; off once the operator sets a size.
    pub adaptive: bool,
    pub target: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            batch_size: 1_000,
            sleep: Duration::ZERO,
            adaptive: true,
            target: Duration::from_millis(100),
        }
    }
}

/// The operator's hold on a running job.
#[derive(Debug, Clone, Default)]
pub struct JobControl {
    /// When to hold off between batches.
    pub limits: Limits,
    /// Finish the current batch, then stop, leaving the job resumable.
    pub cancel: CancellationToken,
    pub paused: Arc<std::sync::atomic::AtomicBool>,
    pub tuning: Arc<Mutex<Tuning>>,
}

impl JobControl {
    pub fn tuning(&self) -> Tuning {
        self.tuning.lock().map(|t| *t).unwrap_or_default()
    }

    fn set_tuning(&self, tuning: Tuning) {
        if let Ok(mut t) = self.tuning.lock() {
            *t = tuning;
        }
    }

    fn is_paused(&self) -> bool {
        self.paused.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// What the monitor shows, sent after every batch and state change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    pub job_id: i64,
    pub state: String,
    /// Per table, in purge order: rows deleted and rows planned.
    pub tables: Vec<(TableName, u64, u64)>,
    pub current: Option<TableName>,
    pub pass: u32,
    pub deleted: u64,
    pub total: u64,
    /// Over the last few seconds.
    pub rows_per_second: f64,
    /// Rows per second, one sample per batch, newest last.
    pub history: Vec<u64>,
    pub eta: Option<Duration>,
    pub batch_p50: Duration,
    pub batch_p99: Duration,
    pub tuning: Tuning,
    pub retries: u64,
    pub errors: u64,
    pub last_error: Option<String>,
    /// Why the job is holding off right now (a throttle hook), if it is.
    pub throttled: Option<String>,
    /// What the job is waiting on right now, if anything: a batch held up by row locks,
    /// a retry's pause, or a lost connection it is trying to get back.
    pub waiting: Option<String>,
    /// Sessions lost and got back.
    pub reconnects: u64,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every batch ran; `kept` rows of the set were not deleted (restored meanwhile, or
    /// still holding children).
    Done { deleted: u64, kept: u64 },
    /// Stopped by the operator after a whole batch; resumable.
    Cancelled { deleted: u64 },
}

/// Retries of one batch before the job stops as failed (resumable).
const MAX_RETRIES: u32 = 8;
const MIN_BATCH: u32 = 10;
/// How long a throttle check that found nothing stands.
const THROTTLE_RECHECK: Duration = Duration::from_secs(1);
const MAX_BATCH: u32 = 50_000;
/// A batch running this long is reported as held up, every tick.
const SLOW_BATCH: Duration = Duration::from_secs(1);

/// A batch runs a few statements, each cut off by the server at the statement timeout
/// (lock waits included). Silence well past that means the answers no longer arrive —
/// a proxy or load balancer in between that keeps the client's side of a dead link
/// open, where TCP keepalives are answered by the middlebox and never fail.
fn answer_deadline(statement_timeout: Duration) -> Duration {
    statement_timeout * 2 + Duration::from_secs(5)
}
const SLOW_BATCH_TICK: Duration = Duration::from_millis(500);
/// Samples kept for latency percentiles and the sparkline.
const SAMPLES: usize = 240;

/// Runs (or resumes) a planned job to its end, a cancel, or a failure.
pub async fn run(
    pool: &DbPool,
    catalog: &Catalog,
    job_id: i64,
    actor: &Actor,
    control: &JobControl,
    on_progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<RunOutcome, EngineError> {
    let mut conn = pool.get().await.map_err(EngineError::connection)?;
    let job = Job::load(&mut conn, job_id).await?;
    job.check_runnable()?;
    let held = lease(&mut conn, job_id).await?;
    // Checked under the lease, so no other console starts the job meanwhile.
    if job.state == state::APPROVED
        && let Err(e) = super::approval::check_before_start(&mut conn, job_id, actor).await
    {
        unlease(&mut conn, job_id, held, false).await;
        return Err(e);
    }
    let mut runner = Runner::new(catalog, job, control)?;
    runner.session_pid = session::current(&mut conn).await.map(|s| s.pid);
    runner.answer_deadline = session::statement_timeout(&mut conn)
        .await
        .map(answer_deadline);
    let resumed = runner.job.state != state::PLANNED && runner.job.state != state::APPROVED;
    runner
        .set_state(
            &mut conn,
            state::RUNNING,
            Some(if resumed {
                "purge resume"
            } else {
                "purge start"
            }),
            actor,
        )
        .await?;
    let result = runner.run(pool, &mut conn, actor, on_progress).await;
    match &result {
        Ok(RunOutcome::Done { .. }) => {
            runner
                .settle(
                    pool,
                    &mut conn,
                    state::DONE,
                    "purge finish",
                    actor,
                    on_progress,
                )
                .await?;
        }
        Ok(RunOutcome::Cancelled { .. }) => {
            runner
                .settle(
                    pool,
                    &mut conn,
                    state::CANCELLED,
                    "purge cancel",
                    actor,
                    on_progress,
                )
                .await?;
        }
        Err(e) => {
            runner.progress.last_error = Some(e.message.clone());
            // The job stays resumable; its last error is kept for the next operator —
            // unless another console holds it now, whose state is not ours to write.
            if !runner.lease_lost
                && let Ok(mut fresh) = pool.get().await
            {
                let _ = runner
                    .set_state(&mut fresh, state::FAILED, Some("purge fail"), actor)
                    .await;
            }
        }
    }
    runner.progress.state = runner.job.state.clone();
    on_progress(&runner.progress);
    let finished = matches!(result, Ok(RunOutcome::Done { .. }));
    unlease(&mut conn, job_id, held, finished).await;
    result
}

struct Runner<'a> {
    catalog: &'a Catalog,
    job: Job,
    control: &'a JobControl,
    tables: Vec<&'a TableInfo>,
    progress: Progress,
    started: Instant,
    latencies: VecDeque<Duration>,
    recent: VecDeque<(Instant, u64)>,
    /// The batch size each table starts from: a size that suited one table (cheap leaf
    /// rows) can take seconds on the next (parents whose deletes check their children).
    first_batch: u32,
    /// PostgreSQL: the current table's batches test every child relation themselves,
    /// because a batch that left the database's own foreign keys to do it met a child.
    guard_every_relation: bool,
    /// PostgreSQL: whether the current table's rows in the set all have positions
    /// (see `positions_recorded`); `None` until asked.
    positions_recorded: Option<bool>,
    /// When the throttle hooks were last asked.
    throttle_checked: Option<Instant>,
    /// PostgreSQL: the server process of the session holding the lease.
    session_pid: Option<i64>,
    /// Another console took the job while this one was reconnecting.
    lease_lost: bool,
    /// PostgreSQL: how long a batch may go without an answer before its connection is
    /// presumed lost (see [`answer_deadline`]); `None` without a statement timeout.
    answer_deadline: Option<Duration>,
}

/// One batch's outcome.
struct Batch {
    selected: usize,
    deleted: u64,
}

impl<'a> Runner<'a> {
    fn new(catalog: &'a Catalog, job: Job, control: &'a JobControl) -> Result<Self, EngineError> {
        let tables = job
            .tables
            .iter()
            .map(|t| {
                catalog.table(&t.table_name()).ok_or_else(|| {
                    EngineError::other(format!(
                        "table {} of job {} is gone from the catalog",
                        t.table_name().display(),
                        job.id
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (planned, table) in job.tables.iter().zip(&tables) {
            let Some(planned_as) = &planned.convention else {
                continue;
            };
            let now = table.soft_delete.as_ref().map(|sd| sd.describe());
            if now.as_deref() != Some(planned_as.as_str()) {
                return Err(EngineError::other(format!(
                    "job {}: {} was planned as `{planned_as}` and is now read as `{}`: \
                     detection (or the config) has changed since the plan, so its rows \
                     may no longer be the trash they were; abandon the job and plan again",
                    job.id,
                    table.name.display(),
                    now.unwrap_or_else(|| "not soft-deleting".into())
                )));
            }
        }
        let mut tuning = control.tuning();
        tuning.batch_size = job.batch_size.clamp(MIN_BATCH, MAX_BATCH);
        tuning.sleep = Duration::from_millis(job.sleep_ms);
        control.set_tuning(tuning);
        let progress = Progress {
            job_id: job.id,
            state: job.state.clone(),
            total: job.tables.iter().map(|t| t.rows).sum(),
            deleted: job.deleted,
            pass: job.pass,
            tuning,
            ..Progress::default()
        };
        Ok(Self {
            catalog,
            tables,
            progress,
            job,
            control,
            started: Instant::now(),
            latencies: VecDeque::new(),
            recent: VecDeque::new(),
            first_batch: tuning.batch_size,
            guard_every_relation: false,
            positions_recorded: None,
            throttle_checked: None,
            session_pid: None,
            lease_lost: false,
            answer_deadline: None,
        })
    }

    async fn run(
        &mut self,
        pool: &DbPool,
        conn: &mut DbConn,
        actor: &Actor,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<RunOutcome, EngineError> {
        loop {
            // Whether this process runs the pass from its start: only then does a pass
            // that deleted nothing prove that another would delete nothing either.
            let whole_pass = self.job.step == 0 && self.job.last_key.is_none();
            // A batch whose commit was in flight when a session was lost may have
            // deleted rows this process never counted.
            let reconnects_before = self.progress.reconnects;
            let mut pass_deleted = 0u64;
            while self.job.step < self.tables.len() {
                if self.control.cancel.is_cancelled() {
                    return Ok(RunOutcome::Cancelled {
                        deleted: self.job.deleted,
                    });
                }
                if self.control.is_paused() {
                    self.wait_while_paused(pool, conn, actor, on_progress)
                        .await?;
                    continue;
                }
                if self.hold_off(conn, on_progress).await {
                    continue;
                }
                let batch = self.batch_with_retries(pool, conn, on_progress).await?;
                if batch.selected == 0 {
                    let mut tuning = self.control.tuning();
                    if tuning.adaptive {
                        tuning.batch_size = self.first_batch;
                        self.control.set_tuning(tuning);
                    }
                    continue;
                }
                pass_deleted += batch.deleted;
                let sleep = self.control.tuning().sleep;
                if !sleep.is_zero() {
                    tokio::select! {
                        () = tokio::time::sleep(sleep) => {}
                        () = self.control.cancel.cancelled() => {}
                    }
                }
            }
            // Rows kept back only by a child deleted later in the same pass (a reply's
            // parent) go in the next pass; the job ends when the set is empty, or when a
            // whole pass deleted nothing (the rest is kept: restored, or still referenced).
            // (PostgreSQL's first pass goes by position, so rows that moved since the plan
            // are only met by key in the next: it proves nothing by itself.)
            let by_key = self.job.pass > 0 || conn.backend() == Backend::Sqlite;
            let remaining = match self.remaining(conn).await {
                Err(e) if e.kind == ErrorKind::Connection => {
                    self.reconnect(pool, conn, &e, on_progress).await?;
                    self.remaining(conn).await?
                }
                other => other?,
            };
            let counted_whole_pass = whole_pass && self.progress.reconnects == reconnects_before;
            if remaining == 0 {
                return Ok(RunOutcome::Done {
                    deleted: self.job.deleted,
                    kept: 0,
                });
            }
            if counted_whole_pass && by_key && pass_deleted == 0 {
                // What is left keeps itself (a cycle) or is kept from outside (restored,
                // referenced): the sweep takes the former; another pass, if it did,
                // takes what waited on it.
                let swept = match self.sweep_cycles(conn).await {
                    Ok(swept) => swept,
                    Err(e) => {
                        self.progress.last_error = Some(e.message);
                        0
                    }
                };
                if swept == 0 {
                    return Ok(RunOutcome::Done {
                        deleted: self.job.deleted,
                        kept: remaining,
                    });
                }
                self.progress.deleted = self.job.deleted;
                on_progress(&self.progress);
            }
            self.job.pass += 1;
            self.job.step = 0;
            self.job.last_key = None;
            self.progress.pass = self.job.pass;
        }
    }

    /// Waits a moment if a throttle hook says so; returns whether it did. A failing
    /// check never stops the purge: it only means no throttle this time.
    async fn hold_off(
        &mut self,
        conn: &mut DbConn,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> bool {
        // Lag and lock queues move over seconds: while the database was fine a moment
        // ago, batches go on without asking again (the question costs a round trip and
        // a scan of pg_stat_activity).
        if self.progress.throttled.is_none()
            && self
                .throttle_checked
                .is_some_and(|at| at.elapsed() < THROTTLE_RECHECK)
        {
            return false;
        }
        let why = throttle::reason_to_wait(conn, &self.control.limits)
            .await
            .ok()
            .flatten();
        self.throttle_checked = Some(Instant::now());
        let changed = why != self.progress.throttled;
        self.progress.throttled = why;
        if changed {
            on_progress(&self.progress);
        }
        if self.progress.throttled.is_none() {
            return false;
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = self.control.cancel.cancelled() => {}
        }
        true
    }

    async fn wait_while_paused(
        &mut self,
        pool: &DbPool,
        conn: &mut DbConn,
        actor: &Actor,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<(), EngineError> {
        self.set_state(conn, state::PAUSED, Some("purge pause"), actor)
            .await?;
        on_progress(&self.progress);
        while self.control.is_paused() && !self.control.cancel.is_cancelled() {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(100)) => {}
                () = self.control.cancel.cancelled() => {}
            }
        }
        if !self.control.cancel.is_cancelled() {
            // A long pause may outlast the session (a server restart meanwhile).
            self.settle(
                pool,
                conn,
                state::RUNNING,
                "purge resume",
                actor,
                on_progress,
            )
            .await?;
            on_progress(&self.progress);
        }
        Ok(())
    }

    /// `set_state`, on a new session if the current one is gone.
    async fn settle(
        &mut self,
        pool: &DbPool,
        conn: &mut DbConn,
        to: &str,
        event: &str,
        actor: &Actor,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<(), EngineError> {
        match self.set_state(conn, to, Some(event), actor).await {
            Err(e) if e.kind == ErrorKind::Connection => {
                self.reconnect(pool, conn, &e, on_progress).await?;
                self.set_state(conn, to, Some(event), actor).await
            }
            other => other,
        }
    }

    /// One batch, retried with a smaller size and a backoff when it times out or meets
    /// a lock, a deadlock or a busy database; a lost connection is replaced.
    async fn batch_with_retries(
        &mut self,
        pool: &DbPool,
        conn: &mut DbConn,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<Batch, EngineError> {
        let mut attempt = 0;
        loop {
            let tuning = self.control.tuning();
            let started = Instant::now();
            match self
                .watched_batch(conn, tuning.batch_size, on_progress)
                .await
            {
                Ok(batch) => {
                    self.progress.waiting = None;
                    self.after_batch(&batch, started.elapsed());
                    on_progress(&self.progress);
                    return Ok(batch);
                }
                Err(e) if attempt < MAX_RETRIES && retryable(&e) => {
                    attempt += 1;
                    self.progress.retries += 1;
                    self.progress.last_error = Some(e.message.clone());
                    if e.kind == ErrorKind::Connection {
                        self.reconnect(pool, conn, &e, on_progress).await?;
                        continue;
                    }
                    let mut size = tuning.batch_size;
                    if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Conflict) {
                        let mut t = tuning;
                        t.batch_size = (t.batch_size / 2).max(MIN_BATCH);
                        size = t.batch_size;
                        self.control.set_tuning(t);
                        self.progress.tuning = t;
                    }
                    let backoff = Duration::from_millis(100 * (1 << attempt.min(6)));
                    self.progress.waiting = Some(format!(
                        "{}: retry {attempt} of {MAX_RETRIES} with {size} rows in {} ms",
                        retry_cause(&e),
                        backoff.as_millis()
                    ));
                    on_progress(&self.progress);
                    tokio::time::sleep(backoff).await;
                }
                Err(e) => {
                    self.progress.errors += 1;
                    self.progress.waiting = None;
                    self.progress.last_error = Some(e.message.clone());
                    return Err(e);
                }
            }
        }
    }

    /// A batch, with the monitor told while it runs longer than it should: a batch
    /// stuck behind another session's row locks is otherwise silent until lock_timeout.
    async fn watched_batch(
        &mut self,
        conn: &mut DbConn,
        size: u32,
        on_progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<Batch, EngineError> {
        let mut shown = self.progress.clone();
        let started = Instant::now();
        let answer_deadline = self.answer_deadline;
        let batch = self.batch(conn, size);
        tokio::pin!(batch);
        let mut ticker = tokio::time::interval(SLOW_BATCH_TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                result = &mut batch => return result,
                _ = ticker.tick() => {
                    let running = started.elapsed();
                    if let Some(deadline) = answer_deadline
                        && running >= deadline
                    {
                        // Dropping the batch here leaves its session mid-statement;
                        // the reconnect discards it and ends it on the server.
                        return Err(EngineError::connection(format!(
                            "no answer from the database for {:.0} s, though no statement \
                             may run longer than the session's statement timeout: the \
                             connection is presumed lost",
                            running.as_secs_f64()
                        )));
                    }
                    if running >= SLOW_BATCH {
                        shown.waiting = Some(format!(
                            "batch of {size} rows running for {:.1} s: waiting on row locks \
                             or a slow delete",
                            running.as_secs_f64()
                        ));
                        on_progress(&shown);
                    }
                }
            }
        }
    }

    fn after_batch(&mut self, batch: &Batch, took: Duration) {
        let now = Instant::now();
        self.latencies.push_back(took);
        if self.latencies.len() > SAMPLES {
            self.latencies.pop_front();
        }
        self.recent.push_back((now, batch.deleted));
        while self
            .recent
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) > Duration::from_secs(10))
        {
            self.recent.pop_front();
        }
        let window = self
            .recent
            .front()
            .map_or(Duration::ZERO, |(at, _)| now.duration_since(*at))
            .max(took)
            .as_secs_f64()
            .max(0.001);
        let recent_rows: u64 = self.recent.iter().map(|(_, n)| n).sum();
        let p = &mut self.progress;
        p.rows_per_second = recent_rows as f64 / window;
        p.history
            .push(batch.deleted * 1000 / took.as_millis().max(1) as u64);
        if p.history.len() > SAMPLES {
            p.history.remove(0);
        }
        let mut sorted: Vec<Duration> = self.latencies.iter().copied().collect();
        sorted.sort();
        p.batch_p50 = percentile(&sorted, 0.50);
        p.batch_p99 = percentile(&sorted, 0.99);
        p.deleted = self.job.deleted;
        p.pass = self.job.pass;
        p.current = self.tables.get(self.job.step).map(|t| t.name.clone());
        p.tables = self
            .job
            .tables
            .iter()
            .map(|t| {
                let name = t.table_name();
                let done = self.job.done.get(&name.to_string()).copied().unwrap_or(0);
                (name, done, t.rows)
            })
            .collect();
        let remaining = p.total.saturating_sub(p.deleted);
        p.eta = (p.rows_per_second > 0.0)
            .then(|| Duration::from_secs_f64(remaining as f64 / p.rows_per_second));
        p.elapsed = self.started.elapsed();
        let mut tuning = self.control.tuning();
        if tuning.adaptive && batch.selected as u32 >= tuning.batch_size {
            tuning.batch_size = resize(tuning.batch_size, took, tuning.target);
            self.control.set_tuning(tuning);
        }
        p.tuning = tuning;
    }

    /// Moves the job to `to`, with an audit record of `event`, in one transaction.
    async fn set_state(
        &mut self,
        conn: &mut DbConn,
        to: &str,
        event: Option<&str>,
        actor: &Actor,
    ) -> Result<(), EngineError> {
        let backend = conn.backend();
        let jobs = jobs_table(backend);
        let mut tx = Transaction::begin(conn).await?;
        let mut binds = Binds::new(backend);
        let finished = if to == state::DONE {
            format!(", finished_at = {}", now_sql(backend))
        } else {
            String::new()
        };
        let sql = format!(
            "UPDATE {} SET state = {}, last_error = {}, updated_at = {}{finished} \
             WHERE id = CAST({} AS BIGINT)",
            jobs.quoted(),
            binds.push(to),
            binds.push_nullable(self.progress.last_error.clone()),
            now_sql(backend),
            binds.push(self.job.id.to_string()),
        );
        let mut result = rows::query_nullable(tx.conn(), &sql, &binds.into_nullable_values())
            .await
            .map(|_| ())
            .map_err(|e| EngineError::from_query(e, &jobs));
        if let (Ok(()), Some(event)) = (&result, event) {
            let entry = AuditEntry {
                actor: actor.clone(),
                action: event.to_owned(),
                tables: self
                    .job
                    .tables
                    .iter()
                    .map(|t| {
                        let name = t.table_name();
                        TableKeys {
                            rows: self.job.done.get(&name.to_string()).copied().unwrap_or(0),
                            table: name.display(),
                            key_columns: Vec::new(),
                            keys: Vec::new(),
                        }
                    })
                    .collect(),
                reason: self.job.reason.clone(),
                job_id: Some(self.job.id),
                context: Some(super::audit_context(&self.job.scope, &self.job.tables, &[])),
            };
            result = audit::record(tx.conn(), &entry).await.map(|_| ());
        }
        match result {
            Ok(()) => {
                tx.commit().await?;
                self.job.state = to.to_owned();
                self.progress.state = to.to_owned();
                Ok(())
            }
            Err(e) => {
                tx.rollback().await;
                Err(e)
            }
        }
    }
}

/// What held a batch up, in the operator's words.
fn retry_cause(e: &EngineError) -> &'static str {
    let lower = e.message.to_lowercase();
    if lower.contains("lock timeout") {
        "another session held rows of the batch past lock_timeout"
    } else if lower.contains("deadlock") {
        "a deadlock with another session"
    } else if lower.contains("locked") {
        "the database is locked by another writer"
    } else if e.kind == ErrorKind::Timeout {
        "the batch ran past statement_timeout"
    } else if lower.contains("child was written") || lower.contains("foreign key") {
        "a child was written under the batch meanwhile"
    } else {
        "the batch lost a race with another writer"
    }
}

fn retryable(e: &EngineError) -> bool {
    matches!(
        e.kind,
        ErrorKind::Timeout | ErrorKind::Conflict | ErrorKind::Connection
    )
}

/// The next batch size: grow while batches finish well under the target latency, shrink
/// when they run over it.
fn resize(size: u32, took: Duration, target: Duration) -> u32 {
    let ratio = took.as_secs_f64() / target.as_secs_f64().max(0.001);
    let next = if ratio < 0.5 {
        f64::from(size) * 1.5
    } else if ratio < 0.8 {
        f64::from(size) * 1.15
    } else if ratio > 1.5 {
        f64::from(size) * 0.5
    } else if ratio > 1.1 {
        f64::from(size) * 0.8
    } else {
        f64::from(size)
    };
    (next as u32).clamp(MIN_BATCH, MAX_BATCH)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn now_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "now()",
        Backend::Sqlite => "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_grow_under_the_target_and_shrink_over_it() {
        let target = Duration::from_millis(100);
        assert!(resize(1_000, Duration::from_millis(20), target) > 1_000);
        assert!(resize(1_000, Duration::from_millis(300), target) < 1_000);
        assert_eq!(resize(1_000, Duration::from_millis(100), target), 1_000);
        assert_eq!(
            resize(MAX_BATCH, Duration::from_millis(1), target),
            MAX_BATCH
        );
        assert_eq!(resize(MIN_BATCH, Duration::from_secs(9), target), MIN_BATCH);
    }

    #[test]
    fn percentiles_pick_from_the_sorted_samples() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 0.5), Duration::from_millis(51));
        assert_eq!(percentile(&samples, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
    }
}
