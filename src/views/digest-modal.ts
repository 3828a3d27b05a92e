// The New/Edit digest modal. Pure: the form's values (and the preview of the next runs, or why
// the schedule is wrong) in, Block Kit out. Kind and schedule selects re-render it, so only the
// fields that apply are shown.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { DigestKind } from '../store/digests.ts';
import { escapeMrkdwn, mrkdwn as mrkdwnText, option, plainText, selectInput } from './blocks.ts';
import { inZone } from './time.ts';

export const VIEW_DIGEST = 'digest_modal';
export const INPUT = 'value';
/** Select changes that re-render the modal (kind fields, schedule fields, preview). */
export const ACTION_DIGEST_REFRESH = 'digest_refresh';

export const BLOCK_NAME = 'digest_name';
export const BLOCK_CHANNEL = 'digest_channel';
export const BLOCK_KIND = 'digest_kind';
export const BLOCK_SCHEDULE = 'digest_schedule';
export const BLOCK_TIME = 'digest_time';
export const BLOCK_DAY = 'digest_day';
export const BLOCK_CRON = 'digest_cron';
export const BLOCK_ZONE = 'digest_zone';
export const BLOCK_PREVIEW = 'digest_preview';
export const BLOCK_QUERY = 'digest_query';
export const BLOCK_QUERY_OPTIONS = 'digest_query_options';
export const BLOCK_DATASOURCE = 'digest_datasource';
export const BLOCK_FLAG_OPTIONS = 'digest_flag_options';
export const BLOCK_SUBJECT = 'digest_subject';
export const BLOCK_MODE_REPORT = 'digest_mode_report';
export const BLOCK_MODE_ONLY = 'digest_mode_only';

export const OPTION_ATTACH_CSV = 'attach_csv';
export const OPTION_ONLY_IF_CHANGED = 'only_if_changed';
export const OPTION_INCLUDE_CHART = 'include_chart';
/** Issue 18: each subscriber gets their own copy in a DM, as themselves. */
export const OPTION_PERSONAL = 'personal_copies';
export const OPTION_ONLY_WARNINGS = 'only_warnings';

export type SchedulePreset = 'hourly' | 'daily' | 'weekdays' | 'weekly' | 'cron';

export const KIND_LABELS: Record<DigestKind, string> = {
  query_result: 'Query result',
  failed_runs: 'Failed runs',
  flag_changes: 'Trust flag changes',
  mode_runs: 'Mode report runs',
};

/** What the modal offers, in this order. */
export const AVAILABLE_KINDS: readonly DigestKind[] = [
  'query_result',
  'failed_runs',
  'flag_changes',
  'mode_runs',
];

const SCHEDULE_LABELS: Record<SchedulePreset, string> = {
  hourly: 'Every hour',
  daily: 'Every day at…',
  weekdays: 'Every weekday at…',
  weekly: 'Every week on…',
  cron: 'Custom (cron)',
};

export const DAY_LABELS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

/** Everything the modal holds, as typed (strings), so a re-render loses nothing. */
export interface DigestForm {
  name: string;
  channelId: string;
  kind: DigestKind;
  schedule: SchedulePreset;
  time: string;
  day: string;
  cron: string;
  zone: string;
  queryId: string;
  attachCsv: boolean;
  onlyIfChanged: boolean;
  includeChart: boolean;
  /** To each subscriber, as themselves (issue 18). */
  personal: boolean;
  datasourceId: string;
  onlyWarnings: boolean;
  subject: string;
  /** A Mode report or report-run link, or its tokens. */
  modeReport: string;
  modeOnly: 'all' | 'failed' | 'succeeded';
}

export type SchedulePreview =
  /** `skipped`: a coming run whose local time does not exist that day (clocks go forward). */
  { runs: Date[]; zone: string; skipped?: Date } | { problem: string } | undefined;

