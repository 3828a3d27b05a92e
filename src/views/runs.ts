import type { KnownBlock } from '@slack/types';
import type { ExecutionEvent } from '../client/alation.ts';
import { codeBlock, escapeMrkdwn } from './blocks.ts';
import type { SlackMessage } from './help.ts';
import { when } from './time.ts';

export const ACTION_RUNS_MORE = 'query_runs_more';

export interface RunRow {
  event: ExecutionEvent;
  /** From the event's session; undefined when Alation did not say. */
  scheduled: boolean | undefined;
}

export interface RunsInput {
  queryId: number;
  failedOnly: boolean;
  rows: RunRow[];
  now: Date;
  zone: string | undefined;
  /** The More button's value, or undefined on the last page. */
  more: string | undefined;
  /** True on pages after the first. */
  continued: boolean;
  /** Alation's list was longer than the bot reads in one go; the oldest runs are not shown. */
  truncated?: boolean;
}

const MAX_ERROR = 400;

function status(event: ExecutionEvent): string {
  if (event.execution_error) return ':x: Failed';
  if (event.canceled) return ':black_square_for_stop: Canceled';
  if (event.elapsed_seconds === null || event.elapsed_seconds === undefined) {
    return ':hourglass_flowing_sand: Running or unfinished';
  }
  return ':white_check_mark: Succeeded';
}

function seconds(value: number): string {
  return value < 10 ? `${value.toFixed(2)} s` : `${Math.round(value)} s`;
}

/** One execution event as a short paragraph: what happened, when, how big, how long. */
export function runLine(row: RunRow, now: Date, zone: string | undefined): string {
  const { event } = row;
  const executed = new Date(event.ts_executed);
  const at = Number.isNaN(executed.getTime())
    ? escapeMrkdwn(event.ts_executed)
    : when(executed, now, zone);
  const facts = [
    row.scheduled === undefined ? null : row.scheduled ? 'scheduled' : 'manual',
    typeof event.num_result_rows === 'number'
      ? `${event.num_result_rows.toLocaleString('en-US')} row${event.num_result_rows === 1 ? '' : 's'}`
      : null,
    typeof event.elapsed_seconds === 'number' ? seconds(event.elapsed_seconds) : null,
    event.datasource?.title ? escapeMrkdwn(event.datasource.title) : null,
  ].filter(Boolean);
  const lines = [`*${status(event)}* ${at}`, facts.join('  ·  ')];
  if (event.execution_error) {
    const flat = event.execution_error.replace(/\s+/g, ' ').trim();
    const clipped = flat.length > MAX_ERROR ? `${flat.slice(0, MAX_ERROR)}…` : flat;
    lines.push(codeBlock(clipped));
  }
  return lines.filter((l) => l !== '').join('\n');
}

/** Recent executions of one query, newest first, with More when there are older ones. */
export function buildRunsMessage(input: RunsInput): SlackMessage {
  const what = input.failedOnly ? 'failed runs' : 'runs';
  if (input.rows.length === 0) {
    const line = input.continued
      ? `No older ${what} of query ${input.queryId}.`
      : input.failedOnly
        ? `Query ${input.queryId} has no failed runs that you can see. \`/alation runs ${input.queryId}\` shows all of them.`
        : `Query ${input.queryId} has no runs that you can see yet.`;
    return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
  }
  const header = `${input.continued ? 'Older' : 'Recent'} ${what} of query ${input.queryId}, newest first`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${header}*` } }];
  for (const row of input.rows) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: runLine(row, input.now, input.zone) },
    });
  }
  if (input.truncated && !input.more) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Older runs exist but are not listed here; see them in Alation.' },
      ],
    });
  }
  if (input.more) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_RUNS_MORE,
          text: { type: 'plain_text', text: 'More' },
          value: input.more,
        },
      ],
    });
  }
  return { text: `${header}: ${input.rows.length} shown`, blocks };
}
