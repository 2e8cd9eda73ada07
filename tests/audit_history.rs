//! Reading the audit log back, on both backends: newest first, keyset pages that return
//! every entry once (also within one second, where the shown time cannot tell entries
//! apart), the `since` bound, a search that takes wildcards and quotes literally, keys and
//! context as recorded, times in UTC, and `trashcan audit` with its text, JSON and exit
//! codes. Entries come from the engine (`audit::record`) or from real restores and purges
//! through the binary; rows are inserted by hand only to give them an old timestamp.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::process::Output;

use common::{PgDb, SqliteDb};
use purge_db::*;
use trashcan::db::{DbPool, DbTarget, SessionSettings};
use trashcan::engine::audit::{self, Actor, AuditEntry, TableKeys};
use trashcan::engine::history::{self, AuditQuery, AuditRecord};

fn entry(action: &str, os_user: &str, reason: Option<&str>) -> AuditEntry {
    AuditEntry {
        actor: Actor {
            os_user: os_user.into(),
            ssh_client: None,
        },
        action: action.into(),
        tables: Vec::new(),
        reason: reason.map(str::to_owned),
        job_id: None,
        context: None,
    }
}

fn keys(table: &str, columns: &[&str], keys: &[&[&str]]) -> TableKeys {
    TableKeys {
        table: table.into(),
        key_columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: keys.len() as u64,
        keys: keys
            .iter()
            .map(|k| k.iter().map(|v| (*v).to_owned()).collect())
            .collect(),
    }
}

async fn record(db: &Db, entry: &AuditEntry) -> i64 {
    let mut c = db.conn().await;
    audit::record(&mut c, entry).await.unwrap()
}

async fn list(db: &Db, query: &AuditQuery) -> Vec<AuditRecord> {
    let mut c = db.conn().await;
    history::list(&mut c, query)
        .await
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
}

fn all() -> AuditQuery {
    AuditQuery {
        limit: 1000,
        ..AuditQuery::default()
    }
}

fn searching(text: &str) -> AuditQuery {
    AuditQuery {
        search: Some(text.into()),
        ..all()
    }
}

fn ids(records: &[AuditRecord]) -> Vec<i64> {
    records.iter().map(|r| r.id).collect()
}

/// A fixed UTC moment as each backend's column takes it: PostgreSQL would read a bare
/// literal in the session's time zone.
fn utc(db: &Db, text: &str) -> String {
    if db.pg {
        format!("'{text}+00'")
    } else {
        format!("'{text}'")
    }
}

fn days_ago(db: &Db, days: u32) -> String {
    if db.pg {
        format!("(now() - interval '{days} days')")
    } else {
        format!("strftime('%Y-%m-%d %H:%M:%f', 'now', '-{days} days')")
    }
}

/// An entry stamped at `at` (SQL): the engine always stamps the present, and the log
/// only refuses updates and deletes, so an old entry can only be made this way.
async fn insert_at(db: &Db, action: &str, at: &str) -> i64 {
    db.scalar(&format!(
        "INSERT INTO {} (os_user, action, at) VALUES ('old', '{action}', {at}) \
         RETURNING CAST(id AS TEXT)",
        db.audit_table()
    ))
    .await
    .parse()
    .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", describe(out)))
}

