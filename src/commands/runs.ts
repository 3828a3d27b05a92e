import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../auth/owner.ts';
import type { AlationClient, ExecutionEvent } from '../client/alation.ts';
import { collectPages, MAX_PAGE_SIZE } from '../client/paging.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { buttonValue } from '../slack/button-value.ts';
import { reportFailure } from '../slack/failure.ts';
import { userTimeZone } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import { echo } from '../views/blocks.ts';
import { ACTION_QUERY_RUN_HISTORY } from '../views/query.ts';
import { ACTION_RUNS_MORE, buildRunsMessage, type RunRow } from '../views/runs.ts';
import type { Command, CommandDeps } from './command.ts';
import { parseQueryId } from './sql.ts';

export const RUNS_PAGE_SIZE = 10;
/**
 * Alation cannot order execution events, so newest-first means reading the query's events and
 * sorting here. This bounds how many one page may read; longer histories show their newest.
 */
export const MAX_EVENTS_SCANNED = 5_000;

/**
 * Where a page of runs starts, carried in the More button so it works after a restart: the
 * query, whether only failures, and the (time, id) of the last run already shown.
 */
export interface RunsCursor {
  queryId: number;
  failedOnly: boolean;
  before?: { ts: string; id: number };
}

const cursorSchema = z.object({
  q: z.number().int().positive(),
  f: z.union([z.literal(0), z.literal(1)]),
  ts: z.string().max(64).optional(),
  id: z.number().int().optional(),
});

export function encodeRunsCursor(cursor: RunsCursor): string {
  return JSON.stringify({
    q: cursor.queryId,
    f: cursor.failedOnly ? 1 : 0,
    ...(cursor.before ? { ts: cursor.before.ts, id: cursor.before.id } : {}),
  });
}

export function decodeRunsCursor(value: string): RunsCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return undefined;
    const { q, f, ts, id } = parsed.data;
    return {
      queryId: q,
      failedOnly: f === 1,
      ...(ts !== undefined && id !== undefined ? { before: { ts, id } } : {}),
    };
  } catch {
    return undefined;
  }
}

/** `42`, `42 --failed`, a pasted query link, flags in any order. */
export function parseRunsArgs(
  args: string,
): { ok: true; queryId: number; failedOnly: boolean } | { ok: false; message: string } {
  const words = args.split(/\s+/).filter(Boolean);
  const failedOnly = words.some((w) => w === '--failed' || w === '—failed');
  const rest = words.filter((w) => w !== '--failed' && w !== '—failed');
  const unknownFlag = rest.find((w) => w.startsWith('-'));
  if (unknownFlag) {
    return {
      ok: false,
      message: `${echo(unknownFlag)} is not an option here; the only one is \`--failed\`, e.g. \`/alation runs 42 --failed\`.`,
    };
  }
  if (rest.length === 0) {
    return { ok: false, message: 'Which query? Give its id, e.g. `/alation runs 42`.' };
  }
  const queryId = rest.length === 1 ? parseQueryId(rest[0] ?? '') : undefined;
  if (queryId === undefined) {
    return {
      ok: false,
      message: `${echo(rest.join(' '))} is not a query id. Use the number from the query's URL, e.g. \`/alation runs 42\`.`,
    };
  }
  return { ok: true, queryId, failedOnly };
}

const timeOf = (e: ExecutionEvent) => {
  const t = new Date(e.ts_executed).getTime();
  return Number.isNaN(t) ? 0 : t;
};
/** Newest first; id breaks ties, so the order (and the cursor) is total. */
const newestFirst = (a: ExecutionEvent, b: ExecutionEvent) => timeOf(b) - timeOf(a) || b.id - a.id;

export interface RunsPage {
  rows: RunRow[];
  next: RunsCursor | undefined;
  truncated: boolean;
}

