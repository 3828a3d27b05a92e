import { randomBytes } from 'node:crypto';
import { type Clock, fromPglite, PgBoss } from 'pg-boss';
import { type BotApp, createApp } from '../../src/app.ts';
import type { Command } from '../../src/commands/index.ts';
import type { AudienceConfig } from '../../src/config.ts';
import { createFeatures, type Features } from '../../src/features.ts';
import { createInFlight, type InFlight } from '../../src/inflight.ts';
import { ensureDigestQueue } from '../../src/queue/digest-run.ts';
import { ensureJobWatchQueue } from '../../src/queue/job-watch.ts';
import { startWorkers } from '../../src/queue/workers.ts';
import type { Readiness } from '../../src/readiness.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { createKeyring, type Keyring } from '../../src/store/keyring.ts';
import type { SlackTarget } from '../driver.ts';
import { type AlationEmulator, startAlationEmulator } from '../emulators/alation.ts';
import { type ModeApiToken, type ModeEmulator, startModeEmulator } from '../emulators/mode.ts';
import { SLACK_DEFAULTS, type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { defaultTestDatabase, type TestDatabase, type TestDb } from './databases.ts';
import { captureLog, type LogLine } from './log.ts';
import { freePort } from './process.ts';

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
  /** pg-boss, when started with `jobs`. */
  boss: PgBoss | undefined;
  /** Seeds an Alation user and stores their credential for a Slack user, as if connected. */
  connectAlation(owner: Owner, alationUserId: number): Promise<{ refreshToken: string }>;
  /** Stores a Mode API token for `owner` (reading `acme`), as `/alation mode login` would. */
  connectMode(owner?: Owner): Promise<ModeApiToken & { authorization: string }>;
  /** Stops the bot; with `keep`, its emulators and database stay for another bot. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

export interface TestBotOptions {
  commands?: (defaults: Command[]) => Command[];
  readiness?: Readiness;
  database?: TestDatabase;
  oauth?: { clientId: string; clientSecret?: string };
  /** AUDIENCE_CHECK and its member cap (ask, 500 by default). */
  audience?: AudienceConfig;
  /**
   * Serve over Socket Mode (SLACK_APP_TOKEN set) instead of HTTP: Slack's traffic then arrives
   * as envelopes sent with `slack.socket` (see support/socket.ts), and `target` is not served.
   */
  socketMode?: boolean;
  /**
   * Distributed by Slack OAuth (SLACK_CLIENT_ID…): no bot token; each workspace installs through
   * /slack/install (see support/install.ts) and gets its own.
   */
  slackOAuth?: boolean;
  /** The token-sealing key (random by default); a test gives it to a replica in another process. */
  sealingKey?: Buffer;
  /** Run pg-boss and the background workers, with a short poll schedule. */
  jobs?: {
    /** pg-boss's schema; bots that share one act as replicas of one deployment. */
    schema?: string;
    delays?: { firstMs: number; maxMs: number };
    /** pg-boss's supervise/monitor interval (how soon a dead worker's job is retried). */
    monitorSeconds?: number;
    /** pg-boss's clock: a TestClock drives its cron, polling and timers by hand. */
    clock?: Clock;
  };
  /**
   * Background chat.postMessage calls a minute per workspace, shared by the bots on one database
   * (SLACK_POSTS_PER_MINUTE); tests other than the pacer's run at 60,000 so pacing costs them nothing.
   */
  slackPostsPerMinute?: number;
  /** The app's own clock (features.now), e.g. the same instant as a pg-boss TestClock. */
  now?: () => Date;
  /**
   * Another bot's emulators, database and keys: a second replica (the first bot still owns and
   * closes them) or, with `takeOver`, a restart that owns them from now on.
   */
  reuse?: Pick<TestBot, 'slack' | 'alation' | 'mode' | 'db' | 'keyring'>;
  takeOver?: boolean;
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
  // Bot tokens of OAuth installs and their refresh tokens travel to Slack by design; never to logs.
  const slackSecrets = [
    ...seen.slack.installs.tokens.keys(),
    ...seen.slack.installs.refreshTokens.keys(),
    ...seen.slack.installs.refreshes.map((r) => r.refreshToken),
  ];
  for (const secret of slackSecrets) {
    if (seen.logs.includes(secret)) throw new Error('a Slack bot token appeared in the bot’s logs');
  }
  const sentToSlack = JSON.stringify([seen.slack.calls, seen.slack.responses]);
  for (const secret of secrets) {
    if (seen.logs.includes(secret)) throw new Error('a credential appeared in the bot’s logs');
    if (sentToSlack.includes(secret)) throw new Error('a credential was sent to Slack');
  }
}

