// The alert form's state: read from Slack's view state, carried in private_metadata, and checked
// into a condition, with a problem per field that says how to fix it.
import { z } from 'zod';
import { type Condition, cellNumber } from '../../alerts/condition.ts';
import type { Alert, CheckEvery } from '../../store/alerts.ts';
import {
  type AlertForm,
  type AlertKindChoice,
  BLOCK_ALERT_CHANNEL,
  BLOCK_ALERT_COLUMN,
  BLOCK_ALERT_EVERY,
  BLOCK_ALERT_KIND,
  BLOCK_ALERT_NAME,
  BLOCK_ALERT_ONLY_ME,
  BLOCK_ALERT_OP,
  BLOCK_ALERT_PERSONAL,
  BLOCK_ALERT_QUERY,
  BLOCK_ALERT_REDUCER,
  BLOCK_ALERT_THRESHOLD,
  OPTION_ALERT_PERSONAL,
} from '../../views/alert-modal.ts';

export function emptyAlertForm(channelId: string, queryId = ''): AlertForm {
  return {
    name: '',
    queryId,
    channelId,
    onlyMe: false,
    personal: false,
    kind: 'rows',
    column: '',
    reducer: 'first',
    op: '>',
    threshold: '0',
    every: '5',
  };
}

export function formOfAlert(alert: Alert): AlertForm {
  const c = alert.condition;
  const base = { ...emptyAlertForm(alert.onlyMe ? '' : alert.channelId, String(alert.queryId)) };
  const form: AlertForm = {
    ...base,
    name: alert.name,
    onlyMe: alert.onlyMe,
    personal: alert.personal,
    every: String(alert.everyMinutes),
  };
  switch (c.kind) {
    case 'row_count':
      return { ...form, kind: 'rows', op: c.op, threshold: String(c.n) };
    case 'column':
      return {
        ...form,
        kind: 'column',
        column: c.column,
        reducer: c.reducer,
        op: c.op,
        threshold: String(c.threshold),
      };
    case 'new_rows':
      return { ...form, kind: 'new_rows', column: c.keyColumn };
    case 'changed':
      return { ...form, kind: 'changed' };
  }
}

type StateValue = {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_conversation?: string | null;
  selected_options?: { value?: string }[];
};
export type AlertViewState = Record<string, Record<string, StateValue>>;

const KINDS: AlertKindChoice[] = ['rows', 'column', 'new_rows', 'changed'];

/** The form as the person left it; a field missing from the state keeps what `fallback` had. */
export function readAlertForm(state: AlertViewState, fallback: AlertForm): AlertForm {
  const first = (block: string): StateValue | undefined => Object.values(state[block] ?? {})[0];
  const text = (block: string, was: string) => {
    const v = first(block);
    if (!v) return was;
    return (v.selected_option?.value ?? v.value ?? '').trim();
  };
  const kind = text(BLOCK_ALERT_KIND, fallback.kind);
  const only = first(BLOCK_ALERT_ONLY_ME);
  const personal = first(BLOCK_ALERT_PERSONAL);
  const channel = first(BLOCK_ALERT_CHANNEL);
  return {
    name: text(BLOCK_ALERT_NAME, fallback.name),
    queryId: text(BLOCK_ALERT_QUERY, fallback.queryId),
    channelId: channel ? (channel.selected_conversation ?? '') : fallback.channelId,
    onlyMe: only
      ? (only.selected_options ?? []).some((o) => o.value === 'only_me')
      : fallback.onlyMe,
    personal: personal
      ? (personal.selected_options ?? []).some((o) => o.value === OPTION_ALERT_PERSONAL)
      : fallback.personal,
    kind: KINDS.includes(kind as AlertKindChoice) ? (kind as AlertKindChoice) : fallback.kind,
    column: text(BLOCK_ALERT_COLUMN, fallback.column),
    reducer: text(BLOCK_ALERT_REDUCER, fallback.reducer),
    op: text(BLOCK_ALERT_OP, fallback.op),
    threshold: text(BLOCK_ALERT_THRESHOLD, fallback.threshold),
    every: text(BLOCK_ALERT_EVERY, fallback.every),
  };
}

