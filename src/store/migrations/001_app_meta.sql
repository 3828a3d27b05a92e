-- Facts about this installation that must survive restarts and upgrades, e.g. when it was
-- first started and which encryption key sealed the stored credentials.
CREATE TABLE app_meta (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
