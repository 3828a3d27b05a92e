import { describe, expect, it } from 'vitest';
import { parseResultArgs } from '../../../src/commands/result.ts';

describe('parseResultArgs', () => {
  it.each([
    ['42', { queryId: 42, threadTs: undefined }],
    ['42 --thread 1700000000.123456', { queryId: 42, threadTs: '1700000000.123456' }],
    ['--thread 1700000000.123456 42', { queryId: 42, threadTs: '1700000000.123456' }],
    [
      'https://a.example/query/7/ --thread https://x.slack.com/archives/C1/p1700000000123456',
      { queryId: 7, threadTs: '1700000000.123456' },
    ],
  ])('%j', (args, expected) => {
    expect(parseResultArgs(args)).toEqual(expected);
  });

  it.each(['', 'abc', '42 --thread soon'])('explains %j', (args) => {
    expect(parseResultArgs(args)).toHaveProperty('problem');
  });
});
