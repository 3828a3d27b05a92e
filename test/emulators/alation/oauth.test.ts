// OAuth 2.0 authorization code with PKCE, as alation/oauth.ts serves it.
// OAuth 2.0 authorization code with PKCE, as alation/oauth.ts serves it.
import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

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
    const res = await t.call(
      authorizeUrl({ code_challenge: challenge, emulator_user_id: String(userId) }),
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-123');
    return location.searchParams.get('code') ?? '';
  }

  function exchange(fields: Record<string, string>, secret = 's3cret'): Promise<Response> {
    return fetch(`${t.emu.url}/oauth/v1/token/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('slackbot', secret),
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Alice authorizes with a fresh PKCE pair and the code is exchanged at once. */
  async function aliceAuthorizes(): Promise<Response> {
    const { verifier, challenge } = pkce();
    const code = await codeFor(t.alice.id, challenge);
    return exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
  }

  beforeEach(() => {
    t.emu.addOAuthClient({
      clientId: 'slackbot',
      clientSecret: 's3cret',
      redirectUris: [redirectUri],
    });
  });

  it('runs the full flow and the bearer token acts as the user who authorized', async () => {
    const res = await aliceAuthorizes();
    const tokens = (await expectJson(res, 200)) as Record<string, string | number>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const list = await fetch(`${t.emu.url}/integration/v1/query/`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(list.status).toBe(200);
    expect(t.emu.requests.at(-1)?.userId).toBe(t.alice.id);

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
    t.emu.addOAuthClient({ clientId: 'public-app', redirectUris: [redirectUri] });
    const { verifier, challenge } = pkce();
    const res = await t.call(
      authorizeUrl({
        client_id: 'public-app',
        code_challenge: challenge,
        emulator_user_id: String(t.bob.id),
      }),
    );
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const token = await t.call('/oauth/v1/token/', {
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
    const code = await codeFor(t.alice.id, challenge);
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
    const after = await fetch(`${t.emu.url}/integration/v1/query/`, {
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
    const loggedOut = await t.call(authorizeUrl({ code_challenge: challenge }));
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.get('location')).toMatch(
      /^\/login\/\?next=%2Foauth%2Fv1%2Fauthorize%2F/,
    );
    t.emu.setBrowserUser(t.bob.id);
    const loggedIn = await t.call(authorizeUrl({ code_challenge: challenge }));
    const code = new URL(loggedIn.headers.get('location') ?? '').searchParams.get('code') ?? '';
    expect(t.emu.state.oauthCodes.get(code)?.userId).toBe(t.bob.id);
  });

  it('never redirects to an unregistered redirect_uri; other errors go back to the client', async () => {
    const { challenge } = pkce();
    const bad = await t.call(
      authorizeUrl({ code_challenge: challenge, redirect_uri: 'https://evil.example.com/' }),
    );
    expect(await expectJson(bad, 400)).toMatchObject({ error: 'invalid_request' });
    const plain = await t.call(
      authorizeUrl({
        code_challenge: challenge,
        code_challenge_method: 'plain',
        emulator_user_id: '2',
      }),
    );
    const location = new URL(plain.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    const denied = await t.call(
      authorizeUrl({ code_challenge: challenge, emulator_user_id: '2', emulator_consent: 'deny' }),
    );
    expect(new URL(denied.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('treats an expired bearer token like an expired API token', async () => {
    const res = await aliceAuthorizes();
    const { access_token } = (await res.json()) as { access_token: string };
    t.emu.expireOAuthAccessToken(access_token);
    const after = await fetch(`${t.emu.url}/integration/v1/query/`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(after.status).toBe(401);
  });
});
