// `/alation digest …`: scheduled channel digests (issue 7); one file per sub-action.
import type { Command, CommandDeps } from '../command.ts';
import { withSubcommands } from '../subcommands.ts';
import { registerDigestCopies } from './copies.ts';
import { listDigestsAction } from './list.ts';
import { newDigestAction } from './new.ts';

export function digestCommand(deps: CommandDeps): Command {
  const create = newDigestAction(deps);
  const list = listDigestsAction(deps, create);
  const command = withSubcommands(
    {
      name: 'digest',
      usage: 'new | list',
      summary:
        'Scheduled channel digests: a query’s latest result (with its CSV), failed runs, trust flag changes or Mode report runs, posted on a schedule in a channel.',
      example: '/alation digest new',
      usageText:
        '`/alation digest new` schedules a digest in a channel, `/alation digest list` (or `/alation digest`) shows yours with Run now, Pause/Resume, Edit and Delete.',
    },
    { new: create, list },
    'list',
  );
  const registered = command.register?.bind(command);
  return {
    ...command,
    register(app) {
      registered?.(app);
      registerDigestCopies(app, deps);
    },
  };
}
