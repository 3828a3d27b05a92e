import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildHelpMessage, type HelpEntry } from '../../../src/views/help.ts';

const entries: HelpEntry[] = [
  { name: 'help', usage: '', summary: 'Show commands.', example: '/alation help' },
  { name: 'sql', usage: '<query_id>', summary: 'Show SQL.', example: '/alation sql 42' },
];

const texts = (blocks: ReturnType<typeof buildHelpMessage>['blocks']) =>
  blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');

describe('buildHelpMessage', () => {
  it('lists each command with its usage, summary and example', () => {
    const message = buildHelpMessage(entries, { slashCommand: '/alation' });
    const all = texts(message.blocks).join('\n');
    expect(all).toContain('*`/alation help`*\nShow commands.\n_Example:_ `/alation help`');
    expect(all).toContain('*`/alation sql <query_id>`*\nShow SQL.\n_Example:_ `/alation sql 42`');
    expect(message.text).toBe('/alation help: Show commands.\n/alation sql: Show SQL.');
  });

  it('puts a notice first', () => {
    const message = buildHelpMessage(entries, { slashCommand: '/alation', notice: 'Unknown `x`' });
    expect(texts(message.blocks)[0]).toBe('Unknown `x`');
    expect(message.blocks[1]?.type).toBe('divider');
    expect(message.text.startsWith('Unknown `x`\n')).toBe(true);
  });

  it('uses the slash command the workspace installed', () => {
    const message = buildHelpMessage(entries, { slashCommand: '/alation-dev' });
    expect(texts(message.blocks).join()).toContain('`/alation-dev sql <query_id>`');
  });

  it('stays within Slack limits however many commands there are', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      name: `cmd${i}`,
      usage: '<a> <b> [--flag <value>]',
      summary: 'A fairly long one-line description of what this command does for the person.',
      example: `/alation cmd${i} 1 2 --flag x`,
    }));
    const message = buildHelpMessage(many, { slashCommand: '/alation' });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const text of texts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    const all = texts(message.blocks).join('\n');
    for (const entry of many) expect(all).toContain(`/alation ${entry.name} `);
  });
});
