import { afterEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };

describe('trust-flag buttons after a restart', () => {
  it('still work on a bot that never saw the message they are on', async () => {
    const first = await startTestBot();
    await first.connectAlation(DEFAULT_OWNER, 7);
    const table = first.alation.addTable({
      datasourceId: first.alation.addDataSource().id,
      schema: 'public',
      name: 'orders',
    });
    const flag = first.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'use orders_v2',
      subject: { otype: 'table', id: table.id },
      userId: 7,
    });
    const listUrl = first.slack.responseUrl();
    await slashCommand(first.target, {
      text: `flag list table ${table.id}`,
      response_url: listUrl,
    });
    const list = await nextResponse(first, listUrl);
    const remove = (list.blocks as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'flag_remove');
    expect(remove?.value).toBeTruthy();
    await first.stop({ keep: true });

    // A new process: same database and emulators, nothing in memory from before.
    const second = await startTestBot({ reuse: first, takeOver: true });
    bots.push(second);
    const pressUrl = second.slack.responseUrl();
    const ack = await blockAction(second.target, {
      actions: [{ action_id: 'flag_remove', value: String(remove?.value) }],
      response_url: pressUrl,
    });
    expect(ack.status).toBe(200);
    const outcome = textOf(await nextResponse(second, pressUrl));
    expect(outcome).toMatch(/removed/i);
    const [deleted] = second.alation.requestsTo('DELETE', `/integration/flag/${flag.id}/`);
    expect(deleted?.userId).toBe(7);
  });
});
