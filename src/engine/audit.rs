//! The audit log: one appended row per change, written inside the change's own
//! transaction so that a change and its record commit or vanish together.

use serde::{Deserialize, Serialize};

use super::error::EngineError;
use super::sql::{Binds, TableName};
use crate::db::{Backend, DbConn, rows};

/// Who is at the keyboard. The database role is recorded by the server itself (the
/// session's authenticated role, `session_user`, stamped by a trigger on PostgreSQL
/// whatever the client sends); this adds what only the bastion host knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub os_user: String,
    /// The SSH client's address, from `SSH_CONNECTION`, when the session came over SSH.
    pub ssh_client: Option<String>,
}

impl Actor {
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let user = set("USER")
            .or_else(|| set("LOGNAME"))
            .or_else(|| set("USERNAME"))
            .or_else(|| {
                set("HOME").and_then(|home| {
                    std::path::Path::new(&home)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                })
            })
            .unwrap_or_else(|| "unknown".to_owned());
        // Under sudo the person is the one who ran sudo.
        let os_user = match set("SUDO_USER") {
            Some(person) if person != user => format!("{person} (as {user})"),
            _ => user,
        };
        // "client_ip client_port server_ip server_port"
        let ssh_client = var("SSH_CONNECTION")
            .and_then(|c| c.split_whitespace().next().map(str::to_owned))
            .filter(|c| !c.is_empty());
        Self {
            os_user,
            ssh_client,
        }
    }

    /// The person at the keyboard: the OS user, or under sudo the one who ran sudo.
    /// Roles and the four-eyes rule go by this name.
    pub fn person(&self) -> &str {
        self.os_user
            .split_once(" (as ")
            .map_or(self.os_user.as_str(), |(person, _)| person)
    }

    /// `alice` or `alice from 10.0.0.7`, as shown to operators.
    pub fn describe(&self) -> String {
        match &self.ssh_client {
            Some(client) => format!("{} from {client}", self.os_user),
            None => self.os_user.clone(),
        }
    }
}

/// The OS account running the console: the passwd entry of the process's real uid
/// (`uid N` without one). Never from `USER`, `LOGNAME` or `HOME`, which anyone can set.
pub fn os_account() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid {uid}"),
    }
}

/// The role the server authenticated this session as (`session_user`); none on SQLite,
/// which has no roles, or when it cannot be read.
pub async fn session_role(conn: &mut DbConn) -> Option<String> {
    if conn.backend() != Backend::Postgres {
        return None;
    }
    rows::query(conn, "SELECT CAST(session_user AS TEXT)", &[])
        .await
        .ok()?
        .first()?
        .text(0)
}

/// The keys one change touched in one table, as recorded in the entry's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableKeys {
    pub table: String,
    pub key_columns: Vec<String>,
    pub rows: u64,
    /// At most [`KEYS_PER_TABLE`] keys; `rows` says how many there were.
    pub keys: Vec<Vec<String>>,
}

/// Keys recorded per table; a huge change records its counts and the first keys.
pub const KEYS_PER_TABLE: usize = 10_000;

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Actor,
    /// `restore`, `trash`, `undo restore`, …
    pub action: String,
    pub tables: Vec<TableKeys>,
    pub reason: Option<String>,
    pub job_id: Option<i64>,
    /// Facts of the action beyond its tables, e.g. a purge's scope and cutoff.
    pub context: Option<String>,
}

