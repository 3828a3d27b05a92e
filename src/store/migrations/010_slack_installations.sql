-- Slack installations when the app is distributed by OAuth (SLACK_CLIENT_ID is set). One row per
-- workspace install ('T:<team id>') or Enterprise Grid org-wide install ('E:<enterprise id>').
-- `secret` is Bolt's Installation (bot token, refresh token, ...) as JSON, AES-256-GCM sealed
-- with the credentials keyring; only ids and expiry times are stored in plain text.
CREATE TABLE slack_installations (
  id                    text PRIMARY KEY,
  enterprise_id         text,
  team_id               text,
  is_enterprise_install boolean NOT NULL,
  key_id                text NOT NULL,
  secret                bytea NOT NULL,
  -- A rotating bot token's expiry; null when token rotation is off.
  bot_expires_at        timestamptz,
  -- The replica refreshing the token holds this until it is done (or the claim goes stale).
  refresh_claimed_until timestamptz,
  installed_at          timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_installations_enterprise_idx ON slack_installations (enterprise_id);
CREATE INDEX slack_installations_expiry_idx ON slack_installations (bot_expires_at)
  WHERE bot_expires_at IS NOT NULL;

-- One-time `state` values of "Add to Slack": only a hash is stored, used once, expiring.
CREATE TABLE slack_install_states (
  state_hash      text PRIMARY KEY,
  install_options jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_install_states_expires_idx ON slack_install_states (expires_at);

-- Workspaces (or orgs) that uninstalled the app or revoked its tokens: their users' stored
-- Alation and Mode credentials are deleted once `purge_after` passes, unless reinstalled first.
CREATE TABLE slack_uninstalls (
  tenant_id      text PRIMARY KEY,
  uninstalled_at timestamptz NOT NULL,
  purge_after    timestamptz NOT NULL
);
