// What each kind of digest says, built as the digest's creator. A builder either returns the
// message (and, for a query result, the CSV spooled to disk) or says why nothing is posted.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { type ChartSource, queryChartTap } from '../charts/service.ts';
import { composeUrl, queryUrl } from '../client/alation/links.ts';
import type { AlationClient } from '../client/alation.ts';
import type { Logger } from '../log.ts';
import { latestResultOf } from '../results/latest.ts';
import { type Spooled, spoolCsv } from '../results/spool.ts';
import type { ExtraFile } from '../slack/upload.ts';
import type { Digest, DigestParams } from '../store/digests.ts';
import { type DigestFrame, digestHeader } from '../views/digest.ts';
import { csvFileName } from '../views/files.ts';
import type { SlackMessage } from '../views/help.ts';
import { buildNoResultMessage, buildResultMessage, type ResultContext } from '../views/result.ts';
import type { ModeAccess } from './mode-runs.ts';

export interface BuildContext {
  digest: Digest;
  alation: AlationClient;
  alationBaseUrl: string;
  frame: DigestFrame;
  now: Date;
  /** The creator's Mode access, for the Mode kind (connected or not is found out on use). */
  mode: ModeAccess;
  /** Charts for query results (issue 16); without it, none are drawn. */
  charts?: (ChartSource & { log: Logger }) | undefined;
}

export interface SpooledFile {
  spooled: Spooled;
  filename: string;
  title: string;
}

export type Built =
  | { post: false; reason: string }
  | {
      post: true;
      message: SlackMessage;
      file?: SpooledFile;
      /** Shared in the same message: beside the CSV, or on its own when there is no CSV. */
      charts?: ExtraFile[];
      fingerprint?: string;
      /** The stored result the message shows (query results): personal copies compare with it. */
      resultId?: number;
    };

/** sha256 of the spooled CSV: "changed" means different bytes, not merely a re-run. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function buildQueryResult(
  ctx: BuildContext,
  params: Extract<DigestParams, { kind: 'query_result' }>,
): Promise<Built> {
  const { queryId } = params;
  const { query, state } = await latestResultOf(ctx.alation, queryId);
  const title = query.title || `Query ${queryId}`;
  const rctx: ResultContext = {
    queryId,
    title,
    queryUrl: queryUrl(ctx.alationBaseUrl, queryId, query.catalog_url),
    composeUrl: composeUrl(ctx.alationBaseUrl, queryId, query.compose_url),
    now: ctx.now,
    zone: ctx.frame.zone,
  };
  const header = digestHeader(ctx.frame);
  if (state.kind !== 'ready') {
    const ran = 'executedAt' in state ? state.executedAt?.toISOString() : undefined;
    const fingerprint = `state:${state.kind}:${ran ?? ''}`;
    if (params.onlyIfChanged && !ctx.frame.manual && fingerprint === ctx.digest.lastFingerprint) {
      return { post: false, reason: 'unchanged' };
    }
    const message = buildNoResultMessage(state, rctx);
    return {
      post: true,
      message: { text: message.text, blocks: [...header, ...message.blocks] },
      fingerprint,
    };
  }
  const csv = await ctx.alation.queries.resultCsv(state.resultId);
  const filename = csvFileName(title, queryId, state.resultId);
  // The chart reads the same download on its way to disk, in the digest's zone.
  const chart =
    params.includeChart !== false && ctx.charts
      ? await queryChartTap(ctx.charts, {
          owner: ctx.digest.owner,
          queryId,
          resultId: state.resultId,
          csvName: filename,
          log: ctx.charts.log,
          zone: ctx.frame.zone,
          title,
          truncated: state.truncated,
          rowCount: state.rowCount,
        })
      : undefined;
  const body = chart ? pipeline(csv.body, chart.transform, () => {}) : csv.body;
  const spooled = await spoolCsv(body, { previewRows: 10 }).catch(async (error: unknown) => {
    await chart?.chart();
    throw error;
  });
  const charts = (await chart?.files()) ?? [];
  try {
    const fingerprint = `csv:${await hashFile(spooled.path)}`;
    if (params.onlyIfChanged && !ctx.frame.manual && fingerprint === ctx.digest.lastFingerprint) {
      await spooled.remove();
      return { post: false, reason: 'unchanged' };
    }
    const shown = buildResultMessage(state, { ...spooled, bytes: spooled.bytes, filename }, rctx);
    // Without the file, the line that says it is attached would be wrong.
    const blocks = params.attachCsv
      ? shown.blocks
      : shown.blocks.filter(
          (b) => !(b.type === 'context' && JSON.stringify(b).includes('attached')),
        );
    const message = { text: `${ctx.frame.name}: ${shown.text}`, blocks: [...header, ...blocks] };
    if (!params.attachCsv) {
      await spooled.remove();
      return {
        post: true,
        message,
        fingerprint,
        resultId: state.resultId,
        ...(charts.length ? { charts } : {}),
      };
    }
    return {
      post: true,
      message,
      fingerprint,
      resultId: state.resultId,
      file: { spooled, filename, title: `${title} (result ${state.resultId})` },
      ...(charts.length ? { charts } : {}),
    };
  } catch (error) {
    await spooled.remove();
    throw error;
  }
}
