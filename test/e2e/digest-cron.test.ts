// pg-boss's own cron, driven by its TestClock instead of waited for: a digest scheduled at 09:00
// Europe/Berlin is fired by pg-boss at 09:00 local on both sides of the spring change, the
// worker finds the slot from the job, and the post names the right period.
import { TestClock } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import { textOf } from '../support/flows.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

/** Moves pg-boss's clock on in 15 s steps (its cron looks every 30 s), up to `to`. */
async function runClockTo(clock: TestClock, to: string) {
  const end = new Date(to).getTime();
  while (clock.now() < end) await clock.tick(Math.min(15_000, end - clock.now()));
}

/** A bot whose pg-boss (and app clock) is `clock`, with one scheduled query-result digest. */
async function scheduledBot(
  clock: TestClock,
  digest: { name: string; cron: string; tz: string; since: string },
  schema?: string,
) {
  const t = await startTestBot({
    jobs: { clock, ...(schema ? { schema } : {}) },
    now: () => new Date(clock.now()),
  });
  bots.push(t);
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
  t.alation.addResult(query.id, { csv: 'a,b\n1,2\n', rowCount: 1 });
  const created = await t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: CHANNEL,
      name: digest.name,
      params: {
        kind: 'query_result',
        queryId: query.id,
        attachCsv: false,
        onlyIfChanged: false,
        includeChart: false,
      },
      cron: digest.cron,
      tz: digest.tz,
    },
    new Date(digest.since),
  );
  await t.features.digestScheduler().schedule(created);
  return { t, digest: created };
}

