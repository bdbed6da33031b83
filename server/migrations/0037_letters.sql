-- Issue 6 point 6: letters, warning notices and declarations are outbox rows the planner writes as
-- 'planned'; they are printed and delivered by hand (letters) or filed in ثنا and served
-- (declarations). Their statuses are the outbox's own ('planned' → 'printed' → 'delivered';
-- 'planned' → 'filed' → 'served'); this table keeps what a person recorded on the way, one row per
-- letter, written the first time one is marked.
CREATE TABLE letter_marks (
  notification_id bigint PRIMARY KEY REFERENCES notifications(id) ON DELETE CASCADE,
  printed_at timestamptz,
  printed_by integer REFERENCES users(id) ON DELETE SET NULL,
  printed_by_name text,
  -- the day the letter reached its addressee (ثبت ابلاغ), as the clerk entered it
  delivered_on date,
  delivered_by integer REFERENCES users(id) ON DELETE SET NULL,
  -- a declaration filed through ثنا: the day, and the tracking number (شماره پیگیری) ثنا gave
  filed_on date,
  tracking_no text,
  filed_by integer REFERENCES users(id) ON DELETE SET NULL,
  served_on date,
  served_by integer REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (tracking_no IS NULL OR tracking_no ~ '^[0-9]{6,30}$'),
  CHECK (filed_on IS NULL OR tracking_no IS NOT NULL)
);
CREATE INDEX letter_marks_printed_by ON letter_marks (printed_by);
CREATE INDEX letter_marks_delivered_by ON letter_marks (delivered_by);
CREATE INDEX letter_marks_filed_by ON letter_marks (filed_by);
CREATE INDEX letter_marks_served_by ON letter_marks (served_by);
CREATE UNIQUE INDEX letter_marks_tracking_no ON letter_marks (tracking_no) WHERE tracking_no IS NOT NULL;

-- the print queue and the declarations queue read a branch's letters of one channel by state
CREATE INDEX notifications_letters ON notifications (branch_id, channel, status, business_date)
  WHERE channel IN ('intro_letter', 'warning_notice', 'declaration');

-- The pages (common/src/pages.ts) for the predefined groups of existing installations: the
-- administrators, branch managers and province admins print letters and file declarations.
INSERT INTO access_group_pages (group_id, page_key)
SELECT g.id, p.page_key FROM access_groups g
CROSS JOIN (VALUES ('letters'), ('declarations')) AS p(page_key)
WHERE g.code IN ('hq_admin', 'branch_manager', 'province_admin')
ON CONFLICT DO NOTHING;
