CREATE TABLE trashcan_audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    os_user     TEXT NOT NULL,
    ssh_client  TEXT,
    db_user     TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    table_names TEXT NOT NULL DEFAULT '',
    row_count   INTEGER NOT NULL DEFAULT 0,
    reason      TEXT,
    job_id      INTEGER,
    details     TEXT
);

CREATE INDEX trashcan_audit_log_at ON trashcan_audit_log (at DESC, id DESC);

CREATE TRIGGER trashcan_audit_log_no_update BEFORE UPDATE ON trashcan_audit_log
BEGIN
    SELECT RAISE(ABORT, 'trashcan_audit_log is append-only');
END;

CREATE TRIGGER trashcan_audit_log_no_delete BEFORE DELETE ON trashcan_audit_log
BEGIN
    SELECT RAISE(ABORT, 'trashcan_audit_log is append-only');
END;
