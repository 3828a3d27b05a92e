// Trust flags (alation/flags.ts).
import { describe, expect, it } from 'vitest';
import {
  expectJson,
  NO_PERMISSION,
  useAlationEmulatorSuite,
} from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('trust flags', () => {
  const flagPath = '/integration/flag/';

  it('adds flags with the documented reason rules and shape', async () => {
    const table = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'orders' });
    const res = await t.call(flagPath, {
      token: t.aliceToken,
      json: {
        flag_type: 'DEPRECATION',
        flag_reason: 'We do not use this anymore.',
        subject: { id: t.ds.id, otype: 'data' },
      },
    });
    const flag = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(flag).toEqual({
      id: expect.any(Number),
      flag_type: 'DEPRECATION',
      ts_created: expect.stringMatching(/Z$/),
      flag_reason: 'We do not use this anymore.',
      subject: { id: String(t.ds.id), url: `/data/${t.ds.id}`, otype: 'data' },
      user: { id: t.alice.id, url: `/user/${t.alice.id}/`, display_name: 'Alice' },
    });
    const endorse = await t.call(flagPath, {
      token: t.aliceToken,
      json: { flag_type: 'ENDORSEMENT', subject: { id: table.id, otype: 'table' } },
    });
    expect(await expectJson(endorse, 201)).toMatchObject({
      flag_type: 'ENDORSEMENT',
      flag_reason: '',
    });
    const endorseWithReason = await t.call(flagPath, {
      token: t.aliceToken,
      json: {
        flag_type: 'ENDORSEMENT',
        flag_reason: 'great',
        subject: { id: table.id, otype: 'table' },
      },
    });
    expect(await expectJson(endorseWithReason, 400)).toHaveProperty('flag_reason');
    const warningWithoutReason = await t.call(flagPath, {
      token: t.aliceToken,
      json: { flag_type: 'WARNING', flag_reason: '  ', subject: { id: table.id, otype: 'table' } },
    });
    expect(await expectJson(warningWithoutReason, 400)).toEqual({
      flag_reason: ['This field is required for WARNING flags.'],
    });
    await expectJson(
      await t.call(flagPath, {
        token: t.aliceToken,
        json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: 1, otype: 'tabel' } },
      }),
      400,
      { subject: ['Invalid otype'] },
    );
    await expectJson(
      await t.call(flagPath, {
        token: t.aliceToken,
        json: { flag_type: 'PRAISE', subject: { id: 1, otype: 'data' } },
      }),
      400,
      { flag_type: ['"PRAISE" is not a valid choice.'] },
    );
    const missingSubject = await t.call(flagPath, {
      token: t.aliceToken,
      json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: 999, otype: 'table' } },
    });
    expect(await expectJson(missingSubject, 400)).toHaveProperty('subject');
  });

  it('gets one flag and lists by subject with paging', async () => {
    const table = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'orders' });
    const other = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'users' });
    for (let i = 0; i < 5; i++) {
      t.emu.addFlag({
        flagType: 'WARNING',
        reason: `w${i}`,
        subject: { otype: 'table', id: table.id },
        userId: t.bob.id,
      });
    }
    const lone = t.emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: other.id },
      userId: t.alice.id,
    });
    const one = await expectJson(
      await t.call(`${flagPath}${lone.id}/`, { token: t.bobToken }),
      200,
    );
    expect(one).toMatchObject({
      id: lone.id,
      subject: { id: String(other.id), url: `/table/${other.id}`, otype: 'table' },
    });
    await expectJson(await t.call(`${flagPath}999/`, { token: t.bobToken }), 404, {
      detail: 'Not found.',
    });

    const page = await t.call(`${flagPath}?oid=${table.id}&otype=table&limit=2&skip=2`, {
      token: t.bobToken,
    });
    const listed = (await expectJson(page, 200)) as Record<string, unknown>[];
    expect(listed.map((f) => f.flag_reason)).toEqual(['w2', 'w3']);
    expect(listed[0]).toMatchObject({
      subject: { url: `/table/${table.id}/`, otype: 'table', id: table.id },
    });
    expect(page.headers.get('x-next-page')).toBe(
      `${flagPath}?oid=${table.id}&otype=table&limit=2&skip=4`,
    );
    const last = await t.call(`${flagPath}?oid=${table.id}&otype=table&limit=2&skip=4`, {
      token: t.bobToken,
    });
    expect(last.headers.get('x-next-page')).toBeNull();
    await expectJson(await t.call(`${flagPath}?oid=1&otype=nonsense`, { token: t.bobToken }), 400, {
      subject: ['Invalid otype'],
    });
    expect((await t.call(`${flagPath}?oid=1`, { token: t.bobToken })).status).toBe(400);
    const all = (await (await t.call(flagPath, { token: t.bobToken })).json()) as unknown[];
    expect(all).toHaveLength(6);
  });

  it('updates a reason, but never an endorsement’s, and only for those allowed', async () => {
    const table = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'orders' });
    const warning = t.emu.addFlag({
      flagType: 'WARNING',
      reason: 'old',
      subject: { otype: 'table', id: table.id },
      userId: t.alice.id,
    });
    const endorsement = t.emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: table.id },
      userId: t.alice.id,
    });
    const put = (id: number, token: string, body: unknown) =>
      t.call(`${flagPath}${id}/`, { method: 'PUT', token, json: body });
    expect(
      await expectJson(
        await put(warning.id, t.aliceToken, { flag_reason: 'Might have old data' }),
        200,
      ),
    ).toMatchObject({
      id: warning.id,
      flag_reason: 'Might have old data',
    });
    expect((await put(endorsement.id, t.aliceToken, { flag_reason: 'x' })).status).toBe(400);
    await expectJson(await put(warning.id, t.aliceToken, {}), 400, {
      flag_reason: ['This field is required.'],
    });
    const stranger = t.emu.addUser({ name: 'Carol' });
    await expectJson(
      await put(warning.id, t.emu.mintAccessToken(stranger.id), { flag_reason: 'mine now' }),
      403,
      NO_PERMISSION,
    );
  });

  it('deletes for the author, a server admin or the data-source owner; 403 otherwise, 404 when gone', async () => {
    const table = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'orders' });
    const mk = () =>
      t.emu.addFlag({
        flagType: 'WARNING',
        reason: 'r',
        subject: { otype: 'table', id: table.id },
        userId: t.alice.id,
      });
    const del = (id: number, token: string) =>
      t.call(`${flagPath}${id}/`, { method: 'DELETE', token });
    const carol = t.emu.addUser({ name: 'Carol' });
    const carolToken = t.emu.mintAccessToken(carol.id);

    const f1 = mk();
    await expectJson(await del(f1.id, carolToken), 403, NO_PERMISSION);
    const byAuthor = await del(f1.id, t.aliceToken);
    expect(byAuthor.status).toBe(204);
    expect(await byAuthor.text()).toBe('');
    await expectJson(await del(f1.id, t.aliceToken), 404, { detail: 'Not found.' });
    expect((await del(mk().id, t.adminToken)).status).toBe(204);
    // bob owns the data source the table descends from
    expect((await del(mk().id, t.bobToken)).status).toBe(204);
    const dsFlag = t.emu.addFlag({
      flagType: 'DEPRECATION',
      reason: 'r',
      subject: { otype: 'data', id: t.ds.id },
      userId: t.alice.id,
    });
    expect((await del(dsFlag.id, t.bobToken)).status).toBe(204);
  });

  it('requires global flag edit permission', async () => {
    const noEdit = t.emu.addUser({ name: 'Viewer', canEditFlags: false });
    const res = await t.call(flagPath, {
      token: t.emu.mintAccessToken(noEdit.id),
      json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: t.ds.id, otype: 'data' } },
    });
    await expectJson(res, 403, NO_PERMISSION);
  });

  it('lists the instance’s otypes', async () => {
    const otypes = (await expectJson(
      await t.call('/integration/v1/otype/', { token: t.aliceToken }),
      200,
    )) as { name: string }[];
    expect(otypes).toEqual(
      expect.arrayContaining([{ name: 'data' }, { name: 'table' }, { name: 'attribute' }]),
    );
  });
});
