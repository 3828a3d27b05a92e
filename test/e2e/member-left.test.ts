// People who leave (issue 19): user_change with deleted: true deletes that member's stored
// Alation and Mode credentials at once and pauses their digests, alerts and job watches, with a
// one-line notice in each digest's channel; the log names them by Slack id only.
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_QUEUE } from '../../src/queue/digest-run.ts';
import { event } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { createQueryDigest } from '../support/query-digest.ts';
import { until } from '../support/wait.ts';

let t: TestBot;
afterEach(() => t.stop());

const CHANNEL = SLACK_DEFAULTS.channelId;

async function setup() {
  t = await startTestBot({ jobs: {} });
  await t.connectAlation(DEFAULT_OWNER, 7);
  await t.connectMode(DEFAULT_OWNER);
  const other = { tenantId: DEFAULT_OWNER.tenantId, userId: 'U0OTHER001' };
  await t.connectAlation(other, 8);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
  const digest = await createQueryDigest(t, {
    owner: DEFAULT_OWNER,
    queryId: query.id,
    name: 'Morning <!channel> sales',
    channelId: CHANNEL,
    since: new Date(),
  });
  await t.features.digestScheduler().schedule(digest);
  return { digest, other };
}

const deactivated = (deleted: boolean) =>
  event(t.target, {
    event: {
      type: 'user_change',
      user: {
        id: DEFAULT_OWNER.userId,
        team_id: DEFAULT_OWNER.tenantId,
        name: SLACK_DEFAULTS.userName,
        real_name: SLACK_DEFAULTS.userRealName,
        deleted,
      },
    },
  });

const credentialsOf = (userId: string) =>
  t.db.query<{ provider: string }>('SELECT provider FROM credentials WHERE user_id = $1', [userId]);

describe('a member deactivated in Slack', () => {
  it('loses their stored credentials at once; their digest is paused with a notice', async () => {
    const { digest, other } = await setup();
    expect(await credentialsOf(DEFAULT_OWNER.userId)).toHaveLength(2);
    expect((await deactivated(true)).status).toBe(200);
    const [notice] = await t.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL,
    );
    const text = textOf(notice?.args);
    expect(text).toContain('is paused');
    expect(text).toContain('has left this workspace');
    expect(text).toContain('/alation digest new');
    // The digest's name is the creator's text: escaped, so it cannot ping the channel.
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');

    expect(await credentialsOf(DEFAULT_OWNER.userId)).toHaveLength(0);
    expect(await credentialsOf(other.userId)).toHaveLength(1);
    const paused = await t.features.digests.get(digest.id);
    expect(paused?.status).toBe('paused');
    expect(paused?.pausedReason).toBe('creator_deactivated');
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, digest.id)).toBeNull();

    const logged = () => t.logs().find((l) => String(l.msg).includes('deactivated member'));
    await until(async () => logged() !== undefined);
    const line = logged();
    expect(line).toMatchObject({
      userId: DEFAULT_OWNER.userId,
      tenantId: DEFAULT_OWNER.tenantId,
      connectionsDeleted: 2,
      digestsPaused: 1,
    });
    // Slack ids only: no name of the person in the log.
    expect(t.rawLogs()).not.toContain(SLACK_DEFAULTS.userRealName);
  });

  it('a user_change that is not a deactivation changes nothing', async () => {
    const { digest } = await setup();
    await deactivated(false);
    await t.inFlight.drain(5_000);
    expect(await credentialsOf(DEFAULT_OWNER.userId)).toHaveLength(2);
    expect((await t.features.digests.get(digest.id))?.status).toBe('active');
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
