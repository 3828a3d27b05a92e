// `/alation chart <query_id>` and the Chart… button: the chart modal for a query, and saving
// the choice (per person and query) that its next shares and digests use (issue 16).
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../auth/owner.ts';
import { AGGREGATIONS, CHART_KINDS, type ChartChoice, parseChoice } from '../charts/choose.ts';
import { readHeader } from '../charts/header.ts';
import { NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { latestResultOf } from '../results/latest.ts';
import { buttonValue } from '../slack/button-value.ts';
import { reportFailure } from '../slack/failure.ts';
import { outcomeWithin, readMetadata, settle, submitModal } from '../slack/modal-submission.ts';
import type { Owner } from '../store/credentials.ts';
import { escapeMrkdwn } from '../views/blocks.ts';
import { ACTION_CHART_OPEN } from '../views/chart.ts';
import {
  BLOCK_CHART_AGGREGATION,
  BLOCK_CHART_KIND,
  BLOCK_CHART_TITLE,
  BLOCK_CHART_X,
  BLOCK_CHART_Y,
  buildChartModal,
  buildChartNoticeModal,
  INPUT,
  KIND_LABELS,
  VIEW_CHART,
} from '../views/chart-modal.ts';
import { buildUpstreamErrorMessage } from '../views/upstream-error.ts';
import type { Command, CommandDeps } from './command.ts';
import { parseQueryId } from './sql.ts';

/** Past this, the modal opens with "Reading…" and fills in when Alation answers. */
const OPEN_BUDGET_MS = 1_500;

const metadataSchema = z.object({ queryId: z.number().int().positive() });

interface Loaded {
  title: string;
  columns: string[];
  choice: ChartChoice | undefined;
}

interface OpenInput {
  client: AllMiddlewareArgs['client'];
  respond: RespondFn;
  log: Logger;
  owner: Owner;
  triggerId: string;
  queryId: number;
}

/** The choice as submitted, or the field errors to show. */
/** Slack's view state: block → action → the element's value. */
type ViewStateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: { value: string }[] | null;
    }
  >
>;

export function readChoice(
  values: ViewStateValues,
): { choice: ChartChoice } | { errors: Record<string, string> } {
  const pick = (block: string) => values[block]?.[INPUT]?.selected_option?.value ?? undefined;
  const kind = CHART_KINDS.find((k) => k === pick(BLOCK_CHART_KIND)) ?? 'line';
  const aggregation = AGGREGATIONS.find((a) => a === pick(BLOCK_CHART_AGGREGATION)) ?? 'sum';
  const x = pick(BLOCK_CHART_X);
  const y = (values[BLOCK_CHART_Y]?.[INPUT]?.selected_options ?? []).map((o) => o.value);
  const title = (values[BLOCK_CHART_TITLE]?.[INPUT]?.value ?? '').trim();
  const errors: Record<string, string> = {};
  if (y.length === 0) errors[BLOCK_CHART_Y] = 'Pick at least one column to draw.';
  if (kind === 'big_number' && y.length > 1)
    errors[BLOCK_CHART_Y] = 'A big number shows one column; pick just one.';
  if (kind !== 'big_number' && !x)
    errors[BLOCK_CHART_X] = `A ${KIND_LABELS[kind].toLowerCase()} chart needs an x axis column.`;
  if (kind !== 'big_number' && x && y.includes(x))
    errors[BLOCK_CHART_Y] =
      `${escapeMrkdwn(x).slice(0, 40)} is already the x axis; pick other columns.`;
  if (Object.keys(errors).length > 0) return { errors };
  const choice = parseChoice({
    kind,
    ...(kind === 'big_number' ? {} : { x }),
    y,
    aggregation,
    ...(title ? { title } : {}),
  });
  return choice ? { choice } : { errors: { [BLOCK_CHART_Y]: 'Pick at most 8 columns.' } };
}

