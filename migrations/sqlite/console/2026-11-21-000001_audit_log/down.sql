DROP TABLE trashcan_audit_log;
