// Scheduled query runs (alation/scheduled-runs.ts).
import { describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('scheduled runs', () => {
  it('lists scheduled runs, ordered and filtered by date', async () => {
    const q = t.emu.addQuery({ datasourceId: t.ds.id, title: 'Nightly' });
    t.emu.addScheduledRun({
      queryId: q.id,
      taskId: 'b',
      tsSentToBroker: new Date('2018-01-01T12:00:00Z'),
      tsPrerun: new Date('2018-01-01T12:00:05Z'),
    });
    t.emu.addScheduledRun({
      queryId: q.id,
      taskId: 'a',
      tsSentToBroker: new Date('2018-01-01T06:00:00Z'),
    });
    t.emu.addScheduledRun({ taskId: 'c', tsSentToBroker: new Date('2018-01-03T06:00:00Z') });
    const all = (await expectJson(
      await t.call('/integration/v1/query/scheduled_run/', { token: t.aliceToken }),
      200,
    )) as {
      task_id: string;
    }[];
    expect(all.map((r) => r.task_id)).toEqual(['a', 'b', 'c']);
    expect(all[2]).toEqual({
      session_id: null,
      query_id: null,
      query_title: null,
      task_id: 'c',
      ts_sent_to_broker: '2018-01-03T06:00:00.000000Z',
      ts_prerun: null,
      ts_postrun: null,
    });
    const day = await t.call(
      '/integration/v1/query/scheduled_run/?ts_sent_to_broker__gt=2018-01-01&ts_sent_to_broker__lt=2018-01-02',
      {
        token: t.aliceToken,
      },
    );
    expect(((await day.json()) as { task_id: string }[]).map((r) => r.task_id)).toEqual(['a', 'b']);
    const forQuery = await t.call(
      `/integration/v1/query/${q.id}/scheduled_run/?order_by=-ts_sent_to_broker`,
      { token: t.aliceToken },
    );
    expect(((await forQuery.json()) as { task_id: string }[]).map((r) => r.task_id)).toEqual([
      'b',
      'a',
    ]);
  });
});
