//! Recognising soft-delete conventions and choosing summary columns from column names
//! and types, with the config's per-table overrides taking precedence.

use super::model::{ColumnInfo, ColumnKind, Convention, SoftDelete};
use crate::config::TableOverride;

/// Lower-cases and drops `_` so `deleted_at`, `deletedAt` and `DeletedAt` compare equal.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

const TIME_NAMES: &[&str] = &[
    "deletedat",
    "discardedat",
    "trashedat",
    "removedat",
    "deletedon",
    "deletiondate",
    "deletiontime",
    "deletedtime",
    "deletedatms",
    "deletedms",
    "deletedatmillis",
    "deletedatepoch",
];
const FLAG_NAMES: &[&str] = &[
    "isdeleted",
    "deleted",
    "isdiscarded",
    "istrashed",
    "trashed",
    "isremoved",
];
const DELETED_BY_NAMES: &[&str] = &[
    "deletedby",
    "deletedbyid",
    "deleterid",
    "discardedby",
    "trashedby",
    "removedby",
];
const REASON_NAMES: &[&str] = &[
    "deletionreason",
    "deletereason",
    "deletedreason",
    "discardreason",
    "trashreason",
];
const TOKEN_NAMES: &[&str] = &[
    "deletiontoken",
    "deletionid",
    "deletionbatch",
    "deletetoken",
    "deletionbatchid",
    "deletiongroup",
];

fn find<'a>(columns: &'a [ColumnInfo], names: &[&str]) -> Option<&'a ColumnInfo> {
    names
        .iter()
        .find_map(|wanted| columns.iter().find(|c| normalize(&c.name) == *wanted))
}

fn integer_convention(column: &ColumnInfo) -> Convention {
    let n = normalize(&column.name);
    if n.ends_with("sec") || n.ends_with("seconds") || n.ends_with("epochs") {
        Convention::EpochSeconds
    } else {
        Convention::EpochMillis
    }
}

/// Finds how a table soft-deletes, or `None` if it does not (per convention or config).
pub fn soft_delete(
    columns: &[ColumnInfo],
    overrides: Option<&TableOverride>,
) -> Result<Option<SoftDelete>, String> {
    if overrides.is_some_and(|o| o.ignore) {
        return Ok(None);
    }
    let by_name = |name: &str| -> Result<ColumnInfo, String> {
        columns
            .iter()
            .find(|c| c.name == name)
            .cloned()
            .ok_or_else(|| format!("column `{name}` does not exist"))
    };
    let explicit_marker = overrides.and_then(|o| o.column.as_deref());
    let (convention, marker, time) = if let Some(marker_name) = explicit_marker {
        let marker = by_name(marker_name)?;
        let convention = match overrides.and_then(|o| o.convention) {
            Some(c) => c,
            None => match marker.kind {
                ColumnKind::Bool => Convention::Flag,
                ColumnKind::Integer => integer_convention(&marker),
                _ => Convention::Timestamp,
            },
        };
        let time = match overrides.and_then(|o| o.time_column.as_deref()) {
            Some(t) => Some(by_name(t)?),
            None if convention == Convention::Flag => find(columns, TIME_NAMES).cloned(),
            None => Some(marker.clone()),
        };
        (convention, marker, time)
    } else if let Some(flag) = find(columns, FLAG_NAMES)
        .filter(|c| matches!(c.kind, ColumnKind::Bool | ColumnKind::Integer))
    {
        let time = find(columns, TIME_NAMES).cloned();
        (Convention::Flag, flag.clone(), time)
    } else if let Some(time) = find(columns, TIME_NAMES) {
        let convention = match time.kind {
            ColumnKind::Integer => integer_convention(time),
            ColumnKind::Timestamp { .. } | ColumnKind::Date => Convention::Timestamp,
            // SQLite declared as TEXT but named like a timestamp: still a timestamp.
            ColumnKind::Text | ColumnKind::Numeric | ColumnKind::Other => Convention::Timestamp,
            _ => return Ok(None),
        };
        (convention, time.clone(), Some(time.clone()))
    } else {
        return Ok(None);
    };
    Ok(Some(SoftDelete {
        convention,
        marker,
        time,
        deleted_by: find(columns, DELETED_BY_NAMES).map(|c| c.name.clone()),
        reason: find(columns, REASON_NAMES).map(|c| c.name.clone()),
        token: find(columns, TOKEN_NAMES).map(|c| c.name.clone()),
    }))
}

const SUMMARY_NAMES: &[&str] = &[
    "name", "title", "email", "sku", "filename", "subject", "label", "status", "slug", "username",
    "body", "value", "provider", "url",
];

