/**
 * Ack latency of a signed `/alation help` under concurrent load, side by side with a bare Bolt
 * app whose handler only acks. Each app runs in its own process.
 *
 * A round sends `--bursts` bursts of `--concurrency` simultaneous requests to each app, in ABBA
 * order (flipped every round), so drift and order effects land on both apps alike. The first
 * `--warmup` rounds are discarded. Each measured round yields its own ours/bare ratio; the median
 * of those is the verdict, because one disturbed round (a GC pause, another process taking the
 * core) moves a pooled percentile but barely moves a median. Its 95% confidence interval says
 * whether a result near the target is a real difference or noise; a real regression shifts the
 * whole spread of round ratios, noise only widens it.
 *
 * Noise from other processes adds the same milliseconds to both apps and so pulls every ratio
 * towards 1; the run reports how much CPU other processes took, and `--nice=-10` (root or
 * CAP_SYS_NICE) keeps most of it off the measurement.
 *
 * Options: --concurrency 200 --rounds 60 --warmup 5 --bursts 2 --nice 0 --verbose
 * --cpu-prof <dir> (a V8 CPU profile of each server, e.g. for Chrome DevTools); --compare <checkout>
 * runs a third server from another build (a `git worktree` of an older commit) in the same rounds.
 *
 * --busy: the real process instead, idle bursts against bursts while people share big results
 * (bench/lib/ack-busy.ts): --busy-rounds 20 --busy-burst 100 --sharers 30 --csv-mb 2, and
 * --root <checkout> to run another build, --compare <checkout> to run another build beside it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { buildSlashCommand, computeSignature } from '../test/driver.ts';
import { startSlackEmulator } from '../test/emulators/slack.ts';
import { median, p50p99 } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    bursts: { type: 'string', default: '2' },
    nice: { type: 'string', default: '0' },
    verbose: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    busy: { type: 'boolean', default: false },
    'busy-rounds': { type: 'string', default: '20' },
    'busy-burst': { type: 'string', default: '100' },
    sharers: { type: 'string', default: '30' },
    'csv-mb': { type: 'string', default: '2' },
    root: { type: 'string' },
    compare: { type: 'string' },
  },
});
if (values.busy) {
  // The busy mode: the real process with storage, see bench/lib/ack-busy.ts.
  const { runBusy } = await import('./lib/ack-busy.ts');
  await runBusy({
    rounds: Number(values['busy-rounds']),
    warmup: 2,
    concurrency: Number(values['busy-burst']),
    sharers: Number(values.sharers),
    csvMb: Number(values['csv-mb']),
    verbose: values.verbose,
    root: values.root,
    compare: values.compare,
    nice: Number(values.nice),
    cpuProf: values['cpu-prof'],
  });
  process.exit(0);
}
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const bursts = Number(values.bursts);
const nice = Number(values.nice);
/** Issue 15: idle acks stay within 1.1× bare Bolt at p50 and 1.2× at p99. */
const targets = { p50: 1.1, p99: 1.2 };
const signingSecret = 'bench-signing-secret';
const here = path.dirname(fileURLToPath(import.meta.url));
const pinned =
  availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (pinned) spawnSync('taskset', ['-cp', '0', String(process.pid)]);

type Kind = 'ours' | 'bare' | 'compare';

/** Returns whether the priority could be set; without the privilege the run goes on as is. */
function renice(pid: number): boolean {
  if (nice === 0) return true;
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}
const reniced = renice(process.pid);

async function startServer(kind: Kind, apiUrl: string) {
  const profile = values['cpu-prof']
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        values['cpu-prof'],
        '--cpu-prof-name',
        `ack-${kind}.cpuprofile`,
      ]
    : [];
  // The compare build's own ack-server.ts, so its createApp is the one measured.
  const serverDir =
    kind === 'compare' ? path.join(path.resolve(values.compare ?? ''), 'bench') : here;
  const args = [
    ...profile,
    path.join(serverDir, 'ack-server.ts'),
    kind === 'compare' ? 'ours' : kind,
    apiUrl,
    signingSecret,
  ];
  // Servers share one core and the load generator (this process) keeps the other, so the
  // client's own work does not land on whichever server happens to be measured.
  const child = pinned
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  renice(child.pid ?? 0);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { kind, child, url: `http://127.0.0.1:${port}/slack/events` };
}

