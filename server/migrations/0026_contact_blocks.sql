-- Issue 5, point 4 (B1): people who must not be contacted, whatever workflow plans for them.
-- A person is found by national code, else by mobile (as the planner's person key); the block holds
-- their SMS, calls and e-mails (legal letters are still prepared) until `until`, or until lifted.
CREATE TABLE contact_blocks (
  id serial PRIMARY KEY,
  national_code text,
  mobile text,
  person_name text NOT NULL DEFAULT '',
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  until date,
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_by_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (national_code IS NOT NULL OR mobile IS NOT NULL)
);
CREATE UNIQUE INDEX contact_blocks_national_code ON contact_blocks (national_code) WHERE national_code IS NOT NULL;
CREATE UNIQUE INDEX contact_blocks_mobile ON contact_blocks (mobile) WHERE mobile IS NOT NULL;

-- The page (common/src/pages.ts) for the administrators of existing installations.
INSERT INTO access_group_pages (group_id, page_key)
SELECT id, 'contact_blocks' FROM access_groups WHERE code = 'hq_admin'
ON CONFLICT DO NOTHING;
