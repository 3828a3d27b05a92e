// Users, refresh/API-access tokens and the TOKEN-header check every data endpoint performs.
import { randomBytes } from 'node:crypto';
import type { IncomingCall, Reply } from '../faults.ts';
import { json } from '../faults.ts';
import type {
  AccessTokenRecord,
  AlationEnv,
  AlationUser,
  RefreshTokenRecord,
  TokenEndpoint,
} from './state.ts';
import { nextId } from './state.ts';
import type { Route, UserHandler } from './wire.ts';
import { bodyRejection, fieldErrors, isBlank, isoMicro, required, toInt } from './wire.ts';

export interface UserSeed {
  id?: number;
  name?: string;
  username?: string;
  email?: string;
  isAdmin?: boolean;
  canEditFlags?: boolean;
  /** Use this refresh token instead of a random one. */
  refreshToken?: string;
  refreshTokenExpiresAt?: Date;
}

export interface SeededUser {
  user: AlationUser;
  id: number;
  refreshToken: string;
}

/** Which documented error bodies an API family uses for a missing or bad token. */
export type AuthFamily = 'query' | 'flag' | 'job' | 'generic';

type Identity =
  | { kind: 'user'; user: AlationUser }
  | { kind: 'missing' }
  | { kind: 'invalid' }
  | { kind: 'expired' };

const newToken = () => randomBytes(24).toString('base64url');

const REFRESH_INVALID = { detail: 'Refresh token provided is invalid.', code: '401000' };
const ACCESS_INVALID = { detail: 'API Access Token provided is invalid.', code: '401000' };
const README_403 = { detail: 'Authentication credentials were not provided.', code: '403000' };

// The queries, flags and jobs pages each document different bodies (jobs even says 401);
// table sync and otype document none, so they use README's 403000 body.
const FAMILY_ERRORS: Record<AuthFamily, { status: number; missing: object; invalid: object }> = {
  query: {
    status: 403,
    missing: { detail: 'Missing API token.' },
    invalid: { detail: 'Invalid API token.' },
  },
  flag: {
    status: 403,
    missing: { detail: 'Missing API token.' },
    invalid: { detail: 'Authentication failed' },
  },
  job: {
    status: 401,
    missing: { detail: 'Authentication credentials were not provided.' },
    invalid: { detail: 'Authentication failed' },
  },
  generic: { status: 403, missing: README_403, invalid: README_403 },
};

export function addUser(env: AlationEnv, seed: UserSeed = {}): SeededUser {
  const id = nextId(env.state, 'user', seed.id);
  const username = seed.username ?? seed.email ?? `user${id}@example.com`;
  const user: AlationUser = {
    id,
    username,
    email: seed.email ?? (username.includes('@') ? username : `${username}@example.com`),
    displayName: seed.name ?? `User ${id}`,
    isAdmin: seed.isAdmin ?? false,
    canEditFlags: seed.canEditFlags ?? true,
  };
  env.state.users.set(id, user);
  const now = env.clock.now();
  const refresh: RefreshTokenRecord = {
    id: nextId(env.state, 'refreshToken'),
    token: seed.refreshToken ?? newToken(),
    userId: id,
    name: 'slack-bot',
    createdAt: now,
    expiresAt:
      seed.refreshTokenExpiresAt ??
      new Date(now.getTime() + env.knobs.refreshTokenTtlSeconds * 1000),
    lastUsedAt: null,
    revoked: false,
  };
  env.state.refreshTokens.set(refresh.token, refresh);
  return { user, id, refreshToken: refresh.token };
}

export function requireUser(env: AlationEnv, userId: number): AlationUser {
  const user = env.state.users.get(userId);
  if (!user) throw new Error(`emulator: no user ${userId}; seed it with addUser first`);
  return user;
}

function refreshTokenOf(env: AlationEnv, userId: number): RefreshTokenRecord | undefined {
  return [...env.state.refreshTokens.values()].find((r) => r.userId === userId && !r.revoked);
}

