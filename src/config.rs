//! The TOML config: conventions the catalog cannot guess, per-table overrides, relations
//! that exist only by convention, and console limits. Unknown keys are warned about by
//! name rather than rejected, so a config written for a newer version still loads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::engine::catalog::Convention;
use crate::error::UserError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub console: ConsoleSettings,
    pub related: RelatedSettings,
    pub changes: ChangeSettings,
    pub purge: PurgeSettings,
    pub supervision: SupervisionSettings,
    /// Settings for particular databases, the first whose `match` fits applying.
    pub databases: Vec<DatabaseSettings>,
    /// Keyed by `table` or `schema.table`.
    pub tables: BTreeMap<String, TableOverride>,
    pub relations: Vec<ExtraRelation>,
    pub implied: ImpliedSettings,
}

/// Relations the schema implies by column names (`user_id` beside `users`) but does not
/// declare.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ImpliedSettings {
    /// `table.column` pairs that only look like keys: no suggestion, no refusal.
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ConsoleSettings {
    /// Upper bound for any one statement the console runs, e.g. "30s".
    pub statement_timeout: String,
    pub lock_timeout: String,
    /// Rows per page in the records pane.
    pub page_size: u32,
    pub read_only: bool,
    pub default_retention_days: u32,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self {
            statement_timeout: "30s".into(),
            lock_timeout: "5s".into(),
            page_size: 200,
            read_only: false,
            default_retention_days: 30,
        }
    }
}

/// Related-count previews: how far to follow the graph and when to estimate first.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RelatedSettings {
    /// Children trashed within this long of their parent count as trashed with it (the
    /// same deletion group) when the schema keeps no deletion token. Shared with restore.
    pub recovery_window: String,
    /// Relation hops followed from the selected row.
    pub max_depth: u32,
    /// Paths counted per preview; the rest are reported as not counted.
    pub max_paths: u32,
    /// A path matching more rows than this is shown as a planner estimate (`~`) first.
    pub scan_budget: u64,
    /// Count over-budget paths exactly in the background; otherwise only on `c`.
    pub exact_in_background: bool,
    /// PostgreSQL: the first pass counts every path at once within this time; slower
    /// paths show an estimate until counted exactly.
    pub quick_timeout: String,
    /// Connections one preview counts on at the same time (PostgreSQL).
    pub connections: u32,
}

impl Default for RelatedSettings {
    fn default() -> Self {
        Self {
            recovery_window: "2m".into(),
            max_depth: 6,
            max_paths: 64,
            scan_budget: 100_000,
            exact_in_background: true,
            quick_timeout: "80ms".into(),
            connections: 2,
        }
    }
}

/// Restores and moves to trash.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ChangeSettings {
    /// The most rows one restore or move to trash may change: the rows are read into
    /// memory for the preview and written in one transaction.
    pub max_rows: u64,
}

impl Default for ChangeSettings {
    fn default() -> Self {
        Self { max_rows: 100_000 }
    }
}

/// Supervised purges: thresholds that escalate, and how batches start out.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct PurgeSettings {
    /// Above this many rows a purge needs a reason.
    pub reason_above: u64,
    /// Above this many rows a purge needs a second operator's approval.
    pub approval_above: u64,
    /// Plans larger than this are refused.
    pub max_rows: u64,
    /// Rows per batch at the start; adaptive sizing moves it toward `target_batch`.
    pub batch_size: u32,
    /// The batch latency adaptive sizing aims for.
    pub target_batch: String,
    /// Pause between batches.
    pub sleep: String,
    /// Hold off while the slowest replica lags more than this ("0s" or "" turns it off).
    pub max_replication_lag: String,
    /// Hold off while more sessions than this wait on locks (negative turns it off).
    pub max_lock_waits: i64,
}

impl Default for PurgeSettings {
    fn default() -> Self {
        Self {
            reason_above: 1_000,
            approval_above: 10_000,
            max_rows: 10_000_000,
            batch_size: 1_000,
            target_batch: "100ms".into(),
            sleep: "0s".into(),
            max_replication_lag: "30s".into(),
            max_lock_waits: 10,
        }
    }
}

/// Settings for the databases whose connection matches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    /// A part of the connection as the status bar shows it, without the password:
    /// `postgres://user@host:port/db`, or `sqlite:/path/to/file`.
    #[serde(rename = "match")]
    pub matches: String,
    /// What to call it in the status bar.
    pub name: Option<String>,
    /// Open it read-only, enforced by the server, whatever the command line says.
    pub read_only: bool,
    /// Mark it in red in the status bar.
    pub production: bool,
}

