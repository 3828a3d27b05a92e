import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModeApiToken, ModeEmulator, ModeQueryRun } from './mode.ts';
import { basicAuth, startModeEmulator } from './mode.ts';

let emu: ModeEmulator;
let token: ModeApiToken & { authorization: string };
let first: ModeQueryRun;
let second: ModeQueryRun;

const RUN_BASE = '/api/acme/reports/r3p0rt/runs/run1';
const CSV = 'region,revenue\nEMEA,100\nAMER,250\n';

beforeAll(async () => {
  emu = await startModeEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.reset();
  token = emu.addApiToken({ token: 'tok123', secret: 'sec456' });
  emu.addReportRun({ workspace: 'acme', report: 'r3p0rt', token: 'run1', state: 'succeeded' });
  first = emu.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qr1',
    queryName: 'Revenue by region',
    rawSource: 'select region, sum(x) from sales group by 1',
    csv: CSV,
  });
  second = emu.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qr2',
    state: 'running',
  });
});

function get(
  path: string,
  headers: Record<string, string> = { authorization: token.authorization },
) {
  return fetch(`${emu.url}${path}`, { headers: { accept: 'application/hal+json', ...headers } });
}

/** Raw bytes and headers, bypassing fetch's transparent gzip decoding. */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${emu.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('Mode auth', () => {
  it('requires HTTP Basic with the API token and secret', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basicAuth('tok123', 'wrong') },
      { authorization: 'Bearer tok123' },
    ];
    for (const headers of attempts) {
      const res = await get(`${RUN_BASE}/query_runs`, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await res.json()).toEqual({ id: 'unauthorized', message: 'Unauthorized' });
    }
    expect((await get(`${RUN_BASE}/query_runs`)).status).toBe(200);
    expect(emu.requests.map((r) => r.userId)).toEqual([null, null, null, 'tok123']);
  });

  it('hides workspaces a token may not read', async () => {
    const scoped = emu.addApiToken({ workspaces: ['other'] });
    const res = await get(`${RUN_BASE}/query_runs`, { authorization: scoped.authorization });
    expect(res.status).toBe(404);
  });

  it('rate-limits per token with Retry-After when enabled', async () => {
    emu.knobs.rateLimit = { max: 2, windowMs: 10_000 };
    expect((await get(`${RUN_BASE}/query_runs`)).status).toBe(200);
    expect((await get(`${RUN_BASE}/query_runs`)).status).toBe(200);
    const limited = await get(`${RUN_BASE}/query_runs`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = emu.addApiToken();
    expect(
      (await get(`${RUN_BASE}/query_runs`, { authorization: other.authorization })).status,
    ).toBe(200);
  });
});

describe('Mode accounts', () => {
  it('gets a seeded workspace as HAL+JSON', async () => {
    const ws = emu.addWorkspace('acme', { name: 'Acme Analytics', id: 42 });
    const res = await get('/api/acme');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/hal+json');
    expect(await res.json()).toMatchObject({
      id: 42,
      token: ws.token,
      username: 'acme',
      name: 'Acme Analytics',
      _links: { self: { href: '/api/acme' } },
    });
    expect(emu.requestsTo('GET', '/api/acme')[0]?.userId).toBe('tok123');
  });

  it('answers 401 for bad credentials', async () => {
    const res = await get('/api/acme', { authorization: basicAuth('tok123', 'wrong') });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ id: 'unauthorized', message: 'Unauthorized' });
  });

  it('answers 404 for unknown accounts and ones the token may not read', async () => {
    const unknown = await get('/api/nobody');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ id: 'not_found', message: 'Account not found' });
    const scoped = emu.addApiToken({ workspaces: ['other'] });
    const hidden = await get('/api/acme', { authorization: scoped.authorization });
    expect(hidden.status).toBe(404);
  });
});