/** pg-boss in a schema of its own, on the test's database (the shared PGlite or PostgreSQL). */
async function startBoss(
  db: TestDb,
  schema = `pgboss_${randomBytes(5).toString('hex')}`,
  monitorSeconds?: number,
  clock?: Clock,
): Promise<{ boss: PgBoss; schema: string }> {
  const monitor = {
    ...(monitorSeconds
      ? { superviseIntervalSeconds: monitorSeconds, monitorIntervalSeconds: monitorSeconds }
      : {}),
    ...(clock ? { clock } : {}),
  };
  const boss = db.pglite
    ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', schema, ...monitor })
    : new PgBoss({ connectionString: db.url ?? '', schema, max: 3, ...monitor });
  boss.on('error', () => {});
  await boss.start();
  await ensureJobWatchQueue(boss);
  await ensureDigestQueue(boss);
  return { boss, schema };
}

const alwaysReady: Readiness = {
  check: async () => ({ ready: true, checks: { database: 'ok', workers: 'ok' } }),
};

/** The app over real HTTP on a loopback port, wired to fresh Slack, Alation and Mode emulators. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const [slack, alation, mode] = options.reuse
    ? [options.reuse.slack, options.reuse.alation, options.reuse.mode]
    : await Promise.all([startSlackEmulator(), startAlationEmulator(), startModeEmulator()]);
  const db = options.reuse?.db ?? (await (options.database ?? defaultTestDatabase()).migrated());
  const keyring =
    options.reuse?.keyring ??
    createKeyring([{ label: 'test', key: options.sealingKey ?? randomBytes(32) }]);
  const { log, lines, raw } = captureLog();
  const inFlight = createInFlight();
  const publicUrl = 'http://127.0.0.1:1'; // replaced below once the port is known
  const config = {
    // Socket Mode's receiver serves custom routes on this port and cannot tell which it took.
    port: options.socketMode ? await freePort() : 0,
    slack: {
      botToken: options.slackOAuth ? undefined : slack.botToken,
      oauth: options.slackOAuth
        ? {
            clientId: slack.installs.clientId,
            clientSecret: slack.installs.clientSecret,
            stateSecret: 'test-state-secret-0123456789',
          }
        : undefined,
      signingSecret: SIGNING_SECRET,
      appToken: options.socketMode ? slack.appToken : undefined,
      apiUrl: slack.apiUrl,
    },
    alationBaseUrl: alation.url,
    modeBaseUrl: mode.url,
    alationOAuth: options.oauth
      ? { clientId: options.oauth.clientId, clientSecret: options.oauth.clientSecret }
      : undefined,
    publicUrl,
    ...(options.audience ? { audience: options.audience } : {}),
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
  const jobs = options.jobs
    ? await startBoss(db, options.jobs.schema, options.jobs.monitorSeconds, options.jobs.clock)
    : undefined;
  const boss = jobs?.boss;
  const ready = createFeatures({
    config: {
      ...config,
      publicUrl: origin,
      slackPostsPerMinute: options.slackPostsPerMinute ?? 60_000,
    },
    db,
    keyring,
    log,
    // Short enough that timeout tests finish quickly, long enough for a loaded CI machine.
    timeouts: { headersMs: 1_500, bodyMs: 1_500 },
    ...(options.now ? { now: options.now } : {}),
    ...(boss ? { boss } : {}),
  });
  features = ready;
  if (boss) {
    await startWorkers(boss, ready, bot.clients, log, {
      jobWatchDelays: options.jobs?.delays ?? { firstMs: 50, maxMs: 200 },
      pollingIntervalSeconds: 0.5,
    });
  }
  // Bolt checks the bot token with auth.test from its constructor; wait so no test races it.
  if (!options.slackOAuth) await slack.waitFor('auth.test');
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
    async connectMode(owner = DEFAULT_OWNER) {
      const api = mode.addApiToken({ workspaces: ['acme'] });
      await features?.credentials.save(
        owner,
        'mode',
        { token: api.token, secret: api.secret },
        { workspace: 'acme', name: 'Acme' },
      );
      return api;
    },
    boss,
    async stop(stopOptions = {}) {
      await bot.stop().catch(() => {});
      await inFlight.drain(5_000);
      await boss?.stop({ graceful: true, timeout: 5_000, close: !db.pglite });
      assertNoSecretLeaked({ alation, mode, slack, logs: raw() });
      await features?.close();
      if (stopOptions.keep || (options.reuse && !options.takeOver)) return;
      if (jobs) await db.exec(`DROP SCHEMA IF EXISTS ${jobs.schema} CASCADE`);
      await Promise.all([slack.close(), alation.close(), mode.close(), db.drop()]);
    },
  };
}
