import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CLAIM_STALE_MS,
  createFlagRequestStore,
  type FlagRequestStore,
  type NewFlagRequest,
} from '../../../src/store/flag-requests.ts';
import { type TestDb, testDatabases } from '../../support/databases.ts';

const NOW = new Date('2026-05-04T09:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;
const INTENDED = { flagType: 'DEPRECATION' as const, reason: 'Replaced by orders_v2' };
const ALICE = { tenantId: 'T1', userId: 'UALICE' };
const input: NewFlagRequest = {
  requester: ALICE,
  subject: { otype: 'table', id: 12, name: 'orders' },
  flagType: 'DEPRECATION',
  reason: 'Replaced by orders_v2',
  reviewer: { userId: 'UBOB' },
};

describe.each(testDatabases())('flag request store on $name', (database) => {
  let db: TestDb;
  let store: FlagRequestStore;
  beforeAll(async () => {
    db = await database.migrated();
    store = createFlagRequestStore(db);
  });
  beforeEach(async () => {
    await db.query('DELETE FROM flag_requests');
  });
  afterAll(() => db.drop());

  it('creates an open request with its timers and a requested event', async () => {
    const created = await store.create(input, NOW);
    expect(created).toMatchObject({
      status: 'open',
      requester: ALICE,
      subject: { otype: 'table', id: 12, name: 'orders' },
      reviewer: { userId: 'UBOB' },
      remindAt: at(2 * DAY),
      expiresAt: at(14 * DAY),
      card: undefined,
    });
    const custom = await store.create({ ...input, reviewer: { channelId: 'CSTEW' } }, NOW, {
      remindAfterMs: 60_000,
      expireAfterMs: 120_000,
    });
    expect(custom).toMatchObject({ reviewer: { channelId: 'CSTEW' }, expiresAt: at(120_000) });
    expect((await store.events(created.id)).map((e) => [e.event, e.actorId])).toEqual([
      ['requested', 'UALICE'],
    ]);
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const { id } = await store.create(input, NOW);
    const claims = await Promise.all([
      store.claim(id, 'UBOB', NOW, INTENDED),
      store.claim(id, 'UDAVE', NOW, INTENDED),
    ]);
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    const lost = claims.find((c) => !c.ok);
    expect(lost?.request?.status).toBe('deciding');
    const winner = claims.find((c) => c.ok)?.request.claimedBy ?? '';
    const loser = winner === 'UBOB' ? 'UDAVE' : 'UBOB';
    // Only the claimant records the approval.
    const approval = { flagId: 9, flagType: 'DEPRECATION' as const, reason: 'x' };
    expect(await store.approve(id, loser, approval, NOW)).toBeUndefined();
    expect(await store.approve(id, winner, approval, NOW)).toMatchObject({
      status: 'approved',
      decidedBy: winner,
      flagId: 9,
    });
    expect((await store.claim(id, loser, at(DAY), INTENDED)).ok).toBe(false);
  });

  it('reopens a released claim with the refusal, and a stale claim can be taken over', async () => {
    const { id } = await store.create(input, NOW);
    await store.claim(id, 'UCAROL', NOW, INTENDED);
    expect(await store.release(id, 'UBOB', 'not yours', NOW)).toBeUndefined();
    const released = await store.release(id, 'UCAROL', 'Alation said no', NOW);
    expect(released).toMatchObject({
      status: 'open',
      lastRefusal: 'Alation said no',
      claimedBy: null,
    });
    const fromOpen = await store.claim(id, 'UBOB', NOW, INTENDED);
    expect(fromOpen.ok && fromOpen.tookOver).toBeUndefined();
    expect((await store.claim(id, 'UDAVE', at(CLAIM_STALE_MS - 1), INTENDED)).ok).toBe(false);
    const takeover = await store.claim(id, 'UDAVE', at(CLAIM_STALE_MS + 1), {
      flagType: 'WARNING',
      reason: 'mine',
    });
    // Whoever takes over learns what the stale claimant was creating.
    expect(takeover).toMatchObject({
      ok: true,
      request: { status: 'deciding', claimedBy: 'UDAVE' },
      tookOver: { claimedBy: 'UBOB', intended: INTENDED },
    });
    expect((await store.events(id)).map((e) => e.event)).toEqual(['requested', 'refused']);
  });

  it('denies and withdraws only open requests, withdrawal only by the requester', async () => {
    const a = await store.create(input, NOW);
    expect(await store.withdraw(a.id, { tenantId: 'T1', userId: 'UBOB' }, NOW)).toBeUndefined();
    expect(await store.withdraw(a.id, { tenantId: 'T2', userId: 'UALICE' }, NOW)).toBeUndefined();
    expect((await store.withdraw(a.id, ALICE, NOW))?.status).toBe('withdrawn');
    expect(await store.deny(a.id, 'UBOB', 'no', NOW)).toBeUndefined();
    const b = await store.create(input, NOW);
    expect(await store.deny(b.id, 'UBOB', 'Still used by finance', NOW)).toMatchObject({
      status: 'denied',
      decidedBy: 'UBOB',
      decisionNote: 'Still used by finance',
    });
    expect(await store.withdraw(b.id, ALICE, NOW)).toBeUndefined();
  });

  it('reminds once, not before its time, and never a decided request', async () => {
    const { id } = await store.create(input, NOW);
    expect(await store.remind(id, at(2 * DAY - 1))).toBeUndefined();
    const reminded = await Promise.all([
      store.remind(id, at(2 * DAY)),
      store.remind(id, at(2 * DAY)),
    ]);
    expect(reminded.filter(Boolean)).toHaveLength(1);
    expect(await store.remind(id, at(3 * DAY))).toBeUndefined();
    const other = await store.create(input, NOW);
    await store.deny(other.id, 'UBOB', 'no', NOW);
    expect(await store.remind(other.id, at(3 * DAY))).toBeUndefined();
  });

  it('expires an open request or a stale claim once its time has come', async () => {
    const { id } = await store.create(input, NOW);
    expect(await store.expire(id, at(14 * DAY - 1))).toBeUndefined();
    await store.claim(id, 'UBOB', at(14 * DAY - 1), INTENDED);
    expect(await store.expire(id, at(14 * DAY))).toBeUndefined();
    expect((await store.expire(id, at(14 * DAY + CLAIM_STALE_MS)))?.status).toBe('expired');
    expect(await store.expire(id, at(15 * DAY))).toBeUndefined();
    expect((await store.events(id)).map((e) => [e.event, e.actorId])).toEqual([
      ['requested', 'UALICE'],
      ['expired', null],
    ]);
  });

  it('lists mine (open first) and those addressed to me that are still open', async () => {
    const old = await store.create(input, NOW);
    await store.withdraw(old.id, ALICE, NOW);
    const open = await store.create(input, at(1000));
    await store.create({ ...input, requester: { tenantId: 'T1', userId: 'UCAROL' } }, NOW);
    await store.create({ ...input, reviewer: { channelId: 'CSTEW' } }, at(2000));
    const alice = await store.listFor(ALICE);
    expect(alice.mine.map((r) => r.status)).toEqual(['open', 'open', 'withdrawn']);
    expect(alice.mine[1]?.id).toBe(open.id);
    const bob = await store.listFor({ tenantId: 'T1', userId: 'UBOB' });
    expect(bob.waiting).toHaveLength(2);
    expect(bob.waiting.every((r) => r.status === 'open')).toBe(true);
    expect((await store.listFor({ tenantId: 'T2', userId: 'UBOB' })).waiting).toEqual([]);
  });
});
