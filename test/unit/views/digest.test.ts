import { describe, expect, it } from 'vitest';
import { emptyForm, previewOf } from '../../../src/commands/digest/form.ts';
import type { Digest } from '../../../src/store/digests.ts';
import { buildDeliveryProblemDm, buildDigestMessage } from '../../../src/views/digest.ts';
import { buildDigestList } from '../../../src/views/digest-list.ts';
import { buildDigestModal } from '../../../src/views/digest-modal.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

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
