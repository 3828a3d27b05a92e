// The Web API endpoint, `/api/<method>`: decodes the call as Slack does (form, JSON or
// multipart; token from the header or, for form posts, the body), then dispatches it to the
// method families.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authMethods } from './auth.ts';
import { chatMethods } from './chat.ts';
import { conversationMethods } from './conversations.ts';
import { takeError, takeRateLimit } from './faults.ts';
import { fileMethods } from './files.ts';
import { authTestFor, identify, oauthV2Access } from './installs.ts';
import { takeRateTier } from './rate-limit.ts';
import { openConnection } from './socket-mode.ts';
import { type Method, record, type SlackEnv } from './state.ts';
import type { JsonObject } from './types.ts';
import { viewMethods } from './views.ts';
import {
  decodeJsonFields,
  fail,
  isObject,
  mediaType,
  parseMultipart,
  type Reply,
  readBody,
  sendJson,
  str,
} from './wire.ts';

const METHODS: Readonly<Record<string, Method>> = {
  ...authMethods,
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
  ...conversationMethods,
};

/**
 * One Web API call, answered in Slack's order: rate limit, body, method, token, then the
 * method's own answer (or an injected error in its place).
 */
export async function handleApi(
  env: SlackEnv,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
): Promise<void> {
  const raw = await readBody(req);
  const type = mediaType(req);
  const args: JsonObject = Object.fromEntries(url.searchParams);
  let bodyToken: string | undefined;
  let parseError: string | undefined;
  if (raw.length > 0) {
    if (type === 'application/json') {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (isObject(parsed)) Object.assign(args, parsed);
        else parseError = 'invalid_json';
      } catch {
        parseError = 'invalid_json';
      }
    } else if (type === 'multipart/form-data') {
      try {
        for (const [key, value] of await parseMultipart(req, raw)) {
          args[key] =
            typeof value === 'string'
              ? value
              : {
                  filename: value.name,
                  contentType: value.type,
                  bytes: Buffer.from(await value.arrayBuffer()),
                };
        }
      } catch {
        parseError = 'invalid_form_data';
      }
    } else if (
      type === 'application/x-www-form-urlencoded' ||
      type === '' ||
      type === 'text/plain'
    ) {
      for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = value;
    } else {
      parseError = 'invalid_post_type';
    }
    // Slack only honours a body token for form posts; JSON posts must use the header.
    if (type !== 'application/json') bodyToken = str(args.token);
  }
  decodeJsonFields(args);
  const header = req.headers.authorization;
  const headerToken = header?.startsWith('Bearer ')
    ? header.slice('Bearer '.length).trim()
    : undefined;
  const token = headerToken || bodyToken || str(url.searchParams.get('token') ?? undefined);
  // Tokens are credentials; tests assert on `token`, not on a copy left in args.
  delete args.token;

  const reply =
    method === 'apps.connections.open' && !parseError
      ? openConnection(env, headerToken)
      : answer(env, req, method, args, token, parseError);
  // Which workspace (or org) the token belongs to, so tests can tell whose token a call used.
  const who = identify(env, token);
  const scope =
    who && who !== 'expired'
      ? {
          ...(who.teamId ? { teamId: who.teamId } : {}),
          ...(who.enterpriseId ? { enterpriseId: who.enterpriseId } : {}),
        }
      : {};
  // Recorded before answering so a test that awaited the client call always sees it.
  record(env, {
    method,
    args,
    token,
    ...scope,
    at: Date.now(),
    status: reply.status,
    response: reply.body,
  });
  sendJson(res, reply);
}

function answer(
  env: SlackEnv,
  req: IncomingMessage,
  method: string,
  args: JsonObject,
  token: string | undefined,
  parseError: string | undefined,
): Reply {
  const limit = takeRateLimit(env, method);
  if (limit) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(limit.retryAfter) },
    };
  }
  const tier = takeRateTier(env, method, str(args.channel) ?? str(args.channel_id));
  if (tier) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(tier.retryAfter) },
    };
  }
  if (parseError) return fail(parseError);
  // The app's client id and secret, not a token (installs.ts).
  if (method === 'oauth.v2.access') {
    const injected = takeError(env, method);
    return injected ? fail(injected.error) : oauthV2Access(env, req, args);
  }
  const handler = METHODS[method];
  if (!handler) return fail('unknown_method');
  if (!token) return fail('not_authed');
  const who = identify(env, token);
  if (who === 'expired') return fail('token_expired');
  if (!who) return fail('invalid_auth');
  const injected = takeError(env, method);
  if (injected) return fail(injected.error);
  if (method === 'auth.test' && token !== env.botToken) return authTestFor(who, env);
  return handler(env, args);
}
