// The emulator's API tokens (minting, refreshing, revoking) and the TOKEN header every
// endpoint family checks (alation/auth.ts).
import { describe, expect, it } from 'vitest';
import {
  expectJson,
  MISSING_TOKEN_403000,
  NO_PERMISSION,
  useAlationEmulatorSuite,
} from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('API token lifecycle', () => {
  it('mints an access token from a refresh token (201) that then authenticates as the user', async () => {
    const res = await t.call('/integration/v1/createAPIAccessToken/', {
      json: { refresh_token: t.alice.refreshToken, user_id: t.alice.id },
    });
    const body = (await expectJson(res, 201)) as Record<string, unknown>;
    expect(body).toMatchObject({ user_id: t.alice.id, token_status: 'ACTIVE' });
    expect(Object.keys(body).sort()).toEqual(
      ['api_access_token', 'created_at', 'token_expires_at', 'token_status', 'user_id'].sort(),
    );
    expect(body.token_expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const list = await t.call('/integration/v1/query/', { token: String(body.api_access_token) });
    expect(list.status).toBe(200);
    expect(t.emu.requestsTo('GET', '/integration/v1/query/').at(-1)?.userId).toBe(t.alice.id);
  });

  it('accepts a form-encoded body like the Postman/Python samples', async () => {
    const res = await t.call('/integration/v1/createAPIAccessToken/', {
      form: { refresh_token: t.bob.refreshToken, user_id: String(t.bob.id) },
    });
    expect(((await expectJson(res, 201)) as { user_id: number }).user_id).toBe(t.bob.id);
  });

  it('rejects a wrong refresh token, or one belonging to someone else, with 401 401000', async () => {
    const invalid = { detail: 'Refresh token provided is invalid.', code: '401000' };
    await expectJson(
      await t.call('/integration/v1/createAPIAccessToken/', {
        json: { refresh_token: 'nope', user_id: t.alice.id },
      }),
      401,
      invalid,
    );
    await expectJson(
      await t.call('/integration/v1/createAPIAccessToken/', {
        json: { refresh_token: t.alice.refreshToken, user_id: t.bob.id },
      }),
      401,
      invalid,
    );
  });

  it('validates field presence with DRF-style errors', async () => {
    await expectJson(
      await t.call('/integration/v1/createAPIAccessToken/', { json: { user_id: 1 } }),
      400,
      { refresh_token: ['This field is required.'] },
    );
  });

  it('validateRefreshToken reports ACTIVE, then EXPIRED once the refresh token has expired', async () => {
    const body = { refresh_token: t.alice.refreshToken, user_id: t.alice.id };
    const active = (await expectJson(
      await t.call('/integration/v1/validateRefreshToken/', { json: body }),
      200,
    )) as Record<string, unknown>;
    expect(active).toMatchObject({
      refresh_token: t.alice.refreshToken,
      user_id: t.alice.id,
      token_status: 'ACTIVE',
    });
    expect(Object.keys(active)).toEqual(
      expect.arrayContaining(['name', 'created_at', 'token_expires_at', 'last_used_at']),
    );
    t.emu.expireRefreshToken(t.alice.id);
    const expired = await t.call('/integration/v1/validateRefreshToken/', { json: body });
    expect(((await expectJson(expired, 200)) as { token_status: string }).token_status).toBe(
      'EXPIRED',
    );
    const mint = await t.call('/integration/v1/createAPIAccessToken/', { json: body });
    expect(mint.status).toBe(401);
  });

  it('validateAPIAccessToken answers ACTIVE/EXPIRED and 401 for unknown tokens', async () => {
    const ok = await t.call('/integration/v1/validateAPIAccessToken/', {
      json: { api_access_token: t.aliceToken, user_id: t.alice.id },
    });
    expect(await expectJson(ok, 200)).toMatchObject({
      api_access_token: t.aliceToken,
      token_status: 'ACTIVE',
    });
    t.emu.expireAccessToken(t.aliceToken);
    const expired = await t.call('/integration/v1/validateAPIAccessToken/', {
      json: { api_access_token: t.aliceToken, user_id: t.alice.id },
    });
    expect(await expectJson(expired, 200)).toMatchObject({ token_status: 'EXPIRED' });
    await expectJson(
      await t.call('/integration/v1/validateAPIAccessToken/', {
        json: { api_access_token: 'x', user_id: t.alice.id },
      }),
      401,
      { detail: 'API Access Token provided is invalid.', code: '401000' },
    );
  });

  it('revokeAPIAccessTokens kills every access token minted from that refresh token', async () => {
    const res = await t.call('/integration/v1/revokeAPIAccessTokens/', {
      json: { refresh_token: t.alice.refreshToken, user_id: t.alice.id },
    });
    await expectJson(res, 200, {
      detail: `Revoked active access tokens for refresh token: '${t.alice.refreshToken}' with id: ${t.alice.id}`,
    });
    await expectJson(await t.call('/integration/v1/query/', { token: t.aliceToken }), 403, {
      detail: 'Invalid API token.',
    });
    expect((await t.call('/integration/v1/query/', { token: t.bobToken })).status).toBe(200);
  });

  it('can answer 200 {"status": "failed"} on chosen token endpoints', async () => {
    t.emu.knobs.statusFailedOn = ['createAPIAccessToken'];
    const res = await t.call('/integration/v1/createAPIAccessToken/', {
      json: { refresh_token: t.alice.refreshToken, user_id: t.alice.id },
    });
    expect(await expectJson(res, 200)).toMatchObject({ status: 'failed' });
    const validate = await t.call('/integration/v1/validateRefreshToken/', {
      json: { refresh_token: t.alice.refreshToken, user_id: t.alice.id },
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
      await expectJson(await t.call(family.path), family.status, family.missing);
      await expectJson(
        await t.call(family.path, { token: 'bogus' }),
        family.status,
        family.invalid,
      );
      expect(t.emu.requests.every((r) => r.userId === null)).toBe(true);
    });
  }

  it('uniform style answers README 403000 everywhere', async () => {
    t.emu.knobs.authErrorStyle = 'uniform';
    await expectJson(await t.call('/integration/v1/query/'), 403, MISSING_TOKEN_403000);
    await expectJson(
      await t.call('/api/v1/bulk_metadata/job/?id=1', { token: 'x' }),
      403,
      MISSING_TOKEN_403000,
    );
  });

  it('expired access tokens get 401 by default and 403 when the knob says so', async () => {
    t.emu.expireAccessToken(t.aliceToken);
    await expectJson(await t.call('/integration/v1/query/', { token: t.aliceToken }), 401, {
      detail: 'API Access Token provided is invalid.',
      code: '401000',
    });
    t.emu.knobs.expiredTokenStatus = 403;
    await expectJson(await t.call('/integration/v1/query/', { token: t.aliceToken }), 403, {
      detail: 'Invalid API token.',
    });
  });

  it('treats the header name case-insensitively and expires tokens with the clock', async () => {
    for (const name of ['TOKEN', 'token', 'Token']) {
      const res = await fetch(`${t.emu.url}/integration/v1/query/`, {
        headers: { [name]: t.aliceToken },
      });
      expect(res.status).toBe(200);
    }
    t.emu.advanceTime(24 * 3600 * 1000 + 1);
    expect((await t.call('/integration/v1/query/', { token: t.aliceToken })).status).toBe(401);
  });

  it('acts as the authenticated user: private queries stay private', async () => {
    const secret = t.emu.addQuery({
      datasourceId: t.ds.id,
      title: 'Mine',
      published: false,
      authorId: t.alice.id,
    });
    t.emu.addQuery({ datasourceId: t.ds.id, title: 'Shared' });
    const asAlice = (await (
      await t.call('/integration/v1/query/', { token: t.aliceToken })
    ).json()) as { title: string }[];
    const asBob = (await (
      await t.call('/integration/v1/query/', { token: t.bobToken })
    ).json()) as {
      title: string;
    }[];
    expect(asAlice.map((q) => q.title)).toEqual(['Mine', 'Shared']);
    expect(asBob.map((q) => q.title)).toEqual(['Shared']);
    await expectJson(
      await t.call(`/integration/v1/query/${secret.id}/`, { token: t.bobToken }),
      403,
      NO_PERMISSION,
    );
    expect(
      (await t.call(`/integration/v1/query/${secret.id}/`, { token: t.adminToken })).status,
    ).toBe(200);
    expect(t.emu.requests.map((r) => r.userId)).toEqual([
      t.alice.id,
      t.bob.id,
      t.bob.id,
      t.admin.id,
    ]);
  });
});
