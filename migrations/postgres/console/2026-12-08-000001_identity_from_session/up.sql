-- Who did it, as the server knows it: every audit row and purge job records the
-- session's authenticated role (`session_user`), set by the server whatever the client
-- sends, and kept when a job is updated. `current_user` is not the identity: a role's
-- default `SET ROLE`, or a SECURITY DEFINER function, changes it.
CREATE FUNCTION trashcan.stamp_session_user() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.db_user := session_user;
    ELSE
        NEW.db_user := OLD.db_user;
    END IF;
    RETURN NEW;
END;
$$;

ALTER TABLE trashcan.audit_log ALTER COLUMN db_user SET DEFAULT session_user;
ALTER TABLE trashcan.purge_jobs ALTER COLUMN db_user SET DEFAULT session_user;

CREATE TRIGGER audit_log_session_user
    BEFORE INSERT ON trashcan.audit_log
    FOR EACH ROW EXECUTE FUNCTION trashcan.stamp_session_user();

CREATE TRIGGER purge_jobs_session_user
    BEFORE INSERT OR UPDATE OF db_user ON trashcan.purge_jobs
    FOR EACH ROW EXECUTE FUNCTION trashcan.stamp_session_user();
