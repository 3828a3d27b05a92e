import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';

/** What a subcommand's handler gets: Bolt's own arguments plus the parsed text. */
export interface CommandInput {
  /** The text after the subcommand name, trimmed. */
  args: string;
  ack: SlackCommandMiddlewareArgs['ack'];
  respond: SlackCommandMiddlewareArgs['respond'];
  command: SlackCommandMiddlewareArgs['command'];
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

/** One `/alation <name>` subcommand: how it is described in help, and what it does. */
export interface Command {
  name: string;
  /** Arguments as shown in help, e.g. `<query_id> [--thread <ts>]`. */
  usage: string;
  summary: string;
  example: string;
  run(input: CommandInput): Promise<void>;
  /** Buttons and modals that belong to this command register here. */
  register?(app: App): void;
}

/** What commands need beyond Bolt's arguments; passed in, never read from globals. */
export interface CommandDeps {
  /** Storage-backed services; resolves once the database is up (seconds after a cold start). */
  features(): Promise<Features>;
  alationBaseUrl: string;
  /** "Sign in with Alation" instead of pasting a refresh token. */
  oauthEnabled: boolean;
}
