// The live alert card and the words for a condition. Pure: everything shown comes in as data.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Condition } from '../alerts/condition.ts';
import type { Episode } from '../alerts/episode.ts';
import { seenByLine, type Viewer } from './audience.ts';
import { codeBlock, context, escapeMrkdwn, mrkdwn, plainText, section } from './blocks.ts';
import { ACTION_CONNECT_ALATION } from './connect.ts';
import type { SlackMessage } from './help.ts';
import { renderTable } from './preview-table.ts';
import { inZone, relative } from './time.ts';

export const ACTION_ALERT_ACK = 'alert_ack';
export const ACTION_ALERT_SNOOZE = 'alert_snooze';
export const ACTION_ALERT_MUTE = 'alert_mute';
export const ACTION_ALERT_RESUME = 'alert_resume';
export const ACTION_ALERT_EDIT = 'alert_edit';
export const ACTION_ALERT_DELETE = 'alert_delete';

const SYMBOLS = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '=': '=', '!=': '≠' } as const;
const READS = {
  first: 'the first row’s',
  sum: 'the sum of',
  min: 'the lowest',
  max: 'the highest',
  mean: 'the mean of',
} as const;

/** 12,400 and 0.25: thousands separators, at most 4 decimals, as people read figures. */
export function figure(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/** The condition in words, mrkdwn with column names escaped: "the sum of `revenue` ≥ 10,000". */
export function conditionInWords(condition: Condition): string {
  switch (condition.kind) {
    case 'row_count':
      if (condition.op === '=' && condition.n === 0) return 'the result has no rows';
      if (condition.op === '>' && condition.n === 0) return 'the result has any rows';
      return `the row count ${SYMBOLS[condition.op]} ${figure(condition.n)}`;
    case 'column':
      return `${READS[condition.reducer]} \`${escapeMrkdwn(condition.column)}\` ${SYMBOLS[condition.op]} ${figure(condition.threshold)}`;
    case 'new_rows':
      return `new rows appear (by \`${escapeMrkdwn(condition.keyColumn)}\`)`;
    case 'changed':
      return 'the result changes';
  }
}

/** "3 h 20 min", "2 days 4 h": how long an episode lasted, to the minute. */
export function lasted(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${rest ? ` ${rest} min` : ''}`;
  return `${rest} min`;
}

export interface AlertCardInput {
  alertId: string;
  name: string;
  condition: Condition;
  queryId: number;
  queryTitle: string;
  queryUrl: string;
  /** Compose, where the query's latest result is seen, and that result's id. */
  composeUrl?: string;
  resultId?: number;
  /** The card as it stands: an open episode, or the one that just ended. */
  phase: 'open' | 'resolved';
  episode: Episode;
  /** When a resolved episode ended. */
  endedAt?: Date;
  /** Rows that illustrate it (the first rows, or the new ones) and their header. */
  header: string[];
  rows: string[][];
  /** New rows in all, when more than shown (and attached as a CSV). */
  matched?: number;
  muted: boolean;
  /** Whose Alation access the checks read the query with (the creator), for the context line. */
  seenBy?: Viewer;
  /** Why checks stopped (the creator must act), when paused. */
  pausedReason?: string;
  snoozedUntil?: Date;
  snoozedBy?: string;
  now: Date;
  /** The zone times are shown in (the channel's readers vary: the creator's). */
  zone: string | undefined;
}

/** "Triggered", "Still triggered (3 checks, since 09:00)", "Query failing", "Resolved". */
function headline(input: AlertCardInput): string {
  const { episode, zone } = input;
  const since = inZone(new Date(episode.startedAt), zone);
  if (input.phase === 'resolved') {
    const ended = input.endedAt ?? input.now;
    const took = lasted(ended.getTime() - Date.parse(episode.startedAt));
    return `:white_check_mark: *Resolved* after ${took} (since ${since})`;
  }
  if (episode.kind === 'failing') {
    return `:x: *The query failed*${episode.checks > 1 ? ` (${episode.checks} checks in a row, since ${since})` : ''}`;
  }
  if (episode.checks > 1) {
    return `:rotating_light: *Still triggered* (${episode.checks} checks, since ${since})`;
  }
  return `:rotating_light: *Triggered* ${relative(new Date(episode.startedAt), input.now)}`;
}

function measured(input: AlertCardInput): string | undefined {
  const { condition, episode } = input;
  if (episode.lastValue === undefined) return undefined;
  const value = figure(episode.lastValue);
  switch (condition.kind) {
    case 'row_count':
      return `Rows: *${value}* (alert when ${conditionInWords(condition)})`;
    case 'column':
      return `Measured *${value}* against ${SYMBOLS[condition.op]} ${figure(condition.threshold)}`;
    case 'new_rows':
      return `*${value}* new row${episode.lastValue === 1 ? '' : 's'} since the previous result`;
    case 'changed':
      return undefined;
  }
}

export function buildAlertCard(input: AlertCardInput): SlackMessage {
  const { episode } = input;
  const title = `*${escapeMrkdwn(input.name)}* · <${input.queryUrl}|${escapeMrkdwn(input.queryTitle).replace(/[<>|]/g, ' ')}> (query ${input.queryId})`;
  const blocks: KnownBlock[] = [section(`${headline(input)}\n${title}`)];
  const facts = [`When ${conditionInWords(input.condition)}.`];
  const value = measured(input);
  if (value) facts.push(value);
  if (episode.problem) facts.push(`:warning: ${escapeMrkdwn(episode.problem)}`);
  if (input.composeUrl) {
    const which = input.resultId === undefined ? 'the latest result' : `result ${input.resultId}`;
    facts.push(`<${input.composeUrl}|Open in Compose> to see ${which} in Alation.`);
  }
  blocks.push(section(facts.join('\n')));
  if (input.phase === 'open' && input.rows.length > 0 && input.header.length > 0) {
    const table = renderTable(input.header, input.rows);
    blocks.push(section(codeBlock(table.text)));
    const more = input.matched !== undefined && input.matched > table.shownRows;
    if (more) {
      blocks.push(
        context(
          `First ${table.shownRows} of ${figure(input.matched ?? 0)} rows; all are in the attached CSV.`,
        ),
      );
    }
  }
  const notes: string[] = [];
  if (episode.acknowledgedBy) {
    const at = episode.acknowledgedAt
      ? ` ${inZone(new Date(episode.acknowledgedAt), input.zone)}`
      : '';
    notes.push(
      `:eyes: Acknowledged by <@${episode.acknowledgedBy}>${at}: no reminders for this episode.`,
    );
  }
  if (input.snoozedUntil && input.snoozedUntil > input.now) {
    const by = input.snoozedBy ? ` by <@${input.snoozedBy}>` : '';
    notes.push(
      `:zzz: Snoozed${by} until ${inZone(input.snoozedUntil, input.zone)}: no new cards or reminders till then.`,
    );
  }
  if (input.muted) notes.push(':no_bell: Muted: not checked until someone presses Resume.');
  if (input.pausedReason) {
    notes.push(
      `:double_vertical_bar: Paused, not checked: ${escapeMrkdwn(input.pausedReason)}. Its creator can resume it from \`/alation alert list\`.`,
    );
  }
  // Everyone here reads the result one person's access allowed (issue 18): say whose.
  if (input.seenBy) notes.push(seenByLine(undefined, input.seenBy));
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map(mrkdwn) });
  blocks.push(cardButtons(input));
  const state =
    input.phase === 'resolved'
      ? 'Resolved'
      : episode.kind === 'failing'
        ? 'Query failed'
        : 'Triggered';
  return { text: `${state}: ${escapeMrkdwn(input.name)} (query ${input.queryId})`, blocks };
}

