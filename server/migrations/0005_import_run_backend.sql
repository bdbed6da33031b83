-- The database session that runs an import, so that a run whose process died (kill -9) can be told
-- apart from one that is still waiting for the import lock.
ALTER TABLE snapshot_imports ADD COLUMN backend text;
