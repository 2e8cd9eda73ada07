//! The worker sits between the UI and the engine. It owns the pool, runs each request
//! as its own task, and answers over a channel. Requests of the same kind replace one
//! another: the older job is told to stop, cancels its query on the server (PostgreSQL)
//! and answers nothing, so holding `j` never piles up work. Answers carry the request's
//! generation so the UI can drop stale ones.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub mod link;
mod orphans;
mod purges;

pub use orphans::{OrphanSamples, SAMPLE_ROWS};
pub use purges::{PurgeAction, PurgeRequest, PurgeResponse};

use crate::config::Config;
use crate::db::{DbConn, DbPool};
use crate::engine::audit::Actor;
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::change::{self, Applied, ApplyError, Change, ChangeKind, ChangePreview};
use crate::engine::history::{self, AuditQuery, AuditRecord};
use crate::engine::purge;
use crate::engine::related::{self, RelatedOptions, RelatedReport};
use crate::engine::sql::TableName;
use crate::engine::trash::{self, Page, PageQuery, RowDetail, TableStats};
use crate::engine::{EngineError, ErrorKind};

/// Which kind of work a request is; one job per slot runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Catalog,
    Stats,
    Page,
    Detail,
    Related,
    /// Restore and move-to-trash previews.
    ChangePreview,
    /// Writes. A new write never stops one in flight; it waits its turn.
    ChangeWrite,
    /// Purge dry runs: a newer one (or closing the dialog) stops the one running.
    PurgePlan,
    /// Orphan scans over every relation.
    Orphans,
    /// The orphans of one relation, listed.
    OrphanSamples,
    /// A page of the audit log.
    Audit,
}

#[derive(Debug, Clone)]
pub enum Request {
    LoadCatalog {
        generation: u64,
    },
    Stats {
        generation: u64,
    },
    Page {
        generation: u64,
        table: TableName,
        query: PageQuery,
    },
    Detail {
        generation: u64,
        table: TableName,
        key: Vec<String>,
    },
    /// Related counts for rows of `table`. `exact` counts every path exactly now,
    /// whatever the scan budget.
    Related {
        generation: u64,
        table: TableName,
        keys: Vec<Vec<String>>,
        exact: bool,
    },
    /// What restoring (or trashing) these rows would change, and what blocks it.
    PreviewChange {
        generation: u64,
        kind: ChangeKind,
        table: TableName,
        keys: Vec<Vec<String>>,
        choices: ChangeChoices,
    },
    /// Writes a previewed change (or an undo) in one audited transaction.
    ApplyChange {
        generation: u64,
        change: Box<Change>,
        reason: Option<String>,
    },
    /// Purge plans and jobs, which run beside everything else.
    Purge(PurgeRequest),
    /// Hard and soft orphans along every relation.
    ScanOrphans {
        generation: u64,
    },
    /// Sample orphans of one relation (an index into the catalog's relations).
    OrphanSamples {
        generation: u64,
        relation: usize,
    },
    /// A page of the audit log, newest first.
    Audit {
        generation: u64,
        query: AuditQuery,
    },
    /// The preview of moving one relation's soft orphans to trash with their parents'
    /// deletion groups (answered as a change preview).
    TrashSoftOrphans {
        generation: u64,
        relation: usize,
    },
    /// The trashed parents of one relation's soft orphans (to restore them).
    SoftOrphanParents {
        generation: u64,
        relation: usize,
    },
    /// Stop the job in a slot, e.g. when the operator leaves a table.
    Cancel(Slot),
}

/// The operator's choices for a restore preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeChoices {
    pub with_group: bool,
    pub with_ancestors: bool,
    pub leave_blocked: bool,
    /// Move to trash: leave the implied relations below undeclared, this once.
    pub ignore_implied: bool,
}

