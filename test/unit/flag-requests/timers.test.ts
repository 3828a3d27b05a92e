import { describe, expect, it, vi } from 'vitest';
import type { RequestDeps } from '../../../src/flag-requests/notify.ts';
import { expire, remind } from '../../../src/flag-requests/timers.ts';
import type { FlagRequest, FlagRequestStore } from '../../../src/store/flag-requests.ts';
import { captureLog } from '../../support/log.ts';
import { hostileRequest } from '../views/hostile-builders-flag-requests.ts';

const NOW = new Date('2026-05-06T09:00:00Z');

/** Deps whose Slack records posts and fails them when `failChannel` is the target. */
function fakeDeps(store: Partial<FlagRequestStore>, failChannel?: string) {
  const posts: { channel: string; thread_ts?: string; text: string }[] = [];
  const slack = {
    chat: {
      postMessage: vi.fn(async (args: { channel: string; thread_ts?: string; text: string }) => {
        if (args.channel === failChannel)
          throw Object.assign(new Error('x'), { data: { error: 'not_in_channel' } });
        posts.push(args);
        return { ok: true, channel: args.channel, ts: '9.9' };
      }),
      update: vi.fn(async () => ({ ok: true })),
    },
  };
  const deps = {
    store: store as FlagRequestStore,
    slack: slack as never,
    alationFor: () => {
      throw new Error('not used');
    },
    requireAlation: async () => {
      throw new Error('not used');
    },
    alationBaseUrl: 'https://alation.example.com',
    times: { remindAfterMs: 1, expireAfterMs: 2 },
    now: () => NOW,
    log: captureLog().log,
  } satisfies RequestDeps;
  return { deps, posts, slack };
}

const personal = (): FlagRequest => ({ ...hostileRequest('orders'), reviewer: { userId: 'UBOB' } });

describe('the reminder', () => {
  it('does nothing when the store says it was already sent (or the request moved on)', async () => {
    const { deps, posts } = fakeDeps({ remind: async () => undefined });
    await remind(deps, 'req-1');
    expect(posts).toEqual([]);
  });

  it('replies on the card and DMs a person reviewer', async () => {
    const request = personal();
    const { deps, posts } = fakeDeps({ remind: async () => request });
    await remind(deps, request.id);
    expect(posts.map((p) => [p.channel, p.thread_ts])).toEqual([
      ['C1', '1.2'],
      ['UBOB', undefined],
    ]);
  });

  it('tells the requester when the card cannot take it', async () => {
    const request = hostileRequest('orders');
    const { deps, posts } = fakeDeps({ remind: async () => request }, 'C1');
    await remind(deps, request.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: 'D1', thread_ts: '1.3' });
    expect(posts[0]?.text).toContain('could not remind the reviewer');
  });
});

describe('the expiry', () => {
  it('closes the card and tells the requester once', async () => {
    const request = { ...hostileRequest('orders', 'expired') };
    const { deps, posts, slack } = fakeDeps({ expire: async () => request });
    const later = vi.fn(async () => {});
    await expire(deps, request.id, later);
    expect(slack.chat.update).toHaveBeenCalledTimes(2);
    expect(posts.map((p) => p.channel)).toEqual(['U1']);
    expect(later).not.toHaveBeenCalled();
  });

  it('looks again later while someone is approving it', async () => {
    const deciding = hostileRequest('orders', 'deciding');
    const { deps, posts } = fakeDeps({ expire: async () => undefined, get: async () => deciding });
    const later = vi.fn(async () => {});
    await expire(deps, deciding.id, later);
    expect(later).toHaveBeenCalledWith(120_000);
    expect(posts).toEqual([]);
  });
});
