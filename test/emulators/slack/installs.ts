// Installations of the app in several workspaces (and Enterprise Grid orgs): the authorization
// codes Slack's "Allow" page hands out, `oauth.v2.access` (code exchange and, with token
// rotation, refresh_token grants) and the identity behind every bot token, so each Web API call
// is answered (auth.test) and recorded as the workspace whose token it carried.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SlackEnv } from './state.ts';
import type { JsonObject } from './types.ts';
import { fail, ok, type Reply, str } from './wire.ts';

export interface InstallIdentity {
  token: string;
  /** Undefined for an org-wide install's token: it serves every workspace of the org. */
  teamId: string | undefined;
  teamName: string | undefined;
  enterpriseId: string | undefined;
  enterpriseName: string | undefined;
  isEnterpriseInstall: boolean;
  botUserId: string;
  botId: string;
  /** Rotating tokens only: when it stops working (ms), and the one refresh token that renews it. */
  expiresAt: number | undefined;
  revoked: boolean;
}

export interface InstallGrant {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide install by an org admin (team is null in the response). */
  isEnterpriseInstall?: boolean;
  /** The installing user. */
  userId?: string;
  /** Token rotation on: the first bot token expires this many seconds after it is issued (refreshed ones after 12 hours). */
  rotation?: { expiresInSeconds: number };
}

export interface InstallRegistry {
  clientId: string;
  clientSecret: string;
  /** Bot token → who it is. */
  tokens: Map<string, InstallIdentity>;
  /** One-time authorization codes → what they grant. */
  codes: Map<string, InstallGrant>;
  /** Refresh token → the bot token it renews (used once, then gone). */
  refreshTokens: Map<string, { token: string; expiresInSeconds: number }>;
  /** Refresh grants answered, in order (tests count them). */
  refreshes: { refreshToken: string; ok: boolean }[];
}

export function createInstallRegistry(opts: { clientId?: string; clientSecret?: string }) {
  return {
    clientId: opts.clientId ?? 'emulated-client-id',
    clientSecret: opts.clientSecret ?? 'emulated-client-secret',
    tokens: new Map(),
    codes: new Map(),
    refreshTokens: new Map(),
    refreshes: [],
  } satisfies InstallRegistry;
}

/** How long a refreshed token lasts (Slack: 12 hours). */
export const ROTATED_TOKEN_SECONDS = 43_200;

const random = (n = 12) => randomBytes(n).toString('hex');

/** What Slack's "Allow" page does: a one-time code for the redirect to carry. */
export function authorizeInstall(env: SlackEnv, grant: InstallGrant): string {
  const code = `${Date.now()}.${random(8)}`;
  env.installs.codes.set(code, grant);
  return code;
}

/** Who a token is: the default workspace's bot, an installation's bot, or nobody. */
export function identify(
  env: SlackEnv,
  token: string | undefined,
): InstallIdentity | 'expired' | undefined {
  if (!token) return undefined;
  if (token === env.botToken) {
    return {
      token,
      teamId: env.teamId,
      teamName: env.teamName,
      enterpriseId: undefined,
      enterpriseName: undefined,
      isEnterpriseInstall: false,
      botUserId: env.botUserId,
      botId: env.botId,
      expiresAt: undefined,
      revoked: false,
    };
  }
  const who = env.installs.tokens.get(token);
  if (!who || who.revoked) return undefined;
  if (who.expiresAt !== undefined && who.expiresAt <= Date.now()) return 'expired';
  return who;
}

/** Revokes every token of a workspace or org (an uninstall); returns how many. */
export function revokeInstall(env: SlackEnv, where: { teamId?: string; enterpriseId?: string }) {
  let revoked = 0;
  for (const who of env.installs.tokens.values()) {
    const match = where.teamId
      ? who.teamId === where.teamId
      : who.enterpriseId === where.enterpriseId && who.isEnterpriseInstall;
    if (match && !who.revoked) {
      who.revoked = true;
      revoked += 1;
    }
  }
  return revoked;
}

/** Client id and secret from HTTP Basic (Slack's preference) or form fields (what WebClient sends). */
function clientOf(req: IncomingMessage, args: JsonObject) {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return { id, secret };
  }
  return { id: str(args.client_id), secret: str(args.client_secret) };
}

