-- One budget of background chat.postMessage calls per Slack workspace, shared by every replica
-- (issue 18: a personal digest's fan-out to 1,000 subscribers). store/post-budget.ts explains
-- the design: each post reserves the next free send slot in this row with one atomic upsert,
-- and a 429's Retry-After, seen by any replica, holds the whole workspace until paused_until.
CREATE TABLE slack_post_budget (
  -- A workspace (team) id, or an Enterprise Grid org's id for an org-wide install.
  workspace    text PRIMARY KEY,
  -- The earliest start of the next free slot; slots are one interval apart.
  next_slot_at timestamptz NOT NULL,
  -- Set from a 429's Retry-After: no slot starts before it.
  paused_until timestamptz
);
