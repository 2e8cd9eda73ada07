//! The real binary in a pseudo-terminal, its output parsed by a terminal emulator
//! (vt100), keys typed as bytes, for the end-to-end tests. Each session has its own data
//! and config directories, so the first run seeds its own demo database.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

pub const STARTUP: Duration = Duration::from_secs(30);
pub const STEP: Duration = Duration::from_secs(15);
pub const EXIT: Duration = Duration::from_secs(5);
/// How long the output must stay quiet before a matching screen counts as drawn.
pub const SETTLE: Duration = Duration::from_millis(60);

pub const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

/// What the reader thread has seen so far.
pub struct Output {
    pub parser: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
}

/// The binary running in a pseudo-terminal.
pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub output: Arc<Mutex<Output>>,
    reader: Option<JoinHandle<()>>,
    // Kept so the terminal stays open while the test runs.
    _master: Box<dyn MasterPty + Send>,
    pub _home: TempDir,
}

impl Tui {
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn_in(tempfile::tempdir().unwrap(), args, cols, rows)
    }

    /// Hands the session's home (data and config directories) over, so a later session
    /// can start where this one left off.
    pub fn take_home(&mut self) -> TempDir {
        std::mem::replace(&mut self._home, tempfile::tempdir().unwrap())
    }

    /// A session in a given home: its demo database and config are the ones there.
    pub fn spawn_in(home: TempDir, args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn_with(home, args, cols, rows, &[])
    }

    /// [`Tui::spawn_in`] with environment variables set over the defaults (`LANG`).
    pub fn spawn_with(
        home: TempDir,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_trashcan"));
        cmd.args(args);
        cmd.cwd(home.path());
        for var in [
            "DATABASE_URL",
            "TRASHCAN_LOG",
            "NO_COLOR",
            "LC_ALL",
            "LC_CTYPE",
            "RUST_BACKTRACE",
            "RUST_LIB_BACKTRACE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", home.path());
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child holds the terminal's other end now, so reads end when it exits.
        drop(pair.slave);

        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(
                NonZeroU16::new(rows).unwrap(),
                NonZeroU16::new(cols).unwrap(),
                0,
            ),
            raw: Vec::new(),
            closed: false,
        }));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = output.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut out = sink.lock().unwrap();
                        out.parser.process(&buf[..n]);
                        out.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
            sink.lock().unwrap().closed = true;
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            child,
            writer,
            output,
            reader: Some(reader),
            _master: pair.master,
            _home: home,
        }
    }

    /// Moves down the tables pane one key at a time, each press waited out (the records
    /// pane's title follows the selection), until `table`'s trash is shown. Pressing
    /// ahead of a slow console would run past the table.
    pub fn select_table(&mut self, table: &str) {
        let wanted = format!("Trashed rows: {table} ");
        let title = |screen: &str| {
            screen
                .lines()
                .find_map(|l| l.split("Trashed rows: ").nth(1))
                .map(|rest| rest.split(' ').next().unwrap_or_default().to_owned())
        };
        for _ in 0..40 {
            let screen = self.wait_until("a table's trash", STEP, |s| title(s).is_some());
            if screen.contains(&wanted) {
                return;
            }
            let before = title(&screen);
            self.send(b"j");
            self.wait_until("the next table", STEP, |s| title(s) != before);
        }
        panic!("never reached {wanted:?}:\n{}", self.screen());
    }

    /// Resizes the terminal, as a window manager would (the child gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.output.lock().unwrap().parser.set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
    }

    pub fn screen(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    /// The screen and how many bytes had arrived when it was read.
    pub fn snapshot(&self) -> (String, usize) {
        let out = self.output.lock().unwrap();
        (out.parser.screen().contents(), out.raw.len())
    }

    pub fn raw_len(&self) -> usize {
        self.output.lock().unwrap().raw.len()
    }

    /// Everything written to the terminal so far, lossily as text (for failure messages).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().raw).into_owned()
    }

    /// Polls the screen until `check` holds; fails with the screen when it does not in
    /// time, or at once if the process exited.
    pub fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let (screen, received) = self.snapshot();
            if check(&screen) {
                // A frame can arrive in several reads; only trust a screen that nothing
                // followed for a moment, or a half-drawn frame could pass or fail a check.
                std::thread::sleep(SETTLE);
                if self.snapshot().1 == received {
                    return screen;
                }
                continue;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // One last look: the final frame may have arrived with the exit.
                self.wait_for_eof(EXIT);
                let screen = self.screen();
                if check(&screen) {
                    return screen;
                }
                panic!(
                    "process exited ({status:?}) before {what}; screen:\n{screen}\nraw output:\n{}",
                    self.raw_text()
                );
            }
            if Instant::now() > deadline {
                panic!("timed out after {timeout:?} waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| {
            s.contains(text)
        })
    }

    pub fn wait_gone(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), timeout, |s| {
            !s.contains(text)
        })
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types a filter the way an operator does: `/`, the words, Enter.
    pub fn apply_filter(&mut self, words: &str) {
        self.send(b"/");
        self.wait_for("filter: ", STEP);
        self.send(words.as_bytes());
        self.wait_for(&format!("filter: {words}"), STEP);
        self.send(b"\r");
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "process still running {timeout:?} after it should have exited; screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the reader has drained the terminal after the process exited.
    pub fn wait_for_eof(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.output.lock().unwrap().closed {
            if Instant::now() > deadline {
                // Some platforms keep the master readable; what arrived is all there is.
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
    }

    pub fn raw_since(&self, start: usize) -> Vec<u8> {
        self.output.lock().unwrap().raw[start..].to_vec()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // A failed test must not leave its process behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.try_wait();
        }
    }
}

/// A purge config in `home` with batches of `batch_size` rows and `sleep` between them
/// (and a 1 ms target, so batches stay that small): a purge that lasts while a test
/// acts on it. Returns its path for `--config`.
pub fn slow_purge_config(home: &TempDir, batch_size: u32, sleep: &str) -> String {
    let config = home.path().join("slow.toml");
    std::fs::write(
        &config,
        format!(
            "[purge]\nbatch_size = {batch_size}\nsleep = \"{sleep}\"\ntarget_batch = \"1ms\"\n"
        ),
    )
    .unwrap();
    config.to_string_lossy().into_owned()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The lines of the screen that contain `needle`.
pub fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

/// Whitespace collapsed, so wrapped text can be compared with its source.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Presses `q`, then requires exit status 0 and the terminal handed back: the bytes
/// written after `q` leave the alternate screen and show the cursor again.
pub fn quit_and_assert_terminal_restored(tui: &mut Tui) {
    let before_quit = tui.raw_len();
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "exit status {status:?}");
    tui.wait_for_eof(EXIT);
    let after = tui.raw_since(before_quit);
    assert!(
        contains(&after, LEAVE_ALTERNATE_SCREEN),
        "the alternate screen was not left: {:?}",
        String::from_utf8_lossy(&after)
    );
    assert!(
        contains(&after, SHOW_CURSOR),
        "the cursor was not shown again: {:?}",
        String::from_utf8_lossy(&after)
    );
    let out = tui.output.lock().unwrap();
    assert!(!out.parser.screen().alternate_screen());
    assert!(!out.parser.screen().hide_cursor());
}

/// Where the binary keeps its demo database under a test's `XDG_DATA_HOME`
/// (`demo::default_sqlite_path`).
pub fn demo_db(tui: &Tui) -> std::path::PathBuf {
    tui._home.path().join("data/trashcan/demo.sqlite3")
}

/// One integer from a read-only query on the SQLite file, through the crate's db layer.
/// Old trashed products of the demo that a purge with a 30-day cutoff may take: no live
/// row, and none trashed within the 30 days, hangs off them (such rows keep their
/// product, which the plan lists as skipped).
pub const OLD_PRODUCTS_DUE: &str = "SELECT CAST(count(*) AS TEXT) FROM products p \
     WHERE p.deleted_at IS NOT NULL AND p.deleted_at < datetime('now', '-30 days') \
     AND NOT EXISTS (SELECT 1 FROM product_assets c WHERE c.product_id = p.id \
         AND (c.deleted_at IS NULL OR c.deleted_at >= datetime('now', '-30 days'))) \
     AND NOT EXISTS (SELECT 1 FROM product_attributes c WHERE c.product_id = p.id \
         AND (c.deleted_at IS NULL OR c.deleted_at >= datetime('now', '-30 days')))";

pub fn sql_int(db: &std::path::Path, sql: &str, binds: &[String]) -> i64 {
    use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};
    assert!(db.exists(), "no demo database at {}", db.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let settings = SessionSettings {
            read_only: true,
            ..SessionSettings::default()
        };
        let pool = DbPool::connect(&DbTarget::sqlite(db.to_path_buf()), &settings)
            .await
            .unwrap();
        let mut conn = pool.get().await.unwrap();
        let found = rows::query(&mut conn, sql, binds).await.unwrap();
        assert_eq!(found.len(), 1, "{sql}");
        found[0]
            .int(0)
            .unwrap_or_else(|| panic!("{sql}: not an integer"))
    })
}

