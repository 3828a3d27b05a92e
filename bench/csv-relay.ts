/**
 * A 16 MB, 100k-row result CSV relayed from the Alation emulator to the Slack emulator's upload
 * URL: through the bot's own code path (client stream → spool with preview → upload) and through
 * a plain undici stream → upload pipe, alternating, each run in a fresh process.
 * Options: --rounds 5.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startAlationEmulator } from '../test/emulators/alation.ts';
import { SLACK_DEFAULTS, startSlackEmulator } from '../test/emulators/slack.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const here = path.dirname(fileURLToPath(import.meta.url));
const ROWS = 100_000;
const TARGET = 16 * 1024 * 1024;

/** 100k rows adding up to 16 MB: each row padded to the same length. */
function* csvChunks(): Iterable<string> {
  const header = 'id,region,customer,amount,note\n';
  yield header;
  const rowBytes = Math.floor((TARGET - header.length) / ROWS);
  let batch = '';
  for (let i = 0; i < ROWS; i++) {
    const start = `${i},${['EMEA', 'AMER', 'APAC'][i % 3]},"Customer ${i}, Ltd.",${(i * 7.31).toFixed(2)},"`;
    batch += `${start}${'x'.repeat(Math.max(0, rowBytes - start.length - 2))}"\n`;
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
let bytes = 0;
for (const chunk of csvChunks()) bytes += Buffer.byteLength(chunk);

const slack = await startSlackEmulator();
const alation = await startAlationEmulator();
const user = alation.addUser({ id: 7 });
const accessToken = alation.mintAccessToken(user.id);
const source = alation.addDataSource();
const query = alation.addQuery({ datasourceId: source.id, content: 'SELECT * FROM big' });
const { resultId } = alation.addResult(query.id, { csv: csvChunks, rowCount: ROWS });
const WARM_CSV = 'id,name\n1,a\n2,b\n';
const warm = alation.addResult(query.id, { csv: WARM_CSV, rowCount: 2 });
const config = JSON.stringify({
  alationUrl: alation.url,
  slackApiUrl: slack.apiUrl,
  botToken: slack.botToken,
  accessToken,
  resultId,
  warmResultId: warm.resultId,
  warmBytes: WARM_CSV.length,
  bytes,
  channelId: SLACK_DEFAULTS.channelId,
});

interface Run {
  ms: number;
  rssGrowthMB: number;
  bytes: number;
}
type Mode = 'bot' | 'bot-direct' | 'plain';
function relay(mode: Mode): Promise<Run> {
  // Only the direct path gets a Content-Length from Alation; the plain pipe is told the length.
  alation.knobs.csvContentLength = mode === 'bot-direct';
  const child = spawn(
    process.execPath,
    ['--expose-gc', path.join(here, 'csv-relay-worker.ts'), mode, config],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${mode} relay exited with ${code}`));
      else resolve(JSON.parse(out) as Run);
    }),
  );
}

const runs: Record<Mode, Run[]> = { bot: [], 'bot-direct': [], plain: [] };
const orders: Mode[][] = [
  ['bot', 'bot-direct', 'plain'],
  ['plain', 'bot', 'bot-direct'],
  ['bot-direct', 'plain', 'bot'],
];
try {
  await relay('bot'); // warm the file cache and the emulators once
  for (let i = 0; i < rounds; i++) {
    for (const mode of orders[i % orders.length] ?? []) {
      const run = await relay(mode);
      const uploaded = [...slack.uploads.values()].at(-1)?.bytes?.length;
      if (run.bytes !== bytes || uploaded !== bytes)
        throw new Error(`${mode}: ${uploaded} bytes arrived, expected ${bytes}`);
      runs[mode].push(run);
      slack.reset();
    }
  }
} finally {
  await Promise.all([slack.close(), alation.close()]);
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (mode: Mode) => median(runs[mode].map((r) => r.ms));
const rss = (mode: Mode) => Math.max(...runs[mode].map((r) => r.rssGrowthMB));
const plain = ms('plain');
const row = (label: string, mode: Mode, targets: boolean) =>
  console.log(
    `${label.padEnd(44)}${ms(mode).toFixed(0).padStart(6)} ms  ${(ms(mode) / plain).toFixed(2).padStart(5)}x${targets ? ' (≤ 1.30)' : '         '}  ${rss(mode).toFixed(1).padStart(5)} MB${targets ? ' (≤ 32)' : ''}`,
  );
console.log(
  `relay of a ${(bytes / 1024 / 1024).toFixed(1)} MB, ${ROWS.toLocaleString('en-US')}-row CSV to Slack's upload URL; median time and worst peak RSS growth over ${rounds} runs each (node ${process.version})`,
);
console.log(
  `${''.padEnd(44)}${'time'.padStart(9)}  ${'vs plain'.padStart(6)}           ${'RSS growth'}`,
);
row('bot, Alation states Content-Length (direct)', 'bot-direct', true);
row('bot, chunked CSV (spooled to disk)', 'bot', true);
row('plain undici stream → upload pipe', 'plain', false);
