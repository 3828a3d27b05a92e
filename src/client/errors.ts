import type { ReconnectReason } from '../store/credentials.ts';
// Every upstream failure (Alation, Mode) surfaces as one of these, so Slack handlers can switch
// on `kind` instead of inspecting status codes, and can show `message` to the user as is: it
// never holds a token, a stack, a query string or raw HTML.

export type UpstreamErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'unreachable'
  | 'bad_response';

export interface UpstreamErrorInit {
  /** Who answered, as users know it: "Alation", "Mode". */
  service: string;
  method: string;
  /** Path only: query strings can carry tokens (OAuth codes, job names) and stay out of logs. */
  path: string;
  status?: number | null;
  /** The server's own human-readable reason (DRF `detail`, Mode `message`), when it sent JSON. */
  detail?: string | null;
  /** The server's machine-readable code (`401000`, `403000`, OAuth `invalid_grant`, …). */
  code?: string | null;
  cause?: unknown;
}

/** Long server texts would swamp a Slack message; the full reason is still in `detail`. */
const MAX_DETAIL_IN_MESSAGE = 300;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL_IN_MESSAGE ? `${flat.slice(0, MAX_DETAIL_IN_MESSAGE)}…` : flat;
}

function capitalised(service: string): string {
  return service.charAt(0).toUpperCase() + service.slice(1);
}

export abstract class UpstreamError extends Error {
  abstract readonly kind: UpstreamErrorKind;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly detail: string | null;
  readonly code: string | null;

  constructor(message: string, init: UpstreamErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.service = init.service;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status ?? null;
    this.detail = init.detail ?? null;
    this.code = init.code ?? null;
  }

  /** What a log line needs; never the body or headers. */
  toLog(): Record<string, unknown> {
    return {
      kind: this.kind,
      service: this.service,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
    };
  }
}

/** Credentials rejected even after one refresh: the user has to reconnect their account. */
export class UnauthorizedError extends UpstreamError {
  readonly kind = 'unauthorized' as const;
  constructor(init: UpstreamErrorInit) {
    super(
      `${capitalised(init.service)} no longer accepts your credentials. Reconnect your account and try again.`,
      init,
    );
  }
}

/** The catalog itself said no; `detail` is its reason (e.g. only the flag's author may delete). */
export class ForbiddenError extends UpstreamError {
  readonly kind = 'forbidden' as const;
  constructor(init: UpstreamErrorInit) {
    const reason = init.detail ? `: ${clip(init.detail)}` : '.';
    super(`${capitalised(init.service)} denied permission${reason}`, init);
  }
}

export class NotFoundError extends UpstreamError {
  readonly kind = 'not_found' as const;
  constructor(init: UpstreamErrorInit) {
    const reason =
      init.detail && !/^not found\.?$/i.test(init.detail.trim()) ? `: ${clip(init.detail)}` : '.';
    super(`${capitalised(init.service)} could not find that${reason}`, init);
  }
}

/** DRF validation errors, keyed by field, so a modal can put each next to its input. */
export type FieldErrors = Record<string, string[]>;

function firstFieldError(fieldErrors: FieldErrors): string | null {
  const [field, messages] = Object.entries(fieldErrors)[0] ?? [];
  const message = messages?.[0];
  if (!field || !message) return null;
  return field === 'non_field_errors' ? message : `${field}: ${message}`;
}

export class BadRequestError extends UpstreamError {
  readonly kind = 'bad_request' as const;
  readonly fieldErrors: FieldErrors;
  constructor(init: UpstreamErrorInit & { fieldErrors?: FieldErrors }) {
    const fieldErrors = init.fieldErrors ?? {};
    const first = init.detail ?? firstFieldError(fieldErrors);
    super(
      `${capitalised(init.service)} rejected the request${first ? `: ${clip(first)}` : '.'}`,
      init,
    );
    this.fieldErrors = fieldErrors;
  }
}

