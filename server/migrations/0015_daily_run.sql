-- The daily run (issue 4; interchange.md "Derived figures", "Business dates", "Vouchers"; P7).

-- ---------------------------------------------------------------------------------------------
-- Per loan type: the CBI class thresholds (a class holds a facility MORE than this many overdue
-- days), the penalty rate (NULL: the contract rate + 6), the day basis, what a class head holds, and
-- the ledger head (سرفصل) of each class. The heads default to the class names until the bank's
-- accountants enter their codes.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE loan_types
  ADD COLUMN past_due_after integer NOT NULL DEFAULT 60,
  ADD COLUMN deferred_after integer NOT NULL DEFAULT 180,
  ADD COLUMN doubtful_after integer NOT NULL DEFAULT 540,
  ADD COLUMN penalty_rate numeric(9, 4) CHECK (penalty_rate >= 0 AND penalty_rate <= 100),
  ADD COLUMN day_basis integer NOT NULL DEFAULT 365 CHECK (day_basis IN (360, 365)),
  ADD COLUMN class_holds text NOT NULL DEFAULT 'overdue' CHECK (class_holds IN ('overdue', 'unpaid')),
  ADD COLUMN head_current text NOT NULL DEFAULT 'current',
  ADD COLUMN head_past_due text NOT NULL DEFAULT 'past_due',
  ADD COLUMN head_deferred text NOT NULL DEFAULT 'deferred',
  ADD COLUMN head_doubtful text NOT NULL DEFAULT 'doubtful',
  ADD CONSTRAINT loan_types_class_thresholds
    CHECK (0 <= past_due_after AND past_due_after < deferred_after AND deferred_after < doubtful_after),
  ADD CONSTRAINT loan_types_heads_distinct
    CHECK (head_current NOT IN (head_past_due, head_deferred, head_doubtful)
           AND head_past_due NOT IN (head_deferred, head_doubtful) AND head_deferred <> head_doubtful);

-- ---------------------------------------------------------------------------------------------
-- Runs of the day: one row per start (CLI, the page, the schedule), committed before the work so
-- that other sessions see who runs what. `kind`: forward (a date after every completed run: figures,
-- class history, vouchers), latest (the latest completed date again: completes, issues nothing
-- twice), what_if (an earlier date: figures only).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE day_runs (
  id bigserial PRIMARY KEY,
  business_date date NOT NULL,
  kind text CHECK (kind IN ('forward', 'latest', 'what_if')),
  source text NOT NULL CHECK (source IN ('cli', 'ui', 'schedule')),
  opening_vouchers boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'refused')),
  started_by integer REFERENCES users(id) ON DELETE SET NULL,
  started_by_name text,
  snapshot_id bigint REFERENCES snapshot_imports(id) ON DELETE SET NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  seconds numeric(12, 3),
  progress numeric(5, 4) NOT NULL DEFAULT 0,
  stage text,
  facilities integer,
  class_changes integer,
  vouchers integer,
  message text,
  -- the database session doing the run (pid@start), to tell a dead run from a live one
  backend text
);
CREATE INDEX day_runs_completed ON day_runs (business_date) WHERE status = 'succeeded' AND kind <> 'what_if';
CREATE INDEX day_runs_queued_at ON day_runs (queued_at DESC);
CREATE INDEX day_runs_finished ON day_runs (finished_at DESC) WHERE status = 'succeeded';

-- ---------------------------------------------------------------------------------------------
-- The derived figures of each facility as of the latest run (interchange.md, "Derived figures"). A
-- table of its own, narrow and without indexes on the figures, so that a run rewrites only the rows
-- whose figures changed, in place (fillfactor leaves room for HOT updates). A run computes every
-- facility that is not closed; `as_of` is the date the row was last written, and the figures of a
-- facility that is not closed hold as of the latest run (an unchanged row is not rewritten).
-- `ledger_class` is the class of the latest run that moved the books (not a what-if).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE facility_figures (
  facility_id bigint PRIMARY KEY REFERENCES facilities(id) ON DELETE CASCADE,
  as_of date NOT NULL,
  overdue_installments integer NOT NULL,
  overdue_days integer NOT NULL,
  overdue_amount bigint NOT NULL,
  unpaid_amount bigint NOT NULL,
  penalty bigint NOT NULL,
  collectible_amount bigint NOT NULL,
  cbi_class text CHECK (cbi_class IN ('current', 'past_due', 'deferred', 'doubtful')),
  ledger_class text CHECK (ledger_class IN ('current', 'past_due', 'deferred', 'doubtful'))
) WITH (fillfactor = 70);

-- The figures lived on the facilities until now (always NULL: no run existed).
DROP INDEX facilities_overdue;
ALTER TABLE facilities
  DROP COLUMN overdue_days,
  DROP COLUMN overdue_installments,
  DROP COLUMN overdue_amount,
  DROP COLUMN unpaid_amount,
  DROP COLUMN penalty,
  DROP COLUMN collectible_amount,
  DROP COLUMN cbi_class,
  DROP COLUMN figures_as_of;

-- Every class change of a facility, by the run that found it (P7: kept as history on the facility).
CREATE TABLE facility_class_changes (
  id bigserial PRIMARY KEY,
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  business_date date NOT NULL,
  run_id bigint NOT NULL REFERENCES day_runs(id),
  from_class text CHECK (from_class IN ('current', 'past_due', 'deferred', 'doubtful')),
  to_class text NOT NULL CHECK (to_class IN ('current', 'past_due', 'deferred', 'doubtful')),
  overdue_days integer NOT NULL
);
CREATE INDEX facility_class_changes_facility ON facility_class_changes (facility_id, business_date);
CREATE INDEX facility_class_changes_run ON facility_class_changes (run_id);

-- ---------------------------------------------------------------------------------------------
-- The books (interchange.md, "Vouchers"): what Vosul has booked per facility and ledger head.
--   amount = opening + Σ voucher lines (debit − credit) − core_posted
-- `opening`: the balance set by the facility's first run (without a voucher unless asked);
-- `core_posted`: what the core banking system moved itself (payments reduce the posting head; a
-- grown balance adds to it), mirrored so that the transfers move only what Vosul decides.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE ledger_balances (
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  head text NOT NULL,
  class text NOT NULL CHECK (class IN ('current', 'past_due', 'deferred', 'doubtful')),
  amount bigint NOT NULL,
  opening bigint NOT NULL DEFAULT 0,
  core_posted bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (facility_id, head)
) WITH (fillfactor = 80);

-- One voucher per facility and run that moves money: `transfer` (the differences between targets and
-- the books) or `opening` (a facility's first balance, only with --opening-vouchers). Never changed
-- once exported; a correction is a new voucher.
CREATE TABLE vouchers (
  id bigserial PRIMARY KEY,
  facility_id bigint NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  business_date date NOT NULL,
  run_id bigint NOT NULL REFERENCES day_runs(id),
  kind text NOT NULL CHECK (kind IN ('transfer', 'opening')),
  exported_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (facility_id, run_id, kind)
);
CREATE INDEX vouchers_business_date ON vouchers (business_date, id);
CREATE INDEX vouchers_run ON vouchers (run_id);

CREATE TABLE voucher_lines (
  voucher_id bigint NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
  head text NOT NULL,
  class text NOT NULL CHECK (class IN ('current', 'past_due', 'deferred', 'doubtful')),
  debit bigint NOT NULL DEFAULT 0 CHECK (debit >= 0),
  credit bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
  CHECK ((debit = 0) <> (credit = 0)),
  PRIMARY KEY (voucher_id, head)
);
