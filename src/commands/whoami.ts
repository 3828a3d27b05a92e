import { ownerOf } from '../auth/owner.ts';
import { userTimeZone } from '../slack/reply.ts';
import type { Provider } from '../store/credentials.ts';
import { inZone } from '../views/time.ts';
import { buildWhoamiMessage, connectionSummary } from '../views/whoami.ts';
import type { Command, CommandDeps } from './command.ts';

export function whoamiCommand(deps: CommandDeps): Command {
  return {
    name: 'whoami',
    usage: '',
    summary: 'Show which accounts you connected and when their tokens expire (never the tokens).',
    example: '/alation whoami',
    async run({ ack, respond, command, client }) {
      await ack();
      const owner = ownerOf(command);
      const [features, zone] = await Promise.all([
        deps.features(),
        userTimeZone(client, owner.userId),
      ]);
      const rows = await features.credentials.list(owner);
      const summary = (provider: Provider) => connectionSummary(rows, provider);
      await respond({
        response_type: 'ephemeral',
        ...buildWhoamiMessage({
          alation: summary('alation'),
          mode: summary('mode'),
          formatDate: (iso) => inZone(new Date(iso), zone),
        }),
      });
    },
  };
}
