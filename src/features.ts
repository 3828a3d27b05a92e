import type { PgBoss } from 'pg-boss';
import { AUDIENCE_CACHE_MS, type Audience, createAudience } from './audience/check.ts';
import { alationSession } from './auth/alation-session.ts';
import { createOAuthStates, type OAuthStates } from './auth/oauth-states.ts';
import { type Charts, createCharts } from './charts/service.ts';
import {
  type AlationAuth,
  type AlationClient,
  createAlationAuth,
  createAlationClient,
} from './client/alation.ts';
import { NotConnectedError } from './client/errors.ts';
import { createHttp, type Http, type HttpTimeouts } from './client/http.ts';
import { MODE_RATE } from './client/mode.ts';
import { createPacer, type Pacer } from './client/pacer.ts';
import type { AudienceConfig, Config } from './config.ts';
import { type CpuPool, createCpuPool } from './cpu/pool.ts';
import { createFlagRequestScheduler, type FlagRequestScheduler } from './flag-requests/timers.ts';
import { OAUTH_CALLBACK_PATH } from './http/oauth-callback.ts';
import { boltLogger, type Logger } from './log.ts';
import { type AlertScheduler, createAlertScheduler } from './queue/alert-check.ts';
import { createDigestScheduler, type DigestScheduler } from './queue/digest-run.ts';
import { createWatchScheduler, type WatchScheduler } from './queue/job-watch.ts';
import { createPostPacer, DEFAULT_POSTS_PER_MINUTE, type PostPacer } from './slack/paced-posts.ts';
import { createSlackUsers, type SlackUsers } from './slack/users.ts';
import { type AlertStore, createAlertStore } from './store/alerts.ts';
import { type ChartChoiceStore, createChartChoiceStore } from './store/chart-choices.ts';
import { type CredentialStore, createCredentialStore, type Owner } from './store/credentials.ts';
import type { Db } from './store/db.ts';
import { createSubscriptionStore, type SubscriptionStore } from './store/digest-subscriptions.ts';
import { createDigestStore, type DigestStore } from './store/digests.ts';
import {
  createFlagRequestStore,
  DEFAULT_FLAG_REQUEST_TIMES,
  type FlagRequestStore,
  type FlagRequestTimes,
} from './store/flag-requests.ts';
import { createInstallStates, type InstallStates } from './store/install-states.ts';
import { createInstallationStore, type InstallationStore } from './store/installations.ts';
import type { Keyring } from './store/keyring.ts';
import { createPostBudget } from './store/post-budget.ts';
import { createPrefStore, type PrefStore } from './store/prefs.ts';
import { createSeenEventStore, type SeenEventStore } from './store/seen-events.ts';
import { createTenantLifecycle, type TenantLifecycle } from './store/tenant-lifecycle.ts';
import { createWatchStore, type WatchStore } from './store/watches.ts';

/**
 * What Slack handlers use once storage is up: the credential store, and upstream clients that
 * act as a given user. Built once per process; no request state lives here.
 */
export interface Features {
  credentials: CredentialStore;
  oauthStates: OAuthStates;
  /** Small per-user preferences, such as the last data source a query was created on. */
  prefs: PrefStore;
  /** Token endpoints (and OAuth when configured); no user token involved. */
  alationAuth: AlationAuth;
  /** Data calls as `owner`; throws NotConnectedError (at call time) when they have no credential. */
  alationFor(owner: Owner): AlationClient;
  /** Resolves to a client only when the user has a usable credential. */
  requireAlation(owner: Owner): Promise<AlationClient>;
  alationBaseUrl: string;
  modeHttp: Http;
  /** Keeps each Mode token under Mode's rate, for every client in this process. */
  modePacer: Pacer;
  /**
   * Paces background chat.postMessage calls per workspace with a budget every replica shares
   * (SLACK_POSTS_PER_MINUTE); interactive replies never wait on it.
   */
  slackPosts: PostPacer;
  /** Job status cards being kept up to date (issue: job watching). */
  watches: WatchStore;
  /** Queues polls; throws when background workers are not running (no pg-boss). */
  watchScheduler(): WatchScheduler;
  /** Scheduled channel digests (issue 7). */
  digests: DigestStore;
  /** Their pg-boss schedules; throws when background workers are not running. */
  digestScheduler(): DigestScheduler;
  /** Who gets their own copy of a personal digest (issue 18). */
  subscriptions: SubscriptionStore;
  /** Who gets their own copy of a personal alert (issue 18). */
  alertSubscriptions: SubscriptionStore;
  /** Alerts on query results (issue 17). */
  alerts: AlertStore;
  /** Their pg-boss check schedules; throws when background workers are not running. */
  alertScheduler(): AlertScheduler;
  /** Trust-flag requests and their decisions (issue 20). */
  flagRequests: FlagRequestStore;
  /** When an unanswered request reminds its reviewer and expires. */
  flagRequestTimes: FlagRequestTimes;
  /** Their reminder and expiry jobs; throws when background workers are not running. */
  flagRequestScheduler(): FlagRequestScheduler;
  /** Events API deliveries already handled (Slack redelivers slow-acked events). */
  seenEvents: SeenEventStore;
  /** Threads for CPU-heavy work (chart rendering), off the event loop; started on first use. */
  cpu: CpuPool;
  /** Charts of shared results, drawn on `cpu` (issue 16). */
  charts: Charts;
  /** The chart each person chose per query. */
  chartChoices: ChartChoiceStore;
  /** Who in a channel can see what is posted there, each asked as themselves (issue 18). */
  audience: Audience;
  /** users.info answers, kept per (workspace, user) as long as the audience answers. */
  slackUsers: SlackUsers;
  /** Slack installations, sealed, when the app is distributed by OAuth (issue 19). */
  installations: InstallationStore;
  /** One-time "Add to Slack" states. */
  installStates: InstallStates;
  /** Uninstalls, revocations and members who leave: what stops, what is deleted. */
  lifecycle: TenantLifecycle;
  now(): Date;
  /** Closes the upstream connection pools. */
  close(): Promise<void>;
}

