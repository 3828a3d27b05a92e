import type { KnownBlock } from '@slack/types';
import type { ResultState } from '../results/latest.ts';
import { codeBlock, escapeMrkdwn, mrkdwn, section } from './blocks.ts';
import { fileSize } from './files.ts';
import type { SlackMessage } from './help.ts';
import { renderTable } from './preview-table.ts';
import { inZone, when } from './time.ts';

export interface ResultContext {
  queryId: number;
  title: string;
  /** Absolute links into Alation. */
  queryUrl: string;
  composeUrl: string;
  now: Date;
  zone: string | undefined;
  /** mrkdwn the bot wrote: whose access the post was read with, and who here can see it. */
  seenBy?: string;
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** Slack's link syntax breaks on these; titles are user-written. */
const linkText = (text: string) => text.replace(/[<>|]/g, ' ').replace(/&/g, '&amp;');

function heading(ctx: ResultContext): string {
  return `*<${ctx.queryUrl}|${linkText(ctx.title)}>* (query ${ctx.queryId})`;
}

function ranLine(
  state: { executedAt: Date | undefined; secondsTaken: number | undefined },
  ctx: ResultContext,
): string[] {
  const parts: string[] = [];
  if (state.executedAt) parts.push(`Ran ${when(state.executedAt, ctx.now, ctx.zone)}`);
  if (state.secondsTaken !== undefined)
    parts.push(`took ${state.secondsTaken.toFixed(state.secondsTaken < 10 ? 2 : 0)} s`);
  return parts;
}

export interface PreviewInput {
  header: string[];
  rows: string[][];
  previewOk: boolean;
  bytes: number;
  filename: string;
}

/** The message shared with the CSV file: what ran, how big it is, what is missing, a preview. */
export function buildResultMessage(
  state: Extract<ResultState, { kind: 'ready' }>,
  preview: PreviewInput,
  ctx: ResultContext,
): SlackMessage {
  const facts = ranLine(state, ctx);
  if (state.rowCount !== undefined) facts.push(plural(state.rowCount, 'row'));
  const blocks: KnownBlock[] = [section(`:bar_chart: ${heading(ctx)}\n${facts.join(' · ')}`)];
  const notes: string[] = [];
  if (state.truncated) {
    notes.push(
      ':scissors: *Partial result:* Alation keeps only the first 16 MB of a result, so the attached CSV stops there. Run the query in Compose for everything.',
    );
  }
  if (state.previewOnly) {
    notes.push(
      ':mag: *Preview only:* this run was a Compose “Run & Export”, for which Alation keeps just the first 1,000 rows.',
    );
  }
  if (state.expiresAt)
    notes.push(`Alation keeps this result until ${inZone(state.expiresAt, ctx.zone)}.`);
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map(mrkdwn) });
  if (preview.previewOk && preview.header.length > 0) {
    const table = renderTable(preview.header, preview.rows);
    const caption: string[] = [];
    if (state.rowCount !== undefined && table.shownRows < state.rowCount) {
      caption.push(`first ${plural(table.shownRows, 'row')} of ${count(state.rowCount)}`);
    } else if (state.rowCount === undefined && table.shownRows < preview.rows.length) {
      caption.push(`first ${plural(table.shownRows, 'row')}`);
    }
    if (table.shownColumns < table.totalColumns) {
      caption.push(`${table.shownColumns} of ${table.totalColumns} columns`);
    }
    blocks.push(section(codeBlock(table.text)));
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `${caption.length > 0 ? `Preview: ${caption.join(', ')}. ` : ''}The full CSV (${fileSize(preview.bytes)}) is attached: \`${escapeMrkdwn(preview.filename)}\`.`,
        ),
      ],
    });
  } else if (preview.header.length === 0) {
    blocks.push(section('_The result has no rows._'));
  } else {
    blocks.push(
      section(
        `_No preview: the CSV could not be read as a table. The file is attached as Alation sent it._`,
      ),
    );
  }
  if (ctx.seenBy) blocks.push({ type: 'context', elements: [mrkdwn(`:eyes: ${ctx.seenBy}`)] });
  return { text: `Latest result of ${escapeMrkdwn(ctx.title)} (query ${ctx.queryId})`, blocks };
}

/** When there is nothing to attach: why, and what to do about it. */
export function buildNoResultMessage(
  state: Exclude<ResultState, { kind: 'ready' }>,
  ctx: ResultContext,
): SlackMessage {
  const compose = `<${ctx.composeUrl}|Run it in Compose>`;
  let line: string;
  switch (state.kind) {
    case 'none':
      line = `${heading(ctx)} has no result you can see yet: it has never run, its results were removed, or they are not shared with you. ${compose} to get one.`;
      break;
    case 'failed':
      line = `:x: The latest run of ${heading(ctx)} failed${state.executedAt ? ` (${when(state.executedAt, ctx.now, ctx.zone)})` : ''}:\n${codeBlock(state.error.replace(/```/g, "'''"), 2_006)}\nFix the query and ${compose.replace('Run it', 'run it again')}.`;
      break;
    case 'canceled':
      line = `:no_entry_sign: The latest run of ${heading(ctx)} was canceled before it finished, so it has no result. ${compose}.`;
      break;
    case 'running':
      line = `:hourglass_flowing_sand: ${heading(ctx)} is still running${state.executedAt ? ` (started ${when(state.executedAt, ctx.now, ctx.zone)})` : ''}. Ask again when it has finished.`;
      break;
    case 'expired':
      line = `:wastebasket: The latest result of ${heading(ctx)} has expired${state.expiredAt ? ` (on ${inZone(state.expiredAt, ctx.zone)})` : ''}; Alation keeps results for a limited time. ${compose} for a fresh one.`;
      break;
  }
  return { text: line.replace(/[*_`]/g, ''), blocks: [section(line)] };
}
