import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BadResponseError,
  RateLimitedError,
  ServerError,
  UnreachableError,
  UpstreamTimeoutError,
} from '../../src/client/errors.ts';
import { createHttp, type Http } from '../../src/client/http.ts';
import { useAlationEmulator } from '../support/alation-fixture.ts';
import { closedPort, fastRetry, rejectionOf } from '../support/client.ts';
import { captureLog } from '../support/log.ts';

const opened: Http[] = [];
const LIST = '/integration/v1/query/';
const listSchema = z.array(z.looseObject({ id: z.number(), title: z.string() }));

const t = useAlationEmulator((emu) => {
  const user = emu.addUser({ name: 'Alice' });
  const token = emu.mintAccessToken(user.id);
  const ds = emu.addDataSource();
  for (const title of ['Revenue', 'Churn', 'Signups']) {
    emu.addQuery({ datasourceId: ds.id, title });
  }
  return { token };
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.close()));
});

function http(extra: Partial<Parameters<typeof createHttp>[0]> = {}) {
  const { retry, waits } = fastRetry();
  const client = createHttp({ baseUrl: t.emu.url, service: 'Alation', retry, ...extra });
  opened.push(client);
  return { client, waits };
}

const list = (client: Http, method: 'GET' | 'POST' = 'GET') =>
  client.json({ method, path: LIST, headers: { TOKEN: t.token }, query: { limit: 2 } }, listSchema);

describe('JSON requests', () => {
  it('parses the body with the schema and exposes X-Next-Page as a path', async () => {
    const { client } = http();
    const res = await list(client);
    expect(res.status).toBe(200);
    expect(res.data.map((q) => q.title)).toEqual(['Revenue', 'Churn']);
    expect(res.nextPage).toBe('/integration/v1/query/?limit=2&skip=2');
    const [seen] = t.emu.requestsTo('GET', LIST);
    expect(seen?.headers.token).toBe(t.token);
    expect(seen?.query.get('limit')).toBe('2');
  });

  it('keeps only the path of an absolute X-Next-Page, so the token never goes elsewhere', async () => {
    t.emu.knobs.absoluteNextPage = true;
    const { client } = http();
    const res = await list(client);
    expect(res.nextPage).toBe('/integration/v1/query/?limit=2&skip=2');
    const next = await client.json(
      { link: `http://elsewhere.invalid${res.nextPage}`, headers: { TOKEN: t.token } },
      listSchema,
    );
    expect(next.data.map((q) => q.title)).toEqual(['Signups']);
    expect(next.nextPage).toBeNull();
  });
});

