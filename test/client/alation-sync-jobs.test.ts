import { describe, expect, it } from 'vitest';
import { createAlationClient } from '../../src/client/alation.ts';
import {
  type BadRequestError,
  ForbiddenError,
  NotFoundError,
  ServerError,
} from '../../src/client/errors.ts';
import { jobFailed, jobRunning, jobSucceeded } from '../emulators/alation.ts';
import { useAlationClientFixture } from '../support/alation-fixture.ts';
import { countingSource, rejectionOf } from '../support/client.ts';

const t = useAlationClientFixture((emu, http) => {
  const admin = emu.addUser({ name: 'Ada', isAdmin: true });
  const ds = emu.addDataSource();
  const adminSource = countingSource(emu.mintAccessToken(admin.id), () => '');
  return {
    admin,
    ds,
    adminSource,
    alation: createAlationClient({ http, credentials: adminSource }),
  };
});

describe('table sync', () => {
  it('syncs a table (201) and returns its catalog entry', async () => {
    const table = t.emu.addTable({
      datasourceId: t.ds.id,
      schema: 'objects',
      name: 'articles',
      title: 'Articles',
      isView: true,
      inCatalog: false,
    });
    const synced = await t.alation.tables.sync({
      datasource_id: t.ds.id,
      schema: 'objects',
      table: 'articles',
      table_type: 'VIEW',
    });
    expect(synced).toMatchObject({
      id: table.id,
      url: `/table/${table.id}/`,
      name: 'articles',
      ds_id: t.ds.id,
      is_view: true,
    });
    expect(t.emu.state.tables.get(table.id)?.inCatalog).toBe(true);
    const [request] = t.emu.requestsTo('POST', '/api/v1/table/sync/');
    expect(request?.userId).toBe(t.admin.id);
    expect(request?.body).toEqual({
      datasource_id: t.ds.id,
      schema: 'objects',
      table: 'articles',
      table_type: 'VIEW',
    });
  });

  it('is forbidden for a non-admin, without a token refresh', async () => {
    const user = t.emu.addUser();
    const source = countingSource(t.emu.mintAccessToken(user.id), () => '');
    const asUser = createAlationClient({ http: t.http, credentials: source });
    const error = (await rejectionOf(
      asUser.tables.sync({ datasource_id: t.ds.id, schema: 's', table: 't' }),
    )) as ForbiddenError;
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.detail).toBe('You do not have permission to perform this action.');
    expect(source.refreshedWith).toEqual([]);
  });

  it('carries the reason when the service account may not read the table', async () => {
    t.emu.addTable({ datasourceId: t.ds.id, schema: 's', name: 't', serviceAccountCanRead: false });
    const error = (await rejectionOf(
      t.alation.tables.sync({ datasource_id: t.ds.id, schema: 's', table: 't' }),
    )) as ForbiddenError;
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('does not have permission to view the metadata of table s.t');
    expect(t.adminSource.refreshedWith).toEqual([]);
  });

  it('maps missing table, bad type and connection failure to their kinds', async () => {
    t.emu.addSchema({ datasourceId: t.ds.id, name: 's' });
    const missing = await rejectionOf(
      t.alation.tables.sync({ datasource_id: t.ds.id, schema: 's', table: 'nope' }),
    );
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).message).toBe(
      `Alation could not find that: Table s.nope not found in data source ${t.ds.id}.`,
    );

    const badType = (await rejectionOf(
      t.alation.tables.sync({
        datasource_id: t.ds.id,
        schema: 's',
        table: 'x',
        table_type: 'MATVIEW' as 'VIEW',
      }),
    )) as BadRequestError;
    expect(badType.fieldErrors).toEqual({ table_type: ['"MATVIEW" is not a valid choice.'] });

    const broken = t.emu.addDataSource({ connectionError: 'timeout connecting to db:5432' });
    t.emu.addTable({ datasourceId: broken.id, schema: 's', name: 't' });
    const down = (await rejectionOf(
      t.alation.tables.sync({ datasource_id: broken.id, schema: 's', table: 't' }),
    )) as ServerError;
    expect(down).toBeInstanceOf(ServerError);
    expect(down.status).toBe(500);
    expect(down.message).toBe(
      'Alation had a problem (status 500): Error connecting to the data source: timeout connecting to db:5432',
    );
    expect(t.emu.requestsTo('POST', '/api/v1/table/sync/')).toHaveLength(3);
  });
});

describe('jobs', () => {
  const NAME = 'MetadataExtraction#1_2017-10-05-19-36-45-431906-00-00-4ea1dc02';

  it('looks a job up by a name containing #, percent-encoded', async () => {
    t.emu.addJob({
      name: NAME,
      states: [
        jobSucceeded({
          updated_objects: 1,
          number_received: 2,
          error_objects: ['Line 1. Key: schema_b.'],
          error: '1 errors were ignored',
        }),
      ],
    });
    const job = await t.alation.jobs.byName(NAME);
    expect(job.status).toBe('successful');
    expect(job.result).toEqual({
      updated_objects: 1,
      number_received: 2,
      error_objects: ['Line 1. Key: schema_b.'],
      error: '1 errors were ignored',
    });
    const [request] = t.emu.requestsTo('GET', '/api/v1/bulk_metadata/job/');
    expect(request?.query.get('name')).toBe(NAME);
    expect(request?.path).toBe('/api/v1/bulk_metadata/job/');
  });

  it('keeps a plain-text result as text, and a running job’s null', async () => {
    t.emu.addJob({
      id: 1,
      states: [
        jobRunning(),
        jobSucceeded(
          'Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped.',
        ),
      ],
    });
    expect(await t.alation.jobs.byId(1)).toMatchObject({ status: 'running', result: null });
    const done = await t.alation.jobs.byId(1);
    expect(done.result).toBe(
      'Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped.',
    );
    expect(t.emu.requestsTo('GET', '/api/v1/bulk_metadata/job/')[0]?.query.get('id')).toBe('1');
  });

  it('reports a failed job as data, and an unknown one as not_found', async () => {
    t.emu.addJob({ id: 2, states: [jobFailed({ error: 'Job failed' }, 'Job failed at noon')] });
    expect(await t.alation.jobs.byId(2)).toMatchObject({
      status: 'failed',
      msg: 'Job failed at noon',
      result: { error: 'Job failed' },
    });
    expect(await rejectionOf(t.alation.jobs.byName('nope#1'))).toBeInstanceOf(NotFoundError);
  });

  it('rejects an id that is not a whole number before any request', async () => {
    expect(await rejectionOf(t.alation.jobs.byId(1.5))).toBeInstanceOf(TypeError);
    expect(await rejectionOf(t.alation.queries.get(Number.NaN))).toBeInstanceOf(TypeError);
    expect(t.emu.requests).toHaveLength(0);
  });
});
