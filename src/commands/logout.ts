import type { AlationSecret } from '../auth/alation-session.ts';
import { ownerOf } from '../auth/owner.ts';
import { publishHome } from '../events/home.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import { reportFailure } from '../slack/failure.ts';
import type { Owner, Provider } from '../store/credentials.ts';
import { echo } from '../views/blocks.ts';
import type { Command, CommandDeps } from './command.ts';

const PROVIDERS: Record<string, Provider[]> = {
  '': ['alation', 'mode'],
  all: ['alation', 'mode'],
  alation: ['alation'],
  mode: ['mode'],
};

export function logoutCommand(deps: CommandDeps): Command {
  return {
    name: 'logout',
    usage: '[alation | mode]',
    summary:
      'Disconnect your accounts and delete your stored credentials (both, unless you name one).',
    example: '/alation logout',
    async run({ ack, respond, command, args, log, client }) {
      const which = PROVIDERS[args.toLowerCase()];
      if (!which) {
        await ack({
          response_type: 'ephemeral',
          text: `I can log you out of \`alation\`, \`mode\` or both; ${echo(args)} is neither. Try \`/alation logout\`.`,
        });
        return;
      }
      await ack();
      const owner = ownerOf(command);
      try {
        const features = await deps.features();
        const lines: string[] = [];
        for (const provider of which) {
          lines.push(await disconnectProvider(features, owner, provider, log));
        }
        await respond({ response_type: 'ephemeral', text: lines.join('\n') });
        await publishHome(client, features, owner, log);
      } catch (error) {
        await reportFailure(error, respond, log, 'log you out');
      }
    },
  };
}

/**
 * Deletes one stored credential (revoking the Alation access tokens the bot minted) and says
 * what happened. Shared by `/alation logout` and the App Home's Disconnect button.
 */
export async function disconnectProvider(
  features: Features,
  owner: Owner,
  provider: Provider,
  log: Logger,
): Promise<string> {
  const loaded = await features.credentials.load<AlationSecret>(owner, provider);
  let revoked = false;
  if (
    provider === 'alation' &&
    loaded.state === 'connected' &&
    loaded.secret.method === 'refresh_token'
  ) {
    // Access tokens the bot minted die with the connection; the refresh token is the
    // user's own, made in Alation, and stays theirs to delete there.
    revoked = await features.alationAuth
      .revokeAccessTokens({
        refreshToken: loaded.secret.refreshToken,
        userId: loaded.secret.alationUserId,
      })
      .then(
        () => true,
        (err: unknown) => {
          log.warn({ err }, 'revoking Alation access tokens at logout failed');
          return false;
        },
      );
  }
  const removed = await features.credentials.remove(owner, provider);
  const name = provider === 'alation' ? 'Alation' : 'Mode';
  if (!removed) return `You were not connected to ${name}.`;
  if (
    provider === 'alation' &&
    loaded.state === 'connected' &&
    loaded.secret.method === 'refresh_token'
  ) {
    return revoked
      ? ':wave: Disconnected from Alation: stored credentials deleted and the access tokens the bot used revoked. Your refresh token still exists in Alation; delete it under your profile → Authentication if you no longer need it.'
      : ':wave: Disconnected from Alation: stored credentials deleted. Alation could not be reached to revoke the access tokens the bot used; they expire on their own within a day.';
  }
  return `:wave: Disconnected from ${name}: stored credentials deleted.`;
}
