import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AlationClient, createAlationClient } from '../../src/client/alation.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../src/client/errors.ts';
import { createHttp, type Http } from '../../src/client/http.ts';
import {
  type AlationEmulator,
  type DataSource,
  type SeededUser,
  startAlationEmulator,
  type Table,
} from '../emulators/alation.ts';
import { countingSource, fastRetry, rejectionOf } from './support.ts';

let emu: AlationEmulator;
let http: Http;
let alice: SeededUser;
let bob: SeededUser;
let ds: DataSource;
let orders: Table;
let alation: AlationClient;
let asBob: AlationClient;

beforeAll(async () => {
  emu = await startAlationEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.reset();
  alice = emu.addUser({ name: 'Alice' });
  bob = emu.addUser({ name: 'Bob' });
  ds = emu.addDataSource();
  orders = emu.addTable({ datasourceId: ds.id, schema: 'sales', name: 'orders' });
  http = createHttp({ baseUrl: emu.url, service: 'Alation', retry: fastRetry().retry });
  const aliceToken = emu.mintAccessToken(alice.id);
  const bobToken = emu.mintAccessToken(bob.id);
  alation = createAlationClient({ http, credentials: countingSource(aliceToken, () => '') });
  asBob = createAlationClient({ http, credentials: countingSource(bobToken, () => '') });
});

afterEach(async () => {
  await http.close();
});

describe('trust flags', () => {
  it('adds a deprecation as the calling user, normalising the string subject id', async () => {
    const flag = await alation.flags.add({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { otype: 'table', id: orders.id },
    });
    expect(flag).toMatchObject({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { id: orders.id, otype: 'table' },
      user: { id: alice.id, display_name: 'Alice' },
    });
    const [request] = emu.requestsTo('POST', '/integration/flag/');
    expect(request?.body).toEqual({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use sales.orders_v2',
      subject: { otype: 'table', id: orders.id },
    });
    expect(request?.userId).toBe(alice.id);
    expect(emu.state.flags.get(flag.id)?.userId).toBe(alice.id);
  });

  it('adds an endorsement with an empty reason', async () => {
    const flag = await alation.flags.add({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'table', id: orders.id },
    });
    expect(flag.flag_reason).toBe('');
  });

  it('puts field errors where a modal can show them', async () => {
    const error = (await rejectionOf(
      alation.flags.add({
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
    const seeded = emu.addFlag({
      flagType: 'WARNING',
      reason: 'Might have old data',
      subject: { otype: 'table', id: orders.id },
      userId: bob.id,
    });
    const flag = await alation.flags.get(seeded.id);
    expect(flag.subject).toMatchObject({ id: orders.id, otype: 'table' });
    expect(emu.requests[0]?.path).toBe(`/integration/flag/${seeded.id}/`);
    expect(await rejectionOf(alation.flags.get(9999))).toBeInstanceOf(NotFoundError);
  });

  it('lists the flags of one subject page by page', async () => {
    const other = emu.addTable({ datasourceId: ds.id, schema: 'sales', name: 'refunds' });
    for (let i = 0; i < 3; i++) {
      emu.addFlag({
        flagType: 'WARNING',
        reason: `w${i}`,
        subject: { otype: 'table', id: orders.id },
        userId: alice.id,
      });
    }
    emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: other.id },
      userId: bob.id,
    });

    const first = await alation.flags.list({
      subject: { otype: 'table', id: orders.id },
      limit: 2,
    });
    expect(first.items.map((f) => f.flag_reason)).toEqual(['w0', 'w1']);
    expect(first.items[0]?.subject.id).toBe(orders.id);
    const [request] = emu.requestsTo('GET', '/integration/flag/');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      oid: String(orders.id),
      otype: 'table',
      limit: '2',
    });

    const second = await alation.flags.list({ cursor: first.next ?? '' });
    expect(second.items.map((f) => f.flag_reason)).toEqual(['w2']);
    expect(second.next).toBeNull();
    expect((await alation.flags.list()).items).toHaveLength(4);
  });

  it('updates a reason and deletes the flag', async () => {
    const flag = await alation.flags.add({
      flag_type: 'WARNING',
      flag_reason: 'old',
      subject: { otype: 'table', id: orders.id },
    });
    const updated = await alation.flags.updateReason(flag.id, 'Loaded twice on 3 May');
    expect(updated.flag_reason).toBe('Loaded twice on 3 May');
    expect(emu.requestsTo('PUT', `/integration/flag/${flag.id}/`)[0]?.body).toEqual({
      flag_reason: 'Loaded twice on 3 May',
    });

    await alation.flags.remove(flag.id);
    expect(emu.state.flags.has(flag.id)).toBe(false);
    expect(emu.requestsTo('DELETE', `/integration/flag/${flag.id}/`)).toHaveLength(1);
  });

  it('refuses to update an endorsement’s reason', async () => {
    const flag = await alation.flags.add({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'table', id: orders.id },
    });
    const error = (await rejectionOf(alation.flags.updateReason(flag.id, 'x'))) as BadRequestError;
    expect(error.fieldErrors.flag_reason).toEqual([
      'flag_reason cannot be updated for ENDORSEMENT flags.',
    ]);
  });

  it('lets a data source owner delete somebody else’s flag but not a bystander', async () => {
    const flag = await alation.flags.add({
      flag_type: 'WARNING',
      flag_reason: 'x',
      subject: { otype: 'table', id: orders.id },
    });
    expect(await rejectionOf(asBob.flags.remove(flag.id))).toBeInstanceOf(ForbiddenError);
    emu.state.dataSources.get(ds.id)?.ownerIds.push(bob.id);
    await asBob.flags.remove(flag.id);
    expect(emu.state.flags.size).toBe(0);
  });

  it('lists the instance’s otypes', async () => {
    emu.knobs.otypes = ['data', 'table', 'attribute'];
    expect(await alation.flags.otypes()).toEqual(['data', 'table', 'attribute']);
  });
});
