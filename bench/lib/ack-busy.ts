/**
 * `npm run bench -- ack --busy`: the real bot process (`node src/main.ts`, embedded database)
 * acking bursts of `/alation help` while `--sharers` connected people each share a `--csv-mb`
 * MB query result with `/alation result`, alternating with idle rounds of the same bursts. Each
 * busy/idle pair gives a p99 ratio; the verdict is their median with a 95% interval.
 * The Alation and Slack emulators run in this process and the help bursts come from another
 * (ack-load.ts), so neither the CSV bytes' source and sink nor their clock share the bot's
 * core; with two cores the bot gets one to itself.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createLogger } from '../../src/log.ts';
import { createCredentialStore } from '../../src/store/credentials.ts';
import { openPglite } from '../../src/store/db.ts';
import { createKeyring } from '../../src/store/keyring.ts';
import { buildSlashCommand, computeSignature } from '../../test/driver.ts';
import { startAlationEmulator } from '../../test/emulators/alation.ts';
import { SLACK_DEFAULTS, startSlackEmulator } from '../../test/emulators/slack.ts';
import { bigCsv } from '../../test/support/csv.ts';
import { freePort, ROOT, waitForStatus } from '../../test/support/process.ts';
import { median, p50p99 } from './stats.ts';

export interface BusyOptions {
  rounds: number;
  warmup: number;
  concurrency: number;
  sharers: number;
  csvMb: number;
  verbose: boolean;
  /** Another checkout to run instead of this one (e.g. an older commit, for comparison). */
  root: string | undefined;
  /** A directory for V8 CPU profiles of the bot's threads. */
  cpuProf: string | undefined;
}

const SECRET = 'bench-busy-signing-secret';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = 1.5;

