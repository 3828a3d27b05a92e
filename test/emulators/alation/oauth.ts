// OAuth 2.0 authorization code + PKCE (RFC 6749, RFC 7636) as cloud-native Alation offers it.
// The browser leg is driven by tests calling /oauth/v1/authorize/ directly; who is "logged in"
// comes from knobs.browserUserId or the test-only `emulator_user_id` query parameter.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingCall, Reply } from '../faults.ts';
import { json, redirect } from '../faults.ts';
import type { AlationEnv, OAuthClient, OAuthTokenRecord } from './state.ts';
import type { Route } from './wire.ts';
import { bodyRejection, toInt } from './wire.ts';

export interface OAuthClientSeed {
  clientId?: string;
  /** Omit (or null) for a public client that authenticates with PKCE alone. */
  clientSecret?: string | null;
  redirectUris: string[];
}

// Assumption: codes live 10 minutes (the RFC's recommended maximum).
const CODE_TTL_MS = 10 * 60 * 1000;
const newSecret = () => randomBytes(24).toString('base64url');

export function addOAuthClient(env: AlationEnv, seed: OAuthClientSeed): OAuthClient {
  const client: OAuthClient = {
    clientId: seed.clientId ?? `client-${newSecret().slice(0, 8)}`,
    clientSecret: seed.clientSecret ?? null,
    redirectUris: seed.redirectUris,
  };
  env.state.oauthClients.set(client.clientId, client);
  return client;
}

function oauthError(status: number, error: string, description?: string): Reply {
  const body = description ? { error, error_description: description } : { error };
  return json(status, body, { 'cache-control': 'no-store' });
}

function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** The user whose (pretend) browser session is making the authorize request. */
export function browserUserOf(env: AlationEnv, query: URLSearchParams): number | null {
  const explicit = query.has('emulator_user_id') ? toInt(query.get('emulator_user_id')) : null;
  const userId = explicit ?? env.knobs.browserUserId;
  return userId !== null && env.state.users.has(userId) ? userId : null;
}

export function loginRedirect(call: IncomingCall): Reply {
  const target = `${call.path}${call.query.size > 0 ? `?${call.query}` : ''}`;
  return redirect(`/login/?next=${encodeURIComponent(target)}`);
}

function authorize(env: AlationEnv, call: IncomingCall): Reply {
  const q = call.query;
  const client = env.state.oauthClients.get(q.get('client_id') ?? '');
  if (!client) return oauthError(400, 'invalid_client', 'Unknown client_id.');
  const redirectUri = q.get('redirect_uri') ?? client.redirectUris[0] ?? '';
  // Never redirect to an unregistered URI (RFC 6749 §4.1.2.1): answer the browser directly.
  if (!client.redirectUris.includes(redirectUri)) {
    return oauthError(400, 'invalid_request', 'Mismatching redirect URI.');
  }
  const back = (params: Record<string, string>) =>
    redirect(withParams(redirectUri, { ...params, state: q.get('state') }));
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const challenge = q.get('code_challenge');
  // Assumption: PKCE is mandatory and only S256 is accepted.
  if (!challenge)
    return back({ error: 'invalid_request', error_description: 'Code challenge required.' });
  if (q.get('code_challenge_method') !== 'S256') {
    return back({
      error: 'invalid_request',
      error_description: 'Transform algorithm not supported.',
    });
  }
  const userId = browserUserOf(env, q);
  if (userId === null) return loginRedirect(call);
  if (q.get('emulator_consent') === 'deny') return back({ error: 'access_denied' });
  const code = newSecret();
  env.state.oauthCodes.set(code, {
    code,
    clientId: client.clientId,
    userId,
    redirectUri,
    codeChallenge: challenge,
    scope: q.get('scope') ?? 'openid',
    expiresAt: new Date(env.clock.now().getTime() + CODE_TTL_MS),
    used: false,
  });
  return back({ code });
}

/** client_secret_basic or client_secret_post; public clients only name themselves. */
function authenticateClient(env: AlationEnv, call: IncomingCall): OAuthClient | Reply {
  const fields = call.fields ?? {};
  const basic = call.headers.authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
  let clientId = typeof fields.client_id === 'string' ? fields.client_id : '';
  let secret = typeof fields.client_secret === 'string' ? fields.client_secret : null;
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const client = env.state.oauthClients.get(clientId);
  const secretOk = client && (client.clientSecret === null || client.clientSecret === secret);
  if (!client || !secretOk)
    return oauthError(401, 'invalid_client', 'Client authentication failed.');
  return client;
}

