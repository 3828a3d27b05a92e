// Reading the digest modal: its state into a form, the form into a schedule and kind settings,
// or per-field messages saying how to fix each input. Pure, so it is unit-tested alone.

import { parseReportOrRun } from '../../client/mode/ref.ts';
import { checkSchedule, firstSkippedSlot, nextSlots, parseClock } from '../../digests/slots.ts';
import type { DigestKind, DigestParams } from '../../store/digests.ts';
import { clip } from '../../views/blocks.ts';
import {
  ACTION_DIGEST_REFRESH,
  AVAILABLE_KINDS,
  BLOCK_CHANNEL,
  BLOCK_CRON,
  BLOCK_DATASOURCE,
  BLOCK_DAY,
  BLOCK_FLAG_OPTIONS,
  BLOCK_KIND,
  BLOCK_MODE_ONLY,
  BLOCK_MODE_REPORT,
  BLOCK_NAME,
  BLOCK_QUERY,
  BLOCK_QUERY_OPTIONS,
  BLOCK_SCHEDULE,
  BLOCK_SUBJECT,
  BLOCK_TIME,
  BLOCK_ZONE,
  type DigestForm,
  INPUT,
  OPTION_ATTACH_CSV,
  OPTION_INCLUDE_CHART,
  OPTION_ONLY_IF_CHANGED,
  OPTION_ONLY_WARNINGS,
  OPTION_PERSONAL,
  type SchedulePreset,
  type SchedulePreview,
} from '../../views/digest-modal.ts';

type Element = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[] | null;
  selected_conversation?: string | null;
};
/** Slack's view state: block → action → the element's value. */
export type DigestViewState = Record<string, Record<string, Element>>;
export type FormErrors = Record<string, string>;

const KINDS: readonly DigestKind[] = AVAILABLE_KINDS;
const PRESETS: SchedulePreset[] = ['hourly', 'daily', 'weekdays', 'weekly', 'cron'];

export function emptyForm(channelId: string, zone: string): DigestForm {
  return {
    name: '',
    channelId,
    kind: 'query_result',
    schedule: 'weekdays',
    time: '09:00',
    day: '1',
    cron: '',
    zone,
    queryId: '',
    attachCsv: true,
    onlyIfChanged: false,
    includeChart: true,
    personal: false,
    datasourceId: '',
    onlyWarnings: false,
    subject: '',
    modeReport: '',
    modeOnly: 'all',
  };
}

/** The form as the modal holds it now; fields not shown keep what `previous` had. */
export function readDigestForm(values: DigestViewState, previous: DigestForm): DigestForm {
  const el = (block: string) => values[block]?.[INPUT] ?? values[block]?.[ACTION_DIGEST_REFRESH];
  const textOf = (block: string, fallback: string) => {
    const e = el(block);
    return e ? (e.value ?? '').trim() : fallback;
  };
  const selectedOf = (block: string, fallback: string) => {
    const e = el(block);
    return e ? (e.selected_option?.value ?? fallback) : fallback;
  };
  const checked = (block: string, option: string, fallback: boolean) => {
    const e = el(block);
    return e ? (e.selected_options ?? []).some((o) => o.value === option) : fallback;
  };
  const kind = selectedOf(BLOCK_KIND, previous.kind);
  const schedule = selectedOf(BLOCK_SCHEDULE, previous.schedule);
  const only = selectedOf(BLOCK_MODE_ONLY, previous.modeOnly);
  return {
    name: textOf(BLOCK_NAME, previous.name),
    channelId: el(BLOCK_CHANNEL)?.selected_conversation ?? previous.channelId,
    kind: KINDS.includes(kind as DigestKind) ? (kind as DigestKind) : previous.kind,
    schedule: PRESETS.includes(schedule as SchedulePreset)
      ? (schedule as SchedulePreset)
      : previous.schedule,
    time: textOf(BLOCK_TIME, previous.time),
    day: selectedOf(BLOCK_DAY, previous.day),
    cron: textOf(BLOCK_CRON, previous.cron),
    zone: textOf(BLOCK_ZONE, previous.zone),
    queryId: textOf(BLOCK_QUERY, previous.queryId),
    attachCsv: checked(BLOCK_QUERY_OPTIONS, OPTION_ATTACH_CSV, previous.attachCsv),
    onlyIfChanged: checked(BLOCK_QUERY_OPTIONS, OPTION_ONLY_IF_CHANGED, previous.onlyIfChanged),
    includeChart: checked(BLOCK_QUERY_OPTIONS, OPTION_INCLUDE_CHART, previous.includeChart),
    personal: checked(BLOCK_QUERY_OPTIONS, OPTION_PERSONAL, previous.personal),
    datasourceId: textOf(BLOCK_DATASOURCE, previous.datasourceId),
    onlyWarnings: checked(BLOCK_FLAG_OPTIONS, OPTION_ONLY_WARNINGS, previous.onlyWarnings),
    subject: textOf(BLOCK_SUBJECT, previous.subject),
    modeReport: textOf(BLOCK_MODE_REPORT, previous.modeReport),
    modeOnly: only === 'failed' || only === 'succeeded' ? only : 'all',
  };
}

