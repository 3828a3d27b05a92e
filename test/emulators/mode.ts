// In-process emulator of the Mode API endpoints the bot uses (mode-query-runs.txt): list the
// query runs of a report run and get one, as HAL+JSON behind HTTP Basic auth, plus the CSV
// behind each query run's `result` link and "Get an account" for checking credentials.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type {
  FaultHandle,
  FaultSpec,
  IncomingCall,
  PathMatcher,
  RecordedRequest,
  Reply,
} from './faults.ts';
import { json, startHttpEmulator } from './faults.ts';

export type { FaultHandle, FaultSpec, PathMatcher, RecordedRequest } from './faults.ts';

/** Report-run states from the README; query runs use the same vocabulary. */
export type ModeRunState =
  | 'pending'
  | 'enqueued'
  | 'running_notebook'
  | 'running'
  | 'cancelled'
  | 'failed'
  | 'succeeded'
  | 'completed';

export type ModeCsvSource =
  | string
  | (() => Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>);

export interface ModeApiToken {
  token: string;
  secret: string;
  /** Workspaces the token may read; null = all of them. */
  workspaces: string[] | null;
}

/** A workspace account, as `GET /api/{account}` shows it. */
export interface ModeWorkspace {
  username: string;
  /** Display name. */
  name: string;
  id: number;
  token: string;
}

export interface ModeReport {
  workspace: string;
  token: string;
  name: string;
}

export interface ModeReportRun {
  workspace: string;
  reportToken: string;
  token: string;
  state: ModeRunState;
  createdAt: Date;
  completedAt: Date | null;
}

export interface ModeQueryRun {
  id: number;
  token: string;
  workspace: string;
  reportToken: string;
  runToken: string;
  state: ModeRunState;
  queryToken: string;
  queryName: string;
  queryCreatedAt: Date;
  rawSource: string;
  renderedSource: string;
  statementAnnotation: string;
  createdAt: Date;
  completedAt: Date | null;
  dataSourceId: number;
  dataSourceToken: string;
  limit: boolean;
  parameters: Record<string, unknown>;
  maxResultBytes: number;
  dbtMetricId: number | null;
  dbtMetricToken: string | null;
  helpUrl: string | null;
  errorCode: string | null;
  errorType: string | null;
  errorMessage: string | null;
  /** Mode user name of whoever ran it (the `executed_by` link). */
  executedBy: string;
  csv: ModeCsvSource;
}

export interface ModeKnobs {
  /** 'when-accepted': gzip the CSV if the client sends Accept-Encoding: gzip. */
  gzipCsv: 'off' | 'when-accepted' | 'always';
  /** Mode allows roughly 40 requests per 10 s per token; null = unlimited. */
  rateLimit: { max: number; windowMs: number } | null;
}

export interface ReportRunSeed {
  workspace: string;
  report: string;
  token?: string;
  state?: ModeRunState;
  createdAt?: Date;
  completedAt?: Date | null;
}

export type QueryRunSeed = { workspace: string; report: string; run: string } & Partial<
  Omit<ModeQueryRun, 'workspace' | 'reportToken' | 'runToken'>
>;

export interface ModeEmulatorOptions {
  knobs?: Partial<ModeKnobs>;
}

function createModeState() {
  return {
    tokens: new Map<string, ModeApiToken>(),
    workspaces: new Map<string, ModeWorkspace>(),
    reports: new Map<string, ModeReport>(),
    reportRuns: new Map<string, ModeReportRun>(),
    queryRuns: new Map<string, ModeQueryRun>(),
    /** Request times per API token, for the optional rate limit. */
    hits: new Map<string, number[]>(),
    lastQueryRunId: 0,
    lastWorkspaceId: 0,
  };
}

export type ModeState = ReturnType<typeof createModeState>;