describe('pg-boss cron with a time zone', () => {
  it('fires a 09:00 Europe/Berlin digest at 09:00 local before and after the spring change', async () => {
    // Saturday 28 March 2026, 08:59 in Berlin (CET, UTC+1); summer time starts on the 29th.
    const clock = new TestClock('2026-03-28T07:59:00Z');
    const { t, digest } = await scheduledBot(clock, {
      name: 'Berlin mornings',
      cron: '0 9 * * *',
      tz: 'Europe/Berlin',
      since: '2026-03-27T08:00:00Z',
    });

    // Up to 08:59:45 local: nothing yet.
    await runClockTo(clock, '2026-03-28T07:59:45Z');
    expect(t.slack.messages(CHANNEL)).toHaveLength(0);
    // Past 09:00 local (08:00Z): pg-boss makes the job, the worker posts it.
    await runClockTo(clock, '2026-03-28T08:01:00Z');
    await t.slack.waitUntil(() => t.slack.messages(CHANNEL).length === 1 || undefined, {
      timeoutMs: 20_000,
    });

    // Sunday 29 March: 09:00 in Berlin is now 07:00Z (CEST, UTC+2), not 08:00Z.
    await clock.setTime('2026-03-29T06:59:00Z');
    await runClockTo(clock, '2026-03-29T07:01:00Z');
    await t.slack.waitUntil(() => t.slack.messages(CHANNEL).length === 2 || undefined, {
      timeoutMs: 20_000,
    });
    // An hour later (08:00Z, the old 09:00) nothing more fires.
    await clock.setTime('2026-03-29T07:59:00Z');
    await runClockTo(clock, '2026-03-29T08:01:00Z');
    await new Promise((r) => setTimeout(r, 1_000));

    const posts = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    expect(posts).toHaveLength(2);
    const periods = posts.map(
      (c) =>
        textOf(c.args)
          .split('\n')
          .find((l) => l.includes('→')) ?? '',
    );
    expect(periods[0]).toContain('→ Sat 28 Mar 2026, 09:00 UTC+01:00');
    // The second period starts where the first ended and ends at 09:00 summer time.
    expect(periods[1]).toContain(
      'Sat 28 Mar 2026, 09:00 UTC+01:00 → Sun 29 Mar 2026, 09:00 UTC+02:00',
    );
    expect(await t.features.digests.deliveries(digest.id)).toEqual([
      { slot: '2026-03-28T08:00:00.000Z', status: 'posted' },
      { slot: '2026-03-29T07:00:00.000Z', status: 'posted' },
    ]);
  }, 90_000);

  it('posts a local time that happens twice (clocks go back) once, though pg-boss fires it twice', async () => {
    // 02:30 in Berlin on Sunday 25 October 2026 is 00:30Z (summer time) and again 01:30Z.
    const clock = new TestClock('2026-10-25T00:29:00Z');
    const schema = `pgboss_dst_${Date.now().toString(36)}`;
    const { t, digest } = await scheduledBot(
      clock,
      { name: 'Overnight', cron: '30 2 * * *', tz: 'Europe/Berlin', since: '2026-10-24T00:30:00Z' },
      schema,
    );
    await runClockTo(clock, '2026-10-25T00:31:00Z');
    await t.slack.waitUntil(() => t.slack.messages(CHANNEL).length === 1 || undefined, {
      timeoutMs: 20_000,
    });
    await clock.setTime('2026-10-25T01:29:00Z');
    await runClockTo(clock, '2026-10-25T01:31:00Z');
    const jobs = async () =>
      t.db.query<{ state: string }>(`SELECT state FROM ${schema}.job WHERE name = 'digest-run'`);
    await until(
      async () => (await jobs()).filter((j) => j.state === 'completed').length === 2,
      20_000,
      'both of pg-boss’s jobs to be worked',
    );
    expect(t.slack.messages(CHANNEL)).toHaveLength(1);
    expect(await t.features.digests.deliveries(digest.id)).toEqual([
      { slot: '2026-10-25T00:30:00.000Z', status: 'posted' },
    ]);
  }, 90_000);

  it('posts a slot that came due while every replica was down, once, when one is back', async () => {
    const clock = new TestClock('2026-11-24T07:58:00Z');
    const { t, digest } = await scheduledBot(clock, {
      name: 'Deploy-proof',
      cron: '0 8 * * *',
      tz: 'UTC',
      since: '2026-11-23T08:00:00Z',
    });
    await runClockTo(clock, '2026-11-24T07:59:00Z');
    // Down from 07:59 to 10:30: no cron pass sees 08:00 come due.
    await clock.setTime('2026-11-24T10:30:00Z');
    await runClockTo(clock, '2026-11-24T10:32:00Z');
    await t.slack.waitUntil(() => t.slack.messages(CHANNEL).length === 1 || undefined, {
      timeoutMs: 20_000,
    });
    expect(await t.features.digests.deliveries(digest.id)).toEqual([
      { slot: '2026-11-24T08:00:00.000Z', status: 'posted' },
    ]);
  }, 90_000);
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('pg-boss cron on two replicas (PostgreSQL)', () => {
  it('both replicas run the cron; each digest due at 09:00 posts exactly once', async () => {
    const clock = new TestClock('2026-11-24T07:59:00Z');
    const schema = `pgboss_cron2_${Date.now().toString(36)}`;
    const now = () => new Date(clock.now());
    const a = await startTestBot({ database: postgres, jobs: { clock, schema }, now });
    bots.push(a);
    const b = await startTestBot({ jobs: { clock, schema }, now, reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = a.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = a.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
    a.alation.addResult(query.id, { csv: 'a,b\n1,2\n', rowCount: 1 });
    for (let i = 0; i < 20; i++) {
      const digest = await a.features.digests.create(
        {
          owner: DEFAULT_OWNER,
          channelId: CHANNEL,
          name: `Digest ${i}`,
          params: {
            kind: 'query_result',
            queryId: query.id,
            attachCsv: false,
            onlyIfChanged: false,
          },
          cron: '0 9 * * *',
          tz: 'Europe/Berlin',
        },
        new Date('2026-11-23T08:00:00Z'),
      );
      await (i % 2 === 0 ? a : b).features.digestScheduler().schedule(digest);
    }
    await runClockTo(clock, '2026-11-24T08:01:00Z');
    await a.slack.waitUntil(() => a.slack.messages(CHANNEL).length >= 20 || undefined, {
      timeoutMs: 30_000,
    });
    await until(
      async () => {
        const [row] = await a.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.job WHERE name = 'digest-run' AND state <> 'completed'`,
        );
        return Number(row?.n) === 0;
      },
      20_000,
      'every digest job to finish',
    );
    expect(a.slack.messages(CHANNEL)).toHaveLength(20);
    const [posted] = await a.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM digest_deliveries WHERE status = 'posted' AND slot = '2026-11-24T08:00:00.000Z'`,
    );
    expect(Number(posted?.n)).toBe(20);
  }, 120_000);
});
