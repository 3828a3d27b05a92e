// The Mode kind: which query runs of a Mode report failed or succeeded, read with the creator's
// own Mode token. A digest follows either one report run (the contract's "list query runs") or
// a whole report, where every run that finished in the period is read ("List report runs").
import { createHash } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import {
  isRunDone,
  isRunTerminal,
  type ModeClient,
  type ModeQueryRun,
  type ModeRunState,
} from '../client/mode.ts';
import type { DigestParams } from '../store/digests.ts';
import { section } from '../views/blocks.ts';
import { buildDigestMessage, linkText } from '../views/digest.ts';
import { errorText, parseTime, queryName, stateBadge } from '../views/mode-runs.ts';
import { inZone } from '../views/time.ts';
import type { BuildContext, Built } from './content.ts';

type ModeParams = Extract<DigestParams, { kind: 'mode_runs' }>;

/** Report runs read per digest; each costs one request under Mode's per-token rate. */
export const MAX_REPORT_RUNS = 10;
/** Query-run lines under one report run before "…and N more". */
const MAX_LINES = 15;

/** What the builder needs from Mode: the creator's client, and a way to say Mode refused it. */
export interface ModeAccess {
  client(): Promise<ModeClient>;
  /** Marks the creator's Mode credential for reconnecting (Mode answered 401). */
  rejected(): Promise<void>;
  /** Mode's web origin, for links. */
  baseUrl: string;
}

interface RunRead {
  token: string;
  state: ModeRunState;
  completedAt: Date | undefined;
  queryRuns: ModeQueryRun[];
}

/** The query runs the digest reports: failed, succeeded, or both (ended either way). */
function wanted(only: ModeParams['only']) {
  return (run: ModeQueryRun) => {
    if (only === 'failed') return run.state === 'failed';
    if (only === 'succeeded') return isRunDone(run.state);
    return isRunTerminal(run.state);
  };
}

function runLine(run: ModeQueryRun): string {
  const error = run.state === 'failed' ? errorText(run, 300) : undefined;
  return `${stateBadge(run.state)}  *${linkText(queryName(run))}*${error ? ` — ${linkText(error)}` : ''}`;
}

function runItem(
  read: RunRead,
  shown: ModeQueryRun[],
  web: string,
  zone: string,
  pinned: boolean,
): KnownBlock[] {
  const finished = read.completedAt ? ` · finished ${inZone(read.completedAt, zone)}` : '';
  const head = `*<${web}/runs/${read.token}|${pinned ? 'Report run' : 'Run'} ${read.token}>* ${stateBadge(read.state)}${finished}`;
  const lines = shown.slice(0, MAX_LINES).map(runLine);
  if (shown.length > MAX_LINES) lines.push(`…and ${shown.length - MAX_LINES} more in Mode.`);
  if (lines.length === 0) lines.push('_No query runs of this kind._');
  return [section([head, ...lines].join('\n'))];
}

