/**
 * In-process emulator of the parts of Slack the app talks to: the Web API (as `@slack/web-api`'s
 * WebClient calls it), the external file-upload URLs and `response_url`s. Answers are shaped like
 * Slack's documented responses so the app's real client code runs unmodified against it; every
 * request is recorded so tests can assert on what the app did after it acked.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './slack/api.ts';
import { addFault, clearFaults } from './slack/faults.ts';
import { handlePrivateFile, handleUpload } from './slack/files.ts';
import { authorizeInstall, revokeInstall } from './slack/installs.ts';
import { setRateTier } from './slack/rate-limit.ts';
import { handleResponseUrl, mintResponseUrl } from './slack/response-urls.ts';
import { createSocketModeHub } from './slack/socket-mode.ts';
import { createEnv, createState, dmChannel, type SlackEnv, triggerId } from './slack/state.ts';
import {
  SLACK_DEFAULTS,
  type SlackCall,
  type SlackEmulator,
  type SlackEmulatorOptions,
  type WaitForOptions,
} from './slack/types.ts';
import { closeViews, viewStack } from './slack/views.ts';
import { waitFor, waitUntil } from './slack/waits.ts';

// The Web API families live in ./slack/: api.ts decodes a call and dispatches it to auth.ts,
// chat.ts, views.ts, files.ts and conversations.ts; response-urls.ts, faults.ts and waits.ts
// hold the rest. This file serves them and hands tests one object.
export type { FaultHandle, SlackFaultSpec } from './faults.ts';
export type {
  SendOptions,
  SocketConnection,
  SocketEnvelope,
  SocketModeEmulator,
} from './slack/socket-mode.ts';
export * from './slack/types.ts';

function seed(env: SlackEnv, opts: SlackEmulatorOptions): void {
  if (opts.seedDefaults !== false) {
    env.users.set(SLACK_DEFAULTS.userId, {
      id: SLACK_DEFAULTS.userId,
      name: SLACK_DEFAULTS.userName,
      real_name: SLACK_DEFAULTS.userRealName,
      display_name: SLACK_DEFAULTS.userName,
      tz: SLACK_DEFAULTS.userTz,
      tz_label: SLACK_DEFAULTS.userTzLabel,
      tz_offset: SLACK_DEFAULTS.userTzOffset,
      email: `${SLACK_DEFAULTS.userName}@example.com`,
    });
    env.channels.set(SLACK_DEFAULTS.channelId, {
      id: SLACK_DEFAULTS.channelId,
      name: SLACK_DEFAULTS.channelName,
    });
  }
  for (const u of opts.users ?? []) env.users.set(u.id, u);
  for (const c of opts.channels ?? []) env.channels.set(c.id, c);
}

export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const env = createEnv(opts);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const route = async (): Promise<void> => {
      let match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
      if (match?.[1] && (req.method === 'POST' || req.method === 'GET'))
        return handleApi(env, req, res, match[1], url);
      match = /^\/upload\/v1\/([A-Za-z0-9_-]+)$/.exec(path);
      if (match?.[1] && req.method === 'POST') return handleUpload(env, req, res, match[1]);
      match = /^\/response\/([A-Za-z0-9_-]+)$/.exec(path);
      if (match?.[1] && req.method === 'POST') return handleResponseUrl(env, req, res, match[1]);
      match = /^\/files-pri\/([A-Z0-9]+)\//.exec(path);
      if (match?.[1] && req.method === 'GET') return handlePrivateFile(env, res, req, match[1]);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    route().catch((error: unknown) => {
      // A bug in the emulator must surface in the test, not hang the app's request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  // Socket Mode links are WebSocket upgrades of the same server (see slack/socket-mode.ts).
  const socket = createSocketModeHub(env);
  server.on('upgrade', socket.upgrade);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  env.baseUrl = baseUrl;
  seed(env, opts);

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken: env.botToken,
    appToken: env.appToken,
    socket,
    teamId: env.teamId,
    teamDomain: env.teamDomain,
    botUserId: env.botUserId,
    botId: env.botId,
    appId: env.appId,
    get calls() {
      return env.state.calls;
    },
    get uploads() {
      return env.state.uploads;
    },
    get views() {
      return env.state.views;
    },
    get responses() {
      return env.state.responses;
    },
    get ephemerals() {
      return env.state.ephemerals;
    },
    callsTo: (method) => env.state.calls.filter((c) => c.method === method),
    messages: (channel) =>
      env.state.messages.filter(
        (m) => !m.deleted && (channel === undefined || m.channel === channel),
      ),
    message: (channel, ts) => env.state.messages.find((m) => m.channel === channel && m.ts === ts),
    thread: (channel, ts) =>
      env.state.messages.filter(
        (m) => !m.deleted && m.channel === channel && m.thread_ts === ts && m.ts !== ts,
      ),
    viewStack: (rootViewId) => viewStack(env, rootViewId),
    closeViews: (rootViewId) => closeViews(env, rootViewId),
    dmChannel: (userId) => dmChannel(env, userId),
    addUser: (user) => {
      env.users.set(user.id, user);
    },
    addChannel: (channel) => {
      env.channels.set(channel.id, channel);
    },
    triggerId: () => triggerId(env),
    installs: env.installs,
    authorizeInstall: (grant) => authorizeInstall(env, grant),
    revokeInstall: (where) => revokeInstall(env, where),
    responseUrl: () => mintResponseUrl(env),
    responsesTo: (url) => env.state.responses.filter((r) => r.url === url),
    fault: (spec) => addFault(env, spec),
    clearFaults: () => clearFaults(env),
    rateLimit: (spec) => setRateTier(env, spec),
    waitFor: (target: string | ((call: SlackCall) => boolean), waitOpts?: WaitForOptions) =>
      waitFor(env, target, waitOpts),
    waitUntil: (probe, waitOpts) => waitUntil(env, probe, waitOpts),
    reset: () => {
      env.state = createState();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.closeAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from WebClient/fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
