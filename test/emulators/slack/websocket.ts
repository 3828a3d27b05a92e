// The server side of one WebSocket (RFC 6455), just enough for the Socket Mode emulator: the
// opening handshake, text frames, ping/pong and the close handshake. Written here rather than
// pulled from `ws`, which nothing in the project installs (@slack/socket-mode 3 connects with
// undici's WebSocket client); owning the frames also lets tests see every ping, pong and close.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;
/** Larger frames than any Socket Mode message are refused (close 1009). */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface WebSocketPeer {
  sendText(text: string): void;
  ping(data?: string): void;
  /** Starts the close handshake; the socket ends once the client answers, or after `graceMs`. */
  close(code?: number, graceMs?: number): void;
  /** Drops the TCP connection without a close frame (what Slack does after some disconnects). */
  terminate(): void;
  readonly open: boolean;
}

export interface WebSocketEvents {
  text(text: string): void;
  /** A ping from the client (the server has already answered it with a pong). */
  ping(data: Buffer): void;
  pong(data: Buffer): void;
  /** `code` is the client's close code, or 1006 when the connection ended without one. */
  closed(code: number, by: 'client' | 'server' | 'network'): void;
}

/** Completes the upgrade (101) and speaks frames on `socket`; false when it was not a WebSocket request. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  on: WebSocketEvents,
): WebSocketPeer | undefined {
  const key = req.headers['sec-websocket-key'];
  if (
    typeof key !== 'string' ||
    req.headers.upgrade?.toLowerCase() !== 'websocket' ||
    req.headers['sec-websocket-version'] !== '13'
  ) {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );

  let buffered: Buffer = Buffer.from(head);
  let fragments: Buffer[] = [];
  let open = true;
  let closeSent = false;
  let closedBy: 'client' | 'server' | 'network' | undefined;
  let graceTimer: NodeJS.Timeout | undefined;

  const frame = (opcode: number, payload: Buffer): void => {
    if (socket.destroyed || !socket.writable) return;
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x80 | opcode, length])
        : length < 65_536
          ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x80 | opcode, 127]), u64(length)]);
    socket.write(Buffer.concat([header, payload]));
  };
  const sendClose = (code: number): void => {
    if (closeSent) return;
    closeSent = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    frame(OP.close, body);
  };
  const finish = (code: number, by: 'client' | 'server' | 'network'): void => {
    if (closedBy) return;
    closedBy = by;
    open = false;
    clearTimeout(graceTimer);
    on.closed(code, by);
  };

  const handle = (opcode: number, fin: boolean, payload: Buffer): void => {
    if (opcode === OP.ping) {
      frame(OP.pong, payload);
      on.ping(payload);
      return;
    }
    if (opcode === OP.pong) {
      on.pong(payload);
      return;
    }
    if (opcode === OP.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      const by = closeSent ? 'server' : 'client';
      sendClose(code === 1005 ? 1000 : code);
      finish(code, by);
      socket.end();
      return;
    }
    if (opcode === OP.text || opcode === OP.binary) fragments = [payload];
    else if (opcode === OP.continuation) fragments.push(payload);
    if (fin && fragments.length > 0) {
      const text = Buffer.concat(fragments).toString('utf8');
      fragments = [];
      on.text(text);
    }
  };

  const parse = (): void => {
    for (;;) {
      if (buffered.length < 2) return;
      const first = buffered[0] ?? 0;
      const second = buffered[1] ?? 0;
      let length = second & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      if (length > MAX_FRAME_BYTES) {
        sendClose(1009);
        socket.end();
        return;
      }
      const masked = (second & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) {
        for (let i = 0; i < payload.length; i += 1) {
          payload[i] = (payload[i] ?? 0) ^ (buffered[maskAt + (i % 4)] ?? 0);
        }
      }
      buffered = buffered.subarray(offset + length);
      handle(first & 0x0f, (first & 0x80) !== 0, payload);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    parse();
  });
  socket.on('error', () => {});
  socket.on('close', () => finish(1006, 'network'));
  if (buffered.length > 0) setImmediate(parse);

  return {
    sendText: (text) => frame(OP.text, Buffer.from(text, 'utf8')),
    ping: (data = '') => frame(OP.ping, Buffer.from(data, 'utf8')),
    close: (code = 1000, graceMs = 1_000) => {
      sendClose(code);
      graceTimer = setTimeout(() => socket.destroy(), graceMs);
    },
    terminate: () => socket.destroy(),
    get open() {
      return open && !socket.destroyed;
    },
  };
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