/** Same runs in the same states → same fingerprint, so an unchanged pinned run is not re-posted. */
function fingerprintOf(reads: RunRead[]): string {
  const parts = reads.flatMap((r) => [
    `${r.token}:${r.state}`,
    ...r.queryRuns.map((q) => `${q.token}:${q.state}`).sort(),
  ]);
  return `mode:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}

async function readRuns(
  mode: ModeClient,
  params: ModeParams,
  from: Date,
  to: Date,
): Promise<{ reads: RunRead[]; more: number }> {
  const report = { account: params.workspace, report: params.report };
  if (params.run) {
    const list = await mode.listQueryRuns({ ...report, run: params.run });
    const queryRuns = list._embedded.query_runs;
    // The run's own state is not in the contract's responses; its query runs tell it.
    const state: ModeRunState = queryRuns.some((q) => q.state === 'failed')
      ? 'failed'
      : queryRuns.length > 0 && queryRuns.every((q) => isRunDone(q.state))
        ? 'succeeded'
        : queryRuns.length === 0
          ? 'pending'
          : 'running';
    const completed = queryRuns
      .map((q) => parseTime(q.completed_at))
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    return { reads: [{ token: params.run, state, completedAt: completed, queryRuns }], more: 0 };
  }
  const page = await mode.listReportRuns(report, { updatedAfter: from });
  // Filters are re-checked: a run counts in the period it finished in, whatever the server did.
  const finished = page._embedded.report_runs
    .map((r) => ({ run: r, completedAt: parseTime(r.completed_at) }))
    .filter(
      ({ run, completedAt }) =>
        isRunTerminal(run.state) &&
        completedAt !== undefined &&
        completedAt > from &&
        completedAt <= to,
    )
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
  const reads: RunRead[] = [];
  for (const { run, completedAt } of finished.slice(0, MAX_REPORT_RUNS)) {
    const list = await mode.listQueryRuns({ ...report, run: run.token });
    reads.push({
      token: run.token,
      state: run.state,
      completedAt,
      queryRuns: list._embedded.query_runs,
    });
  }
  return { reads, more: Math.max(0, finished.length - MAX_REPORT_RUNS) };
}

export async function buildModeRuns(
  ctx: BuildContext,
  params: ModeParams,
  access: ModeAccess,
): Promise<Built> {
  const { from, to, zone } = ctx.frame;
  let read: { reads: RunRead[]; more: number };
  try {
    read = await readRuns(await access.client(), params, from, to);
  } catch (error) {
    if (isUpstreamError(error) && error.kind === 'unauthorized') {
      await access.rejected();
      throw new NotConnectedError('mode', 'credentials_rejected');
    }
    throw error;
  }
  const pinned = params.run !== undefined;
  const keep = wanted(params.only);
  // Over what the post shows: a change in query runs the filter hides is no reason to post.
  const fingerprint = fingerprintOf(
    read.reads.map((r) => ({ ...r, queryRuns: r.queryRuns.filter(keep) })),
  );
  if (pinned && !ctx.frame.manual && fingerprint === ctx.digest.lastFingerprint) {
    return { post: false, reason: 'unchanged' };
  }
  const web = `${access.baseUrl.replace(/\/+$/, '')}/${params.workspace}/reports/${params.report}`;
  const shown = read.reads.map((r) => ({ read: r, runs: r.queryRuns.filter(keep) }));
  const failed = shown.reduce((n, s) => n + s.runs.filter((q) => q.state === 'failed').length, 0);
  const succeeded = shown.reduce((n, s) => n + s.runs.filter((q) => isRunDone(q.state)).length, 0);
  const counts = [
    params.only !== 'succeeded' ? `${failed} failed` : undefined,
    params.only !== 'failed' ? `${succeeded} succeeded` : undefined,
  ].filter(Boolean);
  const runs = pinned
    ? ''
    : ` in ${read.reads.length + read.more} report run${read.reads.length + read.more === 1 ? '' : 's'}`;
  // A report run with none of the wanted query runs says nothing worth a section.
  const items = shown
    .filter((s) => pinned || s.runs.length > 0)
    .map((s) => runItem(s.read, s.runs, web, zone, pinned));
  const what = params.only ? `${params.only} query runs` : 'finished query runs';
  const message = buildDigestMessage({
    frame: ctx.frame,
    text: `Mode query runs: ${counts.join(', ')}${runs}`,
    items,
    empty: pinned
      ? `No ${what} in report run ${params.run}.`
      : read.reads.length === 0
        ? 'No run of this report finished in this period.'
        : `No ${what} in the ${read.reads.length} report run${read.reads.length === 1 ? '' : 's'} that finished in this period.`,
    more: { url: web, label: 'See the report in Mode' },
  });
  if (read.more > 0 && items.length > 0) {
    message.blocks.push(
      section(`…and ${read.more} more report runs in this period. <${web}|See the report in Mode>`),
    );
  }
  return { post: true, message, fingerprint };
}
