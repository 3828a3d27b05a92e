import type { AlationAuth } from '../client/alation.ts';
import {
  BadRequestError,
  BadResponseError,
  isUpstreamError,
  UnauthorizedError,
} from '../client/errors.ts';
import type { CredentialStore, Owner } from '../store/credentials.ts';
import type { AlationSecret } from './alation-session.ts';

export interface ConnectInput {
  userId: string;
  refreshToken: string;
}

/** Which modal field a problem belongs on. */
export type FieldProblems = Partial<Record<'userId' | 'refreshToken', string>>;

export type ConnectOutcome =
  | {
      ok: true;
      alationUserId: number;
      tokenName: string | null;
      refreshTokenExpiresAt: Date | null;
    }
  | { ok: false; problems: FieldProblems };

/** Slack wraps long pasted lines; a token never contains whitespace. */
export const cleanToken = (raw: string) => raw.replace(/\s+/g, '');

export function checkInput(input: ConnectInput): FieldProblems {
  const problems: FieldProblems = {};
  if (!/^\d{1,12}$/.test(input.userId.trim()) || Number(input.userId) === 0) {
    problems.userId =
      'Enter your numeric Alation user ID: the number in your profile URL, e.g. 42 for /user/42/.';
  }
  if (cleanToken(input.refreshToken) === '') {
    problems.refreshToken = 'Paste the refresh token you created in Alation.';
  }
  return problems;
}

/**
 * Checks the refresh token with Alation and mints a first access token, and only then stores
 * both. Every way this can fail becomes a message on the field the person should look at.
 */
export async function connectAlation(
  auth: AlationAuth,
  store: CredentialStore,
  owner: Owner,
  input: ConnectInput,
): Promise<ConnectOutcome> {
  const local = checkInput(input);
  if (Object.keys(local).length > 0) return { ok: false, problems: local };
  const credentials = {
    refreshToken: cleanToken(input.refreshToken),
    userId: Number(input.userId),
  };
  try {
    const info = await auth.validateRefreshToken(credentials);
    const expiresAt = info.token_expires_at ? new Date(info.token_expires_at) : null;
    if (info.token_status !== 'ACTIVE') {
      return {
        ok: false,
        problems: {
          refreshToken: `This refresh token has expired${
            expiresAt ? ` (on ${expiresAt.toISOString().slice(0, 10)})` : ''
          }. Create a new one in Alation and paste it here.`,
        },
      };
    }
    const minted = await auth.createAccessToken(credentials);
    const secret: AlationSecret = {
      method: 'refresh_token',
      alationUserId: credentials.userId,
      refreshToken: credentials.refreshToken,
      accessToken: minted.api_access_token,
      accessTokenExpiresAt: minted.token_expires_at ?? null,
    };
    await store.save(owner, 'alation', secret, {
      method: 'refresh_token',
      alationUserId: credentials.userId,
      tokenName: info.name ?? null,
      refreshTokenExpiresAt: expiresAt?.toISOString() ?? null,
    });
    return {
      ok: true,
      alationUserId: credentials.userId,
      tokenName: info.name ?? null,
      refreshTokenExpiresAt: expiresAt,
    };
  } catch (error) {
    return { ok: false, problems: problemsFor(error, credentials.userId) };
  }
}

function problemsFor(error: unknown, userId: number): FieldProblems {
  if (error instanceof UnauthorizedError) {
    // Alation answers a wrong token and a token of another user identically.
    return {
      userId: `Is ${userId} your own user ID? It must be the user who created the token.`,
      refreshToken:
        'Alation did not accept this refresh token for that user. Check both, or create a new token.',
    };
  }
  if (error instanceof BadRequestError && error.fieldErrors.user_id) {
    return { userId: `Alation says: ${error.fieldErrors.user_id.join(' ')}` };
  }
  if (error instanceof BadResponseError && error.reason === 'status_failed') {
    return {
      refreshToken: `Alation could not validate this token${
        error.detail ? `: ${error.detail}` : '.'
      } Nothing was saved; try again, or create a new token.`,
    };
  }
  if (isUpstreamError(error)) {
    return { refreshToken: `${error.message} Nothing was saved.` };
  }
  throw error;
}
