// The "since the previous digest" kinds: failed query runs and new trust flags in the digest's
// period, read as the creator (so they see only what the creator may see).
import type { KnownBlock } from '@slack/types';
import { queryUrl } from '../client/alation/links.ts';
import type { ExecutionEvent, TrustFlag } from '../client/alation.ts';
import { collectPages, MAX_PAGE_SIZE } from '../client/paging.ts';
import { parseAlationTime } from '../results/latest.ts';
import type { DigestParams } from '../store/digests.ts';
import { section } from '../views/blocks.ts';
import { buildDigestMessage, linkText } from '../views/digest.ts';
import { inZone } from '../views/time.ts';
import type { BuildContext, Built } from './content.ts';

/**
 * Failed runs are filtered by time on the server, so a period's are read page by page up to
 * this many; trust flags cannot be filtered or ordered by time, so all of them are read (up to
 * collectPages' ceiling) and the period picked here.
 */
const MAX_FAILED_RUNS = 1_000;

const within = (at: Date | undefined, from: Date, to: Date) =>
  at !== undefined && at > from && at <= to;

function failedRunItem(ctx: BuildContext, e: ExecutionEvent): KnownBlock[] {
  const at = parseAlationTime(e.ts_executed);
  const query = e.query_id
    ? `<${queryUrl(ctx.alationBaseUrl, e.query_id)}|query ${e.query_id}>`
    : 'an ad-hoc run';
  const source = e.datasource?.title ? ` on ${linkText(e.datasource.title)}` : '';
  const error = (e.execution_error ?? '').replace(/```/g, "'''").slice(0, 500);
  return [
    section(
      `:x: ${query}${source}${at ? ` · ${inZone(at, ctx.frame.zone)}` : ''}\n\`\`\`${error || 'failed'}\`\`\``,
    ),
  ];
}

export async function buildFailedRuns(
  ctx: BuildContext,
  params: Extract<DigestParams, { kind: 'failed_runs' }>,
): Promise<Built> {
  const { from, to } = ctx.frame;
  const scopeOf = params.queryId === undefined ? {} : { queryId: params.queryId };
  const read = await collectPages(
    (cursor) =>
      ctx.alation.executions.events(
        scopeOf,
        cursor
          ? { cursor }
          : {
              filters: {
                execution_error__isnull: false,
                ts_executed__gt: from.toISOString(),
                ts_executed__lte: to.toISOString(),
                ...(params.datasourceId === undefined
                  ? {}
                  : { datasource_id: params.datasourceId }),
              },
              limit: 200,
            },
      ),
    MAX_FAILED_RUNS,
  );
  // Filters are re-checked here: the period decides, whatever the server made of them.
  const failed = read.items
    .filter((e) => e.execution_error && within(parseAlationTime(e.ts_executed), from, to))
    .filter(
      (e) =>
        params.datasourceId === undefined ||
        e.datasource === undefined ||
        Number(e.datasource.id) === params.datasourceId,
    )
    .sort(
      (a, b) =>
        (parseAlationTime(b.ts_executed)?.getTime() ?? 0) -
        (parseAlationTime(a.ts_executed)?.getTime() ?? 0),
    );
  const scope = `${params.queryId ? ` of query ${params.queryId}` : ''}${params.datasourceId ? ` on data source ${params.datasourceId}` : ''}`;
  return {
    post: true,
    message: buildDigestMessage({
      frame: ctx.frame,
      text: `${failed.length}${read.truncated ? '+' : ''} failed run${failed.length === 1 ? '' : 's'}${scope}`,
      items: failed.map((e) => failedRunItem(ctx, e)),
      empty: `:white_check_mark: No failed query runs${scope} in this period.`,
      more: {
        url: params.queryId
          ? queryUrl(ctx.alationBaseUrl, params.queryId)
          : `${ctx.alationBaseUrl}/`,
        label: 'See every run in Alation',
      },
    }),
  };
}

const FLAG_ICONS: Record<TrustFlag['flag_type'], string> = {
  ENDORSEMENT: ':white_check_mark: Endorsement',
  WARNING: ':warning: Warning',
  DEPRECATION: ':no_entry: Deprecation',
};

function flagItem(ctx: BuildContext, f: TrustFlag): KnownBlock[] {
  const at = parseAlationTime(f.ts_created);
  const subject = `${f.subject.otype} ${f.subject.id}`;
  const link = f.subject.url ? `<${ctx.alationBaseUrl}${f.subject.url}|${subject}>` : subject;
  const who = f.user.display_name ? linkText(f.user.display_name) : `user ${f.user.id}`;
  const reason = f.flag_reason ? `: ${linkText(f.flag_reason).slice(0, 500)}` : '';
  return [
    section(
      `*${FLAG_ICONS[f.flag_type]}* on ${link} by ${who}${at ? ` · ${inZone(at, ctx.frame.zone)}` : ''}${reason}`,
    ),
  ];
}

export async function buildFlagChanges(
  ctx: BuildContext,
  params: Extract<DigestParams, { kind: 'flag_changes' }>,
): Promise<Built> {
  const { from, to } = ctx.frame;
  const read = await collectPages((cursor) =>
    ctx.alation.flags.list(
      cursor
        ? { cursor }
        : { ...(params.subject ? { subject: params.subject } : {}), limit: MAX_PAGE_SIZE },
    ),
  );
  const flags = read.items
    .filter((f) => within(parseAlationTime(f.ts_created), from, to))
    .filter((f) => !params.onlyWarnings || f.flag_type !== 'ENDORSEMENT')
    .sort(
      (a, b) =>
        (parseAlationTime(b.ts_created)?.getTime() ?? 0) -
        (parseAlationTime(a.ts_created)?.getTime() ?? 0),
    );
  const [one, many] = params.onlyWarnings
    ? ['deprecation or warning', 'deprecations or warnings']
    : ['trust flag', 'trust flags'];
  const on = params.subject ? ` on ${params.subject.otype} ${params.subject.id}` : '';
  return {
    post: true,
    message: buildDigestMessage({
      frame: ctx.frame,
      text: `${flags.length} new ${flags.length === 1 ? one : many}${on}`,
      items: flags.map((f) => flagItem(ctx, f)),
      empty: `No new ${many}${on} in this period.`,
      more: { url: `${ctx.alationBaseUrl}/`, label: 'See all flags in Alation' },
    }),
  };
}
