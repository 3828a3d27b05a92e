// The shared budget of background chat.postMessage calls (issue 18), one row per workspace.
//
// Design: a schedule of send slots, one `intervalMs` apart, kept as the start of the next free
// slot (`next_slot_at`) — the "virtual scheduling" form of a token bucket with no burst. Each
// post reserves one slot with a single INSERT … ON CONFLICT DO UPDATE: the row lock makes
// concurrent reservations from any number of replicas take distinct slots, one after another,
// so no window of `intervalMs × n` ever holds more than n slot starts, whoever sent them.
// A slot never starts before now (an idle workspace posts at once) nor before `paused_until`
// (a 429's Retry-After, recorded by whichever replica saw it). Times are the database's clock
// (statement_timestamp()), never a replica's, so replicas with skewed clocks still agree; the
// caller only gets back how long to wait. Simpler than a slot table (nothing to clean up, one
// row per workspace) and than a counted window (no edge where two windows' budgets meet).
import type { Queryable } from './db.ts';

export interface Reservation {
  /** When the slot starts, by the database's clock. */
  at: Date;
  /** How long from now (the database's now) until then; 0 when it has started. */
  waitMs: number;
}

export interface PostBudget {
  /** Takes the next free slot of `workspace`, `intervalMs` after the one before it. */
  reserve(workspace: string, intervalMs: number): Promise<Reservation>;
  /** Holds every replica's slots of `workspace` for `seconds` from now (a 429's Retry-After). */
  pause(workspace: string, seconds: number): Promise<Date>;
}

const ms = (column: string) => `${column}::float8 * interval '1 millisecond'`;

export function createPostBudget(db: Queryable): PostBudget {
  return {
    async reserve(workspace, intervalMs) {
      const [row] = await db.query<{ at: Date | string; wait_ms: number | string }>(
        `INSERT INTO slack_post_budget AS b (workspace, next_slot_at)
         VALUES ($1, statement_timestamp() + ${ms('$2')})
         ON CONFLICT (workspace) DO UPDATE
           SET next_slot_at =
             GREATEST(b.next_slot_at, statement_timestamp(), b.paused_until) + ${ms('$2')}
         RETURNING next_slot_at - ${ms('$2')} AS at,
           GREATEST(0, EXTRACT(EPOCH FROM next_slot_at - ${ms('$2')} - statement_timestamp())
             * 1000)::float8 AS wait_ms`,
        [workspace, intervalMs],
      );
      if (!row) throw new Error('no slot reserved');
      return { at: new Date(row.at), waitMs: Number(row.wait_ms) };
    },
    async pause(workspace, seconds) {
      const [row] = await db.query<{ paused_until: Date | string }>(
        `INSERT INTO slack_post_budget AS b (workspace, next_slot_at, paused_until)
         VALUES ($1, statement_timestamp(), statement_timestamp() + $2::float8 * interval '1 second')
         ON CONFLICT (workspace) DO UPDATE
           SET paused_until = GREATEST(b.paused_until, EXCLUDED.paused_until)
         RETURNING paused_until`,
        [workspace, seconds],
      );
      if (!row) throw new Error('no pause recorded');
      return new Date(row.paused_until);
    },
  };
}
