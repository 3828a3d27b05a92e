// The machinery every HTTP emulator shares (faults.ts): scripted faults and request
// recording, exercised through the Alation emulator.
import { describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../support/alation-emulator-suite.ts';
import { startAlationEmulator } from './alation.ts';

const t = useAlationEmulatorSuite();

describe('fault injection and recording', () => {
  it('answers with a scripted status, body and Retry-After for the given number of times', async () => {
    const handle = t.emu.fault({
      method: 'GET',
      path: '/integration/v1/query/',
      status: 429,
      retryAfter: 3,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const res = await t.call('/integration/v1/query/', { token: t.aliceToken });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(await res.json()).toEqual({
        detail: 'Request was throttled. Expected available in 3 seconds.',
      });
    }
    expect((await t.call('/integration/v1/query/', { token: t.aliceToken })).status).toBe(200);
    expect(handle.hits).toBe(2);
    expect(handle.remaining).toBe(0);
    expect(t.emu.requests.map((r) => r.fault)).toEqual(['status', 'status', null]);
    expect(t.emu.requests[0]?.userId).toBe(t.alice.id);
  });

  it('matches by method, RegExp and predicate; Infinity lasts until cleared', async () => {
    t.emu.fault({
      path: /^\/integration\/v1\/query\/\d+\/sql\/$/,
      status: 503,
      body: { detail: 'down' },
      times: Number.POSITIVE_INFINITY,
    });
    t.emu.fault({ method: 'POST', path: '/integration/flag/', status: 500 });
    t.emu.fault({
      path: '/api/v1/bulk_metadata/job/',
      when: (c) => c.query.get('id') === '2',
      status: 502,
    });
    const q = t.emu.addQuery({ datasourceId: t.ds.id });
    for (let i = 0; i < 3; i++) {
      await expectJson(
        await t.call(`/integration/v1/query/${q.id}/sql/`, { token: t.aliceToken }),
        503,
        { detail: 'down' },
      );
    }
    expect((await t.call('/integration/flag/', { token: t.aliceToken })).status).toBe(200);
    expect((await t.call('/api/v1/bulk_metadata/job/?id=1', { token: t.aliceToken })).status).toBe(
      404,
    );
    expect((await t.call('/api/v1/bulk_metadata/job/?id=2', { token: t.aliceToken })).status).toBe(
      502,
    );
    t.emu.clearFaults();
    expect(
      (await t.call(`/integration/v1/query/${q.id}/sql/`, { token: t.aliceToken })).status,
    ).toBe(200);
  });

  it('serves a reverse-proxy HTML error page', async () => {
    t.emu.fault({ path: '/integration/v1/query/', html: true, status: 502 });
    const res = await t.call('/integration/v1/query/', { token: t.aliceToken });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('<title>502 Bad Gateway</title>');
    t.emu.fault({ path: '/integration/v1/query/', html: '<h1>Maintenance</h1>', status: 503 });
    expect(await (await t.call('/integration/v1/query/', { token: t.aliceToken })).text()).toBe(
      '<h1>Maintenance</h1>',
    );
  });

  it('returns truncated JSON with a 200 and a JSON content type', async () => {
    t.emu.fault({ path: '/integration/v1/query/', malformedJson: true });
    const res = await t.call('/integration/v1/query/', { token: t.aliceToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('drops the connection without a response', async () => {
    t.emu.fault({ path: '/integration/v1/query/', drop: true });
    await expect(t.call('/integration/v1/query/', { token: t.aliceToken })).rejects.toThrow(
      TypeError,
    );
    expect(t.emu.requests[0]?.fault).toBe('drop');
    expect((await t.call('/integration/v1/query/', { token: t.aliceToken })).status).toBe(200);
  });

  it('delays an otherwise normal answer', async () => {
    t.emu.fault({ path: '/integration/v1/query/', latencyMs: 150 });
    const started = performance.now();
    const res = await t.call('/integration/v1/query/', { token: t.aliceToken });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(t.emu.requests[0]?.fault).toBe('latency');
  });

  it('hangs until the client gives up, and close() still returns promptly', async () => {
    const own = await startAlationEmulator();
    const user = own.addUser();
    const token = own.mintAccessToken(user.id);
    await fetch(`${own.url}/integration/v1/otype/`, { headers: { TOKEN: token } }); // a kept-alive socket
    own.fault({ path: '/integration/v1/query/', hang: true, times: Number.POSITIVE_INFINITY });
    const timedOut = fetch(`${own.url}/integration/v1/query/`, {
      headers: { TOKEN: token },
      signal: AbortSignal.timeout(100),
    });
    await expect(timedOut).rejects.toThrow(/timeout|aborted/i);
    const stuck = fetch(`${own.url}/integration/v1/query/`, { headers: { TOKEN: token } });
    const settled = stuck.then(
      () => 'answered',
      () => 'failed',
    );
    while (own.requests.length < 3) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await settled).toBe('failed');
  });

  it('records method, path, query, headers, parsed body and time; requestsTo filters', async () => {
    const before = new Date();
    await t.call('/integration/flag/?oid=1&otype=data', { token: t.aliceToken });
    await t.call('/integration/flag/', {
      token: t.aliceToken,
      json: { flag_type: 'ENDORSEMENT', subject: { id: t.ds.id, otype: 'data' } },
    });
    await t.call('/integration/v1/query/', {
      token: t.bobToken,
      headers: { 'content-type': 'text/plain' },
      method: 'POST',
    });
    const [get, post] = t.emu
      .requestsTo('GET', '/integration/flag/')
      .concat(t.emu.requestsTo('post', /^\/integration\/flag\/$/));
    expect(get).toMatchObject({
      method: 'GET',
      path: '/integration/flag/',
      body: null,
      userId: t.alice.id,
    });
    expect(get?.query.get('otype')).toBe('data');
    expect(get?.headers.token).toBe(t.aliceToken);
    expect(post?.body).toEqual({
      flag_type: 'ENDORSEMENT',
      subject: { id: t.ds.id, otype: 'data' },
    });
    expect(post?.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(t.emu.requestsTo('POST', '/integration/v1/')).toHaveLength(1);
  });
});
