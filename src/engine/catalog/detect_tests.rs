//! Unit tests of detection (included by detect.rs under #[cfg(test)]).

use super::*;

fn col(name: &str, kind: ColumnKind, nullable: bool) -> ColumnInfo {
    ColumnInfo {
        name: name.into(),
        sql_type: "x".into(),
        kind,
        nullable,
    }
}

const TS: ColumnKind = ColumnKind::Timestamp { with_tz: true };

/// Runs both steps with one `Evidence` per candidate, made by `data`.
fn verdict(
    table: &str,
    columns: &[ColumnInfo],
    overrides: Option<&TableOverride>,
    data: impl Fn(&Candidate) -> Evidence,
) -> (Option<SoftDelete>, Detection) {
    let considered = consider(table, columns, Backend::Postgres);
    let evidence: Vec<Evidence> = considered.candidates().map(&data).collect();
    decide(table, columns, &considered, &evidence, overrides).unwrap()
}

fn no_data(_: &Candidate) -> Evidence {
    Evidence::default()
}

/// A whole-table read of `rows` rows of which `trashed` are trashed.
fn read_all(rows: u64, trashed: u64) -> Evidence {
    Evidence {
        rows,
        whole_table: true,
        trashed,
        ..Evidence::default()
    }
}

#[test]
fn a_nullable_deletion_time_is_trash_and_a_not_null_one_a_schedule() {
    let (sd, d) = verdict(
        "posts",
        &[
            col("id", ColumnKind::Integer, false),
            col("deleted_at", TS, true),
        ],
        None,
        |_| read_all(200, 30),
    );
    assert_eq!(sd.unwrap().convention, Convention::Timestamp);
    assert_eq!(d.verdict, Verdict::Convention);
    assert!(
        d.because.iter().any(|b| b.contains("15.0% of ~200 rows")),
        "{d:?}"
    );

    let (sd, d) = verdict(
        "reminders",
        &[
            col("id", ColumnKind::Integer, false),
            col("deleted_at", TS, false),
        ],
        None,
        no_data,
    );
    assert!(sd.is_none());
    assert_eq!(d.verdict, Verdict::NearMiss);
    assert!(d.near_misses[0].1.contains("NOT NULL"), "{d:?}");
}

#[test]
fn data_that_calls_every_row_trashed_refutes_the_marker() {
    let cols = [
        col("id", ColumnKind::Integer, false),
        col("deleted_at", TS, true),
    ];
    let (sd, d) = verdict("events", &cols, None, |_| read_all(200, 200));
    assert!(
        sd.is_none(),
        "every one of 200 rows trashed is no trash bin"
    );
    assert!(
        d.near_misses[0].1.contains("every one of ~200 rows"),
        "{d:?}"
    );
    // Planner statistics speak for the whole table even when the sample did not.
    let (sd, _) = verdict("events", &cols, None, |_| Evidence {
        rows: 2000,
        trashed: 2000,
        stats: Some(super::super::evidence::Stats {
            rows: 1e6,
            live_share: 0.0,
        }),
        ..Evidence::default()
    });
    assert!(sd.is_none());
    // Three rows, all trashed, prove nothing.
    let (sd, _) = verdict("events", &cols, None, |_| read_all(3, 3));
    assert!(sd.is_some());
    // A partial sample cannot say "every row".
    let (sd, _) = verdict("events", &cols, None, |_| Evidence {
        rows: 2000,
        trashed: 2000,
        ..Evidence::default()
    });
    assert!(sd.is_some());
}

#[test]
fn future_times_are_a_schedule() {
    let (sd, d) = verdict(
        "accounts",
        &[
            col("id", ColumnKind::Integer, false),
            col("deleted_at", TS, true),
        ],
        None,
        |_| Evidence {
            rows: 50,
            trashed: 10,
            future: 9,
            ..Evidence::default()
        },
    );
    assert!(sd.is_none());
    assert!(d.near_misses[0].1.contains("future"), "{d:?}");
}

