// When a failed call is worth repeating, and how long to wait first. Only idempotent methods are
// ever repeated: a POST that timed out or got a 503 may already have created the query or flag.
//
// Why not undici's RetryAgent / interceptors.retry (undici 8, lib/handler/retry-handler.js): its
// default strategy caps a long Retry-After at maxTimeout and still waits, where this fails at
// once with `rate_limited` and the wait (maxRetryAfterSeconds) so Slack can say "try again in
// N s"; its backoff has no jitter, so clients retry in lockstep; it waits with its own
// setTimeout, with no injectable sleep/random, so the retry tests would need fake timers. A
// custom `retry` callback could do all of that, but it would be this file again plus plumbing.

export interface RetryPolicy {
  /** Total tries including the first; 1 turns retrying off. */
  attempts: number;
  /** First backoff step; doubles each retry, then gets jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A Retry-After longer than this is not waited out: the call fails at once with
   * `rate_limited` and the wait, so a Slack user hears "try again in N s" instead of a hang.
   */
  maxRetryAfterSeconds: number;
  sleep: (ms: number) => Promise<void>;
  /** [0, 1); injectable so tests get deterministic jitter. */
  random: () => number;
}

export const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    attempts: 3,
    baseDelayMs: 250,
    maxDelayMs: 5_000,
    maxRetryAfterSeconds: 30,
    sleep: defaultSleep,
    random: Math.random,
    ...overrides,
  };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** 500 is left out: Alation uses it for deterministic failures (table sync's bad connection). */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Exponential backoff with "equal jitter": never less than half the step, never in lockstep. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (step / 2) * policy.random());
}

/** Retry-After as delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
