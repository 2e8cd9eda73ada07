//! A row's soft-delete state: the columns that say whether, when, by whom, why and in
//! which deletion group it was trashed, and the values that make it live or trashed
//! under each convention.

use chrono::{DateTime, Utc};

use crate::db::Backend;
use crate::engine::catalog::{ColumnInfo, ColumnKind, Convention, SoftDelete, TableInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Marker,
    /// The time column of a flag convention (for the others the marker is the time).
    Time,
    DeletedBy,
    Reason,
    Token,
}

/// One state column and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateColumn {
    pub role: Role,
    pub column: ColumnInfo,
}

/// The state columns of a soft-delete table, marker first.
pub fn state_columns(table: &TableInfo, sd: &SoftDelete) -> Vec<StateColumn> {
    let mut columns = vec![StateColumn {
        role: Role::Marker,
        column: sd.marker.clone(),
    }];
    if let Some(time) = &sd.time
        && time.name != sd.marker.name
    {
        columns.push(StateColumn {
            role: Role::Time,
            column: time.clone(),
        });
    }
    for (role, name) in [
        (Role::DeletedBy, &sd.deleted_by),
        (Role::Reason, &sd.reason),
        (Role::Token, &sd.token),
    ] {
        if let Some(column) = name.as_deref().and_then(|n| table.column(n))
            && !columns.iter().any(|c| c.column.name == column.name)
        {
            columns.push(StateColumn {
                role,
                column: column.clone(),
            });
        }
    }
    columns
}

/// Who trashes, when and why: the same for every row of one move to trash, so that a
/// later restore finds the whole group again.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    /// The database's clock, in seconds since the epoch.
    pub epoch_seconds: f64,
    pub actor: String,
    pub reason: Option<String>,
    pub token: String,
}

/// The state that makes a row live: marker cleared, and the time, author, reason and
/// token cleared where the column allows NULL (kept otherwise).
pub fn live_values(
    convention: Convention,
    columns: &[StateColumn],
    before: &[Option<String>],
    backend: Backend,
) -> Vec<Option<String>> {
    columns
        .iter()
        .zip(before)
        .map(|(c, old)| match c.role {
            Role::Marker => match convention {
                Convention::Timestamp => None,
                Convention::Flag => Some(flag_text(false, &c.column, backend)),
                Convention::EpochMillis | Convention::EpochSeconds => Some("0".into()),
            },
            _ if c.column.nullable => None,
            _ => old.clone(),
        })
        .collect()
}

/// The state that trashes a row with `stamp`.
pub fn trashed_values(
    convention: Convention,
    columns: &[StateColumn],
    before: &[Option<String>],
    stamp: &Stamp,
    backend: Backend,
) -> Vec<Option<String>> {
    columns
        .iter()
        .zip(before)
        .map(|(c, old)| match c.role {
            Role::Marker => Some(match convention {
                Convention::Timestamp => time_text(&c.column, stamp.epoch_seconds, backend, false),
                Convention::Flag => flag_text(true, &c.column, backend),
                Convention::EpochMillis => format!("{}", (stamp.epoch_seconds * 1000.0) as i64),
                Convention::EpochSeconds => format!("{}", stamp.epoch_seconds as i64),
            }),
            Role::Time => Some(time_text(&c.column, stamp.epoch_seconds, backend, true)),
            Role::DeletedBy if is_textual(&c.column) => Some(stamp.actor.clone()),
            Role::Reason if is_textual(&c.column) => stamp.reason.clone().or_else(|| {
                // A NOT NULL reason column gets an empty reason rather than a failure.
                (!c.column.nullable).then(String::new)
            }),
            Role::Token => Some(match c.column.kind {
                ColumnKind::Integer => format!("{}", (stamp.epoch_seconds * 1e6) as i64),
                _ => stamp.token.clone(),
            }),
            // A deleted_by holding a user id cannot take an OS user name.
            _ => old.clone(),
        })
        .collect()
}

fn is_textual(column: &ColumnInfo) -> bool {
    matches!(column.kind, ColumnKind::Text | ColumnKind::Other)
}

fn flag_text(on: bool, column: &ColumnInfo, backend: Backend) -> String {
    match (backend, column.kind) {
        (Backend::Postgres, ColumnKind::Bool) => on.to_string(),
        _ => if on { "1" } else { "0" }.into(),
    }
}

