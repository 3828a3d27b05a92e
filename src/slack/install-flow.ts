// "Add to Slack" when the app is distributed by OAuth: what Bolt's built-in flow
// (/slack/install → Slack → /slack/oauth_redirect) is given — an installation store in the
// bot's own database (sealed), a one-time expiring state, and pages that say what happened.
import type { ServerResponse } from 'node:http';
import type {
  InstallationStore as BoltInstallationStore,
  Installation,
  StateStore,
} from '@slack/bolt';
import type { Logger } from '../log.ts';
import type { InstallStates } from '../store/install-states.ts';
import {
  type AnyInstallation,
  type InstallationStore,
  type StoredInstallation,
  tenantOf,
} from '../store/installations.ts';
import { forBolt, type TokenRotation } from './token-rotation.ts';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The bot scopes of manifest.yml and manifest.org.yml. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'files:write',
  'users:read',
  'im:write',
  'channels:read',
  'groups:read',
  'links:read',
  'links:write',
];

export interface InstallFlowDeps {
  stores(): Promise<{
    installations: InstallationStore;
    installStates: InstallStates;
    rotation: TokenRotation;
  }>;
  /** After a (re)install is stored: resume what an earlier uninstall paused. */
  onInstalled(stored: StoredInstallation): Promise<void>;
  now(): Date;
  log: Logger;
}

export function boltInstallationStore(deps: InstallFlowDeps): BoltInstallationStore {
  return {
    async storeInstallation(installation) {
      const { installations } = await deps.stores();
      const stored = await installations.save(installation as AnyInstallation);
      deps.log.info(
        {
          installation: stored.id,
          enterpriseId: stored.enterpriseId,
          teamId: stored.teamId,
          orgWide: stored.isEnterpriseInstall,
        },
        'the app was installed',
      );
      await deps
        .onInstalled(stored)
        .catch((err: unknown) =>
          deps.log.warn({ err, installation: stored.id }, 'could not resume after a reinstall'),
        );
    },
    async fetchInstallation(query) {
      const { installations, rotation } = await deps.stores();
      const stored = await installations.find(query);
      if (!stored) {
        throw new Error(
          `no installation for ${query.isEnterpriseInstall ? 'enterprise' : 'team'} ${query.enterpriseId ?? ''}/${query.teamId ?? ''}`,
        );
      }
      return forBolt((await rotation.fresh(stored)).installation);
    },
    async deleteInstallation(query) {
      const { installations } = await deps.stores();
      await installations.remove(query);
    },
  };
}

export function boltStateStore(deps: InstallFlowDeps): StateStore {
  return {
    async generateStateParam(installOptions) {
      const { installStates } = await deps.stores();
      return installStates.create(installOptions, deps.now());
    },
    async verifyStateParam(_now, state) {
      const { installStates } = await deps.stores();
      const checked = await installStates.consume(state, deps.now());
      if (checked.ok) return checked.installOptions;
      // Bolt turns any throw here into its failure page (slack_oauth_invalid_state).
      const error = new Error(`install state ${checked.reason}`) as Error & { code: string };
      error.code = 'slack_oauth_invalid_state';
      throw error;
    },
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function installPage(res: ServerResponse, status: number, title: string, lines: string[]) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
  });
  const body = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n');
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`);
}

const FAILURES: Record<string, string> = {
  slack_oauth_invalid_state:
    'This install link has expired or was already used (links last 10 minutes and work once).',
  slack_oauth_missing_state: 'The page Slack sent you back to is missing its state.',
  slack_oauth_missing_code: 'Slack sent you back without an authorization code.',
  slack_oauth_installer_authorization_error: 'The installation was cancelled or not approved.',
};

/** Bolt's success and failure callbacks: plain pages that say what happened and what next. */
export function callbackOptions(log: Logger) {
  return {
    success(installation: Installation, _options: unknown, _req: unknown, res: ServerResponse) {
      const where = installation.isEnterpriseInstall
        ? `the ${installation.enterprise?.name ?? 'Enterprise Grid'} organization`
        : (installation.team?.name ?? 'your workspace');
      installPage(res, 200, 'Alation is installed', [
        `Alation was added to ${where}.`,
        installation.isEnterpriseInstall
          ? 'An org admin can now add it to each workspace of the organization (Manage apps → Alation → Add to workspaces).'
          : 'Go back to Slack and type /alation login to connect your Alation account; each person connects their own.',
        'For digests and alerts, invite @Alation to the channel they post in.',
      ]);
    },
    failure(
      error: Error & { code?: string },
      _options: unknown,
      _req: unknown,
      res: ServerResponse,
    ) {
      log.warn({ code: error.code }, 'a Slack installation failed');
      const what = FAILURES[error.code ?? ''] ?? 'Slack did not complete the installation.';
      installPage(res, 400, 'Alation was not installed', [
        what,
        `Start again at ${INSTALL_PATH} on this server. If it keeps failing, ask a Slack admin to approve the app for your workspace.`,
      ]);
    },
  };
}

/** The tenant an installation serves (for the lifecycle store). */
export function tenantOfStored(stored: StoredInstallation): string {
  return tenantOf(stored);
}