impl Request {
    fn slot(&self) -> Slot {
        match self {
            Request::LoadCatalog { .. } => Slot::Catalog,
            Request::Stats { .. } => Slot::Stats,
            Request::Page { .. } => Slot::Page,
            Request::Detail { .. } => Slot::Detail,
            Request::Related { .. } => Slot::Related,
            Request::PreviewChange { .. } => Slot::ChangePreview,
            Request::ApplyChange { .. } => Slot::ChangeWrite,
            Request::ScanOrphans { .. } => Slot::Orphans,
            Request::OrphanSamples { .. } => Slot::OrphanSamples,
            Request::Audit { .. } => Slot::Audit,
            Request::SoftOrphanParents { .. } => Slot::OrphanSamples,
            Request::TrashSoftOrphans { .. } => Slot::ChangePreview,
            Request::Cancel(slot) => *slot,
            Request::Purge(PurgeRequest::Plan { .. }) => Slot::PurgePlan,
            // Jobs run beside the slots; see `Worker::handle`.
            Request::Purge(_) => Slot::Catalog,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Response {
    Catalog {
        generation: u64,
        result: Result<Arc<Catalog>, String>,
    },
    Stats {
        generation: u64,
        table: TableName,
        result: Result<TableStats, EngineError>,
    },
    StatsDone {
        generation: u64,
    },
    Page {
        generation: u64,
        table: TableName,
        result: Result<Page, EngineError>,
    },
    Detail {
        generation: u64,
        result: Result<Option<RowDetail>, EngineError>,
    },
    /// Sent once with estimates for over-budget paths, then again when exact counts
    /// replace them; `settled` marks the last answer for the request.
    Related {
        generation: u64,
        result: Result<RelatedReport, EngineError>,
        settled: bool,
    },
    ChangePreview {
        generation: u64,
        result: Result<ChangePreview, EngineError>,
    },
    ChangeApplied {
        generation: u64,
        result: Result<Applied, ApplyError>,
    },
    Purge(PurgeResponse),
    Orphans {
        generation: u64,
        result: orphans::ScanResult,
    },
    OrphanSamples {
        generation: u64,
        relation: usize,
        result: Result<OrphanSamples, EngineError>,
    },
    Audit {
        generation: u64,
        result: Result<Vec<AuditRecord>, EngineError>,
    },
    SoftOrphanParents {
        generation: u64,
        result: Result<(TableName, Vec<Vec<String>>), EngineError>,
    },
    /// The database link was lost, or is back.
    Link(link::LinkState),
}

type CatalogAnswer = (u64, Result<Arc<Catalog>, String>);

/// How long a job waits for each connection beyond its first.
const EXTRA_CONNECTION_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

/// How often a stopped job repeats its cancel while its statement still runs.
const CANCEL_REPEAT: std::time::Duration = std::time::Duration::from_millis(50);

/// A job in flight. Stopping is cooperative: the job cancels its own statement on the
/// server and waits for it to end before its connection returns to the pool. Aborting
/// the task instead would hand back a connection whose query is still running, and a
/// cancel arriving late would then hit whichever job used that connection next.
struct RunningJob {
    id: u64,
    stop: CancellationToken,
}

impl RunningJob {
    fn stop(self) {
        self.stop.cancel();
    }
}

pub struct Worker {
    pool: DbPool,
    config: Arc<Config>,
    /// Who changes are recorded as done by.
    actor: Actor,
    catalog: Option<Arc<Catalog>>,
    /// At most one job per slot; a new request in a slot stops the one before it.
    running: HashMap<Slot, RunningJob>,
    /// The newest request for a slot whose stopped job has not finished yet. It starts
    /// when that job ends, and a newer request replaces it, so holding `j` keeps at most
    /// one job and one request per slot, never a pile.
    queued: HashMap<Slot, Request>,
    next_job: u64,
    finished_tx: mpsc::UnboundedSender<(Slot, u64)>,
    finished_rx: mpsc::UnboundedReceiver<(Slot, u64)>,
    replies: mpsc::UnboundedSender<Response>,
    /// Catalog answers pass through the worker, which keeps its copy before forwarding,
    /// so no request can arrive that names a table the worker has not seen yet.
    catalog_tx: mpsc::UnboundedSender<CatalogAnswer>,
    catalog_rx: mpsc::UnboundedReceiver<CatalogAnswer>,
    purges: purges::Purges,
    link: link::LinkWatch,
}

/// The UI's handle: send requests; dropping it stops the worker.
#[derive(Clone)]
pub struct WorkerHandle {
    requests: mpsc::UnboundedSender<Request>,
}

impl WorkerHandle {
    pub fn send(&self, request: Request) {
        // The worker only goes away when the UI is shutting down; nothing to report then.
        let _ = self.requests.send(request);
    }

    /// A handle with no worker behind it: what the UI sends arrives on the returned
    /// receiver. For driving the UI without a database (render tests, demos of the UI).
    pub fn detached() -> (Self, mpsc::UnboundedReceiver<Request>) {
        let (requests, receiver) = mpsc::unbounded_channel();
        (Self { requests }, receiver)
    }
}

pub fn spawn(
    pool: DbPool,
    config: Arc<Config>,
) -> (WorkerHandle, mpsc::UnboundedReceiver<Response>) {
    let (request_tx, request_rx) = mpsc::unbounded_channel();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let (catalog_tx, catalog_rx) = mpsc::unbounded_channel();
    let (finished_tx, finished_rx) = mpsc::unbounded_channel();
    let actor = Actor::from_env();
    let purges = purges::Purges::new(
        pool.clone(),
        config.clone(),
        actor.clone(),
        reply_tx.clone(),
    );
    let link = link::LinkWatch::new(pool.clone(), reply_tx.clone());
    let worker = Worker {
        purges,
        link,
        pool,
        config,
        actor,
        catalog: None,
        running: HashMap::new(),
        queued: HashMap::new(),
        next_job: 0,
        finished_tx,
        finished_rx,
        replies: reply_tx,
        catalog_tx,
        catalog_rx,
    };
    tokio::spawn(worker.run(request_rx));
    (
        WorkerHandle {
            requests: request_tx,
        },
        reply_rx,
    )
}

impl Worker {
    async fn run(mut self, mut requests: mpsc::UnboundedReceiver<Request>) {
        loop {
            tokio::select! {
                request = requests.recv() => match request {
                    Some(request) => self.handle(request),
                    None => break,
                },
                Some((generation, result)) = self.catalog_rx.recv() => {
                    if let Ok(catalog) = &result {
                        self.catalog = Some(catalog.clone());
                    }
                    let _ = self.replies.send(Response::Catalog { generation, result });
                }
                Some(event) = self.purges.events_rx.recv() => self.purges.on_event(event),
                Some((slot, id)) = self.finished_rx.recv() => {
                    if self.running.get(&slot).is_some_and(|job| job.id == id) {
                        self.running.remove(&slot);
                        if let Some(next) = self.queued.remove(&slot) {
                            self.start(next);
                        }
                    }
                }
            }
        }
        for (_, job) in self.running.drain() {
            job.stop();
        }
        self.purges.cancel_all();
    }

    /// The catalog's entry for a table a request names; cloned so the job owns it.
    fn table_info(&self, table: &TableName) -> Result<TableInfo, EngineError> {
        self.catalog
            .as_ref()
            .and_then(|c| c.table(table).cloned())
            .ok_or_else(|| EngineError::other(format!("unknown table {table}")))
    }

    fn handle(&mut self, request: Request) {
        let request = match request {
            Request::Purge(purge) if !matches!(purge, PurgeRequest::Plan { .. }) => {
                self.purges.handle(purge, self.catalog.clone());
                return;
            }
            other => other,
        };
        let slot = request.slot();
        if let Request::Cancel(_) = request {
            self.queued.remove(&slot);
            if let Some(job) = self.running.get(&slot) {
                job.stop.cancel();
            }
            return;
        }
        match self.running.get(&slot) {
            Some(_) if slot == Slot::ChangeWrite => {
                self.queued.insert(slot, request);
            }
            Some(job) => {
                job.stop.cancel();
                self.queued.insert(slot, request);
            }
            None => self.start(request),
        }
    }

    fn start(&mut self, request: Request) {
        let slot = request.slot();
        let stop = CancellationToken::new();
        self.next_job += 1;
        let id = self.next_job;
        let ctx = JobContext {
            pool: self.pool.clone(),
            stop: stop.clone(),
            replies: self.replies.clone(),
            link: self.link.clone(),
            _finished: FinishedGuard {
                slot,
                id,
                tx: self.finished_tx.clone(),
            },
        };
        match request {
            Request::LoadCatalog { generation } => {
                let config = self.config.clone();
                let catalog_tx = self.catalog_tx.clone();
                tokio::spawn(async move {
                    let result = ctx.load_catalog(&config).await;
                    if !ctx.stop.is_cancelled() {
                        let _ = catalog_tx.send((generation, result));
                    }
                });
            }
            Request::Stats { generation } => {
                let catalog = self.catalog.clone();
                let retention = self.config.console.default_retention_days;
                tokio::spawn(async move { ctx.stats(generation, catalog, retention).await });
            }
            Request::Page {
                generation,
                table,
                query,
            } => {
                let info = self.table_info(&table);
                tokio::spawn(async move {
                    let result = match info {
                        Ok(info) => {
                            ctx.with_conn(async |conn| trash::page(conn, &info, &query).await)
                                .await
                        }
                        Err(e) => Err(e),
                    };
                    ctx.reply(Response::Page {
                        generation,
                        table,
                        result,
                    });
                });
            }
            Request::Detail {
                generation,
                table,
                key,
            } => {
                let info = self.table_info(&table);
                tokio::spawn(async move {
                    let result = match info {
                        Ok(info) => {
                            ctx.with_conn(async |conn| trash::row_detail(conn, &info, &key).await)
                                .await
                        }
                        Err(e) => Err(e),
                    };
                    ctx.reply(Response::Detail { generation, result });
                });
            }
            Request::Related {
                generation,
                table,
                keys,
                exact,
            } => {
                let catalog = self.catalog.clone();
                let job = RelatedJob {
                    generation,
                    table,
                    keys,
                    options: related_options(&self.config, exact),
                    exact_in_background: self.config.related.exact_in_background,
                    connections: self.config.related.connections as usize,
                };
                tokio::spawn(async move { ctx.related(job, catalog).await });
            }
            Request::PreviewChange {
                generation,
                kind,
                table,
                keys,
                choices,
            } => {
                let catalog = self.catalog.clone();
                let mut options = self
                    .config
                    .change_options(choices.with_group, choices.with_ancestors);
                options.leave_blocked = choices.leave_blocked;
                options.ignore_implied = choices.ignore_implied;
                tokio::spawn(async move {
                    let result = match catalog {
                        Some(catalog) => {
                            ctx.with_conn(async |conn| match kind {
                                ChangeKind::Restore => {
                                    change::plan_restore(conn, &catalog, &table, &keys, &options)
                                        .await
                                }
                                ChangeKind::Trash => {
                                    change::plan_trash(conn, &catalog, &table, &keys, &options)
                                        .await
                                }
                            })
                            .await
                        }
                        None => Err(EngineError::other("the catalog is still loading")),
                    };
                    ctx.reply(Response::ChangePreview { generation, result });
                });
            }
            Request::ApplyChange {
                generation,
                change,
                reason,
            } => {
                let catalog = self.catalog.clone();
                let actor = self.actor.clone();
                tokio::spawn(async move {
                    let result = match catalog {
                        Some(catalog) => ctx.apply_change(&catalog, &change, &actor, reason).await,
                        None => Err(ApplyError::Failed(EngineError::other(
                            "the catalog is still loading",
                        ))),
                    };
                    // Answered even when stopped: a write that could not be stopped (SQLite
                    // cannot cancel a statement) may still have committed, and the operator
                    // must learn what happened to the data.
                    let _ = ctx
                        .replies
                        .send(Response::ChangeApplied { generation, result });
                });
            }
            Request::Purge(PurgeRequest::Plan {
                generation,
                scope,
                older_than,
                policy,
            }) => {
                let catalog = self.catalog.clone();
                let options = self.config.purge_options(older_than).with_policy(policy);
                let actor = self.actor.clone();
                tokio::spawn(async move {
                    let result = match catalog {
                        Some(catalog) => {
                            ctx.with_conn(async |conn| {
                                purge::plan(conn, &catalog, &scope, &options, &actor, None, false)
                                    .await
                            })
                            .await
                        }
                        None => Err(EngineError::other("the catalog is still loading")),
                    };
                    ctx.reply(Response::Purge(PurgeResponse::Plan { generation, result }));
                });
            }
            Request::ScanOrphans { generation } => {
                let catalog = self.catalog.clone();
                tokio::spawn(async move { ctx.scan_orphans(generation, catalog).await });
            }
            Request::OrphanSamples {
                generation,
                relation,
            } => {
                let catalog = self.catalog.clone();
                tokio::spawn(
                    async move { ctx.sample_orphans(generation, relation, catalog).await },
                );
            }
            Request::Audit { generation, query } => {
                tokio::spawn(async move {
                    let result = ctx
                        .with_conn(async |conn| history::list(conn, &query).await)
                        .await;
                    ctx.reply(Response::Audit { generation, result });
                });
            }
            Request::TrashSoftOrphans {
                generation,
                relation,
            } => {
                let catalog = self.catalog.clone();
                let options = self.config.change_options(false, false);
                let actor = self.actor.os_user.clone();
                tokio::spawn(async move {
                    let result = match catalog {
                        Some(catalog) => {
                            ctx.with_conn(async |conn| {
                                change::plan_trash_with_parents(
                                    conn, &catalog, relation, &options, &actor,
                                )
                                .await
                            })
                            .await
                        }
                        None => Err(EngineError::other("the catalog is still loading")),
                    };
                    ctx.reply(Response::ChangePreview { generation, result });
                });
            }
            Request::SoftOrphanParents {
                generation,
                relation,
            } => {
                let catalog = self.catalog.clone();
                tokio::spawn(async move {
                    ctx.soft_orphan_parents(generation, relation, catalog).await
                });
            }
            Request::Cancel(_) | Request::Purge(_) => return,
        }
        self.running.insert(slot, RunningJob { id, stop });
    }
}

/// What one job needs: a way to get a connection (registering its canceller) and a
/// way to answer.
struct JobContext {
    pool: DbPool,
    stop: CancellationToken,
    replies: mpsc::UnboundedSender<Response>,
    link: link::LinkWatch,
    /// Tells the worker the job has ended when the task drops its context.
    _finished: FinishedGuard,
}

struct FinishedGuard {
    slot: Slot,
    id: u64,
    tx: mpsc::UnboundedSender<(Slot, u64)>,
}

impl Drop for FinishedGuard {
    fn drop(&mut self) {
        let _ = self.tx.send((self.slot, self.id));
    }
}

/// One related-count request, as the job runs it.
struct RelatedJob {
    generation: u64,
    table: TableName,
    keys: Vec<Vec<String>>,
    options: RelatedOptions,
    exact_in_background: bool,
    connections: usize,
}

fn related_options(config: &Config, exact: bool) -> RelatedOptions {
    RelatedOptions {
        max_depth: config.related.max_depth as usize,
        max_paths: config.related.max_paths as usize,
        scan_budget: (!exact).then_some(config.related.scan_budget),
        recovery_window: config.recovery_window(),
        quick_timeout: config.quick_timeout(),
    }
}

impl JobContext {
    /// A stopped job answers nothing: the UI has moved on, and its answer would only be
    /// "cancelled".
    fn reply(&self, response: Response) {
        if !self.stop.is_cancelled() {
            let _ = self.replies.send(response);
        }
    }

    async fn with_conn<T>(
        &self,
        work: impl AsyncFnOnce(&mut DbConn) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        self.with_conns(1, async |conns: &mut [DbConn]| match conns.first_mut() {
            Some(conn) => work(conn).await,
            None => Err(EngineError::connection("no database connection")),
        })
        .await
    }

    /// Runs `work` on up to `wanted` pooled connections: the first is waited for, the
    /// others are taken only if they sit idle in the pool, so a busy pool still serves
    /// the job, just less in parallel, and no job opens sessions it will not wait for.
    async fn with_conns<T>(
        &self,
        wanted: usize,
        work: impl AsyncFnOnce(&mut [DbConn]) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let first = tokio::select! {
            conn = self.pool.get() => match conn {
                Ok(conn) => conn,
                Err(e) => {
                    self.link.lost(&e);
                    return Err(EngineError::connection(e));
                }
            },
            () = self.stop.cancelled() => return Err(EngineError::cancelled()),
        };
        let mut conns = vec![first];
        while conns.len() < wanted && self.pool.idle_connections() > 0 {
            match tokio::time::timeout(EXTRA_CONNECTION_WAIT, self.pool.get()).await {
                Ok(Ok(conn)) => conns.push(conn),
                _ => break,
            }
        }
        let cancellers: Vec<_> = conns
            .iter()
            .filter_map(|c| self.pool.canceller(c))
            .collect();
        let finished = {
            let running = work(&mut conns);
            tokio::pin!(running);
            tokio::select! {
                result = &mut running => Some(result),
                () = self.stop.cancelled() => {
                    // Let the statements end before the connections are released. A
                    // cancel that reaches the server just before the job's next statement
                    // starts hits nothing, so it is repeated until the work is over.
                    // SQLite cannot cancel; its statements are short and simply run out.
                    loop {
                        for canceller in &cancellers {
                            canceller.cancel().await;
                        }
                        tokio::select! {
                            _ = &mut running => break,
                            () = tokio::time::sleep(CANCEL_REPEAT) => {}
                        }
                    }
                    None
                }
            }
        };
        match finished {
            Some(result) => {
                if let Err(e) = &result
                    && e.kind == ErrorKind::Connection
                {
                    self.link.lost(&e.message);
                }
                result
            }
            None => {
                // A cancel request reaches the server on its own connection, in no fixed
                // order: arriving after its statement ended, it would cancel whatever
                // the session runs next. So the sessions are closed, never reused.
                if !cancellers.is_empty() {
                    for conn in &mut conns {
                        conn.discard();
                    }
                }
                Err(EngineError::cancelled())
            }
        }
    }

    async fn load_catalog(&self, config: &Config) -> Result<Arc<Catalog>, String> {
        self.with_conn(async |conn| {
            Catalog::load(conn, config)
                .await
                .map_err(EngineError::other)
        })
        .await
        .map(Arc::new)
        .map_err(|e| e.message)
    }

    /// Counts with the budget first, so the operator sees figures (and `~` estimates)
    /// quickly, then settles over-budget paths exactly when configured to.
    async fn related(&self, job: RelatedJob, catalog: Option<Arc<Catalog>>) {
        let RelatedJob {
            generation,
            table,
            keys,
            options,
            exact_in_background,
            connections,
        } = job;
        let Some(catalog) = catalog else {
            self.reply(Response::Related {
                generation,
                result: Err(EngineError::other("the catalog is still loading")),
                settled: true,
            });
            return;
        };
        let stop = self.stop.clone();
        let first = self
            .with_conns(connections, async |conns: &mut [DbConn]| {
                related::preview(conns, &catalog, &table, &keys, &options, &stop).await
            })
            .await;
        let mut report = match first {
            Ok(report) if exact_in_background && report.needs_exact() => report,
            other => {
                self.reply(Response::Related {
                    generation,
                    result: other,
                    settled: true,
                });
                return;
            }
        };
        self.reply(Response::Related {
            generation,
            result: Ok(report.clone()),
            settled: false,
        });
        let result = self
            .with_conns(connections, async |conns: &mut [DbConn]| {
                related::count_exactly(conns, &catalog, &mut report, &options, &stop).await
            })
            .await;
        self.reply(Response::Related {
            generation,
            result: result.map(|()| report),
            settled: true,
        });
    }

    /// Writes a change. A stop rolls it back: the statement is cancelled on the server
    /// and the session closed, so the transaction never commits.
    async fn apply_change(
        &self,
        catalog: &Catalog,
        change: &Change,
        actor: &Actor,
        reason: Option<String>,
    ) -> Result<Applied, ApplyError> {
        let mut outcome = None;
        let ran = self
            .with_conn(async |conn| {
                outcome =
                    Some(change::apply(conn, catalog, change, actor, reason.as_deref()).await);
                Ok(())
            })
            .await;
        // What the write itself returned wins over a stop that came too late to prevent
        // it: a change that committed is reported as committed.
        match (outcome, ran) {
            (Some(result), _) => change::settle::after_lost_commit(&self.pool, actor, result).await,
            (None, Err(e)) => Err(ApplyError::Failed(e)),
            (None, Ok(())) => Err(ApplyError::Failed(EngineError::other(
                "the write did not run",
            ))),
        }
    }

    async fn stats(
        &self,
        generation: u64,
        catalog: Option<Arc<Catalog>>,
        default_retention_days: u32,
    ) {
        let Some(catalog) = catalog else {
            self.reply(Response::StatsDone { generation });
            return;
        };
        for table in catalog.soft_delete_tables().filter(|t| t.can_select) {
            if self.stop.is_cancelled() {
                return;
            }
            let result = self
                .with_conn(async |conn| {
                    trash::table_stats(conn, table, default_retention_days).await
                })
                .await;
            self.reply(Response::Stats {
                generation,
                table: table.name.clone(),
                result,
            });
        }
        self.reply(Response::StatsDone { generation });
    }
}
