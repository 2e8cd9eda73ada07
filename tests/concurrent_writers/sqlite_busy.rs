//! SQLite: another process holding the write lock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// 4. SQLite: another process holds the write lock in the middle of a run. Shorter than
// busy_timeout, the next batch waits for it; longer, the batch fails with "database is
// locked", is retried with backoff and the job finishes once the lock is gone.

const HOLDER_FILE: &str = "TRASHCAN_TEST_LOCK_FILE";
const HOLDING: &str = "TRASHCAN-TEST-HOLDS-THE-WRITE-LOCK";
const RELEASED: &str = "TRASHCAN-TEST-RELEASED-THE-WRITE-LOCK";

/// Not a test: the second process. With `TRASHCAN_TEST_LOCK_FILE` set it opens that
/// SQLite database, takes the write lock (BEGIN IMMEDIATE, and a write), says so on
/// stdout and holds the lock until its stdin closes (30 s at most), then commits.
/// Without the variable it does nothing.
#[test]
#[ignore = "helper: run by the sqlite_write_lock tests in a process of its own"]
fn sqlite_write_lock_holder() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let Some(path) = std::env::var_os(HOLDER_FILE) else {
        return;
    };
    let mut c = diesel::sqlite::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    c.batch_execute(
        "PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE; \
         UPDATE notes SET body = 'held' WHERE id = 301;",
    )
    .unwrap();
    println!("{HOLDING}");
    std::io::stdout().flush().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = std::io::stdin().read_line(&mut rest);
        let _ = tx.send(());
    });
    let _ = rx.recv_timeout(Duration::from_secs(30));
    c.batch_execute("COMMIT").unwrap();
    println!("{RELEASED}");
    std::io::stdout().flush().unwrap();
}

/// The holder process, once it holds the lock.
struct Holder {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
    taken: Instant,
}

impl Holder {
    fn start(file: &std::path::Path) -> Holder {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "sqlite_busy::sqlite_write_lock_holder",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(HOLDER_FILE, file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            let n = stdout.read_line(&mut line).unwrap();
            assert!(n > 0, "the lock holder ended before it took the lock");
            if line.contains(HOLDING) {
                break;
            }
        }
        Holder {
            child,
            stdin,
            stdout,
            taken: Instant::now(),
        }
    }

