//! Catalog discovery against real databases: every convention, composite and missing
//! primary keys, self-references, composite deferrable FKs, two schemas, odd names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PgDb, SqliteDb, conn};
use trashcan::config::Config;
use trashcan::engine::catalog::{Catalog, Convention, FkAction, Relation};
use trashcan::engine::sql::TableName;

const PG_SCHEMA: &str = r#"
CREATE SCHEMA billing;
CREATE TABLE accounts (tenant_id int, id int, name text, deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id));
CREATE TABLE "weird ""name""" (id bigint PRIMARY KEY, "Mixed Case" text, "deletedAt" timestamp);
CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes(id), label text,
    discarded_at timestamptz);
CREATE TABLE billing.invoices (id int PRIMARY KEY, tenant_id int, account_id int,
    "isDeleted" boolean NOT NULL DEFAULT false, "deletedAt" timestamptz,
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE billing.accounts (id int PRIMARY KEY, deleted_at timestamptz);
CREATE TABLE events (at_ms bigint, payload text, deleted_at_ms bigint NOT NULL DEFAULT 0);
CREATE TABLE plain (id int PRIMARY KEY, note text);
CREATE TABLE a (id int PRIMARY KEY, b_id int, deleted_at timestamptz);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id), deleted_at timestamptz);
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id) ON DELETE SET NULL;
"#;

const SQLITE_SCHEMA: &str = r#"
CREATE TABLE accounts (tenant_id INTEGER, id INTEGER, name TEXT, deleted_at TIMESTAMP,
    PRIMARY KEY (tenant_id, id));
CREATE TABLE "weird ""name""" (id INTEGER PRIMARY KEY, "Mixed Case" TEXT, "deletedAt" DATETIME);
CREATE TABLE nodes (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES nodes(id), label TEXT,
    discarded_at TIMESTAMP);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, tenant_id INTEGER, account_id INTEGER,
    "isDeleted" BOOLEAN NOT NULL DEFAULT 0, "deletedAt" TIMESTAMP,
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE);
CREATE TABLE events (at_ms INTEGER, payload TEXT, deleted_at_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE plain (id INTEGER PRIMARY KEY, note TEXT);
CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id) ON DELETE SET NULL, deleted_at TIMESTAMP);
CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a, deleted_at TIMESTAMP);
"#;

/// The one relation whose child is `child`.
fn relation_from<'a>(catalog: &'a Catalog, child: &TableName) -> &'a Relation {
    catalog
        .relations
        .iter()
        .find(|r| &r.child == child)
        .unwrap()
}

fn names(catalog: &Catalog) -> Vec<String> {
    catalog
        .soft_delete_tables()
        .map(|t| t.name.display())
        .collect()
}

