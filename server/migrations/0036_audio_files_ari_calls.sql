-- V30: the recorded messages the phone system plays. The bytes live in stored_files like every other
-- upload (one backup covers them, any server can stream them); the duration is read from the content.
CREATE TABLE audio_files (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL,
  format text NOT NULL CHECK (format IN ('wav', 'mp3')),
  duration_ms integer NOT NULL CHECK (duration_ms > 0),
  file_id bigint NOT NULL REFERENCES stored_files(id),
  uploaded_by integer REFERENCES users(id) ON DELETE SET NULL,
  uploaded_by_name text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audio_files_file_id ON audio_files (file_id);
CREATE INDEX audio_files_uploaded_by ON audio_files (uploaded_by);

-- A workflow's call may name one recorded message to play (Asterisk); a file in use cannot be deleted.
ALTER TABLE workflow_templates ADD COLUMN audio_file_id integer REFERENCES audio_files(id);
CREATE INDEX workflow_templates_audio_file_id ON workflow_templates (audio_file_id);

-- Issue 6 point 4: each call originated through Asterisk ARI, keyed by its channel id (our provider
-- id), with what it plays and the outcome the event listener recorded, so a restart loses nothing.
CREATE TABLE ari_calls (
  channel_id text PRIMARY KEY,
  local_id text NOT NULL,
  media text[] NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'answered', 'no_answer', 'busy', 'rejected', 'failed')),
  cause integer,
  answered_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
