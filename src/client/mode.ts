// Mode Analytics: the query runs of a report run and their CSV results. HAL+JSON behind HTTP
// Basic auth (API token : secret); related resources are reached through `_links`.
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import { BadResponseError } from './errors.ts';
import {
  createHttp,
  type Http,
  type HttpTimeouts,
  type RetryPolicy,
  type StreamResponse,
} from './http.ts';
import {
  accountSchema,
  type ModeAccount,
  type ModeQueryRun,
  type ModeQueryRunList,
  type ModeReportRunList,
  queryRunListSchema,
  queryRunSchema,
  reportRunListSchema,
} from './mode/schemas.ts';
import type { Pacer } from './pacer.ts';

export type {
  HalLinks,
  ModeAccount,
  ModeQueryRun,
  ModeQueryRunList,
  ModeReportRun,
  ModeReportRunList,
  ModeRunState,
} from './mode/schemas.ts';
export {
  accountSchema,
  isRunDone,
  isRunTerminal,
  queryRunListSchema,
  queryRunSchema,
} from './mode/schemas.ts';

export interface ModeCredentials {
  token: string;
  secret: string;
}

export interface ReportRunRef {
  /** Workspace (or user) name. */
  account: string;
  report: string;
  run: string;
}

export interface ModeClient {
  /** "Get an account": reads a workspace (or user) to check that the credentials work. */
  getAccount(account: string): Promise<ModeAccount>;
  listQueryRuns(ref: ReportRunRef): Promise<ModeQueryRunList>;
  /** A report's runs updated after `updatedAfter`, newest first ("List report runs"). */
  listReportRuns(
    ref: { account: string; report: string },
    options?: { updatedAfter?: Date },
  ): Promise<ModeReportRunList>;
  getQueryRun(ref: ReportRunRef & { queryRun: string }): Promise<ModeQueryRun>;
  /** GETs a `_links.*.href` and checks it against `schema`; only ever on the configured origin. */
  follow<T>(href: string, schema: z.ZodType<T>): Promise<T>;
  /** Streams the run's `result` link (`…/results/content.csv`), gunzipped if it came gzipped. */
  queryRunCsv(queryRun: ModeQueryRun, options?: { signal?: AbortSignal }): Promise<StreamResponse>;
}

export type ModeConnection =
  | { http: Http }
  | {
      /** https://app.mode.com (without `/api`). */
      baseUrl: string;
      dispatcher?: Dispatcher;
      log?: Logger;
      timeouts?: Partial<HttpTimeouts>;
      retry?: Partial<RetryPolicy>;
    };

const HAL = 'application/hal+json, application/json;q=0.9';

/** Mode allows about 40 requests per 10 s per token (mode.com developer docs). */
export const MODE_RATE = { limit: 40, windowMs: 10_000 } as const;

export function createModeClient(
  options: ModeConnection & {
    credentials: ModeCredentials;
    /** Shared across clients; queues requests past Mode's per-token rate instead of failing. */
    pacer?: Pacer;
  },
): ModeClient {
  const base = 'http' in options ? options.http : createHttp({ ...options, service: 'Mode' });
  const pace = () => options.pacer?.acquire(options.credentials.token) ?? Promise.resolve();
  // Every request waits for its turn under the token's rate first.
  const http: Pick<Http, 'json' | 'stream' | 'service'> = {
    service: base.service,
    json: async (spec, schema) => {
      await pace();
      return base.json(spec, schema);
    },
    stream: async (spec) => {
      await pace();
      return base.stream(spec);
    },
  };
  const pair = `${options.credentials.token}:${options.credentials.secret}`;
  const headers = {
    authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
    accept: HAL,
  };
  const seg = encodeURIComponent;
  const runPath = (ref: ReportRunRef) =>
    `/api/${seg(ref.account)}/reports/${seg(ref.report)}/runs/${seg(ref.run)}`;

  return {
    async getAccount(account) {
      const res = await http.json({ path: `/api/${seg(account)}`, headers }, accountSchema);
      return res.data;
    },

    async listQueryRuns(ref) {
      const res = await http.json(
        { path: `${runPath(ref)}/query_runs`, headers },
        queryRunListSchema,
      );
      return res.data;
    },

    async listReportRuns(ref, listOptions = {}) {
      const query: Record<string, string> = { order: 'desc', order_by: 'updated_at' };
      if (listOptions.updatedAfter) {
        query.filter = `updated_at.gt.${listOptions.updatedAfter.toISOString()}`;
      }
      const res = await http.json(
        { path: `/api/${seg(ref.account)}/reports/${seg(ref.report)}/runs`, query, headers },
        reportRunListSchema,
      );
      return res.data;
    },

    async getQueryRun(ref) {
      const res = await http.json(
        { path: `${runPath(ref)}/query_runs/${seg(ref.queryRun)}`, headers },
        queryRunSchema,
      );
      return res.data;
    },

    async follow(href, schema) {
      const res = await http.json({ link: href, headers }, schema);
      return res.data;
    },

    async queryRunCsv(queryRun, streamOptions = {}) {
      const href = queryRun._links.result?.href;
      if (!href) {
        throw new BadResponseError({
          service: http.service,
          method: 'GET',
          path: queryRun._links.self?.href ?? '(query run)',
          reason: 'schema_mismatch',
          issues: '_links.result: missing',
        });
      }
      return http.stream({
        link: href,
        headers: { ...headers, accept: 'text/csv, */*;q=0.5' },
        signal: streamOptions.signal,
      });
    },
  };
}
