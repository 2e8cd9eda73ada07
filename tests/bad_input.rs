//! Bad input through the binary, one test per case: wrong URLs, broken configs, bad
//! arguments and keys. Each gets its exit code and a message that says what is wrong,
//! never a panic, and changes nothing in the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

use common::{PgDb, SqliteDb, block_on};
use trashcan::db::rows;

/// A SQLite database with the console's tables and one trashed note.
struct Scene {
    db: SqliteDb,
    home: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let db = SqliteDb::create();
        block_on(async {
            trashcan::db::migrate::run(&db.target(), trashcan::db::migrate::MigrationSet::Console)
                .await
                .unwrap();
            db.exec(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, deleted_at TIMESTAMP);
                 INSERT INTO notes VALUES (1, 'a', '2020-01-01 00:00:00'), (2, 'b', NULL);",
            )
            .await;
        });
        Scene {
            db,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn url(&self) -> String {
        format!("sqlite:{}", self.db.path.display())
    }

    /// Runs the binary; `{db}` in an argument is this scene's database URL.
    fn run(&self, config: Option<&str>, args: &[&str]) -> (Option<i32>, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trashcan"));
        if let Some(text) = config {
            let path = self.home.path().join("config.toml");
            std::fs::write(&path, text).unwrap();
            cmd.arg("--config").arg(path);
        }
        for arg in args {
            cmd.arg(arg.replace("{db}", &self.url()));
        }
        let out = cmd
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("xdg"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("USER", "tester")
            .env_remove("SUDO_USER")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The notes and the audit log, as text: what no bad input may change.
    fn state(&self) -> Vec<String> {
        block_on(async {
            let pool = self.db.pool().await;
            let mut conn = pool.get().await.unwrap();
            let mut all = Vec::new();
            for sql in [
                "SELECT CAST(id AS TEXT) || '|' || COALESCE(deleted_at, '-') FROM notes ORDER BY id",
                "SELECT CAST(count(*) AS TEXT) FROM trashcan_audit_log",
                "SELECT CAST(count(*) AS TEXT) FROM trashcan_purge_jobs",
            ] {
                for row in rows::query(&mut conn, sql, &[]).await.unwrap() {
                    all.push(row.text(0).unwrap_or_default());
                }
            }
            all
        })
    }
}

/// Runs one case: the exit code, a fragment of the message, no panic, nothing changed.
fn case(config: Option<&str>, args: &[&str], code: i32, says: &str) {
    let scene = Scene::new();
    let before = scene.state();
    let (exit, stdout, stderr) = scene.run(config, args);
    let all = format!("exit {exit:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert_eq!(exit, Some(code), "{all}");
    assert!(stderr.contains(says), "expected {says:?} in:\n{all}");
    assert!(!all.contains("panicked"), "a raw panic:\n{all}");
    assert!(!all.contains("RUST_BACKTRACE"), "a raw panic:\n{all}");
    assert_eq!(scene.state(), before, "bad input changed nothing:\n{all}");
}

macro_rules! bad_input {
    ($($name:ident: $config:expr, [$($arg:expr),*], $code:expr, $says:expr;)*) => {
        $(
            #[test]
            fn $name() {
                case($config, &[$($arg),*], $code, $says);
            }
        )*
    };
}

bad_input! {
    // URLs.
    url_with_an_unsupported_scheme: None, ["--database-url", "mysql://x@y/z", "tables"], 2,
        "unsupported database URL scheme `mysql`";
    url_malformed: None, ["--database-url", "postgres://[::1/db", "tables"], 2,
        "malformed PostgreSQL URL";
    url_with_an_unknown_sslmode: None,
        ["--database-url", "postgres://u@127.0.0.1/db?sslmode=bogus", "tables"], 2,
        "unknown sslmode `bogus`";
    url_empty: None, ["--database-url", "", "tables"], 2, "the database URL is empty";
    url_unreachable: None,
        ["--database-url", "postgres://postgres@127.0.0.1:1/x?sslmode=disable", "tables"], 2,
        "is the server running and reachable";
    sqlite_in_a_missing_directory: None,
        ["--database-url", "sqlite:/nonexistent-dir/x.db", "tables"], 2,
        "no SQLite database at /nonexistent-dir/x.db";

    // Config files.
    config_malformed_toml: Some("[console\npage_size = 3\n"), ["--database-url", "{db}", "tables"], 2,
        "invalid config at line 1";
    config_wrong_type: Some("[console]\npage_size = \"many\"\n"),
        ["--database-url", "{db}", "tables"], 2, "line 2: invalid type: string \"many\"";
    config_bad_duration: Some("[related]\nrecovery_window = \"30x\"\n"),
        ["--database-url", "{db}", "tables"], 2, "related.recovery_window: `30x` is not a duration";
    config_negative_retention: Some("[tables.notes]\nretention_days = -3\n"),
        ["--database-url", "{db}", "tables"], 2, "line 2: invalid value: integer `-3`";
    config_page_size_out_of_range: Some("[console]\npage_size = 0\n"),
        ["--database-url", "{db}", "tables"], 2, "console.page_size must be between 1 and 10000";
    config_database_entry_without_match: Some("[[databases]]\nproduction = true\n"),
        ["--database-url", "{db}", "tables"], 2, "databases entry 1 needs a non-empty `match`";
    config_unknown_role: Some("[supervision.roles]\neve = \"boss\"\n"),
        ["--database-url", "{db}", "tables"], 2, "unknown variant `boss`";
    config_unknown_keys_are_named: Some("[console]\npage_sise = 10\n[bogus]\nx = 1\n"),
        ["--database-url", "{db}", "tables"], 0, "unknown key `console.page_sise` ignored";
    config_relation_naming_a_missing_column: Some(
        "[[relations]]\nchild = \"notes\"\nchild_columns = [\"nope\"]\nparent = \"notes\"\n\
         parent_columns = [\"id\"]\n"),
        ["--database-url", "{db}", "tables"], 0, "column `notes.nope` does not exist";
    config_file_missing: None,
        ["--config", "/nonexistent-dir/trashcan.toml", "--database-url", "{db}", "tables"], 2,
        "config file /nonexistent-dir/trashcan.toml does not exist";

    // Arguments and keys.
    purge_with_an_unparsable_age: None, ["--database-url", "{db}", "purge", "--older-than", "30x"], 2,
        "`30x` is not a duration";
    purge_with_a_negative_age: None, ["--database-url", "{db}", "purge", "--older-than=-3d"], 2,
        "is negative";
    purge_of_an_unknown_table: None,
        ["--database-url", "{db}", "purge", "--table", "no_such", "--yes"], 2, "no table `no_such`";
    purge_of_an_unknown_relations_orphans: None,
        ["--database-url", "{db}", "purge", "--orphans", "nope", "--yes"], 2, "no relation `nope`";
    purge_with_both_retention_and_an_age: None,
        ["--database-url", "{db}", "purge", "--retention", "--older-than", "5d"], 2,
        "cannot be used with";
    restore_of_an_unknown_table: None,
        ["--database-url", "{db}", "restore", "--table", "no_such", "--key", "1"], 2,
        "no table `no_such`";
    restore_with_text_in_an_integer_key: None,
        ["--database-url", "{db}", "restore", "--table", "notes", "--key", "1,2"], 2,
        "`1,2` is not an integer";
    restore_with_a_malformed_json_key: None,
        ["--database-url", "{db}", "restore", "--table", "notes", "--key", "[1,"], 2,
        "not a JSON array";
    restore_without_a_key: None, ["--database-url", "{db}", "restore", "--table", "notes"], 2,
        "--key";
    resume_of_an_unknown_job: None, ["--database-url", "{db}", "jobs", "resume", "999999"], 2,
        "no purge job 999999";
    approve_of_an_unknown_job: Some("[supervision.roles]\ntester = \"supervisor\"\n"),
        ["--database-url", "{db}", "approve", "999999", "--reason", "x"], 2, "no purge job 999999";
    approve_without_the_supervisor_role: None,
        ["--database-url", "{db}", "approve", "1", "--reason", "x"], 3, "supervisor role";
    orphans_without_any_relation: None, ["--database-url", "{db}", "orphans"], 2,
        "no relations to scan";
    audit_with_an_unparsable_since: None, ["--database-url", "{db}", "audit", "--since", "30x"], 2,
        "`30x` is not a duration";
    audit_with_a_zero_limit: None, ["--database-url", "{db}", "audit", "--limit", "0"], 2,
        "0 is not in 1..=10000";
}

/// A database that does not exist on a reachable server.
#[tokio::test(flavor = "multi_thread")]
async fn url_naming_a_missing_database() {
    // Only to learn whether the server is there (skips with a notice outside CI).
    let Some(_probe) = PgDb::create("bad_input_probe").await else {
        return;
    };
    tokio::task::spawn_blocking(|| {
        case(
            None,
            &[
                "--database-url",
                "postgres://postgres@127.0.0.1:5432/trashcan_no_such_database?sslmode=disable",
                "tables",
            ],
            2,
            "database \"trashcan_no_such_database\" does not exist",
        );
    })
    .await
    .unwrap();
}

// ---------------------------------------------------------------------------------------
// Odd schemas: handled correctly, not merely refused.

/// A purge of all trash older than 30 days, confirmed.
const PURGE_OLD_TRASH: &[&str] = &[
    "--database-url",
    "{db}",
    "purge",
    "--older-than",
    "30d",
    "--yes",
    "--reason",
    "x",
];

/// A scene with its own schema instead of the notes.
fn scene_with(schema: &str) -> Scene {
    let scene = Scene::new();
    block_on(scene.db.exec(schema));
    scene
}

fn query_text(scene: &Scene, sql: &str) -> String {
    block_on(async {
        let pool = scene.db.pool().await;
        let mut conn = pool.get().await.unwrap();
        rows::query(&mut conn, sql, &[])
            .await
            .unwrap()
            .first()
            .and_then(|r| r.text(0))
            .unwrap_or_default()
    })
}

fn succeeds(scene: &Scene, args: &[&str]) -> String {
    let (exit, stdout, stderr) = scene.run(None, args);
    let all = format!("exit {exit:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    assert_eq!(exit, Some(0), "{all}");
    assert!(!all.contains("panicked"), "{all}");
    stdout
}

#[test]
fn identifiers_with_quotes_spaces_unicode_and_reserved_words() {
    let scene = scene_with(
        "CREATE TABLE \"we\"\"ird tab le\" (\"ïd\" INTEGER PRIMARY KEY, \"select\" TEXT,
             deleted_at TIMESTAMP);
         INSERT INTO \"we\"\"ird tab le\" VALUES (1, 'x', '2020-01-01 00:00:00');
         CREATE TABLE \"order\" (\"group\" INTEGER PRIMARY KEY, deleted_at TIMESTAMP);
         INSERT INTO \"order\" VALUES (7, '2020-01-01 00:00:00');",
    );
    let listed = succeeds(&scene, &["--database-url", "{db}", "tables"]);
    assert!(listed.contains("we\"ird tab le"), "{listed}");
    assert!(listed.contains("order"), "{listed}");
    succeeds(
        &scene,
        &[
            "--database-url",
            "{db}",
            "restore",
            "--table",
            "we\"ird tab le",
            "--key",
            "1",
        ],
    );
    succeeds(
        &scene,
        &[
            "--database-url",
            "{db}",
            "restore",
            "--table",
            "order",
            "--key",
            "7",
        ],
    );
    assert_eq!(
        query_text(
            &scene,
            "SELECT COALESCE(deleted_at, 'live') FROM \"we\"\"ird tab le\" WHERE \"ïd\" = 1"
        ),
        "live"
    );
    assert_eq!(
        query_text(&scene, "SELECT COALESCE(deleted_at, 'live') FROM \"order\""),
        "live"
    );
}

#[test]
fn huge_values_and_nulls_everywhere() {
    let scene = scene_with(
        "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT, data BLOB, n INTEGER,
             deleted_at TIMESTAMP);
         INSERT INTO blobs VALUES (1, NULL, NULL, NULL, '2020-01-01 00:00:00');
         INSERT INTO blobs VALUES (2, printf('%.*c', 2000000, 'x'), randomblob(3000000),
             9223372036854775807, '2020-01-01 00:00:00');",
    );
    let listed = succeeds(&scene, &["--database-url", "{db}", "tables"]);
    assert!(listed.contains("blobs"), "{listed}");
    succeeds(
        &scene,
        &[
            "--database-url",
            "{db}",
            "restore",
            "--table",
            "blobs",
            "--key",
            "2",
        ],
    );
    assert_eq!(
        query_text(
            &scene,
            "SELECT CAST(length(body) AS TEXT) FROM blobs WHERE id = 2"
        ),
        "2000000",
        "the value is untouched"
    );
    succeeds(&scene, PURGE_OLD_TRASH);
    assert_eq!(
        query_text(&scene, "SELECT CAST(count(*) AS TEXT) FROM blobs"),
        "1"
    );
}

#[test]
fn times_at_the_extremes_and_implausible_epochs() {
    let scene = scene_with(
        "CREATE TABLE ancient (id INTEGER PRIMARY KEY, deleted_at TIMESTAMP);
         INSERT INTO ancient VALUES (1, '0001-01-01 00:00:00'), (2, '9999-12-31 23:59:59'),
             (3, NULL);
         CREATE TABLE events (id INTEGER PRIMARY KEY, deleted_at_ms INTEGER NOT NULL DEFAULT 0);
         INSERT INTO events VALUES (1, 1), (2, 9000000000000000), (3, 0), (4, -5);",
    );
    let listed = succeeds(&scene, &["--database-url", "{db}", "tables"]);
    assert!(listed.contains("ancient"), "{listed}");
    // Epoch "times" of 1 ms, 285,000 years and -5 are no deletion times: the column is a
    // near miss, said so, and never purged from.
    assert!(!listed.contains("events"), "{listed}");
    let explained = succeeds(&scene, &["--database-url", "{db}", "tables", "--explain"]);
    assert!(
        explained.contains("events") && explained.contains("no plausible deletion times"),
        "{explained}"
    );
    // A purge takes what is older than the cutoff and leaves the future alone.
    succeeds(&scene, PURGE_OLD_TRASH);
    assert_eq!(
        query_text(
            &scene,
            "SELECT group_concat(id) FROM (SELECT id FROM ancient ORDER BY id)"
        ),
        "2,3"
    );
    let events = query_text(
        &scene,
        "SELECT group_concat(id) FROM (SELECT id FROM events ORDER BY id)",
    );
    assert_eq!(events, "1,2,3,4", "no row of a near miss is purged");
}

/// A server that turns TLS down when the URL requires it: a listener that answers the
/// client's TLS request with PostgreSQL's "N" (no TLS here), as a server without
/// certificates does.
#[test]
fn url_requiring_tls_of_a_server_without_it() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        // Every connection attempt (the binary may retry) gets the same answer.
        listener.set_nonblocking(false).unwrap();
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { break };
            let mut request = [0u8; 8];
            if stream.read_exact(&mut request).is_ok() {
                let _ = stream.write_all(b"N");
            }
        }
    });
    case(
        None,
        &[
            "--database-url",
            &format!("postgres://postgres@127.0.0.1:{port}/db?sslmode=require"),
            "tables",
        ],
        2,
        "server does not support TLS",
    );
    drop(server);
}