describe('retries', () => {
  it('waits out a 429 Retry-After on a GET and then succeeds', async () => {
    t.emu.fault({ path: LIST, status: 429, retryAfter: 2 });
    const { client, waits } = http();
    const res = await list(client);
    expect(res.data).toHaveLength(2);
    expect(waits).toEqual([2000]);
    expect(t.emu.requestsTo('GET', LIST)).toHaveLength(2);
  });

  it('does not retry a 429 on a POST and reports the wait', async () => {
    t.emu.fault({ path: LIST, method: 'POST', status: 429, retryAfter: 7 });
    const { client, waits } = http();
    const error = await rejectionOf(
      client.json(
        { method: 'POST', path: LIST, headers: { TOKEN: t.token }, json: { content: 'x' } },
        z.unknown(),
      ),
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7);
    expect((error as RateLimitedError).message).toBe(
      'Alation is throttling requests and asked to wait 7 seconds.',
    );
    expect(waits).toEqual([]);
    expect(t.emu.requestsTo('POST', LIST)).toHaveLength(1);
  });

  it('gives up at once when Retry-After is longer than the cap', async () => {
    t.emu.fault({ path: LIST, status: 429, retryAfter: 120 });
    const { client, waits } = http();
    const error = (await rejectionOf(list(client))) as RateLimitedError;
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(120);
    expect(waits).toEqual([]);
    expect(t.emu.requestsTo('GET', LIST)).toHaveLength(1);
  });

  it('backs off exponentially on 503 and reports server_error after the last attempt', async () => {
    t.emu.fault({ path: LIST, status: 503, times: Number.POSITIVE_INFINITY });
    const { client, waits } = http();
    const error = await rejectionOf(list(client));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect((error as ServerError).message).toBe(
      'Alation had a problem (status 503): Service Unavailable',
    );
    // base 250 ms doubling, jitter pinned to the lower half: 125, 250.
    expect(waits).toEqual([125, 250]);
    expect(t.emu.requestsTo('GET', LIST)).toHaveLength(3);
  });

  it('recovers when a 502 clears up on the next attempt', async () => {
    t.emu.fault({ path: LIST, status: 502 });
    const { client, waits } = http();
    expect((await list(client)).data).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('does not retry a plain 500', async () => {
    t.emu.fault({ path: LIST, status: 500 });
    const { client } = http();
    expect(await rejectionOf(list(client))).toBeInstanceOf(ServerError);
    expect(t.emu.requestsTo('GET', LIST)).toHaveLength(1);
  });
});

describe('bad answers', () => {
  it('turns a proxy error page into bad_response with a friendly message and no HTML', async () => {
    t.emu.fault({ path: LIST, html: true, status: 502, times: Number.POSITIVE_INFINITY });
    const { client } = http();
    const error = (await rejectionOf(list(client))) as BadResponseError;
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.reason).toBe('html');
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      'Alation answered with an HTML page (status 502), often a proxy or maintenance page.',
    );
    expect(error.message).not.toContain('<');
  });

  it('treats a 200 maintenance page as bad_response too', async () => {
    t.emu.fault({ path: LIST, html: '<!doctype html><h1>Down for maintenance</h1>', status: 200 });
    const { client } = http();
    const error = (await rejectionOf(list(client))) as BadResponseError;
    expect(error.reason).toBe('html');
    expect(error.message).toContain('(status 200)');
  });

  it('does not follow the 301 a missing trailing slash gets (it would turn a POST into a GET)', async () => {
    const { client } = http();
    const error = (await rejectionOf(
      client.json(
        { method: 'POST', path: '/integration/v1/query', headers: { TOKEN: t.token }, json: {} },
        z.unknown(),
      ),
    )) as BadResponseError;
    expect(error.reason).toBe('unexpected_status');
    expect(error.status).toBe(301);
    expect(t.emu.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('reports malformed JSON', async () => {
    t.emu.fault({ path: LIST, malformedJson: true });
    const { client } = http();
    const error = (await rejectionOf(list(client))) as BadResponseError;
    expect(error.kind).toBe('bad_response');
    expect(error.reason).toBe('malformed');
  });

  it('reports a schema mismatch, logging where without the values', async () => {
    const capture = captureLog();
    const { client } = http({ log: capture.log });
    const strict = z.array(z.object({ id: z.string(), secret_field: z.number() }));
    const error = (await rejectionOf(
      client.json({ path: LIST, headers: { TOKEN: t.token } }, strict),
    )) as BadResponseError;
    expect(error.reason).toBe('schema_mismatch');
    expect(error.issues).toContain('0.id');
    expect(error.message).toBe(
      'Alation returned something unexpected: its reply did not have the shape this app expects.',
    );
    const warning = capture.lines().find((line) => line.msg.includes('does not match'));
    expect(warning).toMatchObject({ path: LIST, reason: 'schema_mismatch' });
    expect(capture.raw()).not.toContain('Revenue');
  });
});

describe('connection failures', () => {
  it('retries a dropped connection on a GET, then reports unreachable', async () => {
    t.emu.fault({ path: LIST, drop: true, times: Number.POSITIVE_INFINITY });
    const { client, waits } = http();
    const error = await rejectionOf(list(client));
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).message).toBe('Could not reach Alation.');
    expect(waits).toHaveLength(2);
    expect(t.emu.requestsTo('GET', LIST)).toHaveLength(3);
  });

  it('succeeds when only the first connection drops', async () => {
    t.emu.fault({ path: LIST, drop: true });
    const { client } = http();
    expect((await list(client)).data).toHaveLength(2);
  });

  it('never repeats a POST whose connection dropped', async () => {
    t.emu.fault({ path: LIST, method: 'POST', drop: true });
    const { client } = http();
    const error = await rejectionOf(
      client.json(
        { method: 'POST', path: LIST, headers: { TOKEN: t.token }, json: {} },
        z.unknown(),
      ),
    );
    expect(error).toBeInstanceOf(UnreachableError);
    expect(t.emu.requestsTo('POST', LIST)).toHaveLength(1);
  });

  it('reports a refused connection as unreachable', async () => {
    const port = await closedPort();
    const { client } = http({ baseUrl: `http://127.0.0.1:${port}` });
    const error = (await rejectionOf(list(client))) as UnreachableError;
    expect(error.kind).toBe('unreachable');
    expect(error.path).toBe(LIST);
  });

  it('reports a server that never answers as timeout, without retrying it', async () => {
    t.emu.fault({ path: LIST, hang: true, times: Number.POSITIVE_INFINITY });
    const { client, waits } = http({ timeouts: { headersMs: 150 } });
    const started = Date.now();
    const error = await rejectionOf(list(client));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect((error as UpstreamTimeoutError).message).toBe('Alation did not answer in time.');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(waits).toEqual([]);
  });
});

describe('caller signals', () => {
  it('maps an AbortSignal.timeout firing to timeout', async () => {
    t.emu.fault({ path: LIST, hang: true });
    const { client } = http();
    const error = await rejectionOf(
      client.json(
        { path: LIST, headers: { TOKEN: t.token }, signal: AbortSignal.timeout(100) },
        listSchema,
      ),
    );
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
  });

  it('rethrows a deliberate abort unchanged', async () => {
    t.emu.fault({ path: LIST, hang: true });
    const { client } = http();
    const controller = new AbortController();
    const pending = client.json(
      { path: LIST, headers: { TOKEN: t.token }, signal: controller.signal },
      listSchema,
    );
    controller.abort(new Error('user cancelled'));
    const error = (await rejectionOf(pending)) as Error;
    expect(error.message).toBe('user cancelled');
  });
});

describe('logging', () => {
  it('logs method, path, status and duration at debug, never headers, bodies or queries', async () => {
    const capture = captureLog();
    const { client } = http({ log: capture.log });
    await client.json(
      { path: LIST, headers: { TOKEN: t.token }, query: { title__icontains: 'revenue' } },
      listSchema,
    );
    const line = capture.lines().find((l) => l.msg === 'upstream call');
    expect(line).toMatchObject({ level: 20, method: 'GET', path: LIST, status: 200 });
    expect(typeof line?.ms).toBe('number');
    const raw = capture.raw();
    expect(raw).not.toContain(t.token);
    expect(raw).not.toContain('icontains');
    expect(raw).not.toContain('Revenue');
  });
});
