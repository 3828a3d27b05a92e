// Compose queries: create, list, details, SQL text, latest result and its CSV.
import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import type { Http, StreamResponse } from '../http.ts';
import type { Page } from '../paging.ts';
import { idSegment } from './ids.ts';
import { fetchPage, type ListRequest } from './list.ts';
import {
  type CreatedQuery,
  type CreateQueryBody,
  createdQuerySchema,
  type LatestResult,
  latestResultSchema,
  type Query,
  querySchema,
} from './query-schemas.ts';
import type { WithToken } from './token-auth.ts';

export interface QueryEndpoints {
  /** POST …/query/ (201). Field problems come back as `bad_request` with `fieldErrors`. */
  create(body: CreateQueryBody): Promise<CreatedQuery>;
  /** Filters on the documented fields (`title__icontains`, `schedule_enabled`, …). */
  list(request?: ListRequest): Promise<Page<Query>>;
  get(queryId: number): Promise<Query>;
  /** Saved SQL text, whitespace intact. */
  sql(queryId: number): Promise<string>;
  /**
   * The newest visible result, or null when the query exists but has none (expired, never run,
   * or not visible to this user – Alation answers all three the same way). A query that does
   * not exist is still `not_found`.
   */
  latestResult(queryId: number): Promise<LatestResult | null>;
  /** Streams the cached result (≤ 16 MB, possibly partial) without holding it in memory. */
  resultCsv(resultId: number, options?: { signal?: AbortSignal }): Promise<StreamResponse>;
}

const NO_RESULT = /could not get latest query result/i;

export function queryEndpoints(http: Http, withToken: WithToken): QueryEndpoints {
  return {
    create: (body) =>
      withToken(async (headers) => {
        const res = await http.json(
          { method: 'POST', path: '/integration/v1/query/', json: body, headers },
          createdQuerySchema,
        );
        return res.data;
      }),

    list: (request) =>
      withToken((headers) =>
        fetchPage(http, headers, '/integration/v1/query/', request, z.array(querySchema)),
      ),

    get: (queryId) =>
      withToken(async (headers) => {
        const res = await http.json(
          { path: `/integration/v1/query/${idSegment(queryId)}/`, headers },
          querySchema,
        );
        return res.data;
      }),

    sql: (queryId) =>
      withToken(async (headers) => {
        const res = await http.text({
          path: `/integration/v1/query/${idSegment(queryId)}/sql/`,
          headers,
        });
        return res.data;
      }),

    latestResult: (queryId) =>
      withToken(async (headers) => {
        try {
          const res = await http.json(
            { path: `/integration/v1/query/${idSegment(queryId)}/result/latest/`, headers },
            latestResultSchema,
          );
          return res.data;
        } catch (error) {
          if (error instanceof NotFoundError && NO_RESULT.test(error.detail ?? '')) return null;
          throw error;
        }
      }),

    resultCsv: (resultId, options = {}) =>
      withToken((headers) =>
        http.stream({
          path: `/integration/v1/result/${idSegment(resultId)}/csv/`,
          headers: { ...headers, accept: 'text/csv, */*;q=0.5' },
          signal: options.signal,
        }),
      ),
  };
}
