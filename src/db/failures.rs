//! Failed attempts to open a session, told as the pool meets them.
//!
//! bb8 keeps a caller of `get` waiting until its connection timeout (15 s) even when the
//! server refuses every attempt at once: a failed connect wakes no waiter, the pool just
//! tries again. Its error sink does see each failure when it happens, so the console
//! can say at once that the link is lost, and why, instead of after 15 s of silence.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use diesel_async::pooled_connection::PoolError;

type Listener = Arc<dyn Fn(&str) + Send + Sync>;

/// The pool's error sink: keeps the latest failure and tells at most one listener.
#[derive(Clone, Default)]
pub struct ConnectFailures {
    listener: Arc<Mutex<Option<Listener>>>,
    latest: Arc<Mutex<Option<(Instant, String)>>>,
}

impl ConnectFailures {
    /// From now on `listener` gets the reason of every failed attempt to open a
    /// session (replacing any earlier listener). It is called on the pool's own tasks,
    /// so it must not wait.
    pub fn listen(&self, listener: impl Fn(&str) + Send + Sync + 'static) {
        if let Ok(mut slot) = self.listener.lock() {
            *slot = Some(Arc::new(listener));
        }
    }

    /// The reason of the latest failed attempt, if one failed at or after `since`.
    pub fn latest_since(&self, since: Instant) -> Option<String> {
        let latest = self.latest.lock().ok()?;
        latest
            .as_ref()
            .filter(|(at, _)| *at >= since)
            .map(|(_, why)| why.clone())
    }

    fn report(&self, why: &str) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = Some((Instant::now(), why.to_owned()));
        }
        // Called outside the lock, so a listener may replace itself.
        let listener = self.listener.lock().ok().and_then(|slot| slot.clone());
        if let Some(listener) = listener {
            listener(why);
        }
    }
}

impl fmt::Debug for ConnectFailures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConnectFailures")
    }
}

impl bb8::ErrorSink<PoolError> for ConnectFailures {
    fn sink(&self, error: PoolError) {
        // A pooled session that fails its check at checkout says nothing about the link
        // by itself: the pool drops it and opens another, and that attempt tells.
        if let PoolError::ConnectionError(e) = error {
            self.report(&e.to_string());
        }
    }

    fn boxed_clone(&self) -> Box<dyn bb8::ErrorSink<PoolError>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use bb8::ErrorSink;
    use diesel::result::{ConnectionError, Error};
    use diesel_async::pooled_connection::PoolError;

    use super::ConnectFailures;

    #[test]
    fn only_failed_connects_reach_the_listener() {
        let failures = ConnectFailures::default();
        let start = Instant::now();
        assert_eq!(failures.latest_since(start), None);
        // Before anyone listens, a failure is only kept.
        failures.sink(PoolError::ConnectionError(ConnectionError::BadConnection(
            "unheard".into(),
        )));
        assert_eq!(failures.latest_since(start).as_deref(), Some("unheard"));
        let heard = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = heard.clone();
        failures.listen(move |why| sink.lock().unwrap().push(why.to_owned()));
        let boxed = failures.boxed_clone();
        boxed.sink(PoolError::ConnectionError(ConnectionError::BadConnection(
            "Connection refused (os error 111)".into(),
        )));
        boxed.sink(PoolError::QueryError(Error::NotFound));
        assert_eq!(
            *heard.lock().unwrap(),
            vec!["Connection refused (os error 111)".to_owned()]
        );
        assert_eq!(
            failures.latest_since(start).as_deref(),
            Some("Connection refused (os error 111)")
        );
        assert_eq!(failures.latest_since(Instant::now()), None);
    }
}
