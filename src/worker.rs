//! The worker sits between the UI and the engine. It owns the pool, runs each request
//! as its own task, and answers over a channel. Requests of the same kind replace one
//! another: the older task is aborted and, on PostgreSQL, its query is cancelled on the
//! server too, so holding `j` never piles up work. Answers carry the request's
//! generation so the UI can drop stale ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::db::{Canceller, DbPool};
use crate::engine::EngineError;
use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::sql::TableName;
use crate::engine::trash::{self, Page, PageQuery, RowDetail, TableStats};

/// Which kind of work a request is; one job per slot runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Catalog,
    Stats,
    Page,
    Detail,
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
    /// Stop the job in a slot, e.g. when the operator leaves a table.
    Cancel(Slot),
}

impl Request {
    fn slot_and_generation(&self) -> Option<(Slot, u64)> {
        match self {
            Request::LoadCatalog { generation } => Some((Slot::Catalog, *generation)),
            Request::Stats { generation } => Some((Slot::Stats, *generation)),
            Request::Page { generation, .. } => Some((Slot::Page, *generation)),
            Request::Detail { generation, .. } => Some((Slot::Detail, *generation)),
            Request::Cancel(_) => None,
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
}

type CatalogAnswer = (u64, Result<Arc<Catalog>, String>);

struct RunningJob {
    generation: u64,
    task: JoinHandle<()>,
    canceller: Arc<Mutex<Option<Canceller>>>,
}

impl RunningJob {
    fn stop(self) {
        self.task.abort();
        let taken = self.canceller.lock().map(|mut c| c.take()).unwrap_or(None);
        if let Some(canceller) = taken {
            tokio::spawn(async move { canceller.cancel().await });
        }
    }
}

pub struct Worker {
    pool: DbPool,
    config: Arc<Config>,
    catalog: Option<Arc<Catalog>>,
    running: HashMap<Slot, RunningJob>,
    replies: mpsc::UnboundedSender<Response>,
    /// Catalog answers pass through the worker, which keeps its copy before forwarding,
    /// so no request can arrive that names a table the worker has not seen yet.
    catalog_tx: mpsc::UnboundedSender<CatalogAnswer>,
    catalog_rx: mpsc::UnboundedReceiver<CatalogAnswer>,
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
    let worker = Worker {
        pool,
        config,
        catalog: None,
        running: HashMap::new(),
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
            }
        }
        for (_, job) in self.running.drain() {
            job.stop();
        }
    }

    /// The catalog's entry for a table a request names; cloned so the job owns it.
    fn table_info(&self, table: &TableName) -> Result<TableInfo, EngineError> {
        self.catalog
            .as_ref()
            .and_then(|c| c.table(table).cloned())
            .ok_or_else(|| EngineError::other(format!("unknown table {table}")))
    }

    fn handle(&mut self, request: Request) {
        if let Request::Cancel(slot) = request {
            if let Some(job) = self.running.remove(&slot) {
                job.stop();
            }
            return;
        }
        let Some((slot, generation)) = request.slot_and_generation() else {
            return;
        };
        if let Some(previous) = self.running.remove(&slot) {
            previous.stop();
        }
        let canceller = Arc::new(Mutex::new(None));
        let ctx = JobContext {
            pool: self.pool.clone(),
            canceller: canceller.clone(),
            replies: self.replies.clone(),
        };
        let task = match request {
            Request::LoadCatalog { generation } => {
                let config = self.config.clone();
                let catalog_tx = self.catalog_tx.clone();
                tokio::spawn(async move {
                    let result = ctx.load_catalog(&config).await;
                    let _ = catalog_tx.send((generation, result));
                })
            }
            Request::Stats { generation } => {
                let catalog = self.catalog.clone();
                tokio::spawn(async move { ctx.stats(generation, catalog).await })
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
                })
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
                })
            }
            Request::Cancel(_) => return,
        };
        self.running.insert(
            slot,
            RunningJob {
                generation,
                task,
                canceller,
            },
        );
        self.running
            .retain(|_, job| !job.task.is_finished() || job.generation == generation);
    }
}

/// What one job needs: a way to get a connection (registering its canceller) and a
/// way to answer.
struct JobContext {
    pool: DbPool,
    canceller: Arc<Mutex<Option<Canceller>>>,
    replies: mpsc::UnboundedSender<Response>,
}

impl JobContext {
    fn reply(&self, response: Response) {
        let _ = self.replies.send(response);
    }

    async fn with_conn<T>(
        &self,
        work: impl AsyncFnOnce(&mut crate::db::DbConn) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let mut conn = self.pool.get().await.map_err(EngineError::connection)?;
        if let Ok(mut slot) = self.canceller.lock() {
            *slot = self.pool.canceller(&conn);
        }
        let result = work(&mut conn).await;
        if let Ok(mut slot) = self.canceller.lock() {
            *slot = None;
        }
        result
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

    async fn stats(&self, generation: u64, catalog: Option<Arc<Catalog>>) {
        let Some(catalog) = catalog else {
            self.reply(Response::StatsDone { generation });
            return;
        };
        for table in catalog.soft_delete_tables().filter(|t| t.can_select) {
            let result = self
                .with_conn(async |conn| trash::table_stats(conn, table).await)
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
