DROP TABLE trashcan_purge_rows;
DROP TABLE trashcan_purge_jobs;
