-- Overdue days and penalty are no longer moved on every day for every facility in arrears (issue 4,
-- point 7: at 1M that daily rewrite of ~240k rows was the run's largest step). The stored row keeps
-- the figures as of the date it was written (`as_of`); `facility_figures` is now a view that carries
-- them to the books' date — the date of the latest completed run, kept in `figures_clock` and moved by
-- the run inside its own transaction, so readers switch to a new date exactly when the run commits.
-- Between two dates a stored row in arrears changes only by the days passed (a facility whose
-- installments changed is read afresh and rewritten): its days grow by them, Σ unpaid × days by the
-- overdue amount for each, and the penalty and class follow with the facility's own rate, day basis
-- and thresholds, stored on the row (a change to them marks the facility stale, migration 0020). The
-- run rewrites only the rows read afresh and those that cross a class threshold (found by an index
-- range on the oldest overdue due date), since those move the books.
ALTER TABLE facility_figures RENAME TO facility_figures_stored;
ALTER TABLE facility_figures_stored
  ADD COLUMN day_basis integer NOT NULL DEFAULT 365,
  ADD COLUMN past_due_after integer NOT NULL DEFAULT 60,
  ADD COLUMN deferred_after integer NOT NULL DEFAULT 180,
  ADD COLUMN doubtful_after integer NOT NULL DEFAULT 540;
UPDATE facility_figures_stored s
SET day_basis = lt.day_basis, past_due_after = lt.past_due_after, deferred_after = lt.deferred_after,
    doubtful_after = lt.doubtful_after
FROM loan_types lt
WHERE lt.id = s.loan_type_id
  AND (s.day_basis, s.past_due_after, s.deferred_after, s.doubtful_after)
      IS DISTINCT FROM (lt.day_basis, lt.past_due_after, lt.deferred_after, lt.doubtful_after);

-- the date every stored row holds as of (one row; none before the first run)
CREATE TABLE figures_clock (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  as_of date NOT NULL
);
INSERT INTO figures_clock (as_of)
SELECT business_date FROM day_runs WHERE status = 'succeeded' ORDER BY finished_at DESC, id DESC LIMIT 1;

CREATE VIEW facility_figures AS
SELECT s.facility_id,
  s.as_of + m.moved AS as_of,
  s.overdue_installments,
  s.overdue_days + m.moved AS overdue_days,
  s.overdue_amount,
  s.unpaid_amount,
  p.penalty,
  s.overdue_amount + p.penalty AS collectible_amount,
  CASE
    WHEN m.moved = 0 OR s.cbi_class IS NULL THEN s.cbi_class
    WHEN s.overdue_days + m.moved > s.doubtful_after THEN 'doubtful'
    WHEN s.overdue_days + m.moved > s.deferred_after THEN 'deferred'
    WHEN s.overdue_days + m.moved > s.past_due_after THEN 'past_due'
    ELSE 'current'
  END AS cbi_class,
  s.ledger_class,
  s.booked_key,
  s.next_due_on,
  s.overdue_unpaid_days + s.overdue_amount::numeric * m.moved AS overdue_unpaid_days,
  s.loan_type_id,
  s.penalty_rate_e4,
  s.branch_id,
  s.status,
  s.oldest_due_on
FROM facility_figures_stored s
-- days passed since the row was written; nothing moves without an overdue amount
CROSS JOIN LATERAL (
  SELECT CASE WHEN s.overdue_amount > 0
              THEN greatest(coalesce((SELECT c.as_of FROM figures_clock c) - s.as_of, 0), 0)
              ELSE 0 END AS moved
) m
-- the run's own rounding (day-run.repository.ts): rate × Σ(unpaid × days) / (100 × basis), down, once
CROSS JOIN LATERAL (
  SELECT CASE WHEN m.moved = 0 THEN s.penalty
              ELSE div((s.overdue_unpaid_days + s.overdue_amount::numeric * m.moved) * s.penalty_rate_e4,
                       1000000 * s.day_basis)::bigint END AS penalty
) p;
