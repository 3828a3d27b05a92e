-- Scheduled channel digests: what to post where, on which cron in which zone, as whom (the
-- creator's own credentials). pg-boss fires the schedule; digest_deliveries is the claim that
-- makes each slot post once, whichever replica or retry gets there.
CREATE TABLE digests (
  id                   text PRIMARY KEY,
  tenant_id            text NOT NULL,
  user_id              text NOT NULL,
  channel_id           text NOT NULL,
  name                 text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('query_result', 'failed_runs', 'flag_changes', 'mode_runs')),
  params               jsonb NOT NULL DEFAULT '{}'::jsonb,
  cron                 text NOT NULL,
  tz                   text NOT NULL,
  status               text NOT NULL CHECK (status IN ('active', 'paused')),
  paused_reason        text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  -- Where the next digest's period starts: the end of the last one delivered.
  since_at             timestamptz NOT NULL,
  last_run_at          timestamptz,
  last_outcome         text,
  last_detail          text,
  -- What "only if changed" compares with (a hash of the last posted result).
  last_fingerprint     text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX digests_tenant_idx ON digests (tenant_id, created_at);

CREATE TABLE digest_deliveries (
  digest_id   text NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
  -- ISO instant of a scheduled slot, or manual:<id> for Run now.
  slot        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
  claimed_at  timestamptz NOT NULL,
  finished_at timestamptz,
  detail      text,
  PRIMARY KEY (digest_id, slot)
);
