/**
 * One pass of alert checks: 1,000 alerts on 200 queries (five each, one creator), every query
 * with a new result, 50 ms of Alation latency on every call. The pass is queued as the minute
 * tick queues it (queueDueChecks), so no real minute is waited for. Prints the time for every
 * alert to be judged, on one instance and on two sharing PostgreSQL (the speed-up), and how many
 * Alation calls the pass made against the targets: one latest-result read per (creator, query)
 * pair and one CSV download per new result.
 * Options: --alerts 1000 --queries 200 --latency 50. Two instances need TEST_DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import type { Condition } from '../src/alerts/condition.ts';
import { queueDueChecks } from '../src/queue/alert-check.ts';
import { SLACK_DEFAULTS } from '../test/emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../test/support/bot.ts';
import { type TestDatabase, testDatabases } from '../test/support/databases.ts';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000' },
    queries: { type: 'string', default: '200' },
    latency: { type: 'string', default: '50' },
  },
});
const ALERTS = Number(values.alerts);
const QUERIES = Number(values.queries);
const LATENCY_MS = Number(values.latency);
const TICK = new Date('2026-12-01T09:05:00Z');
const CONDITIONS: Condition[] = [
  { kind: 'row_count', op: '>', n: 0 },
  { kind: 'column', column: 'total', reducer: 'sum', op: '>', threshold: 1000 },
  { kind: 'column', column: 'total', reducer: 'max', op: '<', threshold: 10 },
  { kind: 'new_rows', keyColumn: 'region' },
  { kind: 'changed' },
];

async function pass(label: string, database: TestDatabase, instances: 1 | 2) {
  const schema = `pgboss_alerts_${Date.now().toString(36)}`;
  const first = await startTestBot({ database, jobs: { schema } });
  const bots: TestBot[] = [first];
  if (instances === 2) bots.push(await startTestBot({ jobs: { schema }, reuse: first }));
  try {
    await first.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = first.alation.addDataSource({ title: 'Warehouse' }).id;
    const queryIds: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const query = first.alation.addQuery({
        datasourceId,
        title: `Sales ${q}`,
        content: 'SELECT 1',
      });
      first.alation.addResult(query.id, {
        csv: `region,total\nEMEA,${1000 + q}.50\nAMER,980.00\n`,
        executedAt: new Date(Date.now() - 60_000),
      });
      queryIds.push(query.id);
    }
    for (let i = 0; i < ALERTS; i++) {
      await first.features.alerts.create(
        {
          owner: DEFAULT_OWNER,
          channelId: SLACK_DEFAULTS.channelId,
          onlyMe: false,
          tz: 'UTC',
          name: `Alert ${i}`,
          queryId: queryIds[i % QUERIES] ?? 0,
          condition: CONDITIONS[Math.floor(i / QUERIES) % CONDITIONS.length] ?? { kind: 'changed' },
          everyMinutes: 5,
        },
        TICK,
      );
    }
    first.alation.fault({ path: /^\/integration\//, latencyMs: LATENCY_MS, times: Infinity });
    const before = first.alation.requests.length;
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    if (!first.boss) throw new Error('no pg-boss');
    await queueDueChecks(first.boss, first.features.alerts, TICK);
    const done = async () => {
      const [row] = await first.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM alert_checks WHERE status <> 'claimed'",
      );
      return Number(row?.n ?? 0);
    };
    while ((await done()) < ALERTS) {
      if (performance.now() - started > 600_000) throw new Error('pass did not finish in 10 min');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = first.alation.requests.slice(before);
    const latest = calls.filter((c) => /\/result\/latest\/$/.test(c.path)).length;
    const csv = calls.filter((c) => /\/result\/\d+\/csv\/$/.test(c.path)).length;
    console.log(
      `${label.padEnd(30)} ${ALERTS} judged in ${seconds.toFixed(1).padStart(6)} s · ${calls.length} Alation calls: ${latest} latest-result (target ${QUERIES}), ${csv} CSV (target ${QUERIES}) · RSS +${((process.memoryUsage().rss - rss) / 2 ** 20).toFixed(0)} MB`,
    );
    return { seconds, latest, csv };
  } finally {
    for (const bot of bots.reverse()) await bot.stop();
  }
}

const [embedded, postgres] = [
  testDatabases().find((d) => d.name !== 'postgres'),
  testDatabases().find((d) => d.name === 'postgres'),
];
console.log(`${ALERTS} alerts on ${QUERIES} queries, one pass, ${LATENCY_MS} ms Alation latency`);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
if (embedded) {
  const r = await pass('one instance (embedded PGlite)', embedded, 1);
  console.log(
    `  target ≤ 60 s on one instance: ${verdict(r.seconds <= 60)}; calls: ${verdict(r.latest <= QUERIES && r.csv <= QUERIES)}`,
  );
}
if (postgres) {
  const one = await pass('one instance (PostgreSQL)', postgres, 1);
  const two = await pass('two instances (PostgreSQL)', postgres, 2);
  const speedup = one.seconds / two.seconds;
  console.log(
    `  two-instance speed-up: ${speedup.toFixed(2)}× (target ≥ 1.6: ${verdict(speedup >= 1.6)})`,
  );
} else {
  console.log('  set TEST_DATABASE_URL to a PostgreSQL database for the two-instance run');
}