const field = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
export const alertMetadataSchema = z.object({
  alertId: field(z.string()),
  responseUrl: field(z.string()),
  columns: field(z.array(z.string()).max(100)),
  form: field(
    z.object({
      name: field(z.string()),
      queryId: field(z.string()),
      channelId: field(z.string()),
      onlyMe: field(z.boolean()),
      personal: field(z.boolean()),
      kind: field(z.enum(KINDS)),
      column: field(z.string()),
      reducer: field(z.string()),
      op: field(z.string()),
      threshold: field(z.string()),
      every: field(z.string()),
    } satisfies Record<keyof AlertForm, z.ZodType>),
  ),
});

export interface CheckedAlert {
  name: string;
  queryId: number;
  /** Undefined with onlyMe: the creator's DM. */
  channelId: string | undefined;
  onlyMe: boolean;
  /** To each subscriber, as themselves: only with a channel. */
  personal: boolean;
  condition: Condition;
  everyMinutes: CheckEvery;
}

export type FormCheck =
  | { ok: true; alert: CheckedAlert }
  | { ok: false; errors: Record<string, string> };

const ROW_OPS = ['>', '<', '='] as const;
const OPS = ['>', '>=', '<', '<=', '=', '!='] as const;
const REDUCERS = ['first', 'sum', 'min', 'max', 'mean'] as const;

/** Everything that can be checked without Alation; the query and column are checked on save. */
export function checkAlertForm(form: AlertForm): FormCheck {
  const errors: Record<string, string> = {};
  const queryId = /^\d{1,9}$/.test(form.queryId) ? Number(form.queryId) : undefined;
  if (!queryId) {
    errors[BLOCK_ALERT_QUERY] = 'A query id is the number in the query’s URL: /query/15/ → 15.';
  }
  const name = form.name.trim();
  if (name === '')
    errors[BLOCK_ALERT_NAME] = 'Give the alert a name people will recognise on its card.';
  if (!form.onlyMe && !form.channelId) {
    errors[BLOCK_ALERT_CHANNEL] = 'Pick a channel for the card, or tick “Only me, in a DM”.';
  }
  if (form.onlyMe && form.personal) {
    errors[BLOCK_ALERT_PERSONAL] =
      'Copies to each subscriber go out from a channel: pick one and untick “Only me, in a DM”.';
  }
  const threshold = cellNumber(form.threshold);
  let condition: Condition | undefined;
  switch (form.kind) {
    case 'rows': {
      const n =
        threshold !== undefined && Number.isInteger(threshold) && threshold >= 0
          ? threshold
          : undefined;
      if (n === undefined)
        errors[BLOCK_ALERT_THRESHOLD] =
          'A row count is a whole number, 0 or more, such as 0 or 100.';
      const op = ROW_OPS.find((o) => o === form.op);
      if (op && n !== undefined) condition = { kind: 'row_count', op, n };
      break;
    }
    case 'column': {
      if (form.column === '') errors[BLOCK_ALERT_COLUMN] = 'Pick the numeric column to compare.';
      if (threshold === undefined) {
        errors[BLOCK_ALERT_THRESHOLD] = 'The threshold must be a number, such as 10000 or 2.5.';
      }
      const op = OPS.find((o) => o === form.op);
      const reducer = REDUCERS.find((r) => r === form.reducer);
      if (form.column && op && reducer && threshold !== undefined) {
        condition = { kind: 'column', column: form.column, reducer, op, threshold };
      }
      break;
    }
    case 'new_rows':
      if (form.column === '')
        errors[BLOCK_ALERT_COLUMN] =
          'Pick the column whose value identifies a row, such as order_id.';
      else condition = { kind: 'new_rows', keyColumn: form.column };
      break;
    case 'changed':
      condition = { kind: 'changed' };
  }
  const every = ([1, 5, 15, 60] as const).find((m) => String(m) === form.every) ?? 5;
  if (Object.keys(errors).length > 0 || !condition || !queryId) {
    return {
      ok: false,
      errors:
        Object.keys(errors).length > 0 ? errors : { [BLOCK_ALERT_KIND]: 'Pick what to alert on.' },
    };
  }
  return {
    ok: true,
    alert: {
      name,
      queryId,
      channelId: form.onlyMe ? undefined : form.channelId,
      onlyMe: form.onlyMe,
      personal: form.personal && !form.onlyMe,
      condition,
      everyMinutes: every,
    },
  };
}
