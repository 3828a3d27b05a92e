// `/alation query <id>` and the Show button: a query's details card, privately.
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { AlationClient, Query, ScheduledRun } from '../../client/alation.ts';
import { isUpstreamError } from '../../client/errors.ts';
import { MAX_PAGE_SIZE } from '../../client/paging.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { reportFailure } from '../../slack/failure.ts';
import { userTimeZone } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import { echo } from '../../views/blocks.ts';
import { ACTION_QUERY_SHOW, ACTION_QUERY_SQL, buildQueryCard } from '../../views/query.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { parseQueryId, postQuerySql } from '../sql.ts';

/** How far back the card looks for scheduled runs; enough for a weekly schedule's last run. */
const SCHEDULED_RUNS_WINDOW_MS = 8 * 24 * 3600 * 1000;

/**
 * Recent scheduled runs, newest first. The list can only be ordered oldest first, so it is
 * narrowed to a recent window instead. Alation only fills in the query of a run when an admin
 * enabled that, so an empty list is normal; a failure here must not hide the card either.
 */
async function recentScheduledRuns(
  alation: AlationClient,
  query: Query,
  now: Date,
  log: Logger,
): Promise<ScheduledRun[]> {
  if ((query.schedules ?? []).length === 0) return [];
  try {
    const page = await alation.executions.scheduledRuns(
      { queryId: query.id },
      {
        filters: { ts_sent_to_broker__gte: new Date(now.getTime() - SCHEDULED_RUNS_WINDOW_MS) },
        limit: MAX_PAGE_SIZE,
      },
    );
    return page.items.sort((a, b) => b.ts_sent_to_broker.localeCompare(a.ts_sent_to_broker));
  } catch (error) {
    log.warn(
      isUpstreamError(error) ? { upstream: error.toLog() } : { err: error },
      'could not read scheduled runs for a query card',
    );
    return [];
  }
}

export interface ShowQueryInput {
  owner: Owner;
  queryId: number;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

export async function showQueryCard(
  deps: Pick<CommandDeps, 'features' | 'alationBaseUrl'>,
  { owner, queryId, respond, client, log }: ShowQueryInput,
): Promise<void> {
  try {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const [query, zone] = await Promise.all([
      alation.queries.get(queryId),
      userTimeZone(client, owner.userId),
    ]);
    const now = features.now();
    const scheduledRuns = await recentScheduledRuns(alation, query, now, log);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildQueryCard({ query, alationBaseUrl: deps.alationBaseUrl, now, zone, scheduledRuns }),
    });
  } catch (error) {
    await reportFailure(error, respond, log, `get query ${queryId}`);
  }
}

export function showQueryAction(deps: CommandDeps) {
  /** The query id a button carries; see queryButtons in views/query.ts. */
  const buttonQueryId = (action: unknown) => {
    const value = (action as { value?: unknown }).value;
    return typeof value === 'string' ? parseQueryId(value) : undefined;
  };
  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const queryId = parseQueryId(args);
      if (queryId === undefined) {
        await ack({
          response_type: 'ephemeral',
          text: `${echo(args)} is not a query id. Use the number from the query's URL, e.g. \`/alation query 42\`, or \`/alation query search <text>\` to find one.`,
        });
        return;
      }
      await ack();
      await showQueryCard(deps, { owner: ownerOf(command), queryId, respond, client, log });
    },
    register(app: App) {
      app.action(ACTION_QUERY_SHOW, async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const log = requestContext(context).log;
        const queryId = buttonQueryId(action);
        if (queryId === undefined) {
          log.warn('a Show button carried no query id');
          return;
        }
        await showQueryCard(deps, { owner: ownerOf(body), queryId, respond, client, log });
      });
      app.action(ACTION_QUERY_SQL, async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const log = requestContext(context).log;
        const queryId = buttonQueryId(action);
        const channelId = 'channel' in body ? body.channel?.id : undefined;
        if (queryId === undefined || !channelId) {
          log.warn('an SQL button carried no query id or came from no channel');
          return;
        }
        await postQuerySql(deps, {
          owner: ownerOf(body),
          queryId,
          channelId,
          respond,
          client,
          log,
        });
      });
    },
  };
}
