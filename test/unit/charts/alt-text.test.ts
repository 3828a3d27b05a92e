import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createAccumulator } from '../../../src/charts/accumulate.ts';
import { ALT_TEXT_MAX, altText } from '../../../src/charts/alt-text.ts';
import { AMOUNT_BY_REGION, REVENUE_BY_DAY, TEAMS_BY_HOUR, TOTAL } from './fixtures.ts';

const facts = { truncated: false, rowCount: undefined, zone: 'UTC' };
function alt(csv: string, more: Partial<typeof facts> = {}) {
  const acc = createAccumulator({ zone: 'UTC' });
  for (const record of parse(csv) as string[][]) acc.record(record);
  const data = acc.finish();
  if (!data) throw new Error('no chart');
  return altText(data, { ...facts, ...more });
}

describe('altText', () => {
  it('says what the chart shows, its range and its extreme', () => {
    expect(alt(REVENUE_BY_DAY)).toBe(
      'Line chart of revenue by day, 1–30 Nov 2024, max 12,400 on 14 Nov 2024.',
    );
    expect(alt(AMOUNT_BY_REGION)).toBe(
      'Bar chart of amount by region, 4 categories, largest North America 5,200, smallest LATAM 900.',
    );
    expect(alt(TOTAL)).toBe('Big number: total_revenue is 12,400.');
    expect(alt(TEAMS_BY_HOUR)).toMatch(
      /^Line chart of tickets by at and team, 3 series: .+, 14 Nov 2024 00:00 – 14 Nov 2024 23:00, max \d+ on .+ \(\w+\)\. Times in UTC\.$/,
    );
  });

  it('ends with the footnote, and stays within Slack’s 1,000 characters', () => {
    expect(alt(REVENUE_BY_DAY, { truncated: true })).toContain('first 16 MB');
    const long = `${'x'.repeat(3000)},n\na,1\n`;
    expect(alt(long).length).toBeLessThanOrEqual(ALT_TEXT_MAX);
  });
});
