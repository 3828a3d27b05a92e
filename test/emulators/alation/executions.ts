// Execution history of queries: sessions → batches → events (one per statement) → cached
// results. Seeding creates the whole chain in one call.
import { randomUUID } from 'node:crypto';
import type { IncomingCall, Reply } from '../faults.ts';
import { json } from '../faults.ts';
import { authed } from './auth.ts';
import { canSeeQuery } from './catalog.ts';
import type { FieldMap } from './filters.ts';
import { listReply } from './filters.ts';
import type {
  AlationEnv,
  AlationUser,
  CsvSource,
  DataSchemaColumn,
  ExecutionBatch,
  ExecutionEvent,
  ExecutionResult,
  ExecutionSession,
  Query,
  ResultStorageStatus,
} from './state.ts';
import { nextId, RESULT_STORAGE_STATUSES } from './state.ts';
import type { Route } from './wire.ts';
import { forbidden, isoMicro, notFound } from './wire.ts';

export interface ExecutionSeed {
  /** Append to this batch (a further statement of the same run) instead of starting a new one. */
  batchId?: number;
  /** Reuse this session (Compose runs share one); ignored when batchId is given. */
  sessionId?: number;
  scheduled?: boolean;
  statement?: string;
  executedAt?: Date;
  finished?: boolean;
  finishedAt?: Date | null;
  secondsTaken?: number;
  canceled?: boolean;
  executionError?: string | null;
  dbUsername?: string;
}

export interface ResultSeed extends ExecutionSeed {
  id?: number;
  csv?: CsvSource;
  title?: string;
  rowCount?: number;
  byteCount?: number;
  truncated?: boolean;
  storageStatus?: ResultStorageStatus;
  expired?: boolean;
  deleted?: boolean;
  /** Defaults to one VARCHAR column per CSV header cell when the CSV is a string. */
  dataSchema?: DataSchemaColumn[];
  tsExpiration?: Date;
}

