//! Who did it, as the server knows it (PostgreSQL): every audit row and purge job
//! records the session's authenticated role (`session_user`), stamped by the server,
//! whatever the client sends and whichever role the session switched to on login.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use std::time::Duration;

use common::{PgDb, RoleGuard};
use purge_db::*;
use trashcan::db::{DbPool, DbTarget, SessionSettings, rows};
use trashcan::engine::audit::{self, AuditEntry};
use trashcan::engine::catalog::Catalog;
use trashcan::engine::purge::{self, Scope};
use trashcan::engine::sql::TableName;

const NOTES: &str = "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, deleted_at TIMESTAMPTZ);
INSERT INTO notes VALUES (1, 'a', '2020-01-01'), (2, 'b', '2020-01-01'), (3, 'c', NULL);";

#[tokio::test(flavor = "multi_thread")]
async fn the_server_records_the_authenticated_role() {
    let Some(pg) = PgDb::create("identity").await else {
        return;
    };
    let (db_name, db_url) = (pg.name.clone(), pg.url.clone());
    let db = Db::postgres(pg).await;
    db.exec(NOTES).await;
    // A login role that becomes a shared owner role as it logs in: `current_user` is
    // then the owner for everyone, `session_user` the person.
    let suffix = db_name.trim_start_matches("trashcan_test_identity_");
    let (person, owner) = (format!("tcid_p_{suffix}"), format!("tcid_o_{suffix}"));
    common::admin_exec(&format!(
        "CREATE ROLE \"{owner}\" NOLOGIN; CREATE ROLE \"{person}\" LOGIN IN ROLE \"{owner}\";"
    ))
    .await;
    let _guards = [
        RoleGuard {
            role: person.clone(),
            db_url: db_url.clone(),
        },
        RoleGuard {
            role: owner.clone(),
            db_url: db_url.clone(),
        },
    ];
    db.exec(&format!(
        "GRANT USAGE ON SCHEMA public, trashcan TO \"{owner}\";
         GRANT ALL ON ALL TABLES IN SCHEMA public, trashcan TO \"{owner}\";
         GRANT ALL ON ALL SEQUENCES IN SCHEMA trashcan TO \"{owner}\";
         ALTER ROLE \"{person}\" IN DATABASE \"{db_name}\" SET role = '{owner}';"
    ))
    .await;
    let url = format!("postgres://{person}@127.0.0.1:5432/{db_name}?sslmode=disable");
    let pool = DbPool::connect(&DbTarget::parse(&url).unwrap(), &SessionSettings::default())
        .await
        .unwrap();
    let mut conn = pool.get().await.unwrap();
    let who = rows::query(&mut conn, "SELECT CAST(current_user AS TEXT)", &[])
        .await
        .unwrap();
    assert_eq!(
        who[0].text(0).as_deref(),
        Some(owner.as_str()),
        "logged in as the owner"
    );

    // Through the console: the audit row names the person.
    let entry = AuditEntry {
        actor: actor(),
        action: "restore".into(),
        tables: Vec::new(),
        reason: None,
        job_id: None,
        context: None,
    };
    let id = audit::record(&mut conn, &entry).await.unwrap();
    let recorded = |sql: String| {
        let db = &db;
        async move { db.scalar(&sql).await }
    };
    assert_eq!(
        recorded(format!(
            "SELECT db_user FROM trashcan.audit_log WHERE id = {id}"
        ))
        .await,
        person
    );

    // Written by hand, naming someone else: the server puts the person back.
    rows::execute(
        &mut conn,
        "INSERT INTO trashcan.audit_log (os_user, action, db_user) VALUES ('boss', 'forged', 'boss')",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        recorded("SELECT db_user FROM trashcan.audit_log WHERE action = 'forged'".into()).await,
        person
    );

    // A purge job: planned under the person, and it stays theirs.
    let catalog = Catalog::load(&mut conn, &config("")).await.unwrap();
    let notes = TableName::new(Some("public"), "notes");
    let plan = purge::plan(
        &mut conn,
        &catalog,
        &Scope::Table(notes),
        &options(100, Duration::ZERO),
        &actor(),
        None,
        true,
    )
    .await
    .unwrap();
    let job = plan.job_id.unwrap();
    rows::execute(
        &mut conn,
        &format!("UPDATE trashcan.purge_jobs SET db_user = 'boss' WHERE id = {job}"),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        recorded(format!(
            "SELECT db_user FROM trashcan.purge_jobs WHERE id = {job}"
        ))
        .await,
        person
    );
    let planned_by = recorded(format!(
        "SELECT db_user FROM trashcan.audit_log WHERE job_id = {job} AND action = 'purge plan'"
    ))
    .await;
    assert_eq!(planned_by, person);
}