function issueTokens(
  env: AlationEnv,
  client: OAuthClient,
  userId: number,
  scope: string,
  sourceCode: string,
): Reply {
  const now = env.clock.now().getTime();
  const record: OAuthTokenRecord = {
    accessToken: newSecret(),
    refreshToken: newSecret(),
    clientId: client.clientId,
    userId,
    scope,
    accessExpiresAt: new Date(now + env.knobs.oauthAccessTtlSeconds * 1000),
    refreshExpiresAt: new Date(now + env.knobs.oauthRefreshTtlSeconds * 1000),
    revoked: false,
    sourceCode,
  };
  env.state.oauthTokens.push(record);
  return json(
    200,
    {
      access_token: record.accessToken,
      token_type: 'Bearer',
      expires_in: env.knobs.oauthAccessTtlSeconds,
      refresh_token: record.refreshToken,
      scope,
    },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function exchangeCode(
  env: AlationEnv,
  client: OAuthClient,
  fields: Record<string, unknown>,
): Reply {
  const record = env.state.oauthCodes.get(String(fields.code ?? ''));
  if (!record || record.clientId !== client.clientId || record.expiresAt <= env.clock.now()) {
    return oauthError(400, 'invalid_grant', 'Invalid code.');
  }
  if (record.used) {
    // A replayed code means it leaked: kill everything it produced (RFC 6749 §4.1.2).
    for (const t of env.state.oauthTokens) if (t.sourceCode === record.code) t.revoked = true;
    return oauthError(400, 'invalid_grant', 'Invalid code.');
  }
  if (fields.redirect_uri !== record.redirectUri) {
    return oauthError(400, 'invalid_grant', 'Mismatching redirect URI.');
  }
  const verifier = typeof fields.code_verifier === 'string' ? fields.code_verifier : '';
  if (!verifier) return oauthError(400, 'invalid_request', 'Code verifier required.');
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || s256(verifier) !== record.codeChallenge) {
    return oauthError(400, 'invalid_grant', 'Code verifier does not match the challenge.');
  }
  record.used = true;
  return issueTokens(env, client, record.userId, record.scope, record.code);
}

function refreshGrant(
  env: AlationEnv,
  client: OAuthClient,
  fields: Record<string, unknown>,
): Reply {
  const old = env.state.oauthTokens.find((t) => t.refreshToken === fields.refresh_token);
  if (
    !old ||
    old.revoked ||
    old.clientId !== client.clientId ||
    old.refreshExpiresAt <= env.clock.now()
  ) {
    return oauthError(400, 'invalid_grant', 'Invalid refresh token.');
  }
  // Assumption: refresh tokens rotate; the old pair stops working once used.
  old.revoked = true;
  return issueTokens(env, client, old.userId, old.scope, old.sourceCode);
}

function token(env: AlationEnv, call: IncomingCall): Reply {
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  const client = authenticateClient(env, call);
  if ('status' in client) return client;
  const fields = call.fields ?? {};
  if (fields.grant_type === 'authorization_code') return exchangeCode(env, client, fields);
  if (fields.grant_type === 'refresh_token') return refreshGrant(env, client, fields);
  if (fields.grant_type === undefined)
    return oauthError(400, 'invalid_request', 'Missing grant type.');
  return oauthError(400, 'unsupported_grant_type');
}

export const oauthRoutes: Route[] = [
  { method: 'GET', pattern: /^\/oauth\/v1\/authorize\/$/, handle: authorize },
  { method: 'POST', pattern: /^\/oauth\/v1\/token\/$/, handle: token },
];

export function expireOAuthAccessToken(env: AlationEnv, accessToken: string): void {
  const record = env.state.oauthTokens.find((t) => t.accessToken === accessToken);
  if (!record) throw new Error('emulator: unknown OAuth access token');
  record.accessExpiresAt = new Date(env.clock.now().getTime() - 1);
}

export function expireOAuthRefreshToken(env: AlationEnv, refreshToken: string): void {
  const record = env.state.oauthTokens.find((t) => t.refreshToken === refreshToken);
  if (!record) throw new Error('emulator: unknown OAuth refresh token');
  record.refreshExpiresAt = new Date(env.clock.now().getTime() - 1);
}