function cardButtons(input: AlertCardInput): ActionsBlock {
  const value = input.alertId;
  const elements: ActionsBlock['elements'] = [];
  if (input.phase === 'open' && !input.episode.acknowledgedBy) {
    elements.push({
      type: 'button',
      action_id: ACTION_ALERT_ACK,
      text: plainText('Acknowledge'),
      value,
      style: 'primary',
    });
  }
  if (input.phase === 'open') {
    elements.push({
      type: 'static_select',
      action_id: ACTION_ALERT_SNOOZE,
      placeholder: plainText('Snooze…'),
      options: [
        { text: plainText('1 hour'), value: `${value}:1h` },
        { text: plainText('1 day'), value: `${value}:1d` },
        { text: plainText('Until Monday 09:00'), value: `${value}:monday` },
      ],
    });
  }
  elements.push(
    input.muted
      ? { type: 'button', action_id: ACTION_ALERT_RESUME, text: plainText('Resume'), value }
      : { type: 'button', action_id: ACTION_ALERT_MUTE, text: plainText('Mute'), value },
    { type: 'button', action_id: ACTION_ALERT_EDIT, text: plainText('Edit'), value },
    {
      type: 'button',
      action_id: ACTION_ALERT_DELETE,
      text: plainText('Delete'),
      value,
      style: 'danger',
      confirm: {
        title: plainText('Delete this alert?'),
        text: plainText('It stops checking and its card stays as it is.'),
        confirm: plainText('Delete'),
        deny: plainText('Keep it'),
      },
    },
  );
  return { type: 'actions', elements };
}

