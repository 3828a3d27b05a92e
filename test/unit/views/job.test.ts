import { describe, expect, it } from 'vitest';
import { buildJobCard, slackDate } from '../../../src/views/job.ts';
import { textOf } from '../../support/flows.ts';

const now = new Date('2026-11-22T12:00:00Z');

describe('buildJobCard', () => {
  const watch = {
    id: 'w1',
    status: 'watching' as const,
    startedAt: new Date('2026-11-22T11:58:30Z'),
    deadline: new Date('2026-11-22T14:00:00Z'),
    ownerUserId: 'U1',
  };

  it('shows elapsed time, who watches, until when (in each reader’s zone), and Stop watching', () => {
    const card = buildJobCard({
      ref: { id: 3 },
      jobStatus: 'running',
      msg: null,
      result: null,
      watch,
      now,
    });
    const text = textOf(card);
    expect(text).toContain('Running for 1 min 30 s so far.');
    expect(text).toContain('Watching for <@U1>');
    expect(text).toContain(slackDate(watch.deadline));
    expect(JSON.stringify(card.blocks)).toContain('"action_id":"job_stop","value":"w1"');
  });

  it('says whose Alation access a watched card was read with, whatever its state', () => {
    for (const status of ['watching', 'stopped', 'expired'] as const) {
      const card = buildJobCard({
        ref: { id: 3 },
        jobStatus: 'successful',
        msg: null,
        result: null,
        watch: { ...watch, status, ownerName: 'Ada <!channel>' },
        now,
      });
      // Named, not mentioned: a mention would notify the owner on every update.
      expect(textOf(card)).toContain('As seen by Ada &lt;!channel&gt; in Alation.');
      expect(textOf(card)).not.toContain('As seen by <@U1>');
    }
  });

  it('caps a long error list and says how many more there were', () => {
    const errors = Array.from({ length: 25 }, (_, i) => `Line ${i}`);
    const card = buildJobCard({
      ref: { name: 'x#1' },
      jobStatus: 'successful',
      msg: 'done',
      result: { error_objects: errors },
      now,
    });
    expect(textOf(card)).toContain('Errors (25):');
    expect(textOf(card)).toContain('…and 5 more');
    expect(JSON.stringify(card.blocks)).not.toContain('job_stop');
  });

  it('renders times for Slack to localise, with a readable fallback', () => {
    expect(slackDate(new Date('2026-11-22T14:00:00.000Z'))).toBe(
      '<!date^1795356000^{date_short_pretty} at {time}|2026-11-22T14:00:00Z>',
    );
  });
});
