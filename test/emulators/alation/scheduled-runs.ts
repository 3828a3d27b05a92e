// Celery-driven scheduled runs of queries (GET …/query/scheduled_run/ and the per-query list).
import { randomUUID } from 'node:crypto';
import type { IncomingCall, Reply } from '../faults.ts';
import { authed } from './auth.ts';
import { requireQuery, scopedToVisibleQueries } from './executions.ts';
import type { FieldMap } from './filters.ts';
import { listReply } from './filters.ts';
import type { AlationEnv, AlationUser, ScheduledRun } from './state.ts';
import type { Route } from './wire.ts';
import { isoMicro, isoOrNull } from './wire.ts';

export interface ScheduledRunSeed {
  queryId?: number | null;
  sessionId?: number | null;
  taskId?: string;
  tsSentToBroker?: Date;
  tsPrerun?: Date | null;
  tsPostrun?: Date | null;
}

/** Seeds a run; without queryId it looks like one from before the feature flag was on. */
export function addScheduledRun(env: AlationEnv, seed: ScheduledRunSeed = {}): ScheduledRun {
  const query = seed.queryId == null ? null : requireQuery(env, seed.queryId);
  const run: ScheduledRun = {
    sessionId: seed.sessionId ?? null,
    queryId: query?.id ?? null,
    queryTitle: query?.title ?? null,
    taskId: seed.taskId ?? randomUUID(),
    tsSentToBroker: seed.tsSentToBroker ?? env.clock.now(),
    tsPrerun: seed.tsPrerun ?? null,
    tsPostrun: seed.tsPostrun ?? null,
  };
  env.state.scheduledRuns.push(run);
  return run;
}

function renderScheduledRun(run: ScheduledRun) {
  return {
    session_id: run.sessionId,
    query_id: run.queryId,
    query_title: run.queryTitle,
    task_id: run.taskId,
    ts_sent_to_broker: isoMicro(run.tsSentToBroker),
    ts_prerun: isoOrNull(run.tsPrerun),
    ts_postrun: isoOrNull(run.tsPostrun),
  };
}

const scheduledRunFields: FieldMap<ScheduledRun> = {
  session_id: { type: 'number', get: (r) => r.sessionId },
  query_id: { type: 'number', get: (r) => r.queryId },
  query_title: { type: 'string', get: (r) => r.queryTitle },
  task_id: { type: 'string', get: (r) => r.taskId },
  ts_sent_to_broker: { type: 'date', get: (r) => r.tsSentToBroker },
  ts_prerun: { type: 'date', get: (r) => r.tsPrerun },
  ts_postrun: { type: 'date', get: (r) => r.tsPostrun },
};

function listScheduledRuns(
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  params: string[],
): Reply {
  const rows = scopedToVisibleQueries(env, user, env.state.scheduledRuns, params[0]);
  if (!Array.isArray(rows)) return rows;
  const spec = {
    fields: scheduledRunFields,
    orderings: {
      ts_sent_to_broker: (r: ScheduledRun) => r.tsSentToBroker,
      ts_prerun: (r: ScheduledRun) => r.tsPrerun,
      ts_postrun: (r: ScheduledRun) => r.tsPostrun,
    },
    defaultOrder: (r: ScheduledRun) => r.tsSentToBroker,
  };
  return listReply(env, call, rows, spec, renderScheduledRun);
}

export const scheduledRunRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/scheduled_run\/$/,
    handle: authed('query', listScheduledRuns),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/scheduled_run\/$/,
    handle: authed('query', listScheduledRuns),
  },
];