/// Who may do what, by OS user (the person, under sudo the one who ran it).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SupervisionSettings {
    /// OS user → role. Empty: everyone is an operator (and nobody can approve). Once
    /// anyone is listed, users not listed are viewers.
    pub roles: BTreeMap<String, Role>,
    /// How long an approval stays good for starting the job.
    pub approval_expires: String,
}

impl Default for SupervisionSettings {
    fn default() -> Self {
        Self {
            roles: BTreeMap::new(),
            approval_expires: "24h".into(),
        }
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Browse only: the session is read-only.
    Viewer,
    /// Trash, restore and purge; large purges wait for a supervisor.
    Operator,
    /// An operator who may also approve other users' large purges.
    Supervisor,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TableOverride {
    /// The column that marks a row trashed.
    pub column: Option<String>,
    pub convention: Option<Convention>,
    /// For flags: the column saying when. A column not named like a deletion time
    /// (`updated_at`) is a proxy, and a purge says so.
    pub time_column: Option<String>,
    pub display: Option<Vec<String>>,
    pub retention_days: Option<u32>,
    /// Leave this table out even though it looks soft-deleting.
    pub ignore: bool,
    /// Take a history table (`*_versions`, `*_history`, `*_audits`) for a trash bin
    /// after all: detection leaves them out, since their flags copy other rows'.
    pub include: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraRelation {
    pub child: String,
    pub child_columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
}

/// A loaded config and what in it was not understood.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    pub config: Config,
    pub warnings: Vec<String>,
}

impl Config {
    pub fn parse(text: &str, origin: &str) -> Result<(Self, Vec<String>), UserError> {
        let mut unknown = Vec::new();
        let deserializer =
            toml::Deserializer::parse(text).map_err(|e| toml_error(origin, text, &e))?;
        let config: Config = serde_ignored::deserialize(deserializer, |path| {
            unknown.push(path.to_string());
        })
        .map_err(|e: toml::de::Error| toml_error(origin, text, &e))?;
        let warnings: Vec<String> = unknown
            .into_iter()
            .map(|key| format!("{origin}: unknown key `{key}` ignored"))
            .collect();
        config.validate(origin)?;
        Ok((config, warnings))
    }

    fn validate(&self, origin: &str) -> Result<(), UserError> {
        parse_duration(&self.console.statement_timeout)
            .map_err(|e| UserError::new(format!("{origin}: console.statement_timeout: {e}")))?;
        parse_duration(&self.console.lock_timeout)
            .map_err(|e| UserError::new(format!("{origin}: console.lock_timeout: {e}")))?;
        if self.console.page_size == 0 || self.console.page_size > 10_000 {
            return Err(UserError::new(format!(
                "{origin}: console.page_size must be between 1 and 10000"
            )));
        }
        parse_duration(&self.related.recovery_window)
            .map_err(|e| UserError::new(format!("{origin}: related.recovery_window: {e}")))?;
        parse_duration(&self.related.quick_timeout)
            .map_err(|e| UserError::new(format!("{origin}: related.quick_timeout: {e}")))?;
        if !(1..=32).contains(&self.related.max_depth) {
            return Err(UserError::new(format!(
                "{origin}: related.max_depth must be between 1 and 32"
            )));
        }
        if !(1..=4).contains(&self.related.connections) {
            return Err(UserError::new(format!(
                "{origin}: related.connections must be between 1 and 4"
            )));
        }
        if !(1..=1000).contains(&self.related.max_paths) || self.related.scan_budget == 0 {
            return Err(UserError::new(format!(
                "{origin}: related.max_paths must be between 1 and 1000, and related.scan_budget above 0"
            )));
        }
        parse_duration(&self.purge.target_batch)
            .map_err(|e| UserError::new(format!("{origin}: purge.target_batch: {e}")))?;
        if let Some(i) = self
            .databases
            .iter()
            .position(|d| d.matches.trim().is_empty())
        {
            return Err(UserError::new(format!(
                "{origin}: databases entry {} needs a non-empty `match` (part of the \
                 connection, e.g. \"db.internal:5432/app\")",
                i + 1
            )));
        }
        parse_duration(&self.supervision.approval_expires)
            .map_err(|e| UserError::new(format!("{origin}: supervision.approval_expires: {e}")))?;
        parse_duration(&self.purge.sleep)
            .map_err(|e| UserError::new(format!("{origin}: purge.sleep: {e}")))?;
        if !self.purge.max_replication_lag.trim().is_empty() {
            parse_duration(&self.purge.max_replication_lag)
                .map_err(|e| UserError::new(format!("{origin}: purge.max_replication_lag: {e}")))?;
        }
        if !(10..=50_000).contains(&self.purge.batch_size) {
            return Err(UserError::new(format!(
                "{origin}: purge.batch_size must be between 10 and 50000"
            )));
        }
        if self.purge.reason_above > self.purge.approval_above {
            return Err(UserError::new(format!(
                "{origin}: purge.reason_above must not exceed purge.approval_above"
            )));
        }
        if !(1..=10_000_000).contains(&self.changes.max_rows) {
            return Err(UserError::new(format!(
                "{origin}: changes.max_rows must be between 1 and 10000000"
            )));
        }
        for (i, rel) in self.relations.iter().enumerate() {
            if rel.child_columns.is_empty() || rel.child_columns.len() != rel.parent_columns.len() {
                return Err(UserError::new(format!(
                    "{origin}: relations[{i}] ({} → {}) needs the same, non-zero number of child and parent columns",
                    rel.child, rel.parent
                )));
            }
        }
        Ok(())
    }

    pub fn recovery_window(&self) -> Duration {
        parse_duration(&self.related.recovery_window).unwrap_or(Duration::from_secs(120))
    }

    /// Options for a restore or move to trash: the related-count graph limits and group
    /// rule, with the change's own size limit.
    pub fn change_options(
        &self,
        with_group: bool,
        with_ancestors: bool,
    ) -> crate::engine::change::ChangeOptions {
        crate::engine::change::ChangeOptions {
            with_group,
            with_ancestors,
            leave_blocked: false,
            recovery_window: self.recovery_window(),
            max_rows: self.changes.max_rows,
            ignore_implied: false,
        }
    }

    /// Purge options with `older_than` (else each table's retention).
    pub fn purge_options(
        &self,
        older_than: Option<Duration>,
    ) -> crate::engine::purge::PurgeOptions {
        crate::engine::purge::PurgeOptions {
            older_than,
            default_retention_days: self.console.default_retention_days,
            max_rows: self.purge.max_rows,
            reason_above: self.purge.reason_above,
            approval_above: self.purge.approval_above,
            batch_size: self.purge.batch_size,
            sleep: parse_duration(&self.purge.sleep).unwrap_or_default(),
            purge_live: false,
            purge_young: false,
            ignore_age: Vec::new(),
            ignore_implied: false,
        }
    }

    /// When a purge holds off between batches.
    pub fn purge_limits(&self) -> crate::engine::purge::Limits {
        crate::engine::purge::Limits {
            max_replication_lag: parse_duration(&self.purge.max_replication_lag)
                .ok()
                .filter(|d| !d.is_zero()),
            max_lock_waits: u32::try_from(self.purge.max_lock_waits).ok(),
        }
    }

    /// How a purge's batches start out.
    pub fn purge_tuning(&self) -> crate::engine::purge::Tuning {
        crate::engine::purge::Tuning {
            batch_size: self.purge.batch_size,
            sleep: parse_duration(&self.purge.sleep).unwrap_or_default(),
            adaptive: true,
            target: parse_duration(&self.purge.target_batch).unwrap_or(Duration::from_millis(100)),
        }
    }

    /// The settings of the database shown as `display`: the first entry it matches.
    pub fn database(&self, display: &str) -> Option<&DatabaseSettings> {
        self.databases
            .iter()
            .find(|d| display.contains(d.matches.trim()))
    }

    /// The role of `person` (an OS user name, as `Actor::person` gives it).
    pub fn role_of(&self, person: &str) -> Role {
        let roles = &self.supervision.roles;
        if roles.is_empty() {
            return Role::Operator;
        }
        roles.get(person).copied().unwrap_or(Role::Viewer)
    }

    pub fn approval_expires(&self) -> Duration {
        parse_duration(&self.supervision.approval_expires).unwrap_or(Duration::from_secs(24 * 3600))
    }

    pub fn quick_timeout(&self) -> Duration {
        parse_duration(&self.related.quick_timeout).unwrap_or(Duration::from_millis(80))
    }

    pub fn statement_timeout(&self) -> Duration {
        parse_duration(&self.console.statement_timeout).unwrap_or(Duration::from_secs(30))
    }

    pub fn lock_timeout(&self) -> Duration {
        parse_duration(&self.console.lock_timeout).unwrap_or(Duration::from_secs(5))
    }

    /// The override for a table, matched by `schema.table` first, then bare name.
    pub fn table(&self, name: &crate::engine::sql::TableName) -> Option<&TableOverride> {
        let qualified = name.schema.as_ref().map(|s| format!("{s}.{}", name.name));
        qualified
            .and_then(|q| self.tables.get(&q))
            .or_else(|| self.tables.get(&name.name))
    }
}

/// Loads `--config`, else `$XDG_CONFIG_HOME/trashcan/config.toml` if it exists, else
/// defaults. An explicit path that does not exist is an error; a missing default is not.
pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig, UserError> {
    let path = match explicit {
        Some(p) => {
            if !p.exists() {
                return Err(UserError::new(format!(
                    "config file {} does not exist",
                    p.display()
                )));
            }
            p.to_path_buf()
        }
        None => match default_path() {
            Some(p) if p.exists() => p,
            _ => return Ok(LoadedConfig::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| UserError::new(format!("cannot read config {}: {e}", path.display())))?;
    let (config, warnings) = Config::parse(&text, &path.display().to_string())?;
    Ok(LoadedConfig { config, warnings })
}

pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "trashcan").map(|d| d.config_dir().join("config.toml"))
}

/// Accepts `30s`, `5m`, `2h`, `30d`, `1w`, `1y`, and combinations such as `1h 30m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty duration".into());
    }
    if trimmed.starts_with('-') {
        return Err(format!(
            "`{trimmed}` is negative; durations must be positive"
        ));
    }
    humantime::parse_duration(trimmed)
        .map_err(|e| format!("`{trimmed}` is not a duration ({e}); try 30s, 5m, 2h or 30d"))
}

fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> UserError {
    let location = e
        .span()
        .map(|span| {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" at line {line}")
        })
        .unwrap_or_default();
    UserError::new(format!(
        "{origin}: invalid config{location}: {}",
        e.message()
    ))
    .hint("see assets/config.example.toml for the accepted keys")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_config_parses_without_warnings() {
        let text = include_str!("../assets/config.example.toml");
        let (config, warnings) = Config::parse(text, "sample").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.relations.len(), 1);
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let err = Config::parse("[console]\npage_size = 10\nbroken = = 3\n", "c.toml").unwrap_err();
        assert!(err.message.contains("line 3"), "{}", err.message);
    }

    #[test]
    fn wrong_types_and_bad_durations_are_errors() {
        let err = Config::parse("[console]\npage_size = \"ten\"\n", "c.toml").unwrap_err();
        assert!(err.message.contains("line 2"), "{}", err.message);
        let err = Config::parse("[console]\nstatement_timeout = \"30x\"\n", "c.toml").unwrap_err();
        assert!(err.message.contains("statement_timeout"), "{}", err.message);
        let err = Config::parse("[tables.users]\nretention_days = -3\n", "c.toml").unwrap_err();
        assert!(err.message.contains("line 2"), "{}", err.message);
    }

    #[test]
    fn unknown_keys_warn_by_name() {
        let (_, warnings) = Config::parse("[console]\npage_sise = 10\n", "c.toml").unwrap();
        assert_eq!(
            warnings,
            vec!["c.toml: unknown key `console.page_sise` ignored".to_string()]
        );
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("30d").unwrap(),
            Duration::from_secs(30 * 86400)
        );
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("-1d").is_err());
        assert!(parse_duration("30x").is_err());
    }

    #[test]
    fn roles_come_from_the_config() {
        let (open, _) = Config::parse("", "c.toml").unwrap();
        assert_eq!(
            open.role_of("anyone"),
            Role::Operator,
            "no roles: all operate"
        );
        let (config, warnings) = Config::parse(
            "[supervision]\napproval_expires = \"2h\"\n[supervision.roles]\n\
             alice = \"supervisor\"\nbob = \"operator\"\n",
            "c.toml",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.role_of("alice"), Role::Supervisor);
        assert_eq!(config.role_of("bob"), Role::Operator);
        assert_eq!(config.role_of("mallory"), Role::Viewer, "unlisted: viewer");
        assert_eq!(config.approval_expires(), Duration::from_secs(7200));
        let err = Config::parse("[supervision.roles]\neve = \"boss\"\n", "c.toml").unwrap_err();
        assert!(
            err.message.contains("boss") && err.message.contains("supervisor"),
            "{}",
            err.message
        );
        let err =
            Config::parse("[supervision]\napproval_expires = \"1x\"\n", "c.toml").unwrap_err();
        assert!(err.message.contains("approval_expires"), "{}", err.message);
    }

    #[test]
    fn database_settings_apply_to_the_matching_connection() {
        let (config, _) = Config::parse(
            "[[databases]]\nmatch = \"db.internal:5432/app\"\nname = \"app prod\"\n\
             production = true\nread_only = true\n\n[[databases]]\nmatch = \"/app\"\n",
            "c.toml",
        )
        .unwrap();
        let prod = config
            .database("postgres://alice@db.internal:5432/app")
            .unwrap();
        assert!(prod.production && prod.read_only);
        assert_eq!(prod.name.as_deref(), Some("app prod"));
        let other = config
            .database("postgres://alice@db.staging:5432/app")
            .unwrap();
        assert!(!other.production, "the first entry that fits applies");
        assert!(config.database("sqlite:/tmp/demo.sqlite3").is_none());
        let err = Config::parse("[[databases]]\nproduction = true\n", "c.toml").unwrap_err();
        assert!(err.message.contains("match"), "{}", err.message);
    }
}
