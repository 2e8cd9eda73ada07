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
pub(super) struct LinkWatch {
    watching: Arc<AtomicBool>,
    pool: DbPool,
    replies: mpsc::UnboundedSender<Response>,
}

impl LinkWatch {
    pub(super) fn new(pool: DbPool, replies: mpsc::UnboundedSender<Response>) -> Self {
        Self {
            watching: Arc::new(AtomicBool::new(false)),
            pool,
            replies,
        }
    }

    /// A request found no session: start watching, unless already watching.
    pub(super) fn lost(&self, why: &str) {
        if self.watching.swap(true, Ordering::SeqCst) {
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
            let _ = self.replies.send(Response::Link(LinkState::Lost {
                why: why.clone(),
                attempt,
                next_in: pause,
            }));
            tokio::time::sleep(pause).await;
            if self.answers().await {
                self.watching.store(false, Ordering::SeqCst);
                let _ = self.replies.send(Response::Link(LinkState::Back {
                    after: started.elapsed(),
                }));
                return;
            }
        }
    }

    async fn answers(&self) -> bool {
        let Ok(Ok(mut conn)) = tokio::time::timeout(TRY_FOR, self.pool.get()).await else {
            return false;
        };
        let answered = rows::query(&mut conn, "SELECT 1", &[]).await.is_ok();
        if !answered {
            conn.discard();
        }
        answered
    }
}
