-- V7: each province's manager (name, e-mail, mobile) and whether the daily activity mail goes to them.
-- A province without a row has no manager recorded yet.
CREATE TABLE province_managers (
  province_id integer PRIMARY KEY REFERENCES provinces(id) ON DELETE CASCADE,
  manager_name text NOT NULL,
  email text,
  mobile text,
  daily_mail boolean NOT NULL DEFAULT false,
  updated_by integer REFERENCES users(id) ON DELETE SET NULL,
  updated_by_name text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT province_managers_mail_needs_email CHECK (NOT daily_mail OR email IS NOT NULL)
);
CREATE INDEX province_managers_updated_by ON province_managers (updated_by);

-- The daily activity mails: one row per province and business date, written in the transaction that
-- sends it, so a re-run never mails a manager twice for a day ('sent' is final; 'no_smtp' and 'failed'
-- are tried again by a later run). What was mailed (address, figures) is kept with it.
CREATE TABLE province_manager_mails (
  province_id integer NOT NULL REFERENCES provinces(id) ON DELETE CASCADE,
  business_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'no_smtp', 'failed')),
  email text NOT NULL,
  figures jsonb NOT NULL,
  message_id text,
  error text,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_id, business_date)
);

-- The province admins keep their own province's manager (HQ's admins have every page already).
INSERT INTO access_group_pages (group_id, page_key)
SELECT g.id, 'province_managers' FROM access_groups g
WHERE g.code IN ('hq_admin', 'province_admin')
ON CONFLICT DO NOTHING;
