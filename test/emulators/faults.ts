// Shared machinery for the upstream emulators: a tiny node:http server that records every
// request, injects scripted faults before the real handler runs, and closes promptly even
// while connections are hung or kept alive.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A string matches as a prefix of the request path; a RegExp is tested against the path. */
export type PathMatcher = string | RegExp;

export type ReplyBody =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: ReplyBody;
}

/** One request as the handler sees it; the body has already been read in full. */
export interface IncomingCall {
  method: string;
  /** Path without the query string, exactly as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  /** Node lower-cases header names, so lookups are case-insensitive by construction. */
  headers: IncomingHttpHeaders;
  contentType: string | null;
  rawBody: Buffer;
  /** Parsed JSON when the request said JSON and it parsed, else the text, else null. */
  body: unknown;
  /** Key/value view of a JSON object or an urlencoded form body, for handlers. */
  fields: Record<string, unknown> | null;
  bodyProblem: 'invalid-json' | 'unsupported-media-type' | null;
}

export type FaultKind = 'status' | 'html' | 'malformedJson' | 'drop' | 'hang' | 'latency';

export interface RecordedRequest<U = number> {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Who the emulator authenticated the request as, or null. */
  userId: U | null;
  at: Date;
  /** The fault that answered (or delayed) this request, if any. */
  fault: FaultKind | null;
}

interface FaultTarget {
  method?: string;
  path: PathMatcher;
  /** How many matching requests the fault applies to; default 1, Infinity allowed. */
  times?: number;
  /** Delay before answering; alone it means "answer normally, but late". */
  latencyMs?: number;
  /** Extra predicate, e.g. to fault only a particular query string. */
  when?: (call: IncomingCall) => boolean;
}

export type FaultSpec = FaultTarget &
  (
    | { status: number; body?: unknown; headers?: Record<string, string>; retryAfter?: number }
    | { html: true | string; status?: number }
    | { malformedJson: true | string }
    | { drop: true }
    | { hang: true }
    | { latencyMs: number }
  );

export interface FaultHandle {
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

/**
 * The same vocabulary for Slack's Web API, which fails in its own two ways (slack.md §0, §3):
 * HTTP 429 with `Retry-After` (whole seconds) and `{"ok":false,"error":"ratelimited"}`, checked
 * before anything else about the call; or an error code as HTTP 200 `{"ok":false,"error"}`,
 * answered only once the token was accepted. `path` is the method's path, `/api/<method>`.
 * A new fault for a method replaces the previous one of its kind instead of queueing behind it.
 */
export type SlackFaultSpec = {
  path: `/api/${string}`;
  /** Default 1, Infinity allowed. */
  times?: number;
} & ({ status: 429; retryAfter?: number } | { error: string });

/** A fault's remaining uses and hits, as the handle every emulator's `fault()` returns. */
export interface FaultCounter {
  remaining: number;
  hits: number;
}

export function faultHandle(fault: FaultCounter): FaultHandle {
  return {
    get hits() {
      return fault.hits;
    },
    get remaining() {
      return fault.remaining;
    },
    remove() {
      fault.remaining = 0;
    },
  };
}

export interface HttpEmulatorHooks<U> {
  handle(call: IncomingCall): Reply | Promise<Reply>;
  /** Must be free of side effects: it runs for every request, faulted or not. */
  identify(call: IncomingCall): U | null;
}

export interface HttpEmulator<U> {
  readonly url: string;
  readonly requests: RecordedRequest<U>[];
  requestsTo(method: string, path: PathMatcher): RecordedRequest<U>[];
  fault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  clearRequests(): void;
  close(): Promise<void>;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  };
}

export function text(
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): Reply {
  return { status, headers: { 'content-type': contentType }, body };
}

export function empty(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}

export function redirect(location: string, status = 302): Reply {
  return { status, headers: { location }, body: '' };
}

export function matchesPath(path: string, matcher: PathMatcher): boolean {
  if (typeof matcher === 'string') return path.startsWith(matcher);
  matcher.lastIndex = 0; // a /g RegExp would otherwise alternate between hits and misses
  return matcher.test(path);
}

/** The kind of page a reverse proxy or load balancer puts in front of an unhappy upstream. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

interface ActiveFault extends FaultCounter {
  spec: FaultSpec;
}

function faultKind(spec: FaultSpec): FaultKind {
  if ('hang' in spec) return 'hang';
  if ('drop' in spec) return 'drop';
  if ('malformedJson' in spec) return 'malformedJson';
  if ('html' in spec) return 'html';
  if ('status' in spec) return 'status';
  return 'latency';
}

function faultApplies(fault: ActiveFault, call: IncomingCall): boolean {
  const { spec } = fault;
  if (fault.remaining <= 0) return false;
  if (spec.method && spec.method.toUpperCase() !== call.method) return false;
  if (!matchesPath(call.path, spec.path)) return false;
  return spec.when ? spec.when(call) : true;
}

function createFaultBook() {
  const faults: ActiveFault[] = [];
  return {
    add(spec: FaultSpec): FaultHandle {
      const fault: ActiveFault = { spec, remaining: spec.times ?? 1, hits: 0 };
      faults.push(fault);
      return faultHandle(fault);
    },
    /** Consumes one use of the first fault that matches, in the order they were added. */
    take(call: IncomingCall): FaultSpec | null {
      const fault = faults.find((candidate) => faultApplies(candidate, call));
      if (!fault) return null;
      fault.remaining -= 1;
      fault.hits += 1;
      return fault.spec;
    },
    clear(): void {
      faults.length = 0;
    },
  };
}

