import { buildHelpMessage, type SlackMessage } from '../views/help.ts';
import type { Command } from './command.ts';

type HelpReply = SlackMessage & { response_type: 'ephemeral' };

/** `/alation help`: lists every subcommand; `commands` is read when help runs, so it is complete. */
export function helpCommand(commands: () => readonly Command[]): Command {
  // The list never changes while the app runs, so each slash command's reply is built once.
  const rendered = new Map<string, HelpReply>();
  const render = (slashCommand: string) => {
    let reply = rendered.get(slashCommand);
    if (!reply) {
      const message = buildHelpMessage(commands(), { slashCommand });
      reply = serializedOnce<HelpReply>({ response_type: 'ephemeral', ...message });
      rendered.set(slashCommand, reply);
    }
    return reply;
  };
  return {
    name: 'help',
    usage: '',
    summary: 'Show what this bot can do, with an example of each command.',
    example: '/alation help',
    async run({ ack, command }) {
      // Answered in the ack itself: the fastest possible reply, and no extra API call.
      await ack(render(command.command));
    },
  };
}

const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/** A JSON string literal in ASCII only: `\uXXXX` for the rest, which JSON reads back the same. */
const asciiJsonString = (text: string) =>
  JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Bolt runs JSON.stringify on whatever ack() is given, on every request. The help reply is several
 * kilobytes, so it is serialized once: toJSON hands JSON.stringify its strings as raw JSON, to be
 * copied rather than escaped again. Keeping that text ASCII (typographic quotes as `\u2019`) keeps
 * the whole body a one-byte string, which Node writes out without transcoding. Slack parses the
 * same value as before. The reply is frozen, since what goes out no longer follows its fields.
 */
function serializedOnce<T extends object>(reply: T): T {
  const raw = rawJSON;
  if (raw) {
    const preserialize = (value: unknown): unknown => {
      if (typeof value === 'string') return raw(asciiJsonString(value));
      if (Array.isArray(value)) return value.map(preserialize);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, preserialize(v)]));
      }
      return value;
    };
    const wire = preserialize(reply);
    Object.defineProperty(reply, 'toJSON', { value: () => wire });
  }
  return deepFreeze(reply);
}