/** The cron a form's schedule stands for, or what to fix in which field. */
export function cronOf(form: DigestForm): { cron: string } | { block: string; problem: string } {
  if (form.schedule === 'cron') {
    if (form.cron === '') return { block: BLOCK_CRON, problem: 'Enter a cron, e.g. 0 9 * * 1-5.' };
    return { cron: form.cron.replace(/\s+/g, ' ') };
  }
  if (form.schedule === 'hourly') {
    const minute = form.time === '' ? 0 : Number(form.time);
    if (!/^\d{1,2}$/.test(form.time || '0') || minute > 59) {
      return { block: BLOCK_TIME, problem: 'Give the minute past the hour, 0 to 59.' };
    }
    return { cron: `${minute} * * * *` };
  }
  const clock = parseClock(form.time);
  if (!clock) {
    return {
      block: BLOCK_TIME,
      problem: `“${clip(form.time, 40)}” is not a time. Use 24-hour HH:MM, e.g. 09:00.`,
    };
  }
  const at = `${clock.minute} ${clock.hour}`;
  if (form.schedule === 'daily') return { cron: `${at} * * *` };
  if (form.schedule === 'weekdays') return { cron: `${at} * * 1-5` };
  const day = /^[0-6]$/.test(form.day) ? form.day : '1';
  return { cron: `${at} * * ${day}` };
}

/** The next three runs, or the problem with the schedule, for the modal's preview line. */
export function previewOf(form: DigestForm, now: Date): SchedulePreview {
  const cron = cronOf(form);
  if ('problem' in cron) return { problem: cron.problem };
  const checked = checkSchedule(cron.cron, form.zone);
  if (!checked.ok) return { problem: checked.problem };
  const skipped = firstSkippedSlot(cron.cron, form.zone, now);
  return {
    runs: nextSlots(cron.cron, form.zone, now, 3),
    zone: form.zone,
    ...(skipped ? { skipped } : {}),
  };
}

const positiveId = (s: string) => /^\d{1,12}$/.test(s) && Number(s) > 0;

export interface CheckedDigest {
  name: string;
  channelId: string;
  params: DigestParams;
  cron: string;
  tz: string;
}

