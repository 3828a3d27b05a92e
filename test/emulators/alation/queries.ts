// Compose queries: create (API and browser import), list/filter/page, details, SQL text,
// latest result id and result CSV.
import type { IncomingCall, Reply } from '../faults.ts';
import { json, redirect, text } from '../faults.ts';
import { authed } from './auth.ts';
import { canSeeQuery, tagByName } from './catalog.ts';
import { renderSession } from './executions.ts';
import type { FieldMap } from './filters.ts';
import { listReply } from './filters.ts';
import { browserUserOf, loginRedirect } from './oauth.ts';
import type {
  AlationEnv,
  AlationUser,
  CsvSource,
  ExecutionResult,
  Query,
  Schedule,
} from './state.ts';
import { nextId } from './state.ts';
import type { Route } from './wire.ts';
import {
  bodyRejection,
  forbidden,
  isBlank,
  isoMicro,
  isoOrNull,
  notFound,
  pyDate,
  toBool,
  toInt,
} from './wire.ts';

export interface QuerySeed {
  id?: number;
  datasourceId: number;
  title?: string;
  description?: string;
  content?: string;
  /** Unsaved edits; defaults to `content` (so has_unsaved_changes is false). */
  autosaveContent?: string;
  saved?: boolean;
  /** Seeded queries default to published (visible to everyone). */
  published?: boolean;
  authorId?: number | null;
  /** Users besides the author (and admins) who may see it while unpublished. */
  viewerIds?: number[];
  tsLastSaved?: Date;
  tagNames?: string[];
  domainIds?: number[];
  schedules?: Partial<Schedule>[];
}

function buildSchedule(env: AlationEnv, query: Query, seed: Partial<Schedule>): Schedule {
  const author = query.authorId === null ? undefined : env.state.users.get(query.authorId);
  return {
    enabled: true,
    cronExpression: '0 9 * * *',
    tsLastAttempt: null,
    overdue: false,
    tsNextRun: null,
    celeryQueue: 'run_scheduling',
    celeryTaskName: `rosemeta.tasks.query_scheduling.run_query_${query.id}`,
    username: author?.username ?? 'scheduler@example.com',
    userIsActive: true,
    dbUri: env.state.dataSources.get(query.datasourceId)?.uri ?? '',
    dbUsername: 'alation',
    dbTsModified: null,
    dbTsLastUsed: null,
    latestSessionId: null,
    ...seed,
  };
}

export function addQuery(env: AlationEnv, seed: QuerySeed): Query {
  if (!env.state.dataSources.has(seed.datasourceId)) {
    throw new Error(
      `emulator: no data source ${seed.datasourceId}; seed it with addDataSource first`,
    );
  }
  const content = seed.content ?? 'SELECT 1;';
  const query: Query = {
    id: nextId(env.state, 'query', seed.id),
    datasourceId: seed.datasourceId,
    title: seed.title ?? '',
    description: seed.description ?? '',
    content,
    autosaveContent: seed.autosaveContent ?? content,
    saved: seed.saved ?? true,
    published: seed.published ?? true,
    authorId: seed.authorId ?? null,
    viewerIds: seed.viewerIds ?? [],
    tsLastSaved: seed.tsLastSaved ?? env.clock.now(),
    tagIds: (seed.tagNames ?? []).map((name) => tagByName(env, name).id),
    domainIds: seed.domainIds ?? [],
    schedules: [],
  };
  query.schedules = (seed.schedules ?? []).map((s) => buildSchedule(env, query, s));
  env.state.queries.set(query.id, query);
  return query;
}

function renderSchedule(env: AlationEnv, s: Schedule) {
  const session =
    s.latestSessionId === null ? undefined : env.state.sessions.get(s.latestSessionId);
  const latest = session ? renderSession(env, session) : null;
  return {
    enabled: s.enabled,
    cron_expression: s.cronExpression,
    ts_last_attempt: isoOrNull(s.tsLastAttempt),
    overdue: s.overdue,
    ts_next_run: isoOrNull(s.tsNextRun),
    celery_queue: s.celeryQueue,
    celery_task_name: s.celeryTaskName,
    user: { username: s.username, is_active: s.userIsActive },
    db_connection: {
      uri: s.dbUri,
      username: s.dbUsername,
      ts_modified: isoOrNull(s.dbTsModified),
      ts_last_used: isoOrNull(s.dbTsLastUsed),
    },
    latest_session: latest && {
      id: latest.id,
      client_session_id: latest.client_session_id,
      query_id: latest.query_id,
      ts_start: latest.ts_start,
      sandbox_id: latest.sandbox_id,
      batch_ids: latest.batch_ids,
    },
  };
}

