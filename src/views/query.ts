import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { composeUrl, queryUrl } from '../client/alation/links.ts';
import type { QuerySchedule } from '../client/alation/query-schemas.ts';
import type { Query, ScheduledRun } from '../client/alation.ts';
import {
  clip,
  codeBlock,
  context,
  escapeMrkdwn,
  escapeWithin,
  mrkdwn,
  plainText,
  section,
} from './blocks.ts';
import { cronToWords } from './cron.ts';
import type { SlackMessage } from './help.ts';
import { when } from './time.ts';

/** Handled by the result feature: value is the query id as a decimal string. */
export const ACTION_QUERY_LATEST_RESULT = 'query_latest_result';
export const ACTION_QUERY_RUN_HISTORY = 'query_run_history';
export const ACTION_QUERY_SQL = 'query_sql';
/** Opens the Add flag form for this query (handled with the trust-flag commands). */
export const ACTION_QUERY_FLAG = 'query_flag';
export const ACTION_QUERY_SHOW = 'query_show';
export const ACTION_QUERY_SEARCH_MORE = 'query_search_more';
/** Link buttons: Slack opens the URL and still sends an action, which is only acknowledged. */
export const ACTION_OPEN_COMPOSE = 'query_open_compose';
export const ACTION_OPEN_CATALOG = 'query_open_catalog';

/** The first lines of SQL in a code block, short enough for a card. */
export function sqlPreview(sql: string, maxChars = 500, maxLines = 8): string {
  const trimmed = sql.trim();
  if (trimmed === '') return '_(no SQL saved)_';
  const lines = trimmed.split('\n');
  let shown = lines.slice(0, maxLines).join('\n');
  let cut = lines.length > maxLines;
  if (shown.length > maxChars) {
    shown = shown.slice(0, maxChars);
    cut = true;
  }
  return codeBlock(`${shown}${cut ? '\n…' : ''}`);
}

export function titleOf(query: Pick<Query, 'id' | 'title'>): string {
  return query.title.trim() === '' ? `Untitled query ${query.id}` : query.title.trim();
}

function datasourceOf(query: Pick<Query, 'datasource' | 'datasource_id'>): string {
  const title = query.datasource?.title?.trim();
  return title
    ? `${escapeMrkdwn(title)} (id ${query.datasource_id})`
    : `data source ${query.datasource_id}`;
}

