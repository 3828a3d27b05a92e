// Execution history of queries: sessions, batches, events and scheduled runs. Each list exists
// across all queries and per query (`{ queryId }`).
import { z } from 'zod';
import type { Http } from '../http.ts';
import type { Page } from '../paging.ts';
import {
  batchSchema,
  type ExecutionBatch,
  type ExecutionEvent,
  type ExecutionSession,
  eventSchema,
  type ScheduledRun,
  scheduledRunSchema,
  sessionSchema,
} from './execution-schemas.ts';
import { idSegment } from './ids.ts';
import { fetchPage, type ListRequest } from './list.ts';
import type { WithToken } from './token-auth.ts';

/** Restricts a list to one query (`/query/<id>/execution_event/`); ignored with a cursor. */
export interface QueryScope {
  queryId?: number;
}

export interface ExecutionEndpoints {
  sessions(scope?: QueryScope, request?: ListRequest): Promise<Page<ExecutionSession>>;
  session(sessionId: number): Promise<ExecutionSession>;
  batches(scope?: QueryScope, request?: ListRequest): Promise<Page<ExecutionBatch>>;
  batch(batchId: number): Promise<ExecutionBatch>;
  /** Filters include `result_storage_status`, `ts_executed__gte`, `execution_error__isnull`… */
  events(scope?: QueryScope, request?: ListRequest): Promise<Page<ExecutionEvent>>;
  event(eventId: number): Promise<ExecutionEvent>;
  /** order_by: `ts_sent_to_broker` (default), `ts_prerun`, `ts_postrun`. */
  scheduledRuns(scope?: QueryScope, request?: ListRequest): Promise<Page<ScheduledRun>>;
}

const BASE = '/integration/v1/query';

function listPath(kind: string, scope: QueryScope | undefined): string {
  return scope?.queryId === undefined
    ? `${BASE}/${kind}/`
    : `${BASE}/${idSegment(scope.queryId)}/${kind}/`;
}

export function executionEndpoints(http: Http, withToken: WithToken): ExecutionEndpoints {
  function list<T>(kind: string, schema: z.ZodType<T>) {
    return (scope?: QueryScope, request?: ListRequest) =>
      withToken((headers) =>
        fetchPage(http, headers, listPath(kind, scope), request, z.array(schema)),
      );
  }
  function one<T>(kind: string, schema: z.ZodType<T>) {
    return (id: number) =>
      withToken(async (headers) => {
        const res = await http.json({ path: `${BASE}/${kind}/${idSegment(id)}/`, headers }, schema);
        return res.data;
      });
  }
  return {
    sessions: list('execution_session', sessionSchema),
    session: one('execution_session', sessionSchema),
    batches: list('execution_batch', batchSchema),
    batch: one('execution_batch', batchSchema),
    events: list('execution_event', eventSchema),
    event: one('execution_event', eventSchema),
    scheduledRuns: list('scheduled_run', scheduledRunSchema),
  };
}
