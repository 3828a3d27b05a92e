/**
 * One personal digest (issue 18) to 1,000 subscribers, each asked of Alation as themselves,
 * against the emulators with 50 ms of Alation latency on every call and the Slack emulator
 * enforcing a tier-3-like chat.postMessage rate (429 + Retry-After past it; WebClient waits it
 * out). On one instance and on two sharing PostgreSQL: time to deliver every copy, speed-up,
 * Alation calls per subscriber per run, 429s, and the process's peak RSS.
 * The rate is tier 3's 50 calls scaled from a minute to `--window` ms (default 1,000), so a run
 * takes seconds, not 20 minutes; `--rate 0` lifts it to show what the instances do unhindered.
 * The bots pace their posts with the budget both instances share (SLACK_POSTS_PER_MINUTE), by
 * default at 90% of the emulator's rate, as an operator sets it below Slack's; `--pace` (posts
 * a minute) overrides it. Without a Slack limit they are paced at 600,000 a minute (no limit).
 * Options: --subscribers 1000 --latency 50 --rate 50 --window 1000 --pace <per minute>.
 * Needs TEST_DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { DIGEST_QUEUE } from '../src/queue/digest-run.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../test/support/bot.ts';
import { type TestDatabase, testDatabases } from '../test/support/databases.ts';
import { createQueryDigest } from '../test/support/query-digest.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '50' },
    rate: { type: 'string', default: '50' },
    window: { type: 'string', default: '1000' },
    pace: { type: 'string' },
  },
});
const COUNT = Number(values.subscribers);
const LATENCY_MS = Number(values.latency);
const RATE = Number(values.rate);
const WINDOW_MS = Number(values.window);
/** The bots' shared budget, posts a minute, for a Slack rate of `rate` per window. */
const paceFor = (rate: number) =>
  values.pace ? Number(values.pace) : rate > 0 ? (0.9 * rate * 60_000) / WINDOW_MS : 600_000;

interface Run {
  seconds: number;
  dataCallsPerSubscriber: number;
  tokenMints: number;
  rejected: number;
}

async function fanOut(label: string, database: TestDatabase, instances: 1 | 2, rate: number) {
  const schema = `pgboss_fanout_${Date.now().toString(36)}`;
  const slackPostsPerMinute = paceFor(rate);
  const first = await startTestBot({ database, jobs: { schema }, slackPostsPerMinute });
  const bots: TestBot[] = [first];
  if (instances === 2) {
    bots.push(await startTestBot({ jobs: { schema }, reuse: first, slackPostsPerMinute }));
  }
  try {
    await first.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = first.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = first.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
    first.alation.addResult(query.id, { csv: 'region,total\nEMEA,1200.50\n', rowCount: 1 });
    const digest = await createQueryDigest(first, {
      owner: DEFAULT_OWNER,
      queryId: query.id,
      name: 'Fan-out',
      personal: true,
      since: new Date(),
    });
    for (let i = 0; i < COUNT; i++) {
      const owner = {
        tenantId: DEFAULT_OWNER.tenantId,
        userId: `U0SUB${String(i).padStart(5, '0')}`,
      };
      first.slack.addUser({ id: owner.userId, name: owner.userId.toLowerCase() });
      await first.connectAlation(owner, 1000 + i);
      await first.features.subscriptions.subscribe(digest.id, owner);
    }
    first.alation.fault({ path: /^\/integration\//, latencyMs: LATENCY_MS, times: Infinity });
    const tier =
      rate > 0
        ? first.slack.rateLimit({
            method: 'chat.postMessage',
            perWorkspace: rate,
            perChannel: 1,
            windowMs: WINDOW_MS,
          })
        : undefined;
    const calls = first.alation.requests.length;
    const started = performance.now();
    await first.boss?.send(DIGEST_QUEUE, { digestId: digest.id, manual: 'bench' });
    // Every copy, plus the channel's post.
    const delivered = () =>
      first.slack.callsTo('chat.postMessage').filter((c) => c.status === 200).length;
    await first.slack.waitUntil(() => delivered() >= COUNT + 1 || undefined, {
      timeoutMs: 900_000,
    });
    const seconds = (performance.now() - started) / 1000;
    const during = first.alation.requests.slice(calls);
    const subscriberIds = new Set(Array.from({ length: COUNT }, (_, i) => 1000 + i));
    const asSubscribers = during.filter((r) => r.userId !== null && subscriberIds.has(r.userId));
    const mints = asSubscribers.filter((r) => r.method === 'POST').length;
    const data = asSubscribers.length - mints;
    const run: Run = {
      seconds,
      dataCallsPerSubscriber: data / COUNT,
      tokenMints: mints,
      rejected: tier?.rejected ?? 0,
    };
    console.log(
      `${label.padEnd(40)} ${String(delivered() - 1).padStart(5)} copies in ${seconds.toFixed(1).padStart(6)} s (${((delivered() - 1) / seconds).toFixed(1)}/s) · Alation data calls per subscriber ${run.dataCallsPerSubscriber.toFixed(2)} (+${mints} first-use token mints) · 429s ${run.rejected}`,
    );
    return run;
  } finally {
    for (const bot of bots.reverse()) await bot.stop();
  }
}

const postgres = testDatabases().find((d) => d.name === 'postgres');
if (!postgres) {
  console.log('set TEST_DATABASE_URL to a PostgreSQL database: the bench compares two instances');
  process.exit(0);
}
console.log(
  `one personal digest to ${COUNT} subscribers, ${LATENCY_MS} ms Alation latency, chat.postMessage ${RATE > 0 ? `limited to ${RATE} per ${WINDOW_MS} ms per workspace and 1 per channel; bots paced at ${paceFor(RATE).toFixed(0)} a minute, shared` : 'unlimited'}`,
);
const rates = RATE > 0 ? [RATE, 0] : [0];
for (const rate of rates) {
  const tag = rate > 0 ? 'rate-limited' : 'no Slack limit';
  const one = await fanOut(`one instance, ${tag}`, postgres, 1, rate);
  const two = await fanOut(`two instances, ${tag}`, postgres, 2, rate);
  console.log(`  two-instance speed-up (${tag}): ${(one.seconds / two.seconds).toFixed(2)}×`);
  const target = Math.max(one.dataCallsPerSubscriber, two.dataCallsPerSubscriber);
  console.log(
    `  Alation calls per subscriber per run: ${target.toFixed(2)} (target: 1, no more: ${target <= 1 ? 'met' : 'MISSED'})`,
  );
}
console.log(
  `peak RSS of this process (bot instances and emulators together): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
