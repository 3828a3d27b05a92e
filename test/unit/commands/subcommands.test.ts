import { describe, expect, it } from 'vitest';
import type { CommandInput } from '../../../src/commands/command.ts';
import { type SubAction, withSubcommands } from '../../../src/commands/subcommands.ts';

function world() {
  const ran: string[] = [];
  const acks: unknown[] = [];
  const action = (name: string): SubAction => ({
    run: async () => {
      ran.push(name);
    },
    register: () => ran.push(`register ${name}`),
  });
  const list = action('list');
  const command = withSubcommands(
    { name: 'thing', usage: 'new | list', summary: '', example: '', usageText: 'Try `new`.' },
    { new: action('new'), list, all: list },
    'list',
  );
  const input = (args: string) =>
    ({ args, ack: async (a: unknown) => void acks.push(a) }) as unknown as CommandInput;
  return { ran, acks, command, input };
}

describe('withSubcommands', () => {
  it.each([
    ['new 15', 'new'],
    ['LIST', 'list'],
    ['', 'list'],
  ])('runs %j as %s', async (args, expected) => {
    const w = world();
    await w.command.run(w.input(args));
    expect(w.ran).toEqual([expected]);
  });

  it.each(['nope', 'constructor', '__proto__', '<!here>'])(
    'answers %j with the usage, escaped',
    async (word) => {
      const w = world();
      await w.command.run(w.input(word));
      expect(w.ran).toEqual([]);
      const text = (w.acks[0] as { text: string }).text;
      expect(text).toContain('is not something `/alation thing` does. Try `new`.');
      expect(text).not.toContain('<!here>');
    },
  );

  it('registers each sub-action once, even under two names', () => {
    const w = world();
    w.command.register?.({} as never);
    expect(w.ran).toEqual(['register new', 'register list']);
  });
});
