//! The corpus of real application schemas (`tests/corpus/<app>`): loading one, filling
//! it with consistent data, and the checks the console must pass on it.

pub mod changes;
pub mod checks;
pub mod generate;
pub mod related;
pub mod schema;
pub mod trash;

use crate::purge_db::Db;

/// Whether the application ships a schema for this backend.
pub fn has(app: &str, pg: bool) -> bool {
    std::path::Path::new(&path(app, pg)).exists()
}

fn path(app: &str, pg: bool) -> String {
    format!(
        "{}/tests/corpus/{app}/{}",
        env!("CARGO_MANIFEST_DIR"),
        if pg { "postgres.sql" } else { "sqlite.sql" }
    )
}

/// Loads the application's schema into `db` (which holds the console's own tables).
pub async fn load(db: &Db, app: &str) {
    let file = path(app, db.pg);
    let sql = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    if db.pg {
        // A client of its own: the script may set session state a pooled session must not keep.
        let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        tokio::spawn(connection);
        client
            .batch_execute(&sql)
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    } else {
        let mut c = db.conn().await;
        trashcan::db::batch_execute(&mut c, &sql)
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}
