import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from './blocks.ts';

export interface HelpEntry {
  name: string;
  usage: string;
  summary: string;
  example: string;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface HelpOptions {
  /** The slash command as the workspace named it, usually `/alation`. */
  slashCommand: string;
  /** A line shown above the list, e.g. the unknown-command notice: mrkdwn, input already escaped. */
  notice?: string;
}

/** Slack's limit for one section's text; leave room so a long entry never cuts mid-line. */
const SECTION_LIMIT = 2900;

function entryLine(entry: HelpEntry, slash: string): string {
  const usage = [slash, entry.name, entry.usage].filter(Boolean).join(' ');
  return `*\`${usage}\`*\n${entry.summary}\n_Example:_ \`${entry.example}\``;
}

/** Packs lines into as few sections as Slack's 3000-character limit allows. */
function sections(lines: string[]): KnownBlock[] {
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + line.length + 2 <= SECTION_LIMIT) {
      chunks[chunks.length - 1] = `${last}\n\n${line}`;
    } else {
      chunks.push(line);
    }
  }
  return chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** The ephemeral help message: every subcommand with a one-line summary and an example. */
export function buildHelpMessage(
  entries: readonly HelpEntry[],
  options: HelpOptions,
): SlackMessage {
  const slash = escapeMrkdwn(options.slashCommand);
  const blocks: KnownBlock[] = [];
  if (options.notice) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: options.notice } });
    blocks.push({ type: 'divider' });
  }
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `*What \`${slash}\` can do*` },
  });
  blocks.push(...sections(entries.map((e) => entryLine(e, slash))));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Everything runs as you, with your own Alation permissions. Only you can see this message.',
      },
    ],
  });
  const fallback = entries.map((e) => `${slash} ${e.name}: ${e.summary}`).join('\n');
  return {
    text: options.notice ? `${options.notice}\n${fallback}` : fallback,
    blocks,
  };
}
