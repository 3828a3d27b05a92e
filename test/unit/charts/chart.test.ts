// The whole chart path on real bytes: PNG out (magic bytes and size, not pixels).
import { describe, expect, it } from 'vitest';
import { createChartFeed } from '../../../src/charts/chart.ts';
import { PNG_WIDTH } from '../../../src/charts/render.ts';
import { AMOUNT_BY_REGION, REVENUE_BY_DAY, TEXT_ONLY, TOTAL } from './fixtures.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const request = { zone: 'UTC', title: 'Q <!here> & co', truncated: false, rowCount: undefined };

async function chartOf(csv: string, chunk = 7) {
  const feed = createChartFeed(request);
  const bytes = Buffer.from(csv);
  for (let i = 0; i < bytes.length; i += chunk) feed.write(bytes.subarray(i, i + chunk));
  return feed.end();
}

/** Width and height from the PNG's IHDR chunk. */
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('createChartFeed', () => {
  it.each([
    ['line', REVENUE_BY_DAY],
    ['bar', AMOUNT_BY_REGION],
    ['big_number', TOTAL],
  ])('renders a %s chart as a PNG 1,200 px wide, fed in small chunks', async (kind, csv) => {
    const chart = await chartOf(csv);
    expect(chart?.kind).toBe(kind);
    expect(chart?.png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(size(chart?.png as Buffer)).toEqual({ width: PNG_WIDTH, height: chart?.height });
    expect(chart?.height).toBeGreaterThan(300);
    expect(chart?.height).toBeLessThan(1_200);
  });

  it('gives no chart for a text-only result or bytes that are not CSV', async () => {
    expect(await chartOf(TEXT_ONLY)).toBeUndefined();
    expect(await chartOf('a,"b\n1,"2\n')).toBeUndefined();
  });

  it('uses a saved choice’s title', async () => {
    const feed = createChartFeed({
      ...request,
      choice: { kind: 'bar', x: 'region', y: ['amount'], aggregation: 'sum', title: 'Regions' },
    });
    feed.write(Buffer.from(AMOUNT_BY_REGION));
    const chart = await feed.end();
    expect(chart?.kind).toBe('bar');
  });
});
