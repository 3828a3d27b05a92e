// Golden tests of the Vega-Lite specs, as data (not pixels): a change to what is drawn shows up
// as a diff of these files. Update them with `npx vitest run -u test/unit/charts/spec.test.ts`.

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createAccumulator } from '../../../src/charts/accumulate.ts';
import { buildSpec } from '../../../src/charts/spec.ts';
import { AMOUNT_BY_REGION, REVENUE_BY_DAY, TEAMS_BY_HOUR, TOTAL } from './fixtures.ts';

function dataOf(csv: string, zone = 'Europe/Berlin') {
  const acc = createAccumulator({ zone });
  for (const record of parse(csv) as string[][]) acc.record(record);
  const data = acc.finish();
  if (!data) throw new Error('no chart');
  return data;
}

const ctx = {
  title: 'Daily revenue',
  zone: 'Europe/Berlin',
  truncated: false,
  rowCount: undefined,
};

describe('buildSpec', () => {
  it.each([
    ['line', REVENUE_BY_DAY],
    ['bar', AMOUNT_BY_REGION],
    ['big-number', TOTAL],
    ['series', TEAMS_BY_HOUR],
  ])('%s matches its golden spec', async (name, csv) => {
    const spec = buildSpec(dataOf(csv), ctx);
    await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot(
      `golden/${name}.vl.snap`,
    );
  });

  it('labels axes with the column names and formats numbers with thousands separators', () => {
    const spec = buildSpec(dataOf(REVENUE_BY_DAY), ctx) as {
      vconcat: [{ encoding: Record<string, { title: string; axis: { format: string } }> }];
    };
    const { x, y } = spec.vconcat[0].encoding;
    expect(x?.title).toBe('day');
    expect(y?.title).toBe('revenue');
    expect(y?.axis.format).toBe(',~f');
  });

  it('has a footnote when the result was truncated or the rows were cut down', () => {
    const spec = buildSpec(dataOf(REVENUE_BY_DAY), { ...ctx, truncated: true }) as {
      vconcat: [{ title?: { text: string[]; orient: string } }];
    };
    expect(spec.vconcat[0].title?.orient).toBe('bottom');
    expect(spec.vconcat[0].title?.text.join(' ')).toContain('first 16 MB');
    const preview = buildSpec(dataOf(REVENUE_BY_DAY), { ...ctx, rowCount: 250_000 }) as {
      vconcat: [{ title?: { text: string[] } }];
    };
    expect(preview.vconcat[0].title?.text).toContain('First 30 of 250,000 rows');
    const plain = buildSpec(dataOf(REVENUE_BY_DAY), ctx) as { vconcat: [{ title?: unknown }] };
    expect(plain.vconcat[0].title).toBeUndefined();
  });

  it('says which zone instants are shown in, and shows them there', () => {
    const data = dataOf(TEAMS_BY_HOUR, 'America/New_York');
    const spec = JSON.stringify(buildSpec(data, { ...ctx, zone: 'America/New_York' }));
    expect(spec).toContain('Times in America/New_York');
    // 00:00 UTC on 14 Nov is 19:00 on 13 Nov in New York.
    expect(Math.min(...data.points.map((p) => p.x as number))).toBe(Date.UTC(2024, 10, 13, 19));
  });
});