/// The title and inner lines of the rightmost pane (the related pane, beside the
/// records in a wide terminal): the text between the last two vertical borders.
pub fn right_pane(screen: &str) -> (String, Vec<String>) {
    let mut lines = screen.lines();
    let top = lines.next().unwrap_or_default();
    let title = top
        .rsplit('╭')
        .next()
        .unwrap_or_default()
        .trim_end_matches(['─', '╮'])
        .trim()
        .to_owned();
    let inner = lines
        .filter(|l| l.ends_with('│'))
        .filter_map(|l| l.rsplit('│').nth(1))
        .map(str::to_owned)
        .collect();
    (title, inner)
}

/// The (live, trashed, same group) figures of the related pane's row that starts with
/// `label`, once they are exact numbers (not estimates or `≥` lower bounds).
pub fn counts_of(pane: &[String], label: &str) -> Option<(i64, i64, i64)> {
    let rest = pane
        .iter()
        .find_map(|l| l.strip_prefix(label)?.strip_prefix(' '))?;
    let numbers: Vec<i64> = rest
        .split_whitespace()
        .map(|n| n.replace(',', "").parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [live, trashed, same_group] => Some((live, trashed, same_group)),
        _ => None,
    }
}

/// Whether the related pane, titled `title`, shows a finished report: exact totals, a
/// purge summary, and no count still running.
pub fn report_done(screen: &str, title: &str) -> bool {
    let (shown, pane) = right_pane(screen);
    shown == title
        && !pane.iter().any(|l| l.contains("counting"))
        && counts_of(&pane, "total (distinct rows)").is_some()
        && pane
            .iter()
            .any(|l| l.starts_with("purge would hard-delete "))
}

/// The records pane's rows (the pane left of the related one) that show a user,
/// without borders (a narrow email column may cut the address short).
pub fn record_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.ends_with('│'))
        .filter_map(|l| l.rsplit('│').nth(3))
        .map(str::trim)
        .filter(|l| l.contains("@example."))
        .map(str::to_owned)
        .collect()
}
