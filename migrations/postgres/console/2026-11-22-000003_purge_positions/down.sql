DROP INDEX trashcan.purge_rows_position;
ALTER TABLE trashcan.purge_rows DROP COLUMN at;
