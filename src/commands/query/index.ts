// `/alation query …`: one command, three sub-actions, each in its own file.
import type { App } from '@slack/bolt';
import type { Command, CommandDeps } from '../command.ts';
import { newQueryAction } from './new.ts';
import { searchQueryAction } from './search.ts';
import { showQueryAction } from './show.ts';

export function queryCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  const create = newQueryAction(deps, options);
  const search = searchQueryAction(deps);
  const show = showQueryAction(deps);
  return {
    name: 'query',
    usage: '<query_id> | new [datasource_id] | search <text>',
    summary:
      'A Compose query’s details (schedules, SQL, latest result, run history); `new` opens a form to create one; `search` finds queries by title or SQL.',
    example: '/alation query search revenue',
    async run(input) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(input.args);
      const word = (match?.[1] ?? '').toLowerCase();
      const rest = (match?.[2] ?? '').trim();
      if (word === 'new') return create.run(input, rest);
      if (word === 'search') return search.run(input, rest);
      if (word === '') {
        await input.ack({
          response_type: 'ephemeral',
          text: 'Which query? `/alation query 42` shows one, `/alation query search revenue` finds some, `/alation query new` creates one.',
        });
        return;
      }
      return show.run(input, input.args);
    },
    register(app: App) {
      create.register(app);
      search.register(app);
      show.register(app);
    },
  };
}
