// `/alation flag …`: trust flags (endorse, warn, deprecate); one file per sub-action.
import type { App } from '@slack/bolt';
import { echo } from '../../views/blocks.ts';
import type { Command, CommandDeps } from '../command.ts';
import { addFlagAction } from './add.ts';
import { editFlagAction } from './edit.ts';
import { listFlagsAction } from './list.ts';
import { removeFlagAction } from './remove.ts';
import { requestFlagAction } from './request.ts';
import { requestFormActions } from './request-forms.ts';
import { reviewRequestActions } from './request-review.ts';
import { listRequestsAction } from './requests.ts';

const USAGE =
  '`/alation flag add table 12` flags an object (or `/alation flag add` alone to fill in a form), `/alation flag list table 12` shows its flags (`/alation flag list` the most recent of all), `/alation flag edit 9` changes a reason, `/alation flag remove 9` removes a flag, `/alation flag request table 12` asks a steward to decide, `/alation flag requests` lists requests.';

export function flagCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  const add = addFlagAction(deps, options);
  const list = listFlagsAction(deps);
  const edit = editFlagAction(deps, options);
  const remove = removeFlagAction(deps);
  const request = requestFlagAction(deps, options);
  const review = reviewRequestActions(deps);
  const forms = requestFormActions(deps, options);
  const requests = listRequestsAction(deps);
  return {
    name: 'flag',
    usage:
      'add [<otype> <id>] | list [<otype> <id>] | edit <flag_id> | remove <flag_id> | request [<otype> <id>] | requests',
    summary:
      'Trust flags: endorse, warn about or deprecate a catalog object (announced in the channel), list the flags on an object or the most recent ones, edit a reason, remove a flag; ask a steward (a person or a channel) to approve a flag, and see the requests waiting for you.',
    example: '/alation flag add table 12',
    async run(input) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(input.args);
      const word = (match?.[1] ?? '').toLowerCase();
      const rest = (match?.[2] ?? '').trim();
      if (word === 'add') return add.run(input, rest);
      if (word === 'list') return list.run(input, rest);
      if (word === 'edit') return edit.run(input, rest);
      if (word === 'remove' || word === 'delete') return remove.run(input, rest);
      if (word === 'request') return request.run(input, rest);
      if (word === 'requests') return requests.run(input, rest);
      await input.ack({
        response_type: 'ephemeral',
        text:
          word === ''
            ? `What should I do with trust flags? ${USAGE}`
            : `${echo(word)} is not something \`/alation flag\` does. ${USAGE}`,
      });
    },
    register(app: App) {
      add.register(app);
      list.register(app);
      edit.register(app);
      remove.register(app);
      request.register(app);
      review.register(app);
      forms.register(app);
    },
  };
}
