import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AlationClient,
  authVerdict,
  createAlationAuth,
  createAlationClient,
  createRefreshTokenSource,
} from '../../src/client/alation.ts';
import { ForbiddenError, UnauthorizedError } from '../../src/client/errors.ts';
import { jobSucceeded } from '../emulators/alation.ts';
import { useAlationClientFixture } from '../support/alation-fixture.ts';
import { type CountingSource, countingSource, rejectionOf } from '../support/client.ts';

const t = useAlationClientFixture((emu) => {
  const alice = emu.addUser({ name: 'Alice' });
  const bob = emu.addUser({ name: 'Bob' });
  const ds = emu.addDataSource();
  const expired = emu.mintAccessToken(alice.id);
  emu.expireAccessToken(expired);
  return { alice, bob, ds, expired };
});

function clientWith(source: CountingSource): AlationClient {
  return createAlationClient({ http: t.http, credentials: source });
}

describe('an expired access token', () => {
  it('is refreshed exactly once and the call retried once with the new token (401)', async () => {
    let minted = '';
    const source = countingSource(t.expired, () => {
      minted = t.emu.mintAccessToken(t.alice.id);
      return minted;
    });
    const query = t.emu.addQuery({ datasourceId: t.ds.id, title: 'Revenue' });
    const got = await clientWith(source).queries.get(query.id);
    expect(got.title).toBe('Revenue');
    expect(source.refreshedWith).toEqual([t.expired]);
    const calls = t.emu.requestsTo('GET', `/integration/v1/query/${query.id}/`);
    expect(calls.map((c) => c.headers.token)).toEqual([t.expired, minted]);
    expect(calls.map((c) => c.userId)).toEqual([null, t.alice.id]);
  });

  it.each([
    ['/integration/v1/query/', 'Invalid API token.'],
    ['/integration/flag/', 'Authentication failed'],
  ])('is refreshed when %s answers 403 "%s"', async (path, detail) => {
    t.emu.knobs.expiredTokenStatus = 403;
    const raw = (await rejectionOf(
      t.http.json({ path, headers: { TOKEN: t.expired } }, z.unknown()),
    )) as ForbiddenError;
    expect([raw.status, raw.detail]).toEqual([403, detail]);

    const source = countingSource(t.expired, () => t.emu.mintAccessToken(t.alice.id));
    const alation = clientWith(source);
    const page = path.includes('flag') ? await alation.flags.list() : await alation.queries.list();
    expect(page.items).toEqual([]);
    expect(source.refreshedWith).toEqual([t.expired]);
    expect(t.emu.requestsTo('GET', path).map((r) => r.userId)).toEqual([null, null, t.alice.id]);
  });

  it('is refreshed on the README 403000 body (table sync, otype)', async () => {
    t.emu.knobs.authErrorStyle = 'uniform';
    t.emu.knobs.expiredTokenStatus = 403;
    const source = countingSource(t.expired, () => t.emu.mintAccessToken(t.alice.id));
    const otypes = await clientWith(source).flags.otypes();
    expect(otypes).toContain('table');
    expect(source.refreshedWith).toEqual([t.expired]);
  });

  it('is refreshed on the jobs page’s 401', async () => {
    t.emu.addJob({ id: 5, states: [jobSucceeded({ updated_objects: 1 })] });
    const source = countingSource(t.expired, () => t.emu.mintAccessToken(t.alice.id));
    const job = await clientWith(source).jobs.byId(5);
    expect(job.status).toBe('successful');
    expect(source.refreshedWith).toEqual([t.expired]);
  });

  it('also covers POSTs, which never reached the view the first time', async () => {
    const source = countingSource(t.expired, () => t.emu.mintAccessToken(t.alice.id));
    const created = await clientWith(source).queries.create({
      datasource_id: t.ds.id,
      content: 'x',
    });
    expect(t.emu.state.queries.get(created.id)?.authorId).toBe(t.alice.id);
    expect(t.emu.state.queries.size).toBe(1);
  });
});

