import { beforeEach, describe, expect, it } from 'vitest';
import { createAlationClient } from '../../src/client/alation.ts';
import {
  BadRequestError,
  type BadResponseError,
  ForbiddenError,
  NotFoundError,
  UnreachableError,
  UpstreamTimeoutError,
} from '../../src/client/errors.ts';
import { createHttp } from '../../src/client/http.ts';
import { collectPages } from '../../src/client/paging.ts';
import { useAlationClientFixture } from '../support/alation-fixture.ts';
import { countingSource, readAll, rejectionOf } from '../support/client.ts';

const t = useAlationClientFixture((emu, http) => {
  const alice = emu.addUser({ name: 'Alice' });
  const bob = emu.addUser({ name: 'Bob' });
  const aliceToken = emu.mintAccessToken(alice.id);
  const ds = emu.addDataSource({ title: 'Warehouse' });
  const source = countingSource(aliceToken, () => emu.mintAccessToken(alice.id));
  return {
    alice,
    bob,
    aliceToken,
    ds,
    source,
    alation: createAlationClient({ http, credentials: source }),
  };
});

describe('create', () => {
  it('posts the body with the TOKEN header and returns the created query as Alice', async () => {
    const created = await t.alation.queries.create({
      datasource_id: t.ds.id,
      content: 'SELECT count(*) FROM users;',
      title: 'User count',
      tag_names: ['@kpi'],
      published: true,
    });
    expect(created).toMatchObject({
      title: 'User count',
      datasource_id: t.ds.id,
      published: true,
      catalog_url: `/query/${created.id}/`,
      compose_url: `/compose/query/${created.id}/`,
    });
    expect(created.tags?.map((t) => t.name)).toEqual(['@kpi']);
    const [request] = t.emu.requestsTo('POST', '/integration/v1/query/');
    expect(request?.headers.token).toBe(t.aliceToken);
    expect(request?.userId).toBe(t.alice.id);
    expect(request?.body).toEqual({
      datasource_id: t.ds.id,
      content: 'SELECT count(*) FROM users;',
      title: 'User count',
      tag_names: ['@kpi'],
      published: true,
    });
    expect(t.emu.state.queries.get(created.id)?.authorId).toBe(t.alice.id);
  });

  it('surfaces DRF field errors keyed by field', async () => {
    const error = (await rejectionOf(
      t.alation.queries.create({ datasource_id: 999, content: '' }),
    )) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({
      content: ['This field is required.'],
      datasource_id: ['Invalid pk "999" - object does not exist.'],
    });
    expect(error.message).toBe('Alation rejected the request: content: This field is required.');
  });
});

describe('list', () => {
  beforeEach(() => {
    const titles = ['Revenue daily', 'Revenue weekly', 'Churn', 'revenue by region', 'Signups'];
    for (const title of titles) t.emu.addQuery({ datasourceId: t.ds.id, title });
  });

  it('sends Django-style filters, order_by and limit, and pages with the returned cursor', async () => {
    const first = await t.alation.queries.list({
      filters: { title__icontains: 'revenue' },
      orderBy: '-title',
      limit: 2,
    });
    expect(first.items.map((q) => q.title)).toEqual(['revenue by region', 'Revenue weekly']);
    expect(first.next).not.toBeNull();
    const [request] = t.emu.requestsTo('GET', '/integration/v1/query/');
    expect(request?.query.get('title__icontains')).toBe('revenue');
    expect(request?.query.get('order_by')).toBe('-title');

    const second = await t.alation.queries.list({ cursor: first.next as string });
    expect(second.items.map((q) => q.title)).toEqual(['Revenue daily']);
    expect(second.next).toBeNull();
  });

  it('clamps the page size to the documented 1000 cap', async () => {
    await t.alation.queries.list({ limit: 5000 });
    expect(t.emu.requestsTo('GET', '/integration/v1/query/')[0]?.query.get('limit')).toBe('1000');
  });

  it('collects every page through collectPages', async () => {
    const all = await collectPages((cursor) =>
      t.alation.queries.list(cursor ? { cursor } : { limit: 2 }),
    );
    expect(all.items.map((q) => q.title)).toHaveLength(5);
    expect(all.truncated).toBe(false);
    expect(t.emu.requestsTo('GET', '/integration/v1/query/')).toHaveLength(3);
  });

  it('refuses a cursor that points at another endpoint', async () => {
    const error = await rejectionOf(
      t.alation.queries.list({ cursor: '/integration/flag/?limit=2&skip=2' }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(t.emu.requests).toHaveLength(0);
  });

  it('reports a bad filter value as bad_request with the server sentence', async () => {
    const error = (await rejectionOf(
      t.alation.queries.list({ filters: { id__gt: 'abc' } }),
    )) as BadRequestError;
    expect(error.kind).toBe('bad_request');
    expect(error.detail).toBe("Invalid value(s) ['abc'] for URL parameter 'id__gt'");
  });
});

describe('single query', () => {
  it('gets details and SQL text', async () => {
    const query = t.emu.addQuery({
      datasourceId: t.ds.id,
      title: 'Top users',
      content: 'SELECT *\n  FROM users\n LIMIT 10;',
      schedules: [{ cronExpression: '0 9 * * 1' }],
    });
    const got = await t.alation.queries.get(query.id);
    expect(got).toMatchObject({ id: query.id, title: 'Top users', datasource: { id: t.ds.id } });
    expect(got.schedules?.[0]?.cron_expression).toBe('0 9 * * 1');
    expect(await t.alation.queries.sql(query.id)).toBe('SELECT *\n  FROM users\n LIMIT 10;');
  });

  it('maps a missing query to not_found', async () => {
    const error = (await rejectionOf(t.alation.queries.get(4242))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('Alation could not find that.');
    expect(error.path).toBe('/integration/v1/query/4242/');
  });

  it('reports somebody else’s private query as forbidden without refreshing the token', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id, published: false, authorId: t.bob.id });
    const error = (await rejectionOf(t.alation.queries.sql(query.id))) as ForbiddenError;
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.detail).toBe('You do not have permission to perform this action.');
    expect(t.source.refreshedWith).toEqual([]);
    expect(t.emu.requests).toHaveLength(1);
  });
});

