-- Alerts and issue 18: what the audience check found when an alert was saved into a channel,
-- and personal alerts, delivered "to each subscriber, as themselves" with the same machinery as
-- personal digests (store/digest-subscriptions.ts, over these tables for an alert):
-- alert_subscriptions who gets a copy, alert_copy_runs what one firing sends (rendered once),
-- alert_copies the claim that makes each subscriber's copy of a firing post once, whichever
-- replica or retry gets there (slot = '<judged result slot>#<Slack user id>').
ALTER TABLE alerts ADD COLUMN personal boolean NOT NULL DEFAULT false;
-- "1 of 4 members of #sales cannot see query 15 in Alation…" or "Everyone in #sales who has
-- connected Alation can see query 15.", shown on the list entry; null when not checked.
ALTER TABLE alerts ADD COLUMN audience_note text;

CREATE TABLE alert_subscriptions (
  alert_id          text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  tenant_id         text NOT NULL,
  user_id           text NOT NULL,
  -- Set when the subscriber was told to reconnect Alation: once, not once per firing.
  reconnect_told_at timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, user_id)
);
CREATE INDEX alert_subscriptions_user_idx ON alert_subscriptions (tenant_id, user_id);

CREATE TABLE alert_copy_runs (
  alert_id   text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  slot       text NOT NULL,
  message    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, slot)
);

CREATE TABLE alert_copies (
  alert_id    text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  slot        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
  claimed_at  timestamptz NOT NULL,
  finished_at timestamptz,
  detail      text,
  PRIMARY KEY (alert_id, slot)
);
