//! The records filter an operator types after `/`: words match text in the shown
//! columns and `deleted_by`; `>30d` / `<2h` bound the age. Everything typed becomes a
//! bound value, never SQL.

use crate::config::parse_duration;

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
