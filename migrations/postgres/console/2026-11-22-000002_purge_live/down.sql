ALTER TABLE trashcan.purge_rows DROP COLUMN live;
ALTER TABLE trashcan.purge_jobs DROP COLUMN purge_live;
