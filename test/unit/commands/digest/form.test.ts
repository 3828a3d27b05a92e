import { describe, expect, it } from 'vitest';
import {
  checkDigestForm,
  cronOf,
  emptyForm,
  formOf,
  previewOf,
  readDigestForm,
} from '../../../../src/commands/digest/form.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

describe('digest form', () => {
  it('turns presets into cron, with the time checked', () => {
    const form = { ...emptyForm('C1', 'Europe/Berlin'), queryId: '15', name: 'Sales' };
    expect(cronOf({ ...form, schedule: 'weekdays', time: '09:00' })).toEqual({
      cron: '0 9 * * 1-5',
    });
    expect(cronOf({ ...form, schedule: 'weekly', day: '1', time: '7:30' })).toEqual({
      cron: '30 7 * * 1',
    });
    expect(cronOf({ ...form, schedule: 'hourly', time: '15' })).toEqual({ cron: '15 * * * *' });
    expect(cronOf({ ...form, schedule: 'daily', time: '9am' })).toMatchObject({
      block: 'digest_time',
    });
  });

  it('previews the next three runs in the chosen zone, or the problem', () => {
    const form = { ...emptyForm('C1', 'Europe/Berlin'), schedule: 'daily' as const, time: '09:00' };
    const preview = previewOf(form, NOW);
    expect(preview && 'runs' in preview ? preview.runs.map((d) => d.toISOString()) : []).toEqual([
      '2026-11-23T08:00:00.000Z',
      '2026-11-24T08:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ]);
    expect(previewOf({ ...form, zone: 'Nowhere/Land' }, NOW)).toMatchObject({
      problem: expect.stringContaining('not a time zone'),
    });
  });

  it('reads the modal state, keeping hidden fields from before', () => {
    const previous = { ...emptyForm('C1', 'UTC'), queryId: '15' };
    const form = readDigestForm(
      {
        digest_kind: { digest_refresh: { selected_option: { value: 'flag_changes' } } },
        digest_flag_options: { value: { selected_options: [{ value: 'only_warnings' }] } },
        digest_channel: { value: { selected_conversation: 'C2' } },
      },
      previous,
    );
    expect(form).toMatchObject({
      kind: 'flag_changes',
      onlyWarnings: true,
      channelId: 'C2',
      queryId: '15',
    });
  });

  it('checks every field and gives params per kind', () => {
    const base = { ...emptyForm('C1', 'UTC'), name: 'Flags', kind: 'flag_changes' as const };
    expect(checkDigestForm({ ...base, subject: 'table 12', onlyWarnings: true })).toMatchObject({
      ok: true,
      digest: {
        params: { kind: 'flag_changes', onlyWarnings: true, subject: { otype: 'table', id: 12 } },
      },
    });
    const bad = checkDigestForm({ ...base, name: '', subject: 'twelve', zone: 'X/Y' });
    expect(bad.ok ? {} : bad.errors).toEqual({
      digest_name: expect.any(String),
      digest_subject: expect.stringContaining('not an object'),
      digest_zone: expect.stringContaining('not a time zone'),
    });
    const mode = { ...base, kind: 'mode_runs' as const };
    expect(
      checkDigestForm({ ...mode, modeReport: '<https://app.mode.com/acme/reports/r1b2>' }),
    ).toMatchObject({
      ok: true,
      digest: { params: { kind: 'mode_runs', workspace: 'acme', report: 'r1b2' } },
    });
    expect(
      checkDigestForm({
        ...mode,
        modeReport: 'https://app.mode.com/acme/reports/r1b2/runs/n9/query_runs/q1',
        modeOnly: 'failed',
      }),
    ).toMatchObject({
      ok: true,
      digest: { params: { workspace: 'acme', report: 'r1b2', run: 'n9', only: 'failed' } },
    });
    expect(checkDigestForm({ ...mode, modeReport: 'acme r1b2 n9' })).toMatchObject({
      ok: true,
      digest: { params: { run: 'n9' } },
    });
    for (const bad of ['', 'r1b2', 'https://app.mode.com/acme/spaces/x', 'a b c d']) {
      const checked = checkDigestForm({ ...mode, modeReport: bad });
      expect(checked.ok ? {} : checked.errors).toEqual({
        digest_mode_report: expect.stringContaining('Mode report'),
      });
    }
  });

  it('round-trips a saved digest into the Edit form', () => {
    const form = formOf({
      name: 'Sales',
      channelId: 'C1',
      params: { kind: 'query_result', queryId: 15, attachCsv: false, onlyIfChanged: true },
      cron: '0 9 * * 1-5',
      tz: 'Europe/Berlin',
    });
    expect(checkDigestForm(form)).toMatchObject({
      ok: true,
      digest: {
        cron: '0 9 * * 1-5',
        tz: 'Europe/Berlin',
        params: { queryId: 15, onlyIfChanged: true },
      },
    });
    const mode = formOf({
      name: 'Mode',
      channelId: 'C1',
      params: { kind: 'mode_runs', workspace: 'acme', report: 'r1', run: 'n2', only: 'failed' },
      cron: '0 * * * *',
      tz: 'UTC',
    });
    expect(checkDigestForm(mode)).toMatchObject({
      ok: true,
      digest: {
        params: { kind: 'mode_runs', workspace: 'acme', report: 'r1', run: 'n2', only: 'failed' },
      },
    });
  });
});
