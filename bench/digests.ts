/**
 * 1,000 query-result digests (with their CSV) due in the same minute, against the emulators
 * with 50 ms of Alation latency on every call: on one instance, and on two sharing PostgreSQL.
 * Prints the time to deliver all and the two-instance speed-up. The minute's jobs are inserted
 * as pg-boss's cron pass forwards them, so no real minute is waited for.
 * Each digest's result suits a bar chart: `--charts on` draws one with every post (the default
 * for a digest), `off` posts without, `both` (the default here) runs each setup both ways, so
 * what charts cost when many digests are due at once shows side by side.
 * `--queries N` spreads the digests over N queries with results of their own (1: every digest
 * posts the same result, whose chart is then drawn once; 1000: a chart per digest).
 * Options: --digests 1000 --latency 50 --charts both --queries 1. Two instances need TEST_DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { DIGEST_QUEUE } from '../src/queue/digest-run.ts';
import { SLACK_DEFAULTS } from '../test/emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../test/support/bot.ts';
import { type TestDatabase, testDatabases } from '../test/support/databases.ts';

const { values } = parseArgs({
  options: {
    digests: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '50' },
    charts: { type: 'string', default: 'both' },
    queries: { type: 'string', default: '1' },
  },
});
const COUNT = Number(values.digests);
const QUERIES = Math.max(1, Math.min(COUNT, Number(values.queries)));
const LATENCY_MS = Number(values.latency);
const SLOT = '2026-11-24T09:00:00.000Z';
const CHART_MODES: boolean[] =
  values.charts === 'on' ? [true] : values.charts === 'off' ? [false] : [true, false];

async function deliverAll(
  label: string,
  database: TestDatabase,
  instances: 1 | 2,
  includeChart: boolean,
) {
  const schema = `pgboss_bench_${Date.now().toString(36)}`;
  const first = await startTestBot({ database, jobs: { schema } });
  const bots: TestBot[] = [first];
  if (instances === 2) bots.push(await startTestBot({ jobs: { schema }, reuse: first }));
  try {
    await first.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = first.alation.addDataSource({ title: 'Warehouse' }).id;
    const queries = Array.from({ length: QUERIES }, (_, q) => {
      const query = first.alation.addQuery({
        datasourceId,
        title: `Sales ${q}`,
        content: 'SELECT 1',
      });
      first.alation.addResult(query.id, {
        csv: `region,total\nEMEA,${1200 + q}.50\nAMER,980.00\n`,
        rowCount: 2,
      });
      return query.id;
    });
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const digest = await first.features.digests.create(
        {
          owner: DEFAULT_OWNER,
          channelId: SLACK_DEFAULTS.channelId,
          name: `Digest ${i}`,
          params: {
            kind: 'query_result',
            queryId: queries[i % QUERIES] ?? 0,
            attachCsv: true,
            onlyIfChanged: false,
            includeChart,
          },
          cron: '0 10 * * *',
          tz: 'Europe/Berlin',
        },
        new Date('2026-11-23T09:00:00Z'),
      );
      ids.push(digest.id);
    }
    first.alation.fault({ path: /^\/integration\//, latencyMs: LATENCY_MS, times: Infinity });
    const started = performance.now();
    await first.boss?.insert(
      DIGEST_QUEUE,
      ids.map((digestId) => ({ data: { digestId, slot: SLOT } })),
    );
    await first.slack.waitUntil(
      () => first.slack.messages(SLACK_DEFAULTS.channelId).length >= COUNT || undefined,
      { timeoutMs: 600_000 },
    );
    const seconds = (performance.now() - started) / 1000;
    const posted = first.slack.messages(SLACK_DEFAULTS.channelId).length;
    label = `${label}, ${includeChart ? 'with' : 'without'} charts`;
    console.log(
      `${label.padEnd(50)} ${String(posted).padStart(5)} posts in ${seconds.toFixed(1).padStart(6)} s (${(posted / seconds).toFixed(1)}/s)`,
    );
    return seconds;
  } finally {
    for (const bot of bots.reverse()) await bot.stop();
  }
}

const [embedded, postgres] = [
  testDatabases().find((d) => d.name !== 'postgres'),
  testDatabases().find((d) => d.name === 'postgres'),
];
console.log(
  `${COUNT} digests of ${QUERIES} ${QUERIES === 1 ? 'query' : 'queries'} due at once, ${LATENCY_MS} ms Alation latency, CSV attached`,
);
for (const charts of CHART_MODES) {
  if (embedded) {
    const s = await deliverAll('one instance (embedded PGlite)', embedded, 1, charts);
    console.log(`  target: all delivered in ≤ 60 s on one instance: ${s <= 60 ? 'met' : 'MISSED'}`);
  }
  if (postgres) {
    const one = await deliverAll('one instance (PostgreSQL)', postgres, 1, charts);
    const two = await deliverAll('two instances (PostgreSQL)', postgres, 2, charts);
    const speedup = one / two;
    console.log(
      `  two-instance speed-up: ${speedup.toFixed(2)}× (target ≥ 1.6: ${speedup >= 1.6 ? 'met' : 'MISSED'})`,
    );
  } else {
    console.log('  set TEST_DATABASE_URL to a PostgreSQL database for the two-instance run');
  }
}
