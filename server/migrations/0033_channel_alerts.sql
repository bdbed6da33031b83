-- Issue 6: a provider that refuses the account (out of credit, a wrong key, a disabled account) waits
-- for an administrator, unlike one that is merely down for a while. One open alert per provider, with
-- its channel, reason and since when; it is cleared once the provider takes messages again. With a
-- second provider carrying the traffic the channel is not stopped, yet the first still needs seeing to.
CREATE TABLE provider_alerts (
  provider text PRIMARY KEY,
  channel text NOT NULL,
  reason text NOT NULL,
  since timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