export async function runBusy(o: BusyOptions): Promise<void> {
  const pinned =
    availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (pinned) spawnSync('taskset', ['-cp', '0', String(process.pid)]);
  const slack = await startSlackEmulator();
  const alation = await startAlationEmulator();
  const csv = bigCsv(o.csvMb * 1024 * 1024);
  // Built once: generating 2 MB per download would load this process's loop, which also times
  // the acks.
  const chunks = [...csv.chunks()];
  const source = alation.addDataSource({ title: 'Warehouse' });
  const query = alation.addQuery({ datasourceId: source.id, title: 'Big', content: 'SELECT 1' });
  alation.addResult(query.id, { csv: () => chunks, rowCount: csv.rows });

  // Connect the sharers: their credentials sealed into the bot's database before it starts.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-busy-'));
  const key = randomBytes(32);
  const seeding = await openPglite(path.join(dataDir, 'pglite'));
  // The schema of the build that runs: an older build refuses a newer database.
  const migrations = (await import(
    path.join(o.root ?? ROOT, 'src/store/migrate.ts')
  )) as typeof import('../../src/store/migrate.ts');
  await migrations.migrate(seeding, await migrations.loadMigrations());
  const quiet = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const store = createCredentialStore(seeding, createKeyring([{ label: 'bench', key }]), quiet);
  const sharers = Array.from({ length: o.sharers }, (_, i) => `UBUSY${String(i).padStart(4, '0')}`);
  for (const [i, userId] of sharers.entries()) {
    const alationUserId = 1000 + i;
    const { refreshToken } = alation.addUser({ id: alationUserId });
    slack.addUser({ id: userId, name: `sharer${i}` });
    await store.save(
      { tenantId: SLACK_DEFAULTS.teamId, userId },
      'alation',
      { method: 'refresh_token', alationUserId, refreshToken },
      { method: 'refresh_token', alationUserId },
    );
  }
  await seeding.close();

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    ALATION_BASE_URL: alation.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    TOKEN_ENCRYPTION_KEY: key.toString('base64'),
    LOG_LEVEL: 'warn',
    ...(o.cpuProf ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${o.cpuProf}` } : {}),
  };
  const root = o.root ?? ROOT;
  const args = [process.execPath, 'src/main.ts'];
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  const child: ChildProcess = pinned
    ? spawn('taskset', ['-c', '1', ...args], { cwd: root, env, stdio })
    : spawn(args[0] ?? '', args.slice(1), { cwd: root, env, stdio });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  // The bot's own warnings about event-loop blocks (src/event-loop.ts), counted for the report.
  const blocks: number[] = [];
  let partial = '';
  child.stdout?.on('data', (d) => {
    const lines = (partial + String(d)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const ms = /"eventLoopDelayMs":([\d.]+)/.exec(line)?.[1];
      if (ms) blocks.push(Number(ms));
      if (o.verbose && ms) console.log(`  bot: event loop blocked ${ms} ms`);
    }
  });
  const bot = {
    child,
    stdout: () => '',
    stderr: () => stderr,
    exited: new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    ),
  };
  const agent = new Agent({ connections: o.concurrency + o.sharers + 10, pipelining: 0 });

  const post = async (fields: Parameters<typeof buildSlashCommand>[0]): Promise<number> => {
    const body = new URLSearchParams(
      Object.entries(buildSlashCommand(fields)).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    const ts = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const res = await request(`${origin}/slack/events`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': computeSignature(SECRET, ts, body),
      },
      body,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`ack answered ${res.statusCode}`);
    return performance.now() - started;
  };
  // Bursts come from a process of their own (on the emulators' core): see ack-load.ts.
  const load = spawn(
    process.execPath,
    [path.join(HERE, 'ack-load.ts'), `${origin}/slack/events`, SECRET, String(o.concurrency)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const answers = createInterface({ input: load.stdout })[Symbol.asyncIterator]();
  const burst = async (): Promise<number[]> => {
    load.stdin.write('burst\n');
    const { value } = await answers.next();
    if (typeof value !== 'string') throw new Error('the load generator stopped');
    return JSON.parse(value) as number[];
  };
  const uploads = () => slack.callsTo('files.completeUploadExternal').length;

  const ratios: number[] = [];
  const pooled = { idle: [] as number[], busy: [] as number[] };
  let inFlightAtBurstEnd = 0;
  try {
    await waitForStatus(`${origin}/readyz`, 200, bot, 120_000);
    for (let round = 0; round < o.warmup + o.rounds; round++) {
      const got: { idle: number[]; busy: number[] } = { idle: [], busy: [] };
      for (const mode of round % 2 === 0 ? ['idle', 'busy'] : ['busy', 'idle']) {
        if (mode === 'idle') {
          got.idle = await burst();
        } else {
          slack.reset();
          await Promise.all(
            sharers.map((user_id) =>
              post({ text: `result ${query.id}`, user_id, response_url: slack.responseUrl() }),
            ),
          );
          // The shares are acked; their downloads, previews and uploads run on now.
          await sleep(20);
          got.busy = await burst();
          inFlightAtBurstEnd += o.sharers - uploads();
          await slack.waitFor('files.completeUploadExternal', {
            count: o.sharers,
            timeoutMs: 120_000,
          });
        }
        await sleep(100);
      }
      if (round < o.warmup) {
        inFlightAtBurstEnd = 0;
        continue;
      }
      pooled.idle.push(...got.idle);
      pooled.busy.push(...got.busy);
      const idle = p50p99(got.idle);
      const busy = p50p99(got.busy);
      ratios.push(busy.p99 / idle.p99);
      if (o.verbose) {
        const ms = (n: number) => n.toFixed(1).padStart(7);
        console.log(
          `round ${String(round - o.warmup + 1).padStart(3)}  idle ${ms(idle.p50)} ${ms(idle.p99)}  ` +
            `busy ${ms(busy.p50)} ${ms(busy.p99)}  p99 ratio ${(busy.p99 / idle.p99).toFixed(2)}`,
        );
      }
    }
  } finally {
    load.stdin.end();
    child.kill('SIGTERM');
    await bot.exited;
    await agent.close();
    await slack.close();
    await alation.close();
  }

  const f = (n: number) => n.toFixed(2);
  const idle = p50p99(pooled.idle);
  const busy = p50p99(pooled.busy);
  const r = median(ratios);
  const col = (s: string) => s.padStart(13);
  const row = (label: string, a: string, b: string) =>
    console.log(`${label.padEnd(40)}${col(a)}${col(b)}`);
  console.log(
    `ack latency while busy, /alation help: ${o.rounds} rounds (+${o.warmup} warm-up) of a ` +
      `${o.concurrency}-request burst idle and one while ${o.sharers} people share a ` +
      `${o.csvMb} MB result each (${csv.bytes} B); node src/main.ts, embedded database` +
      `${o.root ? `, from ${o.root}` : ''}${pinned ? '; bot on cpu 1, load and emulators on cpu 0' : ''}`,
  );
  row('', 'p50', 'p99');
  row(`idle, ms (n=${pooled.idle.length})`, f(idle.p50), f(idle.p99));
  row(`busy, ms (n=${pooled.busy.length})`, f(busy.p50), f(busy.p99));
  row('busy/idle, all samples pooled', f(busy.p50 / idle.p50), f(busy.p99 / idle.p99));
  row('busy/idle p99, median of round ratios', '', f(r.median));
  row('  95% confidence interval', '', `${f(r.lo)}–${f(r.hi)}`);
  row('  min–max of round ratios', '', `${f(r.min)}–${f(r.max)}`);
  console.log(
    `shares still in flight when a busy burst had been acked: ${(inFlightAtBurstEnd / o.rounds).toFixed(1)} of ${o.sharers} on average`,
  );
  console.log(
    `event-loop blocks over 200 ms the bot logged: ${blocks.length}` +
      (blocks.length ? `, longest ${Math.max(...blocks).toFixed(0)} ms` : ''),
  );
  const verdict = `${f(r.median)} ${r.median <= TARGET ? `<= ${TARGET} ok` : `> ${TARGET} FAIL`}`;
  const spans =
    r.lo <= TARGET && r.hi > TARGET ? ' (inconclusive: its 95% interval spans the target)' : '';
  console.log(`RESULT busy/idle p99, median of round ratios: ${verdict}${spans}`);
}
