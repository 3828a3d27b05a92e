import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AlationAuth,
  createAlationAuth,
  createAlationClient,
  createPkce,
} from '../../src/client/alation.ts';
import { BadResponseError, UnauthorizedError } from '../../src/client/errors.ts';
import type { OAuthClient } from '../emulators/alation.ts';
import { useAlationClientFixture } from '../support/alation-fixture.ts';
import { countingSource, rejectionOf } from '../support/client.ts';

const REDIRECT = 'https://bot.example.com/oauth/callback';

const t = useAlationClientFixture((emu, http) => ({
  alice: emu.addUser({ name: 'Alice' }),
  auth: createAlationAuth({ http }),
}));

const credentials = () => ({ refreshToken: t.alice.refreshToken, userId: t.alice.id });

describe('API access tokens', () => {
  it('mints one from the refresh token (201) that then works on data calls', async () => {
    const minted = await t.auth.createAccessToken(credentials());
    expect(minted).toMatchObject({ user_id: t.alice.id, token_status: 'ACTIVE' });
    const [request] = t.emu.requestsTo('POST', '/integration/v1/createAPIAccessToken/');
    expect(request?.body).toEqual({ refresh_token: t.alice.refreshToken, user_id: t.alice.id });
    expect(request?.headers.token).toBeUndefined();

    const source = countingSource(minted.api_access_token, () => 'unused');
    await createAlationClient({ http: t.http, credentials: source }).queries.list();
    expect(t.emu.requests.at(-1)?.userId).toBe(t.alice.id);
  });

  it('reports an invalid refresh token as unauthorized', async () => {
    const error = (await rejectionOf(
      t.auth.createAccessToken({ refreshToken: 'nope', userId: t.alice.id }),
    )) as UnauthorizedError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.code).toBe('401000');
    expect(error.message).not.toContain('nope');
  });

  it('treats a 200 {"status": "failed"} as a failure, not a token', async () => {
    t.emu.knobs.statusFailedOn = ['createAPIAccessToken', 'validateRefreshToken'];
    const error = (await rejectionOf(t.auth.createAccessToken(credentials()))) as BadResponseError;
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error.reason).toBe('status_failed');
    expect(error.status).toBe(200);
    expect(error.message).toBe(
      'Alation reported that the request failed: createAPIAccessToken failed. Please try again.',
    );
    expect(await rejectionOf(t.auth.validateRefreshToken(credentials()))).toBeInstanceOf(
      BadResponseError,
    );
  });

  it('validates a refresh token, reporting EXPIRED in token_status', async () => {
    expect(await t.auth.validateRefreshToken(credentials())).toMatchObject({
      user_id: t.alice.id,
      token_status: 'ACTIVE',
      name: 'slack-bot',
    });
    t.emu.expireRefreshToken(t.alice.id);
    expect((await t.auth.validateRefreshToken(credentials())).token_status).toBe('EXPIRED');
  });

  it('validates an access token, and revoking makes it useless', async () => {
    const minted = await t.auth.createAccessToken(credentials());
    const input = { accessToken: minted.api_access_token, userId: t.alice.id };
    expect((await t.auth.validateAccessToken(input)).api_access_token).toBe(
      minted.api_access_token,
    );

    await t.auth.revokeAccessTokens(credentials());
    expect(await rejectionOf(t.auth.validateAccessToken(input))).toBeInstanceOf(UnauthorizedError);
    const [revoke] = t.emu.requestsTo('POST', '/integration/v1/revokeAPIAccessTokens/');
    expect(revoke?.body).toEqual({ refresh_token: t.alice.refreshToken, user_id: t.alice.id });
  });

  it('does not retry token POSTs on 503', async () => {
    t.emu.fault({ path: '/integration/v1/createAPIAccessToken/', status: 503 });
    const error = await rejectionOf(t.auth.createAccessToken(credentials()));
    expect((error as { kind: string }).kind).toBe('server_error');
    expect(t.emu.requests).toHaveLength(1);
  });
});

