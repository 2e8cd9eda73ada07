-- Supervised purges: a job row, and the frozen set of rows it may delete. Each batch
-- deletes from the set and moves the job's checkpoint in the same transaction, so a
-- resumed job continues exactly where the last commit left it.
CREATE TABLE trashcan.purge_jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    os_user      TEXT NOT NULL,
    ssh_client   TEXT,
    db_user      TEXT NOT NULL DEFAULT current_user,
    -- planned | pending_approval | running | paused | cancelled | done | abandoned | failed
    state        TEXT NOT NULL,
    scope        TEXT NOT NULL,
    cutoff_epoch DOUBLE PRECISION NOT NULL,
    cutoff_text  TEXT NOT NULL,
    reason       TEXT,
    -- JSON: the tables in the order they are purged, with their planned row counts.
    plan         TEXT NOT NULL,
    total_rows   BIGINT NOT NULL,
    -- Checkpoint: the pass over the tables, the table within it, the last key done.
    pass         INTEGER NOT NULL DEFAULT 0,
    step         INTEGER NOT NULL DEFAULT 0,
    last_key     TEXT,
    deleted_rows BIGINT NOT NULL DEFAULT 0,
    -- JSON: rows deleted per table.
    done         TEXT NOT NULL DEFAULT '{}',
    batch_size   INTEGER NOT NULL,
    sleep_ms     INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    last_error   TEXT
);

CREATE TABLE trashcan.purge_rows (
    job_id     BIGINT NOT NULL REFERENCES trashcan.purge_jobs (id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    -- The row's key as a JSON array of its values' text.
    key        TEXT NOT NULL,
    -- The expansion round that found it: 0 for the roots.
    round      INTEGER NOT NULL,
    PRIMARY KEY (job_id, table_name, key)
);
