// The refresh-token → API-access-token endpoints (README "Facts beyond these pages"). None of
// them takes a TOKEN header; the refresh token travels in the body.
import { z } from 'zod';
import { BadResponseError } from '../errors.ts';
import type { Http, RequestSpec } from '../http.ts';

export interface RefreshTokenCredentials {
  refreshToken: string;
  /** Numeric id from the user's profile URL `/user/<id>/`. */
  userId: number;
}

export const accessTokenSchema = z.looseObject({
  api_access_token: z.string(),
  user_id: z.number().int(),
  created_at: z.string().optional(),
  token_expires_at: z.string().optional(),
  /** `ACTIVE` or `EXPIRED`. */
  token_status: z.string().optional(),
});

export type ApiAccessToken = z.infer<typeof accessTokenSchema>;

export const refreshTokenInfoSchema = z.looseObject({
  refresh_token: z.string().optional(),
  user_id: z.number().int(),
  name: z.string().nullish(),
  created_at: z.string().optional(),
  token_expires_at: z.string().optional(),
  /** An expired refresh token still validates with 200: check for `ACTIVE`. */
  token_status: z.string(),
  last_used_at: z.string().nullish(),
});

export type RefreshTokenInfo = z.infer<typeof refreshTokenInfoSchema>;

/** A 200 can still say `{"status": "failed"}`; it is matched first so it never passes as data. */
const failedSchema = z.looseObject({
  status: z.literal('failed'),
  detail: z.string().optional(),
  message: z.string().optional(),
});

export interface TokenEndpoints {
  /** 201 with a fresh access token; an invalid or expired refresh token is `unauthorized`. */
  createAccessToken(credentials: RefreshTokenCredentials): Promise<ApiAccessToken>;
  validateRefreshToken(credentials: RefreshTokenCredentials): Promise<RefreshTokenInfo>;
  validateAccessToken(input: { accessToken: string; userId: number }): Promise<ApiAccessToken>;
  /** Revokes every access token minted from this refresh token. */
  revokeAccessTokens(credentials: RefreshTokenCredentials): Promise<void>;
}

export function tokenEndpoints(http: Http): TokenEndpoints {
  async function post<T>(path: string, body: Record<string, unknown>, schema: z.ZodType<T>) {
    const spec: RequestSpec = { method: 'POST', path, json: body };
    const res = await http.json(spec, z.union([failedSchema, schema]));
    const data = res.data as unknown;
    if (failedSchema.safeParse(data).success) {
      const failed = data as z.infer<typeof failedSchema>;
      throw new BadResponseError({
        service: http.service,
        method: 'POST',
        path,
        status: res.status,
        detail: failed.detail ?? failed.message ?? null,
        reason: 'status_failed',
      });
    }
    return data as T;
  }

  return {
    createAccessToken: ({ refreshToken, userId }) =>
      post(
        '/integration/v1/createAPIAccessToken/',
        { refresh_token: refreshToken, user_id: userId },
        accessTokenSchema,
      ),
    validateRefreshToken: ({ refreshToken, userId }) =>
      post(
        '/integration/v1/validateRefreshToken/',
        { refresh_token: refreshToken, user_id: userId },
        refreshTokenInfoSchema,
      ),
    validateAccessToken: ({ accessToken, userId }) =>
      post(
        '/integration/v1/validateAPIAccessToken/',
        { api_access_token: accessToken, user_id: userId },
        accessTokenSchema,
      ),
    async revokeAccessTokens({ refreshToken, userId }) {
      // The success body echoes the refresh token in its detail; it is dropped unread.
      await post(
        '/integration/v1/revokeAPIAccessTokens/',
        { refresh_token: refreshToken, user_id: userId },
        z.looseObject({}),
      );
    },
  };
}
