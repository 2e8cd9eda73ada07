//! The audit log is append-only even from the console's own session: an UPDATE or a
//! DELETE on it is refused by the database, on both backends, and the entry stays as
//! written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[macro_use]
mod purge_db;

use common::PgDb;
use purge_db::*;
use trashcan::db::rows;
use trashcan::engine::audit::{self, AuditEntry};

async fn edits_are_refused(db: &Db) {
    let mut conn = db.conn().await;
    let entry = AuditEntry {
        actor: actor(),
        action: "restore".into(),
        tables: Vec::new(),
        reason: Some("as written".into()),
        job_id: None,
        context: None,
    };
    let id = audit::record(&mut conn, &entry).await.unwrap();
    let log = db.audit_table();
    for sql in [
        format!("UPDATE {log} SET reason = 'rewritten' WHERE id = {id}"),
        format!("DELETE FROM {log} WHERE id = {id}"),
        format!("UPDATE {log} SET os_user = 'someone else'"),
        format!("DELETE FROM {log}"),
    ] {
        let err = rows::execute(&mut conn, &sql, &[]).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        db.strings(&format!("SELECT os_user || '|' || reason FROM {log}"))
            .await,
        vec!["tester|as written".to_owned()]
    );
}

on_both!(
    edits_are_refused,
    edits_are_refused_sqlite,
    edits_are_refused_postgres
);
