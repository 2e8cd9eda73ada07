ALTER TABLE trashcan.purge_rows
    ALTER COLUMN table_name TYPE TEXT COLLATE "default",
    ALTER COLUMN key TYPE TEXT COLLATE "default";
ALTER TABLE trashcan.purge_rows
    ADD CONSTRAINT purge_rows_job_id_fkey FOREIGN KEY (job_id)
    REFERENCES trashcan.purge_jobs (id) ON DELETE CASCADE;
