// Turning whatever went wrong – a status and an error body, or an exception from the socket –
// into one of the typed upstream errors.
import {
  BadRequestError,
  BadResponseError,
  type FieldErrors,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  UnreachableError,
  UpstreamError,
  type UpstreamErrorInit,
  UpstreamTimeoutError,
} from '../errors.ts';
import { BodyTooLargeError } from './body.ts';

/** Who was asked what; everything an error needs besides the answer. */
export interface CallFacts {
  service: string;
  method: string;
  path: string;
}

export interface ErrorBody {
  html: boolean;
  detail: string | null;
  code: string | null;
  fieldErrors: FieldErrors;
}

export function looksLikeHtml(contentType: string | null, text: string): boolean {
  if (contentType && /\bhtml\b/i.test(contentType)) return true;
  return /^\s*<(?:!doctype|html|head|body|h1|center|title)\b/i.test(text);
}

/** Keys that describe the error as a whole rather than name a field. */
const ENVELOPE_KEYS = new Set([
  'detail',
  'code',
  'error',
  'error_description',
  'message',
  'id',
  'status',
]);

function messagesOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

/** DRF nests errors for nested serializers (`{"subject": {"id": [...]}}`); flatten to dotted keys. */
function collectFieldErrors(value: Record<string, unknown>, prefix: string, out: FieldErrors) {
  for (const [key, raw] of Object.entries(value)) {
    if (!prefix && ENVELOPE_KEYS.has(key)) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    const messages = messagesOf(raw);
    if (messages) out[name] = messages;
    else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      collectFieldErrors(raw as Record<string, unknown>, name, out);
    }
  }
}

const asText = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

function fromJson(parsed: unknown): ErrorBody {
  const body: ErrorBody = { html: false, detail: null, code: null, fieldErrors: {} };
  if (Array.isArray(parsed)) {
    const messages = messagesOf(parsed);
    if (messages) body.fieldErrors.non_field_errors = messages;
    return body;
  }
  if (!parsed || typeof parsed !== 'object') return body;
  const o = parsed as Record<string, unknown>;
  // OAuth names its code in `error` ({error: "invalid_grant", error_description}); Alation's
  // list filters put a sentence there ({"error": "Invalid value(s) …"}); Mode uses {id, message}.
  const error = asText(o.error);
  const errorIsCode = error !== null && /^[a-z][a-z0-9_]*$/.test(error);
  body.detail = asText(o.detail) ?? asText(o.error_description) ?? asText(o.message) ?? error;
  const code =
    o.code ?? (errorIsCode ? error : undefined) ?? (asText(o.message) ? o.id : undefined);
  body.code = typeof code === 'string' || typeof code === 'number' ? String(code) : null;
  collectFieldErrors(o, '', body.fieldErrors);
  return body;
}

const MAX_PLAIN_DETAIL = 500;

export function parseErrorBody(contentType: string | null, text: string): ErrorBody {
  if (looksLikeHtml(contentType, text)) {
    return { html: true, detail: null, code: null, fieldErrors: {} };
  }
  try {
    return fromJson(JSON.parse(text));
  } catch {
    const plain = text.trim();
    const detail = plain && plain.length <= MAX_PLAIN_DETAIL ? plain : null;
    return { html: false, detail, code: null, fieldErrors: {} };
  }
}

export function errorForStatus(
  facts: CallFacts,
  status: number,
  body: ErrorBody,
  retryAfterSeconds: number | null,
): UpstreamError {
  const init: UpstreamErrorInit = {
    ...facts,
    status,
    detail: body.detail,
    code: body.code,
  };
  // A throttling proxy's HTML page still means "slow down", and says when.
  if (status === 429) return new RateLimitedError({ ...init, retryAfterSeconds });
  if (body.html) return new BadResponseError({ ...init, reason: 'html' });
  if (status === 401) return new UnauthorizedError(init);
  if (status === 403) return new ForbiddenError(init);
  if (status === 404 || status === 410) return new NotFoundError(init);
  if (status >= 500) return new ServerError({ ...init, status });
  if (status >= 400) return new BadRequestError({ ...init, fieldErrors: body.fieldErrors });
  return new BadResponseError({ ...init, reason: 'unexpected_status' });
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const UNREACHABLE_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

const CORRUPT_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR_BROTLI_DECOMPRESSION_FAILED']);

/** Error codes anywhere in the chain: undici wraps, and happy-eyeballs aggregates. */
function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => codesOf(x, depth + 1)) : [];
  return [...own, ...codesOf(e.cause, depth + 1), ...nested];
}

function isTimeoutAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

/**
 * Maps an exception from the transport. Returns null for what is not an upstream failure (a
 * caller's own abort, a programming error), which the caller should rethrow unchanged.
 */
export function errorForException(facts: CallFacts, error: unknown): UpstreamError | null {
  if (error instanceof UpstreamError) return error;
  const init = { ...facts, cause: error };
  if (error instanceof BodyTooLargeError)
    return new BadResponseError({ ...init, reason: 'too_large' });
  const reason = (error as { reason?: unknown } | null)?.reason;
  if (isTimeoutAbort(error) || isTimeoutAbort(reason)) return new UpstreamTimeoutError(init);
  const codes = codesOf(error);
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return new UpstreamTimeoutError(init);
  if (codes.some((c) => UNREACHABLE_CODES.has(c))) return new UnreachableError(init);
  if (codes.some((c) => CORRUPT_CODES.has(c))) {
    return new BadResponseError({ ...init, reason: 'malformed' });
  }
  return null;
}
