-- The policy that purges live descendants too: the job says whether it was chosen, and
-- each row of its frozen set whether it was live when planned.
ALTER TABLE trashcan_purge_jobs ADD COLUMN purge_live INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trashcan_purge_rows ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