function datasourceRef(env: AlationEnv, q: Query) {
  const ds = env.state.dataSources.get(q.datasourceId);
  return {
    title: ds?.title ?? '',
    id: q.datasourceId,
    url: `/data/${q.datasourceId}/`,
    uri: ds?.uri ?? '',
  };
}

/** The list/detail shape ("Get Query Details"). */
function renderQuery(env: AlationEnv, q: Query) {
  return {
    datasource_id: q.datasourceId,
    autosave_content: q.autosaveContent,
    content: q.content,
    saved: q.saved,
    published: q.published,
    url: `/integration/v1/query/${q.id}/`,
    id: q.id,
    title: q.title,
    description: q.description,
    datasource: datasourceRef(env, q),
    ts_last_saved: isoMicro(q.tsLastSaved),
    has_unsaved_changes: q.autosaveContent !== q.content,
    catalog_url: `/query/${q.id}/`,
    compose_url: `/compose/query/${q.id}/`,
    schedules: q.schedules.map((s) => renderSchedule(env, s)),
  };
}

/** The shape "Create Query" answers with (adds domains and tags). */
function renderCreated(env: AlationEnv, q: Query) {
  const { schedules, ...rest } = renderQuery(env, q);
  const domains = q.domainIds.flatMap((id) => {
    const d = env.state.domains.get(id);
    return d ? [{ title: d.title, id: d.id, description: d.description }] : [];
  });
  const tags = q.tagIds.flatMap((id) => {
    const t = env.state.tags.get(id);
    if (!t) return [];
    const stamps = { ts_created: isoMicro(t.tsCreated), ts_updated: isoMicro(t.tsUpdated) };
    return [
      { id: t.id, name: t.name, description: t.description, url: `/tag/${t.id}/`, ...stamps },
    ];
  });
  return { ...rest, domains, tags, schedules };
}

type Errors = Record<string, string[]>;

function readBool(
  fields: Record<string, unknown>,
  name: string,
  errors: Errors,
): boolean | undefined {
  if (fields[name] === undefined) return undefined;
  const value = toBool(fields[name]);
  if (value === null) errors[name] = ['Must be a valid boolean.'];
  return value ?? undefined;
}

function readIdList(
  fields: Record<string, unknown>,
  name: string,
  errors: Errors,
  exists: (id: number) => boolean,
): number[] {
  const raw = fields[name];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors[name] = [`Expected a list of items but got type "${typeof raw}".`];
    return [];
  }
  const missing = raw.filter((v) => toInt(v) === null || !exists(toInt(v) as number));
  if (missing.length > 0)
    errors[name] = [`Invalid pk "${String(missing[0])}" - object does not exist.`];
  return raw.map((v) => toInt(v) ?? 0);
}

function findAuthor(env: AlationEnv, raw: unknown): AlationUser | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const ref = raw as { id?: unknown; email?: unknown; username?: unknown };
  return [...env.state.users.values()].find(
    (u) =>
      (ref.id !== undefined && toInt(ref.id) === u.id) ||
      (typeof ref.email === 'string' && ref.email === u.email) ||
      (typeof ref.username === 'string' && ref.username === u.username),
  );
}

/** Validates a create body the way a DRF serializer would: all field errors at once. */
function validateCreate(
  env: AlationEnv,
  fields: Record<string, unknown>,
  user: AlationUser,
): Reply | QuerySeed {
  const errors: Errors = {};
  if (isBlank(fields.content)) errors.content = ['This field is required.'];
  const datasourceId = toInt(fields.datasource_id);
  if (isBlank(fields.datasource_id)) errors.datasource_id = ['This field is required.'];
  else if (datasourceId === null) errors.datasource_id = ['A valid integer is required.'];
  else if (!env.state.dataSources.has(datasourceId)) {
    errors.datasource_id = [`Invalid pk "${datasourceId}" - object does not exist.`];
  }
  const saved = readBool(fields, 'saved', errors);
  const published = readBool(fields, 'published', errors);
  const domainIds = readIdList(fields, 'domain_ids', errors, (id) => env.state.domains.has(id));
  const tagNames = fields.tag_names;
  if (
    tagNames !== undefined &&
    (!Array.isArray(tagNames) || tagNames.some((t) => typeof t !== 'string'))
  ) {
    errors.tag_names = ['Expected a list of strings.'];
  }
  let authorId = user.id;
  if (fields.author !== undefined && fields.author !== null) {
    const author = findAuthor(env, fields.author);
    if (!author) errors.author = ['User does not exist.'];
    // Assumption: a non-admin naming someone else is a permission problem, not a bad field.
    else if (author.id !== user.id && !user.isAdmin) return forbidden();
    else authorId = author.id;
  }
  if (Object.keys(errors).length > 0) return json(400, errors);
  return {
    datasourceId: datasourceId as number,
    content: String(fields.content),
    title: typeof fields.title === 'string' ? fields.title : '',
    description: typeof fields.description === 'string' ? fields.description : '',
    saved: saved ?? true,
    published: published ?? false,
    authorId,
    tagNames: Array.isArray(tagNames) ? (tagNames as string[]) : [],
    domainIds,
  };
}

