// A ready-made AccessTokenSource for the refresh-token flow: mints on first use, re-mints once
// per rejection, and lets concurrent callers that hit the same expired token share one mint.

import type { AccessTokenSource } from './token-auth.ts';
import type { ApiAccessToken, RefreshTokenCredentials, TokenEndpoints } from './tokens.ts';

export interface RefreshTokenSourceOptions extends RefreshTokenCredentials {
  tokens: Pick<TokenEndpoints, 'createAccessToken'>;
  /** A stored access token to start from, if one is still around. */
  accessToken?: string | null;
  /** Called with every newly minted token, e.g. to persist it (encrypted) for the next process. */
  onMinted?: (token: ApiAccessToken) => void | Promise<void>;
}

export function createRefreshTokenSource(options: RefreshTokenSourceOptions): AccessTokenSource {
  let token: string | null = options.accessToken ?? null;
  let minting: Promise<string> | null = null;

  function mint(): Promise<string> {
    minting ??= (async () => {
      try {
        const { refreshToken, userId } = options;
        const minted = await options.tokens.createAccessToken({ refreshToken, userId });
        await options.onMinted?.(minted);
        token = minted.api_access_token;
        return token;
      } finally {
        minting = null;
      }
    })();
    return minting;
  }

  return {
    current: async () => token ?? mint(),
    // Someone else already replaced the rejected token: use theirs rather than mint again.
    refresh: async (rejected) => (token !== null && token !== rejected ? token : mint()),
  };
}
