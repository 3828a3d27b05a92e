// A replica killed (SIGKILL) in the middle of a digest run, on PostgreSQL: the slot is still
// posted, exactly once, by the replica that survives. pg-boss notices the dead worker by its
// stopped heartbeat and retries the job; the retry takes the slot over once the dead replica's
// claim is no longer renewed.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeliveryDeps,
  deliverDigest,
  TransientDeliveryError,
} from '../../src/digests/deliver.ts';
import { DIGEST_QUEUE, digestWorkerDeps, startDigestWorker } from '../../src/queue/digest-run.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import type { ReplicaSettings } from '../support/digest-replica.ts';
import { captureLog } from '../support/log.ts';
import { ROOT } from '../support/process.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;
const QUERY_PATH = /^\/integration\/v1\/query\/\d+\/$/;

const bots: TestBot[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function seedDigest(t: TestBot) {
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Sales', content: 'SELECT 1' });
  t.alation.addResult(query.id, { csv: 'a,b\n1,2\n', rowCount: 1 });
  return t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: CHANNEL,
      name: 'Survives a kill',
      params: {
        kind: 'query_result',
        queryId: query.id,
        attachCsv: false,
        onlyIfChanged: false,
        includeChart: false,
      },
      cron: '0 9 * * *',
      tz: 'UTC',
    },
    new Date('2026-11-23T09:00:00Z'),
  );
}

describe('a digest run that stalls past its lease', () => {
  async function stalledRun(renewal: 'comes back' | 'stays down') {
    const t = await startTestBot({});
    bots.push(t);
    const digest = await seedDigest(t);
    const deps: DeliveryDeps = {
      ...digestWorkerDeps(t.features, t.bot.app.client, captureLog().log),
      leaseMs: 300,
    };
    // Replica A: stalls on Alation, and cannot reach the database to renew its claim meanwhile.
    let frozen = true;
    const aDeps: DeliveryDeps = {
      ...deps,
      digests: {
        ...t.features.digests,
        renew: (...args) => {
          if (frozen) return Promise.reject(new Error('database unreachable'));
          return t.features.digests.renew(...args);
        },
      },
    };
    const slot = { at: new Date('2026-11-24T09:00:00Z') };
    const stall = t.alation.fault({ method: 'GET', path: QUERY_PATH, latencyMs: 1_500 });
    const stalled = deliverDigest(aDeps, digest.id, slot).then(
      (outcome) => outcome,
      (error: unknown) => (error instanceof TransientDeliveryError ? 'retry later' : error),
    );
    await until(async () => stall.hits > 0, 5_000, 'the stalled run to reach Alation');
    await new Promise((r) => setTimeout(r, 400));
    // A's lease has run out: replica B (a pg-boss retry) takes the slot over and posts.
    expect(await deliverDigest(deps, digest.id, slot)).toBe('posted');
    if (renewal === 'comes back') frozen = false;
    return { t, digest, outcome: await stalled };
  }

  it('does not post once another replica has taken the slot over', async () => {
    const { t, outcome } = await stalledRun('comes back');
    // A wakes up, finds the claim is someone else's now, and stays quiet.
    expect(outcome).toBe('duplicate');
    expect(t.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it('does not post when it cannot confirm its claim, and leaves the other replica’s record alone', async () => {
    const { t, digest, outcome } = await stalledRun('stays down');
    expect(outcome).toBe('retry later');
    expect(t.slack.messages(CHANNEL)).toHaveLength(1);
    expect(await t.features.digests.deliveries(digest.id)).toEqual([
      { slot: '2026-11-24T09:00:00.000Z', status: 'posted' },
    ]);
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('a replica killed mid-run (PostgreSQL)', () => {
  it('posts the slot exactly once, from the replica that survives', async () => {
    const sealingKey = randomBytes(32);
    const bossSchema = `pgboss_kill_${randomBytes(4).toString('hex')}`;
    const survivor = await startTestBot({
      database: postgres,
      sealingKey,
      jobs: { schema: bossSchema, monitorSeconds: 1 },
    });
    bots.push(survivor);
    const digest = await seedDigest(survivor);
    const boss = survivor.boss;
    if (!boss) throw new Error('no pg-boss');
    // Only the doomed replica works the queue until it is dead.
    await boss.offWork(DIGEST_QUEUE);
    const leaseMs = 3_000;
    const settings: ReplicaSettings = {
      databaseUrl: survivor.db.url ?? '',
      bossSchema,
      keyHex: sealingKey.toString('hex'),
      slackApiUrl: survivor.slack.apiUrl,
      botToken: survivor.slack.botToken,
      alationBaseUrl: survivor.alation.url,
      modeBaseUrl: survivor.mode.url,
      leaseMs,
    };
    const doomed = spawn(process.execPath, [path.join(ROOT, 'test/support/digest-replica.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', REPLICA: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(doomed);
    let out = '';
    doomed.stdout?.on('data', (d) => {
      out += String(d);
    });
    doomed.stderr?.on('data', (d) => {
      out += String(d);
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      doomed.on('exit', (_code, signal) => resolve(signal)),
    );
    await until(
      async () => /^ready$/m.test(out),
      30_000,
      () => `the replica to start:\n${out}`,
    );

    // pg-boss's shortest heartbeat, set after the replica's own start-up wrote the defaults.
    await boss.updateQueue(DIGEST_QUEUE, { heartbeatSeconds: 10, retryDelay: 1 });
    // The doomed replica claims the slot and then waits on Alation, which never answers it.
    const hang = survivor.alation.fault({ method: 'GET', path: QUERY_PATH, hang: true });
    const slot = '2026-11-24T09:00:00.000Z';
    await boss.send(DIGEST_QUEUE, { digestId: digest.id, slot });
    await until(
      async () => hang.hits > 0,
      20_000,
      () => `the replica to start the run:\n${out}`,
    );
    expect(await survivor.features.digests.deliveries(digest.id)).toEqual([
      { slot, status: 'claimed' },
    ]);
    doomed.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The survivor: pg-boss fails the silent job, retries it here, the retry takes the slot.
    await startDigestWorker(boss, {
      ...digestWorkerDeps(survivor.features, survivor.bot.app.client, captureLog().log),
      leaseMs,
      pollingIntervalSeconds: 0.5,
    });
    await survivor.slack.waitUntil(() => survivor.slack.messages(CHANNEL).length > 0 || undefined, {
      timeoutMs: 60_000,
    });
    await until(
      async () => {
        const [job] = await survivor.db.query<{ state: string }>(
          `SELECT state FROM ${bossSchema}.job WHERE name = $1`,
          [DIGEST_QUEUE],
        );
        return job?.state === 'completed';
      },
      20_000,
      'the job to complete',
    );
    // A while longer: nothing else turns up.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(survivor.slack.messages(CHANNEL)).toHaveLength(1);
    expect(await survivor.features.digests.deliveries(digest.id)).toEqual([
      { slot, status: 'posted' },
    ]);
    const [job] = await survivor.db.query<{ retry_count: number }>(
      `SELECT retry_count FROM ${bossSchema}.job WHERE name = $1`,
      [DIGEST_QUEUE],
    );
    expect(job?.retry_count).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