/** Whatever the creator may save, or inline errors by block. */
export function checkDigestForm(
  form: DigestForm,
): { ok: true; digest: CheckedDigest } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  if (form.name === '') errors[BLOCK_NAME] = 'Give the digest a name; it heads every post.';
  if (form.channelId === '') errors[BLOCK_CHANNEL] = 'Pick the channel to post in.';
  const cron = cronOf(form);
  if ('problem' in cron) errors[cron.block] = cron.problem;
  else {
    const checked = checkSchedule(cron.cron, form.zone);
    if (!checked.ok)
      errors[checked.field === 'zone' ? BLOCK_ZONE : scheduleBlock(form)] = checked.problem;
  }
  let params: DigestParams | undefined;
  if (!KINDS.includes(form.kind)) errors[BLOCK_KIND] = 'This kind of digest is not available yet.';
  switch (form.kind) {
    case 'query_result':
      if (!positiveId(form.queryId)) {
        errors[BLOCK_QUERY] = form.queryId
          ? `“${clip(form.queryId, 40)}” is not a query id. Use the number in its URL: /query/15/ → 15.`
          : 'Which query? Enter its id.';
      } else {
        params = {
          kind: 'query_result',
          queryId: Number(form.queryId),
          attachCsv: form.attachCsv,
          onlyIfChanged: form.onlyIfChanged,
          includeChart: form.includeChart,
          personal: form.personal,
        };
      }
      break;
    case 'failed_runs': {
      if (form.datasourceId && !positiveId(form.datasourceId)) {
        errors[BLOCK_DATASOURCE] = `“${clip(form.datasourceId, 40)}” is not a data source id.`;
      }
      if (form.queryId && !positiveId(form.queryId)) {
        errors[BLOCK_QUERY] = `“${clip(form.queryId, 40)}” is not a query id.`;
      }
      params = {
        kind: 'failed_runs',
        ...(positiveId(form.datasourceId) ? { datasourceId: Number(form.datasourceId) } : {}),
        ...(positiveId(form.queryId) ? { queryId: Number(form.queryId) } : {}),
      };
      break;
    }
    case 'flag_changes': {
      const subject = /^([a-z_]+)\s+(\d{1,12})$/i.exec(form.subject);
      if (form.subject && !subject) {
        errors[BLOCK_SUBJECT] =
          `“${clip(form.subject, 40)}” is not an object. Use its type and id, e.g. table 12.`;
      }
      params = {
        kind: 'flag_changes',
        onlyWarnings: form.onlyWarnings,
        ...(subject
          ? { subject: { otype: (subject[1] ?? '').toLowerCase(), id: Number(subject[2]) } }
          : {}),
      };
      break;
    }
    case 'mode_runs': {
      const ref = parseReportOrRun(form.modeReport);
      if (!ref) {
        errors[BLOCK_MODE_REPORT] = form.modeReport
          ? `“${clip(form.modeReport, 40)}” is not a Mode report. Paste its link, e.g. https://app.mode.com/acme/reports/8a1b2c3d4e5f, or a run’s link ending in /runs/<token>.`
          : 'Which Mode report? Paste its link from Mode.';
        break;
      }
      params = {
        kind: 'mode_runs',
        workspace: ref.account,
        report: ref.report,
        ...(ref.run ? { run: ref.run } : {}),
        ...(form.modeOnly === 'all' ? {} : { only: form.modeOnly }),
      };
      break;
    }
  }
  if (Object.keys(errors).length > 0 || !params || 'problem' in cron) return { ok: false, errors };
  return {
    ok: true,
    digest: { name: form.name, channelId: form.channelId, params, cron: cron.cron, tz: form.zone },
  };
}

function scheduleBlock(form: DigestForm): string {
  return form.schedule === 'cron' ? BLOCK_CRON : BLOCK_TIME;
}

/** The modal's form for an existing digest (Edit). */
export function formOf(digest: CheckedDigest): DigestForm {
  const form = emptyForm(digest.channelId, digest.tz);
  form.name = digest.name;
  form.kind = digest.params.kind;
  form.schedule = 'cron';
  form.cron = digest.cron;
  const p = digest.params;
  if (p.kind === 'query_result') {
    form.queryId = String(p.queryId);
    form.attachCsv = p.attachCsv;
    form.onlyIfChanged = p.onlyIfChanged;
    form.includeChart = p.includeChart !== false;
    form.personal = p.personal === true;
  } else if (p.kind === 'failed_runs') {
    form.queryId = p.queryId ? String(p.queryId) : '';
    form.datasourceId = p.datasourceId ? String(p.datasourceId) : '';
  } else if (p.kind === 'flag_changes') {
    form.onlyWarnings = p.onlyWarnings;
    form.subject = p.subject ? `${p.subject.otype} ${p.subject.id}` : '';
  } else {
    // As the link the hint asks for; only its path is read back, whatever Mode host it names.
    form.modeReport = `https://app.mode.com/${p.workspace}/reports/${p.report}${p.run ? `/runs/${p.run}` : ''}`;
    form.modeOnly = p.only ?? 'all';
  }
  return form;
}
