-- Issue 6 point 2: SMS over SMPP v3.4. The SMSC answers a submit_sm with its own message id and later
-- sends a delivery receipt (deliver_sm) naming that id; receipts are kept here as they come (before
-- the SMSC is acknowledged, so none is lost in a crash) and the dispatcher's status poll reads them.
CREATE TABLE smpp_receipts (
  -- the SMSC account (system_id@host:port): a receipt may come on any bind of it, another server's too
  smsc text NOT NULL,
  message_id text NOT NULL,
  -- the receipt's own word (DELIVRD, UNDELIV, EXPIRED …) and ours (delivered, failed, expired, pending)
  stat text NOT NULL,
  status text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (smsc, message_id)
);

-- What phones sent to the bank's lines (mobile originated), every one kept as it came.
CREATE TABLE inbound_sms (
  id bigserial PRIMARY KEY,
  provider text NOT NULL,
  -- the phone, stored as mobiles are (09…) when it is one
  source text NOT NULL,
  -- the bank's line it was sent to
  line text NOT NULL,
  text text NOT NULL,
  opt_out boolean NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- A reply of «۱۱» (the regulator's «لغو۱۱»): that mobile no longer takes informational SMS from that
-- line; legal warnings still go (settings `sms_opt_out`).
CREATE TABLE sms_opt_outs (
  mobile text NOT NULL,
  line text NOT NULL,
  inbound_sms_id bigint NOT NULL REFERENCES inbound_sms (id),
  opted_out_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mobile, line)
);