describe('results', () => {
  it('returns the latest result, or null when there is none yet', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    expect(await t.alation.queries.latestResult(query.id)).toBeNull();
    const { resultId } = t.emu.addResult(query.id, { csv: 'a,b\n1,2\n', secondsTaken: 0.5 });
    const latest = await t.alation.queries.latestResult(query.id);
    expect(latest).toMatchObject({
      id: resultId,
      truncated: false,
      execution_event: { finished: true, seconds_taken: 0.5, execution_error: null },
    });
  });

  it('keeps not_found for a query that does not exist', async () => {
    const error = await rejectionOf(t.alation.queries.latestResult(777));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('streams a result CSV', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const { resultId } = t.emu.addResult(query.id, { csv: 'region,revenue\nEMEA,100\n' });
    const res = await t.alation.queries.resultCsv(resultId);
    expect(res.contentType).toBe('text/csv');
    expect(await readAll(res.body)).toBe('region,revenue\nEMEA,100\n');
    expect(t.emu.requestsTo('GET', `/integration/v1/result/${resultId}/csv/`)[0]?.userId).toBe(
      t.alice.id,
    );
  });

  it('streams a 16 MB result with backpressure instead of buffering it', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const row = `${'x'.repeat(60)},12345\n`;
    const chunk = `${row.repeat(1024)}`;
    const chunks = Math.ceil((16 * 1024 * 1024) / chunk.length);
    let produced = 0;
    const { resultId } = t.emu.addResult(query.id, {
      csv: function* () {
        yield 'label,value\n';
        for (let i = 0; i < chunks; i++) {
          produced += 1;
          yield chunk;
        }
      },
    });
    const res = await t.alation.queries.resultCsv(resultId);
    const reader = res.body[Symbol.asyncIterator]();
    let bytes = ((await reader.next()).value as Buffer).length;
    // While nobody reads, the server must stall once the socket buffers are full.
    let before = -1;
    for (let tries = 0; tries < 30 && produced !== before; tries++) {
      before = produced;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(produced).toBe(before);
    expect(produced).toBeLessThan(chunks);
    for (let next = await reader.next(); !next.done; next = await reader.next()) {
      bytes += (next.value as Buffer).length;
    }
    expect(produced).toBe(chunks);
    expect(bytes).toBe('label,value\n'.length + chunks * chunk.length);
  });

  it('surfaces a connection cut mid-download as unreachable on the stream', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const { resultId } = t.emu.addResult(query.id, {
      csv: function* () {
        yield `a,b\n${'1,2\n'.repeat(50_000)}`;
        throw new Error('database went away');
      },
    });
    const res = await t.alation.queries.resultCsv(resultId);
    const error = await rejectionOf(readAll(res.body));
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).path).toBe(`/integration/v1/result/${resultId}/csv/`);
  });

  it('surfaces a stalled download as timeout on the stream', async () => {
    const slow = createHttp({ baseUrl: t.emu.url, service: 'Alation', timeouts: { bodyMs: 150 } });
    const client = createAlationClient({ http: slow, credentials: t.source });
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const { resultId } = t.emu.addResult(query.id, {
      csv: async function* () {
        yield 'a,b\n1,2\n';
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        yield '3,4\n';
      },
    });
    const res = await client.queries.resultCsv(resultId);
    expect(await rejectionOf(readAll(res.body))).toBeInstanceOf(UpstreamTimeoutError);
    await slow.close();
  });

  it('rejects a stream that turns out to be an HTML page', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const { resultId } = t.emu.addResult(query.id, { csv: 'a\n1\n' });
    t.emu.fault({ path: '/integration/v1/result/', html: true, status: 200 });
    const error = (await rejectionOf(t.alation.queries.resultCsv(resultId))) as BadResponseError;
    expect(error.reason).toBe('html');
  });

  it('reports an expired result as not_found', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id });
    const { resultId } = t.emu.addResult(query.id, { csv: 'a\n1\n', expired: true });
    expect(await rejectionOf(t.alation.queries.resultCsv(resultId))).toBeInstanceOf(NotFoundError);
  });
});

