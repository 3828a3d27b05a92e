import { describe, expect, it } from 'vitest';
import { closestName, editDistance, parseCommandText } from '../../../src/commands/parse.ts';

describe('parseCommandText', () => {
  it.each([
    ['', { name: 'help', args: '' }],
    ['   ', { name: 'help', args: '' }],
    ['help', { name: 'help', args: '' }],
    ['  QUERY   42  ', { name: 'query', args: '42' }],
    ['query new 7', { name: 'query', args: 'new 7' }],
    ['sql\n12', { name: 'sql', args: '12' }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });
});

describe('closestName', () => {
  const names = ['help', 'query', 'result', 'sql', 'flag', 'sync', 'job', 'digest', 'login'];
  it.each([
    ['hepl', 'help'],
    ['qurey', 'query'],
    ['que', 'query'],
    ['results', 'result'],
    ['snyc', 'sync'],
    ['jobs', 'job'],
    ['digests', 'digest'],
    ['log', 'login'],
  ])('%s → %s', (typed, expected) => {
    expect(closestName(typed, names)).toBe(expected);
  });

  it('returns undefined when there is nothing to suggest', () => {
    expect(closestName('x', [])).toBeUndefined();
  });

  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