function statusFaultReply(spec: Extract<FaultSpec, { status: number; body?: unknown }>): Reply {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  if (typeof spec.body === 'string') {
    return {
      status: spec.status,
      headers: { 'content-type': 'text/plain', ...headers },
      body: spec.body,
    };
  }
  const fallback =
    spec.status === 429
      ? { detail: `Request was throttled. Expected available in ${spec.retryAfter ?? 1} seconds.` }
      : { detail: STATUS_CODES[spec.status] ?? 'Error' };
  return json(spec.status, spec.body ?? fallback, headers);
}

/** Replies for the faults that still answer; drop/hang/latency are handled by the caller. */
function faultReply(spec: FaultSpec): Reply | null {
  if ('malformedJson' in spec) {
    const body =
      spec.malformedJson === true ? '[{"id": 1, "title": "Top 10 Us' : spec.malformedJson;
    return text(200, body, 'application/json');
  }
  if ('html' in spec) {
    const status = spec.status ?? 502;
    return text(status, spec.html === true ? proxyErrorPage(status) : spec.html, 'text/html');
  }
  if ('status' in spec) return statusFaultReply(spec);
  return null;
}

function mediaType(headers: IncomingHttpHeaders): string | null {
  const raw = headers['content-type'];
  return raw ? (raw.split(';')[0]?.trim().toLowerCase() ?? null) : null;
}

function parseBody(headers: IncomingHttpHeaders, raw: Buffer) {
  const contentType = mediaType(headers);
  const textBody = raw.toString('utf8');
  const result = {
    contentType,
    body: raw.length === 0 ? null : (textBody as unknown),
    fields: null as Record<string, unknown> | null,
    bodyProblem: null as IncomingCall['bodyProblem'],
  };
  if (raw.length === 0) return result;
  if (contentType === 'application/json' || contentType?.endsWith('+json')) {
    try {
      result.body = JSON.parse(textBody);
      const parsed = result.body;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        result.fields = parsed as Record<string, unknown>;
      }
    } catch {
      result.bodyProblem = 'invalid-json';
    }
  } else if (contentType === 'application/x-www-form-urlencoded') {
    result.fields = Object.fromEntries(new URLSearchParams(textBody));
  } else {
    result.bodyProblem = 'unsupported-media-type';
  }
  return result;
}

async function readCall(req: IncomingMessage): Promise<IncomingCall> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    ...parseBody(req.headers, rawBody),
  };
}

function isByteLike(body: ReplyBody): body is string | Uint8Array {
  return typeof body === 'string' || body instanceof Uint8Array;
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  const body = reply.body ?? '';
  if (isByteLike(body)) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    // RFC 9110 forbids Content-Length on 204 and 304.
    const sized =
      reply.status === 204 || reply.status === 304
        ? {}
        : { 'content-length': String(bytes.length) };
    res.writeHead(reply.status, { ...reply.headers, ...sized });
    res.end(bytes);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  try {
    await pipeline(Readable.from(body), res);
  } catch {
    // The client went away mid-stream; there is nobody left to tell.
  }
}

function djangoServerError(): Reply {
  return text(500, '<h1>Server Error (500)</h1>', 'text/html; charset=utf-8');
}

export async function startHttpEmulator<U>(hooks: HttpEmulatorHooks<U>): Promise<HttpEmulator<U>> {
  const requests: RecordedRequest<U>[] = [];
  const faults = createFaultBook();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call = await readCall(req);
    const spec = faults.take(call);
    requests.push({
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      body: call.body,
      userId: hooks.identify(call),
      at: new Date(),
      fault: spec ? faultKind(spec) : null,
    });
    if (spec?.latencyMs) await sleep(spec.latencyMs);
    if (spec && 'hang' in spec) return;
    if (spec && 'drop' in spec) {
      req.socket.destroy();
      return;
    }
    const faulted = spec ? faultReply(spec) : null;
    await send(res, faulted ?? (await hooks.handle(call)));
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('emulator handler failed', error);
      if (!res.headersSent) void send(res, djangoServerError());
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('emulator did not bind a TCP port');

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    requestsTo: (method, path) =>
      requests.filter((r) => r.method === method.toUpperCase() && matchesPath(r.path, path)),
    fault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