#[test]
fn epoch_integers_take_their_unit_from_the_data() {
    let cols = [
        col("id", ColumnKind::Integer, false),
        col("DeleteAt", ColumnKind::Integer, false),
    ];
    let ms = |fits_ms, fits_seconds| {
        move |_: &Candidate| Evidence {
            rows: 100,
            whole_table: true,
            trashed: 10,
            fits_ms,
            fits_seconds,
            ..Evidence::default()
        }
    };
    let (sd, d) = verdict("channels", &cols, None, ms(10, 0));
    assert_eq!(sd.unwrap().convention, Convention::EpochMillis, "{d:?}");
    let (sd, _) = verdict("channels", &cols, None, ms(0, 10));
    assert_eq!(sd.unwrap().convention, Convention::EpochSeconds);
    let (sd, d) = verdict("channels", &cols, None, ms(2, 3));
    assert!(sd.is_none(), "values that fit neither unit are no times");
    assert!(d.near_misses[0].1.contains("no plausible"), "{d:?}");
    // Nothing trashed yet: the name decides, milliseconds unless it says otherwise.
    let (sd, _) = verdict("channels", &cols, None, |_| read_all(100, 0));
    assert_eq!(sd.unwrap().convention, Convention::EpochMillis);
    let (sd, _) = verdict(
        "repos",
        &[col("deleted_unix", ColumnKind::Integer, false)],
        None,
        no_data,
    );
    assert_eq!(sd.unwrap().convention, Convention::EpochSeconds);
}

#[test]
fn flags_need_zero_and_one_and_may_go_without_a_time() {
    let cols = [
        col("id", ColumnKind::Integer, false),
        col("is_deleted", ColumnKind::Integer, false),
        col("updated_at", TS, false),
    ];
    let (sd, d) = verdict("docs", &cols, None, |_| read_all(100, 5));
    let sd = sd.unwrap();
    assert_eq!(sd.convention, Convention::Flag);
    assert!(sd.time.is_none());
    assert_eq!(d.proxy_suggestion.as_deref(), Some("updated_at"));
    assert!(
        d.because.iter().any(|b| b.contains("--ignore-age")),
        "{d:?}"
    );

    let (sd, d) = verdict("docs", &cols, None, |_| Evidence {
        odd: 4,
        ..read_all(100, 5)
    });
    assert!(sd.is_none());
    assert!(d.near_misses[0].1.contains("other than 0 and 1"), "{d:?}");

    let with_proxy = TableOverride {
        time_column: Some("updated_at".into()),
        ..TableOverride::default()
    };
    let (sd, _) = verdict("docs", &cols, Some(&with_proxy), no_data);
    let sd = sd.unwrap();
    assert_eq!(sd.time.unwrap().name, "updated_at");
    assert!(sd.time_is_proxy);
}

#[test]
fn a_flag_takes_its_deletion_time_beside_it() {
    let (sd, _) = verdict(
        "invoices",
        &[
            col("isDeleted", ColumnKind::Bool, false),
            col("deletedAt", ColumnKind::Timestamp { with_tz: false }, true),
        ],
        None,
        no_data,
    );
    let sd = sd.unwrap();
    assert_eq!(sd.convention, Convention::Flag);
    assert_eq!(sd.time.unwrap().name, "deletedAt");
    assert!(!sd.time_is_proxy);
}

#[test]
fn django_safedelete_deleted_is_a_time_and_a_boolean_deleted_a_flag() {
    let (sd, _) = verdict("articles", &[col("deleted", TS, true)], None, no_data);
    assert_eq!(sd.unwrap().convention, Convention::Timestamp);
    let (sd, _) = verdict(
        "articles",
        &[col("deleted", ColumnKind::Bool, false)],
        None,
        no_data,
    );
    assert_eq!(sd.unwrap().convention, Convention::Flag);
    let (sd, _) = verdict(
        "comments",
        &[col("is_removed", ColumnKind::Bool, false)],
        None,
        no_data,
    );
    assert_eq!(sd.unwrap().convention, Convention::Flag);
}