function createQuery(env: AlationEnv, call: IncomingCall, user: AlationUser): Reply {
  const rejected = bodyRejection(call);
  if (rejected) return rejected;
  const seed = validateCreate(env, call.fields ?? {}, user);
  if ('status' in seed) return seed;
  const query = addQuery(env, seed);
  return json(201, renderCreated(env, query), { location: `/integration/v1/query/${query.id}/` });
}

/** Browser flavour: session-authenticated, fields in the query string or form, then a redirect. */
function importQuery(env: AlationEnv, call: IncomingCall): Reply {
  const userId = browserUserOf(env, call.query);
  const user = userId === null ? undefined : env.state.users.get(userId);
  if (!user) return loginRedirect(call);
  const fields: Record<string, unknown> = { ...Object.fromEntries(call.query), ...call.fields };
  delete fields.author; // "author is omitted, and the currently logged-in user becomes the author"
  const seed = validateCreate(env, fields, user);
  if ('status' in seed) return seed;
  const query = addQuery(env, seed);
  return redirect(
    call.query.get('return_to') === 'catalog'
      ? `/query/${query.id}/`
      : `/compose/query/${query.id}/`,
  );
}

function queryFields(env: AlationEnv): FieldMap<Query> {
  const ds = (q: Query) => env.state.dataSources.get(q.datasourceId);
  const each = <T>(q: Query, pick: (s: Schedule) => T) => q.schedules.map(pick);
  return {
    id: { type: 'number', get: (q) => q.id },
    title: { type: 'string', get: (q) => q.title },
    description: { type: 'string', get: (q) => q.description },
    ts_last_saved: { type: 'date', get: (q) => q.tsLastSaved },
    autosave_content: { type: 'string', get: (q) => q.autosaveContent },
    content: { type: 'string', get: (q) => q.content },
    saved: { type: 'boolean', get: (q) => q.saved },
    published: { type: 'boolean', get: (q) => q.published },
    has_unsaved_changes: { type: 'boolean', get: (q) => q.autosaveContent !== q.content },
    datasource_id: { type: 'number', get: (q) => q.datasourceId },
    datasource_title: { type: 'string', get: (q) => ds(q)?.title ?? null },
    datasource_uri: { type: 'string', get: (q) => ds(q)?.uri ?? null },
    schedule_enabled: { type: 'boolean', get: (q) => each(q, (s) => s.enabled) },
    schedule_cron_expression: { type: 'string', get: (q) => each(q, (s) => s.cronExpression) },
    schedule_ts_last_attempt: { type: 'date', get: (q) => each(q, (s) => s.tsLastAttempt) },
    schedule_celery_task_name: { type: 'string', get: (q) => each(q, (s) => s.celeryTaskName) },
    schedule_username: { type: 'string', get: (q) => each(q, (s) => s.username) },
    schedule_user_is_active: { type: 'boolean', get: (q) => each(q, (s) => s.userIsActive) },
    schedule_db_uri: { type: 'string', get: (q) => each(q, (s) => s.dbUri) },
    schedule_db_ts_last_used: { type: 'date', get: (q) => each(q, (s) => s.dbTsLastUsed) },
  };
}

function listQueries(env: AlationEnv, call: IncomingCall, user: AlationUser): Reply {
  const visible = [...env.state.queries.values()].filter((q) => canSeeQuery(user, q));
  const spec = {
    fields: queryFields(env),
    orderings: {
      id: (q: Query) => q.id,
      title: (q: Query) => q.title,
      description: (q: Query) => q.description,
      last_saved_at: (q: Query) => q.tsLastSaved,
      autosave_content: (q: Query) => q.autosaveContent,
      content: (q: Query) => q.content,
      saved: (q: Query) => q.saved,
      published: (q: Query) => q.published,
    },
    defaultOrder: (q: Query) => q.id,
    unorderableFilter: (field: string) => field.startsWith('schedule_'),
  };
  return listReply(env, call, visible, spec, (q) => renderQuery(env, q));
}