export function issueAccessToken(
  env: AlationEnv,
  userId: number,
  refresh: RefreshTokenRecord | undefined,
  expiresAt?: Date,
): AccessTokenRecord {
  const createdAt = env.clock.now();
  const record: AccessTokenRecord = {
    token: newToken(),
    userId,
    refreshTokenId: refresh?.id ?? null,
    createdAt,
    expiresAt: expiresAt ?? new Date(createdAt.getTime() + env.knobs.accessTokenTtlSeconds * 1000),
    revoked: false,
  };
  env.state.accessTokens.set(record.token, record);
  return record;
}

/** Test shortcut: an API access token for the user without going through the API. */
export function mintAccessToken(env: AlationEnv, userId: number, opts: { expiresAt?: Date } = {}) {
  requireUser(env, userId);
  return issueAccessToken(env, userId, refreshTokenOf(env, userId), opts.expiresAt).token;
}

function lookupBearer(env: AlationEnv, header: string | undefined): Identity | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match) return null;
  const record = env.state.oauthTokens.find((t) => t.accessToken === match[1] && !t.revoked);
  if (!record) return { kind: 'invalid' };
  if (record.accessExpiresAt <= env.clock.now()) return { kind: 'expired' };
  const user = env.state.users.get(record.userId);
  return user ? { kind: 'user', user } : { kind: 'invalid' };
}

function identifyCall(env: AlationEnv, call: IncomingCall): Identity {
  const raw = call.headers.token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token) return lookupBearer(env, call.headers.authorization) ?? { kind: 'missing' };
  const record = env.state.accessTokens.get(token.trim());
  if (!record || record.revoked) return { kind: 'invalid' };
  if (record.expiresAt <= env.clock.now()) return { kind: 'expired' };
  const user = env.state.users.get(record.userId);
  return user ? { kind: 'user', user } : { kind: 'invalid' };
}

/** For the request log: the user a request authenticates as, or null. */
export function identifyUserId(env: AlationEnv, call: IncomingCall): number | null {
  const identity = identifyCall(env, call);
  return identity.kind === 'user' ? identity.user.id : null;
}

function authFailure(env: AlationEnv, family: AuthFamily, kind: Identity['kind']): Reply {
  const errors = FAMILY_ERRORS[env.knobs.authErrorStyle === 'uniform' ? 'generic' : family];
  if (kind === 'expired') {
    return env.knobs.expiredTokenStatus === 401
      ? json(401, ACCESS_INVALID)
      : json(403, errors.invalid);
  }
  return json(errors.status, kind === 'missing' ? errors.missing : errors.invalid);
}

/** Wraps a handler so it only runs for an authenticated user, acting as that user. */
export function authed(family: AuthFamily, handler: UserHandler): Route['handle'] {
  return (env, call, params) => {
    const identity = identifyCall(env, call);
    if (identity.kind !== 'user') return authFailure(env, family, identity.kind);
    return handler(env, call, identity.user, params);
  };
}

function statusFailed(env: AlationEnv, endpoint: TokenEndpoint): Reply | null {
  if (!env.knobs.statusFailedOn.includes(endpoint)) return null;
  // Assumption: the failure body carries a human-readable reason next to "status".
  return json(200, { status: 'failed', detail: `${endpoint} failed. Please try again.` });
}

type TokenFields = { token: string; userId: number };

/** Common validation of the {<token field>, user_id} bodies of the token endpoints. */
function readTokenFields(call: IncomingCall, tokenField: string): TokenFields | Reply {
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  const fields = call.fields ?? {};
  if (isBlank(fields[tokenField])) return required(tokenField);
  if (isBlank(fields.user_id)) return required('user_id');
  const userId = toInt(fields.user_id);
  if (userId === null) return fieldErrors({ user_id: ['A valid integer is required.'] });
  return { token: String(fields[tokenField]), userId };
}

function findRefresh(env: AlationEnv, f: TokenFields): RefreshTokenRecord | null {
  const record = env.state.refreshTokens.get(f.token);
  return record && record.userId === f.userId && !record.revoked ? record : null;
}

const tokenStatus = (env: AlationEnv, expiresAt: Date) =>
  expiresAt <= env.clock.now() ? 'EXPIRED' : 'ACTIVE';

