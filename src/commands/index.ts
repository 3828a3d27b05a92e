import type { App } from '@slack/bolt';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { echo } from '../views/blocks.ts';
import { buildHelpMessage } from '../views/help.ts';
import { alertCommand } from './alert/index.ts';
import { chartCommand } from './chart.ts';
import type { Command, CommandDeps } from './command.ts';
import { digestCommand } from './digest/index.ts';
import { flagCommand } from './flag/index.ts';
import { helpCommand } from './help.ts';
import { jobCommand } from './job.ts';
import { loginCommand } from './login.ts';
import { logoutCommand } from './logout.ts';
import { modeCommand } from './mode.ts';
import { closestName, parseCommandText } from './parse.ts';
import { queryCommand } from './query/index.ts';
import { resultCommand } from './result.ts';
import { runsCommand } from './runs.ts';
import { sqlCommand } from './sql.ts';
import { syncCommand } from './sync.ts';
import { whoamiCommand } from './whoami.ts';

export type { Command, CommandDeps, CommandInput } from './command.ts';

/** Every subcommand, in the order help lists them. */
export function allCommands(deps: CommandDeps): Command[] {
  const commands: Command[] = [];
  commands.push(
    queryCommand(deps),
    runsCommand(deps),
    resultCommand(deps),
    chartCommand(deps),
    sqlCommand(deps),
    flagCommand(deps),
    syncCommand(deps),
    jobCommand(deps),
    digestCommand(deps),
    alertCommand(deps),
    loginCommand(deps),
    whoamiCommand(deps),
    logoutCommand(deps),
    modeCommand(deps),
    helpCommand(() => commands),
  );
  return commands;
}

/** Registers `/alation` and routes its first word to a subcommand. */
export function registerCommands(app: App, commands: readonly Command[]): void {
  const byName = new Map(commands.map((c) => [c.name, c]));
  for (const command of commands) command.register?.(app);
  app.command(/^\/alation/, async ({ command, ack, respond, client, context }) => {
    const { name, args } = parseCommandText(command.text);
    const found = byName.get(name);
    if (!found) {
      // A suggestion for a word nobody would mistype (pasted SQL, a 10k-character argument) helps
      // nobody and costs an edit distance per command name.
      const suggestion = name.length <= 40 ? closestName(name, [...byName.keys()]) : undefined;
      const notice = `Unknown command ${echo(name)}.${suggestion ? ` Did you mean \`${command.command} ${suggestion}\`?` : ''}`;
      await ack({
        response_type: 'ephemeral',
        ...buildHelpMessage(commands, { slashCommand: command.command, notice }),
      });
      return;
    }
    let log: Logger | undefined;
    await found.run({
      args,
      ack,
      respond,
      command,
      client,
      // Built on first use, like the request logger it derives from.
      get log() {
        log ??= requestContext(context).log.child({ subcommand: name });
        return log;
      },
    });
  });
}