/** The query in the path, or the 404/403 to answer instead. */
function visibleQuery(env: AlationEnv, user: AlationUser, id: string | undefined): Query | Reply {
  const query = env.state.queries.get(Number(id));
  if (!query) return notFound();
  return canSeeQuery(user, query) ? query : forbidden();
}

function latestResult(env: AlationEnv, query: Query): ExecutionResult | undefined {
  const candidates = [...env.state.results.values()].filter(
    (r) => r.queryId === query.id && !r.deleted && !r.expired,
  );
  const executedAt = (r: ExecutionResult) =>
    env.state.events.get(r.eventId)?.tsExecuted.getTime() ?? 0;
  return candidates.sort((a, b) => executedAt(b) - executedAt(a) || b.id - a.id)[0];
}

function latestResultReply(env: AlationEnv, user: AlationUser, id: string | undefined): Reply {
  const query = env.state.queries.get(Number(id));
  if (!query) return notFound();
  const result = canSeeQuery(user, query) ? latestResult(env, query) : undefined;
  const event = result && env.state.events.get(result.eventId);
  if (!result || !event) {
    return json(404, { detail: `Could not get latest query result ID for query ID ${query.id}` });
  }
  return json(200, {
    id: result.id,
    truncated: result.truncated,
    execution_event: {
      executed_at: pyDate(event.tsExecuted),
      canceled: event.canceled,
      execution_error: event.executionError,
      finished: event.finished,
      finished_at: event.finishedAt ? pyDate(event.finishedAt) : null,
      seconds_taken: event.elapsedSeconds,
    },
  });
}

function* chunks(whole: string, size = 64 * 1024): Generator<string> {
  for (let at = 0; at < whole.length; at += size) yield whole.slice(at, at + size);
}

function byteLength(csv: CsvSource): number {
  if (typeof csv === 'string') return Buffer.byteLength(csv);
  let total = 0;
  for (const chunk of csv() as Iterable<string | Uint8Array>) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  }
  return total;
}

/**
 * Streamed (chunked, no Content-Length) like Django's StreamingHttpResponse, or with a length
 * when `knobs.csvContentLength` is on.
 */
function resultCsv(env: AlationEnv, user: AlationUser, id: string | undefined): Reply {
  const result = env.state.results.get(Number(id));
  // Assumption: deleted or expired results are simply gone.
  if (!result || result.deleted || result.expired) return notFound();
  const query = env.state.queries.get(result.queryId);
  if (query && !canSeeQuery(user, query)) return forbidden();
  // Measuring a generated CSV replays it; once per result is enough, or every request would pay
  // a full pass before its headers (and benchmarks would measure the emulator).
  if (env.knobs.csvContentLength) result.csvBytes ??= byteLength(result.csv);
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv',
      'content-disposition': `attachment; filename="result_${result.id}.csv"`,
      ...(env.knobs.csvContentLength ? { 'content-length': String(result.csvBytes) } : {}),
    },
    body: typeof result.csv === 'string' ? chunks(result.csv) : result.csv(),
  };
}

export const queryRoutes: Route[] = [
  { method: 'POST', pattern: /^\/integration\/v1\/query\/$/, handle: authed('query', createQuery) },
  { method: 'GET', pattern: /^\/integration\/v1\/query\/$/, handle: authed('query', listQueries) },
  { method: 'GET', pattern: /^\/integration\/v1\/query\/import\/$/, handle: importQuery },
  { method: 'POST', pattern: /^\/integration\/v1\/query\/import\/$/, handle: importQuery },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/$/,
    handle: authed('query', (env, _call, user, [id]) => {
      const query = visibleQuery(env, user, id);
      return 'status' in query ? query : json(200, renderQuery(env, query));
    }),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/sql\/$/,
    handle: authed('query', (env, _call, user, [id]) => {
      const query = visibleQuery(env, user, id);
      return 'status' in query ? query : text(200, query.content);
    }),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/query\/(\d+)\/result\/latest\/$/,
    handle: authed('query', (env, _call, user, [id]) => latestResultReply(env, user, id)),
  },
  {
    method: 'GET',
    pattern: /^\/integration\/v1\/result\/(\d+)\/csv\/$/,
    handle: authed('query', (env, _call, user, [id]) => resultCsv(env, user, id)),
  },
];
