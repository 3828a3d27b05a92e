/**
 * One app under test, in its own process so the load generator never shares its event loop.
 * argv: <ours|bare> <slackApiUrl> <signingSecret>. Prints the port on stdout.
 */
import { Writable } from 'node:stream';
import { App, LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.ts';
import { createInFlight } from '../src/inflight.ts';
import { createLogger } from '../src/log.ts';

const [kind, apiUrl, signingSecret] = process.argv.slice(2) as [string, string, string];
const botToken = 'xoxb-emulated-bot-token';

let port: number;
if (kind === 'ours') {
  // The production logger at its default level, writing to nowhere: log formatting is part of
  // the cost being measured, terminal I/O is not.
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const bot = createApp({
    config: {
      port: 0,
      slack: { botToken, signingSecret, appToken: undefined, apiUrl },
      alationBaseUrl: 'http://127.0.0.1:9',
      alationOAuth: undefined,
    },
    // Help needs no storage; nothing here ever resolves features.
    features: () => new Promise(() => {}),
    log: createLogger({ level: 'info', destination: sink }),
    inFlight: createInFlight(),
    readiness: { check: async () => ({ ready: true, checks: {} }) },
  });
  port = await bot.start(0, '127.0.0.1');
} else {
  const app = new App({
    signingSecret,
    token: botToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command('/alation', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
  port = (server.address() as import('node:net').AddressInfo).port;
}
process.stdout.write(`${port}\n`);
// Exit normally on SIGTERM so exit hooks (e.g. --cpu-prof) get to run.
process.on('SIGTERM', () => process.exit(0));
