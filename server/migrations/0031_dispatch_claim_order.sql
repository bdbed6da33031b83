-- Issue 5 point 6: a dispatcher claims the due messages of a channel in the order (next_try_at, id).
-- The index holds that whole order, so a claim reads its batch from the index's start instead of
-- sorting every due message of the channel (100 k due: 76 ms per claim).
DROP INDEX notifications_due;
CREATE INDEX notifications_due ON notifications (channel, next_try_at, id) WHERE status = 'queued';
