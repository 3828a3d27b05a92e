import { describe, expect, it } from 'vitest';
import type { TrustFlag } from '../../../src/client/alation.ts';
import {
  decodeFlagListCursor,
  decodeFlagRef,
  encodeFlagListCursor,
  encodeFlagRef,
} from '../../../src/views/flag-ref.ts';

function _flag(overrides: Partial<TrustFlag> = {}): TrustFlag {
  return {
    id: 9,
    flag_type: 'DEPRECATION',
    flag_reason: 'Use <orders_v2> & co',
    ts_created: '2026-11-22T09:00:00.000000Z',
    subject: { id: 12, otype: 'table', url: '/table/12/' },
    user: { id: 7, url: '/user/7/', display_name: 'Alice <A>' },
    ...overrides,
  };
}

describe('flag button values', () => {
  it('round-trips a flag reference and accepts a bare id', () => {
    const ref = { flagId: 9, flagType: 'WARNING' as const, subject: { otype: 'table', id: 12 } };
    expect(decodeFlagRef(encodeFlagRef(ref))).toEqual(ref);
    expect(decodeFlagRef('9')).toEqual({ flagId: 9 });
    for (const bad of ['', '0', 'x', '{"f":-1}', '{"f":1,"t":"NOPE"}', '[1]']) {
      expect(decodeFlagRef(bad)).toBeUndefined();
    }
  });

  it('round-trips list cursors, with and without a subject', () => {
    const cursor = { subject: { otype: 'table', id: 12 }, skip: 10 };
    expect(decodeFlagListCursor(encodeFlagListCursor(cursor))).toEqual(cursor);
    expect(decodeFlagListCursor(encodeFlagListCursor({ skip: 20 }))).toEqual({ skip: 20 });
    expect(decodeFlagListCursor('{"o":"table","s":1}')).toBeUndefined();
    expect(decodeFlagListCursor('nope')).toBeUndefined();
  });
});
