ALTER TABLE trashcan_purge_rows DROP COLUMN live;
ALTER TABLE trashcan_purge_jobs DROP COLUMN purge_live;
