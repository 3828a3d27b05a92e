import { type BotApp, createApp } from '../../src/app.ts';
import type { Command } from '../../src/commands/index.ts';
import { createInFlight, type InFlight } from '../../src/inflight.ts';
import type { Readiness } from '../../src/readiness.ts';
import type { SlackTarget } from '../driver.ts';
import { type AlationEmulator, startAlationEmulator } from '../emulators/alation.ts';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { captureLog, type LogLine } from './log.ts';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestBot {
  /** Where signed requests go: `/slack/events` on the running app. */
  target: SlackTarget;
  /** The app's origin, for custom routes such as /healthz. */
  origin: string;
  slack: SlackEmulator;
  alation: AlationEmulator;
  bot: BotApp;
  inFlight: InFlight;
  logs: () => LogLine[];
  rawLogs: () => string;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  commands?: Command[];
  readiness?: Readiness;
}

const alwaysReady: Readiness = {
  check: async () => ({ ready: true, checks: { database: 'ok', workers: 'ok' } }),
};

/** The app over real HTTP on a loopback port, wired to fresh Slack and Alation emulators. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const slack = await startSlackEmulator();
  const alation = await startAlationEmulator();
  const { log, lines, raw } = captureLog();
  const inFlight = createInFlight();
  const bot = createApp({
    config: {
      port: 0,
      slack: {
        botToken: slack.botToken,
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: slack.apiUrl,
      },
    },
    log,
    inFlight,
    readiness: options.readiness ?? alwaysReady,
    ...(options.commands ? { commands: options.commands } : {}),
  });
  const port = await bot.start(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  // Bolt checks the bot token with auth.test from its constructor; wait so no test races it.
  await slack.waitFor('auth.test');
  return {
    target: { url: `${origin}/slack/events`, signingSecret: SIGNING_SECRET },
    origin,
    slack,
    alation,
    bot,
    inFlight,
    logs: lines,
    rawLogs: raw,
    async stop() {
      await bot.stop().catch(() => {});
      await inFlight.drain(5_000);
      await Promise.all([slack.close(), alation.close()]);
    },
  };
}
