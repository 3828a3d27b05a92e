import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

describe('Flag… on a query’s details card', () => {
  it('is on the card and opens the Add flag form for that query', async () => {
    const source = t.alation.addDataSource({ title: 'Warehouse' });
    const query = t.alation.addQuery({
      datasourceId: source.id,
      title: 'Daily revenue',
      content: 'SELECT 1',
    });
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: `query ${query.id}`, response_url: responseUrl });
    const card = await nextResponse(t, responseUrl);
    expect(JSON.stringify(card)).toContain(
      `"action_id":"query_flag","text":{"type":"plain_text","text":"Flag…"`,
    );

    await blockAction(t.target, {
      actions: [{ action_id: 'query_flag', value: String(query.id) }],
      response_url: responseUrl,
    });
    const view = await openedView(t, 'flag_add');
    const json = JSON.stringify(view);
    expect(json).toContain('"initial_value":"query"');
    expect(json).toContain(`"initial_value":"${query.id}"`);
    expect(textOf(view)).toContain('Daily revenue');
  });
});
