import { buildHelpMessage, type SlackMessage } from '../views/help.ts';
import type { Command } from './command.ts';

/** `/alation help`: lists every subcommand; `commands` is read when help runs, so it is complete. */
export function helpCommand(commands: () => readonly Command[]): Command {
  // The list never changes while the app runs, so each slash command's help is built once.
  const rendered = new Map<string, SlackMessage>();
  const render = (slashCommand: string) => {
    let message = rendered.get(slashCommand);
    if (!message) {
      message = buildHelpMessage(commands(), { slashCommand });
      rendered.set(slashCommand, message);
    }
    return message;
  };
  return {
    name: 'help',
    usage: '',
    summary: 'Show what this bot can do, with an example of each command.',
    example: '/alation help',
    async run({ ack, command }) {
      // Answered in the ack itself: the fastest possible reply, and no extra API call.
      await ack({ response_type: 'ephemeral', ...render(command.command) });
    },
  };
}
