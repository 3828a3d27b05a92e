import { describe, expect, it } from 'vitest';
import { decodeQueryRunRef } from '../../../src/client/mode/ref.ts';
import {
  buildModeRunsMessage,
  duration,
  MAX_LISTED_RUNS,
  stateBadge,
  timingLine,
} from '../../../src/views/mode-runs.ts';
import { textOf } from '../../support/flows.ts';
import { ctx, REF, run } from './fixtures/mode-run.ts';

describe('states, durations and times', () => {
  it.each([
    ['pending', ':white_circle: Pending'],
    ['enqueued', ':hourglass: Enqueued'],
    ['running', ':arrows_counterclockwise: Running'],
    ['running_notebook', ':arrows_counterclockwise: Running notebook'],
    ['cancelled', ':no_entry_sign: Cancelled'],
    ['failed', ':x: Failed'],
    ['succeeded', ':white_check_mark: Succeeded'],
    ['completed', ':white_check_mark: Completed'],
    ['exploded<b>', ':grey_question: exploded&lt;b&gt;'],
  ])('%s → %s', (state, badge) => {
    expect(stateBadge(state)).toBe(badge);
  });

  it.each([
    [250, '250 ms'],
    [4_200, '4.2 s'],
    [42_400, '42 s'],
    [65_000, '1 min 5 s'],
    [120_000, '2 min'],
    [3_600_000, '1 h'],
    [7_830_000, '2 h 10 min'],
    [-5, '0 s'],
  ])('duration(%d) = %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('shows start, finish and duration in the user’s zone; a running one shows how long so far', () => {
    expect(timingLine(run(), ctx)).toBe(
      'Started 2 hours ago (Mon 2 Mar 2026, 11:00 UTC+01:00) · finished 1 hour ago (Mon 2 Mar 2026, 11:01 UTC+01:00) · took 1 min 5 s',
    );
    expect(timingLine(run({ state: 'running', completed_at: null }), ctx)).toBe(
      'Started 2 hours ago (Mon 2 Mar 2026, 11:00 UTC+01:00) · going for 2 h',
    );
    expect(timingLine(run({ created_at: 'garbage', completed_at: null }), ctx)).toBe('');
  });
});

describe('buildModeRunsMessage', () => {
  it('lists each query run with its error and buttons (CSV only when done)', () => {
    const message = buildModeRunsMessage({
      ...ctx,
      runs: [
        run(),
        run({
          token: 'qr2',
          state: 'failed',
          query_name: 'Churn',
          error_type: 'QueryError',
          error_message: 'bad ```sql``` here',
        }),
      ],
    });
    const text = textOf(message);
    expect(text).toContain(
      '*Query runs of Mode report run <https://app.mode.com/acme/reports/r3p0rt/runs/run1|acme/reports/r3p0rt/runs/run1>*',
    );
    expect(text).toContain('2 queries: 1 succeeded, 1 failed');
    expect(text).toContain('```QueryError: bad `\u200b``sql`\u200b`` here```');
    const actions = message.blocks.filter((b) => b.type === 'actions');
    const ids = actions.map((b) =>
      ('elements' in b ? b.elements : []).map((e) => ('action_id' in e ? e.action_id : '')),
    );
    expect(ids).toEqual([
      ['mode_query_run_details', 'mode_query_run_csv'],
      ['mode_query_run_details'],
    ]);
    const value = (actions[1] && 'elements' in actions[1] ? actions[1].elements[0] : undefined) as
      | { value?: string }
      | undefined;
    expect(decodeQueryRunRef(value?.value ?? '')).toEqual({ ...REF, queryRun: 'qr2' });
    expect(message.text).toBe(
      'Query runs of Mode report run acme/reports/r3p0rt/runs/run1: 2, 1 failed',
    );
  });

  it('keeps under Slack’s block limit, failures first, and says what is left out', () => {
    const runs = Array.from({ length: 30 }, (_, i) =>
      run({ token: `q${i}`, state: i === 29 ? 'failed' : 'succeeded', query_name: `Q${i}` }),
    );
    const message = buildModeRunsMessage({ ...ctx, runs });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(message.blocks[1])).toContain(':x: Failed  *Q29*');
    expect(textOf(message)).toContain(
      `${30 - MAX_LISTED_RUNS} more query runs are not listed here`,
    );
  });

  it('says when there are none', () => {
    expect(textOf(buildModeRunsMessage({ ...ctx, runs: [] }))).toContain(
      'Report run `acme/reports/r3p0rt/runs/run1` has no query runs.',
    );
  });
});
