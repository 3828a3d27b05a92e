import { describe, expect, it } from 'vitest';
import { createAlationClient } from '../../src/client/alation.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../src/client/errors.ts';
import { useAlationClientFixture } from '../support/alation-fixture.ts';
import { countingSource, rejectionOf } from '../support/client.ts';

const t = useAlationClientFixture((emu, http) => {
  const alice = emu.addUser({ name: 'Alice' });
  const bob = emu.addUser({ name: 'Bob' });
  const ds = emu.addDataSource();
  const orders = emu.addTable({ datasourceId: ds.id, schema: 'sales', name: 'orders' });
  const aliceToken = emu.mintAccessToken(alice.id);
  const bobToken = emu.mintAccessToken(bob.id);
  return {
    alice,
    bob,
    ds,
    orders,
    alation: createAlationClient({ http, credentials: countingSource(aliceToken, () => '') }),
    asBob: createAlationClient({ http, credentials: countingSource(bobToken, () => '') }),
  };
});

describe('trust flags', () => {
  it('adds a deprecation as the calling user, normalising the string subject id', async () => {
    const flag = await t.alation.flags.add({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { otype: 'table', id: t.orders.id },
    });
    expect(flag).toMatchObject({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { id: t.orders.id, otype: 'table' },
      user: { id: t.alice.id, display_name: 'Alice' },
    });
    const [request] = t.emu.requestsTo('POST', '/integration/flag/');
    expect(request?.body).toEqual({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { otype: 'table', id: t.orders.id },
    });
    expect(request?.userId).toBe(t.alice.id);
    expect(t.emu.state.flags.get(flag.id)?.userId).toBe(t.alice.id);
  });

  it('adds an endorsement with an empty reason', async () => {
    const flag = await t.alation.flags.add({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'table', id: t.orders.id },
    });
    expect(flag.flag_reason).toBe('');
  });

  it('puts field errors where a modal can show them', async () => {
    const error = (await rejectionOf(
      t.alation.flags.add({
        flag_type: 'WARNING',
        flag_reason: 'x',
        subject: { otype: 'tabel', id: 1 },
      }),
    )) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.fieldErrors).toEqual({ subject: ['Invalid otype'] });
    expect(error.message).toBe('Alation rejected the request: subject: Invalid otype');
  });

  it('gets one flag and 404s on a missing one', async () => {
    const seeded = t.emu.addFlag({
      flagType: 'WARNING',
      reason: 'Might have old data',
      subject: { otype: 'table', id: t.orders.id },
      userId: t.bob.id,
    });
    const flag = await t.alation.flags.get(seeded.id);
    expect(flag.subject).toMatchObject({ id: t.orders.id, otype: 'table' });
    expect(t.emu.requests[0]?.path).toBe(`/integration/flag/${seeded.id}/`);
    expect(await rejectionOf(t.alation.flags.get(9999))).toBeInstanceOf(NotFoundError);
  });

  it('lists the flags of one subject page by page', async () => {
    const other = t.emu.addTable({ datasourceId: t.ds.id, schema: 'sales', name: 'refunds' });
    for (let i = 0; i < 3; i++) {
      t.emu.addFlag({
        flagType: 'WARNING',
        reason: `w${i}`,
        subject: { otype: 'table', id: t.orders.id },
        userId: t.alice.id,
      });
    }
    t.emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: other.id },
      userId: t.bob.id,
    });

    const first = await t.alation.flags.list({
      subject: { otype: 'table', id: t.orders.id },
      limit: 2,
    });
    expect(first.items.map((f) => f.flag_reason)).toEqual(['w0', 'w1']);
    expect(first.items[0]?.subject.id).toBe(t.orders.id);
    const [request] = t.emu.requestsTo('GET', '/integration/flag/');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      oid: String(t.orders.id),
      otype: 'table',
      limit: '2',
    });

    const second = await t.alation.flags.list({ cursor: first.next ?? '' });
    expect(second.items.map((f) => f.flag_reason)).toEqual(['w2']);
    expect(second.next).toBeNull();
    expect((await t.alation.flags.list()).items).toHaveLength(4);
  });

  it('updates a reason and deletes the flag', async () => {
    const flag = await t.alation.flags.add({
      flag_type: 'WARNING',
      flag_reason: 'old',
      subject: { otype: 'table', id: t.orders.id },
    });
    const updated = await t.alation.flags.updateReason(flag.id, 'Loaded twice on 3 May');
    expect(updated.flag_reason).toBe('Loaded twice on 3 May');
    expect(t.emu.requestsTo('PUT', `/integration/flag/${flag.id}/`)[0]?.body).toEqual({
      flag_reason: 'Loaded twice on 3 May',
    });

    await t.alation.flags.remove(flag.id);
    expect(t.emu.state.flags.has(flag.id)).toBe(false);
    expect(t.emu.requestsTo('DELETE', `/integration/flag/${flag.id}/`)).toHaveLength(1);
  });

  it('refuses to update an endorsement’s reason', async () => {
    const flag = await t.alation.flags.add({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'table', id: t.orders.id },
    });
    const error = (await rejectionOf(
      t.alation.flags.updateReason(flag.id, 'x'),
    )) as BadRequestError;
    expect(error.fieldErrors.flag_reason).toEqual([
      'flag_reason cannot be updated for ENDORSEMENT flags.',
    ]);
  });

  it('lets a data source owner delete somebody else’s flag but not a bystander', async () => {
    const flag = await t.alation.flags.add({
      flag_type: 'WARNING',
      flag_reason: 'x',
      subject: { otype: 'table', id: t.orders.id },
    });
    expect(await rejectionOf(t.asBob.flags.remove(flag.id))).toBeInstanceOf(ForbiddenError);
    t.emu.state.dataSources.get(t.ds.id)?.ownerIds.push(t.bob.id);
    await t.asBob.flags.remove(flag.id);
    expect(t.emu.state.flags.size).toBe(0);
  });

  it('lists the instance’s otypes', async () => {
    t.emu.knobs.otypes = ['data', 'table', 'attribute'];
    expect(await t.alation.flags.otypes()).toEqual(['data', 'table', 'attribute']);
  });
});
