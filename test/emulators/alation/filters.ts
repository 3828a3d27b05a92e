// The "Operations with URL Parameters" section of the queries page: `field__operator=value`
// filters typed by field, `order_by`, and limit/skip paging with X-Next-Page.
import type { IncomingCall, Reply } from '../faults.ts';
import { json } from '../faults.ts';
import type { AlationEnv } from './state.ts';
import { pyListRepr, toBool } from './wire.ts';

type Scalar = string | number | boolean | Date | null;

export type FieldType = 'string' | 'number' | 'boolean' | 'date' | { enum: readonly string[] };

export interface FieldDef<T> {
  type: FieldType;
  /** A list means "matches if any element matches" (e.g. a session's batch ids). */
  get: (item: T) => Scalar | Scalar[];
}

export type FieldMap<T> = Record<string, FieldDef<T>>;

const PAGING_PARAMS = new Set(['limit', 'skip', 'order_by']);
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const OPERATORS: Record<string, readonly string[]> = {
  string: [
    'exact',
    'iexact',
    'contains',
    'icontains',
    'startswith',
    'istartswith',
    'endswith',
    'iendswith',
    'regex',
    'iregex',
    'isnull',
  ],
  number: ['exact', 'gt', 'gte', 'lt', 'lte', 'isnull'],
  boolean: ['exact', 'isnull'],
  date: ['exact', 'gt', 'gte', 'lt', 'lte', 'year', 'month', 'day', 'hour', 'minute', 'isnull'],
  enum: ['exact', 'isnull'],
};

const typeName = (type: FieldType) => (typeof type === 'string' ? type : 'enum');

export const invalidValue = (values: string[], param: string): Reply =>
  json(400, { error: `Invalid value(s) ${pyListRepr(values)} for URL parameter '${param}'` });

type Predicate = (value: Scalar) => boolean;

