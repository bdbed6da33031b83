-- Issue 5, point 3 (P5): SMS go out on an advertising line; a number that blocks advertising lines is
-- sent to through the service line instead — again at once when its provider reports the block, and
-- from the start for every later message to a number known to block them.
ALTER TABLE notifications
  ADD COLUMN line text NOT NULL DEFAULT 'advertising' CHECK (line IN ('advertising', 'service'));

CREATE TABLE sms_ad_blocked (
  mobile text PRIMARY KEY,
  reported_at timestamptz NOT NULL DEFAULT now()
);

-- the simulator provider keeps the sender line of each message, as a provider does
ALTER TABLE simulator_messages ADD COLUMN line text NOT NULL DEFAULT 'advertising';
