-- The home page (V32, T9, P8): announcements (V10), case settings (V9) and the daily run's summaries
-- that the home page reads instead of scanning the book on each view.

-- ---------------------------------------------------------------------------------------------
-- Announcements (V10): scope NULL = general (every user), else one province (its users and its
-- branches' users). The optional attachment lives in stored_files like user photos.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE announcements (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL COLLATE "fa-x-icu",
  description text,
  announced_on date NOT NULL,
  author_id integer REFERENCES users(id) ON DELETE SET NULL,
  -- kept so the author stays named after the user is deleted
  author_name text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  province_id integer REFERENCES provinces(id),
  file_id bigint REFERENCES stored_files(id),
  file_name text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX announcements_author_id ON announcements (author_id);
CREATE INDEX announcements_province_id ON announcements (province_id);
CREATE INDEX announcements_file_id ON announcements (file_id);
CREATE INDEX announcements_current ON announcements (announced_on DESC) WHERE status = 'active';
CREATE INDEX announcements_title_trgm ON announcements USING gin (title gin_trgm_ops);

-- ---------------------------------------------------------------------------------------------
-- Case settings (V9): the overdue-day ranges and the overdue-amount thresholds the home page
-- counts by, in order. A range with no upper bound (to_days NULL) is open-ended.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE overdue_day_ranges (
  position integer PRIMARY KEY,
  from_days integer NOT NULL CHECK (from_days >= 1),
  to_days integer CHECK (to_days >= from_days),
  title text NOT NULL
);
INSERT INTO overdue_day_ranges (position, from_days, to_days, title) VALUES
  (1, 1, 30, 'تا ۳۰ روز'),
  (2, 31, 60, '۳۱ تا ۶۰ روز'),
  (3, 61, 180, '۶۱ تا ۱۸۰ روز'),
  (4, 181, 540, '۱۸۱ تا ۵۴۰ روز'),
  (5, 541, NULL, 'بیش از ۵۴۰ روز');

CREATE TABLE overdue_amount_thresholds (
  position integer PRIMARY KEY,
  amount bigint NOT NULL CHECK (amount > 0)
);
INSERT INTO overdue_amount_thresholds (position, amount) VALUES
  (1, 10000000), (2, 100000000), (3, 1000000000);

-- ---------------------------------------------------------------------------------------------
-- The run's summaries per business date and branch (a few hundred rows per date): `dimension`
--   total  — bucket 'arrears': the facilities with overdue days
--   class  — bucket the CBI class, or 'written_off'
--   range  — bucket the position of the overdue-day range (facilities in arrears)
--   amount — bucket the number of thresholds the overdue amount reaches (facilities in arrears)
-- Range and amount buckets follow the case settings at the time of summarising; a settings change
-- re-summarises the latest date. Only the 'total' rows of earlier dates are kept (the chart over
-- time); the page reads the buckets of the latest date alone.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE day_summary_dates (
  business_date date PRIMARY KEY,
  run_id bigint REFERENCES day_runs(id) ON DELETE SET NULL
);
CREATE INDEX day_summary_dates_run_id ON day_summary_dates (run_id);

CREATE TABLE day_summaries (
  business_date date NOT NULL REFERENCES day_summary_dates(business_date) ON DELETE CASCADE,
  branch_id integer NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
  dimension text NOT NULL CHECK (dimension IN ('total', 'class', 'range', 'amount')),
  bucket text NOT NULL,
  facilities integer NOT NULL,
  overdue_amount bigint NOT NULL,
  collectible_amount bigint NOT NULL,
  unpaid_amount bigint NOT NULL,
  PRIMARY KEY (dimension, business_date, bucket, branch_id)
);
CREATE INDEX day_summaries_business_date ON day_summaries (business_date);
CREATE INDEX day_summaries_branch_id ON day_summaries (branch_id);

-- Collected (from payments; the facility's branch): per day, added to by every run from the payments
-- of the imports it has not counted yet (a payment is never changed once imported), so a run never
-- reads the whole payments table again; and per Jalali month (`1403/11`) for the collected-vs-overdue
-- chart, summed from the days by every run.
CREATE TABLE month_collections (
  month text NOT NULL,
  branch_id integer NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
  amount bigint NOT NULL,
  PRIMARY KEY (month, branch_id)
);
CREATE INDEX month_collections_branch_id ON month_collections (branch_id);

CREATE TABLE day_collections (
  paid_on date NOT NULL,
  branch_id integer NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
  amount bigint NOT NULL,
  PRIMARY KEY (paid_on, branch_id)
);
CREATE INDEX day_collections_branch_id ON day_collections (branch_id);

-- The imports whose payments day_collections holds.
CREATE TABLE collected_imports (import_id bigint PRIMARY KEY);

-- The administrators manage announcements and case settings (every user has the home page).
INSERT INTO access_group_pages (group_id, page_key)
SELECT g.id, p.page_key FROM access_groups g
CROSS JOIN (VALUES ('announcements'), ('case_settings')) AS p(page_key)
WHERE g.code = 'hq_admin'
ON CONFLICT DO NOTHING;