fn json_ids(value: &serde_json::Value) -> Vec<i64> {
    value["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("no entries: {value}"))
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. Newest first: by time, not by id (an old entry can have a later id), ties by id.

async fn newest_first(db: &Db) {
    let mut recent = Vec::new();
    for action in ["restore", "trash", "undo restore", "purge plan"] {
        recent.push(record(db, &entry(action, "tester", None)).await);
    }
    let two_days = insert_at(db, "trash", &days_ago(db, 2)).await;
    let same_a = insert_at(db, "restore", &utc(db, "2020-03-04 05:06:07.250")).await;
    let same_b = insert_at(db, "restore", &utc(db, "2020-03-04 05:06:07.250")).await;
    let one_day = insert_at(db, "undo trash", &days_ago(db, 1)).await;

    let found = list(db, &all()).await;
    let expected = vec![
        recent[3], recent[2], recent[1], recent[0], one_day, two_days, same_b, same_a,
    ];
    assert_eq!(ids(&found), expected, "{found:#?}");
    for pair in found.windows(2) {
        assert!(pair[0].at >= pair[1].at, "{pair:#?}");
        assert!(pair[0].at_epoch >= pair[1].at_epoch, "{pair:#?}");
    }
    let first = &found[0];
    assert_eq!(first.action, "purge plan");
    assert_eq!(first.os_user, "tester");
    assert_eq!(first.db_user, if db.pg { "postgres" } else { "" });

    let limited = list(db, &AuditQuery { limit: 3, ..all() }).await;
    assert_eq!(ids(&limited), expected[..3]);
}

on_both!(newest_first, newest_first_sqlite, newest_first_postgres);

// ---------------------------------------------------------------------------------------
// 2. Keyset pages: every entry exactly once, whatever the page size.

/// Every page of `query` read with the cursor of the previous page's last entry.
async fn paged(db: &Db, query: &AuditQuery, size: u32) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut before = None;
    for _ in 0..1000 {
        let page = list(
            db,
            &AuditQuery {
                before: before.clone(),
                limit: size,
                ..query.clone()
            },
        )
        .await;
        assert!(page.len() <= size as usize);
        seen.extend(ids(&page));
        match page.last() {
            Some(last) if page.len() == size as usize => before = Some(last.cursor()),
            _ => return seen,
        }
    }
    panic!("paging did not end: {seen:?}");
}

async fn keyset_paging(db: &Db) {
    for i in 0..12 {
        let reason = if i % 2 == 0 { "page-even" } else { "page-odd" };
        record(db, &entry("restore", "tester", Some(reason))).await;
    }
    // Within one second, ids and times disagree: the later ids carry the earlier time,
    // and the shown time (cut to the second) is the same for all six.
    for _ in 0..3 {
        insert_at(db, "trash", &utc(db, "2020-03-04 05:06:07.750")).await;
    }
    for _ in 0..3 {
        insert_at(db, "trash", &utc(db, "2020-03-04 05:06:07.250")).await;
    }
    insert_at(db, "trash", &utc(db, "2020-03-04 05:06:06.999")).await;

    let full = ids(&list(db, &all()).await);
    assert_eq!(full.len(), 19);
    let mut unique = full.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 19, "{full:?}");
    for size in [1, 2, 3, 5, 7, 19, 50] {
        assert_eq!(paged(db, &all(), size).await, full, "pages of {size}");
    }

    let even = searching("PAGE-EVEN");
    let full_even = ids(&list(db, &even).await);
    assert_eq!(full_even.len(), 6);
    for size in [1, 4] {
        assert_eq!(
            paged(db, &even, size).await,
            full_even,
            "even, pages of {size}"
        );
    }

    // A cursor whose id is not in the log falls back to its time.
    let fallback = list(
        db,
        &AuditQuery {
            before: Some(("2020-03-04 05:06:08".into(), i64::MAX)),
            ..all()
        },
    )
    .await;
    assert_eq!(ids(&fallback), full[12..]);

    let mut c = db.conn().await;
    let bad = history::list(
        &mut c,
        &AuditQuery {
            before: Some(("yesterday'; DROP TABLE x; --".into(), 1)),
            ..all()
        },
    )
    .await
    .unwrap_err();
    assert!(bad.message.contains("not an audit log time"), "{bad}");
}

on_both!(keyset_paging, keyset_paging_sqlite, keyset_paging_postgres);

// ---------------------------------------------------------------------------------------
// 3. `since` leaves out older entries, in the engine and in the command.

