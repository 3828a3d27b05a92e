// The background-post budget every replica shares (store/post-budget.ts): slots one interval
// apart whoever reserves them, and a 429's pause that holds every replica's next slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/store/db.ts';
import { createPostBudget, type PostBudget } from '../../../src/store/post-budget.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

/** 10 posts a second: slots 100 ms apart. */
const INTERVAL_MS = 100;
const WINDOW_MS = 1_000;
const PER_WINDOW = WINDOW_MS / INTERVAL_MS;

/** The most slot starts any window of `windowMs` holds (a window is half-open, as Slack's). */
function busiestWindow(starts: Date[], windowMs: number): number {
  const times = starts.map((d) => d.getTime()).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[first] as number) <= (times[last] as number) - windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe.each(testDatabases())('shared post budget on $name', (database) => {
  let db: TestDb;
  /** Two replicas: on PostgreSQL each with its own connection pool, on PGlite the one database. */
  let a: PostBudget;
  let b: PostBudget;
  let close = async () => {};
  beforeAll(async () => {
    db = await database.migrated();
    a = createPostBudget(db);
    if (db.url) {
      const other = await openPostgres(db.url);
      b = createPostBudget(other);
      close = () => other.close();
    } else {
      b = createPostBudget(db);
    }
  });
  afterAll(async () => {
    await close();
    await db.drop();
  });

  it('never lets two replicas reserving at once past the budget in any window', async () => {
    // 60 reservations from each replica, all at once: what 2 × 30 copy workers would ask for.
    const asks = Array.from({ length: 120 }, (_, i) =>
      (i % 2 ? a : b).reserve('T-window', INTERVAL_MS),
    );
    const slots = await Promise.all(asks);
    const starts = slots.map((s) => s.at);
    expect(new Set(starts.map((d) => d.getTime())).size).toBe(120);
    expect(busiestWindow(starts, WINDOW_MS)).toBe(PER_WINDOW);
    const sorted = starts.map((d) => d.getTime()).sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(
        INTERVAL_MS - 0.01,
      );
    }
    // Booked ahead: the last of them waits about 12 seconds, by the database's clock.
    expect(Math.max(...slots.map((s) => s.waitMs))).toBeGreaterThan(10_000);
  });

  it('starts at once in an idle workspace, whatever another workspace has booked', async () => {
    for (let i = 0; i < 20; i++) await a.reserve('T-busy', INTERVAL_MS);
    const idle = await b.reserve('T-idle', INTERVAL_MS);
    expect(idle.waitMs).toBe(0);
    const busy = await b.reserve('T-busy', INTERVAL_MS);
    expect(busy.waitMs).toBeGreaterThan(1_000);
  });

  it('holds both replicas after a Retry-After one of them recorded', async () => {
    await a.reserve('T-paused', INTERVAL_MS);
    const until = await a.pause('T-paused', 30);
    const after = await Promise.all([
      a.reserve('T-paused', INTERVAL_MS),
      b.reserve('T-paused', INTERVAL_MS),
      b.reserve('T-paused', INTERVAL_MS),
    ]);
    for (const slot of after) {
      expect(slot.at.getTime()).toBeGreaterThanOrEqual(until.getTime());
      expect(slot.waitMs).toBeGreaterThan(25_000);
    }
    expect(busiestWindow([...after.map((s) => s.at)], WINDOW_MS)).toBeLessThanOrEqual(PER_WINDOW);
    // A shorter Retry-After seen later does not cut the pause short.
    expect((await b.pause('T-paused', 1)).getTime()).toBe(until.getTime());
    // Other workspaces are not held.
    expect((await b.reserve('T-free', INTERVAL_MS)).waitMs).toBe(0);
  });

  it('pauses a workspace that had no row yet', async () => {
    const until = await b.pause('T-new', 5);
    const slot = await a.reserve('T-new', INTERVAL_MS);
    expect(slot.at.getTime()).toBeGreaterThanOrEqual(until.getTime());
  });
});
