// Issue 18's fan-out under Slack's rate: two replicas posting one personal digest's copies
// share one budget per workspace (slack/paced-posts.ts), so the Slack emulator, enforcing a
// workspace rate, refuses none of them — where unpaced replicas each met 429s and collided.
// Counts come from the emulator's rate tier, not from timings.
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_COPY_QUEUE, enqueueCopies } from '../../src/queue/digest-copies.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { manySubscribers, saveOneLineRun } from '../support/copies.ts';
import { testDatabases } from '../support/databases.ts';
import { createQueryDigest } from '../support/query-digest.ts';
import { until } from '../support/wait.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const SUBSCRIBERS = 40;
/** The emulator's workspace limit: 10 posts a second. */
const SLACK_CAP = { perWorkspace: 10, perChannel: 1, windowMs: 1_000 };
/** The bots' budget, below it as an operator would set it: 6 a second across both replicas. */
const POSTS_PER_MINUTE = 360;

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('two replicas fanning out under Slack’s rate', () => {
  it('share one budget: every copy once, and no 429 from the emulator', async () => {
    const schema = `pgboss_pacing_${Date.now().toString(36)}`;
    const options = { jobs: { schema }, slackPostsPerMinute: POSTS_PER_MINUTE };
    const a = await startTestBot({ database: postgres, ...options });
    bots.push(a);
    const b = await startTestBot({ ...options, reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = a.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = a.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
    const { resultId } = a.alation.addResult(query.id, { csv: 'r,t\nEMEA,1\n', rowCount: 1 });
    const digest = await createQueryDigest(a, {
      owner: DEFAULT_OWNER,
      queryId: query.id,
      name: 'Fan-out',
      personal: true,
      since: new Date(),
    });
    const users = await manySubscribers(a, SUBSCRIBERS, (o) =>
      a.features.subscriptions.subscribe(digest.id, o),
    );
    const slot = 'manual:pacing';
    await saveOneLineRun(a, {
      digestId: digest.id,
      slot,
      title: 'Sales',
      line: 'EMEA 1',
      resultId,
    });
    const tier = a.slack.rateLimit({ method: 'chat.postMessage', ...SLACK_CAP });
    if (!a.boss || !b.boss) throw new Error('no pg-boss');
    // Small batches, queued by both replicas (as if both had run the slot), so both post.
    await Promise.all([
      enqueueCopies(a.boss, { subject: 'digest', id: digest.id }, slot, SUBSCRIBERS, 5),
      enqueueCopies(b.boss, { subject: 'digest', id: digest.id }, slot, SUBSCRIBERS, 5),
    ]);
    await until(async () => {
      const [row] = await a.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`,
        [DIGEST_COPY_QUEUE],
      );
      return Number(row?.n) === 0;
    }, 60_000);
    for (const id of users) expect(a.slack.messages(a.slack.dmChannel(id))).toHaveLength(1);
    const done = (t: TestBot) =>
      t.logs().filter((l) => l.msg === 'personal copies batch finished').length;
    expect(done(a)).toBeGreaterThan(0);
    expect(done(b)).toBeGreaterThan(0);
    expect(tier.passed).toBe(SUBSCRIBERS);
    expect(tier.rejected).toBe(0);
    expect(a.slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(0);
  }, 120_000);
});