function parseDate(raw: string): Date | null {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const parsed = new Date(dateOnly ? `${raw}T00:00:00Z` : raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function compare(op: string, a: number, b: number): boolean {
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  if (op === 'lte') return a <= b;
  return a === b;
}

function stringPredicate(op: string, raw: string): Predicate | null {
  const lower = raw.toLowerCase();
  if (op === 'regex' || op === 'iregex') {
    try {
      const re = new RegExp(raw, op === 'iregex' ? 'i' : '');
      return (v) => typeof v === 'string' && re.test(v);
    } catch {
      return null;
    }
  }
  const tests: Record<string, (v: string) => boolean> = {
    exact: (v) => v === raw,
    iexact: (v) => v.toLowerCase() === lower,
    contains: (v) => v.includes(raw),
    icontains: (v) => v.toLowerCase().includes(lower),
    startswith: (v) => v.startsWith(raw),
    istartswith: (v) => v.toLowerCase().startsWith(lower),
    endswith: (v) => v.endsWith(raw),
    iendswith: (v) => v.toLowerCase().endsWith(lower),
  };
  const test = tests[op];
  return test ? (v) => typeof v === 'string' && test(v) : null;
}

function datePartPredicate(op: string, raw: string): Predicate | null {
  if (!/^\d+$/.test(raw)) return null;
  const want = Number(raw);
  const part = (d: Date) =>
    ({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    })[op as 'year'];
  return (v) => v instanceof Date && part(v) === want;
}

function datePredicate(op: string, raw: string): Predicate | null {
  if (['year', 'month', 'day', 'hour', 'minute'].includes(op)) return datePartPredicate(op, raw);
  const when = parseDate(raw);
  if (!when) return null;
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  if (op === 'exact' && isDay) {
    const end = when.getTime() + 86_400_000;
    return (v) => v instanceof Date && v.getTime() >= when.getTime() && v.getTime() < end;
  }
  return (v) => v instanceof Date && compare(op, v.getTime(), when.getTime());
}

function valuePredicate(type: FieldType, op: string, raw: string): Predicate | null {
  if (op === 'isnull') {
    const wantNull = toBool(raw);
    return wantNull === null ? null : (v) => (v === null) === wantNull;
  }
  if (typeof type === 'object') return type.enum.includes(raw) ? (v) => v === raw : null;
  if (type === 'string') return stringPredicate(op, raw);
  if (type === 'date') return datePredicate(op, raw);
  if (type === 'boolean') {
    const want = toBool(raw);
    return want === null ? null : (v) => v === want;
  }
  const num = raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(num) ? (v) => typeof v === 'number' && compare(op, v, num) : null;
}

interface ParsedFilter<T> {
  param: string;
  field: string;
  test: (item: T) => boolean;
}

function parseFilter<T>(
  param: string,
  values: string[],
  fields: FieldMap<T>,
): ParsedFilter<T> | Reply | null {
  const [field = '', op = 'exact', ...rest] = param.split('__');
  const def = fields[field];
  // Like django-filter, parameters it doesn't know are ignored rather than rejected.
  if (!def || rest.length > 0 || !OPERATORS[typeName(def.type)]?.includes(op)) return null;
  const predicates = values.map((raw) => valuePredicate(def.type, op, raw));
  const bad = values.filter((_, i) => predicates[i] === null);
  if (bad.length > 0) return invalidValue(bad, param);
  const ok = predicates.filter((p): p is Predicate => p !== null);
  const matchOne = (value: Scalar) => ok.some((p) => p(value));
  return {
    param,
    field,
    // Assumption: repeating a parameter ORs its values.
    test: (item) => {
      const value = def.get(item);
      return Array.isArray(value) ? value.some(matchOne) : matchOne(value);
    },
  };
}

export interface ListSpec<T> {
  fields: FieldMap<T>;
  /** order_by values this endpoint accepts, mapped to sort keys; absent = no order_by. */
  orderings?: Record<string, (item: T) => Scalar>;
  defaultOrder: (item: T) => Scalar;
  /** Filters on these fields can't be combined with order_by (queries' schedule_*). */
  unorderableFilter?: (field: string) => boolean;
}

function sortKey(value: Scalar): number | string {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? '';
}

function sortBy<T>(items: T[], key: (item: T) => Scalar, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const ka = sortKey(key(a));
    const kb = sortKey(key(b));
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}

function applyOrdering<T>(
  items: T[],
  query: URLSearchParams,
  spec: ListSpec<T>,
  filters: ParsedFilter<T>[],
): T[] | Reply {
  const raw = spec.orderings ? query.get('order_by') : null;
  if (!raw) return sortBy(items, spec.defaultOrder, false);
  const descending = raw.startsWith('-');
  const key = spec.orderings?.[descending ? raw.slice(1) : raw];
  if (!key) return invalidValue([raw], 'order_by');
  const clashing = filters.filter((f) => spec.unorderableFilter?.(f.field)).map((f) => f.param);
  if (clashing.length > 0) {
    return json(400, {
      error: `Ordering with "${raw}" may not be used with filtering on "${clashing.join('", "')}" You may either remove the filter(s) or remove the ordering parameter.`,
    });
  }
  return sortBy(items, key, descending);
}

function readPaging(query: URLSearchParams): { limit: number; skip: number } | Reply {
  const limitRaw = query.get('limit');
  const skipRaw = query.get('skip');
  if (limitRaw !== null && !/^\d+$/.test(limitRaw)) return invalidValue([limitRaw], 'limit');
  if (skipRaw !== null && !/^\d+$/.test(skipRaw)) return invalidValue([skipRaw], 'skip');
  // Assumption: an oversized limit is clamped to the documented cap rather than refused.
  const limit = Math.min(limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw), MAX_LIMIT);
  return { limit, skip: skipRaw === null ? 0 : Number(skipRaw) };
}

function nextPageUrl(env: AlationEnv, call: IncomingCall, limit: number, skip: number): string {
  const params = new URLSearchParams(call.query);
  params.set('limit', String(limit));
  params.set('skip', String(skip));
  const path = `${call.path}?${params}`;
  return env.knobs.absoluteNextPage ? `${env.origin}${path}` : path;
}

/** Filters, orders and pages `items` for a list endpoint, answering 200 or the 400. */
export function listReply<T>(
  env: AlationEnv,
  call: IncomingCall,
  items: T[],
  spec: ListSpec<T>,
  render: (item: T) => unknown,
): Reply {
  const filters: ParsedFilter<T>[] = [];
  for (const param of new Set(call.query.keys())) {
    if (PAGING_PARAMS.has(param)) continue;
    const parsed = parseFilter(param, call.query.getAll(param), spec.fields);
    if (parsed && 'status' in parsed) return parsed;
    if (parsed) filters.push(parsed);
  }
  const paging = readPaging(call.query);
  if ('status' in paging) return paging;
  const ordered = applyOrdering(
    items.filter((item) => filters.every((f) => f.test(item))),
    call.query,
    spec,
    filters,
  );
  if ('status' in ordered) return ordered;
  const { limit, skip } = paging;
  const page = ordered.slice(skip, skip + limit);
  const headers: Record<string, string> = {};
  if (skip + limit < ordered.length && limit > 0) {
    headers['x-next-page'] = nextPageUrl(env, call, limit, skip + limit);
  }
  return json(200, page.map(render), headers);
}
