-- The caps (B1) count a person's first attempts of SMS and calls over seven days that were not held
-- or cancelled. The index holds exactly those rows, so the planner's look-up per person of a day
-- finds its answer in the index alone: most people have none, and no longer cost a visit to the
-- outbox for each held message or retry of theirs.
DROP INDEX notifications_person;
CREATE INDEX notifications_person ON notifications (person_key, business_date)
  WHERE channel IN ('sms', 'call') AND attempt = 1 AND status NOT IN ('held', 'cancelled');
