-- The daily run reads the installments only of the facilities whose figures a date can change
-- (issue 4, point 7). Between two dates a facility's overdue installments stay the same unless one of
-- its installments falls due (`next_due_on`, the first unpaid one due on or after the date computed)
-- or the facility is marked stale; its overdue days and penalty then grow by the days passed, which
-- the run derives from what it stored: the overdue amount, Σ unpaid × days late as of `as_of`
-- (`overdue_unpaid_days`, kept exact for the penalty's one rounding), and the facility's penalty
-- rate and loan type (a change to either marks the facility stale, migration 0020).
-- The home page's summary reads the figures alone: they carry the facility's branch and status too.
ALTER TABLE facility_figures
  ADD COLUMN next_due_on date,
  ADD COLUMN overdue_unpaid_days numeric NOT NULL DEFAULT 0,
  ADD COLUMN loan_type_id integer,
  ADD COLUMN penalty_rate_e4 bigint NOT NULL DEFAULT 0,
  ADD COLUMN branch_id integer,
  ADD COLUMN status text,
  ADD COLUMN oldest_due_on date;

-- Each day every facility in arrears gets its overdue days and penalty moved on. Those columns are
-- not indexed, and the pages keep room, so the rows are updated in place (HOT) without touching an
-- index: the list of arrears is ordered by the oldest overdue due date instead of the overdue days
-- (the same order reversed, as all figures in arrears are of the same date).
DROP INDEX facility_figures_overdue;
CREATE INDEX facility_figures_overdue ON facility_figures (oldest_due_on, facility_id) WHERE overdue_amount > 0;
ALTER TABLE facility_figures SET (fillfactor = 80);

-- a facility moved to another branch is computed afresh too (it carries its branch)
CREATE OR REPLACE FUNCTION vosul_mark_changed_facilities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_stale
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.status, n.loan_type_id, n.annual_rate, n.branch_id)
        IS DISTINCT FROM (o.status, o.loan_type_id, o.annual_rate, o.branch_id)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- the facilities an installment falls due for since their figures were computed
CREATE INDEX facility_figures_next_due ON facility_figures (next_due_on);

-- figures written before this migration lack the run's inputs: the next run computes them afresh
INSERT INTO figures_stale SELECT facility_id FROM facility_figures ON CONFLICT DO NOTHING;
