-- Issue 6 point 2: what a workflow's messages are, for the opt-out of «لغو۱۱». Reminders and overdue
-- notices are informational and a line that replied «۱۱» may stop them (settings `sms_opt_out`); a
-- legal warning always goes. Existing workflows: a range that starts before the due date reminds.
ALTER TABLE workflows
  ADD COLUMN message_kind text NOT NULL DEFAULT 'overdue_notice'
    CHECK (message_kind IN ('reminder', 'overdue_notice', 'legal_warning'));
UPDATE workflows SET message_kind = 'reminder' WHERE from_day < 0;