export interface ModeEmulator {
  /** `http://127.0.0.1:<port>` – stands in for https://app.mode.com. */
  readonly url: string;
  /** `${url}/api`, the prefix the documented paths hang off. */
  readonly apiUrl: string;
  readonly state: ModeState;
  readonly knobs: ModeKnobs;
  /** `userId` of a recorded request is the API token it authenticated with. */
  readonly requests: RecordedRequest<string>[];
  requestsTo(method: string, path: PathMatcher): RecordedRequest<string>[];
  fault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
  addApiToken(seed?: Partial<ModeApiToken>): ModeApiToken & { authorization: string };
  /** Creates the workspace, or updates the given fields of an existing one. */
  addWorkspace(username: string, seed?: Partial<Omit<ModeWorkspace, 'username'>>): ModeWorkspace;
  addReport(seed: { workspace: string; token?: string; name?: string }): ModeReport;
  addReportRun(seed: ReportRunSeed): ModeReportRun;
  addQueryRun(seed: QueryRunSeed): ModeQueryRun;
  updateQueryRun(token: string, patch: Partial<ModeQueryRun>): ModeQueryRun;
}

const randomToken = () => randomBytes(6).toString('hex');
const key = (...parts: string[]) => parts.join('/');
const modeError = (
  status: number,
  id: string,
  message: string,
  headers: Record<string, string> = {},
) => json(status, { id, message }, headers);

export function basicAuth(token: string, secret: string): string {
  return `Basic ${Buffer.from(`${token}:${secret}`).toString('base64')}`;
}

function credentials(state: ModeState, call: IncomingCall): ModeApiToken | null {
  const encoded = call.headers.authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = state.tokens.get(decoded.slice(0, colon));
  return token && token.secret === decoded.slice(colon + 1) ? token : null;
}

function rateLimited(state: ModeState, knobs: ModeKnobs, token: string): Reply | null {
  if (!knobs.rateLimit) return null;
  const { max, windowMs } = knobs.rateLimit;
  const now = Date.now();
  const recent = (state.hits.get(token) ?? []).filter((t) => t > now - windowMs);
  state.hits.set(token, recent);
  if (recent.length < max) {
    recent.push(now);
    return null;
  }
  const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? now) + windowMs - now) / 1000));
  return modeError(429, 'too_many_requests', 'Rate limit exceeded', {
    'retry-after': String(retryAfter),
  });
}

const link = (href: string) => ({ href, templated: false });

function queryRunPaths(qr: ModeQueryRun) {
  const report = `${qr.workspace}/reports/${qr.reportToken}`;
  const run = `${report}/runs/${qr.runToken}`;
  return { report, run, self: `${run}/query_runs/${qr.token}` };
}

function renderQueryRun(qr: ModeQueryRun) {
  const p = queryRunPaths(qr);
  return {
    id: qr.id,
    token: qr.token,
    raw_source: qr.rawSource,
    statement_annotation: qr.statementAnnotation,
    state: qr.state,
    created_at: qr.createdAt.toISOString(),
    completed_at: qr.completedAt ? qr.completedAt.toISOString() : null,
    data_source_id: qr.dataSourceId,
    data_source_token: qr.dataSourceToken,
    limit: qr.limit,
    query_token: qr.queryToken,
    query_name: qr.queryName,
    query_created_at: qr.queryCreatedAt.toISOString(),
    dbt_metric_id: qr.dbtMetricId,
    dbt_metric_token: qr.dbtMetricToken,
    parameters: qr.parameters,
    rendered_source: qr.renderedSource,
    max_result_bytes: qr.maxResultBytes,
    help_url: qr.helpUrl,
    error_code: qr.errorCode,
    error_type: qr.errorType,
    error_message: qr.errorMessage,
    _links: {
      self: link(`/api/${p.self}`),
      query: link(`/api/${p.report}/queries/${qr.queryToken}`),
      result: link(`/api/${p.self}/results/content.csv`),
      result_web: link(`/${p.self}/results`),
      query_web: link(`/${p.report}/queries/${qr.queryToken}`),
      report_run: link(`/api/${p.run}`),
      report_run_web: link(`/${p.run}`),
      executed_by: link(`/api/${qr.executedBy}`),
      view: link(`/${p.self}`),
    },
    _embedded: {},
  };
}

const hal = (value: unknown): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/hal+json' },
  body: JSON.stringify(value),
});

