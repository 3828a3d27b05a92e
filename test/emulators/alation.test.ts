import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlationEmulator, DataSource, SeededUser } from './alation.ts';
import { jobFailed, jobRunning, jobSucceeded, startAlationEmulator } from './alation.ts';

let emu: AlationEmulator;
let admin: SeededUser;
let alice: SeededUser;
let bob: SeededUser;
let adminToken: string;
let aliceToken: string;
let bobToken: string;
let ds: DataSource;

beforeAll(async () => {
  emu = await startAlationEmulator();
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.reset();
  admin = emu.addUser({ name: 'Ada Admin', isAdmin: true });
  alice = emu.addUser({ name: 'Alice', email: 'alice@example.com' });
  bob = emu.addUser({ name: 'Bob', username: 'bob' });
  adminToken = emu.mintAccessToken(admin.id);
  aliceToken = emu.mintAccessToken(alice.id);
  bobToken = emu.mintAccessToken(bob.id);
  ds = emu.addDataSource({ title: 'Warehouse', uri: 'snowflake://acme', ownerIds: [bob.id] });
});

interface CallOptions {
  token?: string;
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.TOKEN = opts.token;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  return fetch(`${emu.url}${path}`, { method, headers, body, redirect: 'manual' });
}

async function expectJson(res: Response, status: number, body?: unknown): Promise<unknown> {
  expect(res.status).toBe(status);
  const parsed: unknown = await res.json();
  if (body !== undefined) expect(parsed).toEqual(body);
  return parsed;
}

const MISSING_TOKEN_403000 = {
  detail: 'Authentication credentials were not provided.',
  code: '403000',
};
const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };

