-- The parts of a long SMS an SMSC took before its link dropped (the rest unanswered): sent again, the
-- message goes to that SMSC with the same concatenation reference and only its missing parts, so the
-- phone puts one message together instead of showing its first parts twice. Kept until the message
-- is taken whole or refused, or two days at most.
CREATE TABLE smpp_partial_messages (
  smsc text NOT NULL,
  local_id text NOT NULL,
  reference smallint NOT NULL,
  -- sender, destination and text the parts were cut from: a message sent otherwise starts afresh
  fingerprint text NOT NULL,
  -- the SMSC's message id of each part by its position, '' for a part not taken yet
  message_ids text[] NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (smsc, local_id)
);
