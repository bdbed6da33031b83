-- Issue 6 point 1: a channel stopped because its account cannot send (out of credit, a wrong key, a
-- disabled account) waits for an administrator, unlike a provider that is merely down for a while.
-- The provider is kept with the state so the alert names it.
ALTER TABLE channel_states
  ADD COLUMN needs_admin boolean NOT NULL DEFAULT false,
  ADD COLUMN provider text,
  ADD COLUMN since timestamptz;
