// The emulated Alation instance's data. Everything lives in one object created per emulator,
// so two emulators in one test process never share anything.

export interface AlationUser {
  id: number;
  username: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /** Alation's "global flag edit permission"; without it flags can't be changed at all. */
  canEditFlags: boolean;
}

export interface RefreshTokenRecord {
  id: number;
  token: string;
  userId: number;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
}

export interface AccessTokenRecord {
  token: string;
  userId: number;
  refreshTokenId: number | null;
  createdAt: Date;
  expiresAt: Date;
  revoked: boolean;
}

export interface OAuthClient {
  clientId: string;
  /** null for a public client (PKCE only, no secret). */
  clientSecret: string | null;
  redirectUris: string[];
}

export interface OAuthCode {
  code: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  expiresAt: Date;
  used: boolean;
}

export interface OAuthTokenRecord {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  userId: number;
  scope: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  revoked: boolean;
  /** The authorization code this chain of tokens grew from (revoked if the code is replayed). */
  sourceCode: string;
}

export interface DataSource {
  id: number;
  title: string;
  uri: string;
  ownerIds: number[];
  /** When set, table sync fails with 500 as if the database were unreachable. */
  connectionError: string | null;
  /** When false, the service account can't read any table's metadata (sync → 403). */
  serviceAccountCanRead: boolean;
}

export interface Schema {
  id: number;
  datasourceId: number;
  name: string;
  /** Excluded via Per-Object Settings: sync into it is refused with 400. */
  excluded: boolean;
}

export interface Table {
  id: number;
  datasourceId: number;
  schemaId: number;
  schemaName: string;
  name: string;
  title: string;
  description: string;
  isView: boolean;
  /** Present in the Alation catalog (a sync puts it there). */
  inCatalog: boolean;
  /** Present in the physical database (a sync of a missing table is a 404). */
  inSource: boolean;
  serviceAccountCanRead: boolean;
  customFields: unknown[];
  synonyms: string[] | null;
  dbComment: string | null;
  lastSyncedAt: Date | null;
}

/** Any other catalog object a flag can sit on (columns, articles, BI reports, …). */
export interface CatalogObject {
  otype: string;
  id: number;
  datasourceId: number | null;
}

export interface Domain {
  id: number;
  title: string;
  description: string;
}

export interface Tag {
  id: number;
  name: string;
  description: string;
  tsCreated: Date;
  tsUpdated: Date;
}

export interface Schedule {
  enabled: boolean;
  cronExpression: string;
  tsLastAttempt: Date | null;
  overdue: boolean;
  tsNextRun: Date | null;
  celeryQueue: string;
  celeryTaskName: string;
  username: string;
  userIsActive: boolean;
  dbUri: string;
  dbUsername: string;
  dbTsModified: Date | null;
  dbTsLastUsed: Date | null;
  latestSessionId: number | null;
}

export interface Query {
  id: number;
  datasourceId: number;
  title: string;
  description: string;
  content: string;
  autosaveContent: string;
  saved: boolean;
  published: boolean;
  /** null for queries that belong to nobody in particular (visible when published). */
  authorId: number | null;
  /** Who else may see it while unpublished (an emulator stand-in for Alation's sharing). */
  viewerIds: number[];
  tsLastSaved: Date;
  tagIds: number[];
  domainIds: number[];
  schedules: Schedule[];
}

export interface ExecutionSession {
  id: number;
  clientSessionId: string;
  queryId: number;
  tsStart: Date;
  sandboxId: string;
  isScheduled: boolean;
}

export interface ExecutionBatch {
  id: number;
  queryId: number;
  sessionId: number;
}

export interface ExecutionEvent {
  id: number;
  batchId: number;
  sessionId: number;
  queryId: number;
  datasourceId: number;
  indexInBatch: number;
  statementContent: string;
  tsExecuted: Date;
  finished: boolean;
  finishedAt: Date | null;
  elapsedSeconds: number | null;
  canceled: boolean;
  executionError: string | null;
  dbUsername: string;
  numResultRows: number | null;
  resultId: number | null;
}

export type ResultStorageStatus = 'IN_PROGRESS' | 'STORED_PART' | 'STORED_ALL' | 'STORED_PREVIEW';
export const RESULT_STORAGE_STATUSES: readonly ResultStorageStatus[] = [
  'IN_PROGRESS',
  'STORED_PART',
  'STORED_ALL',
  'STORED_PREVIEW',
];

/** A whole CSV, or a factory producing it in chunks (called once per download). */
export type CsvSource =
  | string
  | (() => Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>);

export interface DataSchemaColumn {
  name: string;
  type: string;
  norm_type: string;
  original_name: string;
}

export interface ExecutionResult {
  id: number;
  eventId: number;
  queryId: number;
  title: string;
  tsCreated: Date;
  tsExpiration: Date;
  rowCount: number;
  byteCount: number;
  truncated: boolean;
  expired: boolean;
  deleted: boolean;
  storageStatus: ResultStorageStatus;
  dataSchema: DataSchemaColumn[];
  csv: CsvSource;
  /** Byte length of `csv`, measured when first needed. */
  csvBytes?: number;
}

