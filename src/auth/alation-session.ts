import type { AccessTokenSource, AlationAuth } from '../client/alation.ts';
import { BadResponseError, NotConnectedError, UnauthorizedError } from '../client/errors.ts';
import type { CredentialStore, Owner, ReconnectReason } from '../store/credentials.ts';

/** What is sealed in the store for an Alation connection. Never logged, never shown. */
export type AlationSecret =
  | {
      method: 'refresh_token';
      alationUserId: number;
      refreshToken: string;
      accessToken?: string | null;
      accessTokenExpiresAt?: string | null;
    }
  | {
      method: 'oauth';
      refreshToken: string | null;
      accessToken: string;
      accessTokenExpiresAt: string | null;
    };

/** Renew a cached access token this long before Alation says it expires. */
const EARLY_RENEWAL_MS = 5 * 60_000;

export interface SessionDeps {
  store: CredentialStore;
  auth: AlationAuth;
  now?: () => Date;
}

/**
 * Access tokens for one user, kept sealed in the store (so replicas and restarts share them),
 * minted from the refresh token when missing or about to expire, and re-minted once when
 * Alation rejects one. A refresh token Alation refuses marks the credential "reconnect".
 */
export function alationSession(
  deps: SessionDeps,
  owner: Owner,
): AccessTokenSource & {
  scheme: 'token' | 'bearer';
} {
  const now = deps.now ?? (() => new Date());
  let minting: Promise<string> | undefined;
  let scheme: 'token' | 'bearer' = 'token';

  const load = async (): Promise<AlationSecret> => {
    const loaded = await deps.store.load<AlationSecret>(owner, 'alation');
    if (loaded.state === 'missing') throw new NotConnectedError('alation');
    if (loaded.state === 'reconnect') throw new NotConnectedError('alation', loaded.reason);
    scheme = loaded.secret.method === 'oauth' ? 'bearer' : 'token';
    return loaded.secret;
  };

  const fresh = (secret: AlationSecret) =>
    secret.accessToken &&
    (!secret.accessTokenExpiresAt ||
      new Date(secret.accessTokenExpiresAt).getTime() - EARLY_RENEWAL_MS > now().getTime());

  const mint = (secret: AlationSecret): Promise<string> => {
    // Concurrent calls for the same user share one mint.
    minting ??= (async () => {
      try {
        const renewed = await renew(deps, secret, now);
        await deps.store.updateSecret(owner, 'alation', renewed);
        return renewed.accessToken ?? '';
      } catch (error) {
        const reason = deadGrant(error);
        if (reason) {
          await deps.store.markReconnect(owner, 'alation', reason);
          throw new NotConnectedError('alation', reason);
        }
        throw error;
      } finally {
        minting = undefined;
      }
    })();
    return minting;
  };

  return {
    get scheme() {
      return scheme;
    },
    async current() {
      const secret = await load();
      return fresh(secret) ? (secret.accessToken ?? '') : mint(secret);
    },
    async refresh(rejected) {
      const secret = await load();
      // Another request (or replica) already replaced the rejected token.
      if (secret.accessToken && secret.accessToken !== rejected && fresh(secret)) {
        return secret.accessToken;
      }
      return mint(secret);
    },
  };
}

async function renew(
  deps: SessionDeps,
  secret: AlationSecret,
  now: () => Date,
): Promise<AlationSecret> {
  if (secret.method === 'refresh_token') {
    const minted = await deps.auth.createAccessToken({
      refreshToken: secret.refreshToken,
      userId: secret.alationUserId,
    });
    return {
      ...secret,
      accessToken: minted.api_access_token,
      accessTokenExpiresAt: minted.token_expires_at ?? null,
    };
  }
  if (!deps.auth.oauth || !secret.refreshToken) {
    // Nothing to renew with: the only way forward is signing in again.
    throw new UnauthorizedError({
      service: 'Alation',
      method: 'POST',
      path: '/oauth/v1/token/',
      status: 401,
      detail: 'no refresh token',
      code: null,
    });
  }
  const tokens = await deps.auth.oauth.refresh(secret.refreshToken);
  return {
    method: 'oauth',
    accessToken: tokens.access_token,
    // Refresh tokens rotate: keep the new one, or the old one if none was issued.
    refreshToken: tokens.refresh_token ?? secret.refreshToken,
    accessTokenExpiresAt:
      tokens.expires_in === undefined
        ? null
        : new Date(now().getTime() + tokens.expires_in * 1000).toISOString(),
  };
}

/** An error that means the stored grant itself is no good (not a passing outage). */
function deadGrant(error: unknown): ReconnectReason | undefined {
  if (error instanceof UnauthorizedError) return 'refresh_token_invalid';
  // `{"status": "failed"}` on createAPIAccessToken: Alation will not mint from this token.
  if (error instanceof BadResponseError && error.reason === 'status_failed') {
    return 'credentials_rejected';
  }
  return undefined;
}