/** The short reply in the card's thread when an episode ends. */
export function buildResolvedReply(name: string, lastedMs: number): SlackMessage {
  const text = `:white_check_mark: *${escapeMrkdwn(name)}* resolved after ${lasted(lastedMs)}.`;
  return { text, blocks: [section(text)] };
}

/** A reminder in the card's thread: still triggered and nobody has acknowledged it. */
export function buildReminder(name: string, episode: Episode, now: Date): SlackMessage {
  const since = relative(new Date(episode.startedAt), now);
  const text = `:rotating_light: *${escapeMrkdwn(name)}* is still triggered (${episode.checks} checks, started ${since}). Press *Acknowledge* on the card to stop reminders.`;
  return { text, blocks: [section(text)] };
}

/** To the creator: their alert stopped checking, why, and how to start it again. */
export function buildAlertPausedDm(
  name: string,
  why: string,
  /** The creator's Alation connection is what broke: offer the Reconnect button. */
  reconnect = false,
): SlackMessage {
  const text = `:double_vertical_bar: Your alert *${escapeMrkdwn(name)}* is paused: ${escapeMrkdwn(why)}. Resume it from \`/alation alert list\` once that is fixed.`;
  const blocks: KnownBlock[] = [section(text)];
  if (reconnect) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_CONNECT_ALATION,
          text: plainText('Reconnect Alation'),
          style: 'primary',
          value: 'alation',
        },
      ],
    });
  }
  return { text, blocks };
}

export interface ListedAlert {
  id: string;
  name: string;
  queryId: number;
  condition: Condition;
  channelId: string;
  onlyMe: boolean;
  /** To each subscriber, as themselves (issue 18). */
  personal?: boolean;
  /** What the audience check found when it was saved into a channel (bot-written mrkdwn). */
  audienceNote?: string | null;
  status: 'active' | 'muted' | 'paused';
  pausedReason: string | null;
  lastState: string | null;
  lastCheckedAt: Date | null;
  lastValue: number | null;
  snoozedUntil: Date | null;
  everyMinutes: number;
}

export const MAX_ALERTS_LISTED = 15;

const whereOf = (a: ListedAlert) =>
  a.onlyMe
    ? 'your DM'
    : a.personal
      ? `each subscriber's DM (from <#${a.channelId}>)`
      : `<#${a.channelId}>`;

const STATES: Record<string, string> = {
  clear: ':large_green_circle: Clear',
  baseline: ':large_green_circle: Watching (first result taken as the baseline)',
  triggered: ':rotating_light: Triggered',
  failing: ':x: Query failing',
};