function text(
  blockId: string,
  label: string,
  value: string,
  opts: { optional?: boolean; hint?: string; placeholder?: string; dispatch?: boolean } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    ...(opts.dispatch ? { dispatch_action: true } : {}),
    element: {
      type: 'plain_text_input',
      action_id: opts.dispatch ? ACTION_DIGEST_REFRESH : INPUT,
      ...(value ? { initial_value: value } : {}),
      ...(opts.placeholder ? { placeholder: plainText(opts.placeholder) } : {}),
      ...(opts.dispatch
        ? { dispatch_action_config: { trigger_actions_on: ['on_enter_pressed' as const] } }
        : {}),
    },
  };
}

function select(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  value: string,
  dispatch: boolean,
): KnownBlock {
  return selectInput(
    blockId,
    label,
    options,
    value,
    dispatch ? { dispatchActionId: ACTION_DIGEST_REFRESH } : { actionId: INPUT },
  );
}

function checkboxes(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  selected: string[],
): KnownBlock {
  const initial = options.filter((o) => selected.includes(o.value ?? ''));
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    optional: true,
    element: {
      type: 'checkboxes',
      action_id: INPUT,
      options,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    },
  };
}

function kindFields(form: DigestForm): KnownBlock[] {
  switch (form.kind) {
    case 'query_result':
      return [
        text(BLOCK_QUERY, 'Query id', form.queryId, {
          placeholder: '15',
          hint: 'The number in the query’s URL: /query/15/ → 15. Press Enter to check who in the channel can see it.',
          dispatch: true,
        }),
        checkboxes(
          BLOCK_QUERY_OPTIONS,
          'Options',
          [
            option(OPTION_ATTACH_CSV, 'Attach the full result as a CSV file'),
            option(OPTION_ONLY_IF_CHANGED, 'Post only if the result changed since the last digest'),
            option(OPTION_INCLUDE_CHART, 'Include a chart'),
            option(
              OPTION_PERSONAL,
              'To each subscriber, as themselves (a DM each, read with their own Alation access)',
            ),
          ],
          [
            ...(form.attachCsv ? [OPTION_ATTACH_CSV] : []),
            ...(form.onlyIfChanged ? [OPTION_ONLY_IF_CHANGED] : []),
            ...(form.includeChart ? [OPTION_INCLUDE_CHART] : []),
            ...(form.personal ? [OPTION_PERSONAL] : []),
          ],
        ),
      ];
    case 'failed_runs':
      return [
        text(BLOCK_DATASOURCE, 'Only this data source (id)', form.datasourceId, { optional: true }),
        text(BLOCK_QUERY, 'Only this query (id)', form.queryId, { optional: true }),
      ];
    case 'flag_changes':
      return [
        checkboxes(
          BLOCK_FLAG_OPTIONS,
          'Flags',
          [option(OPTION_ONLY_WARNINGS, 'Only deprecations and warnings')],
          form.onlyWarnings ? [OPTION_ONLY_WARNINGS] : [],
        ),
        text(BLOCK_SUBJECT, 'Only this object', form.subject, {
          optional: true,
          placeholder: 'table 12',
          hint: 'Object type and id, e.g. table 12, data 3, query 6.',
        }),
      ];
    case 'mode_runs':
      return [
        text(BLOCK_MODE_REPORT, 'Mode report or report run', form.modeReport, {
          placeholder: 'https://app.mode.com/acme/reports/8a1b2c3d4e5f',
          hint: 'Paste the report’s link to cover every run that finishes between digests, or one run’s link (…/runs/5e6f7a8b9c0d) to follow that run. It is read with your own Mode token (/alation mode login).',
        }),
        select(
          BLOCK_MODE_ONLY,
          'Which query runs',
          [
            option('all', 'Failed and succeeded'),
            option('failed', 'Only failed'),
            option('succeeded', 'Only succeeded'),
          ],
          form.modeOnly,
          false,
        ),
      ];
  }
}

