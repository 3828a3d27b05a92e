import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlationSecret, alationSession } from '../../../src/auth/alation-session.ts';
import type { AlationAuth } from '../../../src/client/alation.ts';
import { NotConnectedError, UnauthorizedError } from '../../../src/client/errors.ts';
import { createCredentialStore, type Owner } from '../../../src/store/credentials.ts';
import { createKeyring } from '../../../src/store/keyring.ts';
import { defaultTestDatabase, type TestDb } from '../../support/databases.ts';
import { captureLog } from '../../support/log.ts';

const owner: Owner = { tenantId: 'T1', userId: 'U1' };
const NOW = new Date('2026-11-22T12:00:00Z');
let db: TestDb;
afterEach(() => db.drop());

async function setup(
  secret: AlationSecret | null,
  mint: () => Promise<{ api_access_token: string; token_expires_at?: string }>,
) {
  db = await defaultTestDatabase().migrated();
  const store = createCredentialStore(
    db,
    createKeyring([{ label: 'k', key: randomBytes(32) }]),
    captureLog().log,
  );
  if (secret) await store.save(owner, 'alation', secret, {});
  let mints = 0;
  const auth = {
    createAccessToken: async () => {
      mints++;
      return { user_id: 7, ...(await mint()) };
    },
  } as unknown as AlationAuth;
  const session = alationSession({ store, auth, now: () => NOW }, owner);
  return { store, session, mints: () => mints };
}

const base = { method: 'refresh_token' as const, alationUserId: 7, refreshToken: 'rt' };
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
const minted = async () => ({ api_access_token: 'new', token_expires_at: inMinutes(24 * 60) });

describe('alationSession', () => {
  it('reuses a stored access token that is good for more than five minutes', async () => {
    const { session, mints } = await setup(
      { ...base, accessToken: 'old', accessTokenExpiresAt: inMinutes(6) },
      minted,
    );
    expect(await session.current()).toBe('old');
    expect(mints()).toBe(0);
  });

  it('renews a token within five minutes of expiry, and keeps the new one sealed in the store', async () => {
    const { session, store, mints } = await setup(
      { ...base, accessToken: 'old', accessTokenExpiresAt: inMinutes(4) },
      minted,
    );
    expect(await session.current()).toBe('new');
    expect(mints()).toBe(1);
    expect(await store.load(owner, 'alation')).toMatchObject({
      state: 'connected',
      secret: { accessToken: 'new', accessTokenExpiresAt: inMinutes(24 * 60) },
    });
    expect(await session.current()).toBe('new');
    expect(mints()).toBe(1);
  });

  it('shares one mint between concurrent requests', async () => {
    const { session, mints } = await setup(base, minted);
    const tokens = await Promise.all([session.current(), session.current(), session.refresh('x')]);
    expect(tokens).toEqual(['new', 'new', 'new']);
    expect(mints()).toBe(1);
  });

  it('does not mint again when another request already replaced the rejected token', async () => {
    const { session, mints } = await setup(
      { ...base, accessToken: 'fresh', accessTokenExpiresAt: inMinutes(60) },
      minted,
    );
    expect(await session.refresh('stale')).toBe('fresh');
    expect(await session.refresh('fresh')).toBe('new');
    expect(mints()).toBe(1);
  });

  it('marks the credential for reconnecting when Alation refuses the refresh token', async () => {
    const { session, store } = await setup(base, async () => {
      throw new UnauthorizedError({ service: 'Alation', method: 'POST', path: '/x/', status: 401 });
    });
    await expect(session.current()).rejects.toMatchObject({
      name: 'NotConnectedError',
      reason: 'refresh_token_invalid',
    });
    expect(await store.load(owner, 'alation')).toMatchObject({
      state: 'reconnect',
      reason: 'refresh_token_invalid',
    });
  });

  it('reports a user who never connected', async () => {
    const { session } = await setup(null, minted);
    const error = await session.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotConnectedError);
    expect((error as NotConnectedError).reason).toBeUndefined();
  });
});
