// The query runs of a Mode report run, as a Slack message: what each query did, when, for how
// long, why it failed, with Details and CSV buttons. Pure: everything comes in as arguments.
import type { KnownBlock } from '@slack/types';
import { describeRun, encodeQueryRunRef } from '../client/mode/ref.ts';
import type { ModeQueryRun, ModeRunState } from '../client/mode.ts';
import { isRunDone, type ReportRunRef } from '../client/mode.ts';
import { codeBlock, escapeMrkdwn, escapeWithin } from './blocks.ts';
import type { SlackMessage } from './help.ts';
import { when } from './time.ts';

export const ACTION_MODE_RUN_DETAILS = 'mode_query_run_details';
export const ACTION_MODE_RUN_CSV = 'mode_query_run_csv';

/** Two blocks per query run and a header stay under Slack's 50 blocks per message. */
export const MAX_LISTED_RUNS = 20;
const MAX_ERROR = 500;

const STATES: Record<string, { icon: string; label: string }> = {
  pending: { icon: ':white_circle:', label: 'Pending' },
  enqueued: { icon: ':hourglass:', label: 'Enqueued' },
  running: { icon: ':arrows_counterclockwise:', label: 'Running' },
  running_notebook: { icon: ':arrows_counterclockwise:', label: 'Running notebook' },
  cancelled: { icon: ':no_entry_sign:', label: 'Cancelled' },
  failed: { icon: ':x:', label: 'Failed' },
  succeeded: { icon: ':white_check_mark:', label: 'Succeeded' },
  completed: { icon: ':white_check_mark:', label: 'Completed' },
};

/** An icon and a word per state; a state Mode adds later shows as itself, never hidden. */
export function stateBadge(state: ModeRunState): string {
  const known = STATES[state];
  return known ? `${known.icon} ${known.label}` : `:grey_question: ${escapeMrkdwn(state)}`;
}

/** Mode's fields are loosely typed (the docs say string, the API sends others): text or nothing. */
export function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function parseTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** "850 ms", "4.2 s", "12 s", "3 min 5 s", "2 h 10 min". */
export function duration(ms: number): string {
  if (ms < 0) return '0 s';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const totalMinutes = Math.floor(seconds / 60);
  if (totalMinutes < 60) {
    const rest = Math.floor(seconds % 60);
    return rest === 0 ? `${totalMinutes} min` : `${totalMinutes} min ${rest} s`;
  }
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

export interface TimeContext {
  now: Date;
  zone: string | undefined;
}

/** Started, finished (or still going) and how long, in the user's zone. */
export function timingLine(run: ModeQueryRun, ctx: TimeContext): string {
  const created = parseTime(run.created_at);
  const completed = parseTime(run.completed_at);
  const parts: string[] = [];
  if (created) parts.push(`Started ${when(created, ctx.now, ctx.zone)}`);
  if (completed) parts.push(`finished ${when(completed, ctx.now, ctx.zone)}`);
  if (created && completed) {
    parts.push(`took ${duration(completed.getTime() - created.getTime())}`);
  } else if (created && !completed && !isFinished(run.state)) {
    parts.push(`going for ${duration(ctx.now.getTime() - created.getTime())}`);
  }
  return parts.join(' · ');
}

function isFinished(state: ModeRunState): boolean {
  return isRunDone(state) || state === 'failed' || state === 'cancelled';
}

/** Mode's `error_type: error_message`, flattened and clipped for a list. */
export function errorText(run: ModeQueryRun, max = MAX_ERROR): string | undefined {
  const type = textField(run.error_type);
  const message = textField(run.error_message);
  if (!type && !message) return undefined;
  const flat = [type, message].filter(Boolean).join(': ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function queryName(run: ModeQueryRun): string {
  return textField(run.query_name) ?? `Query run ${run.token}`;
}

/** A `_links` href as an absolute web address; Mode may send it relative. */
export function webLink(run: ModeQueryRun, name: string, modeBaseUrl: string): string | undefined {
  const href = run._links[name]?.href;
  if (!href) return undefined;
  try {
    const url = new URL(href, modeBaseUrl);
    return /^https?:$/.test(url.protocol) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Slack's link syntax breaks on these. */
export const linkLabel = (text: string) => text.replace(/[<>|]/g, ' ').replace(/&/g, '&amp;');

/** Details (unless already showing them) and, once the run has a result, CSV. */
export function runButtons(
  ref: ReportRunRef,
  run: ModeQueryRun,
  options: { details: boolean } = { details: true },
): KnownBlock {
  const value = encodeQueryRunRef({ ...ref, queryRun: run.token });
  return {
    type: 'actions',
    elements: [
      ...(options.details
        ? [
            {
              type: 'button' as const,
              action_id: ACTION_MODE_RUN_DETAILS,
              text: { type: 'plain_text' as const, text: 'Details' },
              value,
            },
          ]
        : []),
      ...(isRunDone(run.state)
        ? [
            {
              type: 'button' as const,
              action_id: ACTION_MODE_RUN_CSV,
              text: { type: 'plain_text' as const, text: 'CSV' },
              value,
            },
          ]
        : []),
    ],
  };
}

function summary(runs: readonly ModeQueryRun[]): string {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const label = STATES[run.state]?.label.toLowerCase() ?? run.state;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} ${escapeMrkdwn(label)}`);
  return `${runs.length} quer${runs.length === 1 ? 'y' : 'ies'}: ${parts.join(', ')}`;
}

export interface ModeRunsInput extends TimeContext {
  ref: ReportRunRef;
  runs: readonly ModeQueryRun[];
  modeBaseUrl: string;
}

/** One section per query run, failures with their reason, then Details (and CSV when done). */
export function buildModeRunsMessage(input: ModeRunsInput): SlackMessage {
  const { ref, runs } = input;
  const name = describeRun(ref);
  const first = runs[0];
  const web = first ? webLink(first, 'report_run_web', input.modeBaseUrl) : undefined;
  const title = web ? `<${web}|${linkLabel(name)}>` : `\`${escapeMrkdwn(name)}\``;
  if (runs.length === 0) {
    const line = `Report run ${title} has no query runs.`;
    return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
  }
  // Failures first when not all fit: they are what people come to see.
  const ordered =
    runs.length > MAX_LISTED_RUNS
      ? [...runs].sort((a, b) => Number(b.state === 'failed') - Number(a.state === 'failed'))
      : runs;
  const shown = ordered.slice(0, MAX_LISTED_RUNS);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Query runs of Mode report run ${title}*\n${summary(runs)}` },
    },
  ];
  for (const run of shown) {
    const lines = [`${stateBadge(run.state)}  *${escapeWithin(queryName(run), 200)}*`];
    const timing = timingLine(run, input);
    if (timing) lines.push(timing);
    const error = errorText(run);
    if (error) lines.push(codeBlock(error));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
    blocks.push(runButtons(ref, run));
  }
  if (runs.length > shown.length) {
    const more = `${runs.length - shown.length} more query runs are not listed here${web ? `; see them all in <${web}|Mode>` : ''}.`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: more }] });
  }
  const failed = runs.filter((r) => r.state === 'failed').length;
  return {
    text: `Query runs of Mode report run ${escapeMrkdwn(name)}: ${runs.length}${failed ? `, ${failed} failed` : ''}`,
    blocks,
  };
}
