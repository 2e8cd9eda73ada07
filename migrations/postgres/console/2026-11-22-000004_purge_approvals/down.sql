ALTER TABLE trashcan.purge_jobs DROP COLUMN approved_digest;
ALTER TABLE trashcan.purge_jobs DROP COLUMN approval_reason;
ALTER TABLE trashcan.purge_jobs DROP COLUMN approval_expires_epoch;
ALTER TABLE trashcan.purge_jobs DROP COLUMN approved_epoch;
ALTER TABLE trashcan.purge_jobs DROP COLUMN approved_by;
