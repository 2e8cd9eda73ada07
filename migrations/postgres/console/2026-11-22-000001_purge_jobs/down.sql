DROP TABLE trashcan.purge_rows;
DROP TABLE trashcan.purge_jobs;
