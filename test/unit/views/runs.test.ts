import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../src/client/alation.ts';
import { buildRunsMessage, runLine } from '../../../src/views/runs.ts';
import { NOW } from './fixtures/query.ts';

function event(overrides: Partial<ExecutionEvent> = {}): ExecutionEvent {
  return {
    id: 1,
    result: null,
    num_result_rows: 1234,
    execution_error: null,
    canceled: false,
    ts_executed: '2026-11-22T11:00:00.000000Z',
    elapsed_seconds: 7.654321,
    index_in_batch: 0,
    batch_id: 1,
    session_id: 1,
    query_id: 6,
    ...overrides,
  };
}

describe('runs view', () => {
  it('describes a success, a failure and a canceled run', () => {
    expect(runLine({ event: event(), scheduled: true }, NOW, 'UTC')).toBe(
      '*:white_check_mark: Succeeded* 1 hour ago (Sun 22 Nov 2026, 11:00 UTC)\nscheduled  ·  1,234 rows  ·  7.65 s',
    );
    const failed = runLine(
      {
        event: event({ execution_error: 'syntax\n error', num_result_rows: null }),
        scheduled: false,
      },
      NOW,
      undefined,
    );
    expect(failed).toContain('*:x: Failed*');
    expect(failed).toContain('```syntax error```');
    expect(
      runLine({ event: event({ canceled: true }), scheduled: undefined }, NOW, 'UTC'),
    ).toContain('Canceled');
  });

  it('offers More only when there are older runs', () => {
    const message = buildRunsMessage({
      queryId: 6,
      failedOnly: false,
      rows: [{ event: event(), scheduled: false }],
      now: NOW,
      zone: 'UTC',
      more: 'next',
      continued: false,
    });
    expect(message.blocks.at(-1)).toMatchObject({ elements: [{ action_id: 'query_runs_more' }] });
  });
});
