// The one place upstream HTTP happens: undici underneath, typed errors and zod-checked JSON on
// top, retries for idempotent calls (./http/exchange.ts), and a debug line per exchange that
// never holds a header or a body.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import { BadResponseError } from './errors.ts';
import { decodedStream, readText } from './http/body.ts';
import { contentTypeOf, createExchange, header, type RequestSpec } from './http/exchange.ts';
import { type CallFacts, errorForException, looksLikeHtml } from './http/failure.ts';
import { type RetryPolicy, retryPolicy } from './http/retry.ts';
import { linkTarget } from './http/url.ts';

export type { Method, RequestSpec } from './http/exchange.ts';
export type { RetryPolicy } from './http/retry.ts';
export type { QueryParams, QueryValue } from './http/url.ts';

export interface HttpTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From sending the request to the last response header. */
  headersMs: number;
  /** Longest silence between two body chunks (not the whole download). */
  bodyMs: number;
  /** How long an idle pooled connection is kept. */
  keepAliveMs: number;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  keepAliveMs: 10_000,
};

export interface HttpOptions {
  /** Origin (plus an optional path prefix) that API paths hang off. */
  baseUrl: string;
  /** How users know the server, for error messages: "Alation", "Mode". */
  service?: string;
  /** Defaults to an Agent owned (and closed) by this instance. */
  dispatcher?: Dispatcher;
  timeouts?: Partial<HttpTimeouts>;
  retry?: Partial<RetryPolicy>;
  log?: Logger;
  /** Largest JSON or text body read into memory; streams are not limited. */
  maxBodyBytes?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  data: T;
  /** X-Next-Page as path+query (any origin it named is dropped), or null. */
  nextPage: string | null;
}

export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string | null;
  /** Decoded (gunzipped) body; read it to the end or destroy it to free the connection. */
  body: Readable;
}

export interface Http {
  readonly baseUrl: string;
  readonly service: string;
  json<T>(spec: RequestSpec, schema: z.ZodType<T>): Promise<HttpResponse<T>>;
  text(spec: RequestSpec): Promise<HttpResponse<string>>;
  stream(spec: RequestSpec): Promise<StreamResponse>;
  /** For answers without a useful body (204 on DELETE). */
  send(spec: RequestSpec): Promise<{ status: number; headers: IncomingHttpHeaders }>;
  /** Closes the connection pool if this instance created it; an injected one is left alone. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_ISSUES_LOGGED = 5;

/** Paths and rules only: zod 4 messages name the expected type, never the received value. */
export function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, MAX_ISSUES_LOGGED)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

export function createHttp(options: HttpOptions): Http {
  const service = options.service ?? 'the server';
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      keepAliveTimeout: timeouts.keepAliveMs,
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
  const exchange = createExchange({
    dispatcher,
    baseUrl: new URL(options.baseUrl),
    service,
    timeouts,
    policy: retryPolicy(options.retry),
    log: options.log,
  });

  async function readWhole(res: Dispatcher.ResponseData, facts: CallFacts): Promise<string> {
    const text = await readText(
      decodedStream(res.body, res.headers['content-encoding'], (e) => e as Error),
      maxBodyBytes,
    );
    if (looksLikeHtml(contentTypeOf(res.headers), text)) {
      throw new BadResponseError({ ...facts, status: res.statusCode, reason: 'html' });
    }
    return text;
  }

  const nextPageOf = (headers: IncomingHttpHeaders) => {
    const value = header(headers, 'x-next-page')?.trim();
    return value ? linkTarget(value) : null;
  };

  return {
    baseUrl: options.baseUrl,
    service,

    json(spec, schema) {
      return exchange(spec, 'application/json', async (res, facts) => {
        const text = await readWhole(res, facts);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new BadResponseError({ ...facts, status: res.statusCode, reason: 'malformed' });
        }
        const checked = schema.safeParse(parsed);
        if (!checked.success) {
          throw new BadResponseError({
            ...facts,
            status: res.statusCode,
            reason: 'schema_mismatch',
            issues: summariseIssues(checked.error),
          });
        }
        return {
          status: res.statusCode,
          headers: res.headers,
          data: checked.data,
          nextPage: nextPageOf(res.headers),
        };
      });
    },

    text(spec) {
      return exchange(spec, 'text/plain, */*;q=0.5', async (res, facts) => ({
        status: res.statusCode,
        headers: res.headers,
        data: await readWhole(res, facts),
        nextPage: nextPageOf(res.headers),
      }));
    },

    stream(spec) {
      return exchange(spec, '*/*', async (res, facts) => {
        const contentType = contentTypeOf(res.headers);
        if (contentType?.includes('html')) {
          await res.body.dump().catch(() => {});
          throw new BadResponseError({ ...facts, status: res.statusCode, reason: 'html' });
        }
        const body = decodedStream(
          res.body,
          res.headers['content-encoding'],
          (error) => errorForException(facts, error) ?? (error as Error),
        );
        return { status: res.statusCode, headers: res.headers, contentType, body };
      });
    },

    send(spec) {
      return exchange(spec, 'application/json', async (res) => {
        await res.body.dump();
        return { status: res.statusCode, headers: res.headers };
      });
    },

    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