/// A wrong password. Trust is the rule on the test server, so `.ci/run` makes one role
/// give a password (scram-sha-256 in pg_hba.conf); elsewhere the test skips with a
/// notice if the server lets that role in without it.
#[tokio::test(flavor = "multi_thread")]
async fn url_with_a_wrong_password() {
    let Some(_probe) = PgDb::create("bad_input_password").await else {
        return;
    };
    common::admin_exec(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trashcan_password_probe') THEN
             CREATE ROLE trashcan_password_probe LOGIN;
           END IF;
         END $$;
         ALTER ROLE trashcan_password_probe PASSWORD 'right-horse';",
    )
    .await;
    let wrong = "postgres://trashcan_password_probe:wrong-battery@127.0.0.1:5432/postgres\
                 ?sslmode=disable";
    if tokio_postgres::connect(wrong, tokio_postgres::NoTls)
        .await
        .is_ok()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "pg_hba.conf lets trashcan_password_probe in without its password; .ci/run \
             adds the line that makes it give one"
        );
        eprintln!("NOTICE: skipping url_with_a_wrong_password: the server trusts every role");
        return;
    }
    tokio::task::spawn_blocking(move || {
        case(
            None,
            &["--database-url", wrong, "tables"],
            2,
            "password authentication failed for user \"trashcan_password_probe\"",
        );
    })
    .await
    .unwrap();
}
