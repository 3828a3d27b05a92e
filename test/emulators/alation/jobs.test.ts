// Bulk-metadata job status (alation/jobs.ts).
import { describe, expect, it } from 'vitest';
import { expectJson, useAlationEmulatorSuite } from '../../support/alation-emulator-suite.ts';
import { jobFailed, jobRunning, jobSucceeded } from '../alation.ts';

const t = useAlationEmulatorSuite();

describe('job status', () => {
  const jobName =
    'MetadataExtraction#1_2017-10-05-19-36-45-431906-00-00-4ea1dc02-1c9f-41db-be6f-3f7cb1849da3';

  it('advances one scripted step per GET and keeps repeating the last', async () => {
    t.emu.addJob({
      id: 1,
      name: jobName,
      states: [
        jobRunning(),
        jobRunning(),
        jobSucceeded({ updated_objects: 2, number_received: 2, error_objects: [], error: '' }),
      ],
    });
    const path = `/api/v1/bulk_metadata/job/?name=${encodeURIComponent(jobName)}`;
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = (await expectJson(await t.call(path, { token: t.aliceToken }), 200)) as {
        status: string;
        result: unknown;
      };
      statuses.push(body.status);
      if (i === 3) {
        expect(body.result).toBe(
          '{"updated_objects": 2, "number_received": 2, "error_objects": [], "error": ""}',
        );
        expect(JSON.parse(String(body.result))).toEqual({
          updated_objects: 2,
          number_received: 2,
          error_objects: [],
          error: '',
        });
      }
    }
    expect(statuses).toEqual(['running', 'running', 'successful', 'successful']);
    expect(t.emu.requests.at(-1)?.query.get('name')).toBe(jobName);
  });

  it('needs the # URL-encoded: unencoded, the rest of the name is a fragment and the job is not found', async () => {
    t.emu.addJob({ name: jobName, states: [jobSucceeded()] });
    await expectJson(
      await t.call(`/api/v1/bulk_metadata/job/?name=${jobName}`, { token: t.aliceToken }),
      404,
      {
        detail: 'Not found.',
      },
    );
    expect(t.emu.requests.at(-1)?.query.get('name')).toBe('MetadataExtraction');
  });

  it('looks jobs up by integer id, with plain-text QLI results and failures', async () => {
    t.emu.addJob({
      id: 7,
      states: [
        jobSucceeded(
          'Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped.',
        ),
      ],
    });
    const body = (await expectJson(
      await t.call('/api/v1/bulk_metadata/job/?id=7', { token: t.aliceToken }),
      200,
    )) as Record<string, string>;
    expect(body.result).toMatch(/^Bulk Query Ingestion Succeeded/);
    expect(body.msg).toMatch(
      /^Job finished in 1\.0 seconds at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00$/,
    );
    t.emu.setJob(7, [jobFailed({ error: 'boom' })]);
    expect(
      await expectJson(
        await t.call('/api/v1/bulk_metadata/job/?id=7', { token: t.aliceToken }),
        200,
      ),
    ).toMatchObject({
      status: 'failed',
      result: '{"error": "boom"}',
    });
    expect((await t.call('/api/v1/bulk_metadata/job/?id=8', { token: t.aliceToken })).status).toBe(
      404,
    );
    expect((await t.call('/api/v1/bulk_metadata/job/', { token: t.aliceToken })).status).toBe(400);
  });
});
