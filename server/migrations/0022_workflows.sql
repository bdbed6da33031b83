-- Dunning workflows (V13, P1, P2, P4) and their templates (V14); semantics in interchange.md,
-- "Workflow semantics". Keyed for a set-based planner: facilities join `workflow_loan_types` on their
-- loan type and `workflow_branches` on their branch (a workflow without branch rows is for all
-- branches), and `workflow_templates` on (workflow, channel, recipient role).

CREATE TABLE workflows (
  id serial PRIMARY KEY,
  title text NOT NULL COLLATE "fa-x-icu",
  -- the facility's "day": overdue days when from_day >= 1; minus the days until the next installment
  -- falls due for a reminder (to_day <= -1); to_day NULL = no upper end
  from_day integer NOT NULL,
  to_day integer,
  min_overdue_amount bigint NOT NULL DEFAULT 0 CHECK (min_overdue_amount >= 0),
  channels text[] NOT NULL CHECK (
    cardinality(channels) >= 1
    AND channels <@ ARRAY['sms', 'call', 'email', 'intro_letter', 'warning_notice', 'declaration']::text[]),
  recipients text[] NOT NULL CHECK (
    cardinality(recipients) >= 1 AND recipients <@ ARRAY['borrower', 'guarantors']::text[]),
  per_day integer NOT NULL DEFAULT 1 CHECK (per_day >= 1),
  start_time time NOT NULL,
  interval_minutes integer NOT NULL DEFAULT 0 CHECK (interval_minutes >= 0),
  -- 0: once per stay in the range
  repeat_every_days integer NOT NULL DEFAULT 0 CHECK (repeat_every_days >= 0),
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  updated_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- overdue days from 1 up, or a reminder wholly before the due date; never across day 0
  CONSTRAINT workflows_day_range CHECK (
    (from_day >= 1 AND (to_day IS NULL OR to_day >= from_day))
    OR (to_day <= -1 AND from_day <= to_day))
);
CREATE INDEX workflows_created_by ON workflows (created_by);
CREATE INDEX workflows_updated_by ON workflows (updated_by);
CREATE INDEX workflows_active ON workflows (id) WHERE active;

CREATE TABLE workflow_loan_types (
  workflow_id integer NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  -- a used loan type cannot be deleted (the catalog answers 409 first)
  loan_type_id integer NOT NULL REFERENCES loan_types(id),
  PRIMARY KEY (workflow_id, loan_type_id)
);
CREATE INDEX workflow_loan_types_loan_type_id ON workflow_loan_types (loan_type_id, workflow_id);

-- No rows: all branches. RESTRICT, so deleting a branch never silently widens a workflow to all.
CREATE TABLE workflow_branches (
  workflow_id integer NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  branch_id integer NOT NULL REFERENCES branches(id),
  PRIMARY KEY (workflow_id, branch_id)
);
CREATE INDEX workflow_branches_branch_id ON workflow_branches (branch_id, workflow_id);

CREATE TABLE workflow_templates (
  workflow_id integer NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  channel text NOT NULL
    CHECK (channel IN ('sms', 'call', 'email', 'intro_letter', 'warning_notice', 'declaration')),
  recipient_role text NOT NULL CHECK (recipient_role IN ('borrower', 'guarantor')),
  text text NOT NULL CHECK (text <> ''),
  PRIMARY KEY (workflow_id, channel, recipient_role)
);
