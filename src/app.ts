import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { allCommands, type Command, registerCommands } from './commands/index.ts';
import type { Config } from './config.ts';
import { registerEvents } from './events/index.ts';
import type { Features } from './features.ts';
import { healthRoutes } from './http/health.ts';
import { oauthCallbackRoute } from './http/oauth-callback.ts';
import type { InFlight } from './inflight.ts';
import { boltLogger, type Logger } from './log.ts';
import { requestContextMiddleware } from './middleware/request-context.ts';
import type { Readiness } from './readiness.ts';

export interface AppDeps {
  config: Pick<Config, 'slack' | 'port' | 'alationBaseUrl' | 'alationOAuth'>;
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
  // The OAuth callback answers Slack users' browsers; it needs the app's Slack client, which
  // exists only once the App below is built.
  let slackClient: App['client'] | undefined;
  const customRoutes = [
    ...healthRoutes(deps.readiness),
    oauthCallbackRoute({
      features: deps.features,
      log,
      client: () => {
        if (!slackClient) throw new Error('Slack client not ready');
        return slackClient;
      },
    }),
  ];
  const socketMode = config.slack.appToken !== undefined;
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken ?? '',
        logger,
        customRoutes,
        installerOptions: { port: config.port },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: '/slack/events',
        logger,
        customRoutes,
        // Ack as soon as the listener calls ack(); slow work continues after the response.
        processBeforeResponse: false,
      });

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger,
    clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
  });
  slackClient = app.client;
  app.use(requestContextMiddleware(log, deps.inFlight));
  const defaults = allCommands({
    features: deps.features,
    alationBaseUrl: config.alationBaseUrl,
    oauthEnabled: config.alationOAuth !== undefined,
  });
  registerCommands(app, deps.commands ? deps.commands(defaults) : defaults);
  registerEvents(app, { features: deps.features, alationBaseUrl: config.alationBaseUrl });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return {
    app,
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
