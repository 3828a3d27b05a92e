import { describe, expect, it } from 'vitest';
import {
  createTokenRotation,
  forBolt,
  REFRESH_AHEAD_MS,
} from '../../../src/slack/token-rotation.ts';
import type {
  AnyInstallation,
  InstallationStore,
  StoredInstallation,
} from '../../../src/store/installations.ts';
import { captureLog } from '../../support/log.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const nowSec = Math.floor(NOW.getTime() / 1000);

function stored(expiresInMs: number): StoredInstallation {
  const expiresAt = nowSec + expiresInMs / 1000;
  return {
    id: 'T:T1',
    enterpriseId: undefined,
    teamId: 'T1',
    isEnterpriseInstall: false,
    botExpiresAt: new Date(expiresAt * 1000),
    installation: {
      team: { id: 'T1', name: 'One' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: {
        id: 'B1',
        userId: 'UB1',
        token: 'xoxe.xoxb-old',
        refreshToken: 'xoxe-1-old',
        expiresAt,
        scopes: ['commands'],
      },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    } as AnyInstallation,
  };
}

function fakes(answer: () => Promise<Record<string, unknown>>) {
  const saved: AnyInstallation[] = [];
  let claimed = false;
  let released = 0;
  const installations = {
    claimRefresh: async () => {
      if (claimed) return false;
      claimed = true;
      return true;
    },
    saveRefreshed: async (_id: string, i: AnyInstallation) => {
      saved.push(i);
      claimed = false;
    },
    releaseRefresh: async () => {
      released += 1;
      claimed = false;
    },
  } as unknown as InstallationStore;
  const calls: Record<string, unknown>[] = [];
  const noTokenClient = {
    oauth: {
      v2: {
        access: async (args: Record<string, unknown>) => {
          calls.push(args);
          return answer();
        },
      },
    },
  } as never;
  const rotation = createTokenRotation({
    installations,
    noTokenClient,
    clientId: 'cid',
    clientSecret: 'csecret',
    now: () => NOW,
    log: captureLog().log,
  });
  return { rotation, saved, calls, released: () => released };
}

describe('token rotation', () => {
  it('refreshes a token with less than the margin left, with the refresh token grant', async () => {
    const f = fakes(async () => ({
      ok: true,
      access_token: 'xoxe.xoxb-new',
      refresh_token: 'xoxe-1-new',
      expires_in: 43_200,
    }));
    const fresh = await f.rotation.fresh(stored(REFRESH_AHEAD_MS - 60_000));
    expect(f.calls).toEqual([
      {
        client_id: 'cid',
        client_secret: 'csecret',
        grant_type: 'refresh_token',
        refresh_token: 'xoxe-1-old',
      },
    ]);
    expect(fresh.installation.bot).toMatchObject({
      token: 'xoxe.xoxb-new',
      refreshToken: 'xoxe-1-new',
      expiresAt: nowSec + 43_200,
    });
    expect(f.saved).toHaveLength(1);
  });

  it('leaves a token with more than the margin left alone', async () => {
    const f = fakes(async () => ({}));
    const s = stored(REFRESH_AHEAD_MS + 60_000);
    expect(await f.rotation.fresh(s)).toBe(s);
    expect(f.calls).toHaveLength(0);
  });

  it('keeps the current token and gives the claim back when Slack refuses', async () => {
    const f = fakes(async () => {
      throw Object.assign(new Error('An API error occurred: invalid_refresh_token'), {
        data: { ok: false, error: 'invalid_refresh_token' },
      });
    });
    const s = stored(60_000);
    expect(await f.rotation.fresh(s)).toBe(s);
    expect(f.released()).toBe(1);
    expect(f.saved).toHaveLength(0);
  });

  it('hands Bolt the installation without what would make Bolt refresh it itself', () => {
    const bolt = forBolt(stored(60_000).installation);
    expect(bolt.bot?.token).toBe('xoxe.xoxb-old');
    expect(bolt.bot?.refreshToken).toBeUndefined();
    expect(bolt.bot?.expiresAt).toBeUndefined();
  });
});
