import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, event } from '../driver.ts';
import type { SlackCall } from '../emulators/slack.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

const published = (count: number) =>
  t.slack.waitFor('views.publish', {
    count,
    where: (c: SlackCall) => c.args.user_id === DEFAULT_OWNER.userId,
  });

describe('digests on App Home', () => {
  it('lists the user’s digests with their buttons, and a Pause pressed there refreshes the Home', async () => {
    const query = t.alation.addQuery({
      datasourceId: t.alation.addDataSource().id,
      content: 'SELECT 1',
    });
    const digest = await t.features.digests.create(
      {
        owner: DEFAULT_OWNER,
        channelId: SLACK_DEFAULTS.channelId,
        name: 'Morning sales',
        params: { kind: 'query_result', queryId: query.id, attachCsv: true, onlyIfChanged: false },
        cron: '0 9 * * 1-5',
        tz: 'Europe/Berlin',
      },
      new Date(),
    );
    await t.features.digestScheduler().schedule(digest);

    await event(t.target, {
      event: {
        type: 'app_home_opened',
        user: DEFAULT_OWNER.userId,
        channel: 'D0HOME0001',
        tab: 'home',
      },
    });
    const [first] = await published(1);
    const home = textOf(first?.args.view);
    expect(home).toContain('Digests');
    expect(home).toContain('Morning sales');
    const view = first?.args.view as {
      blocks: { elements?: { action_id?: string; value?: string }[] }[];
    };
    const buttons = view.blocks
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.value === digest.id)
      .map((e) => e.action_id);
    expect(buttons).toEqual(['digest_run_now', 'digest_pause', 'digest_edit', 'digest_delete']);

    // A button on the Home comes with no response_url; the Home is what gets refreshed.
    await blockAction(t.target, {
      actions: [{ action_id: 'digest_pause', value: digest.id }],
      view: { id: 'V0HOME0001', type: 'home' },
    });
    const [, second] = await published(2);
    expect(textOf(second?.args.view)).toContain('Paused');
    expect((await t.features.digests.get(digest.id))?.status).toBe('paused');
  });
});
