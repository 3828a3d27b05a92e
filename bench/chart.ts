/**
 * `npm run bench -- chart`: what charts cost (issue 16), measured side by side in one run.
 *
 * 1. A 16 MB, 100k-row result shared to Slack: the CSV relay as it was (no chart) against the
 *    same relay with the chart path (the bytes also streamed to a chart on the CPU pool, a PNG
 *    shared with the CSV), alternating, each run in a fresh process: median time, worst peak RSS
 *    growth, longest event-loop delay. Targets: the chart adds ≤ 30% time and ≤ 64 MB RSS.
 * 2. Ack p99 of `/alation help` bursts while 20 people share chartable results (20 charts
 *    rendering) against idle bursts, alternating; the median of per-round busy/idle ratios
 *    (target ≤ 1.5). This part runs the bot in-process with the emulators (the test harness),
 *    so the emulators' own work (serving and receiving the CSVs) shares the bot's event loop:
 *    an upper bound for the real process.
 * Options: --rounds 5, --ack-rounds 5, --burst 50.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { slashCommand } from '../test/driver.ts';
import { startAlationEmulator } from '../test/emulators/alation.ts';
import { SLACK_DEFAULTS, startSlackEmulator } from '../test/emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot } from '../test/support/bot.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'ack-rounds': { type: 'string', default: '5' },
    burst: { type: 'string', default: '50' },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const ROWS = 100_000;
const TARGET = 16 * 1024 * 1024;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** 100k rows adding up to 16 MB: a timestamp every 30 s, a region, an amount, padding. */
function* csvChunks(rows = ROWS, target = TARGET): Iterable<string> {
  const header = 'at,region,amount,note\n';
  yield header;
  const rowBytes = Math.floor((target - header.length) / rows);
  const start = Date.UTC(2026, 9, 1);
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const head = `${new Date(start + i * 30_000).toISOString()},${['EMEA', 'AMER', 'APAC'][i % 3]},${(i % 977) * 1.5},"`;
    batch += `${head}${'x'.repeat(Math.max(0, rowBytes - head.length - 2))}"\n`;
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

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

async function acksWhileCharting(rounds: number, burst: number) {
  const t = await startTestBot();
  try {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const queryId = t.alation.addQuery({ datasourceId, title: 'Revenue', content: 'SELECT 1' }).id;
    // ~1 MB, 6,000 rows: a line over time, bucketed.
    t.alation.addResult(queryId, { csv: () => csvChunks(6_000, 1024 * 1024), rowCount: 6_000 });
    const help = async () => {
      const started = performance.now();
      await slashCommand(t.target, { text: 'help' });
      return performance.now() - started;
    };
    const p99 = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1] ?? 0;
    const burstP99 = async () => p99(await Promise.all(Array.from({ length: burst }, help)));
    const uploads = () => t.slack.callsTo('files.completeUploadExternal').length;
    // Warm: one share (the pool's thread loads vega) and one idle burst.
    await slashCommand(t.target, {
      text: `result ${queryId}`,
      response_url: t.slack.responseUrl(),
    });
    await t.slack.waitFor('files.completeUploadExternal');
    await burstP99();
    const ratios: number[] = [];
    const rows: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const idle = await burstP99();
      const before = uploads();
      await Promise.all(
        Array.from({ length: 20 }, () =>
          slashCommand(t.target, {
            text: `result ${queryId}`,
            response_url: t.slack.responseUrl(),
          }),
        ),
      );
      // The shares are acked; their downloads, charts and uploads run now: burst meanwhile.
      const busyBursts: number[] = [];
      while (uploads() < before + 20 && busyBursts.length < 20) busyBursts.push(await burstP99());
      while (uploads() < before + 20) await new Promise((r) => setTimeout(r, 50));
      const busy = Math.max(...busyBursts);
      ratios.push(busy / idle);
      rows.push(
        `  round ${i + 1}: idle p99 ${idle.toFixed(0)} ms, busy p99 ${busy.toFixed(0)} ms (${busyBursts.length} bursts), ${(busy / idle).toFixed(2)}x`,
      );
    }
    console.log(
      `2. ack p99 of ${burst} concurrent /alation help while 20 shares render charts, vs idle; ${rounds} rounds`,
    );
    for (const r of rows) console.log(r);
    console.log(`median busy/idle p99: ${median(ratios).toFixed(2)}x (target ≤ 1.5)`);
  } finally {
    await t.stop();
  }
}

await relayVsChart(Number(values.rounds));
await acksWhileCharting(Number(values['ack-rounds']), Number(values.burst));