/// Picks up to three columns that tell rows apart at a glance, preferring familiar
/// names, then any short non-key, non-bookkeeping column.
pub fn display_columns(
    columns: &[ColumnInfo],
    primary_key: &[String],
    soft_delete: Option<&SoftDelete>,
    overrides: Option<&TableOverride>,
) -> Result<Vec<String>, String> {
    if let Some(wanted) = overrides.and_then(|o| o.display.as_ref()) {
        for name in wanted {
            if !columns.iter().any(|c| &c.name == name) {
                return Err(format!("display column `{name}` does not exist"));
            }
        }
        return Ok(wanted.clone());
    }
    let bookkeeping: Vec<&str> = soft_delete
        .map(|sd| {
            let mut v = vec![sd.marker.name.as_str()];
            v.extend(sd.time.as_ref().map(|t| t.name.as_str()));
            v.extend(sd.deleted_by.as_deref());
            v.extend(sd.reason.as_deref());
            v.extend(sd.token.as_deref());
            v
        })
        .unwrap_or_default();
    let eligible = |c: &&ColumnInfo| {
        !primary_key.contains(&c.name)
            && !bookkeeping.contains(&c.name.as_str())
            && c.kind != ColumnKind::Binary
    };
    let mut chosen: Vec<String> = Vec::new();
    for wanted in SUMMARY_NAMES {
        if let Some(c) = columns
            .iter()
            .filter(eligible)
            .find(|c| normalize(&c.name) == *wanted)
        {
            chosen.push(c.name.clone());
        }
        if chosen.len() == 3 {
            return Ok(chosen);
        }
    }
    for c in columns.iter().filter(eligible) {
        if chosen.len() == 3 {
            break;
        }
        let n = normalize(&c.name);
        if !chosen.contains(&c.name) && n != "createdat" && n != "updatedat" {
            chosen.push(c.name.clone());
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, kind: ColumnKind) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            sql_type: "x".into(),
            kind,
            nullable: true,
        }
    }

    #[test]
    fn detects_each_convention() {
        let ts = soft_delete(
            &[
                col("id", ColumnKind::Integer),
                col("deletedAt", ColumnKind::Timestamp { with_tz: true }),
            ],
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ts.convention, Convention::Timestamp);
        let flag = soft_delete(
            &[
                col("isDeleted", ColumnKind::Bool),
                col("deletedAt", ColumnKind::Timestamp { with_tz: false }),
            ],
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(flag.convention, Convention::Flag);
        assert_eq!(flag.time.unwrap().name, "deletedAt");
        let ms = soft_delete(&[col("deleted_at_ms", ColumnKind::Integer)], None)
            .unwrap()
            .unwrap();
        assert_eq!(ms.convention, Convention::EpochMillis);
        assert!(
            soft_delete(&[col("id", ColumnKind::Integer)], None)
                .unwrap()
                .is_none()
        );
        let discarded = soft_delete(
            &[col("discarded_at", ColumnKind::Timestamp { with_tz: true })],
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(discarded.marker.name, "discarded_at");
    }

    #[test]
    fn overrides_win_and_name_missing_columns() {
        let cols = [
            col("gone", ColumnKind::Integer),
            col("deleted_at", ColumnKind::Timestamp { with_tz: true }),
        ];
        let o = TableOverride {
            column: Some("gone".into()),
            convention: Some(Convention::EpochSeconds),
            ..TableOverride::default()
        };
        let sd = soft_delete(&cols, Some(&o)).unwrap().unwrap();
        assert_eq!(sd.convention, Convention::EpochSeconds);
        let bad = TableOverride {
            column: Some("nope".into()),
            ..TableOverride::default()
        };
        assert_eq!(
            soft_delete(&cols, Some(&bad)).unwrap_err(),
            "column `nope` does not exist"
        );
        let ignored = TableOverride {
            ignore: true,
            ..TableOverride::default()
        };
        assert!(soft_delete(&cols, Some(&ignored)).unwrap().is_none());
    }

    #[test]
    fn display_prefers_familiar_names() {
        let cols = [
            col("id", ColumnKind::Integer),
            col("created_at", ColumnKind::Timestamp { with_tz: true }),
            col("total", ColumnKind::Integer),
            col("email", ColumnKind::Text),
            col("deleted_at", ColumnKind::Timestamp { with_tz: true }),
        ];
        let sd = soft_delete(&cols, None).unwrap();
        let shown = display_columns(&cols, &["id".into()], sd.as_ref(), None).unwrap();
        assert_eq!(shown, vec!["email".to_string(), "total".to_string()]);
    }
}
