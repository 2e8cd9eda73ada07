//! The only place SQL text is assembled from names. Every identifier that reaches a
//! statement comes from the catalog and passes through [`quote_ident`]; values are bound.

use crate::db::Backend;

/// Quotes an identifier for both PostgreSQL and SQLite: wrap in double quotes and double
/// any embedded quote. NUL cannot appear in either engine's identifiers, so it is dropped
/// rather than allowed to truncate the statement.
pub fn quote_ident(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for ch in name.chars() {
        match ch {
            '"' => quoted.push_str("\"\""),
            '\0' => {}
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// A table's location. SQLite has no schemas here (attached databases are not browsed),
/// so `schema` is `None` there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableName {
    pub schema: Option<String>,
    pub name: String,
}

impl TableName {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        Self {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }

    /// The quoted, schema-qualified form for use in SQL.
    pub fn quoted(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&self.name)),
            None => quote_ident(&self.name),
        }
    }

    /// The form an operator reads and types, e.g. `public.users`.
    pub fn display(&self) -> String {
        match &self.schema {
            Some(schema) if schema != "public" => format!("{schema}.{}", self.name),
            _ => self.name.clone(),
        }
    }

    /// Matches a name as written in a config file or on the command line: `table`,
    /// or `schema.table` when a schema is given.
    pub fn matches(&self, written: &str) -> bool {
        match written.split_once('.') {
            Some((schema, name)) if self.schema.is_some() => {
                self.schema.as_deref() == Some(schema) && self.name == name
            }
            _ => self.name == written || self.display() == written,
        }
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Numbers bind placeholders as each backend expects: `$1` on PostgreSQL, `?1` on SQLite.
/// Using numbered placeholders on SQLite too keeps one builder for both.
#[derive(Debug)]
pub struct Binds {
    backend: Backend,
    values: Vec<Option<String>>,
}

impl Binds {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    /// Registers a text value and returns the placeholder that refers to it.
    pub fn push(&mut self, value: impl Into<String>) -> String {
        self.push_nullable(Some(value.into()))
    }

    /// Registers a value that may be NULL; only [`Binds::into_nullable_values`] keeps
    /// the NULL.
    pub fn push_nullable(&mut self, value: Option<String>) -> String {
        self.values.push(value);
        let n = self.values.len();
        match self.backend {
            Backend::Postgres => format!("${n}"),
            Backend::Sqlite => format!("?{n}"),
        }
    }

    /// The values for a statement without NULLs (see [`Binds::push`]).
    pub fn into_values(self) -> Vec<String> {
        self.values
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    }

    pub fn into_nullable_values(self) -> Vec<Option<String>> {
        self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Escapes LIKE wildcards so operator text matches literally; used with `ESCAPE '\'`.
pub fn like_contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_embedded_quotes_and_drops_nul() {
        assert_eq!(quote_ident("users"), "\"users\"");
        assert_eq!(quote_ident("weird \"name\""), "\"weird \"\"name\"\"\"");
        assert_eq!(quote_ident("a\0b"), "\"ab\"");
        assert_eq!(quote_ident("Ünïcode table"), "\"Ünïcode table\"");
    }

    #[test]
    fn qualified_names_quote_each_part() {
        let t = TableName::new(Some("my schema"), "Order");
        assert_eq!(t.quoted(), "\"my schema\".\"Order\"");
        assert_eq!(t.display(), "my schema.Order");
        assert!(t.matches("my schema.Order"));
        assert!(t.matches("Order"));
        assert!(!t.matches("other.Order"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn placeholders_follow_backend() {
        let mut pg = Binds::new(Backend::Postgres);
        assert_eq!(pg.push("a"), "$1");
        assert_eq!(pg.push("b"), "$2");
        let mut lite = Binds::new(Backend::Sqlite);
        assert_eq!(lite.push("a"), "?1");
        assert_eq!(lite.into_values(), vec!["a".to_string()]);
    }
}
