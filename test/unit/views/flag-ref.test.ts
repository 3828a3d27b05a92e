import { describe, expect, it } from 'vitest';
import {
  decodeFlagListCursor,
  decodeFlagRef,
  encodeFlagListCursor,
  encodeFlagRef,
} from '../../../src/views/flag-ref.ts';

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
