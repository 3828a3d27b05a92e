// Rotating bot tokens (token_rotation_enabled: true) last 12 hours; each is refreshed with
// oauth.v2.access (grant_type=refresh_token) before it expires. A refresh token works once, so
// of several replicas noticing the same expiry only one may refresh: it takes a claim on the
// installation's row, and the others wait for its result. Bolt's own refresh (in authorize) is
// never reached: installations are handed to Bolt already fresh and without their refresh token.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.ts';
import type {
  AnyInstallation,
  InstallationStore,
  StoredInstallation,
} from '../store/installations.ts';

/** Refreshed when less than this is left (Bolt uses the same margin). */
export const REFRESH_AHEAD_MS = 2 * 60 * 60_000;
/** A replica that claimed a refresh and died gives it up after this long. */
const CLAIM_LEASE_MS = 30_000;
const WAIT_STEP_MS = 100;

export interface RotationDeps {
  installations: InstallationStore;
  /** A WebClient without a token, for oauth.v2.access. */
  noTokenClient: InstanceType<typeof webApi.WebClient>;
  clientId: string;
  clientSecret: string;
  now(): Date;
  log: Logger;
}

export interface TokenRotation {
  /** The installation with a bot token good for at least a while: refreshed (once) if needed. */
  fresh(stored: StoredInstallation): Promise<StoredInstallation>;
  /** Refreshes every installation expiring soon (the periodic job). Returns how many it did. */
  refreshDue(): Promise<number>;
}

const needsRefresh = (stored: StoredInstallation, now: Date) =>
  stored.botExpiresAt !== undefined &&
  stored.botExpiresAt.getTime() - now.getTime() < REFRESH_AHEAD_MS &&
  Boolean(stored.installation.bot?.refreshToken);

export function createTokenRotation(deps: RotationDeps): TokenRotation {
  const refresh = async (stored: StoredInstallation): Promise<StoredInstallation | undefined> => {
    const bot = stored.installation.bot;
    if (!bot?.refreshToken) return undefined;
    const response = (await deps.noTokenClient.oauth.v2.access({
      client_id: deps.clientId,
      client_secret: deps.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: bot.refreshToken,
    })) as { access_token?: string; refresh_token?: string; expires_in?: number };
    if (!response.access_token || !response.refresh_token || !response.expires_in) {
      throw new Error('oauth.v2.access answered a refresh without a token');
    }
    const nowSec = Math.floor(deps.now().getTime() / 1000);
    const installation: AnyInstallation = {
      ...stored.installation,
      bot: {
        ...bot,
        token: response.access_token,
        refreshToken: response.refresh_token,
        expiresAt: nowSec + response.expires_in,
      },
    };
    await deps.installations.saveRefreshed(stored.id, installation);
    deps.log.info(
      { installation: stored.id, expiresInSeconds: response.expires_in },
      'refreshed a rotating Slack bot token',
    );
    return {
      ...stored,
      installation,
      botExpiresAt: new Date((nowSec + response.expires_in) * 1000),
    };
  };

  const fresh = async (stored: StoredInstallation): Promise<StoredInstallation> => {
    if (!needsRefresh(stored, deps.now())) return stored;
    if (await deps.installations.claimRefresh(stored.id, deps.now(), CLAIM_LEASE_MS)) {
      try {
        return (await refresh(stored)) ?? stored;
      } catch (err) {
        await deps.installations.releaseRefresh(stored.id).catch(() => {});
        deps.log.warn({ err, installation: stored.id }, 'could not refresh a rotating bot token');
        return stored;
      }
    }
    // Another replica is refreshing: wait for its token rather than spend the refresh token twice.
    const deadline = Date.now() + CLAIM_LEASE_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      const again = await deps.installations.find({
        enterpriseId: stored.enterpriseId,
        teamId: stored.teamId,
        isEnterpriseInstall: stored.isEnterpriseInstall,
      });
      if (!again) return stored;
      if (again.installation.bot?.token !== stored.installation.bot?.token) return again;
    }
    return stored;
  };

  return {
    fresh,
    async refreshDue() {
      const due = await deps.installations.expiringBefore(
        new Date(deps.now().getTime() + REFRESH_AHEAD_MS),
      );
      let refreshed = 0;
      for (const stored of due) {
        const after = await fresh(stored);
        if (after.installation.bot?.token !== stored.installation.bot?.token) refreshed += 1;
      }
      return refreshed;
    },
  };
}

/** What Bolt is given: the installation without what would make Bolt refresh it itself. */
export function forBolt(installation: AnyInstallation): AnyInstallation {
  if (!installation.bot) return installation;
  const { refreshToken: _r, expiresAt: _e, ...bot } = installation.bot;
  const user = installation.user;
  const { refreshToken: _ur, expiresAt: _ue, ...plainUser } = user;
  return { ...installation, bot, user: plainUser };
}
