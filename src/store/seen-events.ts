import type { Queryable } from './db.ts';

/**
 * How long an event id is remembered. Slack redelivers an event up to three times: almost at
 * once, after a minute and after five; half an hour covers those with room for a slow replica.
 */
export const SEEN_EVENT_TTL_MS = 30 * 60_000;

/** Events API deliveries already taken by some replica. */
export interface SeenEventStore {
  /** True for the first delivery of `eventId` within the window; false for a redelivery. */
  claim(eventId: string): Promise<boolean>;
}

export function createSeenEventStore(
  db: Queryable,
  now: () => Date,
  ttlMs = SEEN_EVENT_TTL_MS,
): SeenEventStore {
  return {
    async claim(eventId) {
      const at = now();
      const cutoff = new Date(at.getTime() - ttlMs);
      // An id seen longer ago than the window counts as new (its row is taken over).
      const rows = await db.query(
        `INSERT INTO seen_events (event_id, seen_at) VALUES ($1, $2)
         ON CONFLICT (event_id) DO UPDATE SET seen_at = excluded.seen_at
         WHERE seen_events.seen_at < $3
         RETURNING 1 AS claimed`,
        [eventId, at.toISOString(), cutoff.toISOString()],
      );
      await db.query('DELETE FROM seen_events WHERE seen_at < $1', [cutoff.toISOString()]);
      return rows.length === 1;
    },
  };
}
