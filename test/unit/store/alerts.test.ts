import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Episode } from '../../../src/alerts/episode.ts';
import { keyHash } from '../../../src/alerts/measure.ts';
import { type AlertInput, type AlertStore, createAlertStore } from '../../../src/store/alerts.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const input: AlertInput = {
  owner: { tenantId: 'T1', userId: 'UADA' },
  channelId: 'C1',
  onlyMe: false,
  tz: 'Europe/Berlin',
  name: 'No orders',
  queryId: 7,
  condition: { kind: 'row_count', op: '=', n: 0 },
  everyMinutes: 5,
};
const episode: Episode = {
  kind: 'triggered',
  startedAt: NOW.toISOString(),
  checks: 1,
  cardTs: '1.2',
};

describe.each(testDatabases())('alert store on $name', (database) => {
  let db: TestDb;
  let store: AlertStore;
  beforeAll(async () => {
    db = await database.migrated();
    store = createAlertStore(db);
  });
  beforeEach(async () => {
    await db.query('DELETE FROM alerts');
  });
  afterAll(() => db.drop());

  it('creates, reads back, lists by workspace and deletes', async () => {
    const a = await store.create(input, NOW);
    expect(a).toMatchObject({
      ...input,
      status: 'active',
      episode: null,
      lastResult: null,
      createdAt: NOW,
    });
    expect(await store.get(a.id)).toEqual(a);
    await store.create({ ...input, owner: { tenantId: 'T2', userId: 'UBOB' } }, NOW);
    expect((await store.list('T1')).map((x) => x.id)).toEqual([a.id]);
    expect(await store.remove(a.id)).toBe(true);
    expect(await store.remove(a.id)).toBe(false);
  });

  it('judges a result once: the second claim finds it busy, then finished', async () => {
    const a = await store.create(input, NOW);
    expect(await store.claim(a.id, '11@t', NOW, 60_000)).toEqual({ state: 'claimed' });
    expect((await store.claim(a.id, '11@t', NOW, 60_000)).state).toBe('busy');
    const after = await store.finish(
      a.id,
      '11@t',
      { result: '11@t', state: 'triggered', value: 0, episode, failed: false, detail: null },
      NOW,
      3,
    );
    expect(after).toMatchObject({
      lastResult: '11@t',
      lastState: 'triggered',
      lastValue: 0,
      episode,
      lastCheckedAt: NOW,
    });
    expect(await store.claim(a.id, '11@t', NOW, 60_000)).toEqual({ state: 'finished' });
    expect(await store.checks(a.id)).toEqual([{ slot: '11@t', status: 'posted' }]);
  });

  it('pauses after three failed checks in a row, and a good one resets the count', async () => {
    const a = await store.create(input, NOW);
    const failed = {
      state: 'clear',
      episode: null,
      failed: true,
      detail: 'Alation answered 503',
    } as const;
    const fail = async (slot: string) => {
      await store.claim(a.id, slot, NOW, 1);
      return store.finish(a.id, slot, { ...failed, result: slot }, NOW, 3);
    };
    await fail('a');
    await fail('b');
    await store.claim(a.id, 'c', NOW, 1);
    expect(
      (
        await store.finish(
          a.id,
          'c',
          { result: 'c', state: 'clear', episode: null, failed: false, detail: null },
          NOW,
          3,
        )
      )?.consecutiveFailures,
    ).toBe(0);
    await fail('d');
    await fail('e');
    const paused = await fail('f');
    expect(paused).toMatchObject({
      status: 'paused',
      pausedReason: 'Alation answered 503',
      consecutiveFailures: 3,
    });
    expect((await store.setStatus(a.id, 'active', null))?.consecutiveFailures).toBe(0);
  });

  it('writes an episode only over the one it read', async () => {
    const a = await store.create(input, NOW);
    expect(await store.setEpisode(a.id, episode, null)).toBe(true);
    expect(
      await store.setEpisode(a.id, { ...episode, acknowledgedBy: 'U2' }, 'another start'),
    ).toBe(false);
    expect(
      await store.setEpisode(a.id, { ...episode, acknowledgedBy: 'U2' }, episode.startedAt),
    ).toBe(true);
    expect((await store.get(a.id))?.episode?.acknowledgedBy).toBe('U2');
  });

  it('keeps hashed keys as bytes and gives them back', async () => {
    const a = await store.create(input, NOW);
    expect(await store.keys(a.id)).toBeUndefined();
    const keys = ['1', '2', 'three'].map(keyHash);
    await store.setKeys(a.id, keys, false);
    expect(await store.keys(a.id)).toEqual(new Set(keys));
    const [row] = await db.query<{ n: number }>(
      'SELECT octet_length(keys) AS n FROM alert_keys WHERE alert_id = $1',
      [a.id],
    );
    expect(Number(row?.n)).toBe(36);
  });

  it('starts over when the query or condition changes, not when only the name does', async () => {
    const a = await store.create(input, NOW);
    await store.claim(a.id, 's', NOW, 1);
    await store.finish(
      a.id,
      's',
      {
        result: 's',
        state: 'baseline',
        fingerprint: 'f1',
        episode: null,
        failed: false,
        detail: null,
      },
      NOW,
      3,
    );
    const renamed = await store.update(a.id, { ...input, name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', lastResult: 's', lastFingerprint: 'f1' });
    const changed = await store.update(a.id, { ...input, condition: { kind: 'changed' } });
    expect(changed).toMatchObject({
      lastResult: null,
      lastFingerprint: null,
      condition: { kind: 'changed' },
    });
  });

  it('snoozes and unsnoozes', async () => {
    const a = await store.create(input, NOW);
    const until = new Date(NOW.getTime() + 3_600_000);
    expect(await store.snooze(a.id, until, 'U2')).toMatchObject({
      snoozedUntil: until,
      snoozedBy: 'U2',
    });
    expect(await store.snooze(a.id, null, 'U2')).toMatchObject({
      snoozedUntil: null,
      snoozedBy: null,
    });
  });
});
