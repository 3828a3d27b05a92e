import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { queryChartTap } from '../charts/service.ts';
import { composeUrl, queryLinkedIn, queryUrl } from '../client/alation/links.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { latestResultOf } from '../results/latest.ts';
import { relayCsv } from '../results/relay.ts';
import { buttonValue } from '../slack/button-value.ts';
import { reportFailure } from '../slack/failure.ts';
import type { Owner } from '../store/credentials.ts';
import {
  buildAudienceChoice,
  buildAudienceWarning,
  SHARE_ACTIONS,
  seenByLine,
} from '../views/audience.ts';
import { echo } from '../views/blocks.ts';
import { withChartButton } from '../views/chart.ts';
import { csvFileName } from '../views/files.ts';
import { ACTION_QUERY_LATEST_RESULT } from '../views/query.ts';
import { buildNoResultMessage, buildResultMessage, type ResultContext } from '../views/result.ts';
import {
  type AudienceDelivery,
  type AudienceMode,
  audienceGate,
  quiet,
  registerAudienceChoice,
} from './audience-choice.ts';
import type { Command, CommandDeps } from './command.ts';
import { parseQueryId } from './sql.ts';

/** Message shortcut "Share latest result here" (manifest.yml). */
export const SHORTCUT_SHARE_RESULT = 'share_latest_result';

export interface ResultArgs {
  queryId: number;
  threadTs: string | undefined;
}

/** `<query_id> [--thread <ts>]`; a message link's `p1700000000123456` works as the ts too. */
export function parseResultArgs(args: string): ResultArgs | { problem: string } {
  const thread = /(?:^|\s)--thread\s+(\S+)/.exec(args);
  const rest = args.replace(/(?:^|\s)--thread\s+\S+/, '').trim();
  const queryId = parseQueryId(rest);
  if (queryId === undefined) {
    return {
      problem: rest
        ? `${echo(rest)} is not a query id. Use the number from the query's URL, e.g. \`/alation result 42\`.`
        : 'Which query? Give its id, e.g. `/alation result 42` (add `--thread <ts>` to answer in a thread).',
    };
  }
  if (!thread) return { queryId, threadTs: undefined };
  const raw = thread[1] ?? '';
  const ts = /^\d{10}\.\d{6}$/.test(raw)
    ? raw
    : /\/p(\d{10})(\d{6})/.exec(raw)?.slice(1, 3).join('.');
  if (!ts) {
    return {
      problem: `${echo(raw)} is not a message timestamp. Use the message's ts (like 1700000000.123456) or paste its link.`,
    };
  }
  return { queryId, threadTs: ts };
}

export interface ShareInput {
  client: AllMiddlewareArgs['client'];
  respond: RespondFn;
  log: Logger;
  owner: Owner;
  channelId: string;
  threadTs: string | undefined;
  queryId: number;
  audience?: AudienceMode;
}

/** The share a choice's buttons carry back: query, channel and thread. */
export function shareValue(input: Pick<ShareInput, 'queryId' | 'channelId' | 'threadTs'>): string {
  return JSON.stringify({ q: input.queryId, c: input.channelId, t: input.threadTs ?? null });
}

export function parseShareValue(
  value: string,
): Pick<ShareInput, 'queryId' | 'channelId' | 'threadTs'> | undefined {
  try {
    const v = JSON.parse(value) as { q?: unknown; c?: unknown; t?: unknown };
    if (!Number.isSafeInteger(v.q) || typeof v.c !== 'string' || !/^[CGD][A-Z0-9]+$/.test(v.c))
      return undefined;
    const t = typeof v.t === 'string' && /^\d{10}\.\d{6}$/.test(v.t) ? v.t : undefined;
    return { queryId: v.q as number, channelId: v.c, threadTs: t };
  } catch {
    return undefined;
  }
}

