import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/commands/command.ts';
import { helpCommand } from '../../../src/commands/help.ts';
import { buildHelpMessage } from '../../../src/views/help.ts';

const command = (name: string, summary: string): Command => ({
  name,
  usage: '<id>',
  summary,
  example: `/alation ${name} 1`,
  run: async () => {},
});

async function ackOf(help: Command, slashCommand: string): Promise<unknown> {
  let body: unknown;
  await help.run({
    args: '',
    ack: (async (b?: unknown) => {
      body = b;
    }) as never,
    respond: (async () => {}) as never,
    command: { command: slashCommand } as never,
    client: {} as never,
    log: {} as never,
  });
  return body;
}

describe('help command', () => {
  const commands: Command[] = [
    command('query', 'A query’s details, “quoted”, with an emoji 😀 and a \\ backslash.'),
    command('sql', 'Show SQL.\nOn two lines, with "quotes" and <angle> & ampersand.'),
  ];
  const help = helpCommand(() => commands);

  it('acks the help message as an ephemeral reply', async () => {
    const body = await ackOf(help, '/alation');
    expect(body).toEqual({
      response_type: 'ephemeral',
      ...buildHelpMessage(commands, { slashCommand: '/alation' }),
    });
  });

  it('sends the same JSON Slack would get from serializing the message itself', async () => {
    const body = await ackOf(help, '/alation');
    const plain = {
      response_type: 'ephemeral',
      ...buildHelpMessage(commands, { slashCommand: '/alation' }),
    };
    const wire = JSON.stringify(body);
    expect(JSON.parse(wire)).toEqual(plain);
    expect(Object.keys(JSON.parse(wire))).toEqual(['response_type', 'text', 'blocks']);
  });

  it('builds each slash command’s reply once and keeps it unchangeable', async () => {
    const first = await ackOf(help, '/alation');
    expect(await ackOf(help, '/alation')).toBe(first);
    expect(Object.isFrozen((first as { blocks: object[] }).blocks[0])).toBe(true);
    const other = await ackOf(help, '/alation-dev');
    expect(other).not.toBe(first);
    expect(JSON.stringify(other)).toContain('/alation-dev query');
  });
});