    /// Closes its stdin and waits until it has committed and exited; returns how long
    /// it held the lock.
    fn release(mut self) -> Duration {
        drop(self.stdin.take());
        let mut rest = String::new();
        let mut released = false;
        let mut line = String::new();
        while self.stdout.read_line(&mut line).unwrap() > 0 {
            released |= line.contains(RELEASED);
            rest.push_str(&line);
            line.clear();
        }
        let held = self.taken.elapsed();
        let status = self.child.wait().unwrap();
        assert!(
            status.success() && released,
            "the lock holder: {status}\n{rest}"
        );
        held
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

const NOTES: &str = "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at {ts});";

/// 300 old trashed notes and one live; returns the job planned for them.
async fn notes_job(db: &Db) -> i64 {
    db.exec(NOTES).await;
    let rows: Vec<String> = (1..=300)
        .map(|i| format!("({i}, 'n{i}', '2020-01-01 00:00:00')"))
        .collect();
    db.exec(&format!(
        "INSERT INTO notes VALUES {}, (301, 'live', NULL);",
        rows.join(", ")
    ))
    .await;
    let catalog = db.catalog(&config("")).await;
    let plan = db
        .plan(
            &catalog,
            &Scope::All,
            &options(10, Duration::from_millis(5)),
            None,
            true,
        )
        .await
        .unwrap();
    assert_eq!(plan.total(), 300);
    plan.job_id.unwrap()
}

/// Runs the job on a pool with the given busy_timeout; after the first batch a second
/// process takes the write lock, and `release` (asked after every progress report, with
/// the report and how long the lock has been held) says when it lets go. Returns every
/// progress report and how long the lock was held.
async fn run_against_a_lock(
    db: &Db,
    job: i64,
    busy_timeout: Duration,
    mut release: impl FnMut(&Progress, Duration) -> bool + Send,
) -> (RunOutcome, Vec<(Instant, Progress)>, Duration) {
    let pool = DbPool::connect(
        &db.target,
        &SessionSettings {
            busy_timeout,
            ..SessionSettings::default()
        },
    )
    .await
    .unwrap();
    let mut c = pool.get().await.unwrap();
    let catalog = Catalog::load(&mut c, &config("")).await.unwrap();
    drop(c);
    let file = db.target.sqlite_path.clone().unwrap();
    let mut holder: Option<Holder> = None;
    let mut held = None;
    let mut reports = Vec::new();
    let outcome = purge::run(
        &pool,
        &catalog,
        job,
        &actor(),
        &small_batches(10, Duration::from_millis(5)),
        &mut |p| {
            reports.push((Instant::now(), p.clone()));
            if held.is_none() && holder.is_none() && p.deleted > 0 {
                holder = Some(Holder::start(&file));
            }
            if let Some(h) = &holder
                && release(p, h.taken.elapsed())
            {
                held = Some(holder.take().unwrap().release());
            }
        },
    )
    .await;
    let held = held.unwrap_or_else(|| match holder.take() {
        Some(h) => h.release(),
        None => Duration::ZERO,
    });
    (outcome.unwrap(), reports, held)
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_write_lock_shorter_than_busy_timeout() {
    let db = Db::sqlite().await;
    let job = notes_job(&db).await;
    let hold = Duration::from_millis(600);
    // The holder lets go on the first report after `hold`; the purge makes none while
    // it waits, so a thread releases it on time.
    let (tx, rx) = std::sync::mpsc::channel::<Holder>();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Duration>();
    std::thread::spawn(move || {
        if let Ok(h) = rx.recv() {
            let wait = hold.saturating_sub(h.taken.elapsed());
            std::thread::sleep(wait);
            let _ = done_tx.send(h.release());
        }
    });
    let pool = DbPool::connect(
        &db.target,
        &SessionSettings {
            busy_timeout: Duration::from_secs(5),
            ..SessionSettings::default()
        },
    )
    .await
    .unwrap();
    let catalog = db.catalog(&config("")).await;
    let file = db.target.sqlite_path.clone().unwrap();
    let mut reports: Vec<(Instant, Progress)> = Vec::new();
    let mut taken = None;
    let outcome = purge::run(
        &pool,
        &catalog,
        job,
        &actor(),
        &small_batches(10, Duration::from_millis(5)),
        &mut |p| {
            reports.push((Instant::now(), p.clone()));
            if taken.is_none() && p.deleted > 0 {
                let h = Holder::start(&file);
                taken = Some((h.taken, p.deleted));
                tx.send(h).unwrap();
            }
        },
    )
    .await
    .unwrap();
    let held = done_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let (taken, deleted_then) = taken.expect("the lock was taken mid-run");
    assert!(deleted_then < 300, "taken mid-run, after {deleted_then}");
    assert!(held >= hold, "held {held:?}");
    // The first report after the lock was taken came only once it was released: the
    // batch waited for it (busy_timeout), without an error or a retry.
    let next = reports
        .iter()
        .find(|(at, _)| *at > taken)
        .expect("reports after the lock");
    assert!(
        next.0.duration_since(taken) >= hold - Duration::from_millis(50),
        "the next batch came {:?} after the lock was taken, while it was held {held:?}",
        next.0.duration_since(taken)
    );
    assert!(
        next.1.deleted > deleted_then,
        "the batch that waited went through: {:?}",
        next.1
    );
    let last = &reports.last().unwrap().1;
    assert_eq!(last.retries, 0, "{last:?}");
    assert_eq!(last.errors, 0, "{last:?}");
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 300,
            kept: 0
        }
    );
    assert_eq!(db.job(job).await, ("done".to_owned(), 300));
    assert_eq!(db.keys("notes", &["id"]).await, set(&["301"]));
    assert_eq!(
        db.strings("SELECT body FROM notes WHERE id = 301").await,
        vec!["held"],
        "the lock holder's own write went through"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_write_lock_longer_than_busy_timeout() {
    let db = Db::sqlite().await;
    let job = notes_job(&db).await;
    // busy_timeout 100 ms; the lock is held until the purge has retried three times
    // (about 100 + 200 + 100 + 400 + 100 ms), and at least a second.
    let (outcome, reports, held) =
        run_against_a_lock(&db, job, Duration::from_millis(100), |p, held| {
            p.retries >= 3 && held >= Duration::from_secs(1)
        })
        .await;
    assert!(held >= Duration::from_secs(1), "held {held:?}");
    let retried: Vec<&Progress> = reports
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.retries > 0)
        .collect();
    let first = retried.first().expect("the batch was retried");
    assert!(
        first
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("database is locked")),
        "{first:?}"
    );
    assert!(first.deleted > 0 && first.deleted < 300, "{first:?}");
    let last = &reports.last().unwrap().1;
    assert!(last.retries >= 3, "{last:?}");
    assert_eq!(last.errors, 0, "{last:?}");
    assert_eq!(last.state, "done", "{last:?}");
    assert_eq!(
        outcome,
        RunOutcome::Done {
            deleted: 300,
            kept: 0
        }
    );
    assert_eq!(db.job(job).await, ("done".to_owned(), 300));
    assert_eq!(db.keys("notes", &["id"]).await, set(&["301"]));
    assert_eq!(
        db.strings("SELECT body FROM notes WHERE id = 301").await,
        vec!["held"],
        "the lock holder's own write went through"
    );
}