function linkButtons(alationBaseUrl: string, query: Query): Button[] {
  return [
    {
      type: 'button',
      action_id: ACTION_OPEN_COMPOSE,
      text: plainText('Open in Compose'),
      url: composeUrl(alationBaseUrl, query.id, query.compose_url),
    },
    {
      type: 'button',
      action_id: ACTION_OPEN_CATALOG,
      text: plainText('Open in catalog'),
      url: queryUrl(alationBaseUrl, query.id, query.catalog_url),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Create Query modal

/** Posted to the conversation the command ran in, for everyone there. */
export function buildCreatedMessage(input: {
  query: Query;
  alationBaseUrl: string;
  creatorUserId: string;
}): SlackMessage {
  const { query } = input;
  const title = titleOf(query);
  const state = [query.saved === false ? 'draft' : 'saved', query.published ? 'published' : null]
    .filter(Boolean)
    .join(', ');
  return {
    text: `New Compose query: ${escapeMrkdwn(title)} (query ${query.id})`,
    blocks: [
      section(
        `:sparkles: <@${input.creatorUserId}> created *${escapeMrkdwn(title)}* (query ${query.id}) on ${datasourceOf(query)}, ${state}.`,
      ),
      section(sqlPreview(query.content, 400, 6)),
      { type: 'actions', elements: linkButtons(input.alationBaseUrl, query) },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Details card

export interface QueryCardInput {
  query: Query;
  alationBaseUrl: string;
  now: Date;
  zone: string | undefined;
  /** Recent scheduled runs of this query, newest first (empty when Alation keeps none). */
  scheduledRuns: ScheduledRun[];
}

function dateLine(iso: string | null | undefined, now: Date, zone: string | undefined) {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : when(date, now, zone);
}

function scheduleLine(s: QuerySchedule, now: Date, zone: string | undefined): string {
  const parts = [
    `${s.enabled ? ':calendar:' : ':double_vertical_bar:'} *${cronToWords(s.cron_expression)}*`,
  ];
  if (!s.enabled) parts.push('(paused)');
  if (s.overdue) parts.push(':warning: *overdue*');
  const lines = [parts.join(' ')];
  const next = s.enabled ? dateLine(s.ts_next_run, now, zone) : undefined;
  if (next) lines.push(`    Next run ${next}`);
  const last = dateLine(s.ts_last_attempt, now, zone);
  lines.push(last ? `    Last attempt ${last}` : '    Not attempted yet');
  if (s.user?.username) {
    const inactive = s.user.is_active === false ? ' (inactive user: runs may fail)' : '';
    lines.push(`    Runs as ${escapeMrkdwn(s.user.username)}${inactive}`);
  }
  return lines.join('\n');
}

function scheduledRunLine(run: ScheduledRun, now: Date, zone: string | undefined): string {
  const sent = dateLine(run.ts_sent_to_broker, now, zone) ?? escapeMrkdwn(run.ts_sent_to_broker);
  const status = run.ts_postrun ? 'finished' : run.ts_prerun ? 'started, not finished' : 'queued';
  return `• ${sent}: ${status}`;
}

/** Actions every query card offers; each value is the query id. */
export function queryButtons(queryId: number): Button[] {
  const value = String(queryId);
  return [
    {
      type: 'button',
      action_id: ACTION_QUERY_LATEST_RESULT,
      text: plainText('Latest result'),
      value,
    },
    { type: 'button', action_id: ACTION_QUERY_RUN_HISTORY, text: plainText('Run history'), value },
    { type: 'button', action_id: ACTION_QUERY_SQL, text: plainText('SQL'), value },
  ];
}

/** Everything about one query a person asks about first, with what they can do next. */
export function buildQueryCard(input: QueryCardInput): SlackMessage {
  const { query, now, zone } = input;
  const title = titleOf(query);
  const blocks: KnownBlock[] = [{ type: 'header', text: plainText(clip(title, 150)) }];
  const description = query.description?.trim();
  blocks.push(section(description ? escapeWithin(description, 2900) : '_No description._'));
  const saved = dateLine(query.ts_last_saved, now, zone);
  const state = [
    query.saved === false ? 'Draft' : 'Saved',
    query.published ? 'published' : 'not published',
    query.has_unsaved_changes ? 'has unsaved changes' : null,
  ]
    .filter(Boolean)
    .join(', ');
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Query*\n${query.id}`),
      mrkdwn(`*Data source*\n${datasourceOf(query)}`),
      mrkdwn(`*State*\n${state}`),
      mrkdwn(`*Last saved*\n${saved ?? 'never'}`),
    ],
  });
  const schedules = query.schedules ?? [];
  if (schedules.length === 0) {
    blocks.push(section('*Schedule*\nNot scheduled.'));
  } else {
    const lines = schedules.slice(0, 5).map((s) => scheduleLine(s, now, zone));
    blocks.push(
      section(clip(`*Schedule${schedules.length > 1 ? 's' : ''}*\n${lines.join('\n')}`, 2900)),
    );
    if (input.scheduledRuns.length > 0) {
      const runs = input.scheduledRuns.slice(0, 3).map((r) => scheduledRunLine(r, now, zone));
      blocks.push(section(`*Recent scheduled runs*\n${runs.join('\n')}`));
    }
  }
  blocks.push(section(`*SQL*\n${sqlPreview(query.content)}`));
  const actions: ActionsBlock = {
    type: 'actions',
    elements: [
      ...queryButtons(query.id),
      {
        type: 'button',
        action_id: ACTION_QUERY_FLAG,
        text: plainText('Flag…'),
        value: String(query.id),
      },
      ...linkButtons(input.alationBaseUrl, query),
    ],
  };
  blocks.push(actions);
  if (schedules.length > 0) {
    blocks.push(
      context('Schedule times are on the Alation server’s clock; dates are in your time zone.'),
    );
  }
  return { text: `Query ${query.id}: ${escapeMrkdwn(title)}`, blocks };
}

// ---------------------------------------------------------------------------------------------
// Search results

export interface SearchResultsInput {
  text: string;
  queries: Query[];
  /** The More button's value, or undefined on the last page. */
  more: string | undefined;
  /** 1 for the first page, so the header can say which results these are. */
  firstIndex: number;
}

export function buildSearchResults(input: SearchResultsInput): SlackMessage {
  const shown = escapeMrkdwn(input.text);
  if (input.queries.length === 0) {
    const line =
      input.firstIndex === 1
        ? `No queries match “${shown}” in their title or SQL. Try a shorter or different word; only queries you can see in Alation are searched.`
        : `No more queries match “${shown}”.`;
    return { text: line, blocks: [section(`:mag: ${line}`)] };
  }
  const last = input.firstIndex + input.queries.length - 1;
  const header = `:mag: Queries whose title or SQL contains “${shown}” (${input.firstIndex}–${last}${input.more ? ', more below' : ''})`;
  const blocks: KnownBlock[] = [section(header)];
  for (const query of input.queries) {
    blocks.push(
      section(
        `*${escapeMrkdwn(clip(titleOf(query), 200))}*  ·  query ${query.id}  ·  ${datasourceOf(query)}`,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_QUERY_SHOW,
            text: plainText('Show'),
            value: String(query.id),
          },
          {
            type: 'button',
            action_id: ACTION_QUERY_LATEST_RESULT,
            text: plainText('Latest result'),
            value: String(query.id),
          },
        ],
      },
    );
  }
  if (input.more) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_QUERY_SEARCH_MORE,
          text: plainText('More'),
          value: input.more,
        },
      ],
    });
  }
  return {
    text: `Queries matching “${shown}”: ${input.queries.map((q) => q.id).join(', ')}`,
    blocks,
  };
}