/// Checks shared by both backends; `schema` is the default schema's name, if any.
fn check_common(catalog: &Catalog, schema: Option<&str>) {
    let t = |name: &str| TableName::new(schema, name);
    let soft = names(catalog);
    for expected in ["accounts", "weird \"name\"", "nodes", "events", "a", "b"] {
        assert!(
            soft.contains(&expected.to_string()),
            "{expected} missing from {soft:?}"
        );
    }
    assert!(
        !soft.contains(&"plain".to_string()),
        "plain does not soft-delete"
    );

    let accounts = catalog.table(&t("accounts")).unwrap();
    assert_eq!(accounts.primary_key, vec!["tenant_id", "id"]);
    assert_eq!(
        accounts.soft_delete.as_ref().unwrap().convention,
        Convention::Timestamp
    );

    let weird = catalog.table(&t("weird \"name\"")).unwrap();
    let sd = weird.soft_delete.as_ref().unwrap();
    assert_eq!(sd.marker.name, "deletedAt");
    assert!(weird.display_columns.contains(&"Mixed Case".to_string()));

    let nodes = catalog.table(&t("nodes")).unwrap();
    assert_eq!(
        nodes.soft_delete.as_ref().unwrap().marker.name,
        "discarded_at"
    );
    let self_ref = catalog
        .relations
        .iter()
        .position(|r| r.child == t("nodes") && r.parent == t("nodes"))
        .expect("self-reference found");
    assert!(catalog.graph.is_cyclic(self_ref));

    let events = catalog.table(&t("events")).unwrap();
    assert_eq!(
        events.soft_delete.as_ref().unwrap().convention,
        Convention::EpochMillis
    );
    assert_eq!(events.read_only_reason(), Some("no primary key"));

    let mutual: Vec<_> = catalog
        .relations
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            (r.child == t("a") && r.parent == t("b")) || (r.child == t("b") && r.parent == t("a"))
        })
        .collect();
    assert_eq!(mutual.len(), 2);
    assert!(mutual.iter().all(|(i, _)| catalog.graph.is_cyclic(*i)));
    let a_to_b = mutual.iter().find(|(_, r)| r.child == t("a")).unwrap().1;
    assert_eq!(a_to_b.on_delete, FkAction::SetNull);
    let b_to_a = mutual.iter().find(|(_, r)| r.child == t("b")).unwrap().1;
    assert_eq!(
        b_to_a.parent_columns,
        vec!["id"],
        "implicit REFERENCES a resolves to a's key"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_discovers_conventions_keys_and_relations() {
    let Some(db) = PgDb::create("catalog").await else {
        return;
    };
    db.exec(PG_SCHEMA).await;
    let pool = db.pool().await;
    let mut c = conn(&pool).await;
    let catalog = Catalog::load(&mut c, &Config::default()).await.unwrap();
    check_common(&catalog, Some("public"));

    let invoices = catalog
        .table(&TableName::new(Some("billing"), "invoices"))
        .unwrap();
    let sd = invoices.soft_delete.as_ref().unwrap();
    assert_eq!(sd.convention, Convention::Flag);
    assert_eq!(sd.time.as_ref().unwrap().name, "deletedAt");
    let fk = relation_from(&catalog, &invoices.name);
    assert_eq!(fk.child_columns, vec!["tenant_id", "account_id"]);
    assert_eq!(fk.parent_columns, vec!["tenant_id", "id"]);
    assert_eq!(fk.parent, TableName::new(Some("public"), "accounts"));
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert!(fk.deferrable);
    // Same table name in two schemas stays two tables.
    assert!(
        catalog
            .table(&TableName::new(Some("billing"), "accounts"))
            .is_some()
    );
    assert!(
        catalog
            .table(&TableName::new(Some("public"), "accounts"))
            .is_some()
    );
    // Children come before their parents in the delete order.
    let order = catalog.graph.children_first(&catalog.relations);
    let pos = |n: &TableName| order.iter().position(|t| t == n).unwrap();
    assert!(pos(&invoices.name) < pos(&TableName::new(Some("public"), "accounts")));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_discovers_conventions_keys_and_relations() {
    let db = SqliteDb::create();
    db.exec(SQLITE_SCHEMA).await;
    let pool = db.pool().await;
    let mut c = conn(&pool).await;
    let catalog = Catalog::load(&mut c, &Config::default()).await.unwrap();
    check_common(&catalog, None);
    let invoices = catalog.table(&TableName::new(None, "invoices")).unwrap();
    assert_eq!(
        invoices.soft_delete.as_ref().unwrap().convention,
        Convention::Flag
    );
    let fk = relation_from(&catalog, &invoices.name);
    assert_eq!(fk.child_columns, vec!["tenant_id", "account_id"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_overrides_and_extra_relations_apply() {
    let db = SqliteDb::create();
    db.exec(SQLITE_SCHEMA).await;
    let (config, warnings) = Config::parse(
        r#"
[tables.plain]
column = "note"
convention = "timestamp"

[tables.nodes]
ignore = true

[tables.ghost]
retention_days = 3

[[relations]]
child = "events"
child_columns = ["at_ms"]
parent = "plain"
parent_columns = ["id"]

[[relations]]
child = "events"
child_columns = ["nope"]
parent = "plain"
parent_columns = ["id"]
"#,
        "test.toml",
    )
    .unwrap();
    assert!(warnings.is_empty());
    let pool = db.pool().await;
    let mut c = conn(&pool).await;
    let catalog = Catalog::load(&mut c, &config).await.unwrap();
    let soft = names(&catalog);
    assert!(soft.contains(&"plain".to_string()));
    assert!(!soft.contains(&"nodes".to_string()));
    let extra = catalog
        .relations
        .iter()
        .find(|r| !r.declared)
        .expect("config relation added");
    assert_eq!(extra.child.name, "events");
    assert!(
        catalog.warnings.iter().any(|w| w.contains("ghost")),
        "{:?}",
        catalog.warnings
    );
    assert!(
        catalog.warnings.iter().any(|w| w.contains("events.nope")),
        "{:?}",
        catalog.warnings
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_tables_without_select_permission_are_marked() {
    let Some(db) = PgDb::create("perm").await else {
        return;
    };
    let role = format!("{}_viewer", db.name);
    db.exec(&format!(
        "CREATE TABLE secret (id int PRIMARY KEY, deleted_at timestamptz);
         CREATE TABLE open (id int PRIMARY KEY, deleted_at timestamptz);
         INSERT INTO secret VALUES (1, now());
         DROP ROLE IF EXISTS \"{role}\"; CREATE ROLE \"{role}\" LOGIN;
         GRANT SELECT ON open TO \"{role}\";"
    ))
    .await;
    let url = db.url.replace("postgres@", &format!("{role}@"));
    let target = trashcan::db::DbTarget::parse(&url).unwrap();
    let pool = trashcan::db::DbPool::connect(&target, &Default::default())
        .await
        .unwrap();
    let mut c = conn(&pool).await;
    let catalog = Catalog::load(&mut c, &Config::default()).await.unwrap();
    let secret = catalog
        .table(&TableName::new(Some("public"), "secret"))
        .unwrap();
    assert_eq!(secret.read_only_reason(), Some("no SELECT permission"));
    let open = catalog
        .table(&TableName::new(Some("public"), "open"))
        .unwrap();
    assert_eq!(open.read_only_reason(), Some("no UPDATE/DELETE permission"));
    // Reading the forbidden table is a classified error, not a crash.
    let err = trashcan::engine::trash::table_stats(&mut c, secret, 30)
        .await
        .unwrap_err();
    assert_eq!(err.kind, trashcan::engine::ErrorKind::Permission, "{err}");
    drop(c);
    drop(pool);
    db.exec(&format!("DROP OWNED BY \"{role}\"")).await;
    common::admin_exec(&format!("DROP ROLE IF EXISTS \"{role}\"")).await;
}