/// `epoch_seconds` in the column's own form. Integers are epoch milliseconds when they
/// hold a flag's time (as the group window reads them), seconds when they are the marker
/// of an epoch-seconds table (handled by the caller).
pub fn time_text(
    column: &ColumnInfo,
    epoch_seconds: f64,
    backend: Backend,
    flag_time: bool,
) -> String {
    let at = DateTime::<Utc>::from_timestamp_micros((epoch_seconds * 1e6) as i64)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    match (backend, column.kind) {
        (_, ColumnKind::Integer) if flag_time => format!("{}", (epoch_seconds * 1000.0) as i64),
        (_, ColumnKind::Integer) => format!("{}", epoch_seconds as i64),
        (_, ColumnKind::Float | ColumnKind::Numeric) => format!("{epoch_seconds:.6}"),
        (_, ColumnKind::Date) => at.format("%Y-%m-%d").to_string(),
        (Backend::Postgres, ColumnKind::Timestamp { with_tz: true }) => {
            at.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string()
        }
        (Backend::Postgres, ColumnKind::Timestamp { with_tz: false }) => {
            at.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
        }
        // SQLite's own CURRENT_TIMESTAMP form, which sorts with what applications write.
        _ => at.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// A token from 32 random hex digits, in the UUID layout so a `uuid` column takes it.
pub fn token_from_hex(hex: &str) -> String {
    let hex: String = hex
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(32)
        .collect();
    if hex.len() < 32 {
        return hex;
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, kind: ColumnKind, nullable: bool) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            sql_type: "x".into(),
            kind,
            nullable,
        }
    }

    fn state(role: Role, c: ColumnInfo) -> StateColumn {
        StateColumn { role, column: c }
    }

    #[test]
    fn each_convention_has_live_and_trashed_values() {
        let stamp = Stamp {
            epoch_seconds: 1_700_000_000.5,
            actor: "alice".into(),
            reason: Some("spam".into()),
            token: "t-1".into(),
        };
        let ts = [
            state(
                Role::Marker,
                column("deleted_at", ColumnKind::Timestamp { with_tz: true }, true),
            ),
            state(
                Role::DeletedBy,
                column("deleted_by", ColumnKind::Text, true),
            ),
            state(Role::Reason, column("why", ColumnKind::Text, true)),
        ];
        let before = vec![None, None, None];
        assert_eq!(
            trashed_values(
                Convention::Timestamp,
                &ts,
                &before,
                &stamp,
                Backend::Postgres
            ),
            vec![
                Some("2023-11-14 22:13:20.500000+00".into()),
                Some("alice".into()),
                Some("spam".into())
            ]
        );
        assert_eq!(
            live_values(
                Convention::Timestamp,
                &ts,
                &[Some("x".into()), Some("a".into()), Some("b".into())],
                Backend::Postgres
            ),
            vec![None, None, None]
        );

        let flag = [
            state(Role::Marker, column("is_deleted", ColumnKind::Bool, false)),
            state(
                Role::Time,
                column("deleted_at", ColumnKind::Timestamp { with_tz: false }, true),
            ),
        ];
        assert_eq!(
            trashed_values(
                Convention::Flag,
                &flag,
                &[None, None],
                &stamp,
                Backend::Sqlite
            ),
            vec![Some("1".into()), Some("2023-11-14 22:13:20".into())]
        );
        assert_eq!(
            live_values(
                Convention::Flag,
                &flag,
                &[Some("1".into()), Some("t".into())],
                Backend::Postgres
            ),
            vec![Some("false".into()), None]
        );

        let ms = [state(
            Role::Marker,
            column("deleted_at_ms", ColumnKind::Integer, false),
        )];
        assert_eq!(
            trashed_values(
                Convention::EpochMillis,
                &ms,
                &[None],
                &stamp,
                Backend::Sqlite
            ),
            vec![Some("1700000000500".into())]
        );
        assert_eq!(
            live_values(
                Convention::EpochMillis,
                &ms,
                &[Some("5".into())],
                Backend::Sqlite
            ),
            vec![Some("0".into())]
        );
    }

    #[test]
    fn not_null_and_non_text_columns_keep_their_values() {
        let stamp = Stamp {
            epoch_seconds: 0.0,
            actor: "alice".into(),
            reason: None,
            token: "t".into(),
        };
        let columns = [
            state(Role::Marker, column("deleted_at", ColumnKind::Date, true)),
            state(
                Role::DeletedBy,
                column("deleted_by", ColumnKind::Integer, true),
            ),
            state(Role::Reason, column("why", ColumnKind::Text, false)),
        ];
        let before = vec![None, Some("42".into()), Some("old".into())];
        assert_eq!(
            trashed_values(
                Convention::Timestamp,
                &columns,
                &before,
                &stamp,
                Backend::Postgres
            ),
            vec![
                Some("1970-01-01".into()),
                Some("42".into()),
                Some("".into())
            ]
        );
        assert_eq!(
            live_values(Convention::Timestamp, &columns, &before, Backend::Postgres),
            vec![None, None, Some("old".into())]
        );
    }

    #[test]
    fn tokens_take_the_uuid_layout() {
        assert_eq!(
            token_from_hex("0123456789abcdef0123456789ABCDEF"),
            "01234567-89ab-cdef-0123-456789ABCDEF"
        );
    }
}
