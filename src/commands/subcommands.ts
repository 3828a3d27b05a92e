// A command made of sub-actions (`/alation digest new|list`, `/alation alert new|list`): the
// first word picks one, nothing picks the default, and anything else is answered with the usage.
import type { App } from '@slack/bolt';
import { echo } from '../views/blocks.ts';
import type { Command, CommandInput } from './command.ts';

export interface SubAction {
  run(input: CommandInput): Promise<void>;
  register(app: App): void;
}

export function withSubcommands(
  about: Omit<Command, 'run' | 'register'> & { usageText: string },
  actions: Record<string, SubAction>,
  /** The sub-action run when no word is given. */
  fallback: string,
): Command {
  const { usageText, ...command } = about;
  return {
    ...command,
    async run(input) {
      const word = input.args.split(/\s+/)[0]?.toLowerCase() ?? '';
      const key = word === '' ? fallback : word;
      // Own keys only: `constructor` or `__proto__` typed by someone is not a sub-action.
      const action = Object.hasOwn(actions, key) ? actions[key] : undefined;
      if (action) return action.run(input);
      await input.ack({
        response_type: 'ephemeral',
        text: `${echo(word)} is not something \`/alation ${command.name}\` does. ${usageText}`,
      });
    },
    register(app: App) {
      for (const action of new Set(Object.values(actions))) action.register(app);
    },
  };
}
