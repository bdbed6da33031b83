-- Issue 5, point 6: the outbox of notifications and its dispatch.
-- One row per occasion, attempt, recipient and channel, under a unique key the planner builds, so a
-- re-run or two planners never write a second row. Facility numbers are kept (a merged message covers
-- several) and the text is rendered when planned: what was sent is what the row says.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  occasion_key text NOT NULL UNIQUE,
  business_date date NOT NULL,
  workflow_id integer REFERENCES workflows(id) ON DELETE SET NULL,
  -- derived rows written by the planner from the facilities it has just read: no per-row foreign key
  facility_id bigint NOT NULL,
  facility_nos text[] NOT NULL,
  branch_id integer NOT NULL,
  recipient_role text NOT NULL CHECK (recipient_role IN ('borrower', 'guarantor')),
  recipient_name text NOT NULL,
  -- the person (national code, else mobile) the contact rules count by
  person_key text NOT NULL,
  channel text NOT NULL
    CHECK (channel IN ('sms', 'call', 'email', 'intro_letter', 'warning_notice', 'declaration')),
  address text NOT NULL,
  text text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('planned', 'held', 'queued', 'sent', 'delivered',
    'failed', 'expired', 'answered', 'no_answer', 'busy', 'rejected', 'printed', 'filed', 'served', 'cancelled')),
  held_reason text,
  -- the attempts of the day (P3): a failed attempt makes the next one `retry_minutes` later, while
  -- `attempt` < `max_attempts` and before the send window closes
  attempt smallint NOT NULL DEFAULT 1,
  max_attempts smallint NOT NULL DEFAULT 1,
  retry_minutes integer NOT NULL DEFAULT 0,
  scheduled_at timestamptz NOT NULL,
  window_ends_at timestamptz NOT NULL,
  -- provider errors: tried again with backoff from `next_try_at`
  next_try_at timestamptz NOT NULL,
  tries smallint NOT NULL DEFAULT 0,
  last_error text,
  provider text,
  provider_id text,
  sent_at timestamptz,
  status_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
-- what the dispatchers claim, and the sent messages waiting for their delivery report
CREATE INDEX notifications_due ON notifications (channel, next_try_at) WHERE status = 'queued';
CREATE INDEX notifications_awaiting ON notifications (channel, sent_at) WHERE status = 'sent';
CREATE INDEX notifications_facility ON notifications (facility_id, business_date);
CREATE INDEX notifications_date ON notifications (business_date, branch_id);

-- every status change of a notification, with its time
CREATE TABLE notification_events (
  id bigserial PRIMARY KEY,
  notification_id bigint NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  status text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  detail text
);
CREATE INDEX notification_events_notification ON notification_events (notification_id, at);

-- a channel whose provider is down or out of credit waits until `paused_until` (its messages wait)
CREATE TABLE channel_states (
  channel text PRIMARY KEY,
  paused_until timestamptz,
  failures integer NOT NULL DEFAULT 0,
  reason text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The simulator provider's own side: what a provider keeps about the messages it accepted, by the
-- sender's reference (Kavenegar's `localid`), so a message sent again after a crash is not sent twice.
CREATE TABLE simulator_messages (
  provider text NOT NULL,
  local_id text NOT NULL,
  message_id bigserial NOT NULL,
  channel text NOT NULL,
  address text NOT NULL,
  text text NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL,
  outcome_at timestamptz NOT NULL,
  PRIMARY KEY (provider, local_id)
);
CREATE UNIQUE INDEX simulator_messages_id ON simulator_messages (message_id);
