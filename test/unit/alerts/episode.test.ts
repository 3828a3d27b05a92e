import { describe, expect, it } from 'vitest';
import { acknowledge, type Episode, REMIND_EVERY_MS, step } from '../../../src/alerts/episode.ts';

const t0 = new Date('2026-12-01T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const kinds = (s: { effects: { kind: string }[] }) => s.effects.map((e) => e.kind);
const posted = (e: Episode | undefined): Episode => ({ ...(e as Episode), cardTs: '1.1' });

describe('step', () => {
  it('does nothing while the condition is clear', () => {
    expect(step(undefined, { kind: 'clear', value: 0 }, { now: t0 })).toEqual({ effects: [] });
  });

  it('posts one card when the condition starts holding, then updates it in place', () => {
    const first = step(undefined, { kind: 'holds', value: 3 }, { now: t0 });
    expect(kinds(first)).toEqual(['post_card']);
    expect(first.episode).toMatchObject({
      kind: 'triggered',
      checks: 1,
      startedAt: t0.toISOString(),
      lastValue: 3,
    });
    const second = step(posted(first.episode), { kind: 'holds', value: 5 }, { now: at(5) });
    expect(kinds(second)).toEqual(['update_card']);
    expect(second.episode).toMatchObject({
      checks: 2,
      lastValue: 5,
      startedAt: t0.toISOString(),
      cardTs: '1.1',
    });
  });

  it('resolves with how long it lasted', () => {
    const first = posted(step(undefined, { kind: 'holds' }, { now: t0 }).episode);
    const end = step(first, { kind: 'clear' }, { now: at(90) });
    expect(end.episode).toBeUndefined();
    expect(end.effects).toEqual([{ kind: 'resolve', lastedMs: 90 * 60_000, ended: first }]);
  });

  it('reminds at most every REMIND_EVERY_MS, and never once acknowledged', () => {
    let e = posted(step(undefined, { kind: 'holds' }, { now: t0 }).episode);
    const soon = step(e, { kind: 'holds' }, { now: at(60) });
    expect(kinds(soon)).toEqual(['update_card']);
    const due = step(
      soon.episode,
      { kind: 'holds' },
      { now: new Date(t0.getTime() + REMIND_EVERY_MS) },
    );
    expect(kinds(due)).toEqual(['update_card', 'remind']);
    const after = step(
      due.episode,
      { kind: 'holds' },
      { now: new Date(t0.getTime() + REMIND_EVERY_MS + 60_000) },
    );
    expect(kinds(after)).toEqual(['update_card']);
    e = acknowledge(e, 'U1', at(1));
    expect(e).toMatchObject({ acknowledgedBy: 'U1', acknowledgedAt: at(1).toISOString() });
    expect(acknowledge(e, 'U2', at(2)).acknowledgedBy).toBe('U1');
    expect(kinds(step(e, { kind: 'holds' }, { now: at(600) }))).toEqual(['update_card']);
  });

  it('holds back posts and reminders while snoozed, and posts when the snooze ends', () => {
    const snoozedUntil = at(60);
    const held = step(undefined, { kind: 'holds' }, { now: t0, snoozedUntil });
    expect(held.effects).toEqual([]);
    expect(held.episode?.cardTs).toBeUndefined();
    expect(kinds(step(held.episode, { kind: 'holds' }, { now: at(30), snoozedUntil }))).toEqual([]);
    expect(kinds(step(held.episode, { kind: 'holds' }, { now: at(61), snoozedUntil }))).toEqual([
      'post_card',
    ]);
    // Nothing was posted, so an episode that ends during the snooze leaves nothing to resolve.
    expect(step(held.episode, { kind: 'clear' }, { now: at(30), snoozedUntil }).effects).toEqual(
      [],
    );
    const card = posted(held.episode);
    expect(
      kinds(
        step(
          card,
          { kind: 'holds' },
          { now: new Date(t0.getTime() + REMIND_EVERY_MS), snoozedUntil: at(10_000) },
        ),
      ),
    ).toEqual(['update_card']);
  });

  it('treats a failed run as its own episode, which a later trip turns into a triggered one', () => {
    const failing = step(undefined, { kind: 'failing', problem: 'syntax error' }, { now: t0 });
    expect(kinds(failing)).toEqual(['post_card']);
    expect(failing.episode).toMatchObject({ kind: 'failing', problem: 'syntax error' });
    const tripped = step(posted(failing.episode), { kind: 'holds', value: 2 }, { now: at(5) });
    expect(kinds(tripped)).toEqual(['update_card']);
    expect(tripped.episode).toMatchObject({
      kind: 'triggered',
      checks: 1,
      startedAt: at(5).toISOString(),
    });
    expect(tripped.episode?.problem).toBeUndefined();
  });

  it('keeps a triggered episode triggered when a run fails, saying why', () => {
    const e = posted(step(undefined, { kind: 'holds' }, { now: t0 }).episode);
    const failed = step(e, { kind: 'failing', problem: 'timeout' }, { now: at(5) });
    expect(failed.episode).toMatchObject({ kind: 'triggered', checks: 2, problem: 'timeout' });
    expect(kinds(failed)).toEqual(['update_card']);
  });
});