/** `/alation alert list`: each alert in words, its state and last check, with its buttons. */
export function buildAlertList(input: {
  alerts: ListedAlert[];
  now: Date;
  zone: string | undefined;
  notice?: string;
  /** Alerts shown at most (App Home shows fewer). */
  max?: number;
}): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (input.notice) blocks.push(context(input.notice));
  if (input.alerts.length === 0) {
    blocks.push(
      section(
        'You have no alerts in this workspace yet. Create one with `/alation alert new <query_id>`.',
      ),
    );
    return { text: 'You have no alerts yet.', blocks };
  }
  const shown = input.alerts.slice(0, input.max ?? MAX_ALERTS_LISTED);
  const more =
    input.alerts.length > shown.length
      ? `, first ${shown.length} shown; \`/alation alert list\` for all`
      : '';
  blocks.push(section(`*Your alerts* (${input.alerts.length}${more})`));
  for (const a of shown) {
    const where = whereOf(a);
    const state =
      a.status === 'paused'
        ? `:double_vertical_bar: *Paused*${a.pausedReason ? `: ${escapeMrkdwn(a.pausedReason)}` : ''}`
        : a.status === 'muted'
          ? ':no_bell: *Muted*'
          : a.lastState
            ? (STATES[a.lastState] ?? escapeMrkdwn(a.lastState))
            : ':hourglass_flowing_sand: Not checked yet';
    const last = a.lastCheckedAt
      ? `last checked ${relative(a.lastCheckedAt, input.now)}`
      : 'never checked';
    const value = a.lastValue === null ? '' : `, last value ${figure(a.lastValue)}`;
    const snoozed =
      a.snoozedUntil && a.snoozedUntil > input.now
        ? ` · :zzz: snoozed until ${inZone(a.snoozedUntil, input.zone)}`
        : '';
    blocks.push({ type: 'divider' });
    blocks.push(
      section(
        `*${escapeMrkdwn(a.name)}* · query ${a.queryId} → ${where}\nWhen ${conditionInWords(a.condition)} · every ${a.everyMinutes === 60 ? 'hour' : `${a.everyMinutes} min`}\n${state} · ${last}${value}${snoozed}${a.audienceNote ? `\n:eyes: ${a.audienceNote}` : ''}`,
      ),
    );
    blocks.push({
      type: 'actions',
      elements: [
        a.status === 'active'
          ? { type: 'button', action_id: ACTION_ALERT_MUTE, text: plainText('Mute'), value: a.id }
          : {
              type: 'button',
              action_id: ACTION_ALERT_RESUME,
              text: plainText('Resume'),
              value: a.id,
            },
        { type: 'button', action_id: ACTION_ALERT_EDIT, text: plainText('Edit'), value: a.id },
        {
          type: 'button',
          action_id: ACTION_ALERT_DELETE,
          text: plainText('Delete'),
          value: a.id,
          style: 'danger',
          confirm: {
            title: plainText('Delete this alert?'),
            text: plainText('It stops checking; cards already posted stay as they are.'),
            confirm: plainText('Delete'),
            deny: plainText('Keep it'),
          },
        },
      ],
    });
  }
  return { text: `Your alerts (${input.alerts.length})`, blocks };
}

/** The creator's confirmation once an alert is saved, with what the audience check found. */
export function buildAlertSaved(
  alert: ListedAlert,
  verb: 'Created' | 'Saved',
  audience: { someCannotSee: boolean } = { someCannotSee: false },
): SlackMessage {
  const where = whereOf(alert);
  const every =
    alert.everyMinutes === 60
      ? 'hour'
      : alert.everyMinutes === 1
        ? 'minute'
        : `${alert.everyMinutes} minutes`;
  const saved = `:rotating_light: ${verb} alert *${escapeMrkdwn(alert.name)}* on query ${alert.queryId}: a card in ${where} when ${conditionInWords(alert.condition)}, checked every ${every}. Manage it with \`/alation alert list\`.`;
  const seen = alert.audienceNote
    ? `\n:eyes: ${alert.audienceNote}${audience.someCannotSee ? ' Each card shows them what you see; edit it and tick *To each subscriber, as themselves* to send each reader their own copy instead.' : ''}`
    : '';
  const text = saved + seen;
  return { text, blocks: [section(text)] };
}
