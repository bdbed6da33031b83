-- The daily run works only on what changed (issue 4, point 7: a whole-book run within a minute).
-- `booked_key` is what the books of a facility were last set from: its class, the amount its class
-- head holds, its unpaid amount and the two heads. A run moves the books of a facility only when this
-- differs (the books already hold the targets of an unchanged key).
ALTER TABLE facility_figures ADD COLUMN booked_key text;

-- The figures and the books are derived rows the run writes from the facilities it has just read
-- (facilities are never deleted, only closed): a foreign key checked row by row cost a first run over
-- a national book tens of seconds and protects nothing the run does not already guarantee.
ALTER TABLE facility_figures DROP CONSTRAINT facility_figures_facility_id_fkey;
ALTER TABLE ledger_balances DROP CONSTRAINT ledger_balances_facility_id_fkey;

-- The facilities whose figures must be computed afresh although nothing of the business date says so:
-- new ones, and those whose schedule (the import marks the schedules it rewrites), status, loan type,
-- contract rate or loan type rules changed. A run computes these, the ones overdue on its date and
-- the ones overdue when last computed; every other facility's figures still hold (their unpaid amount
-- does not depend on the date). A run that moves the books clears the marks it took.
CREATE TABLE figures_stale (facility_id bigint PRIMARY KEY);
INSERT INTO figures_stale SELECT id FROM facilities;

CREATE FUNCTION vosul_mark_new_facilities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_stale SELECT id FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER facilities_mark_new AFTER INSERT ON facilities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vosul_mark_new_facilities();

CREATE FUNCTION vosul_mark_changed_facilities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_stale
  SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.status, n.loan_type_id, n.annual_rate) IS DISTINCT FROM (o.status, o.loan_type_id, o.annual_rate)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER facilities_mark_changed AFTER UPDATE ON facilities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION vosul_mark_changed_facilities();

CREATE FUNCTION vosul_mark_loan_type_facilities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO figures_stale SELECT id FROM facilities WHERE loan_type_id = NEW.id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER loan_types_mark_facilities AFTER UPDATE ON loan_types FOR EACH ROW
  WHEN ((OLD.past_due_after, OLD.deferred_after, OLD.doubtful_after, OLD.penalty_rate, OLD.day_basis,
         OLD.class_holds, OLD.head_current, OLD.head_past_due, OLD.head_deferred, OLD.head_doubtful)
        IS DISTINCT FROM
        (NEW.past_due_after, NEW.deferred_after, NEW.doubtful_after, NEW.penalty_rate, NEW.day_basis,
         NEW.class_holds, NEW.head_current, NEW.head_past_due, NEW.head_deferred, NEW.head_doubtful))
  EXECUTE FUNCTION vosul_mark_loan_type_facilities();
