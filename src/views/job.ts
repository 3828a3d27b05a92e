import type { KnownBlock } from '@slack/types';
import type { JobResult, JobState } from '../client/alation.ts';
import type { JobRef, WatchStatus } from '../store/watches.ts';
import { seenByLine } from './audience.ts';
import { escapeMrkdwn, escapeWithin, mrkdwn } from './blocks.ts';
import type { SlackMessage } from './help.ts';

export const ACTION_JOB_STOP = 'job_stop';
export const ACTION_JOB_CHECK = 'job_check_again';

export interface JobCardInput {
  ref: JobRef;
  jobStatus: JobState;
  msg: string | null;
  result: JobResult;
  /** Absent when the card is a one-off answer with no watch behind it. */
  watch?: {
    id: string;
    status: WatchStatus;
    startedAt: Date;
    deadline: Date;
    ownerUserId: string;
    /** The name Slack shows for the owner, for the "as seen by" line. */
    ownerName?: string | undefined;
  };
  now: Date;
}

/** A time every reader of a channel card sees in their own zone (Slack renders it). */
export function slackDate(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${date.toISOString().replace(/\.\d+Z$/, 'Z')}>`;
}

const ICONS: Record<string, string> = {
  running: ':hourglass_flowing_sand:',
  successful: ':white_check_mark:',
  failed: ':x:',
};

/** `job 42` or job `Load #3`, as mrkdwn: the name is whatever the person typed, escaped. */
export function jobLabel(ref: JobRef): string {
  return 'id' in ref ? `job ${ref.id}` : `job \`${escapeMrkdwn(ref.name).replace(/`/g, "'")}\``;
}

function elapsed(from: Date, to: Date): string {
  const s = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The parsed `result`: counts, each error line, the ignored-errors note; or QLI's plain text. */
function resultLines(result: JobResult): string[] {
  if (result === null || result === '') return [];
  if (typeof result === 'string') return [`> ${escapeMrkdwn(result)}`];
  const lines: string[] = [];
  const count = (key: string, label: string) => {
    if (typeof result[key] === 'number')
      lines.push(`${label}: *${(result[key] as number).toLocaleString('en-US')}*`);
  };
  count('updated_objects', 'Updated objects');
  count('number_received', 'Received');
  const errors = Array.isArray(result.error_objects) ? (result.error_objects as unknown[]) : [];
  if (errors.length > 0) {
    lines.push(`Errors (${errors.length}):`);
    for (const e of errors.slice(0, 20))
      lines.push(
        `• ${escapeMrkdwn(String(typeof e === 'string' ? e : JSON.stringify(e)).slice(0, 300))}`,
      );
    if (errors.length > 20) lines.push(`…and ${errors.length - 20} more`);
  }
  if (typeof result.error === 'string' && result.error)
    lines.push(`_${escapeMrkdwn(result.error)}_`);
  return lines;
}

/**
 * The status card, posted once and updated in place: status and elapsed time while it runs;
 * the message, time taken and parsed result when it ends; and why watching stopped otherwise.
 */
export function buildJobCard(input: JobCardInput): SlackMessage {
  const { ref, jobStatus, watch } = input;
  const icon = ICONS[jobStatus] ?? ':grey_question:';
  const head = `${icon} *Alation ${jobLabel(ref)}*: ${escapeMrkdwn(jobStatus)}`;
  const lines = [head];
  if (jobStatus === 'running' && watch)
    lines.push(`Running for ${elapsed(watch.startedAt, input.now)} so far.`);
  if (input.msg) lines.push(escapeWithin(input.msg, 2_500));
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(lines.join('\n')) }];
  const details = resultLines(input.result);
  if (details.length > 0)
    blocks.push({ type: 'section', text: mrkdwn(details.join('\n').slice(0, 2900)) });

  const context: string[] = [];
  const buttons: { text: string; action: string }[] = [];
  if (watch && jobStatus === 'running') {
    switch (watch.status) {
      case 'watching':
        context.push(
          `Watching for <@${watch.ownerUserId}>; this card updates itself until ${slackDate(watch.deadline)}.`,
        );
        buttons.push({ text: 'Stop watching', action: ACTION_JOB_STOP });
        break;
      case 'expired':
        context.push(
          `Stopped watching at ${slackDate(watch.deadline)}, the time limit; the job may still finish.`,
        );
        buttons.push({ text: 'Check again', action: ACTION_JOB_CHECK });
        break;
      case 'stopped':
        context.push(`<@${watch.ownerUserId}> stopped watching; this card no longer updates.`);
        buttons.push({ text: 'Check again', action: ACTION_JOB_CHECK });
        break;
      case 'lost_access':
        context.push(
          `Stopped watching: <@${watch.ownerUserId}>'s Alation connection no longer works. Reconnect with \`/alation login\`, then check again.`,
        );
        buttons.push({ text: 'Check again', action: ACTION_JOB_CHECK });
        break;
      default:
        break;
    }
  }
  // Whose Alation access the card was read with (issue 18).
  if (watch) {
    context.push(seenByLine(undefined, { userId: watch.ownerUserId, name: watch.ownerName }));
  }
  if (context.length > 0) blocks.push({ type: 'context', elements: context.map(mrkdwn) });
  if (watch && buttons.length > 0) {
    blocks.push({
      type: 'actions',
      elements: buttons.map((b) => ({
        type: 'button' as const,
        action_id: b.action,
        value: watch.id,
        text: { type: 'plain_text' as const, text: b.text },
      })),
    });
  }
  return { text: `Alation ${jobLabel(ref).replace(/`/g, '')}: ${escapeMrkdwn(jobStatus)}`, blocks };
}