export class RateLimitedError extends UpstreamError {
  readonly kind = 'rate_limited' as const;
  /** From Retry-After; null when the server did not say. */
  readonly retryAfterSeconds: number | null;
  constructor(init: UpstreamErrorInit & { retryAfterSeconds: number | null }) {
    const seconds = init.retryAfterSeconds;
    const wait =
      seconds === null ? '' : ` and asked to wait ${seconds} second${seconds === 1 ? '' : 's'}`;
    super(`${capitalised(init.service)} is throttling requests${wait}.`, init);
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 5xx. Alation's own 500s can carry a useful reason (table sync: "error connecting to …"). */
export class ServerError extends UpstreamError {
  readonly kind = 'server_error' as const;
  constructor(init: UpstreamErrorInit & { status: number }) {
    const reason = init.detail ? `: ${clip(init.detail)}` : '.';
    super(`${capitalised(init.service)} had a problem (status ${init.status})${reason}`, init);
  }
}

export class UpstreamTimeoutError extends UpstreamError {
  readonly kind = 'timeout' as const;
  constructor(init: UpstreamErrorInit) {
    super(`${capitalised(init.service)} did not answer in time.`, init);
  }
}

/** Refused, reset, DNS failure or a connection dropped mid-answer. */
export class UnreachableError extends UpstreamError {
  readonly kind = 'unreachable' as const;
  constructor(init: UpstreamErrorInit) {
    super(`Could not reach ${init.service}.`, init);
  }
}

export type BadResponseReason =
  | 'html'
  | 'malformed'
  | 'schema_mismatch'
  | 'unexpected_status'
  | 'too_large'
  | 'status_failed';

/** The server answered, but not with what the contract promises. */
export class BadResponseError extends UpstreamError {
  readonly kind = 'bad_response' as const;
  readonly reason: BadResponseReason;
  /** For logs only: a short summary of what failed validation (paths and rules, no values). */
  readonly issues: string | null;
  constructor(init: UpstreamErrorInit & { reason: BadResponseReason; issues?: string | null }) {
    super(badResponseMessage(init), init);
    this.reason = init.reason;
    this.issues = init.issues ?? null;
  }

  override toLog(): Record<string, unknown> {
    return { ...super.toLog(), reason: this.reason, issues: this.issues };
  }
}

function badResponseMessage(init: UpstreamErrorInit & { reason: BadResponseReason }): string {
  const who = capitalised(init.service);
  const status = init.status ?? 'unknown';
  switch (init.reason) {
    case 'html':
      return `${who} answered with an HTML page (status ${status}), often a proxy or maintenance page.`;
    case 'malformed':
      return `${who} sent a reply that could not be read (status ${status}).`;
    case 'schema_mismatch':
      return `${who} returned something unexpected: its reply did not have the shape this app expects.`;
    case 'status_failed':
      return `${who} reported that the request failed${init.detail ? `: ${clip(init.detail)}` : '.'}`;
    case 'unexpected_status':
      return `${who} gave an unexpected answer (status ${status}).`;
    case 'too_large':
      return `${who} sent a reply too large to handle here.`;
  }
}

export type AnyUpstreamError =
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | BadRequestError
  | RateLimitedError
  | ServerError
  | UpstreamTimeoutError
  | UnreachableError
  | BadResponseError;

/** Narrows to the union, so `switch (error.kind)` reaches each subclass's own fields. */
export function isUpstreamError(error: unknown): error is AnyUpstreamError {
  return error instanceof UpstreamError;
}

/**
 * The person has no usable stored credential for Alation or Mode, so no call can be made as
 * them: Slack shows Connect or Reconnect.
 */
export class NotConnectedError extends Error {
  readonly provider: 'alation' | 'mode';
  /** undefined: never connected. Otherwise why the stored one stopped working. */
  readonly reason: ReconnectReason | string | undefined;
  constructor(provider: 'alation' | 'mode', reason?: ReconnectReason | string) {
    super(
      reason
        ? `${provider} credentials need reconnecting (${reason})`
        : `${provider} not connected`,
    );
    this.name = 'NotConnectedError';
    this.provider = provider;
    this.reason = reason;
  }
}
