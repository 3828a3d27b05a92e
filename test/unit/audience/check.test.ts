import { describe, expect, it } from 'vitest';
import { AUDIENCE_CACHE_MS, createAudience } from '../../../src/audience/check.ts';
import { ForbiddenError, ServerError } from '../../../src/client/errors.ts';
import { createSlackUsers } from '../../../src/slack/users.ts';

const client = {
  conversations: {
    members: async () => ({
      members: ['UADA', 'UBOB', 'UCY', 'UERR'],
      response_metadata: { next_cursor: '' },
    }),
  },
  users: { info: async ({ user }: { user: string }) => ({ user: { id: user } }) },
} as never;

function setup() {
  let now = new Date('2026-12-01T09:00:00Z');
  const asked: string[] = [];
  const audience = createAudience({
    config: { policy: 'ask', maxMembers: 500 },
    credentials: {
      load: (async (owner: { userId: string }) =>
        owner.userId === 'UCY'
          ? { state: 'missing' }
          : { state: 'connected', secret: {}, profile: {}, updatedAt: now }) as never,
    },
    alationFor: (owner) =>
      ({
        queries: {
          get: async () => {
            asked.push(owner.userId);
            if (owner.userId === 'UBOB')
              throw new ForbiddenError({
                service: 'alation',
                status: 403,
                method: 'GET',
                path: '/q',
              });
            if (owner.userId === 'UERR')
              throw new ServerError({ service: 'alation', status: 502, method: 'GET', path: '/q' });
            return {};
          },
        },
      }) as never,
    users: createSlackUsers({ now: () => now, keepMs: AUDIENCE_CACHE_MS }),
    now: () => now,
  });
  return { audience, asked, tick: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('createAudience', () => {
  it('sorts members by what Alation tells each of them, and keeps answers ten minutes', async () => {
    const { audience, asked, tick } = setup();
    const first = await audience.check(client, 'T1', 'C1', { kind: 'query', id: 15 });
    expect(first).toMatchObject({
      checked: 4,
      complete: true,
      canSee: ['UADA'],
      cannotSee: ['UBOB'],
      notConnected: ['UCY'],
      unknown: ['UERR'],
    });
    expect(asked.sort()).toEqual(['UADA', 'UBOB', 'UERR']);
    asked.length = 0;
    await audience.check(client, 'T1', 'C1', { kind: 'query', id: 15 });
    // Definite answers are cached; a failed ask is asked again.
    expect(asked).toEqual(['UERR']);
    asked.length = 0;
    tick(AUDIENCE_CACHE_MS);
    await audience.check(client, 'T1', 'C1', { kind: 'query', id: 15 });
    expect(asked.sort()).toEqual(['UADA', 'UBOB', 'UERR']);
  });

  it('keeps answers per object', async () => {
    const { audience, asked } = setup();
    await audience.canSee({ tenantId: 'T1', userId: 'UADA' }, { kind: 'query', id: 1 });
    await audience.canSee({ tenantId: 'T1', userId: 'UADA' }, { kind: 'query', id: 2 });
    expect(asked).toEqual(['UADA', 'UADA']);
  });
});
