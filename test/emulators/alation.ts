// In-process emulator of the Alation REST API, built from the vendor pages in
// /work/shared/api. Concerns live in ./alation/*.ts; this file wires them into one server
// and one test-facing object.
import type { SeededUser, UserSeed } from './alation/auth.ts';
import {
  addUser,
  authRoutes,
  expireAccessToken,
  expireRefreshToken,
  identifyUserId,
  mintAccessToken,
  revokeRefreshToken,
} from './alation/auth.ts';
import type { DataSourceSeed, SchemaSeed, TableSeed } from './alation/catalog.ts';
import {
  addCatalogObject,
  addDataSource,
  addDomain,
  addSchema,
  addTable,
} from './alation/catalog.ts';
import type { ExecutionSeed, ResultSeed, SeededExecution } from './alation/executions.ts';
import { addExecutionEvent, addResult, executionRoutes } from './alation/executions.ts';
import type { FlagSeed } from './alation/flags.ts';
import { addFlag, flagRoutes } from './alation/flags.ts';
import type { JobSeed } from './alation/jobs.ts';
import { addJob, jobRoutes, setJob } from './alation/jobs.ts';
import type { OAuthClientSeed } from './alation/oauth.ts';
import {
  addOAuthClient,
  expireOAuthAccessToken,
  expireOAuthRefreshToken,
  oauthRoutes,
} from './alation/oauth.ts';
import type { QuerySeed } from './alation/queries.ts';
import { addQuery, queryRoutes } from './alation/queries.ts';
import type { ScheduledRunSeed } from './alation/scheduled-runs.ts';
import { addScheduledRun, scheduledRunRoutes } from './alation/scheduled-runs.ts';
import type {
  AlationEnv,
  AlationKnobs,
  AlationState,
  CatalogObject,
  Clock,
  DataSource,
  Domain,
  Job,
  JobStep,
  OAuthClient,
  Query,
  ScheduledRun,
  Schema,
  Table,
  TrustFlag,
} from './alation/state.ts';
import { createClock, createState, defaultKnobs } from './alation/state.ts';
import { syncRoutes } from './alation/sync.ts';
import type { Route } from './alation/wire.ts';
import { djangoNotFoundPage, methodNotAllowed } from './alation/wire.ts';
import type {
  FaultHandle,
  FaultSpec,
  IncomingCall,
  PathMatcher,
  RecordedRequest,
  Reply,
} from './faults.ts';
import { redirect, startHttpEmulator } from './faults.ts';

export type { SeededUser, UserSeed } from './alation/auth.ts';
export type { DataSourceSeed, SchemaSeed, TableSeed } from './alation/catalog.ts';
export type { ExecutionSeed, ResultSeed, SeededExecution } from './alation/executions.ts';
export type { FlagSeed } from './alation/flags.ts';
export type { JobSeed } from './alation/jobs.ts';
export { jobFailed, jobRunning, jobSucceeded } from './alation/jobs.ts';
export type { OAuthClientSeed } from './alation/oauth.ts';
export type { QuerySeed } from './alation/queries.ts';
export type { ScheduledRunSeed } from './alation/scheduled-runs.ts';
export type * from './alation/state.ts';
export type { FaultHandle, FaultSpec, PathMatcher, RecordedRequest } from './faults.ts';

export interface AlationEmulatorOptions {
  knobs?: Partial<AlationKnobs>;
  /** Start the emulator's clock here instead of at the real time. */
  now?: Date;
}

export interface AlationEmulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Live data, for assertions (replaced wholesale by reset()). */
  readonly state: AlationState;
  /** Behaviour switches; assign to them at any time. */
  readonly knobs: AlationKnobs;
  readonly clock: Clock;
  readonly requests: RecordedRequest<number>[];
  requestsTo(method: string, path: PathMatcher): RecordedRequest<number>[];
  fault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  /** Forget all data, recordings and faults; knobs go back to the start options. */
  reset(): void;
  close(): Promise<void>;
  advanceTime(ms: number): void;

  addUser(seed?: UserSeed): SeededUser;
  mintAccessToken(userId: number, opts?: { expiresAt?: Date }): string;
  expireAccessToken(token: string): void;
  expireRefreshToken(userId: number): void;
  revokeRefreshToken(userId: number): void;
  addOAuthClient(seed: OAuthClientSeed): OAuthClient;
  expireOAuthAccessToken(accessToken: string): void;
  expireOAuthRefreshToken(refreshToken: string): void;
  setBrowserUser(userId: number | null): void;

  addDataSource(seed?: DataSourceSeed): DataSource;
  addSchema(seed: SchemaSeed): Schema;
  addTable(seed: TableSeed): Table;
  addCatalogObject(object: CatalogObject): CatalogObject;
  addDomain(seed: { id?: number; title: string; description?: string }): Domain;
  addQuery(seed: QuerySeed): Query;
  addResult(queryId: number, seed?: ResultSeed): SeededExecution & { resultId: number };
  addExecutionEvent(queryId: number, seed?: ExecutionSeed): SeededExecution;
  addScheduledRun(seed?: ScheduledRunSeed): ScheduledRun;
  addFlag(seed: FlagSeed): TrustFlag;
  addJob(seed: JobSeed): Job;
  setJob(idOrName: number | string, states: JobStep[]): Job;
}

