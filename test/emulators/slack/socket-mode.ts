// Socket Mode (https://api.slack.com/apis/socket-mode): `apps.connections.open` mints a one-time
// WebSocket URL for an app-level token; on that link Slack says `hello`, sends envelopes
// (`slash_commands`, `interactive`, `events_api`) that the app acks by `envelope_id`, sends
// `disconnect` before recycling a link, and pings. Every link, envelope, ack, ping, pong and
// close code is recorded so tests can assert that nothing was dropped or acked late.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { takeError, takeRateLimit } from './faults.ts';
import { notify, type SlackEnv } from './state.ts';
import type { JsonObject } from './types.ts';
import { acceptWebSocket, type WebSocketPeer } from './websocket.ts';
import { fail, isObject, ok, type Reply } from './wire.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason =
  | 'refresh_requested'
  | 'warning'
  | 'link_disabled'
  | 'too_many_websockets';

export interface SocketAck {
  /** Date.now() when the ack arrived. */
  at: number;
  /** From sending the envelope to its ack. */
  ms: number;
  /** The ack's `payload` (a slash command's reply, a view submission's response_action). */
  payload: JsonObject | undefined;
  connection: number;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: JsonObject;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
  /** Which link carried it, and when (undefined while it waits for a link). */
  connection: number | undefined;
  queuedAt: number;
  sentAt: number | undefined;
  ack: SocketAck | undefined;
}

export interface SocketConnection {
  id: number;
  /** When the WebSocket opened; `hello` goes out at once. */
  openedAt: number;
  closedAt: number | undefined;
  /** The client's close code, 1006 when the TCP connection ended without one. */
  closeCode: number | undefined;
  closedBy: 'client' | 'server' | 'network' | undefined;
  /** The `disconnect` reason Slack sent on this link, if any. */
  disconnectReason: string | undefined;
  /** Pings the client sent (each answered with a pong). */
  clientPings: number;
  /** Pings the emulator sent, and pongs the client answered them with. */
  serverPings: number;
  pongs: number;
  /** Messages from the client that were not acks of a known envelope. */
  strays: string[];
}

export interface SendOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** Defaults as Slack sends them: true for slash commands, false otherwise. */
  acceptsResponsePayload?: boolean;
  /** Reject when no ack arrives within this long (default 10 s). */
  timeoutMs?: number;
}

export interface SocketModeEmulator {
  readonly appToken: string;
  readonly connections: readonly SocketConnection[];
  readonly envelopes: readonly SocketEnvelope[];
  /** Links that are open now and that Slack has not asked the client to leave. */
  open(): SocketConnection[];
  /** Resolves once `count` links (default 1) have opened since the emulator started. */
  waitForConnection(count?: number, timeoutMs?: number): Promise<SocketConnection>;
  /**
   * Sends an envelope on the newest open link (or on the next one to open) and resolves with it
   * once acked; rejects after `timeoutMs` without an ack.
   */
  send(type: EnvelopeType, payload: JsonObject, options?: SendOptions): Promise<SocketEnvelope>;
  /** A `disconnect` on every open link; Slack drops the TCP connection `dropAfterMs` later if the client has not closed it. */
  disconnect(reason: DisconnectReason, dropAfterMs?: number): void;
  /** A WebSocket ping on every open link. */
  ping(): void;
  /** Pings every `everyMs` until the returned function is called. */
  startPinging(everyMs: number): () => void;
}

/** `apps.connections.open`: app-level token from the header only; a fresh one-time URL per call. */
export function openConnection(env: SlackEnv, headerToken: string | undefined): Reply {
  const method = 'apps.connections.open';
  const limit = takeRateLimit(env, method);
  if (limit) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(limit.retryAfter) },
    };
  }
  if (!headerToken) return fail('not_authed');
  if (!headerToken.startsWith('xapp-')) {
    return headerToken === env.botToken ? fail('not_allowed_token_type') : fail('invalid_auth');
  }
  if (headerToken !== env.appToken) return fail('invalid_auth');
  const injected = takeError(env, method);
  if (injected) return fail(injected.error);
  const ticket = randomBytes(16).toString('hex');
  env.tickets.add(ticket);
  const url = new URL(env.baseUrl);
  return ok({ url: `ws://${url.host}/link/?ticket=${ticket}&app_id=${env.appId}` });
}

export interface SocketModeHub extends SocketModeEmulator {
  /** The HTTP server's `upgrade` listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every link and timer (the emulator is closing). */
  closeAll(): void;
}

interface Link {
  record: SocketConnection;
  peer: WebSocketPeer;
}

