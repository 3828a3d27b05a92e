-- Alerts on query results (issue 17): what to watch, where its card goes, as whom (the creator's
-- own credentials), and the state one check leaves for the next. alert_checks is the claim that
-- makes each new result judged once, whichever replica or retry gets there.
CREATE TABLE alerts (
  id                   text PRIMARY KEY,
  tenant_id            text NOT NULL,
  user_id              text NOT NULL,
  -- A channel, or the creator's DM with the bot for "only me".
  channel_id           text NOT NULL,
  only_me              boolean NOT NULL DEFAULT false,
  -- The creator's Slack time zone when saved: the card's times are shown in it.
  tz                   text NOT NULL DEFAULT 'UTC',
  name                 text NOT NULL,
  query_id             integer NOT NULL,
  condition            jsonb NOT NULL,
  every_minutes        integer NOT NULL CHECK (every_minutes IN (1, 5, 15, 60)),
  status               text NOT NULL CHECK (status IN ('active', 'muted', 'paused')),
  paused_reason        text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  snoozed_until        timestamptz,
  snoozed_by           text,
  -- The open episode (alerts/episode.ts), null while the condition is clear.
  episode              jsonb,
  -- What the last judged result was: its id and run, and what the next check compares with.
  last_result          text,
  last_checked_at      timestamptz,
  last_state           text,
  last_value           double precision,
  last_fingerprint     text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_tenant_idx ON alerts (tenant_id, created_at);

-- The hashed key values of the last judged result (new-rows alerts), 12 bytes each, apart from
-- the alert so that listing alerts never reads them.
CREATE TABLE alert_keys (
  alert_id text PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  keys     bytea NOT NULL,
  capped   boolean NOT NULL DEFAULT false
);

CREATE TABLE alert_checks (
  alert_id    text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  -- The result judged: "<result id>@<executed at>", so a re-run into the same id counts anew.
  slot        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
  claimed_at  timestamptz NOT NULL,
  finished_at timestamptz,
  detail      text,
  PRIMARY KEY (alert_id, slot)
);
