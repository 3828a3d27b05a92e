-- Small per-user preferences (e.g. the data source a user last created a query on), so modals
-- can start from what the person used before. Never credentials: those live in `credentials`.
CREATE TABLE user_prefs (
  tenant_id  text NOT NULL,  -- Slack enterprise id, or team id outside Enterprise Grid
  user_id    text NOT NULL,  -- Slack user id
  key        text NOT NULL,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, key)
);
