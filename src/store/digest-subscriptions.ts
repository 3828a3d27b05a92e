// Who gets their own copy of a personal digest or alert (issue 18), what each run or firing
// sends them, and the per-subscriber claims that make each copy post once across replicas and
// restarts. One store over either subject's tables (012 for digests, 013 for alerts).
import type { Owner } from './credentials.ts';
import type { Queryable } from './db.ts';
import { createSlotClaims, type SlotClaims } from './slot-claims.ts';

/** What a personal copy is a copy of. */
export type CopySubjectKind = 'digest' | 'alert';

export interface Subscription {
  subjectId: string;
  owner: Owner;
  reconnectToldAt: Date | null;
}

export interface MySubscription {
  subject: CopySubjectKind;
  id: string;
  name: string;
  channelId: string;
}

export interface SubscriptionStore {
  /** True when newly subscribed (false: already was). */
  subscribe(subjectId: string, owner: Owner): Promise<boolean>;
  /** True when there was a subscription to end. */
  unsubscribe(subjectId: string, owner: Owner): Promise<boolean>;
  isSubscribed(subjectId: string, owner: Owner): Promise<boolean>;
  count(subjectId: string): Promise<number>;
  /** Subscribers in a stable order, a page at a time (fan-out batches). */
  page(subjectId: string, offset: number, limit: number): Promise<Subscription[]>;
  /** The personal digests (or alerts) `owner` gets a copy of, by name. */
  mine(owner: Owner): Promise<MySubscription[]>;
  /** Marks that a subscriber was told to reconnect; false when they already had been. */
  markReconnectTold(subjectId: string, owner: Owner, now: Date): Promise<boolean>;
  clearReconnectTold(subjectId: string, owner: Owner): Promise<void>;
  /** What a run sends (rendered once); the first saved for a slot stays. */
  saveRun(subjectId: string, slot: string, message: unknown): Promise<void>;
  run(subjectId: string, slot: string): Promise<unknown | undefined>;
  /** Claims on (subject, `<slot>#<user>`), in digest_copies or alert_copies. */
  claims: SlotClaims;
}

interface Row {
  subject_id: string;
  tenant_id: string;
  user_id: string;
  reconnect_told_at: Date | string | null;
}

const TABLES = {
  digest: {
    subs: 'digest_subscriptions',
    runs: 'digest_copy_runs',
    copies: 'digest_copies',
    subjects: 'digests',
    key: 'digest_id',
  },
  alert: {
    subs: 'alert_subscriptions',
    runs: 'alert_copy_runs',
    copies: 'alert_copies',
    subjects: 'alerts',
    key: 'alert_id',
  },
} as const;

export function createSubscriptionStore(
  db: Queryable,
  subject: CopySubjectKind = 'digest',
): SubscriptionStore {
  const { subs, runs, copies, subjects, key } = TABLES[subject];
  return {
    async subscribe(subjectId, owner) {
      const rows = await db.query(
        `INSERT INTO ${subs} (${key}, tenant_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (${key}, user_id) DO NOTHING RETURNING 1`,
        [subjectId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async unsubscribe(subjectId, owner) {
      const rows = await db.query(
        `DELETE FROM ${subs} WHERE ${key} = $1 AND tenant_id = $2 AND user_id = $3
         RETURNING 1`,
        [subjectId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async isSubscribed(subjectId, owner) {
      const rows = await db.query(
        `SELECT 1 FROM ${subs} WHERE ${key} = $1 AND tenant_id = $2 AND user_id = $3`,
        [subjectId, owner.tenantId, owner.userId],
      );
      return rows.length > 0;
    },
    async count(subjectId) {
      const [row] = await db.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM ${subs} WHERE ${key} = $1`,
        [subjectId],
      );
      return Number(row?.n ?? 0);
    },
    async page(subjectId, offset, limit) {
      const rows = await db.query<Row>(
        `SELECT ${key} AS subject_id, tenant_id, user_id, reconnect_told_at FROM ${subs}
          WHERE ${key} = $1 ORDER BY user_id OFFSET $2 LIMIT $3`,
        [subjectId, offset, limit],
      );
      return rows.map((r) => ({
        subjectId: r.subject_id,
        owner: { tenantId: r.tenant_id, userId: r.user_id },
        reconnectToldAt: r.reconnect_told_at === null ? null : new Date(r.reconnect_told_at),
      }));
    },
    async mine(owner) {
      const rows = await db.query<{ id: string; name: string; channel_id: string }>(
        `SELECT d.id, d.name, d.channel_id FROM ${subs} s
           JOIN ${subjects} d ON d.id = s.${key}
          WHERE s.tenant_id = $1 AND s.user_id = $2 ORDER BY d.name, d.id`,
        [owner.tenantId, owner.userId],
      );
      return rows.map((r) => ({ subject, id: r.id, name: r.name, channelId: r.channel_id }));
    },
    async markReconnectTold(subjectId, owner, now) {
      const rows = await db.query(
        `UPDATE ${subs} SET reconnect_told_at = $3
          WHERE ${key} = $1 AND user_id = $2 AND reconnect_told_at IS NULL RETURNING 1`,
        [subjectId, owner.userId, now],
      );
      return rows.length > 0;
    },
    async clearReconnectTold(subjectId, owner) {
      await db.query(
        `UPDATE ${subs} SET reconnect_told_at = NULL
          WHERE ${key} = $1 AND user_id = $2 AND reconnect_told_at IS NOT NULL`,
        [subjectId, owner.userId],
      );
    },
    async saveRun(subjectId, slot, message) {
      await db.query(
        `INSERT INTO ${runs} (${key}, slot, message) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (${key}, slot) DO NOTHING`,
        [subjectId, slot, JSON.stringify(message)],
      );
    },
    async run(subjectId, slot) {
      const [row] = await db.query<{ message: unknown }>(
        `SELECT message FROM ${runs} WHERE ${key} = $1 AND slot = $2`,
        [subjectId, slot],
      );
      if (!row) return undefined;
      return typeof row.message === 'string' ? JSON.parse(row.message) : row.message;
    },
    claims: createSlotClaims(db, { table: copies, owner: key }),
  };
}
