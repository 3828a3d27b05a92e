import { describe, expect, it } from 'vitest';
import { createSlackUsers, personOf } from '../../../src/slack/users.ts';

function fakeClient() {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(user);
        if (user === 'UGONE')
          throw Object.assign(new Error('x'), { data: { error: 'user_not_found' } });
        if (user === 'UDOWN') throw new Error('socket hang up');
        return {
          user: {
            id: user,
            name: user.toLowerCase(),
            is_bot: user === 'UBOT',
            profile: { display_name: user === 'UADA' ? 'ada' : '', real_name: 'Real Name' },
          },
        };
      },
    },
  };
  return { client: client as never, asked };
}

describe('createSlackUsers', () => {
  it('asks users.info once per (workspace, user) until the answer is older than keepMs', async () => {
    let now = 0;
    const { client, asked } = fakeClient();
    const users = createSlackUsers({ now: () => new Date(now), keepMs: 600_000 });
    expect(await users.lookup(client, 'T1', 'UADA')).toEqual({
      id: 'UADA',
      reads: true,
      name: 'ada',
      tz: undefined,
    });
    await users.lookup(client, 'T1', 'UADA');
    now = 599_999;
    await users.lookup(client, 'T1', 'UADA');
    expect(asked).toEqual(['UADA']);
    // Another workspace's UADA is someone else.
    await users.lookup(client, 'T2', 'UADA');
    expect(asked).toEqual(['UADA', 'UADA']);
    now = 600_000;
    await users.lookup(client, 'T1', 'UADA');
    expect(asked).toEqual(['UADA', 'UADA', 'UADA']);
  });

  it('asks once for look-ups at the same time; keeps "no such user", not a failure', async () => {
    const { client, asked } = fakeClient();
    const users = createSlackUsers({ now: () => new Date(0), keepMs: 600_000 });
    await Promise.all([users.lookup(client, 'T1', 'UBOB'), users.lookup(client, 'T1', 'UBOB')]);
    expect(asked).toEqual(['UBOB']);
    expect((await users.lookup(client, 'T1', 'UGONE'))?.reads).toBe(false);
    expect((await users.lookup(client, 'T1', 'UGONE'))?.reads).toBe(false);
    expect(await users.lookup(client, 'T1', 'UDOWN')).toBeUndefined();
    expect(await users.lookup(client, 'T1', 'UDOWN')).toBeUndefined();
    expect(asked).toEqual(['UBOB', 'UGONE', 'UDOWN', 'UDOWN']);
  });

  it('drops the oldest answer past maxEntries', async () => {
    const { client, asked } = fakeClient();
    const users = createSlackUsers({ now: () => new Date(0), keepMs: 600_000, maxEntries: 2 });
    for (const id of ['U1', 'U2', 'U3', 'U1']) await users.lookup(client, 'T1', id);
    expect(asked).toEqual(['U1', 'U2', 'U3', 'U1']);
  });

  it('names a viewer without a mention, falling back to the real name', async () => {
    const { client } = fakeClient();
    const users = createSlackUsers({ now: () => new Date(0), keepMs: 600_000 });
    expect(await users.viewer(client, 'T1', 'UADA')).toEqual({ userId: 'UADA', name: 'ada' });
    expect(await users.viewer(client, 'T1', 'UBOB')).toEqual({
      userId: 'UBOB',
      name: 'Real Name',
    });
    expect(await users.viewer(client, 'T1', 'UDOWN')).toEqual({ userId: 'UDOWN' });
  });
});

describe('personOf', () => {
  it('tells readers from bots, Slackbot and deactivated accounts', () => {
    expect(personOf('U1', { id: 'U1' }).reads).toBe(true);
    expect(personOf('U1', { id: 'U1', is_bot: true }).reads).toBe(false);
    expect(personOf('U1', { id: 'U1', deleted: true }).reads).toBe(false);
    expect(personOf('USLACKBOT', { id: 'USLACKBOT' }).reads).toBe(false);
  });
});
