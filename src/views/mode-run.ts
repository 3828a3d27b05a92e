// One Mode query run in detail (SQL as written and as it ran, parameters, limit, data source,
// links), the message shared with its CSV, and how Mode problems are put to the person.
// Pure: everything comes in as arguments.
import type { KnownBlock } from '@slack/types';
import { isUpstreamError } from '../client/errors.ts';
import type { ReportRunRef } from '../client/mode.ts';
import { isRunDone, type ModeQueryRun } from '../client/mode.ts';
import { clip, codeBlock, escapeMrkdwn, escapeWithin, mrkdwn, section } from './blocks.ts';
import { fileSize, readableFileBase } from './files.ts';
import type { SlackMessage } from './help.ts';
import {
  errorText,
  linkLabel,
  queryName,
  runButtons,
  stateBadge,
  type TimeContext,
  textField,
  timingLine,
  webLink,
} from './mode-runs.ts';
import { renderTable } from './preview-table.ts';

/** Longest SQL shown inline; a code block in one section has to stay under 3000 characters. */
export const INLINE_MODE_SQL_LIMIT = 2_800;
const MAX_PARAMETERS = 20;
const MAX_PARAMETER_VALUE = 200;
const MAX_DETAIL_ERROR = 2_500;
/** Longest query name shown as a message's title. */
const MAX_TITLE = 200;
/** Room for the parameter lines in their section, once escaped. */
const PARAMETERS_BUDGET = 2_800;

/** The SQL texts of a run: as it ran (parameters filled in) and as written, when they differ. */
export function sqlOf(run: ModeQueryRun): { rendered?: string; raw?: string } {
  const raw = textField(run.raw_source);
  const rendered = textField(run.rendered_source);
  if (rendered === undefined || rendered === raw) return raw === undefined ? {} : { raw };
  return raw === undefined ? { rendered } : { rendered, raw };
}

/**
 * Whether every SQL text of the run fits in a message once escaped (Slack counts `&lt;` as four
 * characters); otherwise it goes as a .sql file.
 */
export function sqlFitsInline(run: ModeQueryRun): boolean {
  const { rendered, raw } = sqlOf(run);
  return [rendered, raw].every(
    (t) => t === undefined || escapeMrkdwn(t).length <= INLINE_MODE_SQL_LIMIT,
  );
}

/** Mode's `limit` is documented as a string but sent as a boolean (the "Limit 100" switch). */
export function limitText(value: unknown): string {
  if (value === true) return 'on (Mode returned only the first rows)';
  if (value === false) return 'off';
  if (typeof value === 'number') return `${value.toLocaleString('en-US')} rows`;
  const text = textField(value);
  return text === undefined ? 'not given' : escapeWithin(text, MAX_PARAMETER_VALUE);
}

/**
 * Parameters as `name = value` lines, escaped, as many as fit one section; documented as a
 * string, sent as an object.
 */
export function parametersText(value: unknown): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    const lines: string[] = [];
    let size = 0;
    for (const [name, v] of entries.slice(0, MAX_PARAMETERS)) {
      const shown = typeof v === 'string' ? v : JSON.stringify(v);
      const line = `• \`${escapeWithin(name, 100).replace(/`/g, "'")}\` = ${escapeWithin(shown ?? 'null', MAX_PARAMETER_VALUE)}`;
      // Keep room for the "…and N more" line.
      if (size + line.length + 1 > PARAMETERS_BUDGET - 40) break;
      lines.push(line);
      size += line.length + 1;
    }
    if (entries.length > lines.length) lines.push(`…and ${entries.length - lines.length} more`);
    return lines.join('\n');
  }
  const text = textField(value);
  if (text === undefined || /^\{\s*\}$/.test(text)) return undefined;
  return escapeWithin(text, PARAMETERS_BUDGET);
}

export type SqlPlacement =
  | { kind: 'inline' }
  /** The long SQL was attached to the channel under these file names. */
  | { kind: 'files'; files: string[] }
  /** Too long to show, and Slack would not take the file in this conversation. */
  | { kind: 'not_attached' };

export interface ModeRunDetailsInput extends TimeContext {
  ref: ReportRunRef;
  run: ModeQueryRun;
  modeBaseUrl: string;
  sql: SqlPlacement;
}

