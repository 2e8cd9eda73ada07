//! Phase 2: deleting the frozen set, table by table in the plan's order, in batches that
//! each commit together with the job's checkpoint. Whatever stops the job — a cancel, a
//! kill, a lost connection — the next run starts at the last committed batch.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::sql::{encode_key, jobs_table, key_matches, no_children, rows_table, trashed_before};
use super::{PlannedTable, state};
use crate::db::tx::Transaction;
use crate::db::{Backend, DbConn, DbPool, rows};
use crate::engine::audit::{self, Actor, AuditEntry, TableKeys};
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::expr;
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
            target: Duration::from_millis(80),
        }
    }
}

/// The operator's hold on a running job.
#[derive(Debug, Clone, Default)]
pub struct JobControl {
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
const MAX_BATCH: u32 = 50_000;
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
    lease(&mut conn, job_id).await?;
    let mut runner = Runner::new(catalog, job, control)?;
    let resumed = runner.job.state != state::PLANNED;
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
                .set_state(&mut conn, state::DONE, Some("purge finish"), actor)
                .await?;
        }
        Ok(RunOutcome::Cancelled { .. }) => {
            runner
                .set_state(&mut conn, state::CANCELLED, Some("purge cancel"), actor)
                .await?;
        }
        Err(e) => {
            runner.progress.last_error = Some(e.message.clone());
            // The job stays resumable; its last error is kept for the next operator.
            if let Ok(mut fresh) = pool.get().await {
                let _ = runner
                    .set_state(&mut fresh, state::FAILED, Some("purge fail"), actor)
                    .await;
            }
        }
    }
    runner.progress.state = runner.job.state.clone();
    on_progress(&runner.progress);
    unlease(&mut conn, job_id).await;
    result
}

/// A job as stored.
#[derive(Debug, Clone)]
struct Job {
    id: i64,
    state: String,
    tables: Vec<PlannedTable>,
    pass: u32,
    step: usize,
    last_key: Option<String>,
    deleted: u64,
    done: BTreeMap<String, u64>,
    batch_size: u32,
    sleep_ms: u64,
    reason: Option<String>,
    scope: String,
}

impl Job {
    async fn load(conn: &mut DbConn, id: i64) -> Result<Job, EngineError> {
        let backend = conn.backend();
        let table = jobs_table(backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT state, plan, CAST(pass AS TEXT), CAST(step AS TEXT), last_key, \
             CAST(deleted_rows AS TEXT), done, CAST(batch_size AS TEXT), CAST(sleep_ms AS TEXT), \
             reason, scope FROM {} WHERE id = CAST({} AS BIGINT)",
            table.quoted(),
            binds.push(id.to_string())
        );
        let found = rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &table))?;
        let row = found
            .first()
            .ok_or_else(|| EngineError::other(format!("no purge job {id}")))?;
        let tables: Vec<PlannedTable> = serde_json::from_str(&row.text(1).unwrap_or_default())
            .map_err(|e| EngineError::other(format!("job {id} has an unreadable plan: {e}")))?;
        Ok(Job {
            id,
            state: row.text(0).unwrap_or_default(),
            tables,
            pass: row.int(2).unwrap_or(0) as u32,
            step: row.int(3).unwrap_or(0) as usize,
            last_key: row.text(4),
            deleted: row.int(5).unwrap_or(0) as u64,
            done: serde_json::from_str(&row.text(6).unwrap_or_default()).unwrap_or_default(),
            batch_size: row.int(7).unwrap_or(1_000) as u32,
            sleep_ms: row.int(8).unwrap_or(0) as u64,
            reason: row.text(9),
            scope: row.text(10).unwrap_or_default(),
        })
    }

    fn check_runnable(&self) -> Result<(), EngineError> {
        match self.state.as_str() {
            state::PENDING_APPROVAL => Err(EngineError::other(format!(
                "job {} waits for a second operator's approval",
                self.id
            ))),
            state::DONE => Err(EngineError::other(format!("job {} is done", self.id))),
            state::ABANDONED => Err(EngineError::other(format!("job {} was abandoned", self.id))),
            _ => Ok(()),
        }
    }
}

