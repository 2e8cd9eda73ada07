-- trashcan's own bookkeeping lives in its own schema so the application's is untouched.
CREATE SCHEMA IF NOT EXISTS trashcan;

CREATE TABLE trashcan.audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    os_user     TEXT NOT NULL,
    ssh_client  TEXT,
    db_user     TEXT NOT NULL DEFAULT current_user,
    action      TEXT NOT NULL,
    table_names TEXT NOT NULL DEFAULT '',
    row_count   BIGINT NOT NULL DEFAULT 0,
    reason      TEXT,
    job_id      BIGINT,
    details     TEXT
);

CREATE INDEX audit_log_at ON trashcan.audit_log (at DESC, id DESC);

-- The console only ever appends; refuse edits so a bug (or a hurried operator) cannot rewrite history.
CREATE FUNCTION trashcan.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'trashcan.audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON trashcan.audit_log
    FOR EACH ROW EXECUTE FUNCTION trashcan.audit_log_append_only();
