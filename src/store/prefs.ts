import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';

/** Keys the bot remembers per user; a closed list so a typo cannot create a stray preference. */
export type PrefKey = 'query.last_datasource_id' | 'compose.pending_sql';

/** Per-user preferences: small JSON values keyed by (tenant, user, key). */
export interface PrefStore {
  get(owner: Owner, key: PrefKey): Promise<unknown>;
  set(owner: Owner, key: PrefKey, value: unknown): Promise<void>;
}

export function createPrefStore(db: Queryable): PrefStore {
  return {
    async get(owner, key) {
      const [row] = await db.query<{ value: unknown }>(
        'SELECT value FROM user_prefs WHERE tenant_id = $1 AND user_id = $2 AND key = $3',
        [owner.tenantId, owner.userId, key],
      );
      return row?.value;
    },
    async set(owner, key, value) {
      await db.query(
        `INSERT INTO user_prefs (tenant_id, user_id, key, value, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, now())
         ON CONFLICT (tenant_id, user_id, key)
         DO UPDATE SET value = excluded.value, updated_at = now()`,
        [owner.tenantId, owner.userId, key, JSON.stringify(value)],
      );
    },
  };
}
