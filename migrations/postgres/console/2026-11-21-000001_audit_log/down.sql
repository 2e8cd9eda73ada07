DROP TABLE trashcan.audit_log;
DROP FUNCTION trashcan.audit_log_append_only();
