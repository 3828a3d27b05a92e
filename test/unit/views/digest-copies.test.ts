// Personal copies' words and buttons for either subject (issue 18): an alert's buttons carry
// `alert:<id>`, a digest's its bare id (as buttons already posted do), and each reads back.
import { describe, expect, it } from 'vitest';
import {
  ACTION_DIGEST_GET_COPY,
  ACTION_DIGEST_UNSUBSCRIBE,
  buildMySubscriptions,
  buildPersonalChannelPost,
  buildSubscribedNotice,
  buildUnsubscribedNotice,
  copyValue,
  parseCopyValue,
} from '../../../src/views/digest-copies.ts';

/** [action_id, value] of every button in the blocks, in order. */
function buttons(blocks: unknown): [string, string][] {
  const found: [string, string][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'button') found.push([String(o.action_id), String(o.value)]);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}

describe('copy subjects', () => {
  it('reads back what the buttons carry, a digest’s bare id included', () => {
    expect(parseCopyValue(copyValue({ kind: 'alert', id: 'a1' }))).toEqual({
      kind: 'alert',
      id: 'a1',
    });
    expect(copyValue({ kind: 'digest', id: 'd1' })).toBe('d1');
    expect(parseCopyValue('d1')).toEqual({ kind: 'digest', id: 'd1' });
  });

  it('says an alert fired, with Get my own copy and Unsubscribe for it, and no data', () => {
    const post = (kind: 'alert' | 'digest', subscribers: number) =>
      buildPersonalChannelPost({
        subject: { kind, id: 'x1' },
        name: 'N',
        queryId: 15,
        subscribers,
      });
    const fired = post('alert', 3);
    expect(JSON.stringify(fired.blocks)).toContain('this alert fired; it went to 3 subscribers');
    expect(buttons(fired.blocks)).toEqual([
      [ACTION_DIGEST_GET_COPY, 'alert:x1'],
      [ACTION_DIGEST_UNSUBSCRIBE, 'alert:x1'],
    ]);
    expect(JSON.stringify(post('digest', 1).blocks)).toContain('this run went to 1 subscriber,');
  });

  it('lists digest and alert subscriptions, each with its own Unsubscribe', () => {
    const blocks = buildMySubscriptions([
      { subject: 'digest', id: 'd1', name: 'Pipeline', channelId: 'C1' },
      { subject: 'alert', id: 'a1', name: 'Failed orders', channelId: 'C2' },
    ]);
    expect(JSON.stringify(blocks)).toContain('*Failed orders* (alert from <#C2>)');
    expect(buttons(blocks)).toEqual([
      [ACTION_DIGEST_UNSUBSCRIBE, 'd1'],
      [ACTION_DIGEST_UNSUBSCRIBE, 'alert:a1'],
    ]);
  });

  it('words the answers for an alert', () => {
    expect(
      buildSubscribedNotice({ subject: 'alert', name: 'X', already: false, connected: true }),
    ).toContain('in a DM each time it fires');
    expect(buildUnsubscribedNotice(undefined, false, 'alert')).toBe(
      'You were not subscribed to that alert.',
    );
  });
});
