-- Two-person supervision: a plan above the approval threshold waits as
-- 'pending_approval' until a different user with the supervisor role approves it. The
-- approval names who, when, why and until when, and a digest of the plan and its frozen
-- row set as approved: a job whose plan no longer matches it cannot start.
ALTER TABLE trashcan_purge_jobs ADD COLUMN approved_by TEXT;
ALTER TABLE trashcan_purge_jobs ADD COLUMN approved_epoch REAL;
ALTER TABLE trashcan_purge_jobs ADD COLUMN approval_expires_epoch REAL;
ALTER TABLE trashcan_purge_jobs ADD COLUMN approval_reason TEXT;
ALTER TABLE trashcan_purge_jobs ADD COLUMN approved_digest TEXT;
