// "Once per slot, whichever replica or retry gets there": a row per (owner, slot) taken with one
// INSERT … ON CONFLICT, held under a lease while the work goes on, and finished or given back.
// Digests claim their scheduled slots with it, alerts the results they judge.
import type { Queryable } from './db.ts';

export type ClaimResult =
  | { state: 'claimed' }
  | { state: 'finished' }
  | { state: 'busy'; leaseEndsAt: Date };

export interface SlotClaims {
  /**
   * Takes (owner, slot) for the caller: `claimed` once per slot. A claim left by a replica that
   * died mid-run (older than `leaseMs`, never finished) can be taken over; until then it is
   * `busy` (the holder may still be working), and a finished slot is `finished`.
   */
  claim(id: string, slot: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Keeps a claim fresh while its run goes on: moves `claimed_at` from `heldSince` (what this
   * holder last wrote) to `now`. False when the claim is no longer this holder's (taken over
   * after its lease ran out, or finished), so the run must not post.
   */
  renew(id: string, slot: string, heldSince: Date, now: Date): Promise<boolean>;
  /**
   * Gives a claim back so a retry can take it (a passing upstream failure); only while it is
   * still the one written at `heldSince`, never a claim another replica has taken over.
   */
  release(id: string, slot: string, heldSince: Date): Promise<void>;
  /** Records how the slot ended. */
  finish(id: string, slot: string, status: string, now: Date, detail: string | null): Promise<void>;
  list(id: string): Promise<{ slot: string; status: string }[]>;
}

export interface ClaimTable {
  /** A table with (<owner>, slot, status, claimed_at, finished_at, detail) and that primary key. */
  table: 'digest_deliveries' | 'alert_checks' | 'digest_copies' | 'alert_copies';
  owner: 'digest_id' | 'alert_id';
}

export function createSlotClaims(db: Queryable, { table, owner }: ClaimTable): SlotClaims {
  return {
    async claim(id, slot, now, leaseMs) {
      const rows = await db.query(
        `INSERT INTO ${table} AS d (${owner}, slot, status, claimed_at)
         VALUES ($1, $2, 'claimed', $3)
         ON CONFLICT (${owner}, slot) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
           WHERE d.status = 'claimed' AND d.claimed_at < $4
         RETURNING 1`,
        [id, slot, now, new Date(now.getTime() - leaseMs)],
      );
      if (rows.length > 0) return { state: 'claimed' };
      const [held] = await db.query<{ status: string; claimed_at: Date | string }>(
        `SELECT status, claimed_at FROM ${table} WHERE ${owner} = $1 AND slot = $2`,
        [id, slot],
      );
      if (held?.status !== 'claimed') return { state: 'finished' };
      return {
        state: 'busy',
        leaseEndsAt: new Date(new Date(held.claimed_at).getTime() + leaseMs),
      };
    },
    async renew(id, slot, heldSince, now) {
      const rows = await db.query(
        `UPDATE ${table} SET claimed_at = $4
          WHERE ${owner} = $1 AND slot = $2 AND status = 'claimed' AND claimed_at = $3
          RETURNING 1`,
        [id, slot, heldSince, now],
      );
      return rows.length > 0;
    },
    async release(id, slot, heldSince) {
      await db.query(
        `DELETE FROM ${table}
          WHERE ${owner} = $1 AND slot = $2 AND status = 'claimed' AND claimed_at = $3`,
        [id, slot, heldSince],
      );
    },
    async finish(id, slot, status, now, detail) {
      await db.query(
        `UPDATE ${table} SET status = $3, finished_at = $4, detail = $5
          WHERE ${owner} = $1 AND slot = $2`,
        [id, slot, status, now, detail],
      );
    },
    async list(id) {
      return db.query<{ slot: string; status: string }>(
        `SELECT slot, status FROM ${table} WHERE ${owner} = $1 ORDER BY claimed_at`,
        [id],
      );
    },
  };
}