function accessTokenBody(env: AlationEnv, record: AccessTokenRecord) {
  return {
    api_access_token: record.token,
    user_id: record.userId,
    created_at: isoMicro(record.createdAt),
    token_expires_at: isoMicro(record.expiresAt),
    token_status: tokenStatus(env, record.expiresAt),
  };
}

function createAccessToken(env: AlationEnv, call: IncomingCall): Reply {
  const f = readTokenFields(call, 'refresh_token');
  if ('status' in f) return f;
  const failed = statusFailed(env, 'createAPIAccessToken');
  if (failed) return failed;
  const refresh = findRefresh(env, f);
  if (!refresh || refresh.expiresAt <= env.clock.now()) return json(401, REFRESH_INVALID);
  refresh.lastUsedAt = env.clock.now();
  return json(201, accessTokenBody(env, issueAccessToken(env, f.userId, refresh)));
}

function validateRefreshToken(env: AlationEnv, call: IncomingCall): Reply {
  const f = readTokenFields(call, 'refresh_token');
  if ('status' in f) return f;
  const failed = statusFailed(env, 'validateRefreshToken');
  if (failed) return failed;
  const refresh = findRefresh(env, f);
  if (!refresh) return json(401, REFRESH_INVALID);
  // An expired refresh token still validates with 200; only token_status says EXPIRED.
  return json(200, {
    refresh_token: refresh.token,
    user_id: refresh.userId,
    name: refresh.name,
    created_at: isoMicro(refresh.createdAt),
    token_expires_at: isoMicro(refresh.expiresAt),
    token_status: tokenStatus(env, refresh.expiresAt),
    last_used_at: refresh.lastUsedAt ? isoMicro(refresh.lastUsedAt) : null,
  });
}

function validateAccessToken(env: AlationEnv, call: IncomingCall): Reply {
  const f = readTokenFields(call, 'api_access_token');
  if ('status' in f) return f;
  const failed = statusFailed(env, 'validateAPIAccessToken');
  if (failed) return failed;
  const record = env.state.accessTokens.get(f.token);
  if (!record || record.userId !== f.userId || record.revoked) return json(401, ACCESS_INVALID);
  return json(200, accessTokenBody(env, record));
}

function revokeAccessTokens(env: AlationEnv, call: IncomingCall): Reply {
  const f = readTokenFields(call, 'refresh_token');
  if ('status' in f) return f;
  const failed = statusFailed(env, 'revokeAPIAccessTokens');
  if (failed) return failed;
  const refresh = findRefresh(env, f);
  if (!refresh) return json(401, REFRESH_INVALID);
  for (const record of env.state.accessTokens.values()) {
    if (record.refreshTokenId === refresh.id) record.revoked = true;
  }
  return json(200, {
    detail: `Revoked active access tokens for refresh token: '${refresh.token}' with id: ${refresh.userId}`,
  });
}

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/integration\/v1\/createAPIAccessToken\/$/,
    handle: createAccessToken,
  },
  {
    method: 'POST',
    pattern: /^\/integration\/v1\/validateRefreshToken\/$/,
    handle: validateRefreshToken,
  },
  {
    method: 'POST',
    pattern: /^\/integration\/v1\/validateAPIAccessToken\/$/,
    handle: validateAccessToken,
  },
  {
    method: 'POST',
    pattern: /^\/integration\/v1\/revokeAPIAccessTokens\/$/,
    handle: revokeAccessTokens,
  },
];

/** Test controls over token lifetimes. */
export function expireAccessToken(env: AlationEnv, token: string): void {
  const record = env.state.accessTokens.get(token);
  if (!record) throw new Error('emulator: unknown access token');
  record.expiresAt = new Date(env.clock.now().getTime() - 1);
}

export function expireRefreshToken(env: AlationEnv, userId: number): void {
  for (const record of env.state.refreshTokens.values()) {
    if (record.userId === userId) record.expiresAt = new Date(env.clock.now().getTime() - 1);
  }
}

export function revokeRefreshToken(env: AlationEnv, userId: number): void {
  for (const record of env.state.refreshTokens.values()) {
    if (record.userId === userId) record.revoked = true;
  }
}