function csvReply(knobs: ModeKnobs, call: IncomingCall, qr: ModeQueryRun): Reply {
  if (qr.state !== 'succeeded' && qr.state !== 'completed') {
    // Assumption: an unfinished or failed run has no result to download yet.
    return modeError(404, 'not_found', 'Result not found');
  }
  const source = Readable.from(typeof qr.csv === 'string' ? [qr.csv] : qr.csv());
  const acceptsGzip = /\bgzip\b/.test(String(call.headers['accept-encoding'] ?? ''));
  const gzip = knobs.gzipCsv === 'always' || (knobs.gzipCsv === 'when-accepted' && acceptsGzip);
  const headers: Record<string, string> = { 'content-type': 'text/csv; charset=utf-8' };
  if (!gzip) return { status: 200, headers, body: source };
  return {
    status: 200,
    headers: { ...headers, 'content-encoding': 'gzip' },
    body: source.pipe(createGzip()),
  };
}

// Assumption beyond the contract docs (which only name `{account}` in paths): "Get an account"
// answers a HAL body with id, token, username, name and self/web links, as Mode's public API
// reference shows it. Only seeded workspaces exist; user accounts are not emulated.
function renderWorkspace(ws: ModeWorkspace) {
  return {
    id: ws.id,
    token: ws.token,
    username: ws.username,
    name: ws.name,
    user: false,
    _links: {
      self: link(`/api/${ws.username}`),
      web: link(`/${ws.username}`),
      spaces: link(`/api/${ws.username}/spaces`),
    },
    _embedded: {},
  };
}

const ACCOUNT_PATH = /^\/api\/([^/]+)\/?$/;

/**
 * Mode's "List report runs" (mode.com developer reference, report-runs#listReportRuns; not among
 * the contract pages): `filter={created_at|updated_at}.{gt|lt}.<ISO>`, `order`, `order_by`.
 */
const REPORT_RUNS_PATH = /^\/api\/([^/]+)\/reports\/([^/]+)\/runs\/?$/;

const RUN_PATH =
  /^\/api\/([^/]+)\/reports\/([^/]+)\/runs\/([^/]+)\/query_runs(?:\/([^/]+))?(\/results\/content\.csv)?\/?$/;

function route(state: ModeState, knobs: ModeKnobs, call: IncomingCall): Reply {
  const token = credentials(state, call);
  if (!token) {
    // Assumption: Mode's error envelope ({id, message}) with a Basic challenge.
    return modeError(401, 'unauthorized', 'Unauthorized', {
      'www-authenticate': 'Basic realm="Mode API"',
    });
  }
  const limited = rateLimited(state, knobs, token.token);
  if (limited) return limited;
  const canSee = (workspace: string) =>
    token.workspaces === null || token.workspaces.includes(workspace);
  const account = call.method === 'GET' ? call.path.match(ACCOUNT_PATH)?.[1] : undefined;
  if (account !== undefined) {
    const ws = state.workspaces.get(account);
    return ws && canSee(account)
      ? hal(renderWorkspace(ws))
      : modeError(404, 'not_found', 'Account not found');
  }
  const reportRuns = call.method === 'GET' ? call.path.match(REPORT_RUNS_PATH) : null;
  if (reportRuns) {
    const [, workspace = '', report = ''] = reportRuns;
    if (!canSee(workspace) || !state.reports.has(key(workspace, report))) {
      return modeError(404, 'not_found', 'Report not found');
    }
    return listReportRuns(state, workspace, report, call.query);
  }
  const match = call.method === 'GET' ? call.path.match(RUN_PATH) : null;
  if (!match) return modeError(404, 'not_found', 'Not found');
  const [, workspace = '', report = '', run = '', queryRunToken, csv] = match;
  if (!canSee(workspace) || !state.reportRuns.has(key(workspace, report, run))) {
    return modeError(404, 'not_found', 'ReportRun not found');
  }
  if (queryRunToken === undefined) {
    if (csv) return modeError(404, 'not_found', 'Not found');
    const runs = [...state.queryRuns.values()].filter(
      (qr) => qr.workspace === workspace && qr.reportToken === report && qr.runToken === run,
    );
    const base = `/api/${workspace}/reports/${report}/runs/${run}`;
    return hal({
      _links: { self: link(`${base}/query_runs`), report_run: link(base) },
      _embedded: { query_runs: runs.map(renderQueryRun) },
    });
  }
  const qr = state.queryRuns.get(key(workspace, report, run, queryRunToken));
  if (!qr) return modeError(404, 'not_found', 'QueryRun not found');
  return csv ? csvReply(knobs, call, qr) : hal(renderQueryRun(qr));
}

