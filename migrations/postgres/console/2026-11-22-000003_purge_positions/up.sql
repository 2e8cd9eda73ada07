-- Where each row of a frozen set lay when the plan was made. The first pass of a purge
-- walks the set in this physical order and reaches the rows by position (a TID scan)
-- instead of one primary-key descent each, and forgets its own bookkeeping rows the
-- same way. The key is still compared, so a position another row has taken since never
-- matches; rows that moved are left for the next pass, which goes by key.
ALTER TABLE trashcan.purge_rows ADD COLUMN at tid;
CREATE INDEX purge_rows_position ON trashcan.purge_rows (job_id, table_name, at);
