/**
 * `npm run bench -- ack --busy`: the real bot process (`node src/main.ts`, embedded database)
 * acking bursts of `/alation help` while `--sharers` connected people each share a `--csv-mb`
 * MB query result with `/alation result`, alternating with idle rounds of the same bursts. Each
 * busy/idle pair gives a p99 ratio; the verdict is their median with a 95% interval.
 * The Alation and Slack emulators run in this process and the help bursts come from another
 * (ack-load.ts), so neither the CSV bytes' source and sink nor their clock share the bot's
 * core; with two cores the bot gets one to itself.
 *
 * `--compare <checkout>` runs a second bot from another build (a `git worktree` of an older
 * commit, say) beside this one: each round runs both builds' idle and busy bursts, in an order
 * flipped every round, so both see the same machine; the builds' ratios are printed side by side.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
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
import { bigCsv, seriesCsv } from '../../test/support/csv.ts';
import { freePort, ROOT, waitForStatus } from '../../test/support/process.ts';
import { median, p50p99 } from './stats.ts';

export interface BusyOptions {
  rounds: number;
  warmup: number;
  concurrency: number;
  sharers: number;
  csvMb: number;
  /**
   * What each share is: `plain` (bigCsv: text columns, no chart suits it), `chart` (a series
   * over time, so every share also draws a line chart) or `plain-series` (the same shape with a
   * text key instead of the time: no chart). With `chart` and `plain-series` the busy phase
   * bursts again and again until every share is uploaded, so the bursts overlap the drawing,
   * and the idle phase runs as many bursts as the last busy phase did.
   */
  csv?: 'plain' | 'chart' | 'plain-series';
  verbose: boolean;
  /** Another checkout to run instead of this one (e.g. an older commit, for comparison). */
  root: string | undefined;
  /** Another checkout to run beside this one, round by round. */
  compare?: string | undefined;
  /** A directory for V8 CPU profiles of the bot's threads. */
  cpuProf: string | undefined;
  /**
   * Moves the bot's worker threads (the CPU pool's and the database's) onto the emulators' core
   * each round, leaving the event loop its core alone: tells what the bot's main thread costs
   * from what its own threads take from it when all share one core.
   */
  workersApart?: boolean;
  /**
   * Used with workersApart: every thread of the bot but the event loop's (V8's GC and compiler
   * threads and libuv's too), so nothing of the bot's own competes with its acks for the core.
   */
  loopAlone?: boolean;
  /**
   * A nice value for the bot, the load generator and this process (negative needs root), so
   * other work on the machine disturbs the measurement less; 0 leaves them as they are.
   */
  nice?: number;
}

/** Best effort: without the privilege the run goes on at the normal priority. */
function renice(pid: number | undefined, nice: number | undefined): boolean {
  if (!nice || !pid) return false;
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}

const SECRET = 'bench-busy-signing-secret';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = 1.5;

type Slack = Awaited<ReturnType<typeof startSlackEmulator>>;
type Alation = Awaited<ReturnType<typeof startAlationEmulator>>;

interface Bot {
  name: string;
  root: string;
  child: ChildProcess;
  exited: Promise<unknown>;
  /** The bot's own warnings about event-loop blocks (src/event-loop.ts). */
  blocks: number[];
  burst(): Promise<number[]>;
  share(userId: string, queryId: number): Promise<number>;
  stop(): Promise<void>;
}

interface Shared {
  slack: Slack;
  alation: Alation;
  sharers: string[];
  pinned: boolean;
}

