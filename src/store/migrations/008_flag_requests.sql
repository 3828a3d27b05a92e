-- Trust-flag requests (issue 20): someone asks a person or a stewards' channel to endorse, warn
-- about or deprecate a catalog object, and a reviewer approves (the flag is created in Alation
-- as the approver), approves with changes, or denies. The row is also the claim that lets one
-- decision win: a decision moves `status` out of 'open' in one UPDATE, so two stewards pressing
-- Approve at once create one flag. 'deciding' is held while Alation is asked; a claim older
-- than a couple of minutes (a replica died mid-call) may be taken over.
CREATE TABLE flag_requests (
  id                  text PRIMARY KEY,
  tenant_id           text NOT NULL,
  requester_id        text NOT NULL,
  subject_otype       text NOT NULL,
  subject_id          bigint NOT NULL,
  subject_name        text,
  flag_type           text NOT NULL CHECK (flag_type IN ('ENDORSEMENT', 'WARNING', 'DEPRECATION')),
  reason              text NOT NULL DEFAULT '',
  -- Who decides: one person, or anyone in a stewards' channel.
  reviewer_user_id    text,
  reviewer_channel_id text,
  -- The review card, and the requester's receipt (its thread carries questions).
  card_channel_id     text,
  card_ts             text,
  receipt_channel_id  text,
  receipt_ts          text,
  status              text NOT NULL CHECK (status IN ('open', 'deciding', 'approved', 'denied', 'withdrawn', 'expired')),
  claimed_by          text,
  claimed_at          timestamptz,
  -- The flag the claimant is creating, so whoever takes over a dead claim can find it in Alation
  -- instead of creating a second one.
  claimed_flag_type   text,
  claimed_reason      text,
  decided_by          text,
  decided_at          timestamptz,
  -- A denial's reason.
  decision_note       text,
  -- The flag as created (an approval with changes may differ from the request).
  final_flag_type     text,
  final_reason        text,
  flag_id             bigint,
  -- Why Alation refused the last approver, shown on the still-open card.
  last_refusal        text,
  created_at          timestamptz NOT NULL,
  remind_at           timestamptz NOT NULL,
  reminded_at         timestamptz,
  expires_at          timestamptz NOT NULL,
  CHECK ((reviewer_user_id IS NULL) <> (reviewer_channel_id IS NULL))
);
CREATE INDEX flag_requests_requester_idx ON flag_requests (tenant_id, requester_id, created_at);
CREATE INDEX flag_requests_reviewer_idx ON flag_requests (tenant_id, reviewer_user_id)
  WHERE status IN ('open', 'deciding');

-- Every step of every request, kept after it ends: who did what when, and the flag it made.
CREATE TABLE flag_request_events (
  id          bigserial PRIMARY KEY,
  request_id  text NOT NULL REFERENCES flag_requests (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  -- The Slack user; null for what the bot did on its own (a reminder, an expiry).
  actor_id    text,
  event       text NOT NULL CHECK (event IN ('requested', 'approved', 'denied', 'refused', 'withdrawn', 'reminded', 'expired', 'asked')),
  flag_id     bigint,
  flag_type   text,
  detail      text
);
CREATE INDEX flag_request_events_request_idx ON flag_request_events (request_id, id);
