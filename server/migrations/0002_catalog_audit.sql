-- Catalog search, audit and login-report filters, and the record of personal-data exports (B7).

-- Free-text search over codes of the catalog (titles have their trigram indexes already).
CREATE INDEX loan_types_code_trgm ON loan_types USING gin (code gin_trgm_ops);
CREATE INDEX deposit_types_code_trgm ON deposit_types USING gin (code gin_trgm_ops);

-- The audit page filters by the actor's username and lists newest first.
CREATE INDEX audit_log_actor_username ON audit_log (lower(actor_username), at);
CREATE INDEX audit_log_at_id ON audit_log (at DESC, id DESC);

-- The login report filters by IP prefix.
CREATE INDEX login_events_ip ON login_events (ip text_pattern_ops);

-- B7: every export of personal data — who, when, from where, which export and with which filter.
CREATE TABLE export_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id integer REFERENCES users(id) ON DELETE SET NULL,
  username text NOT NULL,
  ip text,
  request_id text,
  name text NOT NULL,
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  row_count integer
);
CREATE INDEX export_log_at ON export_log (at);
CREATE INDEX export_log_user_id ON export_log (user_id);