function renderReportRun(run: ModeReportRun) {
  const base = `${run.workspace}/reports/${run.reportToken}/runs/${run.token}`;
  return {
    token: run.token,
    state: run.state,
    created_at: run.createdAt.toISOString(),
    updated_at: (run.completedAt ?? run.createdAt).toISOString(),
    completed_at: run.completedAt ? run.completedAt.toISOString() : null,
    _links: {
      self: link(`/api/${base}`),
      report: link(`/api/${run.workspace}/reports/${run.reportToken}`),
      query_runs: link(`/api/${base}/query_runs`),
      web: link(`/${base}`),
    },
  };
}

function listReportRuns(
  state: ModeState,
  workspace: string,
  report: string,
  query: URLSearchParams,
): Reply {
  let runs = [...state.reportRuns.values()].filter(
    (r) => r.workspace === workspace && r.reportToken === report,
  );
  const filter = query.get('filter');
  if (filter) {
    const parsed = /^(created_at|updated_at)\.(gt|lt)\.(.+)$/.exec(filter);
    const at = parsed ? new Date(parsed[3] ?? '') : undefined;
    if (!parsed || !at || Number.isNaN(at.getTime())) {
      return modeError(400, 'bad_request', 'Invalid filter');
    }
    const field = parsed[1];
    const timeOf = (r: ModeReportRun) =>
      (field === 'created_at' ? r.createdAt : (r.completedAt ?? r.createdAt)).getTime();
    runs = runs.filter((r) =>
      parsed[2] === 'gt' ? timeOf(r) > at.getTime() : timeOf(r) < at.getTime(),
    );
  }
  const by = query.get('order_by') === 'updated_at' ? 'updated_at' : 'created_at';
  const sign = query.get('order') === 'asc' ? 1 : -1;
  const time = (r: ModeReportRun) =>
    (by === 'created_at' ? r.createdAt : (r.completedAt ?? r.createdAt)).getTime();
  runs.sort((a, b) => sign * (time(a) - time(b)));
  const base = `/api/${workspace}/reports/${report}`;
  return hal({
    _links: { self: link(`${base}/runs`), report: link(base) },
    _embedded: { report_runs: runs.map(renderReportRun) },
  });
}

function identify(state: ModeState, call: IncomingCall): string | null {
  return credentials(state, call)?.token ?? null;
}

function ensureWorkspace(
  state: ModeState,
  username: string,
  seed: Partial<Omit<ModeWorkspace, 'username'>> = {},
): ModeWorkspace {
  const given = Object.fromEntries(
    Object.entries(seed).filter(([, value]) => value !== undefined),
  ) as typeof seed;
  const existing = state.workspaces.get(username);
  if (existing) return Object.assign(existing, given);
  state.lastWorkspaceId = Math.max(state.lastWorkspaceId, given.id ?? state.lastWorkspaceId + 1);
  const ws: ModeWorkspace = {
    id: state.lastWorkspaceId,
    token: randomToken(),
    // Default display name: the username, so tests that don't care still get a name.
    name: username,
    ...given,
    username,
  };
  state.workspaces.set(username, ws);
  return ws;
}

