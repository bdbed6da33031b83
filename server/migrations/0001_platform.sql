-- Foundation: organisation, users and access, sessions, login events, audit, settings, files, catalog.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Uploaded files (photos now; scanned minutes, letters later) live in the database: one backup covers them.
CREATE TABLE stored_files (
  id bigserial PRIMARY KEY,
  media_type text NOT NULL,
  byte_size integer NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provinces (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL COLLATE "fa-x-icu",
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provinces_name_trgm ON provinces USING gin (name gin_trgm_ops);

CREATE TABLE branches (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL COLLATE "fa-x-icu",
  province_id integer NOT NULL REFERENCES provinces(id),
  parent_id integer REFERENCES branches(id),
  address text,
  ip text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX branches_province_id ON branches (province_id);
CREATE INDEX branches_parent_id ON branches (parent_id);
CREATE INDEX branches_name_trgm ON branches USING gin (name gin_trgm_ops);

CREATE TABLE access_groups (
  id serial PRIMARY KEY,
  code text UNIQUE,
  title text NOT NULL UNIQUE COLLATE "fa-x-icu",
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE access_group_pages (
  group_id integer NOT NULL REFERENCES access_groups(id) ON DELETE CASCADE,
  page_key text NOT NULL,
  PRIMARY KEY (group_id, page_key)
);

CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL,
  first_name text NOT NULL COLLATE "fa-x-icu",
  last_name text NOT NULL COLLATE "fa-x-icu",
  user_type text NOT NULL DEFAULT 'full_time' CHECK (user_type IN ('full_time', 'part_time')),
  gender text CHECK (gender IN ('M', 'F')),
  -- Place: a branch user has branch_id, a province user only province_id, an HQ user neither.
  branch_id integer REFERENCES branches(id),
  province_id integer REFERENCES provinces(id),
  personnel_code text,
  national_code text,
  birth_cert_no text,
  phones text,
  mobile text,
  email text,
  address text,
  photo_file_id bigint REFERENCES stored_files(id),
  is_active boolean NOT NULL DEFAULT true,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE INDEX users_branch_id ON users (branch_id);
CREATE INDEX users_province_id ON users (province_id);
CREATE INDEX users_photo_file_id ON users (photo_file_id);
CREATE INDEX users_search_trgm ON users USING gin ((username || ' ' || first_name || ' ' || last_name) gin_trgm_ops);

CREATE TABLE user_groups (
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id integer NOT NULL REFERENCES access_groups(id),
  PRIMARY KEY (user_id, group_id)
);
CREATE INDEX user_groups_group_id ON user_groups (group_id);

-- Server-side sessions: any number of server processes share them. Only the token's hash is stored.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE login_events (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  user_id integer REFERENCES users(id) ON DELETE SET NULL,
  succeeded boolean NOT NULL,
  reason text,
  ip text,
  user_agent text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_events_username_at ON login_events (lower(username), at);
CREATE INDEX login_events_user_id ON login_events (user_id);
CREATE INDEX login_events_at ON login_events (at);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id integer REFERENCES users(id) ON DELETE SET NULL,
  actor_username text,
  ip text,
  request_id text,
  entity text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE loan_types (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL COLLATE "fa-x-icu",
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loan_types_title_trgm ON loan_types USING gin (title gin_trgm_ops);

CREATE TABLE deposit_types (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL COLLATE "fa-x-icu",
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposit_types_title_trgm ON deposit_types USING gin (title gin_trgm_ops);
