-- V33 overdue cases: the list's default order (most overdue days first) read from an index of the
-- facilities in arrears only, so the first page stops after its rows instead of sorting ~300k of them.
-- It costs a run the HOT update of those rows (their overdue days change daily anyway).
CREATE INDEX facility_figures_overdue ON facility_figures (overdue_days DESC, facility_id)
  WHERE overdue_amount > 0;
