//! End to end: the real binary in a pseudo-terminal, its output parsed by a terminal
//! emulator (vt100), keys typed as bytes. Each test has its own data and config
//! directories, so the first run seeds its own demo database.
//!
//! Nothing here sleeps to decide an outcome: every check polls the parsed screen (or
//! the process) until it holds or a generous deadline passes, because CI runs debug
//! builds and the first start seeds the demo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

use trashcan::tui::keymap::{self, Context};

const STARTUP: Duration = Duration::from_secs(30);
const STEP: Duration = Duration::from_secs(15);
const EXIT: Duration = Duration::from_secs(5);
/// How long the output must stay quiet before a matching screen counts as drawn.
const SETTLE: Duration = Duration::from_millis(60);

const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

/// What the reader thread has seen so far.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
}

/// The binary running in a pseudo-terminal.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Output>>,
    reader: Option<JoinHandle<()>>,
    // Kept so the terminal stays open while the test runs.
    _master: Box<dyn MasterPty + Send>,
    _home: TempDir,
}

impl Tui {
    fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        let home = tempfile::tempdir().unwrap();
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

    fn screen(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    /// The screen and how many bytes had arrived when it was read.
    fn snapshot(&self) -> (String, usize) {
        let out = self.output.lock().unwrap();
        (out.parser.screen().contents(), out.raw.len())
    }

    fn raw_len(&self) -> usize {
        self.output.lock().unwrap().raw.len()
    }

    /// Everything written to the terminal so far, lossily as text (for failure messages).
    fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().raw).into_owned()
    }

    /// Polls the screen until `check` holds; fails with the screen when it does not in
    /// time, or at once if the process exited.
    fn wait_until(
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

    fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| {
            s.contains(text)
        })
    }

    fn wait_gone(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), timeout, |s| {
            !s.contains(text)
        })
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types a filter the way an operator does: `/`, the words, Enter.
    fn apply_filter(&mut self, words: &str) {
        self.send(b"/");
        self.wait_for("filter: ", STEP);
        self.send(words.as_bytes());
        self.wait_for(&format!("filter: {words}"), STEP);
        self.send(b"\r");
    }

    fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
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
    fn wait_for_eof(&mut self, timeout: Duration) {
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

    fn raw_since(&self, start: usize) -> Vec<u8> {
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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The lines of the screen that contain `needle`.
fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

/// Whitespace collapsed, so wrapped text can be compared with its source.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn browse_filter_inspect_and_quit() {
    let mut tui = Tui::spawn(&[], 120, 36);

    let screen = tui.wait_for("Trash bins", STARTUP);
    let screen = if screen.contains("│users ") && screen.contains("│comments ") {
        screen
    } else {
        tui.wait_until("the tables to be listed", STEP, |s| {
            s.contains("│users ") && s.contains("│comments ")
        })
    };
    // The tables pane lists the demo's tables in name order.
    let row_of = |name: &str| {
        screen
            .lines()
            .position(|l| l.starts_with(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed:\n{screen}"))
    };
    let users_row = row_of("users");
    let comments_row = row_of("comments");
    assert!(
        comments_row < users_row,
        "tables are in name order:\n{screen}"
    );

    // Last table, then into its records.
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"\r");
    let screen = tui.wait_for("whale@example.com", STEP);
    let other_emails = |s: &str| {
        s.lines()
            .filter(|l| l.contains("@example.com") && !l.contains("whale@example.com"))
            .count()
    };
    assert!(
        other_emails(&screen) > 0,
        "other trashed users are listed too:\n{screen}"
    );

    // Filter to the whale.
    tui.apply_filter("whale");
    let screen = tui.wait_until("the filtered list", STEP, |s| {
        s.contains("· filter: whale") && s.contains("│1 row on this page")
    });
    assert!(screen.contains("whale@example.com"), "{screen}");
    assert_eq!(
        other_emails(&screen),
        0,
        "only the whale matches:\n{screen}"
    );

    // Open the row.
    tui.send(b"\r");
    let screen = tui.wait_until("the whale's detail", STEP, |s| {
        s.contains("Wanda Whale") && s.contains("deletion_reason")
    });
    let reason = lines_with(&screen, "deletion_reason");
    assert!(
        reason
            .iter()
            .any(|l| l.contains("account closed on request")),
        "{screen}"
    );
    assert!(
        lines_with(&screen, " name Wanda Whale").len() == 1,
        "{screen}"
    );

    // Help lists every binding the overlay covers.
    tui.send(b"?");
    let screen = tui.wait_for("Keys (Esc closes)", STEP);
    let text = squash(&screen);
    for context in [
        Context::Global,
        Context::Records,
        Context::FilterInput,
        Context::Help,
    ] {
        assert!(text.contains(context.title()), "{screen}");
    }
    // Every binding, whatever its context: one the overlay leaves out is a bug (the
    // overlay has no Tables or Detail section, so such bindings must not exist yet).
    for binding in keymap::BINDINGS {
        // A long help text may wrap; its first words are on one line.
        let start: String = squash(binding.help).chars().take(20).collect();
        assert!(
            text.contains(&start),
            "help for {:?} ({start:?}) missing:\n{screen}",
            binding.action
        );
    }
    tui.send(b"\x1b");
    tui.wait_gone("Keys (Esc closes)", STEP);

    quit_and_assert_terminal_restored(&mut tui);
}

/// Presses `q`, then requires exit status 0 and the terminal handed back: the bytes
/// written after `q` leave the alternate screen and show the cursor again.
fn quit_and_assert_terminal_restored(tui: &mut Tui) {
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

#[test]
fn unreachable_database_is_one_clear_error() {
    let mut tui = Tui::spawn(
        &["--database-url", "postgres://nobody@127.0.0.1:1/nope"],
        120,
        36,
    );
    let status = tui.wait_exit(STARTUP);
    tui.wait_for_eof(EXIT);
    let output = tui.raw_text();
    assert!(
        !status.success(),
        "exit status {status:?}; output:\n{output}"
    );
    assert_ne!(status.exit_code(), 0);
    assert!(!output.contains("panicked at"), "{output}");
    assert!(!output.contains("RUST_BACKTRACE"), "{output}");
    let errors = lines_with(&output, "cannot connect");
    assert_eq!(errors.len(), 1, "{output}");
    let error = errors[0].trim();
    assert!(error.starts_with("trashcan: "), "{error}");
    assert!(error.contains("127.0.0.1:1"), "names the target: {error}");
    // The TUI never started, so the terminal was not switched.
    assert!(!contains(output.as_bytes(), b"\x1b[?1049h"), "{output:?}");
}

#[test]
fn tiny_terminal_asks_to_enlarge_and_still_quits() {
    let mut tui = Tui::spawn(&[], 20, 5);
    let screen = tui.wait_for("enlarge", STARTUP);
    assert!(screen.contains("too small"), "{screen}");
    quit_and_assert_terminal_restored(&mut tui);
}

/// Where the binary keeps its demo database under a test's `XDG_DATA_HOME`
/// (`demo::default_sqlite_path`).
fn demo_db(tui: &Tui) -> std::path::PathBuf {
    tui._home.path().join("data/trashcan/demo.sqlite3")
}

/// One integer from a read-only query on the SQLite file, through the crate's db layer.
fn sql_int(db: &std::path::Path, sql: &str, binds: &[String]) -> i64 {
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
fn right_pane(screen: &str) -> (String, Vec<String>) {
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
fn counts_of(pane: &[String], label: &str) -> Option<(i64, i64, i64)> {
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
fn report_done(screen: &str, title: &str) -> bool {
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
fn record_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.ends_with('│'))
        .filter_map(|l| l.rsplit('│').nth(3))
        .map(str::trim)
        .filter(|l| l.contains("@example."))
        .map(str::to_owned)
        .collect()
}

#[test]
fn related_counts_for_the_selected_and_marked_users() {
    let mut tui = Tui::spawn(&[], 180, 40);
    tui.wait_until("the tables to be listed", STARTUP, |s| {
        s.contains("│users ") && s.contains("│posts ")
    });
    let db = demo_db(&tui);
    let whale = sql_int(
        &db,
        "SELECT CAST(id AS TEXT) FROM users WHERE email = 'whale@example.com'",
        &[],
    );
    let posts_of = |ids: &[i64], trashed: bool| {
        let list = vec!["CAST(? AS INTEGER)"; ids.len()].join(", ");
        let state = if trashed { "NOT NULL" } else { "NULL" };
        sql_int(
            &db,
            &format!(
                "SELECT CAST(count(*) AS TEXT) FROM posts \
                 WHERE user_id IN ({list}) AND deleted_at IS {state}"
            ),
            &ids.iter().map(i64::to_string).collect::<Vec<_>>(),
        )
    };

    // Users (the last table), then its records: the newest trashed user is selected
    // and the related pane, beside the records, reports on it.
    tui.send(b"G");
    tui.wait_for("Trashed rows: users", STEP);
    tui.send(b"\r");
    let screen = tui.wait_for("whale@example.com", STEP);
    let rows = record_rows(&screen);
    assert!(rows.len() > 1, "several trashed users:\n{screen}");
    let first: i64 = rows[0]
        .split_whitespace()
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id on the first row {:?}:\n{screen}", rows[0]));
    let title = format!("Related: users {first}");
    let screen = tui.wait_until(&format!("the report for user {first}"), STEP, |s| {
        report_done(s, &title)
    });
    let (_, pane) = right_pane(&screen);
    let (_, trashed, group) = counts_of(&pane, "total (distinct rows)").unwrap();
    assert!(
        trashed > 0 && group <= trashed,
        "user {first} has trashed dependents:\n{screen}"
    );
    let purge = pane
        .iter()
        .find(|l| l.starts_with("purge would hard-delete "))
        .unwrap();
    assert!(
        purge.contains(" rows: "),
        "the purge line names its tables: {purge:?}\n{screen}"
    );

    // Find the whale: filtering leaves one row, selected, and the related pane
    // counts its posts exactly as the database has them.
    tui.apply_filter("whale");
    let title = format!("Related: users {whale}");
    let label = "posts via posts.user_id";
    let screen = tui.wait_until("the whale's related counts", STEP, |s| {
        s.contains("· filter: whale")
            && s.contains("│1 row on this page")
            && report_done(s, &title)
            && counts_of(&right_pane(s).1, label).is_some()
    });
    assert_eq!(
        record_rows(&screen).len(),
        1,
        "only the whale matches:\n{screen}"
    );
    let (_, pane) = right_pane(&screen);
    let (live, trashed, _) = counts_of(&pane, label).unwrap();
    let expected = (posts_of(&[whale], false), posts_of(&[whale], true));
    assert!(
        expected.1 > 0,
        "the demo trashes the whale's posts: {expected:?}"
    );
    assert_eq!(
        (live, trashed),
        expected,
        "(live, trashed) on {label:?}:\n{screen}"
    );

    // Clear the filter and wait for the full page before marking its first two rows.
    tui.send(b"\x1b");
    let screen = tui.wait_until("the unfiltered records", STEP, |s| {
        !s.contains("filter: whale") && s.contains(" rows on this page") && record_rows(s).len() > 1
    });
    let rows = record_rows(&screen);
    let ids: Vec<i64> = rows[..2]
        .iter()
        .map(|r| {
            r.split_whitespace()
                .next()
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("no id on {r:?}:\n{screen}"))
        })
        .collect();
    tui.send(b"  ");
    let title = "Related: 2 marked users rows";
    let screen = tui.wait_until("the report for two marked rows", STEP, |s| {
        report_done(s, title)
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains(" rows on this page · 2 marked")),
        "the footer counts the marks:\n{screen}"
    );
    let marked: Vec<i64> = record_rows(&screen)
        .iter()
        .filter_map(|r| r.strip_prefix("● "))
        .map(|r| r.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(marked, ids, "the first two rows are marked:\n{screen}");
    let (_, pane) = right_pane(&screen);
    let (live, trashed, _) =
        counts_of(&pane, label).unwrap_or_else(|| panic!("no exact {label:?} line:\n{screen}"));
    assert_eq!(
        (live, trashed),
        (posts_of(&ids, false), posts_of(&ids, true)),
        "(live, trashed) on {label:?} sums the marked users:\n{screen}"
    );

    quit_and_assert_terminal_restored(&mut tui);
}
