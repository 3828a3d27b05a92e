// Background posts through the shared budget (slack/paced-posts.ts): a slot before each
// chat.postMessage, a 429 recorded for every replica and waited out, nothing else touched.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackClient } from '../../../src/slack/clients.ts';
import { createPostPacer } from '../../../src/slack/paced-posts.ts';
import { createPostBudget, type PostBudget } from '../../../src/store/post-budget.ts';
import { defaultTestDatabase, type TestDb } from '../../support/databases.ts';
import { captureLog } from '../../support/log.ts';

/** A client whose chat.postMessage answers with `answers` in turn (an Error is thrown). */
function fakeClient(answers: unknown[] = []) {
  const posts: unknown[] = [];
  const updates: unknown[] = [];
  const client = {
    token: 'xoxb-fake',
    chat: {
      postMessage: async (args: unknown) => {
        posts.push(args);
        const answer = answers.shift() ?? { ok: true };
        if (answer instanceof Error) throw answer;
        return answer;
      },
      update: async (args: unknown) => {
        updates.push(args);
        return { ok: true };
      },
    },
  } as unknown as SlackClient;
  return { client, posts, updates };
}

function rateLimited(retryAfter: number): Error {
  return Object.assign(new Error('rate limited'), {
    code: webApi.ErrorCode.RateLimitedError,
    retryAfter,
  });
}

/** A budget that counts what it was asked, over the real one. */
function counted(budget: PostBudget) {
  const seen = { reserves: 0, pauses: [] as number[], outstanding: 0, mostOutstanding: 0 };
  return {
    seen,
    budget: {
      async reserve(workspace: string, intervalMs: number) {
        seen.reserves++;
        return budget.reserve(workspace, intervalMs);
      },
      async pause(workspace: string, seconds: number) {
        seen.pauses.push(seconds);
        return budget.pause(workspace, seconds);
      },
    } satisfies PostBudget,
  };
}

describe('paced background posts', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await defaultTestDatabase().migrated();
  });
  afterAll(() => db.drop());

  /** A pacer that records its waits instead of sleeping (the schedule lives in the database). */
  function pacer(budget: PostBudget, twin: SlackClient, perMinute = 600) {
    const waits: number[] = [];
    const made = createPostPacer({
      budget,
      perMinute,
      log: captureLog().log,
      twin: () => twin,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    return { pacer: made, waits };
  }

  it('takes a slot before each post, and leaves other methods and the client itself alone', async () => {
    const { budget, seen } = counted(createPostBudget(db));
    const interactive = fakeClient();
    const strict = fakeClient();
    const { pacer: p } = pacer(budget, strict.client);
    const paced = p.paced(interactive.client, 'T-calls');
    await paced.chat.postMessage({ channel: 'U1', text: 'one' });
    await paced.chat.postMessage({ channel: 'U2', text: 'two' });
    await paced.chat.update({ channel: 'C1', ts: '1.2', text: 'edit' });
    expect(seen.reserves).toBe(2);
    // Posts go through the 429-rejecting twin; other calls through the client, unpaced.
    expect(strict.posts).toHaveLength(2);
    expect(interactive.posts).toHaveLength(0);
    expect(interactive.updates).toHaveLength(1);
    // The interactive client is not wrapped: a direct post takes no slot.
    await interactive.client.chat.postMessage({ channel: 'U3', text: 'reply' });
    expect(seen.reserves).toBe(2);
    expect(paced.token).toBe('xoxb-fake');
  });

  it('records a 429 for every replica, then posts once the pause is over', async () => {
    const shared = createPostBudget(db);
    const { budget, seen } = counted(shared);
    const strict = fakeClient([rateLimited(30)]);
    const a = pacer(budget, strict.client);
    const b = pacer(shared, fakeClient().client);
    const reply = await a.pacer
      .paced(fakeClient().client, 'T-429')
      .chat.postMessage({ channel: 'U1', text: 'hi' });
    expect(reply).toEqual({ ok: true });
    expect(seen.pauses).toEqual([30]);
    // The same message went twice: refused, then sent after the pause.
    expect(strict.posts).toHaveLength(2);
    expect(Math.max(...a.waits)).toBeGreaterThan(25_000);
    // The other replica's next post waits out the same pause.
    await b.pacer
      .paced(fakeClient().client, 'T-429')
      .chat.postMessage({ channel: 'U2', text: 'x' });
    expect(Math.max(...b.waits)).toBeGreaterThan(25_000);
    // …but not in another workspace.
    b.waits.length = 0;
    await b.pacer
      .paced(fakeClient().client, 'T-other')
      .chat.postMessage({ channel: 'U2', text: 'x' });
    expect(b.waits).toEqual([]);
  });

  it('gives up after repeated 429s, so the job is tried again later', async () => {
    const strict = fakeClient(Array.from({ length: 20 }, () => rateLimited(1)));
    const { pacer: p } = pacer(createPostBudget(db), strict.client);
    await expect(
      p.paced(fakeClient().client, 'T-stuck').chat.postMessage({ channel: 'U1', text: 'hi' }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    expect(strict.posts).toHaveLength(11);
  });

  it('holds at most one reserved slot per workspace in a process, however many post at once', async () => {
    const real = createPostBudget(db);
    let outstanding = 0;
    let most = 0;
    const budget: PostBudget = {
      async reserve(workspace, intervalMs) {
        outstanding++;
        most = Math.max(most, outstanding);
        const slot = await real.reserve(workspace, intervalMs);
        // A slot that has started is used at once; a later one once its wait is over.
        if (slot.waitMs === 0) outstanding--;
        return slot;
      },
      pause: (workspace, seconds) => real.pause(workspace, seconds),
    };
    const made = createPostPacer({
      budget,
      perMinute: 600,
      log: captureLog().log,
      twin: () => fakeClient().client,
      sleep: async () => {
        outstanding--;
      },
    });
    const paced = made.paced(fakeClient().client, 'T-one-ahead');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        paced.chat.postMessage({ channel: `U${i}`, text: 'hi' }),
      ),
    );
    expect(most).toBe(1);
  });
});
