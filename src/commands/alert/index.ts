// `/alation alert …`: alerts on query results (issue 17); one file per sub-action.
import type { App } from '@slack/bolt';
import { echo } from '../../views/blocks.ts';
import type { Command, CommandDeps } from '../command.ts';
import { listAlertsAction } from './list.ts';
import { newAlertAction } from './new.ts';

const USAGE =
  '`/alation alert new [query_id]` sets an alert on a query’s results; `/alation alert list` (or `/alation alert`) shows yours with Mute/Resume, Edit and Delete.';

export function alertCommand(deps: CommandDeps): Command {
  const create = newAlertAction(deps);
  const list = listAlertsAction(deps, create);
  return {
    name: 'alert',
    usage: 'new [query_id] | list',
    summary:
      'Alerts on a query’s latest result: row counts, a number crossing a line, new rows or any change, with a live card you can acknowledge or snooze.',
    example: '/alation alert new 15',
    async run(input) {
      const word = input.args.split(/\s+/)[0]?.toLowerCase() ?? '';
      if (word === 'new') return create.run(input);
      if (word === '' || word === 'list') return list.run(input);
      await input.ack({
        response_type: 'ephemeral',
        text: `${echo(word)} is not something \`/alation alert\` does. ${USAGE}`,
      });
    },
    register(app: App) {
      create.register(app);
      list.register(app);
    },
  };
}
