import { describe, expect, it } from 'vitest';
import { describeParams } from '../../../src/views/digest-list.ts';

describe('describeParams', () => {
  const result = { kind: 'query_result' as const, queryId: 15, onlyIfChanged: false };

  it.each([
    [{ attachCsv: true, includeChart: true }, 'latest result of query 15 with a chart and CSV'],
    [{ attachCsv: true, includeChart: false }, 'latest result of query 15 with CSV'],
    [{ attachCsv: false, includeChart: true }, 'latest result of query 15 with a chart'],
    [{ attachCsv: false, includeChart: false }, 'latest result of query 15'],
    // Saved before charts existed: the column defaults to on, and so does the list.
    [{ attachCsv: false }, 'latest result of query 15 with a chart'],
  ])('says what a query-result digest attaches: %o', (params, words) => {
    expect(describeParams({ ...result, ...params })).toBe(words);
  });

  it('says when it posts only on change', () => {
    expect(
      describeParams({ ...result, attachCsv: true, includeChart: false, onlyIfChanged: true }),
    ).toBe('latest result of query 15 with CSV, only when it changed');
  });
});
