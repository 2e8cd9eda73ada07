//! The database link as the console sees it. A request that fails for want of a session
//! starts one watcher, which tries the database with doubling pauses and tells the UI
//! when the link is lost and when it is back, so the operator sees "reconnecting" once
//! rather than an error in every pane, and the console reloads by itself afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::Response;
use crate::db::{DbPool, rows};
use crate::engine::backoff::Backoff;

/// What the UI is told about the link.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    /// No session to be had; the next try is `next_in` away.
    Lost {
        why: String,
        attempt: u32,
        next_in: Duration,
    },
    /// A session answered again, after `after` without one.
    Back { after: Duration },
}

const FIRST_PAUSE: Duration = Duration::from_millis(500);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// A try that gets no session within this counts as failed (the pool itself would wait
/// much longer).
const TRY_FOR: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub(super) struct LinkWatch(Arc<Shared>);

struct Shared {
    watching: AtomicBool,
    pool: DbPool,
    replies: mpsc::UnboundedSender<Response>,
}

impl LinkWatch {
    pub(super) fn new(pool: DbPool, replies: mpsc::UnboundedSender<Response>) -> Self {
        let watch = LinkWatch(Arc::new(Shared {
            watching: AtomicBool::new(false),
            pool,
            replies,
        }));
        // A failed connect starts the watch at once, while the request that met it still
        // waits out the pool's connection timeout. Held weakly: the pool holds the
        // listener, and the watch holds the pool.
        let weak = Arc::downgrade(&watch.0);
        watch.0.pool.connect_failures().listen(move |why| {
            if let Some(shared) = weak.upgrade() {
                LinkWatch(shared).lost(why);
            }
        });
        watch
    }

    /// A request found no session, or the pool failed to open one: start watching,
    /// unless already watching.
    pub(super) fn lost(&self, why: &str) {
        if self.0.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let watch = self.clone();
        let why = why.lines().next().unwrap_or(why).to_owned();
        tokio::spawn(async move { watch.until_back(why).await });
    }

    async fn until_back(self, why: String) {
        let started = Instant::now();
        let mut pauses = Backoff::new(FIRST_PAUSE, LONGEST_PAUSE);
        for attempt in 1.. {
            let pause = pauses.next_pause();
            let _ = self.0.replies.send(Response::Link(LinkState::Lost {
                why: why.clone(),
                attempt,
                next_in: pause,
            }));
            tokio::time::sleep(pause).await;
            if self.answers().await {
                self.0.watching.store(false, Ordering::SeqCst);
                let _ = self.0.replies.send(Response::Link(LinkState::Back {
                    after: started.elapsed(),
                }));
                return;
            }
        }
    }

    async fn answers(&self) -> bool {
        let Ok(mut conn) = self.0.pool.get_within(TRY_FOR).await else {
            return false;
        };
        let answered = rows::query(&mut conn, "SELECT 1", &[]).await.is_ok();
        if !answered {
            conn.discard();
        }
        answered
    }
}
