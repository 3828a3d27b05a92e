/**
 * One share of a result CSV from the Alation emulator to the Slack emulator, in a process of its
 * own so its peak memory is its own (bench/chart.ts runs it). argv: <relay|chart> <json config>.
 * `relay` is the CSV relay as it was before charts; `chart` is the same relay with the chart
 * tap: the bytes also go to a chart stream on the CPU pool, and the PNG is shared with the CSV.
 * Prints {ms, rssGrowthMB, loopMaxMs, pngBytes}.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { chartTap, createCharts } from '../src/charts/service.ts';
import { createAlationClient } from '../src/client/alation.ts';
import { createHttp } from '../src/client/http.ts';
import { createCpuPool } from '../src/cpu/pool.ts';
import { createLogger } from '../src/log.ts';
import { relayCsv } from '../src/results/relay.ts';
import { buildResultMessage } from '../src/views/result.ts';

const [mode, raw] = process.argv.slice(2) as ['relay' | 'chart', string];
const cfg = JSON.parse(raw) as {
  alationUrl: string;
  slackApiUrl: string;
  botToken: string;
  accessToken: string;
  resultId: number;
  warmResultId: number;
  channelId: string;
};
const log = createLogger({ level: 'silent' });
const client = new webApi.WebClient(cfg.botToken, { slackApiUrl: cfg.slackApiUrl });
const http = createHttp({ baseUrl: cfg.alationUrl, service: 'Alation' });
const alation = createAlationClient({
  http,
  credentials: { current: async () => cfg.accessToken, refresh: async () => cfg.accessToken },
});
const pool = createCpuPool();
const charts = createCharts(pool, log);
const CHOICE = { kind: 'line', x: 'at', y: ['amount'], aggregation: 'sum' } as const;

async function share(resultId: number): Promise<number> {
  const csv = await alation.queries.resultCsv(resultId);
  const stream =
    mode === 'chart'
      ? charts.open({
          choice: { ...CHOICE, y: [...CHOICE.y] },
          zone: 'Europe/Berlin',
          title: 'bench',
          truncated: false,
          rowCount: undefined,
        })
      : undefined;
  const tap = stream && chartTap(stream, 'result.png', 'chart', log);
  const shared = await relayCsv(
    client,
    { channelId: cfg.channelId, threadTs: undefined, filename: 'result.csv', title: 'result' },
    csv,
    (preview, bytes) =>
      buildResultMessage(
        {
          kind: 'ready',
          resultId,
          truncated: false,
          previewOnly: false,
          rowCount: undefined,
          expiresAt: undefined,
          executedAt: undefined,
          secondsTaken: undefined,
        },
        { ...preview, bytes, filename: 'result.csv' },
        {
          queryId: 1,
          title: 'bench',
          queryUrl: 'https://a/q/1/',
          composeUrl: 'https://a/c/1/',
          now: new Date(),
          zone: 'UTC',
        },
      ),
    tap,
  );
  if (!shared.ok) throw new Error(shared.slackError);
  return (await tap?.chart())?.png.length ?? 0;
}

// Warm: code loaded, pools connected, and (chart) the pool's thread started with vega loaded.
await share(cfg.warmResultId);
global.gc?.();
const loop = monitorEventLoopDelay({ resolution: 5 });
const rssBefore = process.memoryUsage.rss();
let peak = rssBefore;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2);
loop.enable();
const started = performance.now();
const pngBytes = await share(cfg.resultId);
const ms = performance.now() - started;
loop.disable();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await pool.close();
await http.close();
process.stdout.write(
  `${JSON.stringify({ ms, rssGrowthMB: (peak - rssBefore) / 1024 / 1024, loopMaxMs: loop.max / 1e6, pngBytes })}\n`,
);
