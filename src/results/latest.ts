import type { AlationClient, ExecutionEvent, LatestResult, Query } from '../client/alation.ts';

/** Alation's timestamps come as ISO or as "2017-10-18 01:19:09.855398+00:00". */
export function parseAlationTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface Ran {
  executedAt: Date | undefined;
  secondsTaken: number | undefined;
}

/** Everything the result message can be about, decided before any CSV is read. */
export type ResultState =
  | { kind: 'none' }
  | ({ kind: 'failed'; error: string } & Ran)
  | ({ kind: 'canceled' } & Ran)
  | ({ kind: 'running' } & Ran)
  | ({ kind: 'expired'; expiredAt: Date | undefined } & Ran)
  | ({
      kind: 'ready';
      resultId: number;
      /** Alation kept only the first 16 MB. */
      truncated: boolean;
      /** "Run & Export" in Compose: only the first 1000 rows were kept. */
      previewOnly: boolean;
      /** Rows the query returned, when Alation says. */
      rowCount: number | undefined;
      expiresAt: Date | undefined;
    } & Ran);

export interface LatestOutcome {
  query: Query;
  state: ResultState;
}

/**
 * The query and what became of its latest run. The latest-result call says whether it finished,
 * failed or was canceled; the execution event for that result adds row count, expiry and
 * whether only a preview was kept.
 */
export async function latestResultOf(
  alation: AlationClient,
  queryId: number,
): Promise<LatestOutcome> {
  const [query, latest] = await Promise.all([
    alation.queries.get(queryId),
    alation.queries.latestResult(queryId),
  ]);
  if (!latest) return { query, state: await whyNoResult(alation, queryId) };
  const event = await eventFor(alation, queryId, latest.id);
  return { query, state: stateOf(latest, event) };
}

/**
 * Alation answers "no available or visible results" alike for a query that never ran and one
 * whose results expired; its execution events tell the two apart.
 */
async function whyNoResult(alation: AlationClient, queryId: number): Promise<ResultState> {
  const expired = await alation.executions.events(
    { queryId },
    { filters: { result_expired: true }, limit: 100 },
  );
  if (expired.items.length === 0) return { kind: 'none' };
  // Events come oldest first and the docs offer no ordering: take the newest by time.
  const newest = expired.items.reduce((a, b) =>
    (parseAlationTime(b.ts_executed)?.getTime() ?? 0) >
    (parseAlationTime(a.ts_executed)?.getTime() ?? 0)
      ? b
      : a,
  );
  return {
    kind: 'expired',
    expiredAt: parseAlationTime(newest.result?.ts_expiration),
    executedAt: parseAlationTime(newest.ts_executed),
    secondsTaken: newest.elapsed_seconds ?? undefined,
  };
}

async function eventFor(
  alation: AlationClient,
  queryId: number,
  resultId: number,
): Promise<ExecutionEvent | undefined> {
  const page = await alation.executions.events(
    { queryId },
    { filters: { result_id: resultId }, limit: 1 },
  );
  return page.items[0];
}

export function stateOf(latest: LatestResult, event: ExecutionEvent | undefined): ResultState {
  const run = latest.execution_event;
  const ran: Ran = {
    executedAt: parseAlationTime(run?.executed_at) ?? parseAlationTime(event?.ts_executed),
    secondsTaken: run?.seconds_taken ?? event?.elapsed_seconds ?? undefined,
  };
  const error = run?.execution_error ?? event?.execution_error;
  if (error) return { kind: 'failed', error, ...ran };
  if (run?.canceled || event?.canceled) return { kind: 'canceled', ...ran };
  const result = event?.result ?? null;
  if (run?.finished === false || result?.storage_status === 'IN_PROGRESS') {
    return { kind: 'running', ...ran };
  }
  if (result?.expired || result?.deleted) {
    return { kind: 'expired', expiredAt: parseAlationTime(result.ts_expiration), ...ran };
  }
  return {
    kind: 'ready',
    resultId: latest.id,
    truncated:
      latest.truncated || result?.truncated === true || result?.storage_status === 'STORED_PART',
    previewOnly: result?.storage_status === 'STORED_PREVIEW',
    rowCount: result?.row_count ?? event?.num_result_rows ?? undefined,
    expiresAt: parseAlationTime(result?.ts_expiration),
    ...ran,
  };
}