/** Latest result → CSV spooled to disk with a preview → one message with the file attached. */
export function shareResult(deps: CommandDeps) {
  return async function share(input: ShareInput): Promise<boolean> {
    const { client, respond, log, owner, channelId, threadTs, queryId } = input;
    const doing = `share the latest result of query ${queryId}`;
    try {
      const features = await deps.features();
      const alation = await features.requireAlation(owner);
      const [{ query, state }, zone] = await Promise.all([
        latestResultOf(alation, queryId),
        features.slackUsers.timeZone(client, owner.tenantId, owner.userId),
      ]);
      // The sharer just read the query: their own answer is known.
      features.audience.remember(owner, { kind: 'query', id: queryId }, 'can');
      const ctx: ResultContext = {
        queryId,
        title: query.title || `Query ${queryId}`,
        queryUrl: queryUrl(deps.alationBaseUrl, queryId, query.catalog_url),
        composeUrl: composeUrl(deps.alationBaseUrl, queryId, query.compose_url),
        now: features.now(),
        zone,
      };
      if (state.kind !== 'ready') {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildNoResultMessage(state, ctx),
        });
        return false;
      }
      const mode = input.audience ?? 'check';
      const { finding, ask, warnAfter } = await audienceGate(features, {
        client,
        owner,
        channelId,
        object: { kind: 'query', id: queryId },
        log,
        mode,
      });
      if (finding && ask) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildAudienceChoice({
            finding,
            title: ctx.title,
            value: shareValue({ queryId, channelId, threadTs }),
          }),
        });
        log.info({ queryId, cannotSee: finding.cannotSee.length }, 'asked before sharing');
        return false;
      }
      if (mode !== 'private') {
        ctx.seenBy = seenByLine(
          finding,
          await features.slackUsers.viewer(client, owner.tenantId, owner.userId),
        );
      }
      const csv = await alation.queries.resultCsv(state.resultId);
      const filename = csvFileName(ctx.title, queryId, state.resultId);
      const target = {
        channelId,
        threadTs,
        filename,
        title: `${ctx.title} (result ${state.resultId})`,
      };
      const chart = await queryChartTap(features, {
        owner,
        queryId,
        resultId: state.resultId,
        csvName: filename,
        log,
        zone,
        title: ctx.title,
        truncated: state.truncated,
        rowCount: state.rowCount,
      });
      const shared = await relayCsv(
        client,
        target,
        csv,
        (preview, bytes) =>
          withChartButton(buildResultMessage(state, { ...preview, bytes, filename }, ctx), queryId),
        chart,
      );
      if (!shared.ok) {
        log.warn({ slackError: shared.slackError }, 'Slack refused the result file here');
        await respond({
          response_type: 'ephemeral',
          text: `I could not share the result in this conversation. Invite me (\`/invite @Alation\`) and try again, or open it in Alation: ${ctx.queryUrl}`,
        });
        return false;
      }
      log.info({ queryId, resultId: state.resultId }, 'shared a query result');
      if (finding && warnAfter) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...buildAudienceWarning(finding),
        });
      }
      return true;
    } catch (error) {
      await reportFailure(error, respond, log, doing);
      return false;
    }
  };
}

export function resultCommand(deps: CommandDeps): Command {
  const share = shareResult(deps);

  return {
    name: 'result',
    usage: '<query_id> [--thread <ts>]',
    summary:
      'Share the latest result of a query with the channel: a readable preview and the full CSV.',
    example: '/alation result 42',
    async run({ ack, args, command, client, respond, log }) {
      const parsed = parseResultArgs(args);
      if ('problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: Fetching the latest result of query ${parsed.queryId}…`,
      });
      await share({
        client,
        respond,
        log,
        owner: ownerOf(command),
        channelId: command.channel_id,
        threadTs: parsed.threadTs,
        queryId: parsed.queryId,
      });
    },
    register(app: App) {
      app.shortcut(SHORTCUT_SHARE_RESULT, async ({ ack, shortcut, client, respond, context }) => {
        await ack();
        if (shortcut.type !== 'message_action') return;
        const queryId = queryLinkedIn(shortcut.message.text ?? '', deps.alationBaseUrl);
        if (queryId === undefined) {
          await respond({
            response_type: 'ephemeral',
            text: `That message has no link to an Alation query. Use it on a message with a link like ${deps.alationBaseUrl}/query/42/, or run \`/alation result 42\`.`,
          });
          return;
        }
        await share({
          client,
          respond,
          log: requestContext(context).log,
          owner: ownerOf(shortcut),
          channelId: shortcut.channel.id,
          // Into the message's thread: the thread it is in, or a new one under it.
          threadTs: shortcut.message.thread_ts ?? shortcut.message.ts,
          queryId,
        });
      });
      registerAudienceChoice(app, deps, shareDelivery(share));
      app.action(
        ACTION_QUERY_LATEST_RESULT,
        async ({ ack, body, action, client, respond, context }) => {
          await ack();
          const queryId = parseQueryId(buttonValue(action));
          const channelId = 'channel' in body ? body.channel?.id : undefined;
          if (queryId === undefined || !channelId) return;
          await share({
            client,
            respond,
            log: requestContext(context).log,
            owner: ownerOf(body),
            channelId,
            threadTs: undefined,
            queryId,
          });
        },
      );
    },
  };
}

/** The share choice's buttons: repeat the share, anyway or into each reader's DM. */
function shareDelivery(
  share: (input: ShareInput) => Promise<boolean>,
): AudienceDelivery<Pick<ShareInput, 'queryId' | 'channelId' | 'threadTs'>> {
  return {
    actions: SHARE_ACTIONS,
    parse: parseShareValue,
    about: (t) => ({
      channelId: t.channelId,
      object: { kind: 'query', id: t.queryId },
      words: `the latest result of query ${t.queryId}`,
    }),
    cancelled: 'Cancelled: nothing was shared.',
    post: (t, { client, respond, log, owner }) =>
      share({ ...t, client, respond, log, owner, audience: 'anyway' }),
    sendTo: (t, { client, log, owner, channelId }) =>
      share({
        client,
        respond: quiet,
        log,
        owner,
        channelId,
        threadTs: undefined,
        queryId: t.queryId,
        audience: 'private',
      }),
  };
}
