DROP TRIGGER IF EXISTS purge_jobs_session_user ON trashcan.purge_jobs;
DROP TRIGGER IF EXISTS audit_log_session_user ON trashcan.audit_log;
ALTER TABLE trashcan.purge_jobs ALTER COLUMN db_user SET DEFAULT current_user;
ALTER TABLE trashcan.audit_log ALTER COLUMN db_user SET DEFAULT current_user;
DROP FUNCTION IF EXISTS trashcan.stamp_session_user();