describe('Mode query runs', () => {
  it('lists the query runs of a report run as HAL+JSON', async () => {
    const res = await get(`${RUN_BASE}/query_runs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/hal+json');
    const body = (await res.json()) as {
      _links: Record<string, { href: string; templated: boolean }>;
      _embedded: { query_runs: Record<string, unknown>[] };
    };
    expect(body._links.self).toEqual({ href: `${RUN_BASE}/query_runs`, templated: false });
    expect(body._embedded.query_runs.map((q) => [q.token, q.state])).toEqual([
      ['qr1', 'succeeded'],
      ['qr2', 'running'],
    ]);
  });

  it('gets one query run with every documented property and link', async () => {
    const res = await get(`${RUN_BASE}/query_runs/qr1`);
    expect(res.headers.get('content-type')).toBe('application/hal+json');
    const body = (await res.json()) as Record<string, unknown> & {
      _links: Record<string, { href: string }>;
    };
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'id',
        'token',
        'raw_source',
        'statement_annotation',
        'state',
        'created_at',
        'completed_at',
        'data_source_id',
        'data_source_token',
        'limit',
        'query_token',
        'query_name',
        'query_created_at',
        'dbt_metric_id',
        'dbt_metric_token',
        'parameters',
        'rendered_source',
        'max_result_bytes',
        'help_url',
        'error_code',
        'error_type',
        'error_message',
        '_links',
        '_embedded',
      ]),
    );
    expect(body).toMatchObject({
      id: first.id,
      token: 'qr1',
      state: 'succeeded',
      query_name: 'Revenue by region',
      raw_source: 'select region, sum(x) from sales group by 1',
      _embedded: {},
    });
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Object.keys(body._links).sort()).toEqual(
      [
        'executed_by',
        'query',
        'query_web',
        'report_run',
        'report_run_web',
        'result',
        'result_web',
        'self',
        'view',
      ].sort(),
    );
    expect(body._links.self?.href).toBe(`${RUN_BASE}/query_runs/qr1`);
    expect(body._links.result?.href).toBe(`${RUN_BASE}/query_runs/qr1/results/content.csv`);
    const running = (await (await get(`${RUN_BASE}/query_runs/qr2`)).json()) as {
      completed_at: unknown;
    };
    expect(running.completed_at).toBeNull();
  });

  it('serves the CSV behind the result link, and 404 while the run is unfinished', async () => {
    const detail = (await (await get(`${RUN_BASE}/query_runs/qr1`)).json()) as {
      _links: { result: { href: string } };
    };
    const csv = await get(detail._links.result.href);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe(CSV);
    const pending = await get(`${RUN_BASE}/query_runs/${second.token}/results/content.csv`);
    expect(pending.status).toBe(404);
    emu.updateQueryRun(second.token, { state: 'succeeded', csv: 'a\n1\n' });
    expect(
      await (await get(`${RUN_BASE}/query_runs/${second.token}/results/content.csv`)).text(),
    ).toBe('a\n1\n');
  });

  it('gzips the CSV when asked to and the client accepts it', async () => {
    const path = `${RUN_BASE}/query_runs/qr1/results/content.csv`;
    const plain = await rawGet(path, {
      authorization: token.authorization,
      'accept-encoding': 'gzip',
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    emu.knobs.gzipCsv = 'when-accepted';
    const zipped = await rawGet(path, {
      authorization: token.authorization,
      'accept-encoding': 'gzip, deflate',
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(CSV);
    const notAccepted = await rawGet(path, { authorization: token.authorization });
    expect(notAccepted.body.toString('utf8')).toBe(CSV);
    emu.knobs.gzipCsv = 'always';
    const forced = await rawGet(path, { authorization: token.authorization });
    expect(gunzipSync(forced.body).toString('utf8')).toBe(CSV);
    // fetch decodes it transparently
    expect(await (await get(path)).text()).toBe(CSV);
  });

  it('streams large CSVs from a generator', async () => {
    const rows = 50_000;
    const big = emu.addQueryRun({
      workspace: 'acme',
      report: 'r3p0rt',
      run: 'run1',
      csv: function* () {
        yield 'n\n';
        for (let i = 0; i < rows; i++) yield `${i}\n`;
      },
    });
    const text = await (
      await get(`${RUN_BASE}/query_runs/${big.token}/results/content.csv`)
    ).text();
    expect(text.trimEnd().split('\n')).toHaveLength(rows + 1);
  });

  it('answers unknown report runs and query runs with 404', async () => {
    const noRun = await get('/api/acme/reports/r3p0rt/runs/nope/query_runs');
    expect(noRun.status).toBe(404);
    expect(await noRun.json()).toEqual({ id: 'not_found', message: 'ReportRun not found' });
    const noQueryRun = await get(`${RUN_BASE}/query_runs/nope`);
    expect(await noQueryRun.json()).toEqual({ id: 'not_found', message: 'QueryRun not found' });
    expect((await get('/api/acme/reports')).status).toBe(404);
  });
});

describe('Mode faults and recording', () => {
  it('shares the fault machinery: status, HTML, malformed JSON, drop, latency', async () => {
    emu.fault({ path: `${RUN_BASE}/query_runs`, status: 503, retryAfter: 2 });
    emu.fault({ path: /\/query_runs\/qr1$/, html: true, status: 504 });
    const busy = await get(`${RUN_BASE}/query_runs`);
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '2']);
    const gateway = await get(`${RUN_BASE}/query_runs/qr1`);
    expect(gateway.status).toBe(504);
    expect(await gateway.text()).toContain('504 Gateway Timeout');
    emu.fault({ path: `${RUN_BASE}/query_runs`, malformedJson: '{"_embedded": {"query_ru' });
    await expect((await get(`${RUN_BASE}/query_runs`)).json()).rejects.toThrow(SyntaxError);
    emu.fault({ path: `${RUN_BASE}/query_runs`, drop: true });
    await expect(get(`${RUN_BASE}/query_runs`)).rejects.toThrow(TypeError);
    emu.fault({ path: `${RUN_BASE}/query_runs`, latencyMs: 80 });
    const started = performance.now();
    expect((await get(`${RUN_BASE}/query_runs`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(emu.requests.map((r) => r.fault)).toEqual([
      'status',
      'html',
      'malformedJson',
      'drop',
      'latency',
    ]);
  });

  it('hangs until the client times out and still closes promptly', async () => {
    const own = await startModeEmulator();
    const t = own.addApiToken();
    own.fault({ path: '/api/', hang: true });
    const hung = fetch(`${own.url}/api/x/reports/y/runs/z/query_runs`, {
      headers: { authorization: t.authorization },
      signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toThrow(/timeout|aborted/i);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('records requests with the token as the user and resets everything', async () => {
    await get(`${RUN_BASE}/query_runs/qr1`);
    expect(emu.requestsTo('GET', /\/query_runs\/qr1$/)).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `${RUN_BASE}/query_runs/qr1`,
        userId: 'tok123',
        fault: null,
      }),
    ]);
    expect(emu.apiUrl).toBe(`${emu.url}/api`);
    emu.fault({ path: '/', status: 500, times: Number.POSITIVE_INFINITY });
    emu.reset();
    expect(emu.requests).toHaveLength(0);
    expect(emu.state.queryRuns.size).toBe(0);
    expect((await get(`${RUN_BASE}/query_runs`)).status).toBe(401);
  });
});

describe('Mode report runs (List report runs, beyond the contract pages)', () => {
  it('lists a report’s runs, filtered by updated_at and newest first', async () => {
    emu.addReportRun({
      workspace: 'acme',
      report: 'r3p0rt',
      token: 'old',
      state: 'failed',
      createdAt: new Date('2026-11-01T00:00:00Z'),
      completedAt: new Date('2026-11-01T00:05:00Z'),
    });
    emu.addReportRun({
      workspace: 'acme',
      report: 'r3p0rt',
      token: 'new',
      state: 'succeeded',
      createdAt: new Date('2026-11-20T00:00:00Z'),
      completedAt: new Date('2026-11-20T00:05:00Z'),
    });
    const all = await get('/api/acme/reports/r3p0rt/runs?order=desc&order_by=updated_at');
    expect(all.status).toBe(200);
    const body = (await all.json()) as {
      _embedded: { report_runs: { token: string; state: string; _links: object }[] };
    };
    expect(body._embedded.report_runs.map((r) => r.token)).toEqual(['run1', 'new', 'old']);
    expect(body._embedded.report_runs[0]?._links).toHaveProperty('query_runs');
    const since = await get(
      '/api/acme/reports/r3p0rt/runs?filter=updated_at.gt.2026-11-10T00:00:00Z&order=asc',
    );
    const recent = (await since.json()) as typeof body;
    expect(recent._embedded.report_runs.map((r) => r.token).sort()).toEqual(['new', 'run1']);
    expect((await get('/api/acme/reports/r3p0rt/runs?filter=nonsense')).status).toBe(400);
    expect((await get('/api/acme/reports/nosuch/runs')).status).toBe(404);
  });
});
