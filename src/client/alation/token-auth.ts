// Sending the user's access token, and the single refresh-and-retry when Alation rejects it.
// Alation is inconsistent about how it says "your token is no good": 401 with code 401000,
// 403 with code 403000, or per-endpoint 403 bodies ("Invalid API token.", "Authentication
// failed"). A genuine permission refusal is also a 403, and refreshing cannot fix that one.
import { UnauthorizedError, UpstreamError } from '../errors.ts';

/** Where a user's short-lived access token comes from; implemented by the caller. */
export interface AccessTokenSource {
  current(): Promise<string>;
  /**
   * Called once when `rejected` was refused. Should mint a new token (or return one another
   * caller minted meanwhile) and remember it, so `current()` answers with it from now on.
   */
  refresh(rejected: string): Promise<string>;
  /** 'token' (default): API access token in the TOKEN header. 'bearer': an OAuth access token. */
  readonly scheme?: 'token' | 'bearer';
}

export type AuthVerdict = 'auth' | 'permission' | 'unsure' | 'other';

/** Alation's documented codes for an invalid/expired token (README, Allie-SDK). */
const AUTH_CODES = new Set(['401000', '403000']);
/**
 * Every documented token-failure body: "Missing API token.", "Invalid API token.",
 * "Authentication failed", "Authentication credentials were not provided.",
 * "API Access Token provided is invalid.".
 */
const AUTH_DETAIL = /\btoken\b|authenticat/i;
/** DRF's "You do not have permission to perform this action." and table sync's reasons. */
const PERMISSION_DETAIL = /permission|not an admin|not allowed/i;

export function authVerdict(error: unknown): AuthVerdict {
  if (!(error instanceof UpstreamError)) return 'other';
  if (error.status === 401) return 'auth';
  if (error.status !== 403) return 'other';
  if (error.code !== null && AUTH_CODES.has(error.code)) return 'auth';
  const detail = error.detail ?? '';
  if (AUTH_DETAIL.test(detail)) return 'auth';
  if (PERMISSION_DETAIL.test(detail)) return 'permission';
  return 'unsure';
}

function asUnauthorized(error: UpstreamError): UpstreamError {
  if (error instanceof UnauthorizedError) return error;
  return new UnauthorizedError({
    service: error.service,
    method: error.method,
    path: error.path,
    status: error.status,
    detail: error.detail,
    code: error.code,
    cause: error,
  });
}

export type CredentialHeaders = Record<string, string>;

/** Runs `call` with the user's credentials; see the file comment for the retry rule. */
export type WithToken = <T>(call: (headers: CredentialHeaders) => Promise<T>) => Promise<T>;

export function withAccessToken(source: AccessTokenSource): WithToken {
  const headersFor = (token: string): CredentialHeaders =>
    source.scheme === 'bearer' ? { authorization: `Bearer ${token}` } : { TOKEN: token };

  return async (call) => {
    const token = await source.current();
    try {
      return await call(headersFor(token));
    } catch (first) {
      const verdict = authVerdict(first);
      if (verdict !== 'auth' && verdict !== 'unsure') throw first;
      const fresh = await source.refresh(token);
      try {
        return await call(headersFor(fresh));
      } catch (second) {
        // A token minted a moment ago being refused again means the grant itself is gone; an
        // unclear 403 twice in a row is taken at its word, as a permission refusal.
        if (authVerdict(second) === 'auth' && second instanceof UpstreamError) {
          throw asUnauthorized(second);
        }
        throw second;
      }
    }
  };
}
