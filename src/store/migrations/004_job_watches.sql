-- Bulk-metadata jobs someone asked the bot to watch: where the status card is, whose
-- credentials poll it, and how the watch ended. Polls themselves are pg-boss jobs.
CREATE TABLE job_watches (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL,
  user_id     text NOT NULL,
  channel_id  text NOT NULL,
  message_ts  text NOT NULL,
  job_id      bigint,
  job_name    text,
  status      text NOT NULL CHECK (status IN ('watching', 'finished', 'stopped', 'expired', 'lost_access', 'gone')),
  job_status  text,
  job_msg     text,
  job_result  jsonb,
  polls       integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL,
  deadline    timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (job_id IS NOT NULL OR job_name IS NOT NULL)
);
CREATE INDEX job_watches_owner_idx ON job_watches (tenant_id, user_id) WHERE status = 'watching';
