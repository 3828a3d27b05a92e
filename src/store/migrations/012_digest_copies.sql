-- Personal copies of digests (issue 18): a digest marked personal sends each subscriber a DM
-- each run, shown only when Alation, asked as that subscriber, lets them see the query.
-- digest_copies is the claim that makes each subscriber's copy of a slot post once, whichever
-- replica or retry gets there (slot = '<digest slot>#<Slack user id>').
ALTER TABLE digests ADD COLUMN personal boolean NOT NULL DEFAULT false;
-- What the audience check found when it was saved ("1 of 4 members of #sales cannot see…"),
-- shown on its list entry; null when everyone connected could see it or it was not checked.
ALTER TABLE digests ADD COLUMN audience_note text;

CREATE TABLE digest_subscriptions (
  digest_id         text NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
  tenant_id         text NOT NULL,
  user_id           text NOT NULL,
  -- Set when the subscriber was told their Alation connection needs reconnecting: once, not
  -- once per run; cleared when a copy reaches them again.
  reconnect_told_at timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (digest_id, user_id)
);
CREATE INDEX digest_subscriptions_user_idx ON digest_subscriptions (tenant_id, user_id);

-- What one run of a personal digest sends: rendered once, read by every replica's copy jobs.
CREATE TABLE digest_copy_runs (
  digest_id  text NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
  slot       text NOT NULL,
  message    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (digest_id, slot)
);

CREATE TABLE digest_copies (
  digest_id   text NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
  slot        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
  claimed_at  timestamptz NOT NULL,
  finished_at timestamptz,
  detail      text,
  PRIMARY KEY (digest_id, slot)
);
