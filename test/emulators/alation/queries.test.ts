// Compose queries: create, read, list, search and update (alation/queries.ts).
import { describe, expect, it } from 'vitest';
import {
  expectJson,
  NO_PERMISSION,
  useAlationEmulatorSuite,
} from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('queries', () => {
  it('creates a query: 201, Location, the documented shape, tags and domains', async () => {
    const domain = t.emu.addDomain({ title: 'Finance', description: 'Money' });
    const res = await t.call('/integration/v1/query/', {
      token: t.aliceToken,
      json: {
        datasource_id: t.ds.id,
        content: 'SELECT count(*) FROM users;\nSELECT TOP 10 * FROM users;',
        title: 'Top 10 Users',
        published: true,
        tag_names: ['@tag_name'],
        domain_ids: [domain.id],
      },
    });
    const body = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(`/integration/v1/query/${body.id}/`);
    expect(Object.keys(body).sort()).toEqual(
      [
        'autosave_content',
        'catalog_url',
        'compose_url',
        'content',
        'datasource',
        'datasource_id',
        'description',
        'domains',
        'has_unsaved_changes',
        'id',
        'published',
        'saved',
        'schedules',
        'tags',
        'title',
        'ts_last_saved',
        'url',
      ].sort(),
    );
    expect(body).toMatchObject({
      saved: true,
      published: true,
      catalog_url: `/query/${body.id}/`,
      compose_url: `/compose/query/${body.id}/`,
      datasource: {
        id: t.ds.id,
        title: 'Warehouse',
        uri: 'snowflake://acme',
        url: `/data/${t.ds.id}/`,
      },
      domains: [{ id: domain.id, title: 'Finance', description: 'Money' }],
      tags: [{ name: '@tag_name', url: expect.stringMatching(/^\/tag\/\d+\/$/) }],
    });
    expect(t.emu.state.queries.get(Number(body.id))?.authorId).toBe(t.alice.id);
  });

  it('reports every invalid field at once', async () => {
    const res = await t.call('/integration/v1/query/', {
      token: t.aliceToken,
      json: { datasource_id: 999, saved: 'maybe', domain_ids: [42] },
    });
    await expectJson(res, 400, {
      content: ['This field is required.'],
      datasource_id: ['Invalid pk "999" - object does not exist.'],
      saved: ['Must be a valid boolean.'],
      domain_ids: ['Invalid pk "42" - object does not exist.'],
    });
  });

  it('lets only admins create on behalf of another author', async () => {
    const body = {
      datasource_id: t.ds.id,
      content: 'SELECT 1',
      author: { email: 'alice@example.com' },
    };
    await expectJson(
      await t.call('/integration/v1/query/', { token: t.bobToken, json: body }),
      403,
      NO_PERMISSION,
    );
    const res = await t.call('/integration/v1/query/', { token: t.adminToken, json: body });
    const created = (await expectJson(res, 201)) as { id: number };
    expect(t.emu.state.queries.get(created.id)?.authorId).toBe(t.alice.id);
  });

  it('answers a POST without the trailing slash with Django’s 301 (which fetch turns into a GET)', async () => {
    const res = await t.call('/integration/v1/query', {
      token: t.aliceToken,
      json: { datasource_id: t.ds.id, content: 'x' },
    });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/integration/v1/query/');
  });

  it('pages with limit/skip (default 100) and X-Next-Page until the end', async () => {
    for (let i = 1; i <= 250; i++) t.emu.addQuery({ datasourceId: t.ds.id, title: `Q${i}` });
    const first = await t.call('/integration/v1/query/?title__startswith=Q', {
      token: t.aliceToken,
    });
    expect(((await first.json()) as unknown[]).length).toBe(100);
    expect(first.headers.get('x-next-page')).toBe(
      '/integration/v1/query/?title__startswith=Q&limit=100&skip=100',
    );
    const seen: number[] = [];
    let next: string | null = '/integration/v1/query/?limit=100';
    while (next) {
      const res = await t.call(next, { token: t.aliceToken });
      seen.push(...((await res.json()) as { id: number }[]).map((q) => q.id));
      next = res.headers.get('x-next-page');
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const capped = await t.call('/integration/v1/query/?limit=5000', { token: t.aliceToken });
    expect(((await capped.json()) as unknown[]).length).toBe(250);
    await expectJson(
      await t.call('/integration/v1/query/?limit=ten', { token: t.aliceToken }),
      400,
      {
        error: "Invalid value(s) ['ten'] for URL parameter 'limit'",
      },
    );
    t.emu.knobs.absoluteNextPage = true;
    const absolute = await t.call('/integration/v1/query/?limit=10', { token: t.aliceToken });
    expect(absolute.headers.get('x-next-page')).toBe(
      `${t.emu.url}/integration/v1/query/?limit=10&skip=10`,
    );
  });

  it('filters with the documented operators and orders with order_by', async () => {
    t.emu.addQuery({ datasourceId: t.ds.id, title: 'Q1 revenue', content: 'select * from table' });
    t.emu.addQuery({
      datasourceId: t.ds.id,
      title: 'Churn Results',
      content: 'UPDATE t SET x = 1',
      autosaveContent: 'UPDATE t',
    });
    t.emu.addQuery({
      datasourceId: t.ds.id,
      title: 'Q2 scheduled',
      schedules: [{ enabled: true, tsLastAttempt: new Date('2018-03-30T08:17:00Z') }],
    });
    const titles = async (query: string) =>
      (
        (await (
          await t.call(`/integration/v1/query/?${query}`, { token: t.aliceToken })
        ).json()) as {
          title: string;
        }[]
      ).map((q) => q.title);
    expect(await titles('title__istartswith=q1')).toEqual(['Q1 revenue']);
    expect(await titles('title__iendswith=RESULTS')).toEqual(['Churn Results']);
    expect(await titles('content__icontains=update')).toEqual(['Churn Results']);
    expect(await titles('content__regex=^select.*table$')).toEqual(['Q1 revenue']);
    expect(await titles('id__gte=2&id__lt=3')).toEqual(['Churn Results']);
    expect(await titles('has_unsaved_changes=true')).toEqual(['Churn Results']);
    expect(await titles('schedule_enabled=true')).toEqual(['Q2 scheduled']);
    expect(
      await titles(
        'schedule_ts_last_attempt__year=2018&schedule_ts_last_attempt__month=3&schedule_ts_last_attempt__day=30',
      ),
    ).toEqual(['Q2 scheduled']);
    expect(await titles('order_by=-title')).toEqual([
      'Q2 scheduled',
      'Q1 revenue',
      'Churn Results',
    ]);
    expect(await titles('datasource_title=Warehouse&order_by=title')).toEqual([
      'Churn Results',
      'Q1 revenue',
      'Q2 scheduled',
    ]);
    await expectJson(await t.call('/integration/v1/query/?id=abc', { token: t.aliceToken }), 400, {
      error: "Invalid value(s) ['abc'] for URL parameter 'id'",
    });
    await expectJson(
      await t.call('/integration/v1/query/?order_by=title&schedule_enabled=true', {
        token: t.aliceToken,
      }),
      400,
      {
        error:
          'Ordering with "title" may not be used with filtering on "schedule_enabled" You may either remove the filter(s) or remove the ordering parameter.',
      },
    );
  });

  it('returns details (with schedules), SQL text verbatim, and 404 for unknown ids', async () => {
    const sql = '  SELECT *\n\tFROM my_schema.my_table\nWHERE my_column is not NULL;  \n';
    const q = t.emu.addQuery({
      datasourceId: t.ds.id,
      title: 'Detailed',
      content: sql,
      schedules: [{ cronExpression: '17 1 * * *' }],
    });
    const detail = (await expectJson(
      await t.call(`/integration/v1/query/${q.id}/`, { token: t.bobToken }),
      200,
    )) as Record<string, unknown>;
    expect(detail).toMatchObject({
      id: q.id,
      title: 'Detailed',
      content: sql,
      url: `/integration/v1/query/${q.id}/`,
    });
    expect(detail.schedules).toEqual([
      expect.objectContaining({
        cron_expression: '17 1 * * *',
        celery_task_name: `rosemeta.tasks.query_scheduling.run_query_${q.id}`,
        user: { username: 'scheduler@example.com', is_active: true },
        db_connection: expect.objectContaining({ uri: 'snowflake://acme' }),
        latest_session: null,
      }),
    ]);
    const text = await t.call(`/integration/v1/query/${q.id}/sql/`, { token: t.bobToken });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe(sql);
    await expectJson(await t.call('/integration/v1/query/999/', { token: t.bobToken }), 404, {
      detail: 'Not found.',
    });
    expect((await t.call('/integration/v1/query/999/sql/', { token: t.bobToken })).status).toBe(
      404,
    );
  });

  it('finds the latest result id, or answers the documented 404s', async () => {
    const q = t.emu.addQuery({ datasourceId: t.ds.id, id: 15 });
    await expectJson(
      await t.call('/integration/v1/query/15/result/latest/', { token: t.aliceToken }),
      404,
      {
        detail: 'Could not get latest query result ID for query ID 15',
      },
    );
    await expectJson(
      await t.call('/integration/v1/query/16/result/latest/', { token: t.aliceToken }),
      404,
      {
        detail: 'Not found.',
      },
    );
    t.emu.addResult(q.id, {
      csv: 'a\n1\n',
      executedAt: new Date('2017-10-18T01:19:09.855Z'),
      secondsTaken: 0.121,
    });
    const latest = t.emu.addResult(q.id, {
      csv: 'a\n2\n',
      executedAt: new Date('2017-10-19T01:00:00Z'),
      secondsTaken: 2,
      truncated: true,
    });
    t.emu.addResult(q.id, {
      csv: 'a\n3\n',
      executedAt: new Date('2017-10-20T01:00:00Z'),
      deleted: true,
    });
    await expectJson(
      await t.call('/integration/v1/query/15/result/latest/', { token: t.aliceToken }),
      200,
      {
        id: latest.resultId,
        truncated: true,
        execution_event: {
          executed_at: '2017-10-19 01:00:00.000000+00:00',
          canceled: false,
          execution_error: null,
          finished: true,
          finished_at: '2017-10-19 01:00:02.000000+00:00',
          seconds_taken: 2,
        },
      },
    );
  });

  it('serves result CSV as text/csv, streamed, including large results', async () => {
    const q = t.emu.addQuery({ datasourceId: t.ds.id });
    const small = t.emu.addResult(q.id, {
      csv: 'my_column,sum,name\nTrue,365,Days in a Year\nTrue,24,Hours in a Day\nTrue,3600,Seconds in an Hour',
    });
    const res = await t.call(`/integration/v1/result/${small.resultId}/csv/`, {
      token: t.aliceToken,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('content-length')).toBeNull();
    expect((await res.text()).split('\n')[2]).toBe('True,24,Hours in a Day');

    const rows = 150_000;
    const big = t.emu.addResult(q.id, {
      rowCount: rows,
      csv: function* () {
        yield 'id,label,amount\n';
        for (let i = 0; i < rows; i += 1000) {
          let chunk = '';
          for (let j = i; j < i + 1000; j++)
            chunk += `${j},row number ${j},${(j * 1.5).toFixed(2)}\n`;
          yield chunk;
        }
      },
    });
    const bigRes = await t.call(`/integration/v1/result/${big.resultId}/csv/`, {
      token: t.aliceToken,
    });
    const body = await bigRes.text();
    expect(body.length).toBeGreaterThan(4_000_000);
    const lines = body.trimEnd().split('\n');
    expect(lines.length).toBe(rows + 1);
    expect(lines.at(-1)).toBe(
      `${rows - 1},row number ${rows - 1},${((rows - 1) * 1.5).toFixed(2)}`,
    );
    await expectJson(
      await t.call('/integration/v1/result/9999/csv/', { token: t.aliceToken }),
      404,
      {
        detail: 'Not found.',
      },
    );
  });

  it('hides results of queries the user cannot see', async () => {
    const q = t.emu.addQuery({ datasourceId: t.ds.id, published: false, authorId: t.alice.id });
    const r = t.emu.addResult(q.id, { csv: 'a\n1\n' });
    expect(
      (await t.call(`/integration/v1/result/${r.resultId}/csv/`, { token: t.bobToken })).status,
    ).toBe(403);
    expect(
      (await t.call(`/integration/v1/query/${q.id}/result/latest/`, { token: t.bobToken })).status,
    ).toBe(404);
    expect((await t.call(`/integration/v1/query/${q.id}/sql/`, { token: t.bobToken })).status).toBe(
      403,
    );
  });

  it('imports a query from the browser and redirects to compose or catalog', async () => {
    const loggedOut = await t.call(
      `/integration/v1/query/import/?return_to=compose&datasource_id=${t.ds.id}&content=SELECT%20*`,
    );
    expect(loggedOut.headers.get('location')).toMatch(/^\/login\/\?next=/);
    t.emu.setBrowserUser(t.alice.id);
    const res = await t.call(
      `/integration/v1/query/import/?return_to=catalog&datasource_id=${t.ds.id}&content=SELECT%20*&saved=true`,
    );
    expect(res.status).toBe(302);
    const id = Number(res.headers.get('location')?.match(/^\/query\/(\d+)\/$/)?.[1]);
    expect(t.emu.state.queries.get(id)).toMatchObject({
      content: 'SELECT *',
      authorId: t.alice.id,
      saved: true,
    });
  });
});
