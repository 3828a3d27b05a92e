import { describe, expect, it } from 'vitest';
import {
  checkDigestForm,
  cronOf,
  emptyForm,
  formOf,
  previewOf,
  readDigestForm,
} from '../../src/commands/digest/form.ts';
import type { Digest } from '../../src/store/digests.ts';
import { buildDeliveryProblemDm, buildDigestMessage } from '../../src/views/digest.ts';
import { buildDigestList } from '../../src/views/digest-list.ts';
import { buildDigestModal } from '../../src/views/digest-modal.ts';

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

describe('digest views', () => {
  it('shows the kind’s own fields and the preview in the modal', () => {
    const form = { ...emptyForm('C1', 'Europe/Berlin'), kind: 'failed_runs' as const };
    const view = buildDigestModal({
      form,
      preview: previewOf(form, NOW),
      privateMetadata: '{}',
      editing: false,
    });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('digest_datasource');
    expect(json).not.toContain('digest_query_options');
    expect(json).toContain('Next runs:');
    expect(json).not.toContain('digest_mode_report');
    // A daily time inside the spring-forward hour: no run that day, and the modal says so.
    const gap = { ...form, schedule: 'daily' as const, time: '02:30' };
    const gapView = buildDigestModal({
      form: gap,
      preview: previewOf(gap, new Date('2026-01-10T12:00:00Z')),
      privateMetadata: '{}',
      editing: false,
    });
    expect(JSON.stringify(gapView.blocks)).toContain(
      'No run on Sun 29 Mar 2026: clocks go forward in Europe/Berlin',
    );
    // Every kind is offered in the kind select, Mode report runs included.
    expect(json).toContain('"value":"mode_runs"');
    const mode = buildDigestModal({
      form: { ...form, kind: 'mode_runs' },
      preview: undefined,
      privateMetadata: '{}',
      editing: false,
    });
    const modeJson = JSON.stringify(mode.blocks);
    expect(modeJson).toContain('digest_mode_report');
    expect(modeJson).toContain('digest_mode_only');
    expect(modeJson).not.toContain('digest_datasource');
  });

  it('caps a digest at 50 blocks with an overflow line', () => {
    const frame = { name: 'N', from: NOW, to: NOW, zone: 'UTC', manual: false };
    const items = Array.from({ length: 80 }, (_, i) => [
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text: `item ${i}` } },
    ]);
    const message = buildDigestMessage({
      frame,
      text: 't',
      items,
      empty: 'none',
      more: { url: 'https://a', label: 'All' },
    });
    expect(message.blocks).toHaveLength(50);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('…and 33 more. <https://a|All>');
  });

  it('lists digests with Run now, Pause or Resume, Edit and a confirmed Delete', () => {
    const digest: Digest = {
      id: 'd1',
      owner: { tenantId: 'T', userId: 'U' },
      channelId: 'C1',
      name: 'Sales <b>',
      params: { kind: 'query_result', queryId: 15, attachCsv: true, onlyIfChanged: false },
      cron: '0 9 * * 1-5',
      tz: 'Europe/Berlin',
      status: 'paused',
      pausedReason: 'credentials',
      consecutiveFailures: 3,
      sinceAt: NOW,
      lastRunAt: new Date(NOW.getTime() - 3600_000),
      lastOutcome: 'failed',
      lastDetail: 'credentials',
      lastFingerprint: null,
      createdAt: NOW,
    };
    const list = buildDigestList({ digests: [digest], next: new Map(), now: NOW });
    const json = JSON.stringify(list.blocks);
    expect(json).toContain('Sales &lt;b&gt;');
    expect(json).toContain('Every weekday at 09:00 (Europe/Berlin)');
    expect(json).toContain('Paused');
    expect(json).toContain('digest_resume');
    expect(json).not.toContain('digest_pause');
    expect(json).toContain('"confirm"');
    expect(json).toContain('failed (credentials) 1 hour ago');
  });

  it('tells the creator what broke and that the digest is paused', () => {
    const dm = buildDeliveryProblemDm({
      digestName: 'Sales',
      channelId: 'C1',
      problem: { kind: 'archived' },
      paused: true,
      failures: 3,
    });
    expect(dm.text).toContain('<#C1> is archived');
    expect(dm.text).toContain('paused it');
  });
});
