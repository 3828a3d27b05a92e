import { createHash, randomBytes } from 'node:crypto';
import type { Owner } from '../store/credentials.ts';
import type { Queryable } from '../store/db.ts';
import type { Keyring } from '../store/keyring.ts';
import { open, seal } from '../store/seal.ts';

/** How long a "Sign in with Alation" link stays good. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** Kept sealed with the state until the callback. */
export interface OAuthStateData {
  codeVerifier: string;
  /** The slash command's response_url, to confirm in the conversation it started in. */
  responseUrl?: string | undefined;
  /** external_id of the login modal, to update it when sign-in completes. */
  viewExternalId?: string | undefined;
}

export type Consumed =
  | { ok: true; owner: Owner; data: OAuthStateData }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface OAuthStates {
  /**
   * A new one-time state bound to `owner`; only its hash is stored. `build` gets the state
   * first because what is kept with it (the PKCE verifier) comes out of building the URL.
   */
  create<T>(
    owner: Owner,
    build: (state: string) => { data: OAuthStateData; result: T },
  ): Promise<T>;
  /** Uses the state up: a second call with the same state is refused. */
  consume(state: string): Promise<Consumed>;
}

const hash = (state: string) => createHash('sha256').update(state).digest('hex');
const context = (stateHash: string) => `oauth_state:${stateHash}`;

export function createOAuthStates(db: Queryable, keyring: Keyring, now: () => Date): OAuthStates {
  return {
    async create(owner, build) {
      const state = randomBytes(32).toString('base64url');
      const { data, result } = build(state);
      const stateHash = hash(state);
      const sealed = seal(keyring, Buffer.from(JSON.stringify(data)), context(stateHash));
      const expiresAt = new Date(now().getTime() + OAUTH_STATE_TTL_MS);
      await db.query(
        `INSERT INTO oauth_states (state_hash, tenant_id, user_id, key_id, secret, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [stateHash, owner.tenantId, owner.userId, sealed.keyId, sealed.box, expiresAt],
      );
      // Expired states are useless; clearing them here keeps the table small without a job.
      await db.query('DELETE FROM oauth_states WHERE expires_at < $1', [
        new Date(now().getTime() - OAUTH_STATE_TTL_MS),
      ]);
      return result;
    },

    async consume(state) {
      const stateHash = hash(state);
      // One statement decides the winner, so two callbacks racing cannot both succeed.
      const [row] = await db.query<{
        tenant_id: string;
        user_id: string;
        key_id: string;
        secret: Uint8Array;
      }>(
        `UPDATE oauth_states SET used_at = $2
          WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2
          RETURNING tenant_id, user_id, key_id, secret`,
        [stateHash, now()],
      );
      if (!row) {
        const [seen] = await db.query<{ used_at: Date | null }>(
          'SELECT used_at FROM oauth_states WHERE state_hash = $1',
          [stateHash],
        );
        return { ok: false, reason: !seen ? 'unknown' : seen.used_at ? 'used' : 'expired' };
      }
      const opened = open(
        keyring,
        { keyId: row.key_id, box: Buffer.from(row.secret) },
        context(stateHash),
      );
      if (!opened.ok) return { ok: false, reason: 'unknown' };
      return {
        ok: true,
        owner: { tenantId: row.tenant_id, userId: row.user_id },
        data: JSON.parse(opened.plaintext.toString('utf8')) as OAuthStateData,
      };
    },
  };
}