#[test]
fn near_misses_are_listed_and_never_trash() {
    for name in ["archived_at", "terminated_at", "removed_at", "delete_after"] {
        let (sd, d) = verdict("things", &[col(name, TS, true)], None, no_data);
        assert!(sd.is_none(), "{name}");
        assert_eq!(d.verdict, Verdict::NearMiss, "{name}");
        assert_eq!(d.near_misses[0].0, name);
    }
    let (sd, d) = verdict(
        "good_jobs",
        &[
            col("queue_name", ColumnKind::Text, true),
            col("discarded_at", TS, true),
        ],
        None,
        no_data,
    );
    assert!(sd.is_none());
    assert!(d.near_misses[0].1.contains("job queue"), "{d:?}");
    let (sd, _) = verdict("posts", &[col("discarded_at", TS, true)], None, no_data);
    assert!(sd.is_some(), "discard on an ordinary table is trash");
    // A marker beside a near miss: trash, with the near miss noted.
    let (sd, d) = verdict(
        "posts",
        &[col("deleted_at", TS, true), col("archived_at", TS, true)],
        None,
        no_data,
    );
    assert!(sd.is_some());
    assert_eq!(d.near_misses.len(), 1);
}

#[test]
fn history_tables_are_left_out_unless_included() {
    let cols = [
        col("id", ColumnKind::Integer, false),
        col("page_id", ColumnKind::Integer, false),
        col("is_deleted", ColumnKind::Bool, false),
    ];
    let (sd, d) = verdict("page_versions", &cols, None, no_data);
    assert!(sd.is_none());
    assert_eq!(d.verdict, Verdict::History);
    let include = TableOverride {
        include: true,
        ..TableOverride::default()
    };
    let (sd, d) = verdict("page_versions", &cols, Some(&include), no_data);
    assert!(sd.is_some());
    assert_eq!(d.verdict, Verdict::Convention);
}

#[test]
fn the_config_wins() {
    let cols = [
        col("gone", ColumnKind::Integer, false),
        col("deleted_at", TS, false),
    ];
    let o = TableOverride {
        column: Some("gone".into()),
        convention: Some(Convention::EpochSeconds),
        ..TableOverride::default()
    };
    let (sd, d) = verdict("t", &cols, Some(&o), no_data);
    assert_eq!(sd.unwrap().convention, Convention::EpochSeconds);
    assert_eq!(d.verdict, Verdict::Configured);
    // Even a column the data or nullability would refute.
    let forced = TableOverride {
        column: Some("deleted_at".into()),
        ..TableOverride::default()
    };
    let (sd, _) = verdict("t", &cols, Some(&forced), |_| read_all(500, 500));
    assert!(sd.is_some());
    let considered = consider("t", &cols, Backend::Postgres);
    let bad = TableOverride {
        column: Some("nope".into()),
        ..TableOverride::default()
    };
    assert_eq!(
        decide("t", &cols, &considered, &[], Some(&bad)).unwrap_err(),
        "column `nope` does not exist"
    );
    let ignored = TableOverride {
        ignore: true,
        ..TableOverride::default()
    };
    let (sd, d) = verdict("t", &cols, Some(&ignored), no_data);
    assert!(sd.is_none());
    assert_eq!(d.verdict, Verdict::Ignored);
}

#[test]
fn sqlite_text_times_are_times_but_not_on_postgres() {
    let cols = [col("deleted_at", ColumnKind::Text, true)];
    let lite = consider("t", &cols, Backend::Sqlite);
    assert_eq!(lite.times.len(), 1);
    let pg = consider("t", &cols, Backend::Postgres);
    assert!(pg.times.is_empty());
    assert_eq!(pg.near_misses.len(), 1);
}
