import { describe, expect, it } from 'vitest';
import { createUnfurlCache } from '../../../src/events/unfurl.ts';

describe('unfurl cache', () => {
  it('expires entries and keys by team and url', () => {
    let now = 0;
    const cache = createUnfurlCache(60_000, () => now);
    cache.set('T1', 'u', { blocks: [] });
    expect(cache.get('T1', 'u')).toEqual({ blocks: [] });
    expect(cache.get('T2', 'u')).toBeUndefined();
    now = 60_000;
    expect(cache.get('T1', 'u')).toBeUndefined();
  });
});