async fn since_bounds(db: &Db) {
    let ten_days = insert_at(db, "trash", &days_ago(db, 10)).await;
    let three_days = insert_at(db, "trash", &days_ago(db, 3)).await;
    let recent = record(db, &entry("restore", "tester", None)).await;

    let now = {
        let mut c = db.conn().await;
        trashcan::engine::database_now(&mut c).await.unwrap()
    };
    let since = |days: f64| AuditQuery {
        since_epoch: Some(now - days * 86_400.0),
        ..all()
    };
    assert_eq!(
        ids(&list(db, &since(20.0)).await),
        [recent, three_days, ten_days]
    );
    assert_eq!(ids(&list(db, &since(7.0)).await), [recent, three_days]);
    assert_eq!(ids(&list(db, &since(1.0)).await), [recent]);
    assert_eq!(ids(&list(db, &since(-1.0)).await), Vec::<i64>::new());

    let out = db.bin(None, &["audit", "--since", "7d", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(json_ids(&json(&out)), [recent, three_days]);
    let out = db.bin(None, &["audit", "--since", "12h"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(stdout(&out).ends_with("\n1 entry\n"), "{}", describe(&out));

    let out = db.bin(None, &["audit", "--since", "30x"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--since") && err.contains("`30x` is not a duration"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{}", describe(&out));
}

on_both!(since_bounds, since_sqlite, since_postgres);

// ---------------------------------------------------------------------------------------
// 4. Search: every searched column, case-insensitive, wildcards and quotes literal.

async fn search_is_literal(db: &Db) {
    let pct = record(db, &entry("restore", "tester", Some("50% off"))).await;
    let under = record(db, &entry("restore", "tester", Some("under_score"))).await;
    let slash = record(db, &entry("restore", "tester", Some("back\\slash"))).await;
    let quoted = record(db, &entry("restore", "tester", Some("it's \"quoted\""))).await;
    let mut alice = entry("trash", "Alice", None);
    alice.actor.ssh_client = Some("10.0.0.7".into());
    alice.tables = vec![keys("users", &["id"], &[&["1"]])];
    let alice = record(db, &alice).await;
    let mut purge = entry("purge start", "tester", None);
    purge.job_id = Some(4242);
    let purge = record(db, &purge).await;
    let mut plain = entry("undo trash", "tester", Some("plain"));
    plain.tables = vec![keys("posts", &["id"], &[&["9"]])];
    let plain = record(db, &plain).await;
    let everything = vec![plain, purge, alice, quoted, slash, under, pct];

    let cases: Vec<(&str, Vec<i64>)> = vec![
        ("%", vec![pct]),
        ("50%", vec![pct]),
        ("5_%", vec![]),
        ("%%", vec![]),
        ("_", vec![under]),
        ("r_s", vec![under]),
        ("\\", vec![slash]),
        ("k\\s", vec![slash]),
        ("\\\\", vec![]),
        ("'", vec![quoted]),
        ("\"quoted\"", vec![quoted]),
        ("x' OR '1'='1", vec![]),
        ("aLiCe", vec![alice]),
        ("10.0.0", vec![alice]),
        ("USERS", vec![alice]),
        ("posts", vec![plain]),
        ("PURGE", vec![purge]),
        ("4242", vec![purge]),
        ("undo", vec![plain]),
        ("PLAIN", vec![plain]),
        ("", everything.clone()),
        ("postgres", if db.pg { everything.clone() } else { vec![] }),
    ];
    for (text, expected) in cases {
        let found = list(db, &searching(text)).await;
        assert_eq!(ids(&found), expected, "search {text:?}: {found:#?}");
    }

    let out = db.bin(None, &["audit", "--search", "%", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(json_ids(&json(&out)), [pct]);
    let out = db.bin(None, &["audit", "--search", "no such text"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(stdout(&out), "no audit entries\n");
    let out = db.bin(None, &["audit", "--search", "no such text", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(json(&out), serde_json::json!({ "entries": [] }));
}

on_both!(search_is_literal, search_sqlite, search_postgres);

// ---------------------------------------------------------------------------------------
// 5. Keys and context read back as recorded, from the engine and from real changes.

const PEOPLE: &str = "
CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, deleted_at {ts});
INSERT INTO users VALUES (1, 'ann', '2020-01-01 00:00:00'), (2, 'bob', '2020-01-01 00:00:00'),
    (3, 'cy', '2020-01-01 00:00:00');
";

async fn keys_round_trip(db: &Db) {
    let mut full = entry("restore", "tester", Some("ticket 12"));
    full.actor.ssh_client = Some("192.0.2.4".into());
    full.job_id = Some(7);
    full.context = Some("scope: all trash; cutoff 2020-01-01 00:00:00 UTC".into());
    full.tables = vec![
        keys("public.users", &["id"], &[&["1"], &["2"], &["3"]]),
        keys(
            "likes",
            &["user_id", "post's key"],
            &[&["1", "a,b"], &["2", "it's \"q\" ü \\ %"]],
        ),
    ];
    full.tables[0].rows = 30_000;
    let full_id = record(db, &full).await;
    let bare_id = record(db, &entry("purge pause", "tester", None)).await;

    let found = list(db, &all()).await;
    assert_eq!(ids(&found), [bare_id, full_id]);
    let (bare, read) = (&found[0], &found[1]);
    assert_eq!(read.tables, full.tables);
    assert_eq!(read.context, full.context);
    assert_eq!(read.rows, 30_002);
    assert_eq!(read.table_names, "public.users, likes");
    assert_eq!(read.reason.as_deref(), Some("ticket 12"));
    assert_eq!(read.job_id, Some(7));
    assert_eq!(read.who(), "tester from 192.0.2.4");
    assert_eq!(read.key_count(), 5);
    assert_eq!(
        (bare.tables.len(), &bare.context, bare.rows, &bare.reason),
        (0, &None, 0, &None)
    );

    // A real restore and a real purge, through the binary.
    db.exec(PEOPLE).await;
    let out = db
        .command(
            None,
            &[
                "restore", "--table", "users", "--key", "1", "--key", "2", "--reason", "ticket 7",
            ],
        )
        .env("USER", "carol")
        .env_remove("SUDO_USER")
        .env("SSH_CONNECTION", "10.9.8.7 5555 10.0.0.1 22")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let out = db.bin(
        None,
        &[
            "purge",
            "--older-than",
            "30d",
            "--yes",
            "--reason",
            "nightly cleanup",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));

    let restored = list(db, &searching("carol")).await;
    assert_eq!(restored.len(), 1, "{restored:#?}");
    let restored = &restored[0];
    assert_eq!(restored.action, "restore");
    assert_eq!(restored.who(), "carol from 10.9.8.7");
    assert_eq!(restored.reason.as_deref(), Some("ticket 7"));
    assert_eq!(restored.rows, 2);
    assert_eq!(restored.tables, [keys("users", &["id"], &[&["1"], &["2"]])]);

    let purged = list(db, &searching("nightly cleanup")).await;
    let actions: Vec<&str> = purged.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["purge finish", "purge start", "purge plan"],
        "{purged:#?}"
    );
    let job = purged[0].job_id;
    assert!(
        job.is_some() && purged.iter().all(|r| r.job_id == job),
        "{purged:#?}"
    );
    assert_eq!(purged[0].rows, 1);
    assert!(
        purged[0]
            .context
            .as_deref()
            .is_some_and(|c| c.contains("scope")),
        "{purged:#?}"
    );
}

on_both!(keys_round_trip, keys_sqlite, keys_postgres);

// ---------------------------------------------------------------------------------------
// 6. Times are UTC, whatever the session's time zone.

async fn times_are_utc(db: &Db) {
    let old = insert_at(db, "trash", &utc(db, "2020-03-04 05:06:07.250")).await;
    let now = record(db, &entry("restore", "tester", None)).await;
    let mut c = db.conn().await;
    if db.pg {
        // diesel-async starts every session in UTC; the log must not depend on that.
        trashcan::db::batch_execute(&mut c, "SET TIME ZONE 'Pacific/Chatham'")
            .await
            .unwrap();
        let zone = trashcan::db::rows::query(&mut c, "SHOW timezone", &[])
            .await
            .unwrap();
        assert_eq!(zone[0].text(0).as_deref(), Some("Pacific/Chatham"));
    }
    let found = history::list(&mut c, &all()).await.unwrap();
    let clock = trashcan::engine::database_now(&mut c).await.unwrap();
    assert_eq!(ids(&found), [now, old]);
    assert_eq!(found[1].at, "2020-03-04 05:06:07");
    assert_eq!(found[1].at_epoch, 1_583_298_367.25);
    let shown = chrono::NaiveDateTime::parse_from_str(&found[0].at, "%Y-%m-%d %H:%M:%S")
        .unwrap()
        .and_utc()
        .timestamp();
    assert_eq!(shown, found[0].at_epoch.floor() as i64, "{found:#?}");
    assert!(
        (clock - found[0].at_epoch).abs() < 60.0,
        "{clock} {found:#?}"
    );

    let out = db.bin(None, &["audit", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let value = json(&out);
    assert_eq!(value["entries"][0]["at"], found[0].at.as_str());
    assert_eq!(value["entries"][1]["at"], "2020-03-04 05:06:07");
}

on_both!(times_are_utc, utc_sqlite, utc_postgres);

// ---------------------------------------------------------------------------------------
// 7. `trashcan audit`: text without keys, JSON with everything, exit codes.

async fn headless_output(db: &Db) {
    let mut restore = entry("restore", "alice", Some("ticket\u{1b}[2J 9\nsecond line"));
    restore.actor.ssh_client = Some("10.0.0.7".into());
    restore.tables = vec![
        keys("users", &["id"], &[&["secret-key-41"]]),
        keys("posts", &["id"], &[&["secret-key-42"], &["secret-key-43"]]),
    ];
    let restore_id = record(db, &restore).await;
    let mut purge = entry("purge start", "tester", None);
    purge.job_id = Some(77);
    purge.context = Some("scope: all trash".into());
    let purge_id = record(db, &purge).await;
    let records = list(db, &all()).await;
    assert_eq!(ids(&records), [purge_id, restore_id]);

    let out = db.bin(None, &["audit"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    for column in [
        "at (UTC)", "who", "action", "tables", "rows", "keys", "job", "reason",
    ] {
        assert!(lines[0].contains(column), "{text}");
    }
    let words =
        |line: &str| -> Vec<String> { line.split_whitespace().map(str::to_owned).collect() };
    let (purge_at, restore_at) = (&records[0].at, &records[1].at);
    assert!(lines[1].starts_with(purge_at.as_str()), "{text}");
    assert_eq!(
        words(lines[1])[2..],
        ["tester", "purge", "start", "–", "0", "0", "77"],
        "{text}"
    );
    assert!(lines[2].starts_with(restore_at.as_str()), "{text}");
    assert_eq!(
        words(lines[2])[2..],
        [
            "alice",
            "from",
            "10.0.0.7",
            "restore",
            "users,",
            "posts",
            "3",
            "3",
            "–",
            "ticket�[2J",
            "9",
            "second",
            "line"
        ],
        "{text}"
    );
    assert_eq!(lines[3], "2 entries");
    assert!(!text.contains("secret-key"), "keys are for --json: {text}");
    assert!(
        !text.contains('\u{1b}'),
        "control characters reach the terminal"
    );

    let out = db.bin(None, &["audit", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let mut printed = json(&out);
    let mut expected = serde_json::json!({ "entries": records });
    // Compared apart: a float printed and parsed back may differ in its last bit.
    for (p, e) in printed["entries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(expected["entries"].as_array_mut().unwrap())
    {
        let (p_at, e_at) = (p["at_epoch"].take(), e["at_epoch"].take());
        assert!((p_at.as_f64().unwrap() - e_at.as_f64().unwrap()).abs() < 1e-3);
    }
    assert_eq!(printed, expected);
    let restored = &printed["entries"][1];
    assert_eq!(restored["tables"][1]["keys"][1][0], "secret-key-43");
    assert_eq!(restored["ssh_client"], "10.0.0.7");
    assert_eq!(printed["entries"][0]["context"], "scope: all trash");
    assert_eq!(printed["entries"][0]["job_id"], 77);

    let out = db.bin(None, &["audit", "--limit", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("1 entry (the newest") && text.contains("--limit"),
        "{text}"
    );

    for bad in [
        &["audit", "--limit", "0"][..],
        &["audit", "--limit", "10001"],
        &["audit", "--since", "-3d"],
        &["audit", "--since", ""],
    ] {
        let out = db.bin(None, bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", describe(&out));
        assert!(out.stdout.is_empty(), "{bad:?}: {}", describe(&out));
    }
}

on_both!(headless_output, headless_sqlite, headless_postgres);

// ---------------------------------------------------------------------------------------
// 8. A database without the bookkeeping tables: a clear error, and nothing installed.

async fn not_installed(target: DbTarget, url: String) {
    let pool = DbPool::connect(&target, &SessionSettings::default())
        .await
        .unwrap();
    let mut c = pool.get().await.unwrap();
    let e = history::list(&mut c, &all()).await.unwrap_err();
    assert!(
        e.message.contains("not installed") && e.message.contains("--init"),
        "{e}"
    );

    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trashcan"))
        .args(["--database-url", &url, "audit", "--json"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("xdg"))
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read the audit log") && err.contains("--init"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{}", describe(&out));
    assert!(!audit::installed(&mut c).await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn not_installed_sqlite() {
    let db = SqliteDb::create();
    let url = format!("sqlite:{}", db.path.display());
    not_installed(db.target(), url).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn not_installed_postgres() {
    let Some(db) = PgDb::create("audit_not_installed").await else {
        return;
    };
    not_installed(db.target(), db.url.clone()).await;
}
