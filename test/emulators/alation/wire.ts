// How a Django REST Framework server (which Alation is) spells things on the wire: timestamps,
// validation errors, 404/405 bodies, lenient form-field parsing.
import type { IncomingCall, Reply } from '../faults.ts';
import { json, text } from '../faults.ts';
import type { AlationEnv, AlationUser } from './state.ts';

/** `2018-01-23T08:17:00.123000Z` – DRF's ISO format with microseconds. */
export function isoMicro(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** `2017-10-18 01:19:09.855000+00:00` – Python's str(datetime), used by a few endpoints. */
export function pyDate(date: Date): string {
  return isoMicro(date).replace('T', ' ').replace(/Z$/, '+00:00');
}

export function isoOrNull(date: Date | null): string | null {
  return date ? isoMicro(date) : null;
}

/** Python's repr() of a list of strings, as it appears inside Alation's error messages. */
export function pyListRepr(values: string[]): string {
  return `[${values.map((v) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`).join(', ')}]`;
}

/** Python json.dumps with default separators, so JSON-in-JSON strings look like the docs. */
export function pyJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}: ${pyJsonDumps(v)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const NOT_FOUND_BODY = { detail: 'Not found.' };
export const NO_PERMISSION_BODY = { detail: 'You do not have permission to perform this action.' };

export const notFound = (): Reply => json(404, NOT_FOUND_BODY);
export const forbidden = (): Reply => json(403, NO_PERMISSION_BODY);
export const fieldErrors = (errors: Record<string, string[]>): Reply => json(400, errors);
export const required = (field: string): Reply =>
  fieldErrors({ [field]: ['This field is required.'] });

/** The page Django serves (DEBUG off) for a URL no route matches. */
export function djangoNotFoundPage(path: string): Reply {
  const page = `<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource ${path} was not found on this server.</p>\n</body>\n</html>\n`;
  return text(404, page, 'text/html; charset=utf-8');
}

export function methodNotAllowed(method: string, allowed: string[]): Reply {
  return json(405, { detail: `Method "${method}" not allowed.` }, { allow: allowed.join(', ') });
}

/** DRF rejects unreadable bodies before the view runs; null means the body is usable. */
export function bodyRejection(call: IncomingCall): Reply | null {
  if (call.bodyProblem === 'invalid-json') {
    return json(400, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
  }
  if (call.bodyProblem === 'unsupported-media-type') {
    return json(415, { detail: `Unsupported media type "${call.contentType ?? ''}" in request.` });
  }
  return null;
}

export function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}

/** DRF IntegerField: numbers and numeric strings (form posts) are both fine. */
export function toInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return null;
}

/** DRF BooleanField's accepted spellings. */
export function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return null;
  const lowered = value.toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(lowered)) return false;
  return null;
}

export type Handler = (
  env: AlationEnv,
  call: IncomingCall,
  params: string[],
) => Reply | Promise<Reply>;
export type UserHandler = (
  env: AlationEnv,
  call: IncomingCall,
  user: AlationUser,
  params: string[],
) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Anchored pattern over the path; capture groups become params. */
  pattern: RegExp;
  handle: Handler;
}
