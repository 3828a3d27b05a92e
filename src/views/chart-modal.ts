// The chart modal: which chart a query's results get, by column name (issue 16).
import type { KnownBlock, View } from '@slack/types';
import type { ChartChoice, ChartKind } from '../charts/choose.ts';
import { clip, escapeMrkdwn, plainText, section, textInput } from './blocks.ts';

export const VIEW_CHART = 'chart_modal';
export const BLOCK_CHART_KIND = 'chart_kind';
export const BLOCK_CHART_X = 'chart_x';
export const BLOCK_CHART_Y = 'chart_y';
export const BLOCK_CHART_AGGREGATION = 'chart_aggregation';
export const BLOCK_CHART_TITLE = 'chart_title';
export const INPUT = 'value';
/** Slack's limit for an option's value (and text); longer column names cannot be offered. */
export const OPTION_MAX = 75;
const MAX_OPTIONS = 100;

export const KIND_LABELS: Record<ChartKind, string> = {
  line: 'Line',
  bar: 'Bar',
  stacked_bar: 'Stacked bar',
  area: 'Area',
  scatter: 'Scatter',
  big_number: 'Big number',
};
const AGGREGATION_LABELS = {
  sum: 'Sum',
  mean: 'Mean',
  count: 'Count',
  min: 'Minimum',
  max: 'Maximum',
} as const;

export interface ChartModalInput {
  queryId: number;
  title: string;
  /** The columns of the query's latest result. */
  columns: string[];
  /** What the person chose before, to start from. */
  choice: ChartChoice | undefined;
  /** private_metadata, already serialised. */
  metadata: string;
}

const option = (value: string, text: string) => ({
  text: plainText(clip(text, OPTION_MAX)),
  value,
});

function select(
  blockId: string,
  label: string,
  options: { value: string; text: string }[],
  initial: string[],
  multi = false,
  optional = false,
): KnownBlock {
  const opts = options.slice(0, MAX_OPTIONS).map((o) => option(o.value, o.text));
  const chosen = opts.filter((o) => initial.includes(o.value));
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    optional,
    element: {
      type: multi ? 'multi_static_select' : 'static_select',
      action_id: INPUT,
      options: opts,
      ...(multi
        ? { max_selected_items: 8, ...(chosen.length ? { initial_options: chosen } : {}) }
        : chosen[0]
          ? { initial_option: chosen[0] }
          : {}),
    },
  } as KnownBlock;
}

/** Pick the chart type, x column, y columns, aggregation and title. */
export function buildChartModal(input: ChartModalInput): View {
  const usable = input.columns.filter((c) => c.length > 0 && c.length <= OPTION_MAX);
  const columns = usable.map((c) => ({ value: c, text: c }));
  const choice = input.choice;
  const left = input.columns.length - usable.length;
  return {
    type: 'modal',
    callback_id: VIEW_CHART,
    private_metadata: input.metadata,
    title: plainText('Chart'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
    blocks: [
      section(
        `Chart for *${escapeMrkdwn(clip(input.title, 150))}* (query ${input.queryId}). Your choice is used the next time you share its result and in your digests of it.${left > 0 ? ` ${left} column${left === 1 ? ' has a name' : 's have names'} too long to offer.` : ''}`,
      ),
      select(
        BLOCK_CHART_KIND,
        'Chart type',
        Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text })),
        [choice?.kind ?? 'line'],
      ),
      select(
        BLOCK_CHART_X,
        'X axis (not used by a big number)',
        columns,
        choice?.x ? [choice.x] : [],
        false,
        true,
      ),
      select(BLOCK_CHART_Y, 'Values (up to 8 columns)', columns, choice?.y ?? [], true),
      select(
        BLOCK_CHART_AGGREGATION,
        'Rows with the same x',
        Object.entries(AGGREGATION_LABELS).map(([value, text]) => ({ value, text })),
        [choice?.aggregation ?? 'sum'],
      ),
      textInput(BLOCK_CHART_TITLE, 'Title', {
        optional: true,
        maxLength: 200,
        placeholder: clip(input.title, 150),
        hint: 'Empty: the query’s title.',
        ...(choice?.title ? { initial: choice.title } : {}),
      }),
    ],
  };
}

/** A one-message modal: loading, saved, or why not. `text` is mrkdwn the caller escaped. */
export function buildChartNoticeModal(text: string): View {
  return {
    type: 'modal',
    callback_id: `${VIEW_CHART}_notice`,
    title: plainText('Chart'),
    close: plainText('Close'),
    blocks: [section(clip(text, 2_900))],
  };
}
