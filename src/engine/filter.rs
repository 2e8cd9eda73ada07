//! The records filter an operator types after `/`: words match text in the shown
//! columns and `deleted_by`; `>30d` / `<2h` bound the age. Everything typed becomes a
//! bound value, never SQL.

use crate::config::parse_duration;
use crate::db::Backend;
use crate::engine::catalog::{ColumnInfo, ColumnKind, TableInfo};
use crate::engine::expr;
use crate::engine::sql::{Binds, like_contains_pattern};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub words: Vec<String>,
    pub ages: Vec<AgeBound>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBound {
    /// `true` for `>N`: trashed longer ago than N.
    pub older_than: bool,
    pub seconds: u64,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.ages.is_empty()
    }

    pub fn parse(input: &str) -> Result<Filter, String> {
        let mut filter = Filter::default();
        for token in tokens(input) {
            let (older_than, rest) = match token.strip_prefix('>') {
                Some(rest) => (Some(true), rest),
                None => match token.strip_prefix('<') {
                    Some(rest) => (Some(false), rest),
                    None => (None, token.as_str()),
                },
            };
            match older_than {
                Some(older_than) if !rest.is_empty() => {
                    let d = parse_duration(rest).map_err(|e| format!("age filter {token}: {e}"))?;
                    filter.ages.push(AgeBound {
                        older_than,
                        seconds: d.as_secs(),
                    });
                }
                _ => filter.words.push(token),
            }
        }
        Ok(filter)
    }
}

impl Filter {
    /// The filter as `WHERE` conditions on the table under no alias: each word matches
    /// a shown column, `deleted_by` or the reason (case-insensitively), or is the row's
    /// key; each age bounds the deletion time. Every word is a bound value.
    pub fn conditions(
        &self,
        table: &TableInfo,
        backend: Backend,
        binds: &mut Binds,
    ) -> Vec<String> {
        let filter = self;
        let Some(sd) = table.soft_delete.as_ref() else {
            return Vec::new();
        };
        let mut searchable: Vec<&ColumnInfo> = table
            .display_columns
            .iter()
            .filter_map(|n| table.column(n))
            .filter(|c| c.kind.is_searchable())
            .collect();
        for extra in [sd.deleted_by.as_deref(), sd.reason.as_deref()]
            .into_iter()
            .flatten()
        {
            if let Some(c) = table.column(extra)
                && !searchable.iter().any(|s| s.name == c.name)
            {
                searchable.push(c);
            }
        }
        let like = match backend {
            Backend::Postgres => "ILIKE",
            Backend::Sqlite => "LIKE",
        };
        let mut out = Vec::new();
        for word in &filter.words {
            let mut any: Vec<String> = Vec::new();
            if !searchable.is_empty() {
                let placeholder = binds.push(like_contains_pattern(word));
                any.extend(searchable.iter().map(|c| {
                    format!(
                        "{} {like} {placeholder} ESCAPE '\\'",
                        expr::as_text(c, backend)
                    )
                }));
            }
            any.extend(key_match(table, word, backend, binds));
            if any.is_empty() {
                out.push("1 = 0".into());
            } else {
                out.push(format!("({})", any.join(" OR ")));
            }
        }
        let epoch = expr::deleted_epoch(sd, backend);
        for age in &filter.ages {
            let placeholder = binds.push(age.seconds.to_string());
            let seconds = match backend {
                Backend::Postgres => format!("CAST({placeholder} AS float8)"),
                Backend::Sqlite => format!("CAST({placeholder} AS REAL)"),
            };
            let op = if age.older_than { "<" } else { ">=" };
            out.push(format!(
                "{epoch} {op} ({} - {seconds})",
                expr::now_epoch(backend)
            ));
        }
        out
    }
}

/// The row whose key is `word` (`7`, a uuid, `7,42` for a two-column key), compared in
/// the key's own type so its index serves; nothing when the word cannot be such a key.
fn key_match(table: &TableInfo, word: &str, backend: Backend, binds: &mut Binds) -> Option<String> {
    let columns = table.key_columns();
    let parts: Vec<&str> = match columns.len() {
        0 => return None,
        1 => vec![word],
        n => {
            let parts: Vec<&str> = word.split(',').map(str::trim).collect();
            if parts.len() != n {
                return None;
            }
            parts
        }
    };
    let mut equal = Vec::new();
    for (column, value) in columns.iter().zip(parts) {
        let fits = match column.kind {
            ColumnKind::Integer => value.parse::<i64>().is_ok(),
            ColumnKind::Float | ColumnKind::Numeric => value.parse::<f64>().is_ok(),
            ColumnKind::Uuid => is_uuid(value),
            ColumnKind::Text => true,
            _ => false,
        };
        if !fits {
            return None;
        }
        let placeholder = binds.push(value.to_owned());
        equal.push(format!(
            "{} = {}",
            column.quoted(),
            column.cast_bind(backend, &placeholder)
        ));
    }
    Some(format!("({})", equal.join(" AND ")))
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Splits on white space, keeping "double quoted phrases" together.
fn tokens(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in input.chars() {
        match ch {
            '"' => {
                if quoted && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_ages_and_phrases() {
        let f = Filter::parse(r#"alice >30d "two words" <1y 50%_off"#).unwrap();
        assert_eq!(f.words, vec!["alice", "two words", "50%_off"]);
        assert_eq!(
            f.ages,
            vec![
                AgeBound {
                    older_than: true,
                    seconds: 30 * 86400
                },
                AgeBound {
                    older_than: false,
                    seconds: 31_557_600
                },
            ]
        );
        assert!(Filter::parse("").unwrap().is_empty());
    }

    #[test]
    fn bad_ages_are_reported() {
        let err = Filter::parse(">30x").unwrap_err();
        assert!(err.contains(">30x"), "{err}");
        // A lone `>` is just text.
        assert_eq!(Filter::parse(">").unwrap().words, vec![">"]);
    }
}