async function startBot(name: string, root: string, s: Shared, o: BusyOptions): Promise<Bot> {
  // Connect the sharers: their credentials sealed into the bot's database before it starts.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-busy-'));
  const key = randomBytes(32);
  const seeding = await openPglite(path.join(dataDir, 'pglite'));
  // The schema of the build that runs: an older build refuses a newer database.
  const migrations = (await import(
    path.join(root, 'src/store/migrate.ts')
  )) as typeof import('../../src/store/migrate.ts');
  await migrations.migrate(seeding, await migrations.loadMigrations());
  const quiet = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const store = createCredentialStore(seeding, createKeyring([{ label: 'bench', key }]), quiet);
  for (const [i, userId] of s.sharers.entries()) {
    await store.save(
      { tenantId: SLACK_DEFAULTS.teamId, userId },
      'alation',
      { method: 'refresh_token', alationUserId: 1000 + i, refreshToken: refreshTokens[i] ?? '' },
      { method: 'refresh_token', alationUserId: 1000 + i },
    );
  }
  await seeding.close();

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: s.slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: s.slack.apiUrl,
    ALATION_BASE_URL: s.alation.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    TOKEN_ENCRYPTION_KEY: key.toString('base64'),
    LOG_LEVEL: 'warn',
    ...(o.cpuProf ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${o.cpuProf}/${name}` } : {}),
  };
  const args = [process.execPath, 'src/main.ts'];
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  const child: ChildProcess = s.pinned
    ? spawn('taskset', ['-c', '1', ...args], { cwd: root, env, stdio })
    : spawn(args[0] ?? '', args.slice(1), { cwd: root, env, stdio });
  // Before its threads start, so they inherit it (they set their own niceness relative to nothing:
  // the database's, the CPU pool's and libuv's threads go to 10 whatever this is).
  renice(child.pid, o.nice);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const blocks: number[] = [];
  let partial = '';
  child.stdout?.on('data', (d) => {
    const lines = (partial + String(d)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const ms = /"eventLoopDelayMs":([\d.]+)/.exec(line)?.[1];
      if (ms) blocks.push(Number(ms));
      if (o.verbose && ms) console.log(`  ${name} bot: event loop blocked ${ms} ms`);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const agent = new Agent({ connections: o.sharers + 10, pipelining: 0 });
  const share = async (userId: string, queryId: number): Promise<number> => {
    const body = new URLSearchParams(
      Object.entries(
        buildSlashCommand({
          text: `result ${queryId}`,
          user_id: userId,
          response_url: s.slack.responseUrl(),
        }),
      ).map(([k, v]): [string, string] => [k, String(v)]),
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
  renice(load.pid, o.nice);
  const answers = createInterface({ input: load.stdout })[Symbol.asyncIterator]();
  const burst = async (): Promise<number[]> => {
    load.stdin.write('burst\n');
    const { value } = await answers.next();
    if (typeof value !== 'string') throw new Error('the load generator stopped');
    return JSON.parse(value) as number[];
  };
  await waitForStatus(`${origin}/readyz`, 200, {
    child,
    stdout: () => '',
    stderr: () => stderr,
    exited,
  });
  return {
    name,
    root,
    child,
    exited,
    blocks,
    burst,
    share,
    async stop() {
      load.stdin.end();
      child.kill('SIGTERM');
      await exited;
      await agent.close();
    },
  };
}

/** Filled once the emulator knows the sharers; each bot seals the same tokens. */
let refreshTokens: string[] = [];

interface Tally {
  ratios: number[];
  idle: number[];
  busy: number[];
  inFlightAtBurstEnd: number;
  /** Event-loop CPU of each busy phase (shares and burst) minus its idle burst, ms. */
  shareCpuMs: number[];
  /** The main thread's run-queue wait in each phase, ms. */
  waitMs: { idle: number[]; busy: number[] };
  /** CPU of the bot's threads over all busy phases, by thread name, ms. */
  threadMs: Map<string, number>;
}

/**
 * CPU time (ms) the bot's main thread (the event loop) has used, from /proc; undefined where
 * there is none. Unlike latency it hardly moves with the machine's load.
 */
function mainThreadCpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (ms, 10 ms ticks) of each of the bot's threads, summed by thread name (MainThread,
 * WorkerThread, V8Worker, libuv-worker…): who used the bot's core during a phase.
 */
function threadCpuByName(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      byName.set(name, (byName.get(name) ?? 0) + ms);
    }
  } catch {
    // No /proc, or the bot has exited.
  }
  return byName;
}

const cpuDelta = (after: Map<string, number>, before: Map<string, number>) =>
  new Map([...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)]));

/**
 * The bot's worker threads (named WorkerThread) onto core 0, the emulators' (Linux); with
 * `all`, every thread but the event loop's.
 */
function pinWorkersApart(pid: number | undefined, all: boolean): void {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      if (comm === 'WorkerThread' || (all && tid !== String(pid)))
        spawnSync('taskset', ['-pc', '0', tid]);
    }
  } catch {
    // No /proc: nothing to move.
  }
}

/**
 * Time (ms) the bot's main thread has spent runnable but waiting for a CPU (schedstat's run
 * delay): how much other threads — the bot's own pool, database and GC threads on its core, or
 * other processes — kept the event loop from running when it had work.
 */
function mainThreadWaitMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return undefined;
  }
}

export async function runBusy(o: BusyOptions): Promise<void> {
  // cpus(), not availableParallelism(): a second run in this process finds itself pinned to one.
  const pinned = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (pinned) spawnSync('taskset', ['-cp', '0', String(process.pid)]);
  const reniced = renice(process.pid, o.nice);
  const slack = await startSlackEmulator();
  const alation = await startAlationEmulator();
  const kind = o.csv ?? 'plain';
  const csvBytes = o.csvMb * 1024 * 1024;
  // About 175 bytes a row, as a 1 MB chartable result of 6,000 rows (bench/chart.ts).
  const seriesRows = Math.max(1, Math.round(csvBytes / 175));
  const csv =
    kind === 'plain'
      ? bigCsv(csvBytes)
      : {
          chunks: () => seriesCsv(seriesRows, csvBytes, kind === 'chart'),
          rows: seriesRows,
          bytes: csvBytes,
        };
  // Built once: generating 2 MB per download would load this process's loop, which also times
  // the acks.
  const chunks = [...csv.chunks()];
  const untilUploaded = kind !== 'plain';
  let burstsPerPhase = 3;
  const source = alation.addDataSource({ title: 'Warehouse' });
  // A query of each sharer's own, with a new result every busy phase: a chart is drawn once per
  // stored result (src/charts/memo.ts), so one query shared by all would draw one chart, not 20.
  const queries = Array.from({ length: o.sharers }, (_, i) =>
    alation.addQuery({ datasourceId: source.id, title: `Big ${i}`, content: 'SELECT 1' }),
  );
  const freshResults = () => {
    for (const q of queries) alation.addResult(q.id, { csv: () => chunks, rowCount: csv.rows });
  };
  freshResults();
  const sharers = Array.from({ length: o.sharers }, (_, i) => `UBUSY${String(i).padStart(4, '0')}`);
  refreshTokens = sharers.map((userId, i) => {
    slack.addUser({ id: userId, name: `sharer${i}` });
    return alation.addUser({ id: 1000 + i }).refreshToken;
  });
  const shared: Shared = { slack, alation, sharers, pinned };
  const builds: [string, string][] = [['this', o.root ?? ROOT]];
  if (o.compare) builds.push(['compare', path.resolve(o.compare)]);
  const bots: Bot[] = [];
  const uploads = () => slack.callsTo('files.completeUploadExternal').length;
  const tallies = new Map<Bot, Tally>();
  const load0 = loadavg()[0] ?? 0;

  async function round(bot: Bot, idleFirst: boolean) {
    const got = {
      idle: [] as number[],
      busy: [] as number[],
      inFlight: 0,
      cpu: { idle: 0, busy: 0 },
      wait: { idle: 0, busy: 0 },
      threads: new Map<string, number>(),
    };
    const cpuAt = () => mainThreadCpuMs(bot.child.pid) ?? Number.NaN;
    const waitAt = () => mainThreadWaitMs(bot.child.pid) ?? Number.NaN;
    for (const mode of idleFirst ? ['idle', 'busy'] : ['busy', 'idle']) {
      if (mode === 'idle') {
        const before = cpuAt();
        const waited = waitAt();
        got.idle = await bot.burst();
        for (let b = 1; untilUploaded && b < burstsPerPhase; b++)
          got.idle.push(...(await bot.burst()));
        await sleep(100);
        got.cpu.idle = cpuAt() - before;
        got.wait.idle = waitAt() - waited;
      } else {
        slack.reset();
        const before = cpuAt();
        const waited = waitAt();
        const threadsBefore = threadCpuByName(bot.child.pid);
        freshResults();
        await Promise.all(
          sharers.map((userId, i) => bot.share(userId, queries[i]?.id ?? Number.NaN)),
        );
        // The shares are acked; their downloads, previews and uploads run on now.
        await sleep(20);
        got.busy = await bot.burst();
        got.inFlight = o.sharers - uploads();
        if (untilUploaded) {
          let b = 1;
          for (; uploads() < o.sharers && b < 40; b++) got.busy.push(...(await bot.burst()));
          burstsPerPhase = b;
        }
        await slack.waitFor('files.completeUploadExternal', {
          count: o.sharers,
          timeoutMs: 120_000,
        });
        await sleep(100);
        got.cpu.busy = cpuAt() - before;
        got.wait.busy = waitAt() - waited;
        got.threads = cpuDelta(threadCpuByName(bot.child.pid), threadsBefore);
      }
      await sleep(100);
    }
    return got;
  }

  try {
    for (const [name, root] of builds) bots.push(await startBot(name, root, shared, o));
    for (const bot of bots)
      tallies.set(bot, {
        ratios: [],
        idle: [],
        busy: [],
        inFlightAtBurstEnd: 0,
        shareCpuMs: [],
        waitMs: { idle: [], busy: [] },
        threadMs: new Map(),
      });
    for (let r = 0; r < o.warmup + o.rounds; r++) {
      if (o.workersApart && pinned)
        for (const bot of bots) pinWorkersApart(bot.child.pid, o.loopAlone ?? false);
      const order = r % 2 === 0 ? bots : [...bots].reverse();
      for (const bot of order) {
        const got = await round(bot, (r + bots.indexOf(bot)) % 2 === 0);
        if (r < o.warmup) continue;
        const t = tallies.get(bot);
        if (!t) continue;
        t.idle.push(...got.idle);
        t.busy.push(...got.busy);
        t.inFlightAtBurstEnd += got.inFlight;
        t.shareCpuMs.push(got.cpu.busy - got.cpu.idle);
        t.waitMs.idle.push(got.wait.idle);
        t.waitMs.busy.push(got.wait.busy);
        for (const [name, ms] of got.threads)
          t.threadMs.set(name, (t.threadMs.get(name) ?? 0) + ms);
        const idle = p50p99(got.idle);
        const busy = p50p99(got.busy);
        t.ratios.push(busy.p99 / idle.p99);
        if (o.verbose) {
          const ms = (n: number) => n.toFixed(1).padStart(7);
          console.log(
            `round ${String(r - o.warmup + 1).padStart(3)} ${bot.name.padEnd(8)} idle ${ms(idle.p50)} ${ms(idle.p99)}  ` +
              `busy ${ms(busy.p50)} ${ms(busy.p99)}  p99 ratio ${(busy.p99 / idle.p99).toFixed(2)}`,
          );
        }
      }
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await slack.close();
    await alation.close();
  }

  const f = (n: number) => n.toFixed(2);
  const col = (s: string) => s.padStart(13);
  const row = (label: string, a: string, b: string) =>
    console.log(`${label.padEnd(40)}${col(a)}${col(b)}`);
  const lastShares = slack.callsTo('files.completeUploadExternal');
  const withChart = lastShares.filter(
    (c) => Array.isArray(c.args.files) && c.args.files.length > 1,
  );
  console.log(
    `ack latency while busy, /alation help: ${o.rounds} rounds (+${o.warmup} warm-up) of a ` +
      `${o.concurrency}-request burst idle and one while ${o.sharers} people share a ` +
      `${o.csvMb} MB ${kind} result each (${csv.bytes} B); node src/main.ts, embedded database` +
      `${pinned ? '; bot on cpu 1, load and emulators on cpu 0' : ''}` +
      `${o.nice ? (reniced ? `; nice ${o.nice}` : '; --nice not permitted here') : ''}; load average ` +
      `${load0.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after`,
  );
  if (untilUploaded) {
    console.log(
      `bursts ran until every share was uploaded (${burstsPerPhase} in the last busy phase); ` +
        `in the last round ${withChart.length} of ${lastShares.length} shares carried a chart`,
    );
  }
  let verdictLine = '';
  for (const bot of bots) {
    const t = tallies.get(bot);
    if (!t) continue;
    const idle = p50p99(t.idle);
    const busy = p50p99(t.busy);
    const r = median(t.ratios);
    console.log(`${bot.name} = ${bot.root}`);
    row('', 'p50', 'p99');
    row(`idle, ms (n=${t.idle.length})`, f(idle.p50), f(idle.p99));
    row(`busy, ms (n=${t.busy.length})`, f(busy.p50), f(busy.p99));
    row('busy/idle, all samples pooled', f(busy.p50 / idle.p50), f(busy.p99 / idle.p99));
    row('busy/idle p99, median of round ratios', '', f(r.median));
    row('  95% confidence interval', '', `${f(r.lo)}–${f(r.hi)}`);
    row('  min–max of round ratios', '', `${f(r.min)}–${f(r.max)}`);
    console.log(
      `shares still in flight when a busy burst had been acked: ${(t.inFlightAtBurstEnd / o.rounds).toFixed(1)} of ${o.sharers} on average`,
    );
    const cpu = median(t.shareCpuMs);
    console.log(
      `event-loop CPU of ${o.sharers} shares (busy phase minus idle burst, 10 ms ticks): median ` +
        `${cpu.median.toFixed(0)} ms (95% ${cpu.lo.toFixed(0)}–${cpu.hi.toFixed(0)}), ` +
        `${(cpu.median / o.sharers).toFixed(1)} ms per share`,
    );
    const waitIdle = median(t.waitMs.idle);
    const waitBusy = median(t.waitMs.busy);
    console.log(
      `main thread runnable but waiting for a CPU: median ${waitIdle.median.toFixed(0)} ms per idle ` +
        `phase, ${waitBusy.median.toFixed(0)} ms per busy phase (95% ${waitBusy.lo.toFixed(0)}–${waitBusy.hi.toFixed(0)})`,
    );
    const byThread = [...t.threadMs]
      .filter(([, ms]) => ms > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${(ms / o.rounds).toFixed(0)}`);
    console.log(`CPU ms per busy phase by the bot's threads: ${byThread.join(', ')}`);
    console.log(
      `event-loop blocks over 200 ms the bot logged: ${bot.blocks.length}` +
        (bot.blocks.length ? `, longest ${Math.max(...bot.blocks).toFixed(0)} ms` : ''),
    );
    if (bot === bots[0]) {
      const verdict = `${f(r.median)} ${r.median <= TARGET ? `<= ${TARGET} ok` : `> ${TARGET} FAIL`}`;
      const spans =
        r.lo <= TARGET && r.hi > TARGET ? ' (inconclusive: its 95% interval spans the target)' : '';
      verdictLine = `RESULT busy/idle p99, median of round ratios: ${verdict}${spans}`;
    }
  }
  console.log(verdictLine);
}