function ensureReportRun(state: ModeState, seed: ReportRunSeed): ModeReportRun {
  ensureWorkspace(state, seed.workspace);
  const reportKey = key(seed.workspace, seed.report);
  if (!state.reports.has(reportKey)) {
    state.reports.set(reportKey, {
      workspace: seed.workspace,
      token: seed.report,
      name: `Report ${seed.report}`,
    });
  }
  const token = seed.token ?? randomToken();
  const existing = state.reportRuns.get(key(reportKey, token));
  if (existing) return existing;
  const runState = seed.state ?? 'succeeded';
  const run: ModeReportRun = {
    workspace: seed.workspace,
    reportToken: seed.report,
    token,
    state: runState,
    createdAt: seed.createdAt ?? new Date(),
    completedAt:
      seed.completedAt !== undefined
        ? seed.completedAt
        : runState === 'succeeded'
          ? new Date()
          : null,
  };
  state.reportRuns.set(key(reportKey, token), run);
  return run;
}

function buildQueryRun(state: ModeState, seed: QueryRunSeed): ModeQueryRun {
  const { workspace, report, run, ...given } = seed;
  // An explicit `undefined` in the seed means "use the default", not "store undefined".
  const rest = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as typeof given;
  const runState = rest.state ?? 'succeeded';
  const done = runState === 'succeeded' || runState === 'completed' || runState === 'failed';
  const source = rest.rawSource ?? 'SELECT 1';
  state.lastQueryRunId = Math.max(state.lastQueryRunId, rest.id ?? state.lastQueryRunId + 1);
  return {
    id: rest.id ?? state.lastQueryRunId,
    token: randomToken(),
    queryToken: randomToken(),
    queryName: 'Query 1',
    queryCreatedAt: new Date(),
    renderedSource: source,
    statementAnnotation: '',
    createdAt: new Date(),
    completedAt: done ? new Date() : null,
    dataSourceId: 1,
    dataSourceToken: 'ds0token',
    limit: false,
    parameters: {},
    maxResultBytes: 10_000_000,
    dbtMetricId: null,
    dbtMetricToken: null,
    helpUrl: null,
    errorCode: null,
    errorType: null,
    errorMessage: null,
    executedBy: 'mode_user',
    csv: '',
    ...rest,
    rawSource: source,
    state: runState,
    workspace,
    reportToken: report,
    runToken: run,
  };
}

export async function startModeEmulator(opts: ModeEmulatorOptions = {}): Promise<ModeEmulator> {
  const defaults = (): ModeKnobs => ({ gzipCsv: 'off', rateLimit: null, ...opts.knobs });
  const knobs = defaults();
  let state = createModeState();
  const http = await startHttpEmulator<string>({
    handle: (call) => route(state, knobs, call),
    identify: (call) => identify(state, call),
  });

  return {
    url: http.url,
    apiUrl: `${http.url}/api`,
    get state() {
      return state;
    },
    knobs,
    requests: http.requests,
    requestsTo: http.requestsTo,
    fault: http.fault,
    clearFaults: http.clearFaults,
    reset() {
      state = createModeState();
      Object.assign(knobs, defaults());
      http.clearRequests();
      http.clearFaults();
    },
    close: http.close,
    addApiToken(seed = {}) {
      const token: ModeApiToken = {
        token: seed.token ?? randomToken(),
        secret: seed.secret ?? randomBytes(16).toString('hex'),
        workspaces: seed.workspaces ?? null,
      };
      state.tokens.set(token.token, token);
      return { ...token, authorization: basicAuth(token.token, token.secret) };
    },
    addWorkspace: (username, seed) => ensureWorkspace(state, username, seed),
    addReport(seed) {
      ensureWorkspace(state, seed.workspace);
      const report = {
        workspace: seed.workspace,
        token: seed.token ?? randomToken(),
        name: seed.name ?? 'Report',
      };
      state.reports.set(key(report.workspace, report.token), report);
      return report;
    },
    addReportRun: (seed) => ensureReportRun(state, seed),
    addQueryRun(seed) {
      ensureReportRun(state, { workspace: seed.workspace, report: seed.report, token: seed.run });
      const qr = buildQueryRun(state, seed);
      state.queryRuns.set(key(qr.workspace, qr.reportToken, qr.runToken, qr.token), qr);
      return qr;
    },
    updateQueryRun(token, patch) {
      const qr = [...state.queryRuns.values()].find((q) => q.token === token);
      if (!qr) throw new Error(`emulator: no Mode query run ${token}`);
      return Object.assign(qr, patch);
    },
  };
}