export interface ScheduledRun {
  sessionId: number | null;
  queryId: number | null;
  queryTitle: string | null;
  taskId: string;
  tsSentToBroker: Date;
  tsPrerun: Date | null;
  tsPostrun: Date | null;
}

export type FlagType = 'ENDORSEMENT' | 'WARNING' | 'DEPRECATION';
export const FLAG_TYPES: readonly FlagType[] = ['ENDORSEMENT', 'WARNING', 'DEPRECATION'];

export interface TrustFlag {
  id: number;
  flagType: FlagType;
  reason: string;
  subjectOtype: string;
  subjectId: number;
  userId: number;
  tsCreated: Date;
}

export type JobStatus = 'running' | 'successful' | 'failed';

export interface JobStep {
  status: JobStatus;
  msg?: string;
  /** An object is serialised to the JSON-string-inside-JSON the API returns. */
  result?: string | Record<string, unknown> | null;
}

export interface Job {
  id: number;
  name: string | null;
  steps: JobStep[];
  /** Index of the step the next GET answers with; the last step repeats forever. */
  cursor: number;
}

export type TokenEndpoint =
  | 'createAPIAccessToken'
  | 'validateRefreshToken'
  | 'validateAPIAccessToken'
  | 'revokeAPIAccessTokens';

/** Behaviour switches tests may flip at any time through `emu.knobs`. */
export interface AlationKnobs {
  /** What an expired access token gets on a data endpoint (real servers vary). */
  expiredTokenStatus: 401 | 403;
  /**
   * 'per-endpoint': each API family answers auth failures with the body its own page
   * documents. 'uniform': everything answers README's 403 {"code": "403000"} body.
   */
  authErrorStyle: 'per-endpoint' | 'uniform';
  /** These token endpoints answer 200 {"status": "failed", …} instead of working. */
  statusFailedOn: TokenEndpoint[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  oauthAccessTtlSeconds: number;
  oauthRefreshTtlSeconds: number;
  /** X-Next-Page carries an absolute URL instead of a path. */
  absoluteNextPage: boolean;
  /** The user "logged in" in the test's pretend browser (OAuth authorize, query import). */
  browserUserId: number | null;
  /** What GET /integration/v1/otype/ lists and flags accept. */
  otypes: string[];
  /**
   * Result CSVs carry Content-Length, as a plain (non-streaming) Django response would; off,
   * they stream chunked with no length. The docs do not say which Alation does.
   */
  csvContentLength: boolean;
}

export const DEFAULT_OTYPES = [
  'data',
  'schema',
  'table',
  'attribute',
  'query',
  'bi_server',
  'bi_folder',
  'bi_report',
  'bi_datasource',
  'article',
  'glossary_term',
  'user',
  'groupprofile',
  'docstore_folder',
  'docstore_document',
];

export function defaultKnobs(): AlationKnobs {
  return {
    expiredTokenStatus: 401,
    authErrorStyle: 'per-endpoint',
    statusFailedOn: [],
    accessTokenTtlSeconds: 24 * 3600,
    refreshTokenTtlSeconds: 60 * 24 * 3600,
    oauthAccessTtlSeconds: 3600,
    oauthRefreshTtlSeconds: 30 * 24 * 3600,
    absoluteNextPage: false,
    browserUserId: null,
    otypes: [...DEFAULT_OTYPES],
    csvContentLength: false,
  };
}

export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

export function createClock(start?: Date): Clock {
  let offset = start ? start.getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
  };
}

export function createState() {
  return {
    users: new Map<number, AlationUser>(),
    refreshTokens: new Map<string, RefreshTokenRecord>(),
    accessTokens: new Map<string, AccessTokenRecord>(),
    oauthClients: new Map<string, OAuthClient>(),
    oauthCodes: new Map<string, OAuthCode>(),
    oauthTokens: [] as OAuthTokenRecord[],
    dataSources: new Map<number, DataSource>(),
    schemas: new Map<number, Schema>(),
    tables: new Map<number, Table>(),
    catalogObjects: [] as CatalogObject[],
    domains: new Map<number, Domain>(),
    tags: new Map<number, Tag>(),
    queries: new Map<number, Query>(),
    sessions: new Map<number, ExecutionSession>(),
    batches: new Map<number, ExecutionBatch>(),
    events: new Map<number, ExecutionEvent>(),
    results: new Map<number, ExecutionResult>(),
    scheduledRuns: [] as ScheduledRun[],
    flags: new Map<number, TrustFlag>(),
    jobs: new Map<number, Job>(),
    /** Last id handed out per kind; seeding with an explicit id bumps it. */
    lastIds: new Map<string, number>(),
  };
}

export type AlationState = ReturnType<typeof createState>;

/** Next id for a kind, or the explicit one (which later automatic ids then skip past). */
export function nextId(state: AlationState, kind: string, explicit?: number): number {
  const last = state.lastIds.get(kind) ?? 0;
  const id = explicit ?? last + 1;
  state.lastIds.set(kind, Math.max(last, id));
  return id;
}

/** What every handler gets: the data, the switches and the (adjustable) time. */
export interface AlationEnv {
  state: AlationState;
  knobs: AlationKnobs;
  clock: Clock;
  /** Origin the server listens on, for absolute X-Next-Page URLs. */
  origin: string;
}
