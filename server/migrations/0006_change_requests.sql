-- V19 change requests (maker–checker): a user whose access group needs approval does not change a case
-- directly; the create or edit is kept as a request until another user with the page accepts or
-- rejects it.

-- A user needs approval when any of their groups does.
ALTER TABLE access_groups ADD COLUMN needs_approval boolean NOT NULL DEFAULT false;

CREATE TABLE change_requests (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('create', 'update')),
  -- The case edited (an update), or the case an accepted create made; NULL for a pending create and
  -- when the case was deleted since.
  customer_id bigint REFERENCES customers(id) ON DELETE SET NULL,
  -- The case's customer number (an update) or the proposed one (a create), its name and mobile as
  -- they would be after the change: what the reviewer's list shows and searches.
  customer_no text NOT NULL,
  full_name text NOT NULL COLLATE "fa-x-icu",
  mobile text,
  -- The branch of the case when the request was made (the reviewer's data scope applies to it).
  branch_id integer NOT NULL REFERENCES branches(id),
  -- field → value proposed: every field of a create, the changed fields of an update.
  proposed jsonb NOT NULL,
  -- field → value in effect when the request was made, for the fields an update changes: shown
  -- beside the new values, and compared with the case at review to tell a stale request.
  original jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The version of the case the requester edited (an update).
  base_version integer,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  requested_by integer REFERENCES users(id) ON DELETE SET NULL,
  requested_by_name text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  reviewed_by integer REFERENCES users(id) ON DELETE SET NULL,
  reviewed_by_name text,
  reviewed_at timestamptz,
  review_note text,
  version integer NOT NULL DEFAULT 1,
  CHECK (kind = 'create' OR base_version IS NOT NULL),
  CHECK ((status = 'pending') = (reviewed_at IS NULL))
);
-- The reviewer's list: by status within the scope's branches, newest first.
CREATE INDEX change_requests_status_branch ON change_requests (status, branch_id, requested_at DESC);
CREATE INDEX change_requests_branch_requested ON change_requests (branch_id, requested_at DESC);
CREATE INDEX change_requests_requested_at ON change_requests (requested_at DESC);
CREATE INDEX change_requests_customer_id ON change_requests (customer_id);
CREATE INDEX change_requests_requested_by ON change_requests (requested_by);
CREATE INDEX change_requests_reviewed_by ON change_requests (reviewed_by);
-- One pending request per case, and per customer number for a create.
CREATE UNIQUE INDEX change_requests_one_pending_update ON change_requests (customer_id)
  WHERE status = 'pending' AND kind = 'update';
CREATE UNIQUE INDEX change_requests_one_pending_create ON change_requests (customer_no)
  WHERE status = 'pending' AND kind = 'create';

-- Branch managers and province admins review their staff's requests (common/src/pages.ts).
INSERT INTO access_group_pages (group_id, page_key)
SELECT id, 'change_requests' FROM access_groups WHERE code IN ('branch_manager', 'province_admin')
ON CONFLICT DO NOTHING;