export interface FeatureDeps {
  config: Pick<Config, 'alationBaseUrl' | 'modeBaseUrl' | 'publicUrl' | 'alationOAuth'> & {
    /** AUDIENCE_CHECK; ask with 500 members when left out. */
    audience?: AudienceConfig;
    /** SLACK_POSTS_PER_MINUTE; Slack's 1 a second when left out. */
    slackPostsPerMinute?: number;
  };
  db: Db;
  keyring: Keyring;
  log: Logger;
  /** Tests inject a clock. */
  now?: () => Date;
  /** Upstream HTTP timeouts; tests shorten them. */
  timeouts?: Partial<HttpTimeouts>;
  /** The job queue; without it nothing can be watched in the background. */
  boss?: PgBoss;
  /** Flag request reminder and expiry delays (2 and 14 days by default). */
  flagRequestTimes?: FlagRequestTimes;
}

export function createFeatures(deps: FeatureDeps): Features {
  const { config, log } = deps;
  const now = deps.now ?? (() => new Date());
  const credentials = createCredentialStore(deps.db, deps.keyring, log);
  const slackUsers = createSlackUsers({ now, keepMs: AUDIENCE_CACHE_MS });
  // One pooled connection set per upstream, shared by every user's client.
  const timeouts = deps.timeouts ?? {};
  const alationHttp = createHttp({
    baseUrl: config.alationBaseUrl,
    service: 'Alation',
    log,
    timeouts,
  });
  const modeHttp = createHttp({ baseUrl: config.modeBaseUrl, service: 'Mode', log, timeouts });
  const alationAuth = createAlationAuth({
    http: alationHttp,
    ...(config.alationOAuth && config.publicUrl
      ? {
          oauth: {
            clientId: config.alationOAuth.clientId,
            clientSecret: config.alationOAuth.clientSecret ?? null,
            redirectUri: `${config.publicUrl}${OAUTH_CALLBACK_PATH}`,
          },
        }
      : {}),
  });
  const scheduler = deps.boss ? createWatchScheduler(deps.boss, now) : undefined;
  const digestScheduler = deps.boss ? createDigestScheduler(deps.boss) : undefined;
  const flagRequestScheduler = deps.boss ? createFlagRequestScheduler(deps.boss) : undefined;
  const alertScheduler = deps.boss ? createAlertScheduler(deps.boss) : undefined;
  const cpu = createCpuPool();
  const alationFor = (owner: Owner) =>
    createAlationClient({
      http: alationHttp,
      credentials: alationSession({ store: credentials, auth: alationAuth, now }, owner),
    });
  return {
    credentials,
    oauthStates: createOAuthStates(deps.db, deps.keyring, now),
    prefs: createPrefStore(deps.db),
    alationAuth,
    alationFor,
    async requireAlation(owner) {
      const loaded = await credentials.load(owner, 'alation');
      if (loaded.state === 'missing') throw new NotConnectedError('alation');
      if (loaded.state === 'reconnect') throw new NotConnectedError('alation', loaded.reason);
      return alationFor(owner);
    },
    alationBaseUrl: config.alationBaseUrl,
    modeHttp,
    modePacer: createPacer(MODE_RATE),
    slackPosts: createPostPacer({
      budget: createPostBudget(deps.db),
      perMinute: config.slackPostsPerMinute ?? DEFAULT_POSTS_PER_MINUTE,
      logger: boltLogger(log),
      log: log.child({ component: 'slack-posts' }),
    }),
    watches: createWatchStore(deps.db),
    watchScheduler: () => {
      if (!scheduler) throw new Error('background workers are not running');
      return scheduler;
    },
    digests: createDigestStore(deps.db),
    subscriptions: createSubscriptionStore(deps.db),
    alertSubscriptions: createSubscriptionStore(deps.db, 'alert'),
    digestScheduler: () => {
      if (!digestScheduler) throw new Error('background workers are not running');
      return digestScheduler;
    },
    alerts: createAlertStore(deps.db),
    alertScheduler: () => {
      if (!alertScheduler) throw new Error('background workers are not running');
      return alertScheduler;
    },
    flagRequests: createFlagRequestStore(deps.db),
    flagRequestTimes: deps.flagRequestTimes ?? DEFAULT_FLAG_REQUEST_TIMES,
    flagRequestScheduler: () => {
      if (!flagRequestScheduler) throw new Error('background workers are not running');
      return flagRequestScheduler;
    },
    seenEvents: createSeenEventStore(deps.db, now),
    cpu,
    charts: createCharts(cpu, log),
    chartChoices: createChartChoiceStore(deps.db),
    audience: createAudience({
      config: config.audience ?? { policy: 'ask', maxMembers: 500 },
      credentials,
      alationFor,
      users: slackUsers,
      now,
    }),
    slackUsers,
    installations: createInstallationStore(deps.db, deps.keyring, now),
    installStates: createInstallStates(deps.db),
    lifecycle: createTenantLifecycle(deps.db),
    now,
    async close() {
      await Promise.all([alationHttp.close(), modeHttp.close(), cpu.close()]);
    },
  };
}