function sqlBlocks(run: ModeQueryRun, placement: SqlPlacement): KnownBlock[] {
  const { rendered, raw } = sqlOf(run);
  if (rendered === undefined && raw === undefined) {
    return [section('_Mode sent no SQL for this query run._')];
  }
  if (placement.kind === 'files') {
    const names = placement.files.map((f) => `\`${escapeMrkdwn(f)}\``).join(' and ');
    return [
      section(
        `*SQL* is too long to show here, so it is attached to this conversation as ${names}${rendered !== undefined && raw !== undefined ? ' (as it ran, and as written)' : ''}.`,
      ),
    ];
  }
  if (placement.kind === 'not_attached') {
    return [
      section(
        '*SQL* is too long to show here, and I could not attach it as a file in this conversation. Invite me (`/invite @Alation`) and press *Details* again, or open the query in Mode.',
      ),
    ];
  }
  if (rendered === undefined) return [section(`*SQL*\n${codeBlock(raw ?? '')}`)];
  const blocks = [
    section(`*Rendered SQL* (as it ran, parameters filled in)\n${codeBlock(rendered)}`),
  ];
  if (raw !== undefined) blocks.push(section(`*Raw SQL* (as written)\n${codeBlock(raw)}`));
  return blocks;
}

/** Everything about one query run that helps to see why it broke, and where to look next. */
export function buildModeRunDetails(input: ModeRunDetailsInput): SlackMessage {
  const { run } = input;
  const name = queryName(run);
  const queryWeb = webLink(run, 'query_web', input.modeBaseUrl);
  const title = queryWeb
    ? `<${queryWeb}|${linkLabel(clip(name, MAX_TITLE))}>`
    : escapeWithin(name, MAX_TITLE);
  const source = [textField(run.data_source_id), textField(run.data_source_token)].filter(Boolean);
  const facts = [
    `Query run \`${escapeMrkdwn(run.token)}\``,
    `data source ${source.length > 0 ? escapeMrkdwn(source.join(' · ')) : 'not given'}`,
    `limit ${limitText(run.limit)}`,
  ];
  const lines = [`${stateBadge(run.state)}  *${title}*`, facts.join(' · ')];
  const timing = timingLine(run, input);
  if (timing) lines.push(timing);
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  const error = errorText(run, MAX_DETAIL_ERROR);
  if (error) blocks.push(section(`*Error*\n${codeBlock(error, MAX_DETAIL_ERROR + 6)}`));
  const parameters = parametersText(run.parameters);
  blocks.push(section(`*Parameters*${parameters ? `\n${parameters}` : ': none'}`));
  blocks.push(...sqlBlocks(run, input.sql));
  const links = (
    [
      ['query_web', 'Query in Mode'],
      ['result_web', 'Result in Mode'],
      ['report_run_web', 'Report run in Mode'],
    ] as const
  )
    .map(([rel, label]) => {
      const url = webLink(run, rel, input.modeBaseUrl);
      return url ? `<${url}|${label}>` : undefined;
    })
    .filter(Boolean);
  if (links.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(links.join(' · '))] });
  if (isRunDone(run.state)) blocks.push(runButtons(input.ref, run, { details: false }));
  return { text: `Mode query run ${escapeMrkdwn(name)}: ${escapeMrkdwn(run.state)}`, blocks };
}

export interface ModeCsvPreview {
  header: string[];
  rows: string[][];
  previewOk: boolean;
  bytes: number;
  filename: string;
}

/** A file name people can read, from a query name anyone could have typed. */
export function modeCsvFileName(run: ModeQueryRun): string {
  return `${readableFileBase(textField(run.query_name) ?? '') || `mode-query-run-${run.token}`}.csv`;
}

