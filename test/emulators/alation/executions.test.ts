// Execution sessions, batches and events (alation/executions.ts).
import { describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../../support/alation-emulator-suite.ts';

const t = useAlationEmulatorSuite();

describe('execution sessions, batches and events', () => {
  it('links a multi-statement run together and filters events', async () => {
    const q = t.emu.addQuery({ datasourceId: t.ds.id, title: 'Two statements' });
    const first = t.emu.addResult(q.id, {
      statement: 'SELECT 1',
      csv: 'x\n1\n',
      storageStatus: 'STORED_PART',
    });
    const second = t.emu.addExecutionEvent(q.id, {
      batchId: first.batchId,
      statement: 'DROP TABLE x',
      executionError: 'permission denied',
    });
    const session = await expectJson(
      await t.call(`/integration/v1/query/execution_session/${first.sessionId}/`, {
        token: t.aliceToken,
      }),
      200,
    );
    expect(session).toMatchObject({
      id: first.sessionId,
      query_id: q.id,
      is_scheduled: false,
      batch_ids: [first.batchId],
    });
    await expectJson(
      await t.call(`/integration/v1/query/execution_batch/${first.batchId}/`, {
        token: t.aliceToken,
      }),
      200,
      {
        id: first.batchId,
        query_id: q.id,
        session_id: first.sessionId,
        events: [
          { id: first.eventId, index_in_batch: 0 },
          { id: second.eventId, index_in_batch: 1 },
        ],
      },
    );
    const events = (await expectJson(
      await t.call(
        `/integration/v1/query/${q.id}/execution_event/?result_storage_status=STORED_PART`,
        { token: t.aliceToken },
      ),
      200,
    )) as Record<string, unknown>[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: first.eventId,
      statement_content: 'SELECT 1',
      result: {
        id: first.resultId,
        storage_status: 'STORED_PART',
        url: `/execution_result/${first.resultId}/`,
        query: { id: q.id, title: 'Two statements', description: '' },
      },
      datasource: {
        id: t.ds.id,
        title: 'Warehouse',
        url: `/data/${t.ds.id}/`,
        uri: 'snowflake://acme',
      },
    });
    const failed = (await (
      await t.call('/integration/v1/query/execution_event/?execution_error__isnull=false', {
        token: t.aliceToken,
      })
    ).json()) as { id: number; result: unknown }[];
    expect(failed).toEqual([expect.objectContaining({ id: second.eventId, result: null })]);
    await expectJson(
      await t.call('/integration/v1/query/execution_event/?result_storage_status=LOST', {
        token: t.aliceToken,
      }),
      400,
      {
        error: "Invalid value(s) ['LOST'] for URL parameter 'result_storage_status'",
      },
    );
    const batches = await t.call(
      `/integration/v1/query/execution_batch/?event_id=${second.eventId}`,
      { token: t.aliceToken },
    );
    expect(((await batches.json()) as { id: number }[]).map((b) => b.id)).toEqual([first.batchId]);
    const sessions = await t.call(
      `/integration/v1/query/execution_session/?batch_id=${first.batchId}`,
      { token: t.aliceToken },
    );
    expect(((await sessions.json()) as { id: number }[]).map((s) => s.id)).toEqual([
      first.sessionId,
    ]);
    expect(
      (await t.call('/integration/v1/query/999/execution_event/', { token: t.aliceToken })).status,
    ).toBe(404);
  });
});
