-- What a planned message is (reminder, overdue notice, legal warning), as the plan decided it: a
-- merged SMS that carries a legal warning is one, whichever workflow leads it. Dispatch reads it to
-- hold the informational SMS of a mobile that opted out («۱۱») after its plan; rows planned before
-- this column read their workflow's kind.
ALTER TABLE notifications ADD COLUMN message_kind text
  CHECK (message_kind IN ('reminder', 'overdue_notice', 'legal_warning'));

-- Why an answered call failed after all (its recording could not be played), for the outbox's last error.
ALTER TABLE ari_calls ADD COLUMN failure text;
