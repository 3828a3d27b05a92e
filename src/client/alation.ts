// The Alation API as the bot uses it, acting as one user. Endpoint groups live in ./alation/;
// this file wires them to an Http and the user's credentials.
import type { Dispatcher } from 'undici';
import type { Logger } from '../log.ts';
import { type ExecutionEndpoints, executionEndpoints } from './alation/executions.ts';
import { type FlagEndpoints, flagEndpoints } from './alation/flags.ts';
import { type JobEndpoints, jobEndpoints } from './alation/jobs.ts';
import { type OAuthClientConfig, type OAuthEndpoints, oauthEndpoints } from './alation/oauth.ts';
import { type QueryEndpoints, queryEndpoints } from './alation/queries.ts';
import { type TableEndpoints, tableEndpoints } from './alation/sync.ts';
import { type AccessTokenSource, withAccessToken } from './alation/token-auth.ts';
import { type TokenEndpoints, tokenEndpoints } from './alation/tokens.ts';
import { createHttp, type Http, type HttpTimeouts, type RetryPolicy } from './http.ts';

export type {
  ExecutionBatch,
  ExecutionEvent,
  ExecutionResult,
  ExecutionSession,
  ScheduledRun,
} from './alation/execution-schemas.ts';
export type { QueryScope } from './alation/executions.ts';
export type {
  AddFlagBody,
  FlagListRequest,
  FlagSubject,
  FlagType,
  TrustFlag,
} from './alation/flags.ts';
export { FLAG_TYPES } from './alation/flags.ts';
export type { JobResult, JobState, JobStatus } from './alation/jobs.ts';
export type { FilterValue, ListOptions, ListRequest } from './alation/list.ts';
export type { OAuthClientConfig, OAuthTokens, Pkce } from './alation/oauth.ts';
export { createPkce } from './alation/oauth.ts';
export type {
  CreatedQuery,
  CreateQueryBody,
  LatestResult,
  Query,
} from './alation/query-schemas.ts';
export type { SyncedTable, SyncTableBody } from './alation/sync.ts';
export type { AccessTokenSource, AuthVerdict } from './alation/token-auth.ts';
export { authVerdict } from './alation/token-auth.ts';
export { createRefreshTokenSource } from './alation/token-source.ts';
export type {
  ApiAccessToken,
  RefreshTokenCredentials,
  RefreshTokenInfo,
} from './alation/tokens.ts';

/** Either a ready Http (shared, tests) or what it takes to build one. */
export type AlationConnection =
  | { http: Http }
  | {
      baseUrl: string;
      dispatcher?: Dispatcher;
      log?: Logger;
      timeouts?: Partial<HttpTimeouts>;
      retry?: Partial<RetryPolicy>;
    };

function httpOf(connection: AlationConnection): Http {
  if ('http' in connection) return connection.http;
  return createHttp({ ...connection, service: 'Alation' });
}

export interface AlationClient {
  readonly queries: QueryEndpoints;
  readonly executions: ExecutionEndpoints;
  readonly flags: FlagEndpoints;
  readonly tables: TableEndpoints;
  readonly jobs: JobEndpoints;
}

/**
 * Data calls as the user behind `credentials`: every request carries their access token, and
 * a token Alation rejects is refreshed once and the call retried once (see token-auth.ts).
 */
export function createAlationClient(
  options: AlationConnection & { credentials: AccessTokenSource },
): AlationClient {
  const http = httpOf(options);
  const withToken = withAccessToken(options.credentials);
  return {
    queries: queryEndpoints(http, withToken),
    executions: executionEndpoints(http, withToken),
    flags: flagEndpoints(http, withToken),
    tables: tableEndpoints(http, withToken),
    jobs: jobEndpoints(http, withToken),
  };
}

export interface AlationAuth extends TokenEndpoints {
  /** Present when an OAuth client was configured. */
  readonly oauth: OAuthEndpoints | null;
}

/** Token endpoints, which authenticate with the refresh token (or OAuth client) instead. */
export function createAlationAuth(
  options: AlationConnection & { oauth?: OAuthClientConfig },
): AlationAuth {
  const http = httpOf(options);
  return {
    ...tokenEndpoints(http),
    oauth: options.oauth ? oauthEndpoints(http, options.oauth) : null,
  };
}
