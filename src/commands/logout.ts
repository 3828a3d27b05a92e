import { disconnectProvider } from '../auth/disconnect.ts';
import { ownerOf } from '../auth/owner.ts';
import { publishHome } from '../home/publish.ts';
import { reportFailure } from '../slack/failure.ts';
import type { Provider } from '../store/credentials.ts';
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
