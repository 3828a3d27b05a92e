/**
 * `npm run bench -- chart`: what charts cost (issue 16), measured side by side in one run.
 *
 * 1. A 16 MB, 100k-row result shared to Slack: the CSV relay as it was (no chart) against the
 *    same relay with the chart path (the bytes also streamed to a chart on the CPU pool, a PNG
 *    shared with the CSV), alternating, each run in a fresh process: median time, worst peak RSS
 *    growth, longest event-loop delay. Targets: the chart adds ≤ 30% time and ≤ 64 MB RSS.
 * 2. Ack p99 of `/alation help` bursts while 20 people share chartable results (20 charts
 *    rendering) against idle bursts, alternating; the median of per-round busy/idle ratios
 *    (target ≤ 1.5), then the same shares of a result no chart suits. The real process
 *    (`node src/main.ts`, bench/lib/ack-busy.ts) with the emulators in this one, so serving and
 *    receiving the CSVs does not share the bot's event loop.
 * 3. The longest event-loop delay while 20 charts are drawn on the CPU pool, against one drawn
 *    on the event loop's own thread (how much rendering would block acks without the pool).
 * Options: --rounds 5, --ack-rounds 5, --burst 50, --parts 1,2,3, --nice 0 (part 2; -10 as root
 * keeps other work on the machine from disturbing the bot as much), --workers-apart (part 2: the
 * bot's pool and database threads on the emulators' core, its event loop alone on its own),
 * --loop-alone (--workers-apart and every other thread of the bot too, V8's and libuv's),
 * --only chart,plain (part 2: which of the two share kinds), --cpu-prof <dir> (part 2: V8 CPU
 * profiles of the bot's threads), --compare <checkout> (part 2: another checkout beside this one,
 * round by round).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createChartFeed } from '../src/charts/chart.ts';
import { createCharts } from '../src/charts/service.ts';
import { createCpuPool } from '../src/cpu/pool.ts';
import { createLogger } from '../src/log.ts';
import { startAlationEmulator } from '../test/emulators/alation.ts';
import { SLACK_DEFAULTS, startSlackEmulator } from '../test/emulators/slack.ts';
import { seriesCsv } from '../test/support/csv.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'ack-rounds': { type: 'string', default: '5' },
    burst: { type: 'string', default: '50' },
    parts: { type: 'string', default: '1,2,3' },
    nice: { type: 'string', default: '0' },
    'workers-apart': { type: 'boolean', default: false },
    'loop-alone': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    compare: { type: 'string' },
    only: { type: 'string', default: 'chart,plain' },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const ROWS = 100_000;
const TARGET = 16 * 1024 * 1024;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** 100k rows adding up to 16 MB: a timestamp every 30 s, a region, an amount, padding. */
const csvChunks = (rows = ROWS, target = TARGET, chartable = true) =>
  seriesCsv(rows, target, chartable);

interface Run {
  ms: number;
  rssGrowthMB: number;
  loopMaxMs: number;
  pngBytes: number;
}
type Mode = 'relay' | 'chart';

async function relayVsChart(rounds: number) {
  const slack = await startSlackEmulator();
  const alation = await startAlationEmulator();
  const user = alation.addUser({ id: 7 });
  const source = alation.addDataSource();
  const query = alation.addQuery({ datasourceId: source.id, content: 'SELECT * FROM big' });
  const { resultId } = alation.addResult(query.id, { csv: () => csvChunks(), rowCount: ROWS });
  const warm = alation.addResult(query.id, { csv: () => csvChunks(50, 4_000), rowCount: 50 });
  const config = JSON.stringify({
    alationUrl: alation.url,
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    accessToken: alation.mintAccessToken(user.id),
    resultId,
    warmResultId: warm.resultId,
    channelId: SLACK_DEFAULTS.channelId,
  });
  const share = (mode: Mode) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--expose-gc', path.join(here, 'chart-worker.ts'), mode, config],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      child.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(out) as Run) : reject(new Error(`${mode} exited ${code}`)),
      );
    });
  const runs: Record<Mode, Run[]> = { relay: [], chart: [] };
  try {
    await share('chart'); // the file cache and the emulators warm once
    for (let i = 0; i < rounds; i++) {
      for (const mode of i % 2 ? (['chart', 'relay'] as const) : (['relay', 'chart'] as const)) {
        const run = await share(mode);
        if (mode === 'chart' && run.pngBytes === 0) throw new Error('the chart run made no PNG');
        runs[mode].push(run);
        slack.reset();
      }
    }
  } finally {
    await Promise.all([slack.close(), alation.close()]);
  }
  const ms = (m: Mode) => median(runs[m].map((r) => r.ms));
  const rss = (m: Mode) => Math.max(...runs[m].map((r) => r.rssGrowthMB));
  const loop = (m: Mode) => Math.max(...runs[m].map((r) => r.loopMaxMs));
  console.log(
    `1. a 16 MB, ${ROWS.toLocaleString('en-US')}-row result shared to Slack; median time, worst peak RSS growth and event-loop delay over ${rounds} runs each (node ${process.version})`,
  );
  console.log(
    `${''.padEnd(34)}${'time'.padStart(8)}${'RSS growth'.padStart(13)}${'loop max'.padStart(11)}`,
  );
  for (const m of ['relay', 'chart'] as const) {
    console.log(
      `${(m === 'relay' ? 'CSV relay, no chart' : 'CSV relay + chart PNG').padEnd(34)}${ms(m).toFixed(0).padStart(5)} ms${rss(m).toFixed(1).padStart(10)} MB${loop(m).toFixed(0).padStart(8)} ms`,
    );
  }
  console.log(
    `chart / relay: time ${(ms('chart') / ms('relay')).toFixed(2)}x (target ≤ 1.30), RSS growth +${(rss('chart') - rss('relay')).toFixed(1)} MB (target ≤ 64)`,
  );
}

