//! The real binary, run in the background and watched line by line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// The binary.

/// Stderr lines of a spawned binary, each with the moment it arrived.
type Lines = Arc<Mutex<Vec<(Duration, String)>>>;

/// A spawned binary, killed (SIGKILL) if the test panics before it does.
pub(crate) struct Running {
    pub(crate) child: Option<Child>,
    pub(crate) started: Instant,
    pub(crate) lines: Lines,
    pub(crate) reader: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub(crate) fn spawn(db: &Db, args: &[&str]) -> Running {
        let file = db.config_file(SMALL_BATCHES_CONFIG);
        let started = Instant::now();
        let mut child = db
            .command(Some(&file), args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Whatever the binary wrote before it was killed stays readable in the pipe.
        let pipe = child.stderr.take().unwrap();
        let lines = Lines::default();
        let sink = lines.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push((started.elapsed(), line));
            }
        });
        Running {
            child: Some(child),
            started,
            lines,
            reader: Some(reader),
        }
    }

    pub(crate) fn exited(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().unwrap().is_some())
    }

    /// The stderr lines so far.
    pub(crate) fn lines(&self) -> Vec<(Duration, String)> {
        self.lines.lock().unwrap().clone()
    }

    /// SIGKILL (a no-op if it ended already); its exit status and every stderr line.
    pub(crate) fn kill(mut self) -> (ExitStatus, Vec<(Duration, String)>) {
        let mut child = self.child.take().unwrap();
        let _ = child.kill();
        let status = child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        (status, self.lines())
    }

    /// Waits for the end (at most a minute).
    pub(crate) async fn wait(mut self) -> (ExitStatus, Vec<(Duration, String)>, Duration) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.exited() {
            assert!(Instant::now() < deadline, "the binary never finished");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let took = self.started.elapsed();
        let (status, lines) = self.kill();
        (status, lines, took)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub(crate) fn lines_text(lines: &[(Duration, String)]) -> String {
    lines
        .iter()
        .map(|(at, l)| format!("  [{at:?}] {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the binary to its end; it must succeed.
pub(crate) async fn run_to_end(db: &Db, args: &[&str], context: &str) -> Duration {
    let (status, lines, took) = Running::spawn(db, args).wait().await;
    assert_eq!(
        status.code(),
        Some(0),
        "{context}: {args:?}\n{}",
        lines_text(&lines)
    );
    took
}
