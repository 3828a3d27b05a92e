// `/alation digest …`: scheduled channel digests (issue 7); one file per sub-action.
import type { App } from '@slack/bolt';
import { echo } from '../../views/blocks.ts';
import type { Command, CommandDeps } from '../command.ts';
import { listDigestsAction } from './list.ts';
import { newDigestAction } from './new.ts';

const USAGE =
  '`/alation digest new` schedules a digest in a channel, `/alation digest list` (or `/alation digest`) shows yours with Run now, Pause/Resume, Edit and Delete.';

export function digestCommand(deps: CommandDeps): Command {
  const create = newDigestAction(deps);
  const list = listDigestsAction(deps, create);
  return {
    name: 'digest',
    usage: 'new | list',
    summary:
      'Scheduled channel digests: a query’s latest result (with its CSV), failed runs, trust flag changes or Mode report runs, posted on a schedule in a channel.',
    example: '/alation digest new',
    async run(input) {
      const word = input.args.split(/\s+/)[0]?.toLowerCase() ?? '';
      if (word === 'new') return create.run(input);
      if (word === '' || word === 'list') return list.run(input);
      await input.ack({
        response_type: 'ephemeral',
        text: `${echo(word)} is not something \`/alation digest\` does. ${USAGE}`,
      });
    },
    register(app: App) {
      create.register(app);
      list.register(app);
    },
  };
}