/**
 * The real process (bench/lib/ack-busy.ts): 20 people share a 1 MB result that suits a line
 * chart, and bursts of `help` run until every share and its chart is uploaded; then the same
 * shares of a result no chart suits. Each beside its own idle bursts, round by round.
 */
async function acksWhileCharting(rounds: number, burst: number) {
  const { runBusy } = await import('./lib/ack-busy.ts');
  const kinds = values.only.split(',');
  for (const chart of [true, false].filter((c) => kinds.includes(c ? 'chart' : 'plain'))) {
    console.log(
      `2${chart ? 'a' : 'b'}. ack p99 of ${burst} concurrent /alation help while 20 people share a 1 MB result ${chart ? 'drawn as a chart' : 'that no chart suits'}, vs idle`,
    );
    await runBusy({
      rounds,
      warmup: 1,
      concurrency: burst,
      sharers: 20,
      csvMb: 1,
      csv: chart ? 'chart' : 'plain-series',
      verbose: false,
      nice: Number(values.nice),
      workersApart: values['workers-apart'] || values['loop-alone'],
      loopAlone: values['loop-alone'],
      root: undefined,
      cpuProf: values['cpu-prof'],
      compare: values.compare,
    });
  }
}

/** The longest event-loop delay while charts are drawn: on the pool's thread, and inline. */
async function loopWhileRendering(charts: number) {
  const bytes = Buffer.from([...csvChunks(6_000, 1024 * 1024)].join(''));
  const request = {
    zone: 'Europe/Berlin',
    title: 'bench',
    truncated: false,
    rowCount: undefined,
    choice: { kind: 'line' as const, x: 'at', y: ['amount'], aggregation: 'sum' as const },
  };
  const pool = createCpuPool();
  const service = createCharts(pool, createLogger({ level: 'silent' }));
  const onPool = async () => {
    const stream = service.open(request);
    if (!stream) throw new Error('pool full');
    for (let i = 0; i < bytes.length; i += 64 * 1024)
      await stream.write(bytes.subarray(i, i + 64 * 1024));
    return stream.end();
  };
  const big = Buffer.from([...csvChunks()].join(''));
  const inline = async (data = big) => {
    const feed = createChartFeed(request);
    for (let i = 0; i < data.length; i += 64 * 1024) feed.write(data.subarray(i, i + 64 * 1024));
    return feed.end();
  };
  const measure = async (run: () => Promise<unknown>, n: number) => {
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    await new Promise((r) => setTimeout(r, 30)); // the histogram's timer runs before the work
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, run));
    const ms = performance.now() - started;
    // The histogram records a block when its next timer fires: let it.
    await new Promise((r) => setTimeout(r, 30));
    h.disable();
    return { ms, max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
  };
  await onPool(); // the thread starts and loads vega
  await inline(bytes); // and so does this thread
  const pooled = await measure(onPool, charts);
  const one = await measure(() => inline(), 1);
  await pool.close();
  console.log(
    `3. event-loop delay while 1 MB, 6,000-row results are charted: ${charts} on the CPU pool (${pool.size} thread${pool.size === 1 ? '' : 's'}) max ${pooled.max.toFixed(0)} ms, p99 ${pooled.p99.toFixed(0)} ms over ${pooled.ms.toFixed(0)} ms; one 16 MB, 100k-row result charted on the event loop's own thread instead: max ${one.max.toFixed(0)} ms over ${one.ms.toFixed(0)} ms`,
  );
}

const parts = new Set(values.parts.split(','));
if (parts.has('1')) await relayVsChart(Number(values.rounds));
if (parts.has('2')) await acksWhileCharting(Number(values['ack-rounds']), Number(values.burst));
if (parts.has('3')) await loopWhileRendering(20);
