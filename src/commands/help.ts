import { buildHelpMessage } from '../views/help.ts';
import type { Command } from './command.ts';

/** `/alation help`: lists every subcommand; `commands` is read when help runs, so it is complete. */
export function helpCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'help',
    usage: '',
    summary: 'Show what this bot can do, with an example of each command.',
    example: '/alation help',
    async run({ ack, command }) {
      // Answered in the ack itself: the fastest possible reply, and no extra API call.
      await ack({
        response_type: 'ephemeral',
        ...buildHelpMessage(commands(), { slashCommand: command.command }),
      });
    },
  };
}