function mint(env: SlackEnv, grant: InstallGrant, botUserId: string, botId: string) {
  const rotating = grant.rotation !== undefined;
  const token = `${rotating ? 'xoxe.' : ''}xoxb-${random(4)}-${random()}`;
  const expiresIn = grant.rotation?.expiresInSeconds;
  const identity: InstallIdentity = {
    token,
    teamId: grant.isEnterpriseInstall ? undefined : grant.teamId,
    teamName: grant.isEnterpriseInstall ? undefined : grant.teamName,
    enterpriseId: grant.enterpriseId,
    enterpriseName: grant.enterpriseName,
    isEnterpriseInstall: grant.isEnterpriseInstall === true,
    botUserId,
    botId,
    expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
    revoked: false,
  };
  env.installs.tokens.set(token, identity);
  const rotation: JsonObject = {};
  if (expiresIn !== undefined) {
    const refreshToken = `xoxe-1-${random(16)}`;
    env.installs.refreshTokens.set(refreshToken, { token, expiresInSeconds: expiresIn });
    Object.assign(rotation, { refresh_token: refreshToken, expires_in: expiresIn });
  }
  return { identity, rotation };
}

const teamOf = (who: InstallIdentity) =>
  who.isEnterpriseInstall || !who.teamId ? null : { id: who.teamId, name: who.teamName ?? '' };
const enterpriseOf = (who: InstallIdentity) =>
  who.enterpriseId ? { id: who.enterpriseId, name: who.enterpriseName ?? '' } : null;

/** `oauth.v2.access`: no token, the app's client id and secret instead. */
export function oauthV2Access(env: SlackEnv, req: IncomingMessage, args: JsonObject): Reply {
  const client = clientOf(req, args);
  if (client.id !== env.installs.clientId) return fail('invalid_client_id');
  if (client.secret !== env.installs.clientSecret) return fail('bad_client_secret');
  const grantType = str(args.grant_type) ?? 'authorization_code';
  if (grantType === 'refresh_token') {
    const refreshToken = str(args.refresh_token) ?? '';
    const renews = env.installs.refreshTokens.get(refreshToken);
    const old = renews ? env.installs.tokens.get(renews.token) : undefined;
    env.installs.refreshes.push({ refreshToken, ok: Boolean(old && !old.revoked) });
    if (!renews || !old || old.revoked) return fail('invalid_refresh_token');
    // A refresh token works once (Slack revokes it when it is used).
    env.installs.refreshTokens.delete(refreshToken);
    const { identity, rotation } = mint(
      env,
      {
        ...(old.teamId ? { teamId: old.teamId } : {}),
        ...(old.teamName ? { teamName: old.teamName } : {}),
        ...(old.enterpriseId ? { enterpriseId: old.enterpriseId } : {}),
        ...(old.enterpriseName ? { enterpriseName: old.enterpriseName } : {}),
        isEnterpriseInstall: old.isEnterpriseInstall,
        // Slack's rotating tokens last 12 hours, whatever the first one was given here.
        rotation: { expiresInSeconds: ROTATED_TOKEN_SECONDS },
      },
      old.botUserId,
      old.botId,
    );
    return ok({
      app_id: env.appId,
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: identity.token,
      bot_user_id: identity.botUserId,
      team: teamOf(identity),
      enterprise: enterpriseOf(identity),
      is_enterprise_install: identity.isEnterpriseInstall,
      ...rotation,
    });
  }
  if (grantType !== 'authorization_code') return fail('invalid_grant_type');
  const code = str(args.code) ?? '';
  const grant = env.installs.codes.get(code);
  if (!grant) return fail('invalid_code');
  env.installs.codes.delete(code);
  const n = env.installs.tokens.size + 2;
  const { identity, rotation } = mint(
    env,
    grant,
    `U0BOT${String(n).padStart(5, '0')}`,
    `B0BOT${String(n).padStart(5, '0')}`,
  );
  return ok({
    app_id: env.appId,
    token_type: 'bot',
    access_token: identity.token,
    scope:
      'commands,chat:write,files:write,users:read,im:write,channels:read,groups:read,links:read,links:write',
    bot_user_id: identity.botUserId,
    team: teamOf(identity),
    enterprise: enterpriseOf(identity),
    is_enterprise_install: identity.isEnterpriseInstall,
    authed_user: { id: grant.userId ?? 'U0INSTALL1' },
    ...rotation,
  });
}

/** auth.test as the token's own bot. */
export function authTestFor(who: InstallIdentity, env: SlackEnv): Reply {
  const domain = who.teamId ?? who.enterpriseId ?? env.teamDomain;
  return ok({
    url: `https://${domain.toLowerCase()}.slack.com/`,
    team: who.teamName ?? who.enterpriseName ?? '',
    user: env.botName,
    team_id: who.teamId ?? '',
    user_id: who.botUserId,
    bot_id: who.botId,
    ...(who.enterpriseId ? { enterprise_id: who.enterpriseId } : {}),
    is_enterprise_install: who.isEnterpriseInstall,
  });
}
