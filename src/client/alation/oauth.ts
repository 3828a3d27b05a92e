// Per-user OAuth 2.0 authorization code flow with PKCE (RFC 6749, RFC 7636) for cloud-native
// Alation: build the authorize URL, exchange the code, refresh.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BadRequestError, UnauthorizedError } from '../errors.ts';
import type { Http } from '../http.ts';

export interface OAuthClientConfig {
  clientId: string;
  /** Omit for a public client, which proves itself with PKCE alone. */
  clientSecret?: string | null;
  /** Must be registered with the client in Alation. */
  redirectUri: string;
  /** Left out of the authorize URL when unset, so the server's default applies. */
  scope?: string;
}

export interface Pkce {
  /** Keep server-side until the callback; never put it in the URL. */
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** 32 random bytes → a 43-character verifier, the RFC 7636 minimum length and recommendation. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

export const oauthTokensSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

export type OAuthTokens = z.infer<typeof oauthTokensSchema>;

export interface OAuthEndpoints {
  /** Where to send the user's browser; store `codeVerifier` against `state` until the callback. */
  authorizeUrl(input: { state: string; scope?: string }): { url: string; codeVerifier: string };
  /** An expired, replayed or mismatched code is `unauthorized` (start the connect flow again). */
  exchangeCode(input: { code: string; codeVerifier: string }): Promise<OAuthTokens>;
  /** Refresh tokens rotate: store the new one. A dead refresh token is `unauthorized`. */
  refresh(refreshToken: string): Promise<OAuthTokens>;
}

export function oauthEndpoints(http: Http, client: OAuthClientConfig): OAuthEndpoints {
  const base = http.baseUrl.replace(/\/+$/, '');

  function clientAuth(): { headers: Record<string, string>; form: Record<string, string> } {
    if (!client.clientSecret) return { headers: {}, form: { client_id: client.clientId } };
    // client_secret_basic, form-encoding both parts first as RFC 6749 §2.3.1 asks.
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    return {
      headers: { authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
      form: {},
    };
  }

  async function token(grant: Record<string, string>): Promise<OAuthTokens> {
    const auth = clientAuth();
    try {
      const res = await http.json(
        {
          method: 'POST',
          path: '/oauth/v1/token/',
          form: { ...grant, ...auth.form },
          headers: auth.headers,
        },
        oauthTokensSchema,
      );
      return res.data;
    } catch (error) {
      // invalid_grant is the server saying the user's grant is gone, not that we erred.
      if (error instanceof BadRequestError && error.code === 'invalid_grant') {
        throw new UnauthorizedError({
          service: error.service,
          method: error.method,
          path: error.path,
          status: error.status,
          detail: error.detail,
          code: error.code,
          cause: error,
        });
      }
      throw error;
    }
  }

  return {
    authorizeUrl({ state, scope }) {
      const pkce = createPkce();
      const url = new URL(`${base}/oauth/v1/authorize/`);
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        state,
        code_challenge: pkce.challenge,
        code_challenge_method: pkce.method,
      });
      const wanted = scope ?? client.scope;
      if (wanted) params.set('scope', wanted);
      url.search = params.toString();
      return { url: url.toString(), codeVerifier: pkce.verifier };
    },

    exchangeCode: ({ code, codeVerifier }) =>
      token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: codeVerifier,
      }),

    refresh: (refreshToken) => token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}