function scheduleFields(form: DigestForm): KnownBlock[] {
  const blocks: KnownBlock[] = [
    select(
      BLOCK_SCHEDULE,
      'Schedule',
      (Object.keys(SCHEDULE_LABELS) as SchedulePreset[]).map((k) => option(k, SCHEDULE_LABELS[k])),
      form.schedule,
      true,
    ),
  ];
  if (form.schedule === 'weekly') {
    blocks.push(
      select(
        BLOCK_DAY,
        'Day',
        DAY_LABELS.map((d, i) => option(String(i), d)),
        form.day,
        true,
      ),
    );
  }
  if (form.schedule === 'hourly') {
    blocks.push(
      text(BLOCK_TIME, 'Minute past the hour', form.time, {
        placeholder: '0',
        hint: 'Press Enter to see the next runs.',
        dispatch: true,
      }),
    );
  } else if (form.schedule === 'cron') {
    blocks.push(
      text(BLOCK_CRON, 'Cron (5 fields)', form.cron, {
        placeholder: '0 9 * * 1-5',
        hint: 'minute hour day-of-month month day-of-week. Press Enter to see the next runs.',
        dispatch: true,
      }),
    );
  } else {
    blocks.push(
      text(BLOCK_TIME, 'Time (24 h, HH:MM)', form.time, {
        placeholder: '09:00',
        hint: 'Press Enter to see the next runs.',
        dispatch: true,
      }),
    );
  }
  blocks.push(
    text(BLOCK_ZONE, 'Time zone', form.zone, {
      placeholder: 'Europe/Berlin',
      hint: 'An IANA zone name; the schedule follows its daylight-saving changes.',
      dispatch: true,
    }),
  );
  return blocks;
}

function previewBlock(preview: SchedulePreview): KnownBlock[] {
  if (!preview) return [];
  const skipped =
    'skipped' in preview && preview.skipped
      ? `\n:warning: No run on ${inZone(preview.skipped, preview.zone).replace(/,.*$/, '')}: clocks go forward in ${escapeMrkdwn(preview.zone)} and that time does not exist then. Pick a time outside the change hour to run every day.`
      : '';
  const line =
    'problem' in preview
      ? `:warning: ${escapeMrkdwn(preview.problem)}`
      : `*Next runs:* ${preview.runs.map((d) => inZone(d, preview.zone)).join(' · ')}${skipped}`;
  return [{ type: 'context', block_id: BLOCK_PREVIEW, elements: [{ type: 'mrkdwn', text: line }] }];
}

export function buildDigestModal(input: {
  form: DigestForm;
  preview: SchedulePreview;
  privateMetadata: string;
  editing: boolean;
  /**
   * What the audience check found for the channel and query (issue 18), bot-written mrkdwn;
   * shown under the channel before saving.
   */
  audienceNote?: string | undefined;
}): ModalView {
  const { form } = input;
  return {
    type: 'modal',
    callback_id: VIEW_DIGEST,
    private_metadata: input.privateMetadata,
    title: plainText(input.editing ? 'Edit digest' : 'New digest'),
    submit: plainText(input.editing ? 'Save' : 'Create'),
    close: plainText('Cancel'),
    blocks: [
      text(BLOCK_NAME, 'Name', form.name, { placeholder: 'Morning sales numbers' }),
      {
        type: 'input',
        block_id: BLOCK_CHANNEL,
        label: plainText('Channel'),
        // Picking one re-renders the form, and the audience check's finding follows.
        dispatch_action: true,
        element: {
          type: 'conversations_select',
          action_id: ACTION_DIGEST_REFRESH,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(form.channelId ? { initial_conversation: form.channelId } : {}),
        },
      },
      ...(input.audienceNote
        ? [{ type: 'context' as const, elements: [mrkdwnText(`:eyes: ${input.audienceNote}`)] }]
        : []),
      select(
        BLOCK_KIND,
        'What to post',
        AVAILABLE_KINDS.map((k) => option(k, KIND_LABELS[k])),
        form.kind,
        true,
      ),
      ...kindFields(form),
      { type: 'divider' },
      ...scheduleFields(form),
      ...previewBlock(input.preview),
    ],
  };
}
