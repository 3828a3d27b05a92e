-- Events API deliveries already handled, by Slack's event_id, so a redelivery (Slack resends an
-- event whose ack was slow, with X-Slack-Retry-Num) is handled once across replicas. Rows are
-- kept for a short window and pruned as new events arrive.
CREATE TABLE seen_events (
  event_id text PRIMARY KEY,
  seen_at  timestamptz NOT NULL
);
CREATE INDEX seen_events_seen_at_idx ON seen_events (seen_at);
