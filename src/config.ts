import { z } from 'zod';

/** The environment as the process sees it; injected so tests never touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Treats an empty string like an unset variable: `FOO=` in a .env file means "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const httpUrl = (example: string) =>
  z
    .string({ error: `is required: an http(s) URL such as ${example}` })
    .trim()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      error: (issue) =>
        `must be an http(s) URL such as ${example}; got ${JSON.stringify(issue.input)}`,
    })
    // A trailing slash would double up when paths are appended.
    .transform((v) => v.replace(/\/+$/, ''));

const base64Key = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    error:
      'must be the base64 encoding of exactly 32 random bytes (generate one with `openssl rand -base64 32`)',
  });

/** `label:base64,label:base64,…`, newest first; labels are for people, rows record a fingerprint. */
const keyring = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const entries: { label: string; key: Buffer }[] = [];
    for (const [i, part] of value.split(',').entries()) {
      const match = /^\s*([\w.-]+):([A-Za-z0-9+/]+={0,2})\s*$/.exec(part);
      const key = match?.[2] ? Buffer.from(match[2], 'base64') : undefined;
      if (!match?.[1] || key?.length !== 32) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${i + 1} must look like label:<base64 of 32 random bytes> (entries separated by commas, newest first)`,
        });
        return z.NEVER;
      }
      entries.push({ label: match[1], key });
    }
    return entries;
  });

/** A number of days for the flag request timers: positive, fractions allowed (0.5 = 12 hours). */
const days = (example: string) =>
  z.coerce
    .number({ error: `must be a number of days such as ${example}` })
    .positive({ error: `must be a positive number of days such as ${example}` })
    .max(365, { error: 'must be at most 365 days' });

/**
 * ask: the sharer chooses when some members cannot see it; warn: post, and tell the sharer who
 * cannot; off: no check (README, "Who sees what").
 */
export const AUDIENCE_POLICIES = ['ask', 'warn', 'off'] as const;
export type AudiencePolicy = (typeof AUDIENCE_POLICIES)[number];

const schema = z.object({
  NODE_ENV: optional(z.string()).default('development'),
  // Required unless the app is distributed by OAuth (crossChecks).
  SLACK_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .refine((v) => v.startsWith('xoxb-'), {
        error: 'must be a bot token that starts with xoxb- (Slack app → OAuth & Permissions)',
      }),
  ),
  SLACK_SIGNING_SECRET: z
    .string({ error: 'is required: the signing secret from Slack app → Basic Information' })
    .trim()
    .min(1, { error: 'must not be empty: copy it from Slack app → Basic Information' }),
  SLACK_APP_TOKEN: optional(
    z
      .string()
      .trim()
      .refine((v) => v.startsWith('xapp-'), {
        error: 'must be an app-level token that starts with xapp- (only needed for Socket Mode)',
      }),
  ),
  SLACK_API_URL: optional(httpUrl('https://slack.com/api')),
  SLACK_CLIENT_ID: optional(z.string().trim().min(1)),
  SLACK_CLIENT_SECRET: optional(z.string().trim().min(1)),
  SLACK_STATE_SECRET: optional(
    z.string().trim().min(16, { error: 'must be at least 16 characters (`openssl rand -hex 32`)' }),
  ),
  PORT: optional(
    z.coerce
      .number({ error: 'must be a TCP port number between 0 and 65535' })
      .int({ error: 'must be a whole TCP port number between 0 and 65535' })
      .min(0, { error: 'must be a TCP port number between 0 and 65535' })
      .max(65535, { error: 'must be a TCP port number between 0 and 65535' }),
  ).default(3000),
  ALATION_BASE_URL: httpUrl('https://alation.example.com'),
  MODE_BASE_URL: optional(httpUrl('https://app.mode.com')).default('https://app.mode.com'),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), {
        error:
          'must be a PostgreSQL URL such as postgres://user:password@host:5432/db (leave it unset to use the embedded database in DATA_DIR)',
      }),
  ),
  DATA_DIR: optional(z.string().trim()).default('./data'),
  TOKEN_ENCRYPTION_KEY: optional(base64Key),
  TOKEN_ENCRYPTION_KEYS: optional(keyring),
  PUBLIC_URL: optional(httpUrl('https://slack-bot.example.com')),
  ALATION_OAUTH_CLIENT_ID: optional(z.string().trim().min(1)),
  ALATION_OAUTH_CLIENT_SECRET: optional(z.string().trim().min(1)),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  ).default('info'),
  FLAG_REQUEST_REMIND_DAYS: optional(days('2')).default(2),
  FLAG_REQUEST_EXPIRE_DAYS: optional(days('14')).default(14),
  AUDIENCE_CHECK: optional(
    z.enum(AUDIENCE_POLICIES, {
      error: `must be one of ${AUDIENCE_POLICIES.join(', ')} (ask is the default)`,
    }),
  ).default('ask'),
  AUDIENCE_CHECK_MAX_MEMBERS: optional(
    z.coerce
      .number({ error: 'must be a whole number of members between 1 and 10000, e.g. 500' })
      .int({ error: 'must be a whole number of members between 1 and 10000, e.g. 500' })
      .min(1, { error: 'must be a whole number of members between 1 and 10000, e.g. 500' })
      .max(10000, { error: 'must be a whole number of members between 1 and 10000, e.g. 500' }),
  ).default(500),
  // Slack's documented rate for posting is 1 message a second (per channel), with a workspace
  // limit it does not publish (README, "Rate limits"); fan-outs of DMs to many people meet the
  // workspace limit, so background posts share this budget per workspace across replicas.
  SLACK_POSTS_PER_MINUTE: optional(
    z.coerce
      .number({ error: 'must be a number of posts a minute between 1 and 6000, e.g. 60' })
      .min(1, { error: 'must be a number of posts a minute between 1 and 6000, e.g. 60' })
      .max(6000, { error: 'must be a number of posts a minute between 1 and 6000, e.g. 60' }),
  ).default(60),
});

type Parsed = z.infer<typeof schema>;

/** What happens when some members of a channel cannot see what is shared into it. */
export interface AudienceConfig {
  policy: AudiencePolicy;
  /** Members checked per channel at most; the check says when it was partial. */
  maxMembers: number;
}

/** Every environment variable the bot reads (the README documents each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  production: boolean;
  slack: {
    /** The one workspace's bot token; undefined when the app is distributed by OAuth. */
    botToken: string | undefined;
    /** Set → "Add to Slack" (OAuth v2), installations kept in the database, one token per workspace. */
    oauth?: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
    signingSecret: string;
    /** Present → Socket Mode instead of the HTTP receiver. */
    appToken: string | undefined;
    /** Web API base for Bolt's WebClient; always ends with a slash because WebClient appends the method. */
    apiUrl: string | undefined;
  };
  port: number;
  alationBaseUrl: string;
  modeBaseUrl: string;
  /** undefined → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /**
   * Keys that seal stored credentials, newest first: TOKEN_ENCRYPTION_KEYS, then
   * TOKEN_ENCRYPTION_KEY. Empty → one generated into `dataDir` outside production.
   */
  tokenEncryptionKeys: { label: string; key: Buffer }[];
  /** The bot's public origin; OAuth sends people back to `${publicUrl}/oauth/alation/callback`. */
  publicUrl: string | undefined;
  /** Set → "Sign in with Alation" (OAuth 2.0 + PKCE) replaces pasting a refresh token. */
  alationOAuth: { clientId: string; clientSecret: string | undefined } | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** When an unanswered trust-flag request reminds its reviewer, and when it expires. */
  flagRequests: { remindAfterMs: number; expireAfterMs: number };
  /** AUDIENCE_CHECK and AUDIENCE_CHECK_MAX_MEMBERS (issue 18). */
  audience: AudienceConfig;
  /**
   * SLACK_POSTS_PER_MINUTE: background chat.postMessage calls a minute per workspace, shared by
   * every replica (digests, personal copies, alert cards); interactive replies are not counted.
   */
  slackPostsPerMinute: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses the environment; returns every problem at once, one line per variable. */
export function loadConfig(env: Env): ConfigResult {
  const parsed = parse(schema, env);
  return parsed.ok ? { ok: true, config: toConfig(parsed.data) } : parsed;
}

/** What maintenance commands such as `npm run rotate-keys` need: storage and keys, no Slack. */
const storageSchema = schema.pick({
  NODE_ENV: true,
  DATABASE_URL: true,
  DATA_DIR: true,
  TOKEN_ENCRYPTION_KEY: true,
  TOKEN_ENCRYPTION_KEYS: true,
  LOG_LEVEL: true,
});

export type StorageConfig = Pick<
  Config,
  'production' | 'databaseUrl' | 'dataDir' | 'tokenEncryptionKeys' | 'logLevel'
>;

export function loadStorageConfig(
  env: Env,
): { ok: true; config: StorageConfig } | { ok: false; problems: string[] } {
  const parsed = parse(storageSchema, env, 'storage');
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  return {
    ok: true,
    config: {
      production: d.NODE_ENV === 'production',
      databaseUrl: d.DATABASE_URL,
      dataDir: d.DATA_DIR,
      tokenEncryptionKeys: keysFrom(d),
      logLevel: d.LOG_LEVEL,
    },
  };
}

function parse<T extends z.ZodType>(
  which: T,
  env: Env,
  scope: 'app' | 'storage' = 'app',
): { ok: true; data: z.infer<T> } | { ok: false; problems: string[] } {
  const result = which.safeParse(env);
  // One line per variable: the first complaint is the one worth fixing first.
  const problems = new Map<string, string>();
  for (const issue of result.error?.issues ?? []) {
    const name = String(issue.path[0] ?? 'environment');
    if (!problems.has(name)) problems.set(name, `${name} ${issue.message}`);
  }
  // Checked on the raw environment so they are reported together with every other problem.
  for (const [name, problem] of crossChecks(env, scope)) problems.set(name, problem);
  if (!result.success || problems.size > 0) return { ok: false, problems: [...problems.values()] };
  return { ok: true, data: result.data };
}

/** `storage`: only what maintenance commands (no Slack, no Alation) must have right. */
function crossChecks(env: Env, scope: 'app' | 'storage'): [string, string][] {
  const problems: [string, string][] = [];
  if (
    env.NODE_ENV === 'production' &&
    !env.TOKEN_ENCRYPTION_KEY?.trim() &&
    !env.TOKEN_ENCRYPTION_KEYS?.trim()
  ) {
    problems.push([
      'TOKEN_ENCRYPTION_KEY',
      'TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production: base64 of 32 random bytes (`openssl rand -base64 32`); keep it safe, stored credentials cannot be read without it',
    ]);
  }
  if (scope === 'storage') return problems;
  const slackOAuth = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const given = slackOAuth.filter((name) => env[name]?.trim());
  if (given.length > 0 && given.length < slackOAuth.length) {
    for (const name of slackOAuth.filter((n) => !given.includes(n))) {
      problems.push([
        name,
        `${name} is required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set: distributing the app by OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET (Slack app → Basic Information) and SLACK_STATE_SECRET (any long random string)`,
      ]);
    }
  }
  if (given.length === 0 && !env.SLACK_BOT_TOKEN?.trim()) {
    problems.push([
      'SLACK_BOT_TOKEN',
      'SLACK_BOT_TOKEN is required: the bot token from your Slack app (starts with xoxb-), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install the app by OAuth',
    ]);
  }
  if (given.length > 0 && env.SLACK_APP_TOKEN?.trim()) {
    problems.push([
      'SLACK_APP_TOKEN',
      'SLACK_APP_TOKEN (Socket Mode) cannot be combined with SLACK_CLIENT_ID: installing by OAuth needs the HTTP receiver (Slack must reach /slack/oauth_redirect); unset one of them',
    ]);
  }
  if (given.length > 0 && env.SLACK_BOT_TOKEN?.trim()) {
    problems.push([
      'SLACK_BOT_TOKEN',
      'SLACK_BOT_TOKEN must not be set together with SLACK_CLIENT_ID: with OAuth each workspace gets its own token when it installs the app; unset one of them',
    ]);
  }
  if (env.ALATION_OAUTH_CLIENT_ID?.trim() && !env.PUBLIC_URL?.trim()) {
    problems.push([
      'PUBLIC_URL',
      'PUBLIC_URL is required when ALATION_OAUTH_CLIENT_ID is set: the https address Slack reaches the bot at, so Alation can send people back to /oauth/alation/callback',
    ]);
  }
  if (env.ALATION_OAUTH_CLIENT_SECRET?.trim() && !env.ALATION_OAUTH_CLIENT_ID?.trim()) {
    problems.push([
      'ALATION_OAUTH_CLIENT_ID',
      'ALATION_OAUTH_CLIENT_ID is required when ALATION_OAUTH_CLIENT_SECRET is set',
    ]);
  }
  const remind = Number(env.FLAG_REQUEST_REMIND_DAYS?.trim() || 2);
  const expire = Number(env.FLAG_REQUEST_EXPIRE_DAYS?.trim() || 14);
  if (remind > 0 && expire > 0 && remind >= expire) {
    problems.push([
      'FLAG_REQUEST_REMIND_DAYS',
      `FLAG_REQUEST_REMIND_DAYS (${remind}) must be less than FLAG_REQUEST_EXPIRE_DAYS (${expire}): the reminder comes before the request expires`,
    ]);
  }
  return problems;
}

function keysFrom(env: {
  TOKEN_ENCRYPTION_KEY?: string | undefined;
  TOKEN_ENCRYPTION_KEYS?: { label: string; key: Buffer }[] | undefined;
}): { label: string; key: Buffer }[] {
  return [
    ...(env.TOKEN_ENCRYPTION_KEYS ?? []),
    ...(env.TOKEN_ENCRYPTION_KEY
      ? [{ label: 'TOKEN_ENCRYPTION_KEY', key: Buffer.from(env.TOKEN_ENCRYPTION_KEY, 'base64') }]
      : []),
  ];
}

function toConfig(env: Parsed): Config {
  return {
    production: env.NODE_ENV === 'production',
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      oauth:
        env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
          ? {
              clientId: env.SLACK_CLIENT_ID,
              clientSecret: env.SLACK_CLIENT_SECRET,
              stateSecret: env.SLACK_STATE_SECRET,
            }
          : undefined,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL === undefined ? undefined : `${env.SLACK_API_URL}/`,
    },
    port: env.PORT,
    alationBaseUrl: env.ALATION_BASE_URL,
    modeBaseUrl: env.MODE_BASE_URL,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    tokenEncryptionKeys: keysFrom(env),
    publicUrl: env.PUBLIC_URL,
    alationOAuth: env.ALATION_OAUTH_CLIENT_ID
      ? { clientId: env.ALATION_OAUTH_CLIENT_ID, clientSecret: env.ALATION_OAUTH_CLIENT_SECRET }
      : undefined,
    logLevel: env.LOG_LEVEL,
    flagRequests: {
      remindAfterMs: env.FLAG_REQUEST_REMIND_DAYS * DAY_MS,
      expireAfterMs: env.FLAG_REQUEST_EXPIRE_DAYS * DAY_MS,
    },
    audience: { policy: env.AUDIENCE_CHECK, maxMembers: env.AUDIENCE_CHECK_MAX_MEMBERS },
    slackPostsPerMinute: env.SLACK_POSTS_PER_MINUTE,
  };
}

const DAY_MS = 86_400_000;