describe('OAuth authorization code with PKCE', () => {
  let client: OAuthClient;
  let oauthAuth: AlationAuth;

  beforeEach(() => {
    client = t.emu.addOAuthClient({ clientId: 'slack-bot', redirectUris: [REDIRECT] });
    oauthAuth = createAlationAuth({
      http: t.http,
      oauth: { clientId: client.clientId, redirectUri: REDIRECT },
    });
  });

  /** Plays the user's browser: opens the authorize URL while logged in as `userId`. */
  async function browse(url: string, userId: number): Promise<URL> {
    const withUser = new URL(url);
    withUser.searchParams.set('emulator_user_id', String(userId));
    const res = await fetch(withUser, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('builds an S256 authorize URL whose verifier matches the challenge', () => {
    const { url, codeVerifier } = oauthAuth.oauth?.authorizeUrl({ state: 's1' }) ?? {
      url: '',
      codeVerifier: '',
    };
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`${t.emu.url}/oauth/v1/authorize/`);
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'slack-bot',
      redirect_uri: REDIRECT,
      state: 's1',
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createPkce().verifier).not.toBe(codeVerifier);
  });

  it('exchanges the code, uses the token as Bearer, and refreshes (rotating)', async () => {
    const oauth = oauthAuth.oauth;
    if (!oauth) throw new Error('oauth not configured');
    const { url, codeVerifier } = oauth.authorizeUrl({ state: 'xyz' });
    const callback = await browse(url, t.alice.id);
    expect(callback.searchParams.get('state')).toBe('xyz');
    const code = callback.searchParams.get('code') ?? '';

    const tokens = await oauth.exchangeCode({ code, codeVerifier });
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const [exchange] = t.emu.requestsTo('POST', '/oauth/v1/token/');
    expect(exchange?.body).toBe(
      new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: codeVerifier,
        client_id: 'slack-bot',
      }).toString(),
    );

    const alation = createAlationClient({
      http: t.http,
      credentials: { ...countingSource(tokens.access_token, () => ''), scheme: 'bearer' },
    });
    await alation.queries.list();
    const dataCall = t.emu.requestsTo('GET', '/integration/v1/query/')[0];
    expect(dataCall?.headers.authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(dataCall?.headers.token).toBeUndefined();
    expect(dataCall?.userId).toBe(t.alice.id);

    const refreshed = await oauth.refresh(tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const replay = await rejectionOf(oauth.refresh(tokens.refresh_token ?? ''));
    expect(replay).toBeInstanceOf(UnauthorizedError);
    expect((replay as UnauthorizedError).code).toBe('invalid_grant');
  });

  it('reports a replayed code or a wrong verifier as unauthorized', async () => {
    const oauth = oauthAuth.oauth;
    if (!oauth) throw new Error('oauth not configured');
    const { url, codeVerifier } = oauth.authorizeUrl({ state: 'a' });
    const code = (await browse(url, t.alice.id)).searchParams.get('code') ?? '';
    const wrong = await rejectionOf(
      oauth.exchangeCode({ code, codeVerifier: createPkce().verifier }),
    );
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect((wrong as UnauthorizedError).detail).toBe('Code verifier does not match the challenge.');

    await oauth.exchangeCode({ code, codeVerifier });
    const replay = await rejectionOf(oauth.exchangeCode({ code, codeVerifier }));
    expect(replay).toBeInstanceOf(UnauthorizedError);
    expect((replay as UnauthorizedError).detail).toBe('Invalid code.');
  });

  it('authenticates a confidential client with HTTP Basic', async () => {
    const secretClient = t.emu.addOAuthClient({
      clientId: 'conf',
      clientSecret: 's3cr3t',
      redirectUris: [REDIRECT],
    });
    const oauth = createAlationAuth({
      http: t.http,
      oauth: { clientId: secretClient.clientId, clientSecret: 's3cr3t', redirectUri: REDIRECT },
    }).oauth;
    if (!oauth) throw new Error('oauth not configured');
    const { url, codeVerifier } = oauth.authorizeUrl({ state: 'b', scope: 'openid profile' });
    expect(new URL(url).searchParams.get('scope')).toBe('openid profile');
    const code = (await browse(url, t.alice.id)).searchParams.get('code') ?? '';
    const tokens = await oauth.exchangeCode({ code, codeVerifier });
    expect(tokens.scope).toBe('openid profile');
    const exchange = t.emu.requestsTo('POST', '/oauth/v1/token/')[0];
    expect(exchange?.headers.authorization).toBe(
      `Basic ${Buffer.from('conf:s3cr3t').toString('base64')}`,
    );
    expect(String(exchange?.body)).not.toContain('s3cr3t');
  });
});
