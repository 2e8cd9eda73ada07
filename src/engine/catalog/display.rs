//! Choosing the summary columns the records pane shows beside key and age.

use super::conventions::normalize;
use super::model::{ColumnInfo, ColumnKind, SoftDelete};
use crate::config::TableOverride;

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
    use crate::engine::catalog::model::Convention;

    fn col(name: &str, kind: ColumnKind) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            sql_type: "x".into(),
            kind,
            nullable: true,
        }
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
        let sd = SoftDelete {
            convention: Convention::Timestamp,
            marker: cols[4].clone(),
            time: Some(cols[4].clone()),
            time_is_proxy: false,
            deleted_by: None,
            reason: None,
            token: None,
        };
        let shown = display_columns(&cols, &["id".into()], Some(&sd), None).unwrap();
        assert_eq!(shown, vec!["email".to_string(), "total".to_string()]);
    }
}