describe('execution history', () => {
  it('lists sessions, batches and events, globally and per query, and fetches each by id', async () => {
    const q1 = t.emu.addQuery({ datasourceId: t.ds.id, title: 'One' });
    const q2 = t.emu.addQuery({ datasourceId: t.ds.id, title: 'Two' });
    const run = t.emu.addResult(q1.id, { csv: 'a\n1\n', scheduled: true });
    t.emu.addExecutionEvent(q1.id, { batchId: run.batchId, executionError: 'division by zero' });
    t.emu.addResult(q2.id, { csv: 'b\n2\n' });

    const sessions = await t.alation.executions.sessions({ queryId: q1.id });
    expect(sessions.items).toEqual([
      expect.objectContaining({ id: run.sessionId, query_id: q1.id, is_scheduled: true }),
    ]);
    expect((await t.alation.executions.sessions()).items).toHaveLength(2);
    expect(await t.alation.executions.session(run.sessionId)).toMatchObject({
      batch_ids: [run.batchId],
    });

    const batch = await t.alation.executions.batch(run.batchId);
    expect(batch.events.map((e) => e.index_in_batch)).toEqual([0, 1]);
    expect((await t.alation.executions.batches({ queryId: q2.id })).items).toHaveLength(1);

    const failed = await t.alation.executions.events(undefined, {
      filters: { execution_error__isnull: false },
    });
    expect(failed.items).toEqual([
      expect.objectContaining({ execution_error: 'division by zero', result: null }),
    ]);
    const withResult = await t.alation.executions.event(run.eventId);
    expect(withResult.result).toMatchObject({ id: run.resultId, storage_status: 'STORED_ALL' });
    expect(
      t.emu.requestsTo('GET', `/integration/v1/query/${q1.id}/execution_session/`),
    ).toHaveLength(1);
  });

  it('lists scheduled runs with date filters and ordering', async () => {
    const query = t.emu.addQuery({ datasourceId: t.ds.id, title: 'Nightly' });
    t.emu.addScheduledRun({ queryId: query.id, tsSentToBroker: new Date('2024-01-01T08:00:00Z') });
    t.emu.addScheduledRun({ queryId: query.id, tsSentToBroker: new Date('2024-01-03T08:00:00Z') });
    t.emu.addScheduledRun({ tsSentToBroker: new Date('2024-01-02T08:00:00Z') });

    const recent = await t.alation.executions.scheduledRuns(
      { queryId: query.id },
      { filters: { ts_sent_to_broker__gte: new Date('2024-01-02T00:00:00Z') } },
    );
    expect(recent.items).toEqual([
      expect.objectContaining({ query_title: 'Nightly', ts_sent_to_broker: expect.any(String) }),
    ]);
    const all = await t.alation.executions.scheduledRuns(undefined, {
      orderBy: '-ts_sent_to_broker',
    });
    expect(all.items.map((r) => r.ts_sent_to_broker.slice(0, 10))).toEqual([
      '2024-01-03',
      '2024-01-02',
      '2024-01-01',
    ]);
    expect(all.items[1]?.query_id).toBeNull();
    const [filtered] = t.emu.requestsTo('GET', `/integration/v1/query/${query.id}/scheduled_run/`);
    expect(filtered?.query.get('ts_sent_to_broker__gte')).toBe('2024-01-02T00:00:00.000Z');
  });
});
