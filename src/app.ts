import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { types } from 'node:util';
import {
  type AllMiddlewareArgs,
  type AnyMiddlewareArgs,
  App,
  HTTPReceiver,
  type Middleware,
  MultipleListenerError,
  matchConstraints,
  type Receiver,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import { allCommands, type Command, registerCommands } from './commands/index.ts';
import type { Config } from './config.ts';
import { registerEvents } from './events/index.ts';
import { registerLifecycleEvents } from './events/lifecycle.ts';
import type { Features } from './features.ts';
import { healthRoutes } from './http/health.ts';
import { oauthCallbackRoute } from './http/oauth-callback.ts';
import type { InFlight } from './inflight.ts';
import { boltLogger, type Logger } from './log.ts';
import { eventDedupeMiddleware } from './middleware/event-dedupe.ts';
import { requestContextMiddleware } from './middleware/request-context.ts';
import type { Readiness } from './readiness.ts';
import { installedClients, type SlackClients, singleTokenClients } from './slack/clients.ts';
import { BODY_LIMIT_BYTES, guardHttpReceiver, guardProcessEvent } from './slack/guard.ts';
import {
  BOT_SCOPES,
  boltInstallationStore,
  boltStateStore,
  callbackOptions,
  INSTALL_PATH,
  type InstallFlowDeps,
  REDIRECT_PATH,
} from './slack/install-flow.ts';
import { socketModeLogger } from './slack/socket-log.ts';
import { ackBeforeRecycling } from './slack/socket-recycle.ts';
import { createTokenRotation, type TokenRotation } from './slack/token-rotation.ts';
import { tenantOf } from './store/installations.ts';

const SLACK_EVENTS_PATH = '/slack/events';

export interface AppDeps {
  config: Pick<Config, 'slack' | 'port' | 'alationBaseUrl' | 'alationOAuth'> &
    Partial<Pick<Config, 'publicUrl'>>;
  log: Logger;
  readiness: Readiness;
  inFlight: InFlight;
  /** Storage-backed services; resolves once storage is up (handlers ack before awaiting it). */
  features: () => Promise<Features>;
  /** Subcommands; defaults to the full set. Tests and benchmarks add their own. */
  commands?: (defaults: Command[]) => Command[];
}

export interface BotApp {
  app: App;
  /** Slack clients for work without a request: the one token, or each workspace's installation. */
  clients: SlackClients;
  /**
   * Starts serving; resolves with the HTTP port (custom routes' port in Socket Mode). `host`
   * defaults to every interface; tests pass 127.0.0.1.
   */
  start(port?: number, host?: string): Promise<number>;
  /** Stops taking requests; what is already in flight keeps running (see InFlight). */
  stop(): Promise<void>;
}

/** Builds the Bolt app from its dependencies; nothing here reads the environment or globals. */
export function createApp(deps: AppDeps): BotApp {
  const { config, log } = deps;
  const logger = boltLogger(log);
  // The OAuth callback answers Slack users' browsers; it needs the app's Slack clients, which
  // exist only once the App below is built.
  let clients: SlackClients | undefined;
  const customRoutes = [
    ...healthRoutes(deps.readiness),
    oauthCallbackRoute({
      features: deps.features,
      log,
      client: async (tenantId) => {
        if (!clients) throw new Error('Slack client not ready');
        return clients.forTenant(tenantId);
      },
    }),
  ];
  const clientOptions = config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {};
  const oauth = config.slack.oauth;
  const newClient = (token?: string) => new webApi.WebClient(token, { ...clientOptions, logger });
  let rotation: TokenRotation | undefined;
  const installFlow: InstallFlowDeps = {
    stores: async () => {
      const f = await deps.features();
      rotation ??= createTokenRotation({
        installations: f.installations,
        noTokenClient: newClient(),
        clientId: oauth?.clientId ?? '',
        clientSecret: oauth?.clientSecret ?? '',
        now: f.now,
        log,
      });
      return { installations: f.installations, installStates: f.installStates, rotation };
    },
    onInstalled: async (stored) => {
      const f = await deps.features();
      const resumed = await f.lifecycle.reinstalled(tenantOf(stored));
      for (const { id } of resumed) {
        const digest = await f.digests.get(id);
        if (digest) await f.digestScheduler().schedule(digest);
      }
    },
    now: () => new Date(),
    log,
  };
  const socketMode = config.slack.appToken !== undefined;
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken ?? '',
        logger: socketModeLogger(logger),
        customRoutes,
        installerOptions: {
          port: config.port,
          // The Socket Mode client asks for its WebSocket URL (`apps.connections.open`) with a
          // WebClient of its own, built from these options only: without them it asks slack.com
          // whatever SLACK_API_URL says. A fresh object, as that client adds its retry policy to it.
          clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
        },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger,
        customRoutes,
        // Ack as soon as the listener calls ack(); slow work continues after the response.
        processBeforeResponse: false,
        bodyLimit: BODY_LIMIT_BYTES,
        // guardHttpReceiver below verifies every request once; Bolt would do it a second time.
        signatureVerification: false,
        // Distributed by OAuth: Bolt's /slack/install and /slack/oauth_redirect, with our stores.
        ...(oauth
          ? {
              clientId: oauth.clientId,
              clientSecret: oauth.clientSecret,
              stateSecret: oauth.stateSecret,
              scopes: BOT_SCOPES,
              installationStore: boltInstallationStore(installFlow),
              ...(config.publicUrl ? { redirectUri: `${config.publicUrl}${REDIRECT_PATH}` } : {}),
              installerOptions: {
                installPath: INSTALL_PATH,
                redirectUriPath: REDIRECT_PATH,
                directInstall: true,
                stateStore: boltStateStore(installFlow),
                clientOptions,
                callbackOptions: callbackOptions(log) as never,
              },
            }
          : {}),
      });
  // Malformed but signed requests are refused before Bolt reads them (see slack/guard.ts).
  if (receiver instanceof HTTPReceiver) {
    guardHttpReceiver(receiver, {
      signingSecret: config.slack.signingSecret,
      endpoint: SLACK_EVENTS_PATH,
      log,
    });
  } else {
    guardProcessEvent(receiver, log);
    if (receiver instanceof SocketModeReceiver) ackBeforeRecycling(receiver.client, log);
  }

  const app = new App({
    // Without a token (OAuth), Bolt authorizes each request from the installation store.
    ...(oauth ? {} : { token: config.slack.botToken }),
    receiver,
    logger,
    // Nothing here reads or writes Bolt's conversation state, and its default in-memory store
    // throws and catches an Error on every request that names a channel (every command).
    convoStore: false,
    clientOptions,
  });
  const botClients = oauth
    ? installedClients({ stores: installFlow.stores, newClient, base: app.client })
    : singleTokenClients(app.client);
  clients = botClients;
  app.use(requestContextMiddleware(log, deps.inFlight));
  app.use(eventDedupeMiddleware(deps.features));
  const defaults = allCommands({
    features: deps.features,
    alationBaseUrl: config.alationBaseUrl,
    oauthEnabled: config.alationOAuth !== undefined,
  });
  const grouped = groupListeners(app);
  registerCommands(grouped, deps.commands ? deps.commands(defaults) : defaults);
  registerEvents(grouped, { features: deps.features, alationBaseUrl: config.alationBaseUrl });
  registerLifecycleEvents(grouped, { features: deps.features, clients: botClients, log });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return {
    app,
    clients: botClients,
    async start(port = config.port, host) {
      if (receiver instanceof HTTPReceiver) {
        const server = (await receiver.start(host ? { port, host } : port)) as Server;
        return (server.address() as AddressInfo).port;
      }
      await app.start();
      return config.port;
    },
    async stop() {
      await app.stop();
    },
  };
}

