import { describe, expect, it } from 'vitest';
import { channelPeople, hasMember } from '../../../src/slack/channel-members.ts';
import { createSlackUsers } from '../../../src/slack/users.ts';

/** The users.info look-ups through a cache, as the audience check makes them. */
const lookupWith = (client: never) => {
  const users = createSlackUsers({ now: () => new Date(0), keepMs: 600_000 });
  return (id: string) => users.lookup(client, 'T1', id);
};

/** conversations.members paged `pageSize` at a time, users.info from a table. */
function fakeClient(ids: string[], bots: Set<string>, pageSize = 200) {
  const calls: string[] = [];
  const client = {
    conversations: {
      members: async ({ cursor, limit }: { cursor?: string; limit: number }) => {
        calls.push(`members ${cursor ?? ''}`);
        const from = Number(cursor ?? 0);
        const size = Math.min(limit, pageSize);
        const next = from + size < ids.length ? String(from + size) : '';
        return { members: ids.slice(from, from + size), response_metadata: { next_cursor: next } };
      },
    },
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(`info ${user}`);
        if (user === 'UGONE') throw Object.assign(new Error('user_not_found'), {});
        return { user: { id: user, is_bot: bots.has(user), deleted: user === 'UDELETED' } };
      },
    },
  };
  return { client: client as never, calls };
}

describe('channelPeople', () => {
  it('pages through every member and leaves bots, deleted and unknown accounts out', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `U${i}`);
    ids.push('UBOT', 'UDELETED', 'UGONE');
    const { client, calls } = fakeClient(ids, new Set(['UBOT']));
    const found = await channelPeople(client, 'C1', 500, lookupWith(client));
    expect(found.complete).toBe(true);
    expect(found.people).toHaveLength(450);
    expect(found.people).not.toContain('UBOT');
    expect(calls.filter((c) => c.startsWith('members'))).toHaveLength(3);
  });

  it('stops at the cap and says the list is partial', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `U${i}`);
    const { client, calls } = fakeClient(ids, new Set());
    const found = await channelPeople(client, 'C1', 250, lookupWith(client));
    expect(found).toMatchObject({ complete: false });
    expect(found.people).toHaveLength(250);
    expect(calls.filter((c) => c.startsWith('info'))).toHaveLength(250);
  });

  it('a channel of exactly the cap is complete', async () => {
    const { client } = fakeClient(['U1', 'U2'], new Set());
    expect(await channelPeople(client, 'C1', 2, lookupWith(client))).toEqual({
      people: ['U1', 'U2'],
      complete: true,
    });
  });
});

describe('hasMember', () => {
  it('finds a member on a later page and stops paging there', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `U${i}`);
    const { client, calls } = fakeClient(ids, new Set());
    expect(await hasMember(client, 'C1', 'U250')).toBe(true);
    expect(calls).toHaveLength(2);
    expect(await hasMember(client, 'C1', 'UNOPE')).toBe(false);
  });
});
