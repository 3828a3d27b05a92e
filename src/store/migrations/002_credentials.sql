-- Per-user credentials for Alation and Mode. `secret` is AES-256-GCM sealed (see seal.ts) under
-- the key whose fingerprint is `key_id`; `profile` holds only what is safe to show (user name,
-- expiry dates), never a token.
CREATE TABLE credentials (
  tenant_id     text NOT NULL,  -- Slack enterprise id, or team id outside Enterprise Grid
  user_id       text NOT NULL,  -- Slack user id
  provider      text NOT NULL CHECK (provider IN ('alation', 'mode')),
  key_id        text NOT NULL,
  secret        bytea NOT NULL,
  profile       jsonb NOT NULL DEFAULT '{}'::jsonb,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reconnect')),
  status_reason text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, provider)
);
CREATE INDEX credentials_key_id_idx ON credentials (key_id);

-- One-time OAuth `state` values. Only a hash of the state is stored; the PKCE verifier and
-- where to report back are sealed like credentials.
CREATE TABLE oauth_states (
  state_hash text PRIMARY KEY,
  tenant_id  text NOT NULL,
  user_id    text NOT NULL,
  key_id     text NOT NULL,
  secret     bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
