// Which Slack client to call with for work that runs without a request (digests, job cards,
// alert cards, flag request reminders, DMs, App Home): the one bot token in single-workspace
// mode, or the installation of the workspace (or its org) when the app is distributed by OAuth.
import type { AllMiddlewareArgs, webApi } from '@slack/bolt';
import type { InstallationStore, StoredInstallation } from '../store/installations.ts';
import type { TokenRotation } from './token-rotation.ts';

export type SlackClient = AllMiddlewareArgs['client'];

export interface SlackClients {
  /** True when one bot token serves everything (SLACK_BOT_TOKEN, no OAuth). */
  readonly singleToken: boolean;
  /** The app's own client: the one token's, or (OAuth) one without a token. */
  readonly base: SlackClient;
  /** The client for a request's workspace; undefined when the app is not installed there. */
  forTeam(ids: {
    enterpriseId?: string | undefined;
    teamId: string;
  }): Promise<SlackClient | undefined>;
  /**
   * The client for background work keyed by tenant (an Enterprise Grid org's id, else a team
   * id, as stored digests, alerts and watches are); undefined when no installation serves it.
   */
  forTenant(tenantId: string): Promise<SlackClient | undefined>;
  /** Refreshes every rotating token that expires soon (once across replicas); how many. */
  refreshDue(): Promise<number>;
}

export function singleTokenClients(client: SlackClient): SlackClients {
  return {
    singleToken: true,
    base: client,
    forTeam: async () => client,
    forTenant: async () => client,
    refreshDue: async () => 0,
  };
}

export interface InstalledClientsDeps {
  /** Resolves once storage is up. */
  stores(): Promise<{ installations: InstallationStore; rotation: TokenRotation }>;
  newClient(token: string): InstanceType<typeof webApi.WebClient>;
  base: SlackClient;
}

/** Clients built from stored installations, one per installation, rebuilt when its token changes. */
export function installedClients(deps: InstalledClientsDeps): SlackClients {
  const cache = new Map<string, { token: string; client: SlackClient }>();
  const clientFor = async (stored: StoredInstallation | undefined) => {
    if (!stored) return undefined;
    const { rotation } = await deps.stores();
    const fresh = await rotation.fresh(stored);
    const token = fresh.installation.bot?.token;
    if (!token) return undefined;
    const cached = cache.get(fresh.id);
    if (cached?.token === token) return cached.client;
    const client = deps.newClient(token) as SlackClient;
    cache.set(fresh.id, { token, client });
    return client;
  };
  return {
    singleToken: false,
    base: deps.base,
    async forTeam(ids) {
      const { installations } = await deps.stores();
      return clientFor(await installations.find(ids));
    },
    async forTenant(tenantId) {
      const { installations } = await deps.stores();
      return clientFor(await installations.forTenant(tenantId));
    },
    async refreshDue() {
      const { rotation } = await deps.stores();
      return rotation.refreshDue();
    },
  };
}
