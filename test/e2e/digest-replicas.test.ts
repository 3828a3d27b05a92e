import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryDeps, deliverDigest } from '../../src/digests/deliver.ts';
import { nextSlots } from '../../src/digests/slots.ts';
import { DIGEST_QUEUE, digestWorkerDeps } from '../../src/queue/digest-run.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { queueDrained } from '../support/copies.ts';
import { testDatabases } from '../support/databases.ts';
import { textOf } from '../support/flows.ts';
import { captureLog } from '../support/log.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const CHANNEL = SLACK_DEFAULTS.channelId;

async function seedQuery(t: TestBot) {
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
  t.alation.addResult(query.id, { csv: 'a,b\n1,2\n', rowCount: 1 });
  return query.id;
}

function depsAt(t: TestBot, now: () => Date): DeliveryDeps {
  return { ...digestWorkerDeps(t.features, t.bot.app.client, captureLog().log), now };
}

describe('daylight saving time', () => {
  it('fires at 09:00 local on both sides of the spring and autumn changes', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    const queryId = await seedQuery(t);
    const digest = await t.features.digests.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        name: 'Berlin mornings',
        params: {
          kind: 'query_result',
          queryId,
          attachCsv: false,
          onlyIfChanged: false,
          includeChart: false,
        },
        cron: '0 9 * * *',
        tz: 'Europe/Berlin',
      },
      new Date('2026-03-27T08:00:00Z'),
    );
    const spring = nextSlots(digest.cron, digest.tz, new Date('2026-03-27T12:00:00Z'), 3);
    const autumn = nextSlots(digest.cron, digest.tz, new Date('2026-10-23T12:00:00Z'), 3);
    // 09:00 CET is 08:00Z, 09:00 CEST is 07:00Z.
    expect(spring.map((d) => d.toISOString())).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(autumn.map((d) => d.toISOString())).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
    let now = new Date();
    const deps = depsAt(t, () => now);
    for (const at of [...spring, ...autumn]) {
      now = new Date(at.getTime() + 2_000);
      expect(await deliverDigest(deps, digest.id, { at })).toBe('posted');
    }
    const headers = t.slack.callsTo('chat.postMessage').map(
      (c) =>
        textOf(c.args)
          .split('\n')
          .find((l) => l.includes('→')) ?? '',
    );
    expect(headers).toHaveLength(6);
    expect(headers[1]).toContain('→ Sun 29 Mar 2026, 09:00 UTC+02:00');
    expect(headers[0]).toContain('→ Sat 28 Mar 2026, 09:00 UTC+01:00');
    expect(headers[4]).toContain('→ Sun 25 Oct 2026, 09:00 UTC+01:00');
    for (const h of headers) expect(h).toMatch(/→ \w{3} \d+ \w{3} 2026, 09:00/);
  });
});

describe('restarts', () => {
  it('takes over a slot a dead replica claimed but never finished, once its lease has passed', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    const queryId = await seedQuery(t);
    const digest = await t.features.digests.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        name: 'Resumed',
        params: {
          kind: 'query_result',
          queryId,
          attachCsv: false,
          onlyIfChanged: false,
          includeChart: false,
        },
        cron: '0 9 * * *',
        tz: 'UTC',
      },
      new Date('2026-11-23T09:00:00Z'),
    );
    const at = new Date('2026-11-24T09:00:00Z');
    // What a replica killed mid-run leaves: a claim, no outcome.
    expect(await t.features.digests.claim(digest.id, at.toISOString(), at, 60_000)).toEqual({
      state: 'claimed',
    });
    let now = new Date(at.getTime() + 30_000);
    const deps = { ...depsAt(t, () => now), leaseMs: 60_000 };
    // While the lease holds, the holder may still be alive: no second post, look again later.
    expect(await deliverDigest(deps, digest.id, { at })).toEqual({
      busyUntil: new Date(at.getTime() + 60_000),
    });
    now = new Date(at.getTime() + 5 * 60_000);
    expect(await deliverDigest(deps, digest.id, { at })).toBe('posted');
    expect(await deliverDigest(deps, digest.id, { at })).toBe('duplicate');
    expect(t.slack.messages(CHANNEL)).toHaveLength(1);
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('two replicas on one PostgreSQL', () => {
  it('200 digests due in the same minute, fired on both replicas: exactly 200 posts', async () => {
    const schema = `pgboss_digest_${Date.now().toString(36)}`;
    const a = await startTestBot({ database: postgres, jobs: { schema } });
    bots.push(a);
    const b = await startTestBot({ jobs: { schema }, reuse: a });
    bots.push(b);
    const queryId = await seedQuery(a);
    const slot = '2026-11-24T09:00:00.000Z';
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const d = await a.features.digests.create(
        {
          owner: DEFAULT_OWNER,
          channelId: CHANNEL,
          name: `Digest ${i}`,
          params: {
            kind: 'query_result',
            queryId,
            attachCsv: false,
            onlyIfChanged: false,
            includeChart: false,
          },
          cron: '0 10 * * *',
          tz: 'Europe/Berlin',
        },
        new Date('2026-11-23T09:00:00Z'),
      );
      ids.push(d.id);
    }
    // Each replica fires every digest for the slot, as if both had run the cron pass.
    await Promise.all([
      a.boss?.insert(
        DIGEST_QUEUE,
        ids.map((digestId) => ({ data: { digestId, slot } })),
      ),
      b.boss?.insert(
        DIGEST_QUEUE,
        ids.map((digestId) => ({ data: { digestId, slot } })),
      ),
    ]);
    await a.slack.waitUntil(() => a.slack.messages(CHANNEL).length >= 200 || undefined, {
      timeoutMs: 60_000,
    });
    await queueDrained(a, schema, DIGEST_QUEUE, 30_000);
    expect(a.slack.messages(CHANNEL)).toHaveLength(200);
    const [claims] = await a.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM digest_deliveries WHERE status = 'posted'`,
    );
    expect(Number(claims?.n)).toBe(200);
    // Both replicas did some of the work.
    const logsA = a.logs().filter((l) => l.msg === 'digest run finished').length;
    const logsB = b.logs().filter((l) => l.msg === 'digest run finished').length;
    expect(logsA + logsB).toBe(200);
    expect(logsA).toBeGreaterThan(0);
    expect(logsB).toBeGreaterThan(0);
  }, 120_000);
});
