// Table metadata sync (alation/sync.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import {
  expectJson,
  MISSING_TOKEN_403000,
  NO_PERMISSION,
  useAlationEmulatorSuite,
} from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('table sync', () => {
  const sync = (token: string | undefined, body: Record<string, unknown>) =>
    t.call('/api/v1/table/sync/', { ...(token ? { token } : {}), json: body });

  beforeEach(() => {
    t.emu.addTable({
      datasourceId: t.ds.id,
      schema: 'objects',
      name: 'articles',
      title: 'Articles',
      isView: true,
      inCatalog: false,
    });
    t.emu.addTable({
      datasourceId: t.ds.id,
      schema: 'objects',
      name: 'secrets',
      serviceAccountCanRead: false,
    });
    t.emu.addSchema({ datasourceId: t.ds.id, name: 'scratch', excluded: true });
  });

  it('syncs a table into the catalog: 201, Location and the documented body', async () => {
    const res = await sync(t.adminToken, {
      datasource_id: t.ds.id,
      schema: 'objects',
      table: 'articles',
      table_type: 'VIEW',
    });
    const body = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.any(Number),
      url: `/table/${body.id}/`,
      name: 'articles',
      schema_name: 'objects',
      title: 'Articles',
      description: '',
      ds_id: t.ds.id,
      is_view: true,
      custom_fields: [],
      schema_id: expect.any(Number),
      synonyms: null,
      db_comment: null,
    });
    expect(res.headers.get('location')).toBe(`/api/table/${body.id}/`);
    expect(t.emu.state.tables.get(Number(body.id))?.inCatalog).toBe(true);
    const again = await sync(t.adminToken, {
      datasource_id: t.ds.id,
      schema: 'objects',
      table: 'articles',
    });
    expect(again.status).toBe(201);
  });

  it('accepts the form-encoded body of the Python sample', async () => {
    const res = await t.call('/api/v1/table/sync/', {
      token: t.adminToken,
      form: {
        datasource_id: String(t.ds.id),
        schema: 'objects',
        table: 'articles',
        table_type: 'VIEW',
      },
    });
    expect(res.status).toBe(201);
  });

  it('reproduces every row of the documented error table from seeded state', async () => {
    const ok = { datasource_id: t.ds.id, schema: 'objects', table: 'articles' };
    await expectJson(await sync(t.adminToken, { datasource_id: t.ds.id, table: 'articles' }), 400, {
      schema: ['This field is required.'],
    });
    await expectJson(await sync(t.adminToken, { ...ok, table_type: 'MATERIALIZED' }), 400, {
      table_type: ['"MATERIALIZED" is not a valid choice.'],
    });
    expect(
      await expectJson(await sync(t.adminToken, { ...ok, schema: 'scratch' }), 400),
    ).toHaveProperty('detail');
    await expectJson(await sync(undefined, ok), 403, MISSING_TOKEN_403000);
    await expectJson(await sync(t.aliceToken, ok), 403, NO_PERMISSION);
    const denied = await sync(t.adminToken, { ...ok, table: 'secrets' });
    expect(((await expectJson(denied, 403)) as { detail: string }).detail).toMatch(
      /service account/,
    );
    expect(
      await expectJson(await sync(t.adminToken, { ...ok, datasource_id: 99 }), 404),
    ).toHaveProperty('detail');
    expect(
      await expectJson(await sync(t.adminToken, { ...ok, schema: 'nope' }), 404),
    ).toHaveProperty('detail');
    const missing = await sync(t.adminToken, { ...ok, table: 'ghost' });
    expect(((await expectJson(missing, 404)) as { detail: string }).detail).toMatch(/not found/);
    t.ds.connectionError = 'timeout after 30s';
    const down = await sync(t.adminToken, ok);
    expect(((await expectJson(down, 500)) as { detail: string }).detail).toMatch(
      /timeout after 30s/,
    );
  });

  it('refuses data sources whose service account cannot read anything', async () => {
    const locked = t.emu.addDataSource({ serviceAccountCanRead: false });
    t.emu.addTable({ datasourceId: locked.id, schema: 's', name: 't' });
    expect(
      (await sync(t.adminToken, { datasource_id: locked.id, schema: 's', table: 't' })).status,
    ).toBe(403);
  });
});