export function createSocketModeHub(env: SlackEnv): SocketModeHub {
  const connections: SocketConnection[] = [];
  const envelopes: SocketEnvelope[] = [];
  const links = new Map<number, Link>();
  const pending = new Map<string, (envelope: SocketEnvelope) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let linkCount = 0;
  let envelopeCount = 0;

  const openLinks = (): Link[] => [...links.values()].filter((l) => l.peer.open);
  // Slack stops sending on a link once it has asked the client to leave it.
  const usable = (): Link[] => openLinks().filter((l) => l.record.disconnectReason === undefined);

  const deliver = (envelope: SocketEnvelope, link: Link): void => {
    envelope.connection = link.record.id;
    envelope.sentAt = Date.now();
    const { connection: _c, queuedAt: _q, sentAt: _s, ack: _a, ...wire } = envelope;
    link.peer.sendText(JSON.stringify(wire));
  };
  const flush = (link: Link): void => {
    for (const envelope of envelopes) {
      if (envelope.sentAt === undefined) deliver(envelope, link);
    }
  };

  const onText = (link: Link, text: string): void => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      link.record.strays.push(text);
      return;
    }
    const id = isObject(message) ? message.envelope_id : undefined;
    const envelope = envelopes.find((e) => e.envelope_id === id && e.ack === undefined);
    if (!isObject(message) || !envelope) {
      link.record.strays.push(text);
      notify(env);
      return;
    }
    const at = Date.now();
    envelope.ack = {
      at,
      ms: at - (envelope.sentAt ?? at),
      payload: isObject(message.payload) ? message.payload : undefined,
      connection: link.record.id,
    };
    pending.get(envelope.envelope_id)?.(envelope);
    notify(env);
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !env.tickets.delete(ticket)) {
      // A URL is good for one connection; Slack refuses a reused or made-up ticket.
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    linkCount += 1;
    const record: SocketConnection = {
      id: linkCount,
      openedAt: Date.now(),
      closedAt: undefined,
      closeCode: undefined,
      closedBy: undefined,
      disconnectReason: undefined,
      clientPings: 0,
      serverPings: 0,
      pongs: 0,
      strays: [],
    };
    let link: Link | undefined;
    const peer = acceptWebSocket(req, socket, head, {
      text: (text) => link && onText(link, text),
      ping: () => {
        record.clientPings += 1;
      },
      pong: () => {
        record.pongs += 1;
      },
      closed: (code, by) => {
        record.closedAt = Date.now();
        record.closeCode = code;
        record.closedBy = by;
        links.delete(record.id);
        notify(env);
      },
    });
    if (!peer) return;
    link = { record, peer };
    links.set(record.id, link);
    connections.push(record);
    peer.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: openLinks().length,
        debug_info: {
          host: 'applink-emulator',
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: env.appId },
      }),
    );
    flush(link);
    notify(env);
  };

  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} within ${timeoutMs} ms (links: ${JSON.stringify(connections)})`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        env.listeners.delete(check);
      };
      env.listeners.add(check);
      check();
    });

  const pingAll = (): void => {
    for (const link of openLinks()) {
      link.record.serverPings += 1;
      link.peer.ping(`emulator ${Date.now()}`);
    }
  };

  return {
    appToken: env.appToken,
    connections,
    envelopes,
    upgrade,
    open: () => usable().map((l) => l.record),
    waitForConnection: (count = 1, timeoutMs = 15_000) =>
      waitUntil(() => connections[count - 1], timeoutMs, `no Socket Mode link #${count}`),
    send(type, payload, options = {}) {
      envelopeCount += 1;
      const envelope: SocketEnvelope = {
        envelope_id: `${randomBytes(4).toString('hex')}-emu-${envelopeCount}`,
        type,
        payload,
        accepts_response_payload: options.acceptsResponsePayload ?? type === 'slash_commands',
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
          : {}),
        connection: undefined,
        queuedAt: Date.now(),
        sentAt: undefined,
        ack: undefined,
      };
      envelopes.push(envelope);
      const timeoutMs = options.timeoutMs ?? 10_000;
      return new Promise<SocketEnvelope>((resolve, reject) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          pending.delete(envelope.envelope_id);
          reject(
            new Error(
              `envelope ${envelope.envelope_id} (${type}) was not acked within ${timeoutMs} ms ` +
                `(links: ${JSON.stringify(connections)})`,
            ),
          );
        }, timeoutMs);
        timers.add(timer);
        pending.set(envelope.envelope_id, (acked) => {
          clearTimeout(timer);
          timers.delete(timer);
          pending.delete(envelope.envelope_id);
          resolve(acked);
        });
        const link = usable().at(-1);
        if (link) deliver(envelope, link);
      });
    },
    disconnect(reason, dropAfterMs = 1_000) {
      for (const link of openLinks()) {
        link.record.disconnectReason = reason;
        link.peer.sendText(
          JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator' } }),
        );
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (link.peer.open) link.peer.terminate();
        }, dropAfterMs);
        timers.add(timer);
      }
    },
    ping: pingAll,
    startPinging(everyMs) {
      const timer = setInterval(pingAll, everyMs);
      timers.add(timer);
      return () => {
        clearInterval(timer);
        timers.delete(timer);
      };
    },
    closeAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const link of links.values()) link.peer.terminate();
    },
  };
}
