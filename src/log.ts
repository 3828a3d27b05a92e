import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are secrets wherever they appear in a log object. Matched loosely on purpose:
 * a false positive costs a hidden value, a false negative leaks a credential.
 */
const SECRET_KEY =
  /token|secret|passw|authorization|cookie|api[-_]?key|private[-_]?key|credential|signature|code[-_]?verifier|^code$|^state$/i;
/** Keys that contain a secret-looking word but describe one rather than hold it. */
const SECRET_METADATA_KEY = /(_at|_status|_type|_id|_ids|expires|Expires)$/;

/** Credentials that show up inside free text: Slack tokens, auth headers, URL query parameters. */
const SECRET_IN_TEXT: readonly [RegExp, string][] = [
  [/\bx(?:ox[abposre]|app)[.-][A-Za-z0-9.-]+/g, '[REDACTED]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  [
    /([?&](?:token|access_token|refresh_token|code|state|client_secret)=)[^&\s"']+/gi,
    '$1[REDACTED]',
  ],
];

const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) out = out.replace(pattern, replacement);
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !SECRET_METADATA_KEY.test(key);
}

/** Returns a copy of `value` with secrets replaced; never mutates what the caller logged. */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return scrubError(value, depth, seen);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  // Headers objects (undici/fetch) iterate as pairs; plain objects go through their entries.
  const entries =
    value instanceof Headers || value instanceof Map
      ? [...(value as Map<string, unknown>).entries()]
      : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    out[key] = isSecretKey(key) && v != null && v !== '' ? REDACTED : scrub(v, depth + 1, seen);
  }
  return out;
}

/** Keeps the error's class (pino's serializer reports it as `type`) while scrubbing its text. */
function scrubError(error: Error, depth: number, seen: WeakSet<object>): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const v = (error as unknown as Record<string, unknown>)[key];
    Object.defineProperty(copy, key, {
      value: isSecretKey(key) ? REDACTED : scrub(v, depth + 1, seen),
      enumerable: Object.getOwnPropertyDescriptor(error, key)?.enumerable ?? false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * pino does not run the bindings formatter for child loggers, but it does apply `redact` to
 * them; these names cover the secrets a child could plausibly be bound with.
 */
const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  'cookie',
  'accessToken',
  'access_token',
  'apiAccessToken',
  'api_access_token',
  'refreshToken',
  'refresh_token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
];

export interface LoggerOptions {
  level: string;
  /** Tests pass a stream to read what was written; production writes JSON lines to stdout. */
  destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: 'alation-slack-bot' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: {
        // Runs on every merged object, however deep, so no path list can be forgotten.
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      hooks: {
        // Messages and format arguments are free text; scrub them as well.
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const toBoltLevel: Record<string, LogLevel> = {
  fatal: LogLevel.ERROR,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
  trace: LogLevel.DEBUG,
  silent: LogLevel.ERROR,
};

/**
 * Bolt logs through its own four-method interface with console-style varargs; this sends those
 * lines through our pino instance (and so through the same redaction).
 */
export function boltLogger(base: Logger): BoltLogger {
  let log = base.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      // Bolt logs at debug several times per request; skip the formatting when nobody listens.
      if (!log.isLevelEnabled(level)) return;
      const errors = msg.filter((m): m is Error => m instanceof Error);
      const text = msg
        .filter((m) => !(m instanceof Error))
        .map((m) => (typeof m === 'string' ? m : JSON.stringify(scrub(m))))
        .join(' ');
      if (errors[0]) log[level]({ err: errors[0] }, text || errors[0].message);
      else log[level](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // Bolt calls setLevel with its own default during construction; the process-wide level
    // comes from LOG_LEVEL, so that call must not override it.
    setLevel: () => {},
    getLevel: () => toBoltLevel[log.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      log = base.child({ component: name });
    },
  };
}
