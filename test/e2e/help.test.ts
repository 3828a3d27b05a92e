import type { SectionBlock } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/commands/index.ts';
import { slashCommand } from '../driver.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';

interface HelpAck {
  response_type: string;
  text: string;
  blocks: SectionBlock[];
}

const sectionText = (ack: HelpAck) =>
  ack.blocks
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text)
    .join('\n');

describe('/alation help over HTTP', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await startTestBot();
  });
  afterEach(() => t.stop());

  it('answers a signed /alation help in the ack with every subcommand', async () => {
    const ack = await slashCommand(t.target, {
      text: 'help',
      response_url: t.slack.responseUrl(),
    });
    expect(ack.status).toBe(200);
    const body = ack.body as HelpAck;
    expect(body.response_type).toBe('ephemeral');
    const text = sectionText(body);
    for (const command of t.commands) {
      expect(text).toContain(`\`/alation ${command.name}`);
      expect(text).toContain(command.summary);
      expect(text).toContain(`_Example:_ \`${command.example}\``);
    }
    // Help goes back in the ack: no extra Web API call and no response_url post.
    expect(t.slack.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(t.slack.responses).toEqual([]);
  });

  it('shows help for a bare /alation', async () => {
    const ack = await slashCommand(t.target, { text: '' });
    expect(ack.status).toBe(200);
    expect(sectionText(ack.body as HelpAck)).toContain('What `/alation` can do');
  });

  it('names an unknown subcommand, suggests the closest one and shows help', async () => {
    const ack = await slashCommand(t.target, { text: 'hlep me' });
    expect(ack.status).toBe(200);
    const body = ack.body as HelpAck;
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks[0]).toMatchObject({
      type: 'section',
      text: { text: 'Unknown command `hlep`. Did you mean `/alation help`?' },
    });
    expect(sectionText(body)).toContain('What `/alation` can do');
  });

  it('logs each request with its own request id and never the secrets', async () => {
    await slashCommand(t.target, { text: 'help' });
    await slashCommand(t.target, { text: 'help' });
    const handled = t.logs().filter((l) => l.msg === 'request handled');
    expect(handled).toHaveLength(2);
    expect(handled[0]).toMatchObject({ kind: 'command', command: '/alation', user: 'U0USER0001' });
    expect(handled[0]?.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(handled[0]?.reqId).not.toBe(handled[1]?.reqId);
    expect(t.rawLogs()).not.toContain(t.slack.botToken);
    expect(t.rawLogs()).not.toContain(t.target.signingSecret);
  });
});

describe('request signing', () => {
  let t: TestBot;
  let runs: number;
  beforeEach(async () => {
    runs = 0;
    const spy: Command = {
      name: 'spy',
      usage: '',
      summary: 'Counts runs.',
      example: '/alation spy',
      async run({ ack }) {
        runs++;
        await ack('ran');
      },
    };
    t = await startTestBot({ commands: (defaults) => [...defaults, spy] });
  });
  afterEach(() => t.stop());

  it('runs the handler for a correctly signed request', async () => {
    const ack = await slashCommand(t.target, { text: 'spy' });
    expect(ack).toMatchObject({ status: 200, raw: 'ran' });
    expect(runs).toBe(1);
  });

  it('rejects a bad signature with 401 and runs no handler', async () => {
    const ack = await slashCommand(t.target, { text: 'spy' }, { wrongSecret: true });
    expect(ack.status).toBe(401);
    expect(runs).toBe(0);
  });

  it('rejects a timestamp older than five minutes with 401 and runs no handler', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const ack = await slashCommand(t.target, { text: 'spy' }, { timestamp: sixMinutesAgo });
    expect(ack.status).toBe(401);
    expect(runs).toBe(0);
  });

  it('rejects a request with no signature headers', async () => {
    const ack = await slashCommand(
      t.target,
      { text: 'spy' },
      { omitSignature: true, omitTimestamp: true },
    );
    expect(ack.status).toBe(401);
    expect(runs).toBe(0);
  });
});
