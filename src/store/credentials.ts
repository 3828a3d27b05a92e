import type { Logger } from '../log.ts';
import type { Queryable } from './db.ts';
import type { Keyring } from './keyring.ts';
import { open, seal } from './seal.ts';

export type Provider = 'alation' | 'mode';

/** Whose credentials: one Slack user in one workspace (or Enterprise Grid org). */
export interface Owner {
  /** Enterprise id on Enterprise Grid, else team id: the scope in which user ids are unique. */
  tenantId: string;
  userId: string;
  /**
   * On Enterprise Grid, the workspace the person acted in (`tenantId` is then the org). What
   * they create in a channel remembers it, so work done later without a request (a digest, a
   * job card) posts with that workspace's installation when the org has no org-wide one.
   * Credentials ignore it: one connection serves the whole org.
   */
  teamId?: string;
}

/** Safe-to-show facts about a credential; stored in plain text, so never a token. */
export type Profile = Record<string, string | number | boolean | null>;

export type Loaded<S> =
  | { state: 'connected'; secret: S; profile: Profile; updatedAt: Date }
  | { state: 'missing' }
  | { state: 'reconnect'; reason: ReconnectReason | string; profile: Profile };

/** Why a stored credential can no longer be used; each gets its own wording in Slack. */
export type ReconnectReason =
  | 'key_missing'
  | 'unreadable'
  | 'refresh_token_invalid'
  | 'refresh_token_expired'
  | 'credentials_rejected';

export interface ConnectionRow {
  provider: Provider;
  status: 'active' | 'reconnect';
  status_reason: string | null;
  profile: Profile;
}

export interface CredentialStore {
  load<S>(owner: Owner, provider: Provider): Promise<Loaded<S>>;
  /** Creates or replaces the credential and marks it usable. */
  save(owner: Owner, provider: Provider, secret: unknown, profile: Profile): Promise<void>;
  /** Replaces only the secret (a freshly minted access token), keeping profile and status. */
  updateSecret(owner: Owner, provider: Provider, secret: unknown): Promise<void>;
  markReconnect(owner: Owner, provider: Provider, reason: ReconnectReason): Promise<void>;
  /** True when there was something to delete. */
  remove(owner: Owner, provider: Provider): Promise<boolean>;
  /** Re-seals every readable row under the current key; reports what it could not read. */
  rotateAll(): Promise<{ resealed: number; current: number; unreadable: number }>;
  /** Which providers the user has rows for, without opening any secret. */
  list(owner: Owner): Promise<ConnectionRow[]>;
}

interface Row {
  key_id: string;
  secret: Uint8Array;
  profile: Profile;
  status: 'active' | 'reconnect';
  status_reason: string | null;
  updated_at: Date | string;
}

/** Binds a sealed secret to its row: moved to another user or provider, it will not open. */
const context = (owner: Owner, provider: Provider) =>
  `credentials:${owner.tenantId}:${owner.userId}:${provider}`;

export function createCredentialStore(
  db: Queryable,
  keyring: Keyring,
  log: Logger,
): CredentialStore {
  const sealJson = (owner: Owner, provider: Provider, secret: unknown) =>
    seal(keyring, Buffer.from(JSON.stringify(secret), 'utf8'), context(owner, provider));

  const store: CredentialStore = {
    async load<S>(owner: Owner, provider: Provider): Promise<Loaded<S>> {
      const [row] = await db.query<Row>(
        `SELECT key_id, secret, profile, status, status_reason, updated_at
           FROM credentials WHERE tenant_id = $1 AND user_id = $2 AND provider = $3`,
        [owner.tenantId, owner.userId, provider],
      );
      if (!row) return { state: 'missing' };
      if (row.status === 'reconnect') {
        return { state: 'reconnect', reason: row.status_reason ?? 'unknown', profile: row.profile };
      }
      const opened = open(
        keyring,
        { keyId: row.key_id, box: Buffer.from(row.secret) },
        context(owner, provider),
      );
      if (!opened.ok) {
        const reason = opened.reason === 'key_missing' ? 'key_missing' : 'unreadable';
        log.warn({ provider, keyId: row.key_id, reason }, 'stored credential cannot be opened');
        await store.markReconnect(owner, provider, reason);
        return { state: 'reconnect', reason, profile: row.profile };
      }
      const secret = JSON.parse(opened.plaintext.toString('utf8')) as S;
      // Rotation on use: whatever is read under an old key is written back under the new one.
      if (opened.stale) await store.updateSecret(owner, provider, secret);
      return {
        state: 'connected',
        secret,
        profile: row.profile,
        updatedAt: new Date(row.updated_at),
      };
    },

    async save(owner, provider, secret, profile) {
      const sealed = sealJson(owner, provider, secret);
      await db.query(
        `INSERT INTO credentials (tenant_id, user_id, provider, key_id, secret, profile, status, status_reason)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'active', NULL)
         ON CONFLICT (tenant_id, user_id, provider) DO UPDATE
           SET key_id = excluded.key_id, secret = excluded.secret, profile = excluded.profile,
               status = 'active', status_reason = NULL, updated_at = now()`,
        [owner.tenantId, owner.userId, provider, sealed.keyId, sealed.box, JSON.stringify(profile)],
      );
    },

    async updateSecret(owner, provider, secret) {
      const sealed = sealJson(owner, provider, secret);
      await db.query(
        `UPDATE credentials SET key_id = $4, secret = $5, updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND provider = $3`,
        [owner.tenantId, owner.userId, provider, sealed.keyId, sealed.box],
      );
    },

    async markReconnect(owner, provider, reason) {
      await db.query(
        `UPDATE credentials SET status = 'reconnect', status_reason = $4, updated_at = now()
          WHERE tenant_id = $1 AND user_id = $2 AND provider = $3`,
        [owner.tenantId, owner.userId, provider, reason],
      );
    },

    async remove(owner, provider) {
      const rows = await db.query(
        `DELETE FROM credentials WHERE tenant_id = $1 AND user_id = $2 AND provider = $3
         RETURNING 1`,
        [owner.tenantId, owner.userId, provider],
      );
      return rows.length > 0;
    },

    async rotateAll() {
      const rows = await db.query<{
        tenant_id: string;
        user_id: string;
        provider: Provider;
        key_id: string;
        secret: Uint8Array;
      }>(
        `SELECT tenant_id, user_id, provider, key_id, secret FROM credentials
          WHERE key_id <> $1 AND status = 'active'`,
        [keyring.current.id],
      );
      let resealed = 0;
      let unreadable = 0;
      for (const row of rows) {
        const owner = { tenantId: row.tenant_id, userId: row.user_id };
        const opened = open(
          keyring,
          { keyId: row.key_id, box: Buffer.from(row.secret) },
          context(owner, row.provider),
        );
        if (!opened.ok) {
          unreadable++;
          await store.markReconnect(
            owner,
            row.provider,
            opened.reason === 'key_missing' ? 'key_missing' : 'unreadable',
          );
          continue;
        }
        await store.updateSecret(
          owner,
          row.provider,
          JSON.parse(opened.plaintext.toString('utf8')),
        );
        resealed++;
      }
      const [count] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM credentials WHERE key_id = $1',
        [keyring.current.id],
      );
      return { resealed, current: count?.n ?? 0, unreadable };
    },

    async list(owner) {
      return db.query<ConnectionRow>(
        `SELECT provider, status, status_reason, profile FROM credentials
          WHERE tenant_id = $1 AND user_id = $2 ORDER BY provider`,
        [owner.tenantId, owner.userId],
      );
    },
  };
  return store;
}