/// PostgreSQL: a session lock per job, so two consoles never run the same job, and a
/// job whose console died shows as interrupted (its lock went with its session).
/// SQLite serialises writers itself and every batch re-reads nothing it cached that
/// another runner could move, so it needs none.
pub(super) fn lease_key(job_id: i64) -> i64 {
    0x7472_6173_0000_0000_i64 | (job_id & 0xffff_ffff)
}

async fn lease(conn: &mut DbConn, job_id: i64) -> Result<(), EngineError> {
    if conn.backend() != Backend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "SELECT CAST(pg_try_advisory_lock({}) AS TEXT)",
        lease_key(job_id)
    );
    let got = rows::query(conn, &sql, &[])
        .await
        .map_err(|e| EngineError::other(format!("cannot lock job {job_id}: {e}")))?
        .first()
        .and_then(|r| r.bool(0))
        .unwrap_or(false);
    if got {
        Ok(())
    } else {
        Err(EngineError {
            kind: ErrorKind::Conflict,
            message: format!("job {job_id} is being run by another console"),
        })
    }
}

async fn unlease(conn: &mut DbConn, job_id: i64) {
    if conn.backend() == Backend::Postgres {
        let sql = format!(
            "SELECT CAST(pg_advisory_unlock({}) AS TEXT)",
            lease_key(job_id)
        );
        let _ = rows::query(conn, &sql, &[]).await;
    }
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
            let mut pass_deleted = 0u64;
            while self.job.step < self.tables.len() {
                if self.control.cancel.is_cancelled() {
                    return Ok(RunOutcome::Cancelled {
                        deleted: self.job.deleted,
                    });
                }
                if self.control.is_paused() {
                    self.wait_while_paused(conn, actor, on_progress).await?;
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
            let remaining = self.remaining(conn).await?;
            if remaining == 0 || (whole_pass && pass_deleted == 0) {
                return Ok(RunOutcome::Done {
                    deleted: self.job.deleted,
                    kept: remaining,
                });
            }
            self.job.pass += 1;
            self.job.step = 0;
            self.job.last_key = None;
            self.progress.pass = self.job.pass;
        }
    }

    async fn wait_while_paused(
        &mut self,
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
            self.set_state(conn, state::RUNNING, Some("purge resume"), actor)
                .await?;
            on_progress(&self.progress);
        }
        Ok(())
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
            match self.batch(conn, tuning.batch_size).await {
                Ok(batch) => {
                    self.after_batch(&batch, started.elapsed());
                    on_progress(&self.progress);
                    return Ok(batch);
                }
                Err(e) if attempt < MAX_RETRIES && retryable(&e) => {
                    attempt += 1;
                    self.progress.retries += 1;
                    self.progress.last_error = Some(e.message.clone());
                    if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Conflict) {
                        let mut t = tuning;
                        t.batch_size = (t.batch_size / 2).max(MIN_BATCH);
                        self.control.set_tuning(t);
                        self.progress.tuning = t;
                    }
                    on_progress(&self.progress);
                    let backoff = Duration::from_millis(100 * (1 << attempt.min(6)));
                    tokio::time::sleep(backoff).await;
                    if e.kind == ErrorKind::Connection {
                        *conn = pool.get().await.map_err(EngineError::connection)?;
                        lease(conn, self.job.id).await?;
                        self.job = Job::load(conn, self.job.id).await?;
                    }
                }
                Err(e) => {
                    self.progress.errors += 1;
                    self.progress.last_error = Some(e.message.clone());
                    return Err(e);
                }
            }
        }
    }

    /// Deletes the next batch of the current table and moves the checkpoint, in one
    /// transaction; `selected == 0` means the table is finished (the checkpoint moved on).
    async fn batch(&mut self, conn: &mut DbConn, size: u32) -> Result<Batch, EngineError> {
        if conn.backend() == Backend::Postgres
            && let Some(batch) = self.batch_in_one_statement(conn, size).await?
        {
            return Ok(batch);
        }
        self.batch_in_a_transaction(conn, size).await
    }

    /// PostgreSQL: the whole batch as one statement, atomic by itself — pick the next
    /// keys of the set, delete those rows that still qualify, forget them in the set and
    /// move the checkpoint — so a batch costs one round trip and the keys never leave the
    /// server. `None` when the table has no keys left (the caller moves to the next).
    async fn batch_in_one_statement(
        &mut self,
        conn: &mut DbConn,
        size: u32,
    ) -> Result<Option<Batch>, EngineError> {
        let backend = Backend::Postgres;
        let table = self.tables[self.job.step];
        let planned = &self.job.tables[self.job.step];
        let sd = table
            .soft_delete
            .as_ref()
            .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
        let key_columns = expr::key_columns(table, backend);
        let rows_name = rows_table(backend).quoted();
        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        let after = match &self.job.last_key {
            Some(last) => format!(" AND key > {}", binds.push(last.clone())),
            None => String::new(),
        };
        let trashed = expr::trashed_in(sd, backend, Some("t"));
        let qualifies = match planned
            .cutoff_epoch
            .and_then(|c| trashed_before(sd, "t", c, backend))
        {
            Some(before) => format!("((b.round > 0 AND {trashed}) OR (b.round = 0 AND {before}))"),
            None => trashed,
        };
        // Rows live when planned are in the set by the operator's choice: no state check.
        let qualifies = format!("(b.live OR {qualifies})");
        let mut conditions = vec![key_matches(&key_columns, "t", "b.key", backend), qualifies];
        conditions.extend(no_children(self.catalog, table, "t"));
        let sql = format!(
            "WITH b AS (SELECT key, round, live FROM {rows_name} \
               WHERE job_id = {job} AND table_name = {name}{after} ORDER BY key LIMIT {size}), \
             gone AS (DELETE FROM {} AS t USING b WHERE {} RETURNING {} AS key), \
             forgotten AS (DELETE FROM {rows_name} AS r USING gone \
               WHERE r.job_id = {job} AND r.table_name = {name} AND r.key = gone.key RETURNING 1) \
             SELECT CAST((SELECT count(*) FROM b) AS text), (SELECT max(key) FROM b), \
               CAST((SELECT count(*) FROM gone) AS text), CAST((SELECT count(*) FROM forgotten) AS text)",
            table.name.quoted(),
            conditions.join(" AND "),
            encode_key(&key_columns, "t", backend),
        );
        let mut tx = Transaction::begin(conn).await?;
        let found = match rows::query(tx.conn(), &sql, &binds.into_values()).await {
            Ok(found) => found,
            Err(e) => {
                tx.rollback().await;
                return Err(EngineError::from_query(e, &table.name));
            }
        };
        let row = found.first();
        let picked = row.and_then(|r| r.int(0)).unwrap_or(0) as usize;
        if picked == 0 {
            tx.rollback().await;
            return Ok(None);
        }
        let deleted = row.and_then(|r| r.int(2)).unwrap_or(0) as u64;
        self.job.last_key = row.and_then(|r| r.text(1));
        let result = self.checkpoint(tx.conn(), deleted, &table.name).await;
        let batch = Batch {
            selected: picked,
            deleted,
        };
        finish(tx, result.map(|()| batch)).await.map(Some)
    }

    /// Any backend: the batch's keys are read, then deleted by value, in one transaction
    /// with the checkpoint.
    async fn batch_in_a_transaction(
        &mut self,
        conn: &mut DbConn,
        size: u32,
    ) -> Result<Batch, EngineError> {
        let backend = conn.backend();
        let table = self.tables[self.job.step];
        let planned = &self.job.tables[self.job.step];
        let key_columns = expr::key_columns(table, backend);
        let rows_name = rows_table(backend).quoted();
        let mut tx = Transaction::begin(conn).await?;
        let c = tx.conn();

        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        let after = match &self.job.last_key {
            Some(last) => format!(" AND key > {}", binds.push(last.clone())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT key, CAST(round AS TEXT), CAST(live AS TEXT) FROM {rows_name} \
             WHERE job_id = {job} AND table_name = {name}{after} ORDER BY key LIMIT {size}"
        );
        let picked = match rows::query(c, &sql, &binds.into_values()).await {
            Ok(rows) => rows,
            Err(e) => {
                tx.rollback().await;
                return Err(EngineError::from_query(e, &table.name));
            }
        };
        if picked.is_empty() {
            self.job.step += 1;
            self.job.last_key = None;
            let result = self.checkpoint(tx.conn(), 0, &table.name).await;
            return finish(
                tx,
                result.map(|()| Batch {
                    selected: 0,
                    deleted: 0,
                }),
            )
            .await;
        }
        let mut roots = Vec::new();
        let mut descendants = Vec::new();
        let mut live = Vec::new();
        let mut stored = Vec::new();
        for row in &picked {
            let text = row.text(0).unwrap_or_default();
            let key: Vec<String> = serde_json::from_str(&text).map_err(|e| {
                EngineError::other(format!("job {}: bad key {text}: {e}", self.job.id))
            })?;
            if row.bool(2) == Some(true) {
                live.push(key);
            } else if row.int(1) == Some(0) {
                roots.push(key);
            } else {
                descendants.push(key);
            }
            stored.push(text);
        }
        let sd = table
            .soft_delete
            .as_ref()
            .ok_or_else(|| EngineError::not_soft_delete(&table.name))?;
        let guards = no_children(self.catalog, table, "t");
        let mut deleted = 0u64;
        // Roots: still trashed before the cutoff. Descendants: still trashed. Rows live
        // when planned (the policy that purges them): as they are.
        let root_state = planned
            .cutoff_epoch
            .and_then(|cutoff| trashed_before(sd, "t", cutoff, backend))
            .unwrap_or_else(|| "1 = 0".into());
        let groups = [
            (&roots, root_state),
            (&descendants, expr::trashed_in(sd, backend, Some("t"))),
            (&live, "1 = 1".to_owned()),
        ];
        for (keys, state) in groups {
            if keys.is_empty() {
                continue;
            }
            let mut binds = Binds::new(backend);
            let mut conditions = vec![in_keys(&key_columns, keys, &mut binds, backend)];
            conditions.push(state);
            conditions.extend(guards.iter().cloned());
            let sql = format!(
                "DELETE FROM {} AS t WHERE {}",
                table.name.quoted(),
                conditions.join(" AND ")
            );
            match rows::execute(tx.conn(), &sql, &binds.into_values()).await {
                Ok(n) => deleted += n as u64,
                Err(e) => {
                    tx.rollback().await;
                    return Err(EngineError::from_query(e, &table.name));
                }
            }
        }
        // The set forgets the rows that are gone, so a later pass meets only the rest.
        let mut binds = Binds::new(backend);
        let job = format!("CAST({} AS BIGINT)", binds.push(self.job.id.to_string()));
        let name = binds.push(table.name.to_string());
        let listed: Vec<String> = stored.iter().map(|k| binds.push(k.clone())).collect();
        let sql = format!(
            "DELETE FROM {rows_name} AS r WHERE r.job_id = {job} AND r.table_name = {name} \
             AND r.key IN ({}) AND NOT EXISTS (SELECT 1 FROM {} AS t WHERE {})",
            listed.join(", "),
            table.name.quoted(),
            key_matches(&key_columns, "t", "r.key", backend)
        );
        if let Err(e) = rows::execute(tx.conn(), &sql, &binds.into_values()).await {
            tx.rollback().await;
            return Err(EngineError::from_query(e, &table.name));
        }
        self.job.last_key = stored.last().cloned();
        let result = self.checkpoint(tx.conn(), deleted, &table.name).await;
        let batch = Batch {
            selected: picked.len(),
            deleted,
        };
        finish(tx, result.map(|()| batch)).await
    }

    /// Rows of the frozen set not deleted yet.
    async fn remaining(&self, conn: &mut DbConn) -> Result<u64, EngineError> {
        let backend = conn.backend();
        let rows_name = rows_table(backend);
        let mut binds = Binds::new(backend);
        let sql = format!(
            "SELECT CAST(count(*) AS TEXT) FROM {} WHERE job_id = CAST({} AS BIGINT)",
            rows_name.quoted(),
            binds.push(self.job.id.to_string())
        );
        rows::query(conn, &sql, &binds.into_values())
            .await
            .map_err(|e| EngineError::from_query(e, &rows_name))
            .map(|found| found.first().and_then(|r| r.int(0)).unwrap_or(0) as u64)
    }

    /// Records the checkpoint (and the rows just deleted) on the job row.
    async fn checkpoint(
        &mut self,
        conn: &mut DbConn,
        deleted: u64,
        table: &TableName,
    ) -> Result<(), EngineError> {
        let backend = conn.backend();
        let jobs = jobs_table(backend);
        let mut done = self.job.done.clone();
        *done.entry(table.to_string()).or_default() += deleted;
        let tuning = self.control.tuning();
        let mut binds = Binds::new(backend);
        let sql = format!(
            "UPDATE {} SET pass = CAST({} AS INTEGER), step = CAST({} AS INTEGER), last_key = {}, \
             deleted_rows = CAST({} AS BIGINT), done = {}, batch_size = CAST({} AS INTEGER), \
             sleep_ms = CAST({} AS INTEGER), updated_at = {} WHERE id = CAST({} AS BIGINT)",
            jobs.quoted(),
            binds.push(self.job.pass.to_string()),
            binds.push(self.job.step.to_string()),
            binds.push_nullable(self.job.last_key.clone()),
            binds.push((self.job.deleted + deleted).to_string()),
            binds.push(serde_json::to_string(&done).unwrap_or_default()),
            binds.push(tuning.batch_size.to_string()),
            binds.push(tuning.sleep.as_millis().to_string()),
            now_sql(backend),
            binds.push(self.job.id.to_string()),
        );
        rows::query_nullable(conn, &sql, &binds.into_nullable_values())
            .await
            .map_err(|e| EngineError::from_query(e, &jobs))?;
        // Only now, with the statement through, does the in-memory job move on; the
        // commit that follows makes it true in the database.
        self.job.done = done;
        self.job.deleted += deleted;
        Ok(())
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
                context: Some(super::audit_context(&self.job.scope, &self.job.tables)),
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

/// Commits a batch's transaction if its statements went through, else rolls it back.
async fn finish(
    tx: Transaction<'_>,
    result: Result<Batch, EngineError>,
) -> Result<Batch, EngineError> {
    match result {
        Ok(batch) => {
            tx.commit().await?;
            Ok(batch)
        }
        Err(e) => {
            tx.rollback().await;
            Err(e)
        }
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

/// `(t.k1, …) IN (VALUES (…), …)` with the keys bound.
fn in_keys(
    keys: &[crate::engine::catalog::ColumnInfo],
    chunk: &[Vec<String>],
    binds: &mut Binds,
    backend: Backend,
) -> String {
    let tuples: Vec<String> = chunk
        .iter()
        .map(|key| {
            let values: Vec<String> = keys
                .iter()
                .zip(key)
                .map(|(c, v)| c.cast_bind(backend, &binds.push(v.clone())))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect();
    let lhs: Vec<String> = keys.iter().map(|k| expr::column_in(k, Some("t"))).collect();
    format!("({}) IN (VALUES {})", lhs.join(", "), tuples.join(", "))
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
