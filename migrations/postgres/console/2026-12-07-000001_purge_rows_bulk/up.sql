-- Writing a frozen set is most of a big plan's time (534,000 roots of one table took
-- 6.5 s), and two things here cost per row without protecting anything a purge needs:
--
-- - The foreign key to purge_jobs ran one lookup of the job per inserted row. The
--   console writes a job and its rows in one transaction, never deletes a job, and
--   deletes a job's rows itself when it is abandoned, so the key only checked what the
--   code already guarantees.
-- - The set's names and keys compared under the database's collation in both indexes.
--   They are the console's own text (JSON arrays of values), looked up and walked only
--   by equality and by keyset order, so byte order ("C") serves, as it does on SQLite;
--   a job resumed across this change may meet a row out of order in its current pass,
--   which its next pass takes, as it does any row left behind.
--
-- Together with plain inserts for the roots, 6.5 s became about 2.5 s (BENCHMARKS.md).
ALTER TABLE trashcan.purge_rows DROP CONSTRAINT IF EXISTS purge_rows_job_id_fkey;
ALTER TABLE trashcan.purge_rows
    ALTER COLUMN table_name TYPE TEXT COLLATE "C",
    ALTER COLUMN key TYPE TEXT COLLATE "C";

-- An approval's digest reads the frozen set in key order, which may have just changed:
-- instead of refusing such a job later as "changed after it was approved", its
-- approval is taken back now, with the reason in the log. Approvals last a day at most.
INSERT INTO trashcan.audit_log (os_user, action, row_count, job_id, details)
SELECT 'trashcan upgrade', 'purge approval void', total_rows, id,
       'the console''s upgrade changed the order its approval digest reads the frozen '
       || 'set in; approve the job again (' || total_rows || ' rows planned)'
FROM trashcan.purge_jobs WHERE state = 'approved';
UPDATE trashcan.purge_jobs
SET state = 'pending_approval', approved_by = NULL, approved_epoch = NULL,
    approval_expires_epoch = NULL, approval_reason = NULL, approved_digest = NULL
WHERE state = 'approved';