describe('a rejected refresh', () => {
  it('ends in unauthorized after one refresh and one retry', async () => {
    const source = countingSource(t.expired, () => 'still-not-a-token');
    const error = (await rejectionOf(clientWith(source).queries.list())) as UnauthorizedError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe(
      'Alation no longer accepts your credentials. Reconnect your account and try again.',
    );
    expect(error.message).not.toContain('still-not-a-token');
    expect(source.refreshedWith).toEqual([t.expired]);
    expect(t.emu.requests).toHaveLength(2);
  });

  it('turns a repeated auth 403 into unauthorized as well', async () => {
    t.emu.knobs.expiredTokenStatus = 403;
    const source = countingSource(t.expired, () => 'bogus');
    const error = await rejectionOf(clientWith(source).flags.list());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).status).toBe(403);
    expect((error as UnauthorizedError).detail).toBe('Authentication failed');
  });

  it('passes on the refresh’s own failure (refresh token revoked)', async () => {
    t.emu.revokeRefreshToken(t.alice.id);
    const auth = createAlationAuth({ http: t.http });
    const source = createRefreshTokenSource({
      tokens: auth,
      refreshToken: t.alice.refreshToken,
      userId: t.alice.id,
      accessToken: t.expired,
    });
    const alation = createAlationClient({ http: t.http, credentials: source });
    const error = (await rejectionOf(alation.queries.list())) as UnauthorizedError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.path).toBe('/integration/v1/createAPIAccessToken/');
    expect(error.detail).toBe('Refresh token provided is invalid.');
  });
});

describe('permission refusals', () => {
  it('a genuine permission 403 is forbidden with the server’s detail and no refresh', async () => {
    const token = t.emu.mintAccessToken(t.bob.id);
    const table = t.emu.addTable({ datasourceId: t.ds.id, schema: 'public', name: 'orders' });
    const flag = t.emu.addFlag({
      flagType: 'WARNING',
      reason: 'stale',
      subject: { otype: 'table', id: table.id },
      userId: t.alice.id,
    });
    const source = countingSource(token, () => t.emu.mintAccessToken(t.bob.id));
    const error = (await rejectionOf(clientWith(source).flags.remove(flag.id))) as ForbiddenError;
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.detail).toBe('You do not have permission to perform this action.');
    expect(error.message).toBe(
      'Alation denied permission: You do not have permission to perform this action.',
    );
    expect(source.refreshedWith).toEqual([]);
    expect(t.emu.requestsTo('DELETE', '/integration/flag/')).toHaveLength(1);
    expect(t.emu.state.flags.has(flag.id)).toBe(true);
  });

  it('an unclear 403 gets one refresh and retry, then is forbidden with its detail', async () => {
    const token = t.emu.mintAccessToken(t.alice.id);
    t.emu.fault({
      path: '/integration/v1/query/',
      status: 403,
      body: { detail: 'Blocked by policy.' },
      times: 2,
    });
    const source = countingSource(token, () => t.emu.mintAccessToken(t.alice.id));
    const error = (await rejectionOf(clientWith(source).queries.list())) as ForbiddenError;
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.detail).toBe('Blocked by policy.');
    expect(source.refreshedWith).toEqual([token]);
    expect(t.emu.requests).toHaveLength(2);
  });

  const DOCUMENTED: [number, Record<string, string>, string][] = [
    [401, { detail: 'API Access Token provided is invalid.', code: '401000' }, 'auth'],
    [403, { detail: 'Authentication credentials were not provided.', code: '403000' }, 'auth'],
    [403, { detail: 'Missing API token.' }, 'auth'],
    [403, { detail: 'Invalid API token.' }, 'auth'],
    [403, { detail: 'Authentication failed' }, 'auth'],
    [403, { detail: 'You do not have permission to perform this action.' }, 'permission'],
    [
      403,
      {
        detail:
          'The service account for data source 1 does not have permission to view the metadata of table a.b.',
      },
      'permission',
    ],
    [403, { detail: 'Blocked by policy.' }, 'unsure'],
    [404, { detail: 'Not found.' }, 'other'],
  ];

  it.each(DOCUMENTED)('classifies the documented %i body %j as %s', (status, body, verdict) => {
    const error = new ForbiddenError({
      service: 'Alation',
      method: 'GET',
      path: '/x/',
      status,
      detail: body.detail,
      code: body.code ?? null,
    });
    expect(authVerdict(error)).toBe(verdict);
  });
});

describe('createRefreshTokenSource', () => {
  it('mints on first use, re-mints after expiry, and shares one mint between concurrent calls', async () => {
    const auth = createAlationAuth({ http: t.http });
    const minted: string[] = [];
    const source = createRefreshTokenSource({
      tokens: auth,
      refreshToken: t.alice.refreshToken,
      userId: t.alice.id,
      onMinted: (token) => {
        minted.push(token.api_access_token);
      },
    });
    const alation = createAlationClient({ http: t.http, credentials: source });
    t.emu.addQuery({ datasourceId: t.ds.id });
    await alation.queries.list();
    expect(minted).toHaveLength(1);

    t.emu.expireAccessToken(minted[0] as string);
    await Promise.all([alation.queries.list(), alation.queries.list(), alation.flags.list()]);
    expect(minted).toHaveLength(2);
    expect(t.emu.requestsTo('POST', '/integration/v1/createAPIAccessToken/')).toHaveLength(2);
    expect(await source.current()).toBe(minted[1]);
  });
});
