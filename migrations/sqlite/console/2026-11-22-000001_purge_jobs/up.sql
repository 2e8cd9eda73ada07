-- Supervised purges: a job row, and the frozen set of rows it may delete. Each batch
-- deletes from the set and moves the job's checkpoint in the same transaction, so a
-- resumed job continues exactly where the last commit left it.
CREATE TABLE trashcan_purge_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    os_user      TEXT NOT NULL,
    ssh_client   TEXT,
    db_user      TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    scope        TEXT NOT NULL,
    cutoff_epoch REAL NOT NULL,
    cutoff_text  TEXT NOT NULL,
    reason       TEXT,
    plan         TEXT NOT NULL,
    total_rows   INTEGER NOT NULL,
    pass         INTEGER NOT NULL DEFAULT 0,
    step         INTEGER NOT NULL DEFAULT 0,
    last_key     TEXT,
    deleted_rows INTEGER NOT NULL DEFAULT 0,
    done         TEXT NOT NULL DEFAULT '{}',
    batch_size   INTEGER NOT NULL,
    sleep_ms     INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    finished_at  TIMESTAMP,
    last_error   TEXT
);

CREATE TABLE trashcan_purge_rows (
    job_id     INTEGER NOT NULL REFERENCES trashcan_purge_jobs (id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    key        TEXT NOT NULL,
    round      INTEGER NOT NULL,
    PRIMARY KEY (job_id, table_name, key)
) WITHOUT ROWID;
