// Slack recycles a Socket Mode link every few hours: it sends `disconnect` (refresh_requested),
// stops sending envelopes on that link and later drops it. @slack/socket-mode 3 closes the link
// the moment the message arrives, so an envelope still being handled can no longer be acked and
// the person who ran the command or pressed the button sees an error. This holds the
// `disconnect` back until every envelope received on the link is acked, for at most `maxWaitMs`
// (an ack later than Slack's 3 s is of no use anyway), then lets the client reconnect as before.
import type { Logger } from '../log.ts';

type WsListener = (data: unknown, isBinary: boolean) => unknown;

/** What is used of the SocketModeClient (an EventEmitter). */
interface Emitter {
  // biome-ignore lint/complexity/noBannedTypes: EventEmitter's own type for its listeners
  listeners(event: string): Function[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  on(event: string, listener: (...args: any[]) => unknown): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  removeListener(event: string, listener: (...args: any[]) => unknown): unknown;
}

function isDisconnect(data: unknown): boolean {
  const text =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
        ? new TextDecoder().decode(data as ArrayBuffer)
        : '';
  if (!text.includes('"disconnect"')) return false;
  try {
    return (JSON.parse(text) as { type?: unknown }).type === 'disconnect';
  } catch {
    return false;
  }
}

/**
 * `client` is the receiver's SocketModeClient: it emits `ws_message` for every frame (its own
 * handler listens there), `slack_event` for every envelope it dispatches and `outgoing_message`
 * for every ack it sends. Returns false (and changes nothing) if it does not look like that.
 */
export function ackBeforeRecycling(client: Emitter, log: Logger, maxWaitMs = 2_500): boolean {
  const [handler, ...others] = client.listeners('ws_message') as WsListener[];
  if (!handler || others.length > 0) {
    log.warn('the Socket Mode client is not the one expected: recycled links may lose acks');
    return false;
  }
  const pending = new Set<string>();
  let onDrained: (() => void)[] = [];
  client.on('slack_event', (e: { envelope_id?: unknown }) => {
    if (typeof e?.envelope_id === 'string') pending.add(e.envelope_id);
  });
  client.on('outgoing_message', (m: { envelope_id?: unknown }) => {
    if (typeof m?.envelope_id !== 'string' || !pending.delete(m.envelope_id)) return;
    if (pending.size > 0) return;
    for (const drained of onDrained) drained();
    onDrained = [];
  });
  client.removeListener('ws_message', handler);
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    if (isBinary || pending.size === 0 || !isDisconnect(data)) return handler(data, isBinary);
    const started = performance.now();
    const waiting = pending.size;
    new Promise<void>((resolve) => {
      onDrained.push(resolve);
      setTimeout(resolve, maxWaitMs).unref();
    }).then(() => {
      log.info(
        {
          waitedMs: Math.round(performance.now() - started),
          envelopes: waiting,
          unacked: pending.size,
        },
        'Slack recycled the Socket Mode link: acked what was in flight before leaving it',
      );
      pending.clear();
      handler(data, isBinary);
    });
    return undefined;
  });
  return true;
}
