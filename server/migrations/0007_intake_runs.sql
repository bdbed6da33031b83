-- Intake runs (V24): uploads and the scheduled drop folder go through the job queue, so a run is
-- recorded from the moment it is queued; a failed attempt waits for its retry on the same row; the
-- import's progress is kept on the row so that any browser tab can follow it.
ALTER TABLE snapshot_imports DROP CONSTRAINT snapshot_imports_status_check;
ALTER TABLE snapshot_imports ADD CONSTRAINT snapshot_imports_status_check
  CHECK (status IN ('queued', 'running', 'retrying', 'succeeded', 'failed', 'refused'));

ALTER TABLE snapshot_imports
  -- attempts made after the first, and how many the run may make (the settings when it was queued)
  ADD COLUMN retries integer NOT NULL DEFAULT 0,
  ADD COLUMN max_retries integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz,
  -- 0…1 and the import's step, written a few times a second at most
  ADD COLUMN progress real NOT NULL DEFAULT 0,
  ADD COLUMN stage text,
  -- why a snapshot was refused as a whole (older_snapshot, close_guard, manifest, format, bad_input)
  ADD COLUMN refusal text,
  -- who uploaded it (null for the drop folder, the CLI and the demo book)
  ADD COLUMN uploaded_by integer REFERENCES users(id) ON DELETE SET NULL,
  ADD COLUMN uploaded_by_name text,
  -- the files as they came (upload) or the folder's name in the drop folder
  ADD COLUMN original_name text,
  ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();

-- runs already recorded are complete: their progress is whole
UPDATE snapshot_imports SET progress = 1 WHERE status = 'succeeded';
