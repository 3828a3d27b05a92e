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

const schema = z.object({
  NODE_ENV: optional(z.string()).default('development'),
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the bot token from your Slack app (starts with xoxb-)' })
    .trim()
    .refine((v) => v.startsWith('xoxb-'), {
      error: 'must be a bot token that starts with xoxb- (Slack app → OAuth & Permissions)',
    }),
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
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  ).default('info'),
});

type Parsed = z.infer<typeof schema>;

/** Every environment variable the bot reads (the README documents each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  production: boolean;
  slack: {
    botToken: string;
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
  /** undefined → generated into `dataDir` outside production (see `resolveEncryptionKey`). */
  tokenEncryptionKey: Buffer | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses the environment; returns every problem at once, one line per variable. */
export function loadConfig(env: Env): ConfigResult {
  const result = schema.safeParse(env);
  // One line per variable: the first complaint is the one worth fixing first.
  const problems = new Map<string, string>();
  for (const issue of result.error?.issues ?? []) {
    const name = String(issue.path[0] ?? 'environment');
    if (!problems.has(name)) problems.set(name, `${name} ${issue.message}`);
  }
  // Checked on the raw environment so it is reported together with every other problem.
  if (env.NODE_ENV === 'production' && !env.TOKEN_ENCRYPTION_KEY?.trim()) {
    problems.set(
      'TOKEN_ENCRYPTION_KEY',
      'TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production: base64 of 32 random bytes (`openssl rand -base64 32`); keep it safe, stored credentials cannot be read without it',
    );
  }
  if (!result.success || problems.size > 0) return { ok: false, problems: [...problems.values()] };
  return { ok: true, config: toConfig(result.data) };
}

function toConfig(env: Parsed): Config {
  return {
    production: env.NODE_ENV === 'production',
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL === undefined ? undefined : `${env.SLACK_API_URL}/`,
    },
    port: env.PORT,
    alationBaseUrl: env.ALATION_BASE_URL,
    modeBaseUrl: env.MODE_BASE_URL,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    tokenEncryptionKey:
      env.TOKEN_ENCRYPTION_KEY === undefined
        ? undefined
        : Buffer.from(env.TOKEN_ENCRYPTION_KEY, 'base64'),
    logLevel: env.LOG_LEVEL,
  };
}
