import { randomBytes } from 'node:crypto';
import { type BotApp, createApp } from '../../src/app.ts';
import type { Command } from '../../src/commands/index.ts';
import { createFeatures, type Features } from '../../src/features.ts';
import { createInFlight, type InFlight } from '../../src/inflight.ts';
import type { Readiness } from '../../src/readiness.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { createKeyring, type Keyring } from '../../src/store/keyring.ts';
import type { SlackTarget } from '../driver.ts';
import { type AlationEmulator, startAlationEmulator } from '../emulators/alation.ts';
import { type ModeEmulator, startModeEmulator } from '../emulators/mode.ts';
import { SLACK_DEFAULTS, type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { defaultTestDatabase, type TestDatabase, type TestDb } from './databases.ts';
import { captureLog, type LogLine } from './log.ts';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestBot {
  /** Where signed requests go: `/slack/events` on the running app. */
  target: SlackTarget;
  /** The app's origin, for custom routes such as /healthz. */
  origin: string;
  slack: SlackEmulator;
  alation: AlationEmulator;
  mode: ModeEmulator;
  bot: BotApp;
  db: TestDb;
  keyring: Keyring;
  features: Features;
  commands: Command[];
  inFlight: InFlight;
  logs: () => LogLine[];
  rawLogs: () => string;
  /** Seeds an Alation user and stores their credential for a Slack user, as if connected. */
  connectAlation(owner: Owner, alationUserId: number): Promise<{ refreshToken: string }>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  commands?: (defaults: Command[]) => Command[];
  readiness?: Readiness;
  database?: TestDatabase;
  oauth?: { clientId: string; clientSecret?: string };
}

export const DEFAULT_OWNER: Owner = {
  tenantId: SLACK_DEFAULTS.teamId,
  userId: SLACK_DEFAULTS.userId,
};

/**
 * Every test bot checks, as it stops, that no credential the emulators issued reached the
 * bot's logs or anything it sent to Slack, so the whole suite guards against leaks.
 */
function assertNoSecretLeaked(seen: {
  alation: AlationEmulator;
  mode: ModeEmulator;
  slack: SlackEmulator;
  logs: string;
}): void {
  const secrets = [
    ...seen.alation.state.refreshTokens.keys(),
    ...seen.alation.state.accessTokens.keys(),
    ...seen.alation.state.oauthTokens.flatMap((t) => [t.accessToken, t.refreshToken]),
    ...[...seen.mode.state.tokens.values()].flatMap((t) => [t.token, t.secret]),
  ];
  const sentToSlack = JSON.stringify([seen.slack.calls, seen.slack.responses]);
  for (const secret of secrets) {
    if (seen.logs.includes(secret)) throw new Error('a credential appeared in the bot’s logs');
    if (sentToSlack.includes(secret)) throw new Error('a credential was sent to Slack');
  }
}

const alwaysReady: Readiness = {
  check: async () => ({ ready: true, checks: { database: 'ok', workers: 'ok' } }),
};

/** The app over real HTTP on a loopback port, wired to fresh Slack, Alation and Mode emulators. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const [slack, alation, mode] = await Promise.all([
    startSlackEmulator(),
    startAlationEmulator(),
    startModeEmulator(),
  ]);
  const db = await (options.database ?? defaultTestDatabase()).migrated();
  const keyring = createKeyring([{ label: 'test', key: randomBytes(32) }]);
  const { log, lines, raw } = captureLog();
  const inFlight = createInFlight();
  const publicUrl = 'http://127.0.0.1:1'; // replaced below once the port is known
  const config = {
    port: 0,
    slack: {
      botToken: slack.botToken,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: slack.apiUrl,
    },
    alationBaseUrl: alation.url,
    modeBaseUrl: mode.url,
    alationOAuth: options.oauth
      ? { clientId: options.oauth.clientId, clientSecret: options.oauth.clientSecret }
      : undefined,
    publicUrl,
  };
  let features: Features | undefined;
  let commands: Command[] = [];
  const bot = createApp({
    config,
    log,
    inFlight,
    readiness: options.readiness ?? alwaysReady,
    features: async () => {
      if (!features) throw new Error('features not ready');
      return features;
    },
    commands: (defaults) => {
      commands = options.commands ? options.commands(defaults) : defaults;
      return commands;
    },
  });
  const port = await bot.start(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  features = createFeatures({
    config: { ...config, publicUrl: origin },
    db,
    keyring,
    log,
    // Short enough that timeout tests finish quickly, long enough for a loaded CI machine.
    timeouts: { headersMs: 1_500, bodyMs: 1_500 },
  });
  // Bolt checks the bot token with auth.test from its constructor; wait so no test races it.
  await slack.waitFor('auth.test');
  return {
    target: { url: `${origin}/slack/events`, signingSecret: SIGNING_SECRET },
    origin,
    slack,
    alation,
    mode,
    bot,
    db,
    keyring,
    features,
    commands,
    inFlight,
    logs: lines,
    rawLogs: raw,
    async connectAlation(owner, alationUserId) {
      const { refreshToken } = alation.addUser({ id: alationUserId });
      await features?.credentials.save(
        owner,
        'alation',
        { method: 'refresh_token', alationUserId, refreshToken },
        { method: 'refresh_token', alationUserId },
      );
      return { refreshToken };
    },
    async stop() {
      await bot.stop().catch(() => {});
      await inFlight.drain(5_000);
      assertNoSecretLeaked({ alation, mode, slack, logs: raw() });
      await features?.close();
      await Promise.all([slack.close(), alation.close(), mode.close(), db.drop()]);
    },
  };
}