const agent = new Agent({ connections: concurrency * 2, pipelining: 0 });

/** Signed bodies are built before the burst, so the requests leave together. */
function signedRequests(n: number) {
  const ts = Math.floor(Date.now() / 1000);
  return Array.from({ length: n }, () => {
    const body = new URLSearchParams(
      Object.entries(buildSlashCommand({ text: 'help' })).map(([k, v]): [string, string] => [
        k,
        String(v),
      ]),
    ).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSignature(signingSecret, ts, body),
    };
    return { body, headers };
  });
}

async function oneRequest(
  url: string,
  { body, headers }: ReturnType<typeof signedRequests>[number],
): Promise<number> {
  const started = performance.now();
  const res = await request(url, { method: 'POST', dispatcher: agent, headers, body });
  await res.body.text();
  const ms = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return ms;
}

async function burst(url: string): Promise<number[]> {
  const ms = await Promise.all(signedRequests(concurrency).map((r) => oneRequest(url, r)));
  // Both servers share a core: let the one just measured finish whatever follows its acks
  // (listener tails, GC) before the other one's burst starts.
  await sleep(50);
  return ms;
}

/**
 * CPU time (clock ticks) used by the whole machine and by the given processes, from /proc;
 * undefined where there is no /proc.
 */
function cpuTicks(pids: number[]): { total: number; busy: number; each: number[] } | undefined {
  try {
    const all = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      ?.split(/\s+/)
      .slice(1)
      .map(Number);
    if (!all) return undefined;
    // user nice system idle iowait irq softirq steal: idle and iowait are not work.
    const total = all.slice(0, 8).reduce((a, b) => a + b, 0);
    const busy = total - (all[3] ?? 0) - (all[4] ?? 0);
    const each = pids.map((pid) => {
      // Fields after the command name (which may contain spaces); utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    });
    return { total, busy, each };
  } catch {
    return undefined;
  }
}

const f = (n: number) => n.toFixed(2);

const slack = await startSlackEmulator();
const servers = [await startServer('ours', slack.apiUrl), await startServer('bare', slack.apiUrl)];
if (values.compare) servers.push(await startServer('compare', slack.apiUrl));
// This process and the two servers, in the order of `servers` after this process.
const pids = [process.pid, ...servers.map((s) => s.child.pid ?? 0)];
const pooled: Record<Kind, number[]> = { ours: [], bare: [], compare: [] };
const roundRatios = { p50: [] as number[], p99: [] as number[] };
const compareRatios = { p50: [] as number[], p99: [] as number[] };
let cpuAtStart: ReturnType<typeof cpuTicks>;
let cpuAtEnd: ReturnType<typeof cpuTicks>;
try {
  for (let round = 0; round < warmup + rounds; round++) {
    if (round === warmup) cpuAtStart = cpuTicks(pids);
    const got: Record<Kind, number[]> = { ours: [], bare: [], compare: [] };
    for (let b = 0; b < bursts; b++) {
      // Rotated as well as flipped when a third server runs, so each takes each place in turn.
      const shift = (round + b) % servers.length;
      const rotated = [...servers.slice(shift), ...servers.slice(0, shift)];
      const order = (round + b) % 2 === 0 ? rotated : rotated.reverse();
      for (const s of order) got[s.kind].push(...(await burst(s.url)));
    }
    if (round < warmup) continue; // JIT, connection pool, auth.test, heap growth
    pooled.ours.push(...got.ours);
    pooled.bare.push(...got.bare);
    pooled.compare.push(...got.compare);
    const ours = p50p99(got.ours);
    const bare = p50p99(got.bare);
    roundRatios.p50.push(ours.p50 / bare.p50);
    roundRatios.p99.push(ours.p99 / bare.p99);
    if (values.compare) {
      const other = p50p99(got.compare);
      compareRatios.p50.push(other.p50 / bare.p50);
      compareRatios.p99.push(other.p99 / bare.p99);
    }
    if (values.verbose) {
      const ms = (n: number) => n.toFixed(1).padStart(6);
      console.log(
        `round ${String(round - warmup + 1).padStart(3)}  ours ${ms(ours.p50)} ${ms(ours.p99)}  ` +
          `bare ${ms(bare.p50)} ${ms(bare.p99)}  ratio ${f(ours.p50 / bare.p50)} ${f(ours.p99 / bare.p99)}`,
      );
    }
  }
  cpuAtEnd = cpuTicks(pids);
} finally {
  for (const s of servers) (s.child as ChildProcess).kill('SIGTERM');
  await agent.close();
  await slack.close();
}

const ours = p50p99(pooled.ours);
const bare = p50p99(pooled.bare);
const r50 = median(roundRatios.p50);
const r99 = median(roundRatios.p99);
const col = (s: string) => s.padStart(13);
const row = (label: string, a: string, b: string) =>
  console.log(`${label.padEnd(34)}${col(a)}${col(b)}`);

console.log(
  `ack latency, /alation help: ${rounds} rounds (+${warmup} warm-up) of ${bursts} bursts of ` +
    `${concurrency} concurrent signed requests per app; node ${process.version}` +
    `${pinned ? ', servers on cpu 1, client on cpu 0' : ''}` +
    `${nice === 0 ? '' : reniced ? `, nice ${nice}` : ', --nice not permitted here'}`,
);
row('', 'p50', 'p99');
row(`alation-slack-bot, ms (n=${pooled.ours.length})`, f(ours.p50), f(ours.p99));
row(`bare Bolt, ack only, ms (n=${pooled.bare.length})`, f(bare.p50), f(bare.p99));
row('ratio, all samples pooled', f(ours.p50 / bare.p50), f(ours.p99 / bare.p99));
row('ratio, median of round ratios', f(r50.median), f(r99.median));
row('  95% confidence interval', `${f(r50.lo)}–${f(r50.hi)}`, `${f(r99.lo)}–${f(r99.hi)}`);
row('  min–max of round ratios', `${f(r50.min)}–${f(r50.max)}`, `${f(r99.min)}–${f(r99.max)}`);
if (values.compare) {
  const c50 = median(compareRatios.p50);
  const c99 = median(compareRatios.p99);
  const other = p50p99(pooled.compare);
  console.log(`compare = ${path.resolve(values.compare)}`);
  row(`compare build, ms (n=${pooled.compare.length})`, f(other.p50), f(other.p99));
  row('compare/bare, median of round ratios', f(c50.median), f(c99.median));
  row('  95% confidence interval', `${f(c50.lo)}–${f(c50.hi)}`, `${f(c99.lo)}–${f(c99.hi)}`);
}
if (cpuAtStart && cpuAtEnd && cpuAtEnd.total > cpuAtStart.total) {
  const start = cpuAtStart;
  const used = cpuAtEnd.each.map((t, i) => t - (start.each[i] ?? 0));
  // CPU time per request does not grow with waiting, so it stays put when latency is noisy;
  // under a saturating burst, latency follows it. A clock tick is 10 ms (USER_HZ 100).
  const perRequest = (i: number) => ((used[i] ?? 0) * 10_000) / (rounds * bursts * concurrency);
  const [oursCpu, bareCpu] = [perRequest(1), perRequest(2)];
  console.log(
    `server CPU per request: ours ${oursCpu.toFixed(0)} µs, bare ${bareCpu.toFixed(0)} µs, ` +
      `ratio ${f(oursCpu / bareCpu)}`,
  );
  const others =
    (cpuAtEnd.busy - start.busy - used.reduce((a, b) => a + b, 0)) / (cpuAtEnd.total - start.total);
  if (others > 0.05) {
    console.log(
      `other processes took ${Math.round(others * 100)}% of the machine's CPU during the ` +
        `measurement, which pulls ratios towards 1${nice === 0 ? '; --nice=-10 reduces that' : ''}`,
    );
  }
}
const verdict = (r: ReturnType<typeof median>, target: number) =>
  `${f(r.median)} ${r.median <= target ? `<= ${target} ok` : `> ${target} FAIL`}` +
  (r.lo <= target && r.hi > target ? ' (inconclusive: its 95% interval spans the target)' : '');
console.log(
  `RESULT ours/bare, median of round ratios: p50 ${verdict(r50, targets.p50)}, p99 ${verdict(r99, targets.p99)}`,
);
