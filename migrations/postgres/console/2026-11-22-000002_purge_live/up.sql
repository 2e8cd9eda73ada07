-- The policy that purges live descendants too: the job says whether it was chosen, and
-- each row of its frozen set whether it was live when planned (such rows are deleted
-- without the "still trashed" check, as the operator chose).
ALTER TABLE trashcan.purge_jobs ADD COLUMN purge_live BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE trashcan.purge_rows ADD COLUMN live BOOLEAN NOT NULL DEFAULT false;
