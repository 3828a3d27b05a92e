// Charts with shared results (issue 16), through HTTP: the PNG goes up with the CSV in the same
// message, drawn from the same single download.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_FINISH_MS } from '../../src/charts/service.ts';
import { blockAction, messageAction, slashCommand } from '../driver.ts';
import type { UploadRecord } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';

/**
 * A share's message waits up to CHART_FINISH_MS for its chart, and the first chart of a process
 * loads Vega on the pool's thread: on a loaded machine that is seconds, not the default 5.
 */
const CHART_WAIT = { timeoutMs: CHART_FINISH_MS + 25_000 };

let t: TestBot;
let datasourceId: number;

beforeEach(async () => {
  t = await startTestBot();
  datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const day = (i: number) =>
  new Date(Date.UTC(2024, 10, 1) + i * 86_400_000).toISOString().slice(0, 10);

function seed(csv: string, rowCount: number, title = 'Daily revenue') {
  const query = t.alation.addQuery({ datasourceId, title, content: 'SELECT 1' });
  const { resultId } = t.alation.addResult(query.id, { csv, rowCount });
  return { query, resultId };
}

/** Shares query `id`'s result and returns what Slack received. */
async function share(id: number) {
  await slashCommand(t.target, { text: `result ${id}`, response_url: t.slack.responseUrl() });
  const [complete] = await t.slack.waitFor('files.completeUploadExternal', CHART_WAIT);
  const uploads = [...t.slack.uploads.values()];
  const files = (complete?.args.files ?? []) as { id: string }[];
  const png = uploads.find((u) => u.filename.endsWith('.png'));
  return { complete, uploads, files, png };
}

const width = (png: UploadRecord | undefined) => png?.bytes?.readUInt32BE(16) ?? 0;

describe('charts with shared results', () => {
  it('date + number → a line chart PNG shared with the CSV, alt text naming the columns', async () => {
    const csv = `day,revenue\n${Array.from({ length: 30 }, (_, i) => `${day(i)},${i === 13 ? 12400 : 8000 + i}`).join('\n')}\n`;
    const { query, resultId } = seed(csv, 30);
    const { files, png, uploads } = await share(query.id);
    expect(png?.filename).toBe(`Daily-revenue-${resultId}.png`);
    expect(png?.bytes?.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(width(png)).toBeGreaterThanOrEqual(800);
    expect(png?.alt_text).toBe(
      'Line chart of revenue by day, 1–30 Nov 2024, max 12,400 on 14 Nov 2024.',
    );
    // One message: the CSV and the chart completed together.
    const csvUpload = uploads.find((u) => u.filename.endsWith('.csv'));
    expect(files.map((f) => f.id)).toEqual([csvUpload?.id, png?.id]);
    expect(csvUpload?.bytes?.toString()).toBe(csv);
    expect(png?.completed?.message_ts).toBe(csvUpload?.completed?.message_ts);
    // One download of the CSV.
    expect(t.alation.requests.filter((r) => r.path.endsWith('/csv/'))).toHaveLength(1);
  });

  it('category + number → a bar chart', async () => {
    const { query } = seed('region,amount\nEMEA,4300\nAPAC,3100\nNorth America,5200\n', 3);
    const { png } = await share(query.id);
    expect(png?.alt_text).toMatch(
      /^Bar chart of amount by region, 3 categories, largest North America 5,200/,
    );
    expect(width(png)).toBeGreaterThanOrEqual(800);
  });

  it('one numeric cell → a big number', async () => {
    const { query } = seed('total_revenue\n12400\n', 1);
    const { png } = await share(query.id);
    expect(png?.alt_text).toBe('Big number: total_revenue is 12,400.');
  });

  it('text only → no chart, and the result is still shared', async () => {
    const { query } = seed('name,comment\nAda,"likes, commas"\nGrace,hi\n', 2);
    const { files, png, uploads } = await share(query.id);
    expect(png).toBeUndefined();
    expect(files).toHaveLength(1);
    expect(uploads[0]?.filename).toMatch(/\.csv$/);
  });

  // The other ways in share through the same code; each must still carry its chart.
  it.each([
    [
      'the Share latest result here shortcut',
      (id: number) =>
        messageAction(t.target, {
          callback_id: 'share_latest_result',
          message: { ts: '1700000000.000100', text: `<${t.alation.url}/compose/query/${id}/|q>` },
          response_url: t.slack.responseUrl(),
        }),
    ],
    [
      'the Latest result button',
      (id: number) =>
        blockAction(t.target, {
          actions: [{ action_id: 'query_latest_result', value: String(id) }],
          response_url: t.slack.responseUrl(),
        }),
    ],
  ])('%s shares the chart with the CSV', async (_way, press) => {
    const csv = `day,revenue\n${Array.from({ length: 5 }, (_, i) => `${day(i)},${100 + i}`).join('\n')}\n`;
    const { query } = seed(csv, 5);
    expect((await press(query.id)).status).toBe(200);
    const [complete] = await t.slack.waitFor('files.completeUploadExternal', CHART_WAIT);
    const png = [...t.slack.uploads.values()].find((u) => u.filename.endsWith('.png'));
    expect(png?.bytes?.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png?.alt_text).toMatch(/^Line chart of revenue by day/);
    expect(complete?.args.files).toHaveLength(2);
  });
});