const ROUTES: Route[] = [
  ...authRoutes,
  ...oauthRoutes,
  ...queryRoutes,
  ...executionRoutes,
  ...scheduledRunRoutes,
  ...flagRoutes,
  ...syncRoutes,
  ...jobRoutes,
];

function dispatch(env: AlationEnv, call: IncomingCall): Reply | Promise<Reply> {
  const candidates = ROUTES.filter((r) => r.pattern.test(call.path));
  if (candidates.length === 0) {
    // Django's APPEND_SLASH: a missing trailing slash is answered with a 301 to the slashed
    // URL. fetch follows it – turning a POST into a GET – which is how the real bug shows up.
    const slashed = `${call.path}/`;
    if (!call.path.endsWith('/') && ROUTES.some((r) => r.pattern.test(slashed))) {
      return redirect(`${slashed}${call.query.size > 0 ? `?${call.query}` : ''}`, 301);
    }
    return djangoNotFoundPage(call.path);
  }
  const route = candidates.find((r) => r.method === call.method);
  if (!route) return methodNotAllowed(call.method, [...new Set(candidates.map((r) => r.method))]);
  return route.handle(env, call, call.path.match(route.pattern)?.slice(1) ?? []);
}

export async function startAlationEmulator(
  opts: AlationEmulatorOptions = {},
): Promise<AlationEmulator> {
  const env: AlationEnv = {
    state: createState(),
    knobs: { ...defaultKnobs(), ...structuredClone(opts.knobs) },
    clock: createClock(opts.now),
    origin: '',
  };
  const http = await startHttpEmulator<number>({
    handle: (call) => dispatch(env, call),
    identify: (call) => identifyUserId(env, call),
  });
  env.origin = http.url;

  return {
    url: http.url,
    get state() {
      return env.state;
    },
    knobs: env.knobs,
    clock: env.clock,
    requests: http.requests,
    requestsTo: http.requestsTo,
    fault: http.fault,
    clearFaults: http.clearFaults,
    reset() {
      env.state = createState();
      Object.assign(env.knobs, defaultKnobs(), structuredClone(opts.knobs));
      http.clearRequests();
      http.clearFaults();
    },
    close: http.close,
    advanceTime: (ms) => env.clock.advance(ms),

    addUser: (seed) => addUser(env, seed),
    mintAccessToken: (userId, o) => mintAccessToken(env, userId, o),
    expireAccessToken: (token) => expireAccessToken(env, token),
    expireRefreshToken: (userId) => expireRefreshToken(env, userId),
    revokeRefreshToken: (userId) => revokeRefreshToken(env, userId),
    addOAuthClient: (seed) => addOAuthClient(env, seed),
    expireOAuthAccessToken: (token) => expireOAuthAccessToken(env, token),
    expireOAuthRefreshToken: (token) => expireOAuthRefreshToken(env, token),
    setBrowserUser: (userId) => {
      env.knobs.browserUserId = userId;
    },

    addDataSource: (seed) => addDataSource(env, seed),
    addSchema: (seed) => addSchema(env, seed),
    addTable: (seed) => addTable(env, seed),
    addCatalogObject: (object) => addCatalogObject(env, object),
    addDomain: (seed) => addDomain(env, seed),
    addQuery: (seed) => addQuery(env, seed),
    addResult: (queryId, seed) => addResult(env, queryId, seed),
    addExecutionEvent: (queryId, seed) => addExecutionEvent(env, queryId, seed),
    addScheduledRun: (seed) => addScheduledRun(env, seed),
    addFlag: (seed) => addFlag(env, seed),
    addJob: (seed) => addJob(env, seed),
    setJob: (idOrName, states) => setJob(env, idOrName, states),
  };
}
