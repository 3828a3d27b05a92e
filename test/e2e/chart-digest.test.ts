// Charts in query-result digests (issue 16): on by default, off when the form says so, drawn in
// the digest's zone with its creator's saved choice for the query.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliverDigest } from '../../src/digests/deliver.ts';
import { digestWorkerDeps } from '../../src/queue/digest-run.ts';
import type { DigestParams } from '../../src/store/digests.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { captureLog } from '../support/log.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;
const CSV = 'region,total\nEMEA,1200.50\nAMER,980.00\nAPAC,410\n';
let t: TestBot;
let queryId: number;

beforeEach(async () => {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  queryId = t.alation.addQuery({ datasourceId, title: 'Sales by region', content: 'SELECT 1' }).id;
  t.alation.addResult(queryId, { csv: CSV, rowCount: 3 });
});
afterEach(() => t.stop());

async function run(params: Partial<Extract<DigestParams, { kind: 'query_result' }>>) {
  const digest = await t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: CHANNEL,
      name: 'Morning sales',
      params: { kind: 'query_result', queryId, attachCsv: true, onlyIfChanged: false, ...params },
      cron: '0 9 * * 1-5',
      tz: 'Europe/Berlin',
    },
    new Date('2026-11-23T08:00:00Z'),
  );
  const deps = digestWorkerDeps(t.features, t.bot.app.client, captureLog().log);
  expect(await deliverDigest(deps, digest.id, { manual: 'm1' })).toBe('posted');
  const [complete] = t.slack.callsTo('files.completeUploadExternal');
  const uploads = [...t.slack.uploads.values()];
  return { digest, complete, uploads, png: uploads.find((u) => u.filename.endsWith('.png')) };
}

describe('charts in query-result digests', () => {
  it('posts a chart beside the CSV by default, in the same message', async () => {
    const { digest, complete, png } = await run({});
    expect(digest.params).toMatchObject({ includeChart: true });
    expect(png?.alt_text).toMatch(
      /^Bar chart of total by region, 3 categories, largest EMEA 1,200.5,/,
    );
    expect(complete?.args.files).toHaveLength(2);
  });

  it('posts the chart as the file when no CSV is attached', async () => {
    const { complete, uploads, png } = await run({ attachCsv: false });
    expect(uploads).toHaveLength(1);
    expect(png?.completed?.channel_id).toBe(CHANNEL);
    expect(complete?.args.files).toHaveLength(1);
  });

  it('posts no chart when "Include a chart" is off, and remembers that', async () => {
    const { digest, png, uploads } = await run({ includeChart: false });
    expect(png).toBeUndefined();
    expect(uploads).toHaveLength(1);
    expect((await t.features.digests.get(digest.id))?.params).toMatchObject({
      includeChart: false,
    });
  });

  it("uses the creator's saved chart choice for the query", async () => {
    await t.features.chartChoices.set(DEFAULT_OWNER, queryId, {
      kind: 'big_number',
      y: ['total'],
      aggregation: 'sum',
      title: 'All sales',
    });
    const { png } = await run({});
    expect(png?.alt_text).toMatch(/^Big number: total is 2,590.5\. 3 rows summed\.$/);
  });

  it('draws one chart for digests of the same result due together, and posts it with each', async () => {
    const open = vi.spyOn(t.features.charts, 'open');
    const create = (name: string, tz: string) =>
      t.features.digests.create(
        {
          owner: DEFAULT_OWNER,
          channelId: CHANNEL,
          name,
          params: { kind: 'query_result', queryId, attachCsv: true, onlyIfChanged: false },
          cron: '0 9 * * 1-5',
          tz,
        },
        new Date('2026-11-23T08:00:00Z'),
      );
    const digests = await Promise.all([
      create('Sales for EMEA', 'Europe/Berlin'),
      create('Sales for the board', 'Europe/Berlin'),
      create('Sales, New York', 'America/New_York'),
    ]);
    const deps = digestWorkerDeps(t.features, t.bot.app.client, captureLog().log);
    const outcomes = await Promise.all(
      digests.map((d) => deliverDigest(deps, d.id, { manual: `m-${d.id}` })),
    );
    expect(outcomes).toEqual(['posted', 'posted', 'posted']);
    // Each post carries its chart; Berlin's two share one drawing, New York's zone draws its own.
    const completes = t.slack.callsTo('files.completeUploadExternal');
    expect(completes.map((c) => (c.args.files as unknown[]).length)).toEqual([2, 2, 2]);
    expect(open).toHaveBeenCalledTimes(2);
    const pngs = [...t.slack.uploads.values()].filter((u) => u.filename.endsWith('.png'));
    expect(pngs).toHaveLength(3);
    expect(new Set(pngs.map((p) => p.bytes?.toString('base64'))).size).toBeLessThanOrEqual(2);
  });
});
