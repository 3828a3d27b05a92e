// The request loop under every Http method: send, retry what may be retried, and turn every
// failure – a status, a socket error, a bad body – into a typed upstream error.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../log.ts';
import { BadResponseError, type UpstreamError } from '../errors.ts';
import { decodedStream, readPrefix } from './body.ts';
import { type CallFacts, errorForException, errorForStatus, parseErrorBody } from './failure.ts';
import {
  backoffMs,
  isIdempotent,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.ts';
import { linkTarget, pathOf, type QueryParams, withQuery } from './url.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

type Target =
  /** An API path below the base URL: `/integration/v1/query/`. */
  | { path: string; link?: never }
  /** A link the server handed out (X-Next-Page, HAL href); only its path and query are used. */
  | { link: string; path?: never };

export type RequestSpec = Target & {
  method?: Method;
  query?: QueryParams;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  signal?: AbortSignal;
};

export interface ExchangeTimeouts {
  headersMs: number;
  bodyMs: number;
}

export interface ExchangeOptions {
  dispatcher: Dispatcher;
  baseUrl: URL;
  service: string;
  timeouts: ExchangeTimeouts;
  policy: RetryPolicy;
  log: Logger | undefined;
}

export type ReadResponse<T> = (res: Dispatcher.ResponseData, facts: CallFacts) => Promise<T>;

export type Exchange = <T>(spec: RequestSpec, accept: string, read: ReadResponse<T>) => Promise<T>;

/** Enough of an error body to find a DRF detail or a proxy page's title. */
const ERROR_BODY_BYTES = 64 * 1024;

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function contentTypeOf(headers: IncomingHttpHeaders): string | null {
  return header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase() || null;
}

function encodeBody(spec: RequestSpec): { body?: string; contentType?: string } {
  if (spec.json !== undefined) {
    return { body: JSON.stringify(spec.json), contentType: 'application/json' };
  }
  if (spec.form !== undefined) {
    return {
      body: new URLSearchParams(spec.form).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  return {};
}

export function createExchange(options: ExchangeOptions): Exchange {
  const { dispatcher, service, timeouts, policy, log } = options;
  const origin = options.baseUrl.origin;
  const prefix = options.baseUrl.pathname.replace(/\/+$/, '');

  const targetOf = (spec: RequestSpec) =>
    withQuery(
      spec.link !== undefined ? linkTarget(spec.link) : `${prefix}${spec.path}`,
      spec.query,
    );

  function retryDelayMs(
    method: string,
    status: number,
    retryAfter: number | null,
    attempt: number,
  ): number | null {
    if (!isIdempotent(method) || attempt >= policy.attempts || !isRetryableStatus(status)) {
      return null;
    }
    if (retryAfter === null) return backoffMs(policy, attempt);
    return retryAfter <= policy.maxRetryAfterSeconds ? retryAfter * 1000 : null;
  }

  function logExchange(facts: CallFacts, status: number | null, started: number, attempt: number) {
    log?.debug(
      {
        service,
        method: facts.method,
        path: facts.path,
        status,
        ms: Math.round(performance.now() - started),
        attempt,
      },
      'upstream call',
    );
  }

  async function failureOf(
    facts: CallFacts,
    res: Dispatcher.ResponseData,
    retryAfter: number | null,
  ): Promise<UpstreamError> {
    const encoding = res.headers['content-encoding'];
    const text = await readPrefix(
      decodedStream(res.body, encoding, (e) => e as Error),
      ERROR_BODY_BYTES,
    ).catch(() => '');
    return errorForStatus(
      facts,
      res.statusCode,
      parseErrorBody(contentTypeOf(res.headers), text),
      retryAfter,
    );
  }

  /**
   * One logical call: sends, retries what may be retried, maps every failure, and hands a 2xx
   * response to `read` (whose own failures – a reset mid-body, bad JSON – are mapped too).
   */
  return async function exchange<T>(
    spec: RequestSpec,
    accept: string,
    read: ReadResponse<T>,
  ): Promise<T> {
    const method = spec.method ?? 'GET';
    const target = targetOf(spec);
    const facts: CallFacts = { service, method, path: pathOf(target) };
    const { body, contentType } = encodeBody(spec);
    const headers: Record<string, string> = {
      accept,
      'accept-encoding': 'gzip, deflate',
      'user-agent': 'alation-slack-bot',
      ...(contentType ? { 'content-type': contentType } : {}),
      ...spec.headers,
    };

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      let status: number | null = null;
      try {
        const res = await dispatcher.request({
          origin,
          path: target,
          method,
          headers,
          body: body ?? null,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
          signal: spec.signal ?? null,
        });
        status = res.statusCode;
        logExchange(facts, status, started, attempt);
        if (status >= 200 && status < 300) {
          outcome = { ok: true, value: await read(res, facts) };
        } else {
          const retryAfter = parseRetryAfter(header(res.headers, 'retry-after'));
          const wait = retryDelayMs(method, status, retryAfter, attempt);
          if (wait !== null) {
            await res.body.dump().catch(() => {});
            log?.debug(
              { service, method, path: facts.path, status, waitMs: wait, attempt },
              'upstream retry',
            );
            await policy.sleep(wait);
            continue;
          }
          outcome = { ok: false, error: await failureOf(facts, res, retryAfter) };
        }
      } catch (error) {
        if (status === null) logExchange(facts, null, started, attempt);
        outcome = { ok: false, error };
      }
      if (outcome.ok) return outcome.value;

      const mapped = errorForException(facts, outcome.error);
      if (!mapped) throw outcome.error;
      // Only idempotent calls: a POST whose connection dropped may already have been carried out.
      if (mapped.kind === 'unreachable' && isIdempotent(method) && attempt < policy.attempts) {
        const wait = backoffMs(policy, attempt);
        log?.debug(
          { service, method, path: facts.path, error: mapped.kind, waitMs: wait, attempt },
          'upstream retry',
        );
        await policy.sleep(wait);
        continue;
      }
      if (mapped instanceof BadResponseError && mapped.reason === 'schema_mismatch') {
        log?.warn(mapped.toLog(), 'upstream answer does not match its schema');
      }
      throw mapped;
    }
  };
}