export function chartCommand(deps: CommandDeps): Command {
  async function load(owner: Owner, queryId: number): Promise<Loaded> {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const [{ query, state }, saved] = await Promise.all([
      latestResultOf(alation, queryId),
      features.chartChoices.get(owner, queryId),
    ]);
    const columns =
      state.kind === 'ready'
        ? await readHeader((await alation.queries.resultCsv(state.resultId)).body)
        : [];
    return { title: query.title || `Query ${queryId}`, columns, choice: parseChoice(saved) };
  }

  const noColumns = (queryId: number) =>
    `Query ${queryId} has no result to read its columns from yet. Run it in Compose, then try \`/alation chart ${queryId}\` again.`;

  const viewOf = (queryId: number, loaded: Loaded) =>
    loaded.columns.length === 0
      ? buildChartNoticeModal(noColumns(queryId))
      : buildChartModal({ queryId, ...loaded, metadata: JSON.stringify({ queryId }) });

  async function open({ client, respond, log, owner, triggerId, queryId }: OpenInput) {
    const doing = `read query ${queryId} for its chart`;
    const loading = load(owner, queryId);
    const early = await outcomeWithin(loading, OPEN_BUDGET_MS);
    if (early) {
      if (!early.ok) {
        await reportFailure(early.error, respond, log, doing);
        return;
      }
      await client.views.open({ trigger_id: triggerId, view: viewOf(queryId, early.value) });
      return;
    }
    const opened = await client.views.open({
      trigger_id: triggerId,
      view: buildChartNoticeModal(
        `:hourglass_flowing_sand: Reading query ${queryId} from Alation…`,
      ),
    });
    const outcome = await settle(loading);
    const viewId = opened.view?.id;
    if (!viewId) return;
    if (!outcome.ok) {
      if (outcome.error instanceof NotConnectedError) {
        await reportFailure(outcome.error, respond, log, doing);
      } else log.warn({ err: outcome.error }, `could not ${doing}`);
    }
    await client.views.update({
      view_id: viewId,
      view: outcome.ok
        ? viewOf(queryId, outcome.value)
        : buildChartNoticeModal(buildUpstreamErrorMessage(outcome.error, doing).text ?? ''),
    });
  }

  return {
    name: 'chart',
    usage: '<query_id>',
    summary:
      'Choose the chart shared with a query’s results (type, x, values, aggregation, title); your shares and digests of it use it.',
    example: '/alation chart 42',
    async run({ ack, args, command, client, respond, log }) {
      const queryId = parseQueryId(args);
      if (queryId === undefined) {
        await ack({
          response_type: 'ephemeral',
          text: args
            ? `That is not a query id. Use the number from the query's URL, e.g. \`/alation chart 42\`.`
            : 'Which query? Give its id, e.g. `/alation chart 42`.',
        });
        return;
      }
      await ack();
      await open({
        client,
        respond,
        log,
        owner: ownerOf(command),
        triggerId: command.trigger_id,
        queryId,
      });
    },
    register(app: App) {
      app.action(ACTION_CHART_OPEN, async ({ ack, body, action, client, respond, context }) => {
        await ack();
        const queryId = parseQueryId(buttonValue(action));
        const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
        if (queryId === undefined || !triggerId) return;
        await open({
          client,
          respond,
          log: requestContext(context).log,
          owner: ownerOf(body),
          triggerId,
          queryId,
        });
      });
      app.view(VIEW_CHART, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const { queryId } = readMetadata(view.private_metadata, metadataSchema, { queryId: 0 });
        const read = readChoice(view.state.values as ViewStateValues);
        if ('errors' in read) {
          await ack({ response_action: 'errors', errors: read.errors });
          return;
        }
        if (queryId === 0) {
          await ack({
            response_action: 'errors',
            errors: {
              [BLOCK_CHART_Y]: 'This form no longer works; run `/alation chart <query_id>` again.',
            },
          });
          return;
        }
        const saved = `:white_check_mark: Saved: a ${KIND_LABELS[read.choice.kind].toLowerCase()} chart for query ${queryId}. Your next share of its result (\`/alation result ${queryId}\`) and your digests of it use it.`;
        const failed = (error: unknown) => {
          log.error({ err: error }, 'could not save a chart choice');
          return buildChartNoticeModal(
            buildUpstreamErrorMessage(error, 'save the chart').text ?? '',
          );
        };
        await submitModal({
          ack,
          client,
          viewId: view.id,
          work: deps.features().then((f) => f.chartChoices.set(owner, queryId, read.choice)),
          inline: (outcome) => ({
            response_action: 'update',
            view: outcome.ok ? buildChartNoticeModal(saved) : failed(outcome.error),
          }),
          progress: () => buildChartNoticeModal(':hourglass_flowing_sand: Saving…'),
          final: (outcome) => (outcome.ok ? buildChartNoticeModal(saved) : failed(outcome.error)),
        });
      });
    },
  };
}
