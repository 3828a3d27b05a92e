// Who gets their own copy of a personal digest (issue 18), what each run sends them, and the
// per-subscriber claims that make each copy post once across replicas and restarts.
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';
import { createSlotClaims, type SlotClaims } from './slot-claims.ts';

export interface Subscription {
  digestId: string;
  owner: Owner;
  reconnectToldAt: Date | null;
}

export interface MySubscription {
  digestId: string;
  name: string;
  channelId: string;
}

export interface SubscriptionStore {
  /** True when newly subscribed (false: already was). */
  subscribe(digestId: string, owner: Owner): Promise<boolean>;
  /** True when there was a subscription to end. */
  unsubscribe(digestId: string, owner: Owner): Promise<boolean>;
  isSubscribed(digestId: string, owner: Owner): Promise<boolean>;
  count(digestId: string): Promise<number>;
  /** Subscribers in a stable order, a page at a time (fan-out batches). */
  page(digestId: string, offset: number, limit: number): Promise<Subscription[]>;
  /** The personal digests `owner` gets a copy of, by name. */
  mine(owner: Owner): Promise<MySubscription[]>;
  /** Marks that a subscriber was told to reconnect; false when they already had been. */
  markReconnectTold(digestId: string, owner: Owner, now: Date): Promise<boolean>;
  clearReconnectTold(digestId: string, owner: Owner): Promise<void>;
  /** What a run sends (rendered once); the first saved for a slot stays. */
  saveRun(digestId: string, slot: string, message: unknown): Promise<void>;
  run(digestId: string, slot: string): Promise<unknown | undefined>;
  /** Claims on (digest, `<slot>#<user>`), in digest_copies. */
  claims: SlotClaims;
}

interface Row {
  digest_id: string;
  tenant_id: string;
  user_id: string;
  reconnect_told_at: Date | string | null;
}

export function createSubscriptionStore(db: Queryable): SubscriptionStore {
  return {
    async subscribe(digestId, owner) {
      const rows = await db.query(
        `INSERT INTO digest_subscriptions (digest_id, tenant_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (digest_id, user_id) DO NOTHING RETURNING 1`,
        [digestId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async unsubscribe(digestId, owner) {
      const rows = await db.query(
        `DELETE FROM digest_subscriptions WHERE digest_id = $1 AND tenant_id = $2 AND user_id = $3
         RETURNING 1`,
        [digestId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async isSubscribed(digestId, owner) {
      const rows = await db.query(
        `SELECT 1 FROM digest_subscriptions WHERE digest_id = $1 AND tenant_id = $2 AND user_id = $3`,
        [digestId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async count(digestId) {
      const [row] = await db.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM digest_subscriptions WHERE digest_id = $1',
        [digestId],
      );
      return Number(row?.n ?? 0);
    },
    async page(digestId, offset, limit) {
      const rows = await db.query<Row>(
        `SELECT digest_id, tenant_id, user_id, reconnect_told_at FROM digest_subscriptions
          WHERE digest_id = $1 ORDER BY user_id OFFSET $2 LIMIT $3`,
        [digestId, offset, limit],
      );
      return rows.map((r) => ({
        digestId: r.digest_id,
        owner: { tenantId: r.tenant_id, userId: r.user_id },
        reconnectToldAt: r.reconnect_told_at === null ? null : new Date(r.reconnect_told_at),
      }));
    },
    async mine(owner) {
      const rows = await db.query<{ id: string; name: string; channel_id: string }>(
        `SELECT d.id, d.name, d.channel_id FROM digest_subscriptions s
           JOIN digests d ON d.id = s.digest_id
          WHERE s.tenant_id = $1 AND s.user_id = $2 ORDER BY d.name, d.id`,
        [owner.tenantId, owner.userId],
      );
      return rows.map((r) => ({ digestId: r.id, name: r.name, channelId: r.channel_id }));
    },
    async markReconnectTold(digestId, owner, now) {
      const rows = await db.query(
        `UPDATE digest_subscriptions SET reconnect_told_at = $3
          WHERE digest_id = $1 AND user_id = $2 AND reconnect_told_at IS NULL RETURNING 1`,
        [digestId, owner.userId, now],
      );
      return rows.length > 0;
    },
    async clearReconnectTold(digestId, owner) {
      await db.query(
        `UPDATE digest_subscriptions SET reconnect_told_at = NULL
          WHERE digest_id = $1 AND user_id = $2 AND reconnect_told_at IS NOT NULL`,
        [digestId, owner.userId],
      );
    },
    async saveRun(digestId, slot, message) {
      await db.query(
        `INSERT INTO digest_copy_runs (digest_id, slot, message) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (digest_id, slot) DO NOTHING`,
        [digestId, slot, JSON.stringify(message)],
      );
    },
    async run(digestId, slot) {
      const [row] = await db.query<{ message: unknown }>(
        'SELECT message FROM digest_copy_runs WHERE digest_id = $1 AND slot = $2',
        [digestId, slot],
      );
      if (!row) return undefined;
      return typeof row.message === 'string' ? JSON.parse(row.message) : row.message;
    },
    claims: createSlotClaims(db, { table: 'digest_copies', owner: 'digest_id' }),
  };
}
