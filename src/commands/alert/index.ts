// `/alation alert …`: alerts on query results (issue 17); one file per sub-action.
import type { Command, CommandDeps } from '../command.ts';
import { withSubcommands } from '../subcommands.ts';
import { listAlertsAction } from './list.ts';
import { newAlertAction } from './new.ts';

export function alertCommand(deps: CommandDeps): Command {
  const create = newAlertAction(deps);
  const list = listAlertsAction(deps, create);
  return withSubcommands(
    {
      name: 'alert',
      usage: 'new [query_id] | list',
      summary:
        'Alerts on a query’s latest result: row counts, a number crossing a line, new rows or any change, with a live card you can acknowledge or snooze.',
      example: '/alation alert new 15',
      usageText:
        '`/alation alert new [query_id]` sets an alert on a query’s results; `/alation alert list` (or `/alation alert`) shows yours with Mute/Resume, Edit and Delete.',
    },
    { new: create, list },
    'list',
  );
}