/** The message shared with a query run's CSV: which query, when it ran, a preview. */
export function buildModeCsvMessage(
  input: TimeContext & { run: ModeQueryRun; modeBaseUrl: string; preview: ModeCsvPreview },
): SlackMessage {
  const { run, preview } = input;
  const name = queryName(run);
  const web =
    webLink(run, 'result_web', input.modeBaseUrl) ?? webLink(run, 'query_web', input.modeBaseUrl);
  const title = web
    ? `<${web}|${linkLabel(clip(name, MAX_TITLE))}>`
    : escapeWithin(name, MAX_TITLE);
  const timing = timingLine(run, input);
  const blocks: KnownBlock[] = [
    section(
      `:bar_chart: *${title}* (Mode query run \`${escapeMrkdwn(run.token)}\`)${timing ? `\n${timing}` : ''}`,
    ),
  ];
  if (preview.previewOk && preview.header.length > 0) {
    const table = renderTable(preview.header, preview.rows);
    const caption =
      table.shownColumns < table.totalColumns
        ? `Preview: first rows, ${table.shownColumns} of ${table.totalColumns} columns. `
        : preview.rows.length > 0
          ? 'Preview: first rows. '
          : '';
    blocks.push(section(codeBlock(table.text)));
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `${caption}The full CSV (${fileSize(preview.bytes)}) is attached: \`${escapeMrkdwn(preview.filename)}\`.`,
        ),
      ],
    });
  } else if (preview.header.length === 0) {
    blocks.push(section('_The result has no rows._'));
  } else {
    blocks.push(
      section(
        '_No preview: the CSV could not be read as a table. The file is attached as Mode sent it._',
      ),
    );
  }
  return {
    text: `Result of ${escapeMrkdwn(name)} (Mode query run ${escapeMrkdwn(run.token)})`,
    blocks,
  };
}

// --- Problems -------------------------------------------------------------------------------

export const ACTION_CONNECT_MODE = 'mode_connect';

const RECONNECT_REASONS: Record<string, string> = {
  credentials_rejected:
    'Mode no longer accepts your API token and secret (the token was deleted, or its secret changed)',
  key_missing:
    "the bot's encryption key was changed, so your saved Mode token can no longer be read",
  unreadable: 'your saved Mode token could not be read',
};

/** No Mode credential, or one that stopped working: what is wrong, and how to connect. */
export function buildModeConnectPrompt(reason?: string): SlackMessage {
  const line =
    reason === undefined
      ? ':link: Connect Mode first: `/alation mode login`. Report runs are read with your own Mode API token, so the bot needs it once.'
      : `:link: *Reconnect Mode.* ${RECONNECT_REASONS[reason] ?? 'Your Mode connection stopped working'}. Run \`/alation mode login\` again with a current API token; nothing else is lost.`;
  return {
    text: reason === undefined ? 'Connect Mode first: `/alation mode login`' : 'Reconnect Mode.',
    blocks: [
      section(line),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_CONNECT_MODE,
            text: {
              type: 'plain_text',
              text: reason === undefined ? 'Connect Mode' : 'Reconnect Mode',
            },
            style: 'primary',
            value: 'mode',
          },
        ],
      },
    ],
  };
}

/**
 * A failed Mode call: the client's own words (no token, no stack, no HTML), escaped, and what to
 * do. `doing` is mrkdwn the caller wrote; anything a person typed in it must be escaped already.
 */
export function buildModeErrorMessage(error: unknown, doing: string): SlackMessage {
  let line: string;
  if (isUpstreamError(error)) {
    const next: Partial<Record<typeof error.kind, string>> = {
      forbidden: 'Ask an admin of the Mode workspace for access.',
      rate_limited: 'Try again in a little while.',
      server_error: 'Try again in a minute; if it keeps failing, check status.mode.com.',
      timeout: 'Try again in a minute.',
      unreachable: 'Check that Mode is up, or tell whoever runs this bot.',
      bad_response: 'If it keeps happening, tell whoever runs this bot.',
    };
    line = `:warning: Could not ${doing}. ${escapeMrkdwn(error.message)}${next[error.kind] ? ` ${next[error.kind]}` : ''}`;
  } else {
    line = `:warning: Could not ${doing}: something went wrong on the bot's side. It has been logged; please try again.`;
  }
  return { text: line, blocks: [section(line)] };
}

/** A simple private notice, e.g. "not found" with the path that was tried; `line` is mrkdwn. */
export function buildModeNotice(line: string): SlackMessage {
  return { text: line, blocks: [section(line)] };
}
