import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEventEnvelope, postSigned } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { until } from '../support/wait.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(() => t.stop());

function deliver(bot: TestBot, envelope: object, retryNum?: number) {
  return postSigned(bot.target, JSON.stringify(envelope), 'application/json', {
    ...(retryNum === undefined ? {} : { retryNum, retryReason: 'http_timeout' }),
  });
}

const homeOpened = () =>
  buildEventEnvelope({
    event: {
      type: 'app_home_opened',
      user: DEFAULT_OWNER.userId,
      channel: 'D0HOME0001',
      tab: 'home',
    },
  });

describe('Slack redelivers events (X-Slack-Retry-Num)', () => {
  it('publishes the App Home once for an app_home_opened delivered three times', async () => {
    const envelope = homeOpened();
    expect((await deliver(t, envelope)).status).toBe(200);
    await t.slack.waitFor('views.publish');
    expect((await deliver(t, envelope, 1)).status).toBe(200);
    expect((await deliver(t, envelope, 2)).status).toBe(200);
    await until(
      async () =>
        t.logs().filter((l) => l.msg.startsWith('skipped a redelivered event')).length === 2,
    );
    await sleep(100);
    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
    // A different event for the same person is not a redelivery.
    await deliver(t, homeOpened());
    await t.slack.waitFor('views.publish', { count: 2 });
  });

  it('unfurls a link once when two replicas on one database each get a delivery of it', async () => {
    const b = await startTestBot({ reuse: t });
    try {
      await t.connectAlation(DEFAULT_OWNER, 7);
      const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
      const query = t.alation.addQuery({ title: 'Weekly revenue', datasourceId });
      const url = `${t.alation.url}/query/${query.id}/`;
      const envelope = buildEventEnvelope({
        event: {
          type: 'link_shared',
          channel: SLACK_DEFAULTS.channelId,
          user: DEFAULT_OWNER.userId,
          message_ts: '1700000000.000100',
          unfurl_id: 'Uf1',
          source: 'conversations_history',
          links: [{ url, domain: new URL(url).hostname }],
        },
      });
      const acks = await Promise.all([deliver(t, envelope), deliver(b, envelope, 1)]);
      expect(acks.map((a) => a.status)).toEqual([200, 200]);
      await until(async () =>
        [...t.logs(), ...b.logs()].some((l) => l.msg.startsWith('skipped a redelivered event')),
      );
      await t.slack.waitFor('chat.unfurl');
      await sleep(200);
      expect(t.slack.callsTo('chat.unfurl')).toHaveLength(1);
      expect(
        [...t.logs(), ...b.logs()].filter((l) => l.msg.startsWith('skipped a redelivered')).length,
      ).toBe(1);
    } finally {
      await b.stop({ keep: true });
    }
  });
});