impl AuditEntry {
    pub fn row_count(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Where the log lives on each backend.
pub fn log_table(backend: Backend) -> TableName {
    match backend {
        Backend::Postgres => TableName::new(Some("trashcan"), "audit_log"),
        Backend::Sqlite => TableName::new(None, "trashcan_audit_log"),
    }
}

/// Appends `entry` on `conn`, inside whatever transaction `conn` is in; returns its id.
pub async fn record(conn: &mut DbConn, entry: &AuditEntry) -> Result<i64, EngineError> {
    let backend = conn.backend();
    let table = log_table(backend);
    let details = match &entry.context {
        Some(context) => serde_json::json!({ "tables": entry.tables, "context": context }),
        None => serde_json::json!({ "tables": entry.tables }),
    }
    .to_string();
    let names: Vec<String> = entry.tables.iter().map(|t| t.table.clone()).collect();
    let mut binds = Binds::new(backend);
    let values = [
        binds.push(entry.actor.os_user.clone()),
        binds.push_nullable(entry.actor.ssh_client.clone()),
        binds.push(entry.action.clone()),
        binds.push(names.join(", ")),
        format!(
            "CAST({} AS BIGINT)",
            binds.push(entry.row_count().to_string())
        ),
        binds.push_nullable(entry.reason.clone()),
        format!(
            "CAST({} AS BIGINT)",
            binds.push_nullable(entry.job_id.map(|id| id.to_string()))
        ),
        binds.push(details),
    ];
    let db_user = match backend {
        Backend::Postgres => "session_user",
        Backend::Sqlite => "''",
    };
    let sql = format!(
        "INSERT INTO {} (os_user, ssh_client, action, table_names, row_count, reason, job_id, \
         details, db_user) VALUES ({}, {db_user}) RETURNING CAST(id AS TEXT)",
        table.quoted(),
        values.join(", ")
    );
    let returned = rows::query_nullable(conn, &sql, &binds.into_nullable_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table))?;
    returned
        .first()
        .and_then(|row| row.int(0))
        .ok_or_else(|| EngineError::other("the audit log returned no id"))
}

/// PostgreSQL: whether the record `id` is in the log as `action` by `os_user`. After a
/// commit whose answer was lost, this tells whether the change it belongs to landed:
/// the record commits with the change, and a sequence never hands out an id twice.
pub async fn landed(
    conn: &mut DbConn,
    id: i64,
    action: &str,
    os_user: &str,
) -> Result<bool, EngineError> {
    let backend = conn.backend();
    let table = log_table(backend);
    let mut binds = Binds::new(backend);
    let sql = format!(
        "SELECT CAST(count(*) AS TEXT) FROM {} WHERE id = CAST({} AS BIGINT) AND action = {} \
         AND os_user = {}",
        table.quoted(),
        binds.push(id.to_string()),
        binds.push(action.to_owned()),
        binds.push(os_user.to_owned()),
    );
    let found = rows::query(conn, &sql, &binds.into_values())
        .await
        .map_err(|e| EngineError::from_query(e, &table))?;
    Ok(found.first().and_then(|r| r.int(0)).unwrap_or(0) > 0)
}

/// Whether the console's bookkeeping tables, the audit log among them, are installed:
/// changes are refused without them, since they could not be recorded.
pub async fn installed(conn: &mut DbConn) -> Result<bool, EngineError> {
    crate::db::migrate::console_installed(conn)
        .await
        .map_err(|e| EngineError::other(format!("cannot check for the audit log: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_os_account_is_the_real_uids_passwd_entry() {
        let id = std::process::Command::new("id")
            .arg("-run")
            .output()
            .expect("id(1)");
        let expected = String::from_utf8_lossy(&id.stdout).trim().to_owned();
        assert!(!expected.is_empty());
        assert_eq!(os_account(), expected);
    }

    #[test]
    fn actor_comes_from_user_and_ssh_connection() {
        let actor = Actor::from_vars(|name| match name {
            "USER" => Some("alice".into()),
            "SSH_CONNECTION" => Some("10.0.0.7 51234 10.0.0.1 22".into()),
            _ => None,
        });
        assert_eq!(actor.os_user, "alice");
        assert_eq!(actor.ssh_client.as_deref(), Some("10.0.0.7"));
        assert_eq!(actor.describe(), "alice from 10.0.0.7");
    }

    #[test]
    fn actor_falls_back_when_the_environment_is_empty() {
        let actor = Actor::from_vars(|name| (name == "LOGNAME").then(|| "bob".into()));
        assert_eq!(actor.describe(), "bob");
        assert_eq!(Actor::from_vars(|_| None).os_user, "unknown");
        let home = Actor::from_vars(|name| (name == "HOME").then(|| "/home/carol".into()));
        assert_eq!(home.os_user, "carol");
        let sudo = Actor::from_vars(|name| match name {
            "USER" => Some("root".into()),
            "SUDO_USER" => Some("dave".into()),
            _ => None,
        });
        assert_eq!(sudo.os_user, "dave (as root)");
        assert_eq!(
            sudo.person(),
            "dave",
            "roles go by the person, not the account"
        );
        assert_eq!(home.person(), "carol");
    }
}
