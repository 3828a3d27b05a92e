import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, UnauthorizedError } from '../../src/client/errors.ts';
import { createHttp, type Http } from '../../src/client/http.ts';
import {
  createModeClient,
  isRunDone,
  isRunTerminal,
  type ModeClient,
  queryRunSchema,
} from '../../src/client/mode.ts';
import { type ModeEmulator, startModeEmulator } from '../emulators/mode.ts';
import { fastRetry, readAll, rejectionOf } from '../support/client.ts';

let emu: ModeEmulator;
let http: Http;
let mode: ModeClient;
let waits: number[];

const RUN = { account: 'acme', report: 'r3p0rt', run: 'run1' };
const CSV = 'region,revenue\nEMEA,100\nAMER,250\n';

beforeAll(async () => {
  emu = await startModeEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.reset();
  emu.addApiToken({ token: 'tok123', secret: 'sec456' });
  emu.addQueryRun({ workspace: 'acme', report: 'r3p0rt', run: 'run1', token: 'qr1', csv: CSV });
  emu.addQueryRun({
    workspace: 'acme',
    report: 'r3p0rt',
    run: 'run1',
    token: 'qr2',
    state: 'running',
    queryName: 'Slow one',
  });
  const fast = fastRetry();
  waits = fast.waits;
  http = createHttp({ baseUrl: emu.url, service: 'Mode', retry: fast.retry });
  mode = createModeClient({ http, credentials: { token: 'tok123', secret: 'sec456' } });
});

afterEach(async () => {
  await http.close();
});

describe('query runs', () => {
  it('lists the runs of a report run with HTTP Basic and HAL', async () => {
    const list = await mode.listQueryRuns(RUN);
    const runs = list._embedded.query_runs;
    expect(runs.map((r) => [r.token, r.state])).toEqual([
      ['qr1', 'succeeded'],
      ['qr2', 'running'],
    ]);
    expect(runs[0]?._links.result?.href).toBe(
      '/api/acme/reports/r3p0rt/runs/run1/query_runs/qr1/results/content.csv',
    );
    const [request] = emu.requests;
    expect(request?.path).toBe('/api/acme/reports/r3p0rt/runs/run1/query_runs');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('tok123:sec456').toString('base64')}`,
    );
    expect(request?.headers.accept).toContain('application/hal+json');
    expect(request?.userId).toBe('tok123');
  });

  it('gets one run and follows its self link to the same resource', async () => {
    const run = await mode.getQueryRun({ ...RUN, queryRun: 'qr2' });
    expect(run).toMatchObject({ token: 'qr2', query_name: 'Slow one', state: 'running' });
    expect(isRunDone(run.state)).toBe(false);
    const again = await mode.follow(run._links.self?.href ?? '', queryRunSchema);
    expect(again.token).toBe('qr2');
  });

  it('sends followed links only to the configured origin', async () => {
    const href = `https://evil.example/api/acme/reports/r3p0rt/runs/run1/query_runs/qr1`;
    const run = await mode.follow(href, z.looseObject({ token: z.string() }));
    expect(run.token).toBe('qr1');
    expect(emu.requests).toHaveLength(1);
  });

  it('maps bad credentials to unauthorized and unknown runs to not_found', async () => {
    const wrong = createModeClient({ http, credentials: { token: 'tok123', secret: 'nope' } });
    const denied = (await rejectionOf(wrong.listQueryRuns(RUN))) as UnauthorizedError;
    expect(denied).toBeInstanceOf(UnauthorizedError);
    expect(denied.message).toBe(
      'Mode no longer accepts your credentials. Reconnect your account and try again.',
    );
    const missing = (await rejectionOf(
      mode.getQueryRun({ ...RUN, queryRun: 'zzz' }),
    )) as NotFoundError;
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.detail).toBe('QueryRun not found');
    expect(missing.code).toBe('not_found');
  });

  it('waits out Mode’s rate limit on reads', async () => {
    emu.knobs.rateLimit = { max: 1, windowMs: 60_000 };
    await mode.listQueryRuns(RUN);
    const error = await rejectionOf(mode.listQueryRuns(RUN));
    // Mode asks for ~60 s here, beyond the 30 s cap: no silent minute-long wait.
    expect((error as { kind: string }).kind).toBe('rate_limited');
    expect(waits).toEqual([]);

    emu.knobs.rateLimit = null;
    emu.fault({ path: '/api/', status: 429, retryAfter: 3 });
    await mode.listQueryRuns(RUN);
    expect(waits).toEqual([3000]);
  });

  it('encodes path segments', async () => {
    await rejectionOf(mode.listQueryRuns({ account: 'a/b', report: 'r?x', run: 'q#1' }));
    expect(emu.requests[0]?.path).toBe('/api/a%2Fb/reports/r%3Fx/runs/q%231/query_runs');
  });

  it('classifies run states as the README says', () => {
    expect(['succeeded', 'completed'].map(isRunDone)).toEqual([true, true]);
    expect(['failed', 'cancelled', 'running', 'pending'].map(isRunTerminal)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('accounts', () => {
  it('reads the workspace account with HTTP Basic', async () => {
    emu.addWorkspace('acme', { name: 'Acme Analytics', id: 7 });
    const account = await mode.getAccount('acme');
    expect(account).toMatchObject({ username: 'acme', name: 'Acme Analytics', id: 7 });
    expect(account._links?.self?.href).toBe('/api/acme');
    const [request] = emu.requests;
    expect(request?.path).toBe('/api/acme');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('tok123:sec456').toString('base64')}`,
    );
  });

  it('maps a wrong secret to unauthorized and an unknown workspace to not_found', async () => {
    const wrong = createModeClient({ http, credentials: { token: 'tok123', secret: 'nope' } });
    const denied = await rejectionOf(wrong.getAccount('acme'));
    expect(denied).toBeInstanceOf(UnauthorizedError);
    const missing = (await rejectionOf(mode.getAccount('nobody'))) as NotFoundError;
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.code).toBe('not_found');
    expect(missing.detail).toBe('Account not found');
  });

  it('encodes the account segment', async () => {
    await rejectionOf(mode.getAccount('a/b?c'));
    expect(emu.requests[0]?.path).toBe('/api/a%2Fb%3Fc');
  });
});

describe('CSV results', () => {
  it('streams the CSV behind the result link', async () => {
    const run = await mode.getQueryRun({ ...RUN, queryRun: 'qr1' });
    const res = await mode.queryRunCsv(run);
    expect(res.contentType).toBe('text/csv');
    expect(await readAll(res.body)).toBe(CSV);
    expect(emu.requests.at(-1)?.path).toBe(
      '/api/acme/reports/r3p0rt/runs/run1/query_runs/qr1/results/content.csv',
    );
  });

  it.each(['always', 'when-accepted'] as const)('gunzips a gzip CSV (%s)', async (gzipCsv) => {
    emu.knobs.gzipCsv = gzipCsv;
    const big = `a,b\n${'1234567890,abcdefghij\n'.repeat(50_000)}`;
    emu.updateQueryRun('qr1', { csv: big });
    const run = await mode.getQueryRun({ ...RUN, queryRun: 'qr1' });
    const res = await mode.queryRunCsv(run);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(await readAll(res.body)).toBe(big);
  });

  it('reports a run without a result as not_found', async () => {
    const run = await mode.getQueryRun({ ...RUN, queryRun: 'qr2' });
    const error = (await rejectionOf(mode.queryRunCsv(run))) as NotFoundError;
    expect(error.detail).toBe('Result not found');
  });
});
