import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ackBeforeRecycling } from '../../../src/slack/socket-recycle.ts';
import { captureLog } from '../../support/log.ts';

const DISCONNECT = JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' });

/** A stand-in for the SocketModeClient: its own handler on ws_message records what it got. */
function client() {
  const emitter = new EventEmitter();
  const handled: string[] = [];
  emitter.on('ws_message', (data: unknown) => {
    handled.push(String(data));
  });
  return { emitter, handled };
}

describe('ackBeforeRecycling', () => {
  it('holds a disconnect back until the envelopes in flight are acked', async () => {
    const { emitter, handled } = client();
    expect(ackBeforeRecycling(emitter, captureLog().log, 5_000)).toBe(true);
    emitter.emit('slack_event', { envelope_id: 'e1' });
    emitter.emit('slack_event', { envelope_id: 'e2' });
    emitter.emit('ws_message', Buffer.from(DISCONNECT), false);
    expect(handled).toEqual([]);
    emitter.emit('outgoing_message', { envelope_id: 'e1' });
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual([]);
    emitter.emit('outgoing_message', { envelope_id: 'e2' });
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual([DISCONNECT]);
  });

  it('lets it through at once when nothing is in flight, and other messages always', () => {
    const { emitter, handled } = client();
    ackBeforeRecycling(emitter, captureLog().log);
    emitter.emit('ws_message', '{"type":"hello"}', false);
    emitter.emit('ws_message', DISCONNECT, false);
    emitter.emit('slack_event', { envelope_id: 'e1' });
    emitter.emit('ws_message', '{"envelope_id":"e3","type":"events_api"}', false);
    expect(handled).toEqual([
      '{"type":"hello"}',
      DISCONNECT,
      '{"envelope_id":"e3","type":"events_api"}',
    ]);
  });

  it('waits at most maxWaitMs for an ack that never comes', async () => {
    const { emitter, handled } = client();
    const { log, lines } = captureLog();
    ackBeforeRecycling(emitter, log, 30);
    emitter.emit('slack_event', { envelope_id: 'lost' });
    emitter.emit('ws_message', DISCONNECT, false);
    await new Promise((r) => setTimeout(r, 80));
    expect(handled).toEqual([DISCONNECT]);
    expect(lines().find((e) => String(e.msg).includes('recycled'))).toMatchObject({ unacked: 1 });
  });

  it('changes nothing on a client that does not look like the expected one', () => {
    const emitter = new EventEmitter();
    expect(ackBeforeRecycling(emitter, captureLog().log)).toBe(false);
    expect(emitter.listenerCount('ws_message')).toBe(0);
  });
});