describe('API token lifecycle', () => {
  it('mints an access token from a refresh token (201) that then authenticates as the user', async () => {
    const res = await call('/integration/v1/createAPIAccessToken/', {
      json: { refresh_token: alice.refreshToken, user_id: alice.id },
    });
    const body = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(body).toMatchObject({ user_id: alice.id, token_status: 'ACTIVE' });
    expect(Object.keys(body).sort()).toEqual(
      ['api_access_token', 'created_at', 'token_expires_at', 'token_status', 'user_id'].sort(),
    );
    expect(body.token_expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const list = await call('/integration/v1/query/', { token: String(body.api_access_token) });
    expect(list.status).toBe(200);
    expect(emu.requestsTo('GET', '/integration/v1/query/').at(-1)?.userId).toBe(alice.id);
  });

  it('accepts a form-encoded body like the Postman/Python samples', async () => {
    const res = await call('/integration/v1/createAPIAccessToken/', {
      form: { refresh_token: bob.refreshToken, user_id: String(bob.id) },
    });
    expect(((await expectJson(res, 201)) as { user_id: number }).user_id).toBe(bob.id);
  });

  it('rejects a wrong refresh token, or one belonging to someone else, with 401 401000', async () => {
    const invalid = { detail: 'Refresh token provided is invalid.', code: '401000' };
    await expectJson(
      await call('/integration/v1/createAPIAccessToken/', {
        json: { refresh_token: 'nope', user_id: alice.id },
      }),
      401,
      invalid,
    );
    await expectJson(
      await call('/integration/v1/createAPIAccessToken/', {
        json: { refresh_token: alice.refreshToken, user_id: bob.id },
      }),
      401,
      invalid,
    );
  });

  it('validates field presence with DRF-style errors', async () => {
    await expectJson(
      await call('/integration/v1/createAPIAccessToken/', { json: { user_id: 1 } }),
      400,
      { refresh_token: ['This field is required.'] },
    );
  });

  it('validateRefreshToken reports ACTIVE, then EXPIRED once the refresh token has expired', async () => {
    const body = { refresh_token: alice.refreshToken, user_id: alice.id };
    const active = (await expectJson(
      await call('/integration/v1/validateRefreshToken/', { json: body }),
      200,
    )) as Record<string, unknown>;
    expect(active).toMatchObject({
      refresh_token: alice.refreshToken,
      user_id: alice.id,
      token_status: 'ACTIVE',
    });
    expect(Object.keys(active)).toEqual(
      expect.arrayContaining(['name', 'created_at', 'token_expires_at', 'last_used_at']),
    );
    emu.expireRefreshToken(alice.id);
    const expired = await call('/integration/v1/validateRefreshToken/', { json: body });
    expect(((await expectJson(expired, 200)) as { token_status: string }).token_status).toBe(
      'EXPIRED',
    );
    const mint = await call('/integration/v1/createAPIAccessToken/', { json: body });
    expect(mint.status).toBe(401);
  });

  it('validateAPIAccessToken answers ACTIVE/EXPIRED and 401 for unknown tokens', async () => {
    const ok = await call('/integration/v1/validateAPIAccessToken/', {
      json: { api_access_token: aliceToken, user_id: alice.id },
    });
    expect(await expectJson(ok, 200)).toMatchObject({
      api_access_token: aliceToken,
      token_status: 'ACTIVE',
    });
    emu.expireAccessToken(aliceToken);
    const expired = await call('/integration/v1/validateAPIAccessToken/', {
      json: { api_access_token: aliceToken, user_id: alice.id },
    });
    expect(await expectJson(expired, 200)).toMatchObject({ token_status: 'EXPIRED' });
    await expectJson(
      await call('/integration/v1/validateAPIAccessToken/', {
        json: { api_access_token: 'x', user_id: alice.id },
      }),
      401,
      { detail: 'API Access Token provided is invalid.', code: '401000' },
    );
  });

  it('revokeAPIAccessTokens kills every access token minted from that refresh token', async () => {
    const res = await call('/integration/v1/revokeAPIAccessTokens/', {
      json: { refresh_token: alice.refreshToken, user_id: alice.id },
    });
    await expectJson(res, 200, {
      detail: `Revoked active access tokens for refresh token: '${alice.refreshToken}' with id: ${alice.id}`,
    });
    await expectJson(await call('/integration/v1/query/', { token: aliceToken }), 403, {
      detail: 'Invalid API token.',
    });
    expect((await call('/integration/v1/query/', { token: bobToken })).status).toBe(200);
  });

  it('can answer 200 {"status": "failed"} on chosen token endpoints', async () => {
    emu.knobs.statusFailedOn = ['createAPIAccessToken'];
    const res = await call('/integration/v1/createAPIAccessToken/', {
      json: { refresh_token: alice.refreshToken, user_id: alice.id },
    });
    expect(await expectJson(res, 200)).toMatchObject({ status: 'failed' });
    const validate = await call('/integration/v1/validateRefreshToken/', {
      json: { refresh_token: alice.refreshToken, user_id: alice.id },
    });
    expect(await expectJson(validate, 200)).toMatchObject({ token_status: 'ACTIVE' });
  });
});

describe('TOKEN header checks', () => {
  const families = [
    {
      name: 'queries',
      path: '/integration/v1/query/',
      status: 403,
      missing: { detail: 'Missing API token.' },
      invalid: { detail: 'Invalid API token.' },
    },
    {
      name: 'flags',
      path: '/integration/flag/',
      status: 403,
      missing: { detail: 'Missing API token.' },
      invalid: { detail: 'Authentication failed' },
    },
    {
      name: 'jobs',
      path: '/api/v1/bulk_metadata/job/?id=1',
      status: 401,
      missing: { detail: 'Authentication credentials were not provided.' },
      invalid: { detail: 'Authentication failed' },
    },
    {
      name: 'otype',
      path: '/integration/v1/otype/',
      status: 403,
      missing: MISSING_TOKEN_403000,
      invalid: MISSING_TOKEN_403000,
    },
  ];

  for (const family of families) {
    it(`${family.name}: missing and invalid tokens get the documented bodies`, async () => {
      await expectJson(await call(family.path), family.status, family.missing);
      await expectJson(await call(family.path, { token: 'bogus' }), family.status, family.invalid);
      expect(emu.requests.every((r) => r.userId === null)).toBe(true);
    });
  }

  it('uniform style answers README 403000 everywhere', async () => {
    emu.knobs.authErrorStyle = 'uniform';
    await expectJson(await call('/integration/v1/query/'), 403, MISSING_TOKEN_403000);
    await expectJson(
      await call('/api/v1/bulk_metadata/job/?id=1', { token: 'x' }),
      403,
      MISSING_TOKEN_403000,
    );
  });

  it('expired access tokens get 401 by default and 403 when the knob says so', async () => {
    emu.expireAccessToken(aliceToken);
    await expectJson(await call('/integration/v1/query/', { token: aliceToken }), 401, {
      detail: 'API Access Token provided is invalid.',
      code: '401000',
    });
    emu.knobs.expiredTokenStatus = 403;
    await expectJson(await call('/integration/v1/query/', { token: aliceToken }), 403, {
      detail: 'Invalid API token.',
    });
  });

  it('treats the header name case-insensitively and expires tokens with the clock', async () => {
    for (const name of ['TOKEN', 'token', 'Token']) {
      const res = await fetch(`${emu.url}/integration/v1/query/`, {
        headers: { [name]: aliceToken },
      });
      expect(res.status).toBe(200);
    }
    emu.advanceTime(24 * 3600 * 1000 + 1);
    expect((await call('/integration/v1/query/', { token: aliceToken })).status).toBe(401);
  });

  it('acts as the authenticated user: private queries stay private', async () => {
    const secret = emu.addQuery({
      datasourceId: ds.id,
      title: 'Mine',
      published: false,
      authorId: alice.id,
    });
    emu.addQuery({ datasourceId: ds.id, title: 'Shared' });
    const asAlice = (await (
      await call('/integration/v1/query/', { token: aliceToken })
    ).json()) as { title: string }[];
    const asBob = (await (await call('/integration/v1/query/', { token: bobToken })).json()) as {
      title: string;
    }[];
    expect(asAlice.map((q) => q.title)).toEqual(['Mine', 'Shared']);
    expect(asBob.map((q) => q.title)).toEqual(['Shared']);
    await expectJson(
      await call(`/integration/v1/query/${secret.id}/`, { token: bobToken }),
      403,
      NO_PERMISSION,
    );
    expect((await call(`/integration/v1/query/${secret.id}/`, { token: adminToken })).status).toBe(
      200,
    );
    expect(emu.requests.map((r) => r.userId)).toEqual([alice.id, bob.id, bob.id, admin.id]);
  });
});

describe('OAuth 2.0 authorization code + PKCE', () => {
  const redirectUri = 'https://bot.example.com/oauth/callback';
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  function authorizeUrl(params: Record<string, string>): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'slackbot',
      redirect_uri: redirectUri,
      state: 'st-123',
      code_challenge_method: 'S256',
      ...params,
    });
    return `/oauth/v1/authorize/?${query}`;
  }

  async function codeFor(userId: number, challenge: string): Promise<string> {
    const res = await call(
      authorizeUrl({ code_challenge: challenge, emulator_user_id: String(userId) }),
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-123');
    return location.searchParams.get('code') ?? '';
  }

  function exchange(fields: Record<string, string>, secret = 's3cret'): Promise<Response> {
    return fetch(`${emu.url}/oauth/v1/token/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('slackbot', secret),
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  beforeEach(() => {
    emu.addOAuthClient({
      clientId: 'slackbot',
      clientSecret: 's3cret',
      redirectUris: [redirectUri],
    });
  });

  it('runs the full flow and the bearer token acts as the user who authorized', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(alice.id, challenge);
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const tokens = (await expectJson(res, 200)) as Record<string, string | number>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const list = await fetch(`${emu.url}/integration/v1/query/`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(list.status).toBe(200);
    expect(emu.requests.at(-1)?.userId).toBe(alice.id);

    const refreshed = await exchange({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    const next = (await expectJson(refreshed, 200)) as Record<string, string>;
    expect(next.access_token).not.toBe(tokens.access_token);
    const reused = await exchange({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(await expectJson(reused, 400)).toMatchObject({ error: 'invalid_grant' });
  });

  it('supports client_secret_post and public clients', async () => {
    emu.addOAuthClient({ clientId: 'public-app', redirectUris: [redirectUri] });
    const { verifier, challenge } = pkce();
    const res = await call(
      authorizeUrl({
        client_id: 'public-app',
        code_challenge: challenge,
        emulator_user_id: String(bob.id),
      }),
    );
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const token = await call('/oauth/v1/token/', {
      form: {
        grant_type: 'authorization_code',
        client_id: 'public-app',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      },
    });
    expect(token.status).toBe(200);
  });

  it('rejects a wrong code_verifier, and a replayed code revokes what it issued', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(alice.id, challenge);
    const wrong = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce().verifier,
    });
    expect(await expectJson(wrong, 400)).toMatchObject({ error: 'invalid_grant' });
    const good = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const { access_token } = (await expectJson(good, 200)) as { access_token: string };
    const replay = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(replay.status).toBe(400);
    const after = await fetch(`${emu.url}/integration/v1/query/`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(after.status).toBe(403);
  });

  it('rejects bad client credentials with 401 invalid_client', async () => {
    const res = await exchange(
      { grant_type: 'authorization_code', code: 'x', redirect_uri: redirectUri },
      'wrong',
    );
    expect(await expectJson(res, 401)).toMatchObject({ error: 'invalid_client' });
  });

  it('sends a logged-out browser to the login page and uses the seeded browser user otherwise', async () => {
    const { challenge } = pkce();
    const loggedOut = await call(authorizeUrl({ code_challenge: challenge }));
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.get('location')).toMatch(
      /^\/login\/\?next=%2Foauth%2Fv1%2Fauthorize%2F/,
    );
    emu.setBrowserUser(bob.id);
    const loggedIn = await call(authorizeUrl({ code_challenge: challenge }));
    const code = new URL(loggedIn.headers.get('location') ?? '').searchParams.get('code') ?? '';
    expect(emu.state.oauthCodes.get(code)?.userId).toBe(bob.id);
  });

  it('never redirects to an unregistered redirect_uri; other errors go back to the client', async () => {
    const { challenge } = pkce();
    const bad = await call(
      authorizeUrl({ code_challenge: challenge, redirect_uri: 'https://evil.example.com/' }),
    );
    expect(await expectJson(bad, 400)).toMatchObject({ error: 'invalid_request' });
    const plain = await call(
      authorizeUrl({
        code_challenge: challenge,
        code_challenge_method: 'plain',
        emulator_user_id: '2',
      }),
    );
    const location = new URL(plain.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    const denied = await call(
      authorizeUrl({ code_challenge: challenge, emulator_user_id: '2', emulator_consent: 'deny' }),
    );
    expect(new URL(denied.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('treats an expired bearer token like an expired API token', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(alice.id, challenge);
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const { access_token } = (await res.json()) as { access_token: string };
    emu.expireOAuthAccessToken(access_token);
    const after = await fetch(`${emu.url}/integration/v1/query/`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(after.status).toBe(401);
  });
});

describe('queries', () => {
  it('creates a query: 201, Location, the documented shape, tags and domains', async () => {
    const domain = emu.addDomain({ title: 'Finance', description: 'Money' });
    const res = await call('/integration/v1/query/', {
      token: aliceToken,
      json: {
        datasource_id: ds.id,
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
        id: ds.id,
        title: 'Warehouse',
        uri: 'snowflake://acme',
        url: `/data/${ds.id}/`,
      },
      domains: [{ id: domain.id, title: 'Finance', description: 'Money' }],
      tags: [{ name: '@tag_name', url: expect.stringMatching(/^\/tag\/\d+\/$/) }],
    });
    expect(emu.state.queries.get(Number(body.id))?.authorId).toBe(alice.id);
  });

  it('reports every invalid field at once', async () => {
    const res = await call('/integration/v1/query/', {
      token: aliceToken,
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
      datasource_id: ds.id,
      content: 'SELECT 1',
      author: { email: 'alice@example.com' },
    };
    await expectJson(
      await call('/integration/v1/query/', { token: bobToken, json: body }),
      403,
      NO_PERMISSION,
    );
    const res = await call('/integration/v1/query/', { token: adminToken, json: body });
    const created = (await expectJson(res, 201)) as { id: number };
    expect(emu.state.queries.get(created.id)?.authorId).toBe(alice.id);
  });

  it('answers a POST without the trailing slash with Django’s 301 (which fetch turns into a GET)', async () => {
    const res = await call('/integration/v1/query', {
      token: aliceToken,
      json: { datasource_id: ds.id, content: 'x' },
    });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/integration/v1/query/');
  });

  it('pages with limit/skip (default 100) and X-Next-Page until the end', async () => {
    for (let i = 1; i <= 250; i++) emu.addQuery({ datasourceId: ds.id, title: `Q${i}` });
    const first = await call('/integration/v1/query/?title__startswith=Q', { token: aliceToken });
    expect(((await first.json()) as unknown[]).length).toBe(100);
    expect(first.headers.get('x-next-page')).toBe(
      '/integration/v1/query/?title__startswith=Q&limit=100&skip=100',
    );
    const seen: number[] = [];
    let next: string | null = '/integration/v1/query/?limit=100';
    while (next) {
      const res = await call(next, { token: aliceToken });
      seen.push(...((await res.json()) as { id: number }[]).map((q) => q.id));
      next = res.headers.get('x-next-page');
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const capped = await call('/integration/v1/query/?limit=5000', { token: aliceToken });
    expect(((await capped.json()) as unknown[]).length).toBe(250);
    await expectJson(await call('/integration/v1/query/?limit=ten', { token: aliceToken }), 400, {
      error: "Invalid value(s) ['ten'] for URL parameter 'limit'",
    });
    emu.knobs.absoluteNextPage = true;
    const absolute = await call('/integration/v1/query/?limit=10', { token: aliceToken });
    expect(absolute.headers.get('x-next-page')).toBe(
      `${emu.url}/integration/v1/query/?limit=10&skip=10`,
    );
  });

  it('filters with the documented operators and orders with order_by', async () => {
    emu.addQuery({ datasourceId: ds.id, title: 'Q1 revenue', content: 'select * from table' });
    emu.addQuery({
      datasourceId: ds.id,
      title: 'Churn Results',
      content: 'UPDATE t SET x = 1',
      autosaveContent: 'UPDATE t',
    });
    emu.addQuery({
      datasourceId: ds.id,
      title: 'Q2 scheduled',
      schedules: [{ enabled: true, tsLastAttempt: new Date('2018-03-30T08:17:00Z') }],
    });
    const titles = async (query: string) =>
      (
        (await (await call(`/integration/v1/query/?${query}`, { token: aliceToken })).json()) as {
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
    await expectJson(await call('/integration/v1/query/?id=abc', { token: aliceToken }), 400, {
      error: "Invalid value(s) ['abc'] for URL parameter 'id'",
    });
    await expectJson(
      await call('/integration/v1/query/?order_by=title&schedule_enabled=true', {
        token: aliceToken,
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
    const q = emu.addQuery({
      datasourceId: ds.id,
      title: 'Detailed',
      content: sql,
      schedules: [{ cronExpression: '17 1 * * *' }],
    });
    const detail = (await expectJson(
      await call(`/integration/v1/query/${q.id}/`, { token: bobToken }),
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
    const text = await call(`/integration/v1/query/${q.id}/sql/`, { token: bobToken });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe(sql);
    await expectJson(await call('/integration/v1/query/999/', { token: bobToken }), 404, {
      detail: 'Not found.',
    });
    expect((await call('/integration/v1/query/999/sql/', { token: bobToken })).status).toBe(404);
  });

  it('finds the latest result id, or answers the documented 404s', async () => {
    const q = emu.addQuery({ datasourceId: ds.id, id: 15 });
    await expectJson(
      await call('/integration/v1/query/15/result/latest/', { token: aliceToken }),
      404,
      {
        detail: 'Could not get latest query result ID for query ID 15',
      },
    );
    await expectJson(
      await call('/integration/v1/query/16/result/latest/', { token: aliceToken }),
      404,
      {
        detail: 'Not found.',
      },
    );
    emu.addResult(q.id, {
      csv: 'a\n1\n',
      executedAt: new Date('2017-10-18T01:19:09.855Z'),
      secondsTaken: 0.121,
    });
    const latest = emu.addResult(q.id, {
      csv: 'a\n2\n',
      executedAt: new Date('2017-10-19T01:00:00Z'),
      secondsTaken: 2,
      truncated: true,
    });
    emu.addResult(q.id, {
      csv: 'a\n3\n',
      executedAt: new Date('2017-10-20T01:00:00Z'),
      deleted: true,
    });
    await expectJson(
      await call('/integration/v1/query/15/result/latest/', { token: aliceToken }),
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
    const q = emu.addQuery({ datasourceId: ds.id });
    const small = emu.addResult(q.id, {
      csv: 'my_column,sum,name\nTrue,365,Days in a Year\nTrue,24,Hours in a Day\nTrue,3600,Seconds in an Hour',
    });
    const res = await call(`/integration/v1/result/${small.resultId}/csv/`, { token: aliceToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('content-length')).toBeNull();
    expect((await res.text()).split('\n')[2]).toBe('True,24,Hours in a Day');

    const rows = 150_000;
    const big = emu.addResult(q.id, {
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
    const bigRes = await call(`/integration/v1/result/${big.resultId}/csv/`, { token: aliceToken });
    const body = await bigRes.text();
    expect(body.length).toBeGreaterThan(4_000_000);
    const lines = body.trimEnd().split('\n');
    expect(lines.length).toBe(rows + 1);
    expect(lines.at(-1)).toBe(
      `${rows - 1},row number ${rows - 1},${((rows - 1) * 1.5).toFixed(2)}`,
    );
    await expectJson(await call('/integration/v1/result/9999/csv/', { token: aliceToken }), 404, {
      detail: 'Not found.',
    });
  });

  it('hides results of queries the user cannot see', async () => {
    const q = emu.addQuery({ datasourceId: ds.id, published: false, authorId: alice.id });
    const r = emu.addResult(q.id, { csv: 'a\n1\n' });
    expect(
      (await call(`/integration/v1/result/${r.resultId}/csv/`, { token: bobToken })).status,
    ).toBe(403);
    expect(
      (await call(`/integration/v1/query/${q.id}/result/latest/`, { token: bobToken })).status,
    ).toBe(404);
    expect((await call(`/integration/v1/query/${q.id}/sql/`, { token: bobToken })).status).toBe(
      403,
    );
  });

  it('imports a query from the browser and redirects to compose or catalog', async () => {
    const loggedOut = await call(
      `/integration/v1/query/import/?return_to=compose&datasource_id=${ds.id}&content=SELECT%20*`,
    );
    expect(loggedOut.headers.get('location')).toMatch(/^\/login\/\?next=/);
    emu.setBrowserUser(alice.id);
    const res = await call(
      `/integration/v1/query/import/?return_to=catalog&datasource_id=${ds.id}&content=SELECT%20*&saved=true`,
    );
    expect(res.status).toBe(302);
    const id = Number(res.headers.get('location')?.match(/^\/query\/(\d+)\/$/)?.[1]);
    expect(emu.state.queries.get(id)).toMatchObject({
      content: 'SELECT *',
      authorId: alice.id,
      saved: true,
    });
  });
});

describe('execution sessions, batches, events and scheduled runs', () => {
  it('links a multi-statement run together and filters events', async () => {
    const q = emu.addQuery({ datasourceId: ds.id, title: 'Two statements' });
    const first = emu.addResult(q.id, {
      statement: 'SELECT 1',
      csv: 'x\n1\n',
      storageStatus: 'STORED_PART',
    });
    const second = emu.addExecutionEvent(q.id, {
      batchId: first.batchId,
      statement: 'DROP TABLE x',
      executionError: 'permission denied',
    });
    const session = await expectJson(
      await call(`/integration/v1/query/execution_session/${first.sessionId}/`, {
        token: aliceToken,
      }),
      200,
    );
    expect(session).toMatchObject({
      id: first.sessionId,
      query_id: q.id,
      is_scheduled: false,
      batch_ids: [first.batchId],
    });
    await expectJson(
      await call(`/integration/v1/query/execution_batch/${first.batchId}/`, { token: aliceToken }),
      200,
      {
        id: first.batchId,
        query_id: q.id,
        session_id: first.sessionId,
        events: [
          { id: first.eventId, index_in_batch: 0 },
          { id: second.eventId, index_in_batch: 1 },
        ],
      },
    );
    const events = (await expectJson(
      await call(
        `/integration/v1/query/${q.id}/execution_event/?result_storage_status=STORED_PART`,
        { token: aliceToken },
      ),
      200,
    )) as Record<string, unknown>[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: first.eventId,
      statement_content: 'SELECT 1',
      result: {
        id: first.resultId,
        storage_status: 'STORED_PART',
        url: `/execution_result/${first.resultId}/`,
        query: { id: q.id, title: 'Two statements', description: '' },
      },
      datasource: {
        id: ds.id,
        title: 'Warehouse',
        url: `/data/${ds.id}/`,
        uri: 'snowflake://acme',
      },
    });
    const failed = (await (
      await call('/integration/v1/query/execution_event/?execution_error__isnull=false', {
        token: aliceToken,
      })
    ).json()) as { id: number; result: unknown }[];
    expect(failed).toEqual([expect.objectContaining({ id: second.eventId, result: null })]);
    await expectJson(
      await call('/integration/v1/query/execution_event/?result_storage_status=LOST', {
        token: aliceToken,
      }),
      400,
      {
        error: "Invalid value(s) ['LOST'] for URL parameter 'result_storage_status'",
      },
    );
    const batches = await call(
      `/integration/v1/query/execution_batch/?event_id=${second.eventId}`,
      { token: aliceToken },
    );
    expect(((await batches.json()) as { id: number }[]).map((b) => b.id)).toEqual([first.batchId]);
    const sessions = await call(
      `/integration/v1/query/execution_session/?batch_id=${first.batchId}`,
      { token: aliceToken },
    );
    expect(((await sessions.json()) as { id: number }[]).map((s) => s.id)).toEqual([
      first.sessionId,
    ]);
    expect(
      (await call('/integration/v1/query/999/execution_event/', { token: aliceToken })).status,
    ).toBe(404);
  });

  it('lists scheduled runs, ordered and filtered by date', async () => {
    const q = emu.addQuery({ datasourceId: ds.id, title: 'Nightly' });
    emu.addScheduledRun({
      queryId: q.id,
      taskId: 'b',
      tsSentToBroker: new Date('2018-01-01T12:00:00Z'),
      tsPrerun: new Date('2018-01-01T12:00:05Z'),
    });
    emu.addScheduledRun({
      queryId: q.id,
      taskId: 'a',
      tsSentToBroker: new Date('2018-01-01T06:00:00Z'),
    });
    emu.addScheduledRun({ taskId: 'c', tsSentToBroker: new Date('2018-01-03T06:00:00Z') });
    const all = (await expectJson(
      await call('/integration/v1/query/scheduled_run/', { token: aliceToken }),
      200,
    )) as {
      task_id: string;
    }[];
    expect(all.map((r) => r.task_id)).toEqual(['a', 'b', 'c']);
    expect(all[2]).toEqual({
      session_id: null,
      query_id: null,
      query_title: null,
      task_id: 'c',
      ts_sent_to_broker: '2018-01-03T06:00:00.000000Z',
      ts_prerun: null,
      ts_postrun: null,
    });
    const day = await call(
      '/integration/v1/query/scheduled_run/?ts_sent_to_broker__gt=2018-01-01&ts_sent_to_broker__lt=2018-01-02',
      {
        token: aliceToken,
      },
    );
    expect(((await day.json()) as { task_id: string }[]).map((r) => r.task_id)).toEqual(['a', 'b']);
    const forQuery = await call(
      `/integration/v1/query/${q.id}/scheduled_run/?order_by=-ts_sent_to_broker`,
      { token: aliceToken },
    );
    expect(((await forQuery.json()) as { task_id: string }[]).map((r) => r.task_id)).toEqual([
      'b',
      'a',
    ]);
  });
});

describe('trust flags', () => {
  const flagPath = '/integration/flag/';

  it('adds flags with the documented reason rules and shape', async () => {
    const table = emu.addTable({ datasourceId: ds.id, schema: 'public', name: 'orders' });
    const res = await call(flagPath, {
      token: aliceToken,
      json: {
        flag_type: 'DEPRECATION',
        flag_reason: 'We do not use this anymore.',
        subject: { id: ds.id, otype: 'data' },
      },
    });
    const flag = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(flag).toEqual({
      id: expect.any(Number),
      flag_type: 'DEPRECATION',
      ts_created: expect.stringMatching(/Z$/),
      flag_reason: 'We do not use this anymore.',
      subject: { id: String(ds.id), url: `/data/${ds.id}`, otype: 'data' },
      user: { id: alice.id, url: `/user/${alice.id}/`, display_name: 'Alice' },
    });
    const endorse = await call(flagPath, {
      token: aliceToken,
      json: { flag_type: 'ENDORSEMENT', subject: { id: table.id, otype: 'table' } },
    });
    expect(await expectJson(endorse, 201)).toMatchObject({
      flag_type: 'ENDORSEMENT',
      flag_reason: '',
    });
    const endorseWithReason = await call(flagPath, {
      token: aliceToken,
      json: {
        flag_type: 'ENDORSEMENT',
        flag_reason: 'great',
        subject: { id: table.id, otype: 'table' },
      },
    });
    expect(await expectJson(endorseWithReason, 400)).toHaveProperty('flag_reason');
    const warningWithoutReason = await call(flagPath, {
      token: aliceToken,
      json: { flag_type: 'WARNING', flag_reason: '  ', subject: { id: table.id, otype: 'table' } },
    });
    expect(await expectJson(warningWithoutReason, 400)).toEqual({
      flag_reason: ['This field is required for WARNING flags.'],
    });
    await expectJson(
      await call(flagPath, {
        token: aliceToken,
        json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: 1, otype: 'tabel' } },
      }),
      400,
      { subject: ['Invalid otype'] },
    );
    await expectJson(
      await call(flagPath, {
        token: aliceToken,
        json: { flag_type: 'PRAISE', subject: { id: 1, otype: 'data' } },
      }),
      400,
      { flag_type: ['"PRAISE" is not a valid choice.'] },
    );
    const missingSubject = await call(flagPath, {
      token: aliceToken,
      json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: 999, otype: 'table' } },
    });
    expect(await expectJson(missingSubject, 400)).toHaveProperty('subject');
  });

  it('gets one flag and lists by subject with paging', async () => {
    const table = emu.addTable({ datasourceId: ds.id, schema: 'public', name: 'orders' });
    const other = emu.addTable({ datasourceId: ds.id, schema: 'public', name: 'users' });
    for (let i = 0; i < 5; i++) {
      emu.addFlag({
        flagType: 'WARNING',
        reason: `w${i}`,
        subject: { otype: 'table', id: table.id },
        userId: bob.id,
      });
    }
    const lone = emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: other.id },
      userId: alice.id,
    });
    const one = await expectJson(await call(`${flagPath}${lone.id}/`, { token: bobToken }), 200);
    expect(one).toMatchObject({
      id: lone.id,
      subject: { id: String(other.id), url: `/table/${other.id}`, otype: 'table' },
    });
    await expectJson(await call(`${flagPath}999/`, { token: bobToken }), 404, {
      detail: 'Not found.',
    });

    const page = await call(`${flagPath}?oid=${table.id}&otype=table&limit=2&skip=2`, {
      token: bobToken,
    });
    const listed = (await expectJson(page, 200)) as Record<string, unknown>[];
    expect(listed.map((f) => f.flag_reason)).toEqual(['w2', 'w3']);
    expect(listed[0]).toMatchObject({
      subject: { url: `/table/${table.id}/`, otype: 'table', id: table.id },
    });
    expect(page.headers.get('x-next-page')).toBe(
      `${flagPath}?oid=${table.id}&otype=table&limit=2&skip=4`,
    );
    const last = await call(`${flagPath}?oid=${table.id}&otype=table&limit=2&skip=4`, {
      token: bobToken,
    });
    expect(last.headers.get('x-next-page')).toBeNull();
    await expectJson(await call(`${flagPath}?oid=1&otype=nonsense`, { token: bobToken }), 400, {
      subject: ['Invalid otype'],
    });
    expect((await call(`${flagPath}?oid=1`, { token: bobToken })).status).toBe(400);
    const all = (await (await call(flagPath, { token: bobToken })).json()) as unknown[];
    expect(all).toHaveLength(6);
  });

  it('updates a reason, but never an endorsement’s, and only for those allowed', async () => {
    const table = emu.addTable({ datasourceId: ds.id, schema: 'public', name: 'orders' });
    const warning = emu.addFlag({
      flagType: 'WARNING',
      reason: 'old',
      subject: { otype: 'table', id: table.id },
      userId: alice.id,
    });
    const endorsement = emu.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: table.id },
      userId: alice.id,
    });
    const put = (id: number, token: string, body: unknown) =>
      call(`${flagPath}${id}/`, { method: 'PUT', token, json: body });
    expect(
      await expectJson(
        await put(warning.id, aliceToken, { flag_reason: 'Might have old data' }),
        200,
      ),
    ).toMatchObject({
      id: warning.id,
      flag_reason: 'Might have old data',
    });
    expect((await put(endorsement.id, aliceToken, { flag_reason: 'x' })).status).toBe(400);
    await expectJson(await put(warning.id, aliceToken, {}), 400, {
      flag_reason: ['This field is required.'],
    });
    const stranger = emu.addUser({ name: 'Carol' });
    await expectJson(
      await put(warning.id, emu.mintAccessToken(stranger.id), { flag_reason: 'mine now' }),
      403,
      NO_PERMISSION,
    );
  });

  it('deletes for the author, a server admin or the data-source owner; 403 otherwise, 404 when gone', async () => {
    const table = emu.addTable({ datasourceId: ds.id, schema: 'public', name: 'orders' });
    const mk = () =>
      emu.addFlag({
        flagType: 'WARNING',
        reason: 'r',
        subject: { otype: 'table', id: table.id },
        userId: alice.id,
      });
    const del = (id: number, token: string) =>
      call(`${flagPath}${id}/`, { method: 'DELETE', token });
    const carol = emu.addUser({ name: 'Carol' });
    const carolToken = emu.mintAccessToken(carol.id);

    const f1 = mk();
    await expectJson(await del(f1.id, carolToken), 403, NO_PERMISSION);
    const byAuthor = await del(f1.id, aliceToken);
    expect(byAuthor.status).toBe(204);
    expect(await byAuthor.text()).toBe('');
    await expectJson(await del(f1.id, aliceToken), 404, { detail: 'Not found.' });
    expect((await del(mk().id, adminToken)).status).toBe(204);
    // bob owns the data source the table descends from
    expect((await del(mk().id, bobToken)).status).toBe(204);
    const dsFlag = emu.addFlag({
      flagType: 'DEPRECATION',
      reason: 'r',
      subject: { otype: 'data', id: ds.id },
      userId: alice.id,
    });
    expect((await del(dsFlag.id, bobToken)).status).toBe(204);
  });

  it('requires global flag edit permission', async () => {
    const noEdit = emu.addUser({ name: 'Viewer', canEditFlags: false });
    const res = await call(flagPath, {
      token: emu.mintAccessToken(noEdit.id),
      json: { flag_type: 'WARNING', flag_reason: 'x', subject: { id: ds.id, otype: 'data' } },
    });
    await expectJson(res, 403, NO_PERMISSION);
  });

  it('lists the instance’s otypes', async () => {
    const otypes = (await expectJson(
      await call('/integration/v1/otype/', { token: aliceToken }),
      200,
    )) as { name: string }[];
    expect(otypes).toEqual(
      expect.arrayContaining([{ name: 'data' }, { name: 'table' }, { name: 'attribute' }]),
    );
  });
});

describe('table sync', () => {
  const sync = (token: string | undefined, body: Record<string, unknown>) =>
    call('/api/v1/table/sync/', { ...(token ? { token } : {}), json: body });

  beforeEach(() => {
    emu.addTable({
      datasourceId: ds.id,
      schema: 'objects',
      name: 'articles',
      title: 'Articles',
      isView: true,
      inCatalog: false,
    });
    emu.addTable({
      datasourceId: ds.id,
      schema: 'objects',
      name: 'secrets',
      serviceAccountCanRead: false,
    });
    emu.addSchema({ datasourceId: ds.id, name: 'scratch', excluded: true });
  });

  it('syncs a table into the catalog: 201, Location and the documented body', async () => {
    const res = await sync(adminToken, {
      datasource_id: ds.id,
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
      ds_id: ds.id,
      is_view: true,
      custom_fields: [],
      schema_id: expect.any(Number),
      synonyms: null,
      db_comment: null,
    });
    expect(res.headers.get('location')).toBe(`/api/table/${body.id}/`);
    expect(emu.state.tables.get(Number(body.id))?.inCatalog).toBe(true);
    const again = await sync(adminToken, {
      datasource_id: ds.id,
      schema: 'objects',
      table: 'articles',
    });
    expect(again.status).toBe(201);
  });

  it('accepts the form-encoded body of the Python sample', async () => {
    const res = await call('/api/v1/table/sync/', {
      token: adminToken,
      form: {
        datasource_id: String(ds.id),
        schema: 'objects',
        table: 'articles',
        table_type: 'VIEW',
      },
    });
    expect(res.status).toBe(201);
  });

  it('reproduces every row of the documented error table from seeded state', async () => {
    const ok = { datasource_id: ds.id, schema: 'objects', table: 'articles' };
    await expectJson(await sync(adminToken, { datasource_id: ds.id, table: 'articles' }), 400, {
      schema: ['This field is required.'],
    });
    await expectJson(await sync(adminToken, { ...ok, table_type: 'MATERIALIZED' }), 400, {
      table_type: ['"MATERIALIZED" is not a valid choice.'],
    });
    expect(
      await expectJson(await sync(adminToken, { ...ok, schema: 'scratch' }), 400),
    ).toHaveProperty('detail');
    await expectJson(await sync(undefined, ok), 403, MISSING_TOKEN_403000);
    await expectJson(await sync(aliceToken, ok), 403, NO_PERMISSION);
    const denied = await sync(adminToken, { ...ok, table: 'secrets' });
    expect(((await expectJson(denied, 403)) as { detail: string }).detail).toMatch(
      /service account/,
    );
    expect(
      await expectJson(await sync(adminToken, { ...ok, datasource_id: 99 }), 404),
    ).toHaveProperty('detail');
    expect(await expectJson(await sync(adminToken, { ...ok, schema: 'nope' }), 404)).toHaveProperty(
      'detail',
    );
    const missing = await sync(adminToken, { ...ok, table: 'ghost' });
    expect(((await expectJson(missing, 404)) as { detail: string }).detail).toMatch(/not found/);
    ds.connectionError = 'timeout after 30s';
    const down = await sync(adminToken, ok);
    expect(((await expectJson(down, 500)) as { detail: string }).detail).toMatch(
      /timeout after 30s/,
    );
  });

  it('refuses data sources whose service account cannot read anything', async () => {
    const locked = emu.addDataSource({ serviceAccountCanRead: false });
    emu.addTable({ datasourceId: locked.id, schema: 's', name: 't' });
    expect(
      (await sync(adminToken, { datasource_id: locked.id, schema: 's', table: 't' })).status,
    ).toBe(403);
  });
});

describe('job status', () => {
  const jobName =
    'MetadataExtraction#1_2017-10-05-19-36-45-431906-00-00-4ea1dc02-1c9f-41db-be6f-3f7cb1849da3';

  it('advances one scripted step per GET and keeps repeating the last', async () => {
    emu.addJob({
      id: 1,
      name: jobName,
      states: [
        jobRunning(),
        jobRunning(),
        jobSucceeded({ updated_objects: 2, number_received: 2, error_objects: [], error: '' }),
      ],
    });
    const path = `/api/v1/bulk_metadata/job/?name=${encodeURIComponent(jobName)}`;
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = (await expectJson(await call(path, { token: aliceToken }), 200)) as {
        status: string;
        result: unknown;
      };
      statuses.push(body.status);
      if (i === 3) {
        expect(body.result).toBe(
          '{"updated_objects": 2, "number_received": 2, "error_objects": [], "error": ""}',
        );
        expect(JSON.parse(String(body.result))).toEqual({
          updated_objects: 2,
          number_received: 2,
          error_objects: [],
          error: '',
        });
      }
    }
    expect(statuses).toEqual(['running', 'running', 'successful', 'successful']);
    expect(emu.requests.at(-1)?.query.get('name')).toBe(jobName);
  });

  it('needs the # URL-encoded: unencoded, the rest of the name is a fragment and the job is not found', async () => {
    emu.addJob({ name: jobName, states: [jobSucceeded()] });
    await expectJson(
      await call(`/api/v1/bulk_metadata/job/?name=${jobName}`, { token: aliceToken }),
      404,
      {
        detail: 'Not found.',
      },
    );
    expect(emu.requests.at(-1)?.query.get('name')).toBe('MetadataExtraction');
  });

  it('looks jobs up by integer id, with plain-text QLI results and failures', async () => {
    emu.addJob({
      id: 7,
      states: [
        jobSucceeded(
          'Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped.',
        ),
      ],
    });
    const body = (await expectJson(
      await call('/api/v1/bulk_metadata/job/?id=7', { token: aliceToken }),
      200,
    )) as Record<string, string>;
    expect(body.result).toMatch(/^Bulk Query Ingestion Succeeded/);
    expect(body.msg).toMatch(
      /^Job finished in 1\.0 seconds at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00$/,
    );
    emu.setJob(7, [jobFailed({ error: 'boom' })]);
    expect(
      await expectJson(await call('/api/v1/bulk_metadata/job/?id=7', { token: aliceToken }), 200),
    ).toMatchObject({
      status: 'failed',
      result: '{"error": "boom"}',
    });
    expect((await call('/api/v1/bulk_metadata/job/?id=8', { token: aliceToken })).status).toBe(404);
    expect((await call('/api/v1/bulk_metadata/job/', { token: aliceToken })).status).toBe(400);
  });
});

describe('fault injection and recording', () => {
  it('answers with a scripted status, body and Retry-After for the given number of times', async () => {
    const handle = emu.fault({
      method: 'GET',
      path: '/integration/v1/query/',
      status: 429,
      retryAfter: 3,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const res = await call('/integration/v1/query/', { token: aliceToken });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(await res.json()).toEqual({
        detail: 'Request was throttled. Expected available in 3 seconds.',
      });
    }
    expect((await call('/integration/v1/query/', { token: aliceToken })).status).toBe(200);
    expect(handle.hits).toBe(2);
    expect(handle.remaining).toBe(0);
    expect(emu.requests.map((r) => r.fault)).toEqual(['status', 'status', null]);
    expect(emu.requests[0]?.userId).toBe(alice.id);
  });

  it('matches by method, RegExp and predicate; Infinity lasts until cleared', async () => {
    emu.fault({
      path: /^\/integration\/v1\/query\/\d+\/sql\/$/,
      status: 503,
      body: { detail: 'down' },
      times: Number.POSITIVE_INFINITY,
    });
    emu.fault({ method: 'POST', path: '/integration/flag/', status: 500 });
    emu.fault({
      path: '/api/v1/bulk_metadata/job/',
      when: (c) => c.query.get('id') === '2',
      status: 502,
    });
    const q = emu.addQuery({ datasourceId: ds.id });
    for (let i = 0; i < 3; i++) {
      await expectJson(
        await call(`/integration/v1/query/${q.id}/sql/`, { token: aliceToken }),
        503,
        { detail: 'down' },
      );
    }
    expect((await call('/integration/flag/', { token: aliceToken })).status).toBe(200);
    expect((await call('/api/v1/bulk_metadata/job/?id=1', { token: aliceToken })).status).toBe(404);
    expect((await call('/api/v1/bulk_metadata/job/?id=2', { token: aliceToken })).status).toBe(502);
    emu.clearFaults();
    expect((await call(`/integration/v1/query/${q.id}/sql/`, { token: aliceToken })).status).toBe(
      200,
    );
  });

  it('serves a reverse-proxy HTML error page', async () => {
    emu.fault({ path: '/integration/v1/query/', html: true, status: 502 });
    const res = await call('/integration/v1/query/', { token: aliceToken });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('<title>502 Bad Gateway</title>');
    emu.fault({ path: '/integration/v1/query/', html: '<h1>Maintenance</h1>', status: 503 });
    expect(await (await call('/integration/v1/query/', { token: aliceToken })).text()).toBe(
      '<h1>Maintenance</h1>',
    );
  });

  it('returns truncated JSON with a 200 and a JSON content type', async () => {
    emu.fault({ path: '/integration/v1/query/', malformedJson: true });
    const res = await call('/integration/v1/query/', { token: aliceToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('drops the connection without a response', async () => {
    emu.fault({ path: '/integration/v1/query/', drop: true });
    await expect(call('/integration/v1/query/', { token: aliceToken })).rejects.toThrow(TypeError);
    expect(emu.requests[0]?.fault).toBe('drop');
    expect((await call('/integration/v1/query/', { token: aliceToken })).status).toBe(200);
  });

  it('delays an otherwise normal answer', async () => {
    emu.fault({ path: '/integration/v1/query/', latencyMs: 150 });
    const started = performance.now();
    const res = await call('/integration/v1/query/', { token: aliceToken });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(emu.requests[0]?.fault).toBe('latency');
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
    await call('/integration/flag/?oid=1&otype=data', { token: aliceToken });
    await call('/integration/flag/', {
      token: aliceToken,
      json: { flag_type: 'ENDORSEMENT', subject: { id: ds.id, otype: 'data' } },
    });
    await call('/integration/v1/query/', {
      token: bobToken,
      headers: { 'content-type': 'text/plain' },
      method: 'POST',
    });
    const [get, post] = emu
      .requestsTo('GET', '/integration/flag/')
      .concat(emu.requestsTo('post', /^\/integration\/flag\/$/));
    expect(get).toMatchObject({
      method: 'GET',
      path: '/integration/flag/',
      body: null,
      userId: alice.id,
    });
    expect(get?.query.get('otype')).toBe('data');
    expect(get?.headers.token).toBe(aliceToken);
    expect(post?.body).toEqual({ flag_type: 'ENDORSEMENT', subject: { id: ds.id, otype: 'data' } });
    expect(post?.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(emu.requestsTo('POST', '/integration/v1/')).toHaveLength(1);
  });

  it('answers unknown URLs with Django’s HTML 404 and wrong methods with 405', async () => {
    const res = await call('/integration/v2/nothing/', { token: aliceToken });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await expectJson(
      await call('/integration/flag/1/', { token: aliceToken, method: 'PATCH', json: {} }),
      405,
      {
        detail: 'Method "PATCH" not allowed.',
      },
    );
  });

  it('rejects unreadable bodies the way DRF does', async () => {
    const bad = await fetch(`${emu.url}/integration/flag/`, {
      method: 'POST',
      headers: { TOKEN: aliceToken, 'content-type': 'application/json' },
      body: '{"flag_type":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^JSON parse error/);
    const plain = await fetch(`${emu.url}/integration/flag/`, {
      method: 'POST',
      headers: { TOKEN: aliceToken, 'content-type': 'text/plain' },
      body: 'flag_type=WARNING',
    });
    await expectJson(plain, 415, { detail: 'Unsupported media type "text/plain" in request.' });
  });
});