type Listener = Middleware<AnyMiddlewareArgs>;
type GroupedKind = 'action' | 'view' | 'shortcut';

/** The constraints Bolt's `action`, `view` and `shortcut` derive from a bare id or pattern. */
const constraintsFor: Record<GroupedKind, (id: string | RegExp) => Record<string, unknown>> = {
  action: (id) => ({ action_id: id }),
  view: (id) => ({ callback_id: id, type: 'view_submission' }),
  shortcut: (id) => ({ callback_id: id }),
};

/**
 * Bolt runs the middleware chain of every registered listener for every request, so each button,
 * modal and shortcut the app registers made every slash command slower. Through the returned App
 * those registrations are grouped: Bolt sees one listener per kind, and within a kind each
 * registration keeps Bolt's own matcher, runs concurrently with the others and fails the way Bolt
 * fails several listeners, so what runs, with which arguments, is unchanged. Anything but a plain
 * id or pattern goes straight to Bolt, which validates it as before.
 */
export function groupListeners(app: App): App {
  const groups = new Map<GroupedKind, Listener[][]>();
  const register = (kind: GroupedKind, id: string | RegExp, listeners: Listener[]) => {
    let group = groups.get(kind);
    if (!group) {
      const chains: Listener[][] = [];
      (app[kind] as (constraints: object, listener: Listener) => void)({}, async (args) => {
        const ran = await runListeners(chains, args);
        // Slack waits 3 s for an ack and then shows the person an error; a button or select no
        // listener knows (an old message, an input without dispatch_action) is acked quietly.
        if (ran === 0 && 'ack' in args && typeof args.ack === 'function') {
          await (args.ack as () => Promise<void>)();
          args.logger.debug(`no listener for this ${kind}; acknowledged`);
        }
      });
      groups.set(kind, chains);
      group = chains;
    }
    group.push([matchConstraints(constraintsFor[kind](id)) as Listener, ...listeners]);
  };
  return new Proxy(app, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'action' || key === 'view' || key === 'shortcut') {
        return (constraints: unknown, ...listeners: Listener[]) => {
          if (typeof constraints === 'string' || types.isRegExp(constraints)) {
            register(key, constraints, listeners);
          } else {
            (value as (c: unknown, ...l: Listener[]) => void).call(
              target,
              constraints,
              ...listeners,
            );
          }
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * What Bolt's App does with its own listener list: every chain at once, errors gathered.
 * Resolves with how many listeners ran (their matchers let the request through).
 */
async function runListeners(
  chains: Listener[][],
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
): Promise<number> {
  const settled = await Promise.allSettled(chains.map((chain) => runChain(chain, args)));
  const errors = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new MultipleListenerError(errors);
  return settled.filter((r) => r.status === 'fulfilled' && r.value).length;
}

/**
 * Bolt's processMiddleware for one listener chain: the last entry gets a no-op `next`.
 * Resolves true when the listener itself ran.
 */
async function runChain(
  chain: Listener[],
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
): Promise<boolean> {
  const listener = chain.at(-1);
  if (!listener) return false;
  let lastCalled = -1;
  let ran = false;
  const invoke = async (index: number): Promise<void> => {
    if (lastCalled >= index) throw new Error('next() called multiple times');
    const middleware = index < chain.length - 1 ? chain[index] : undefined;
    if (!middleware) {
      ran = true;
      return listener({ ...args, next: () => {} } as Parameters<Listener>[0]);
    }
    lastCalled = index;
    return middleware({ ...args, next: () => invoke(index + 1) } as Parameters<Listener>[0]);
  };
  await invoke(0);
  return ran;
}