/** One page of a query's executions, newest first, with whether each run was scheduled. */
export async function loadRunsPage(alation: AlationClient, cursor: RunsCursor): Promise<RunsPage> {
  const scope = { queryId: cursor.queryId };
  const filters = {
    // The documented way to ask for failures: events that carry an execution error.
    execution_error__isnull: cursor.failedOnly ? false : undefined,
    ts_executed__lte: cursor.before?.ts,
  };
  const { items, truncated } = await collectPages(
    (next) =>
      alation.executions.events(
        scope,
        next === null ? { filters, limit: MAX_PAGE_SIZE } : { cursor: next },
      ),
    MAX_EVENTS_SCANNED,
  );
  const before = cursor.before;
  const older = before
    ? items.filter((e) => {
        const t = new Date(before.ts).getTime();
        return timeOf(e) < t || (timeOf(e) === t && e.id < before.id);
      })
    : items;
  const sorted = older.sort(newestFirst);
  const page = sorted.slice(0, RUNS_PAGE_SIZE);
  const last = page.at(-1);
  const next =
    sorted.length > RUNS_PAGE_SIZE && last
      ? { ...cursor, before: { ts: last.ts_executed, id: last.id } }
      : undefined;
  const scheduled = await scheduledSessions(alation, cursor.queryId, page);
  return {
    rows: page.map((event) => ({
      event,
      scheduled: scheduled ? scheduled.has(event.session_id) : undefined,
    })),
    next,
    truncated,
  };
}

/**
 * Events do not say whether their run was scheduled; their sessions do. One request for the
 * scheduled sessions in this page's id range answers it for the whole page.
 */
async function scheduledSessions(
  alation: AlationClient,
  queryId: number,
  events: ExecutionEvent[],
): Promise<Set<number> | undefined> {
  if (events.length === 0) return new Set();
  const ids = events.map((e) => e.session_id);
  const { items } = await collectPages(
    (next) =>
      alation.executions.sessions(
        { queryId },
        next === null
          ? {
              filters: {
                is_scheduled: true,
                id__gte: Math.min(...ids),
                id__lte: Math.max(...ids),
              },
              limit: MAX_PAGE_SIZE,
            }
          : { cursor: next },
      ),
    MAX_EVENTS_SCANNED,
  );
  return new Set(items.filter((s) => s.is_scheduled !== false).map((s) => s.id));
}

export interface ShowRunsInput {
  owner: Owner;
  cursor: RunsCursor;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

/** Parse is done: check credentials → read the page → render, privately. */
export async function showRuns(
  deps: Pick<CommandDeps, 'features'>,
  { owner, cursor, respond, client, log }: ShowRunsInput,
): Promise<void> {
  const what = `${cursor.failedOnly ? 'failed runs' : 'runs'} of query ${cursor.queryId}`;
  try {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const [page, zone] = await Promise.all([
      loadRunsPage(alation, cursor),
      userTimeZone(client, owner.userId),
    ]);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildRunsMessage({
        queryId: cursor.queryId,
        failedOnly: cursor.failedOnly,
        rows: page.rows,
        now: features.now(),
        zone,
        more: page.next ? encodeRunsCursor(page.next) : undefined,
        continued: cursor.before !== undefined,
        truncated: page.truncated,
      }),
    });
  } catch (error) {
    await reportFailure(error, respond, log, `get the ${what}`);
  }
}

export function runsCommand(deps: CommandDeps): Command {
  return {
    name: 'runs',
    usage: '<query_id> [--failed]',
    summary:
      'Recent runs of a Compose query, newest first: status, rows, seconds, errors, scheduled or manual. `--failed` shows only failures.',
    example: '/alation runs 42 --failed',
    async run({ ack, respond, command, client, args, log }) {
      const parsed = parseRunsArgs(args);
      if (!parsed.ok) {
        await ack({ response_type: 'ephemeral', text: parsed.message });
        return;
      }
      await ack();
      await showRuns(deps, {
        owner: ownerOf(command),
        cursor: { queryId: parsed.queryId, failedOnly: parsed.failedOnly },
        respond,
        client,
        log,
      });
    },
    register(app: App) {
      app.action(ACTION_RUNS_MORE, async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const log = requestContext(context).log;
        const value = buttonValue(action);
        const cursor = decodeRunsCursor(value);
        if (!cursor) {
          log.warn('a More button carried an unreadable value');
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'That button no longer works. Run `/alation runs <query_id>` again.',
          });
          return;
        }
        await showRuns(deps, { owner: ownerOf(body), cursor, respond, client, log });
      });
      app.action(
        ACTION_QUERY_RUN_HISTORY,
        async ({ ack, body, action, respond, client, context }) => {
          await ack();
          const log = requestContext(context).log;
          const value = buttonValue(action);
          const queryId = parseQueryId(value);
          if (queryId === undefined) {
            log.warn('a Run history button carried no query id');
            return;
          }
          await showRuns(deps, {
            owner: ownerOf(body),
            cursor: { queryId, failedOnly: false },
            respond,
            client,
            log,
          });
        },
      );
    },
  };
}