export interface SeededExecution {
  sessionId: number;
  batchId: number;
  eventId: number;
  resultId: number | null;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function requireQuery(env: AlationEnv, queryId: number): Query {
  const query = env.state.queries.get(queryId);
  if (!query) throw new Error(`emulator: no query ${queryId}; seed it with addQuery first`);
  return query;
}

function openSession(
  env: AlationEnv,
  query: Query,
  seed: ExecutionSeed,
  at: Date,
): ExecutionSession {
  const existing =
    seed.sessionId === undefined ? undefined : env.state.sessions.get(seed.sessionId);
  if (existing) return existing;
  const id = nextId(env.state, 'session', seed.sessionId);
  const session: ExecutionSession = {
    id,
    clientSessionId: `${isoMicro(at)}#${randomUUID().slice(0, 8)}`,
    queryId: query.id,
    tsStart: at,
    sandboxId: seed.scheduled ? `schedule-${query.id}` : `compose-${id}`,
    isScheduled: seed.scheduled ?? false,
  };
  env.state.sessions.set(id, session);
  return session;
}

function openBatch(env: AlationEnv, query: Query, seed: ExecutionSeed, at: Date): ExecutionBatch {
  const existing = seed.batchId === undefined ? undefined : env.state.batches.get(seed.batchId);
  if (existing) return existing;
  const session = openSession(env, query, seed, at);
  const batch: ExecutionBatch = {
    id: nextId(env.state, 'batch', seed.batchId),
    queryId: query.id,
    sessionId: session.id,
  };
  env.state.batches.set(batch.id, batch);
  return batch;
}

/** Records one executed statement, without a cached result (e.g. DDL, or an error). */
export function addExecutionEvent(
  env: AlationEnv,
  queryId: number,
  seed: ExecutionSeed = {},
): SeededExecution {
  const query = requireQuery(env, queryId);
  const at = seed.executedAt ?? env.clock.now();
  const batch = openBatch(env, query, seed, at);
  const finished = seed.finished ?? true;
  const seconds = seed.secondsTaken ?? 0.121132;
  const event: ExecutionEvent = {
    id: nextId(env.state, 'event'),
    batchId: batch.id,
    sessionId: batch.sessionId,
    queryId,
    datasourceId: query.datasourceId,
    indexInBatch: [...env.state.events.values()].filter((e) => e.batchId === batch.id).length,
    statementContent: seed.statement ?? query.content,
    tsExecuted: at,
    finished,
    finishedAt:
      seed.finishedAt !== undefined
        ? seed.finishedAt
        : finished
          ? new Date(at.getTime() + seconds * 1000)
          : null,
    elapsedSeconds: finished ? seconds : null,
    canceled: seed.canceled ?? false,
    executionError: seed.executionError ?? null,
    dbUsername: seed.dbUsername ?? 'alation',
    numResultRows: null,
    resultId: null,
  };
  env.state.events.set(event.id, event);
  return { sessionId: batch.sessionId, batchId: batch.id, eventId: event.id, resultId: null };
}

function csvFacts(csv: CsvSource) {
  if (typeof csv !== 'string') return { rows: 0, bytes: 0, header: [] as string[] };
  const lines = csv.split(/\r?\n/).filter((line) => line.length > 0);
  return {
    rows: Math.max(lines.length - 1, 0),
    bytes: Buffer.byteLength(csv),
    header: (lines[0] ?? '').split(','),
  };
}

/** Records a statement execution together with its cached result. */
export function addResult(
  env: AlationEnv,
  queryId: number,
  seed: ResultSeed = {},
): SeededExecution & { resultId: number } {
  const ids = addExecutionEvent(env, queryId, seed);
  const event = env.state.events.get(ids.eventId) as ExecutionEvent;
  const csv = seed.csv ?? '';
  const facts = csvFacts(csv);
  const result: ExecutionResult = {
    id: nextId(env.state, 'result', seed.id),
    eventId: event.id,
    queryId,
    title: seed.title ?? `Result ${event.id}`,
    tsCreated: event.finishedAt ?? event.tsExecuted,
    tsExpiration: seed.tsExpiration ?? new Date(event.tsExecuted.getTime() + WEEK_MS),
    rowCount: seed.rowCount ?? facts.rows,
    byteCount: seed.byteCount ?? facts.bytes,
    truncated: seed.truncated ?? false,
    expired: seed.expired ?? false,
    deleted: seed.deleted ?? false,
    storageStatus: seed.storageStatus ?? (event.finished ? 'STORED_ALL' : 'IN_PROGRESS'),
    dataSchema:
      seed.dataSchema ??
      facts.header
        .filter(Boolean)
        .map((name) => ({ name, type: 'varchar', norm_type: 'STRING', original_name: name })),
    csv,
  };
  env.state.results.set(result.id, result);
  event.resultId = result.id;
  event.numResultRows = result.rowCount;
  return { ...ids, resultId: result.id };
}

export function renderSession(env: AlationEnv, s: ExecutionSession) {
  return {
    id: s.id,
    client_session_id: s.clientSessionId,
    query_id: s.queryId,
    ts_start: isoMicro(s.tsStart),
    sandbox_id: s.sandboxId,
    is_scheduled: s.isScheduled,
    batch_ids: batchesOf(env, s.id).map((b) => b.id),
  };
}

const batchesOf = (env: AlationEnv, sessionId: number) =>
  [...env.state.batches.values()].filter((b) => b.sessionId === sessionId);
const eventsOf = (env: AlationEnv, batchId: number) =>
  [...env.state.events.values()].filter((e) => e.batchId === batchId);

function renderBatch(env: AlationEnv, b: ExecutionBatch) {
  return {
    id: b.id,
    query_id: b.queryId,
    session_id: b.sessionId,
    events: eventsOf(env, b.id).map((e) => ({ id: e.id, index_in_batch: e.indexInBatch })),
  };
}

function renderResult(env: AlationEnv, r: ExecutionResult) {
  const query = env.state.queries.get(r.queryId);
  return {
    id: r.id,
    title: r.title,
    ts_created: isoMicro(r.tsCreated),
    row_count: r.rowCount,
    byte_count: r.byteCount,
    ts_expiration: isoMicro(r.tsExpiration),
    truncated: r.truncated,
    expired: r.expired,
    deleted: r.deleted,
    url: `/execution_result/${r.id}/`,
    storage_status: r.storageStatus,
    data_schema: r.dataSchema,
    query: { id: r.queryId, title: query?.title ?? '', description: query?.description ?? '' },
  };
}

function renderEvent(env: AlationEnv, e: ExecutionEvent) {
  const result = e.resultId === null ? undefined : env.state.results.get(e.resultId);
  const ds = env.state.dataSources.get(e.datasourceId);
  return {
    id: e.id,
    result: result ? renderResult(env, result) : null,
    num_result_rows: e.numResultRows,
    execution_error: e.executionError,
    canceled: e.canceled,
    ts_executed: isoMicro(e.tsExecuted),
    elapsed_seconds: e.elapsedSeconds,
    index_in_batch: e.indexInBatch,
    batch_id: e.batchId,
    session_id: e.sessionId,
    query_id: e.queryId,
    db_username: e.dbUsername,
    statement_content: e.statementContent,
    datasource: {
      title: ds?.title ?? '',
      id: e.datasourceId,
      url: `/data/${e.datasourceId}/`,
      uri: ds?.uri ?? '',
    },
  };
}

const sessionFields: FieldMap<ExecutionSession> = {
  id: { type: 'number', get: (s) => s.id },
  client_session_id: { type: 'string', get: (s) => s.clientSessionId },
  query_id: { type: 'number', get: (s) => s.queryId },
  ts_start: { type: 'date', get: (s) => s.tsStart },
  sandbox_id: { type: 'string', get: (s) => s.sandboxId },
  is_scheduled: { type: 'boolean', get: (s) => s.isScheduled },
};

const batchFields: FieldMap<ExecutionBatch> = {
  id: { type: 'number', get: (b) => b.id },
  query_id: { type: 'number', get: (b) => b.queryId },
  session_id: { type: 'number', get: (b) => b.sessionId },
};

function eventFields(env: AlationEnv): FieldMap<ExecutionEvent> {
  const result = (e: ExecutionEvent) =>
    e.resultId === null ? undefined : env.state.results.get(e.resultId);
  const session = (e: ExecutionEvent) => env.state.sessions.get(e.sessionId);
  return {
    id: { type: 'number', get: (e) => e.id },
    query_id: { type: 'number', get: (e) => e.queryId },
    session_id: { type: 'number', get: (e) => e.sessionId },
    batch_id: { type: 'number', get: (e) => e.batchId },
    index_in_batch: { type: 'number', get: (e) => e.indexInBatch },
    num_result_rows: { type: 'number', get: (e) => e.numResultRows },
    execution_error: { type: 'string', get: (e) => e.executionError },
    canceled: { type: 'boolean', get: (e) => e.canceled },
    ts_executed: { type: 'date', get: (e) => e.tsExecuted },
    elapsed_seconds: { type: 'number', get: (e) => e.elapsedSeconds },
    db_username: { type: 'string', get: (e) => e.dbUsername },
    session_is_scheduled: { type: 'boolean', get: (e) => session(e)?.isScheduled ?? false },
    datasource_id: { type: 'number', get: (e) => e.datasourceId },
    datasource_title: {
      type: 'string',
      get: (e) => env.state.dataSources.get(e.datasourceId)?.title ?? null,
    },
    result_id: { type: 'number', get: (e) => e.resultId },
    result_title: { type: 'string', get: (e) => result(e)?.title ?? null },
    result_ts_created: { type: 'date', get: (e) => result(e)?.tsCreated ?? null },
    result_row_count: { type: 'number', get: (e) => result(e)?.rowCount ?? null },
    result_byte_count: { type: 'number', get: (e) => result(e)?.byteCount ?? null },
    result_ts_expiration: { type: 'date', get: (e) => result(e)?.tsExpiration ?? null },
    result_truncated: { type: 'boolean', get: (e) => result(e)?.truncated ?? null },
    result_expired: { type: 'boolean', get: (e) => result(e)?.expired ?? null },
    result_deleted: { type: 'boolean', get: (e) => result(e)?.deleted ?? null },
    result_storage_status: {
      type: { enum: RESULT_STORAGE_STATUSES },
      get: (e) => result(e)?.storageStatus ?? null,
    },
  };
}

/** Visible rows, optionally narrowed to the query in the path (which must exist and be visible). */
export function scopedToVisibleQueries<T extends { queryId: number | null }>(
  env: AlationEnv,
  user: AlationUser,
  rows: T[],
  queryIdParam: string | undefined,
): T[] | Reply {
  const visible = (queryId: number | null) => {
    const query = queryId === null ? undefined : env.state.queries.get(queryId);
    return queryId === null || (query !== undefined && canSeeQuery(user, query));
  };
  if (queryIdParam === undefined) return rows.filter((row) => visible(row.queryId));
  const query = env.state.queries.get(Number(queryIdParam));
  if (!query) return notFound();
  if (!canSeeQuery(user, query)) return forbidden();
  return rows.filter((row) => row.queryId === query.id);
}

function detail<T extends { queryId: number }>(
  env: AlationEnv,
  user: AlationUser,
  row: T | undefined,
  render: (row: T) => unknown,
): Reply {
  if (!row) return notFound();
  const query = env.state.queries.get(row.queryId);
  if (query && !canSeeQuery(user, query)) return forbidden();
  return json(200, render(row));
}

function listSessions(
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  params: string[],
): Reply {
  const rows = scopedToVisibleQueries(env, user, [...env.state.sessions.values()], params[0]);
  if (!Array.isArray(rows)) return rows;
  const fields: FieldMap<ExecutionSession> = {
    ...sessionFields,
    batch_id: { type: 'number', get: (s) => batchesOf(env, s.id).map((b) => b.id) },
  };
  return listReply(env, call, rows, { fields, defaultOrder: (s) => s.id }, (s) =>
    renderSession(env, s),
  );
}

function listBatches(
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  params: string[],
): Reply {
  const rows = scopedToVisibleQueries(env, user, [...env.state.batches.values()], params[0]);
  if (!Array.isArray(rows)) return rows;
  const fields: FieldMap<ExecutionBatch> = {
    ...batchFields,
    event_id: { type: 'number', get: (b) => eventsOf(env, b.id).map((e) => e.id) },
  };
  return listReply(env, call, rows, { fields, defaultOrder: (b) => b.id }, (b) =>
    renderBatch(env, b),
  );
}

function listEvents(
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  params: string[],
): Reply {
  const rows = scopedToVisibleQueries(env, user, [...env.state.events.values()], params[0]);
  if (!Array.isArray(rows)) return rows;
  const spec = { fields: eventFields(env), defaultOrder: (e: ExecutionEvent) => e.id };
  return listReply(env, call, rows, spec, (e) => renderEvent(env, e));
}

export const executionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_session\/$/,
    handle: authed('query', listSessions),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/execution_session\/$/,
    handle: authed('query', listSessions),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_session\/(\d+)\/$/,
    handle: authed('query', (env, _call, user, [id]) =>
      detail(env, user, env.state.sessions.get(Number(id)), (s) => renderSession(env, s)),
    ),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_batch\/$/,
    handle: authed('query', listBatches),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/execution_batch\/$/,
    handle: authed('query', listBatches),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_batch\/(\d+)\/$/,
    handle: authed('query', (env, _call, user, [id]) =>
      detail(env, user, env.state.batches.get(Number(id)), (b) => renderBatch(env, b)),
    ),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_event\/$/,
    handle: authed('query', listEvents),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/execution_event\/$/,
    handle: authed('query', listEvents),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/execution_event\/(\d+)\/$/,
    handle: authed('query', (env, _call, user, [id]) =>
      detail(env, user, env.state.events.get(Number(id)), (e) => renderEvent(env, e)),
    ),
  },
];
